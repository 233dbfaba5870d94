"""HEAD, 405 with Allow, the OpenAPI error responses, and uvicorn not trusting proxies."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from civicllm.config import Settings
from civicllm.server import create_app
from civicllm.server.errors import ErrorBody

GET_ROUTES = ["/v1/models", "/v1/tools", "/healthz", "/readyz", "/metrics", "/"]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(engine="echo", home=tmp_path / "home", grounding=False))
    with TestClient(app) as started:
        yield started


@pytest.mark.parametrize("path", GET_ROUTES)
def test_head_answers_wherever_get_does(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/models", "GET, HEAD"),
        ("POST", "/healthz", "GET, HEAD"),
        ("GET", "/v1/chat/completions", "POST"),
        ("PUT", "/v1/tools/student-aid/estimate", "POST"),
        ("GET", "/v1/flows/student-aid/estimator", "POST"),
    ],
)
def test_wrong_method_is_405_with_allow(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed" and allow in error["message"]


DOCUMENTED = {
    ("get", "/v1/models"): {"401", "429"},
    ("get", "/v1/tools"): {"401", "429"},
    ("post", "/v1/chat/completions"): {"400", "401", "404", "413", "429", "503"},
    ("post", "/v1/tools/{tool_id}"): {"400", "401", "404", "413", "429"},
    ("post", "/v1/flows/{pack}/{flow}"): {"400", "401", "404", "413", "429"},
}


def test_openapi_lists_the_error_responses(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for (method, path), statuses in DOCUMENTED.items():
        responses = doc["paths"][path][method]["responses"]
        assert statuses <= set(responses), (method, path)
        assert "422" not in responses  # validation errors are answered 400
        for status in statuses:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody")
        for status in {"429", "503"} & statuses:
            assert "Retry-After" in responses[status]["headers"]
    error = doc["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"message", "type", "param", "code"}


def real_errors(tmp_path: Path) -> list[tuple[str, str, httpx.Response]]:
    """Provoke each documented error status on each route; return (method, path, response)."""
    settings = Settings(
        engine="echo",
        home=tmp_path / "errors",
        grounding=False,
        api_keys=["k-1"],
        rate_limit_per_minute=0,
        max_request_bytes=2048,
        queue_size=0,
        parallel=1,
    )
    app = create_app(settings)
    key = {"Authorization": "Bearer k-1"}
    chat = {"model": "echo", "messages": [{"role": "user", "content": "hi"}]}
    found: list[tuple[str, str, httpx.Response]] = []
    routes = [
        ("post", "/v1/chat/completions", "/v1/chat/completions", chat),
        ("post", "/v1/tools/{tool_id}", "/v1/tools/student-aid/estimate", {}),
        ("post", "/v1/flows/{pack}/{flow}", "/v1/flows/student-aid/estimator", {"state": None}),
    ]
    with TestClient(app, client=(f"198.51.100.{uuid.uuid4().int % 200}", 1)) as c:
        for method, template, url, ok_body in routes:
            found.append((method, template, c.post(url, json=ok_body)))  # 401
            found.append((method, template, c.post(url, json=[1], headers=key)))  # 400
            found.append((method, template, c.post(url, content=b"x" * 4096, headers=key)))
        found.append(
            (
                "post",
                "/v1/chat/completions",
                c.post("/v1/chat/completions", json={**chat, "model": "nope"}, headers=key),
            )
        )  # 404
        found.append(
            ("post", "/v1/tools/{tool_id}", c.post("/v1/tools/nope", json={}, headers=key))
        )
        found.append(
            (
                "post",
                "/v1/flows/{pack}/{flow}",
                c.post("/v1/flows/student-aid/nope", json={"state": None}, headers=key),
            )
        )
        c.app.state.civic.queue._slots._value = 0  # type: ignore[attr-defined]  # all busy
        found.append(
            ("post", "/v1/chat/completions", c.post("/v1/chat/completions", json=chat, headers=key))
        )  # 503
    limited = create_app(settings.model_copy(update={"rate_limit_per_minute": 1}))
    with TestClient(limited) as c:
        for _ in range(2):
            found.append(("get", "/v1/models", c.get("/v1/models", headers=key)))  # 429
    return found


def test_real_error_responses_are_documented_and_shaped(tmp_path: Path) -> None:
    app = create_app(Settings(engine="echo", home=tmp_path / "doc", grounding=False))
    doc = app.openapi()
    seen: set[tuple[str, str, int]] = set()
    for method, template, response in real_errors(tmp_path):
        if response.status_code == 200:
            continue
        responses = doc["paths"][template][method]["responses"]
        assert str(response.status_code) in responses, (method, template, response.text)
        ErrorBody.model_validate(response.json())
        seen.add((method, template, response.status_code))
    statuses = {status for _, _, status in seen}
    assert statuses == {400, 401, 404, 413, 429, 503}


# --- uvicorn itself -------------------------------------------------------------------------


def test_serve_tells_uvicorn_not_to_trust_forwarded_headers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from civicllm.cli import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    assert main(["serve", "--engine", "echo", "--home", str(tmp_path)]) == 0
    assert seen["proxy_headers"] is False


def test_random_forwarded_for_through_real_uvicorn_opens_no_bucket(tmp_path: Path) -> None:
    """The same options `civicllm serve` passes, on a real socket on loopback."""
    import uvicorn

    app = create_app(
        Settings(engine="echo", home=tmp_path / "u", grounding=False, rate_limit_per_minute=3)
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        statuses = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            for i in range(5):
                headers = {"X-Forwarded-For": f"203.0.113.{i}", "X-Civicllm-Session": str(i)}
                statuses.append(http.get("/v1/tools", headers=headers).status_code)
        rows = app.state.civic.audit.records()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert statuses == [200, 200, 200, 429, 429]
    assert [(r["event"], r["key_id"]) for r in rows] == [("refused", "anonymous:127.0.0.1")]
