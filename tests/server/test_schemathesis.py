"""A bounded schemathesis run against /openapi.json: no 5xx, every error the OpenAI body.

A real uvicorn server on a free loopback port serves the app (echo engine, no retrieval);
schemathesis reads the schema from it and sends schema-valid and schema-breaking requests
to every operation. Examples per operation are fixed so the run stays within a minute or two
on two cores.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from civicllm.config import Settings
from civicllm.server import create_app

MAX_EXAMPLES = 100


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on 127.0.0.1 at a free port; yield its URL."""
    home: Path = tmp_path_factory.mktemp("schemathesis-home")
    app = create_app(Settings(engine="echo", home=home, grounding=False, rate_limit_per_minute=0))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@schemathesis.check
def openai_error_body(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx carries {"error": {"message", "type", "param", "code"}}."""
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"not an OpenAI error: {body!r}"
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, f"error fields: {error!r}"
    assert isinstance(error["message"], str) and error["message"], "empty error message"
    assert isinstance(error["type"], str), "error type must be a string"
    return None


# schemathesis' own pytest plugin (``from_fixture``) does not run under pytest 9, so each
# operation's cases are drawn here with its hypothesis strategy.
@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
def test_api_never_fails_and_errors_are_openai_bodies(base_url: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"POST /v1/chat/completions", "POST /v1/flows/{pack}/{flow}"} <= labels, labels
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            response = case.call_and_validate(
                base_url=base_url, checks=[not_a_server_error, openai_error_body], timeout=30
            )
            statuses[response.status_code // 100 * 100] += 1

        try:
            run()
        except Unsatisfiable:
            # Nothing to break: an operation with no parameters and no body has no negative
            # cases (and a free-text path parameter none either).
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    # The run reached the routes: answers when the requests fit the schema, errors otherwise.
    assert statuses[200] if mode is GenerationMode.POSITIVE else statuses[400], statuses
