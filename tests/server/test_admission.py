"""One admission for every route that runs something: key, rate limit, audit records.

These tests run the app in-process (starlette's TestClient over ASGI, no port) with the echo
engine and no retrieval index, so they are quick.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from civicllm.config import Settings
from civicllm.errors import InputError
from civicllm.server import create_app
from civicllm.tools.base import Tool
from tests.answer.estimator_replies import DEPENDENT_REPLIES

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "student_aid"
FLOW = "/v1/flows/student-aid/estimator"
ESTIMATE = "/v1/tools/student-aid/estimate"
CHAT = "/v1/chat/completions"

# The household from the issue: valid, and once a 500 because redaction broke the record.
INDEPENDENT = {
    "award_year": "2024-25",
    "student": {
        "date_of_birth": "1996-12-16",
        "marital_status": "single",
        "state_of_legal_residence": "AZ",
        "family_size": 1,
        "income": {
            "filed_or_will_file_tax_return": True,
            "tax_filing_status": "single",
            "adjusted_gross_income": 2341414,
            "income_tax_paid": 8108,
            "earned_income": 12434254,
        },
    },
}


def make_app(tmp_path: Path, **overrides: Any) -> Any:
    settings = Settings(engine="echo", home=tmp_path / "home", grounding=False, **overrides)
    return create_app(settings)


@pytest.fixture
def open_client(tmp_path: Path) -> Iterator[Any]:
    """Return a factory: settings overrides (and a client address) -> a started TestClient."""
    clients: list[TestClient] = []

    def factory(address: str = "203.0.113.7", **overrides: Any) -> TestClient:
        client = TestClient(make_app(tmp_path, **overrides), client=(address, 50000))
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


def audit_rows(client: TestClient) -> list[dict[str, Any]]:
    """Return every stored audit body, parsed straight from the database file."""
    path = client.app.state.civic.audit.path  # type: ignore[attr-defined]
    db = sqlite3.connect(path)
    try:
        return [json.loads(row[0]) for row in db.execute("SELECT body FROM audit ORDER BY seq")]
    finally:
        db.close()


def events_of(client: TestClient, response: Any) -> list[tuple[str, int | None]]:
    rid = response.headers["x-request-id"]
    return [(r["event"], r["status"]) for r in audit_rows(client) if r["request_id"] == rid]


# --- the estimate that used to be lost -----------------------------------------------------


def test_large_incomes_are_answered_and_audited(open_client: Any) -> None:
    from civicllm.tools.student_aid import estimate

    client = open_client()
    response = client.post(ESTIMATE, json=INDEPENDENT)
    assert response.status_code == 200, response.text
    assert response.json()["sai"] == estimate(INDEPENDENT)["sai"]
    assert events_of(client, response) == [("admitted", None), ("completed", 200)]
    record = audit_rows(client)[-1]
    income = record["tool"]["input"]["student"]["income"]
    assert income["adjusted_gross_income"] == 2341414 and income["earned_income"] == 12434254
    assert record["tool"]["input"]["student"]["date_of_birth"] == "[DATE]"
    assert record["tool"]["output"]["sai"] == response.json()["sai"]


def vector_inputs() -> list[dict[str, Any]]:
    path = VECTORS / "ed_test_vectors.jsonl"
    if not path.exists():
        return [INDEPENDENT]
    return [json.loads(line)["input"] for line in path.read_text().splitlines()[:40]]


COUNTS = {"family_size", "number_in_college", "enrollment_intensity_percent"}


@st.composite
def estimate_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """An ED test record with its amounts replaced by arbitrary sizes."""

    def vary(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: vary(v, k) for k, v in value.items()}
        if isinstance(value, bool) or key in COUNTS or not isinstance(value, int | float):
            return value
        return draw(st.integers(min_value=0, max_value=10**9) | st.sampled_from([0, 1, 9999]))

    base: dict[str, Any] = draw(st.sampled_from(vector_inputs()))
    return dict(vary(json.loads(json.dumps(base))))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=estimate_inputs())
def test_any_valid_tool_input_is_answered_with_one_parseable_record(
    tmp_path_factory: pytest.TempPathFactory, payload: dict[str, Any]
) -> None:
    from civicllm.tools.student_aid import estimate

    try:
        expected = estimate(payload)
    except InputError:
        assume(False)  # not a valid input: the property is about valid ones
    app = make_app(tmp_path_factory.mktemp("prop"))
    with TestClient(app) as client:
        response = client.post(ESTIMATE, json=payload)
        rows = audit_rows(client)  # every row parses, or this raises
        problem = app.state.civic.audit.verify_chain()
    assert response.status_code == 200, response.text
    assert response.json()["sai"] == expected["sai"]
    completed = [r for r in rows if r["event"] == "completed"]
    assert len(completed) == 1 and completed[0]["status"] == 200
    assert "redaction_failed" not in completed[0]
    stored = completed[0]["tool"]["input"]
    for person in ("student", "parents"):
        for block in ("income", "assets"):
            given_block = payload.get(person, {}).get(block, {})
            for name, value in given_block.items():
                assert stored[person][block][name] == value, (person, block, name)
    assert problem is None


# --- flows go through the same admission ----------------------------------------------------


def drive_flow(client: TestClient, headers: dict[str, str] | None = None) -> list[Any]:
    """Drive the estimator to its result; return every response."""
    responses = [client.post(FLOW, json={"state": None, "language": "en"}, headers=headers)]
    for _ in range(60):
        body = responses[-1].json()
        assert responses[-1].status_code == 200, responses[-1].text
        if body["result"] is not None:
            return responses
        step = body["step"]
        reply = DEPENDENT_REPLIES.get(step["id"], "no" if step["type"] == "yes_no" else "0")
        responses.append(
            client.post(FLOW, json={"state": body["state"], "reply": reply}, headers=headers)
        )
    raise AssertionError("the estimator did not finish")


def test_flows_need_the_api_key(open_client: Any) -> None:
    client = open_client(api_keys=["secret-key-1"])
    missing = client.post(FLOW, json={"state": None})
    wrong = client.post(FLOW, json={"state": None}, headers={"Authorization": "Bearer nope"})
    right = client.post(
        FLOW, json={"state": None}, headers={"Authorization": "Bearer secret-key-1"}
    )
    assert missing.status_code == 401 and wrong.status_code == 401
    assert missing.json()["error"]["type"] == "authentication_error"
    assert right.status_code == 200
    assert events_of(client, missing) == [("refused", 401)]
    assert events_of(client, right) == [("admitted", None), ("completed", 200)]


def test_flows_are_rate_limited(open_client: Any) -> None:
    client = open_client(rate_limit_per_minute=3)
    statuses = [client.post(FLOW, json={"state": None}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = [r for r in audit_rows(client) if r["event"] == "refused"]
    assert len(refused) == 1 and refused[0]["status"] == 429  # a flood is recorded once


def test_a_full_estimate_by_flow_leaves_an_audit_trail(open_client: Any) -> None:
    client = open_client(api_keys=["secret-key-1"])
    responses = drive_flow(client, headers={"Authorization": "Bearer secret-key-1"})
    rows = audit_rows(client)
    completed = [r for r in rows if r["event"] == "completed"]
    assert len(completed) == len(responses) > 10
    assert len([r for r in rows if r["event"] == "admitted"]) == len(responses)
    assert all(r["kind"] == "flow" and r["route"] == FLOW for r in rows)
    assert all(r["flow"]["id"] == "student-aid/estimator" for r in completed)
    assert all(r["key_id"].startswith("key-") for r in rows)
    last = completed[-1]
    assert last["flow"]["step"] == "result"
    assert last["tool"]["id"] == "student-aid/estimate"
    assert last["tool"]["output"]["sai"] == responses[-1].json()["result"]["output"]["sai"]
    stored = json.dumps(rows)
    assert "2007-05-01" not in stored  # the date of birth, in replies, state and tool input
    assert client.app.state.civic.audit.verify_chain() is None  # type: ignore[attr-defined]


# --- who is a client: addresses, sessions, proxies ---------------------------------------


def test_a_fresh_session_per_request_opens_no_new_bucket(open_client: Any) -> None:
    client = open_client(rate_limit_per_minute=3)
    statuses = [
        client.post(
            ESTIMATE, json=INDEPENDENT, headers={"X-Civicllm-Session": uuid.uuid4().hex}
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_session_narrows_its_address_bucket(open_client: Any) -> None:
    client = open_client(rate_limit_per_minute=2)
    limiter = client.app.state.civic.limiter  # type: ignore[attr-defined]
    limiter.check("anonymous:203.0.113.7|session:tab-a")  # this tab has used a token
    limiter.check("anonymous:203.0.113.7|session:tab-a")
    tab_a = client.post(ESTIMATE, json=INDEPENDENT, headers={"X-Civicllm-Session": "tab-a"})
    tab_b = client.post(ESTIMATE, json=INDEPENDENT, headers={"X-Civicllm-Session": "tab-b"})
    assert tab_a.status_code == 429 and tab_b.status_code == 200


def test_forwarded_for_from_loopback_is_not_believed_by_default(open_client: Any) -> None:
    client = open_client(address="127.0.0.1", rate_limit_per_minute=3)
    statuses = [
        client.post(
            ESTIMATE, json=INDEPENDENT, headers={"X-Forwarded-For": f"198.51.100.{i}"}
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert {r["key_id"] for r in audit_rows(client)} == {"anonymous:127.0.0.1"}


def test_forwarded_for_from_a_trusted_proxy_names_the_client(open_client: Any) -> None:
    client = open_client(
        address="10.0.0.5", rate_limit_per_minute=2, trusted_proxies=["10.0.0.0/8"]
    )

    def post(forwarded: str) -> int:
        response = client.post(ESTIMATE, json=INDEPENDENT, headers={"X-Forwarded-For": forwarded})
        return response.status_code

    # The client may write anything on the left; the proxy appends the address it saw.
    assert [post(f"{i}.1.1.1, 198.51.100.1") for i in range(3)] == [200, 200, 429]
    assert post("198.51.100.2") == 200  # a different client behind the proxy
    assert post("198.51.100.3, 10.0.0.9") == 200  # through two trusted proxies
    keys = {r["key_id"] for r in audit_rows(client)}
    assert "anonymous:198.51.100.1" in keys and "anonymous:198.51.100.3" in keys
    assert not any(k.startswith("anonymous:0.") for k in keys)


def test_wrong_keys_are_rate_limited_too(open_client: Any) -> None:
    client = open_client(api_keys=["secret-key-1"], rate_limit_per_minute=2)
    guesses = [
        client.post(ESTIMATE, json={}, headers={"Authorization": f"Bearer guess-{i}"}).status_code
        for i in range(4)
    ]
    assert guesses == [401, 401, 429, 429]


# --- refusals and failures are recorded ----------------------------------------------------


def test_a_full_queue_503_leaves_a_record(open_client: Any) -> None:
    client = open_client(queue_size=0, parallel=1)
    client.app.state.civic.queue._slots._value = 0  # type: ignore[attr-defined]  # all busy
    response = client.post(
        CHAT, json={"model": "echo", "messages": [{"role": "user", "content": "hi"}]}
    )
    assert response.status_code == 503
    assert events_of(client, response) == [("admitted", None), ("completed", 503)]
    record = audit_rows(client)[-1]
    assert record["model"] == "echo" and record["messages"][0]["content"] == "hi"


CRASH = """
import os, sys
from pathlib import Path
from fastapi.testclient import TestClient
from civicllm.config import Settings
from civicllm.server import create_app
from civicllm.tools.base import Tool

app = create_app(Settings(engine="echo", home=Path(sys.argv[1]), grounding=False))
app.state.civic.tools["crash"] = Tool(
    id="crash", version="1", description="", input_schema={}, run=lambda _: os._exit(3)
)
with TestClient(app) as client:
    client.post("/v1/tools/crash", json={}, headers={"X-Request-Id": "crash-1"})
"""


def test_a_crash_mid_request_leaves_the_admitted_record(tmp_path: Path) -> None:
    import subprocess
    import sys

    from civicllm.safety.audit import AuditLog

    home = tmp_path / "crashed"
    done = subprocess.run([sys.executable, "-c", CRASH, str(home)], timeout=120, check=False)
    assert done.returncode == 3  # the process died inside the tool
    log = AuditLog(home / "audit.sqlite")
    rows = [r for r in log.records() if r["request_id"] == "crash-1"]
    assert [(r["event"], r["route"]) for r in rows] == [("admitted", "/v1/tools/crash")]
    assert log.verify_chain() is None
    log.close()


def test_request_ids_are_kept_only_in_a_safe_form(open_client: Any) -> None:
    client = open_client()
    safe = client.post(ESTIMATE, json=INDEPENDENT, headers={"X-Request-Id": "abc.DEF_1-2"})
    unsafe = client.post(
        ESTIMATE, json=INDEPENDENT, headers={"X-Request-Id": "ssn 123-45-6789 <script>"}
    )
    assert safe.headers["x-request-id"] == "abc.DEF_1-2"
    assert unsafe.headers["x-request-id"].startswith("req-")
    assert "123-45-6789" not in json.dumps(audit_rows(client))
    db = sqlite3.connect(client.app.state.civic.audit.path)  # type: ignore[attr-defined]
    ids = {row[0] for row in db.execute("SELECT request_id FROM audit")}
    assert ids == {"abc.DEF_1-2", unsafe.headers["x-request-id"]}


# --- secrets at rest and logs ----------------------------------------------------------------


def test_keys_json_and_the_audit_key_are_owner_only(tmp_path: Path) -> None:
    import os

    from civicllm.server.limits import KeyStore

    old = os.umask(0o022)
    try:
        KeyStore(tmp_path / "keys.json").create("kiosk")
        app = make_app(tmp_path)
    finally:
        os.umask(old)
    home = tmp_path / "home"
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "audit.key").stat().st_mode) == 0o600
    with TestClient(app) as client:
        client.post(ESTIMATE, json=INDEPENDENT)
    assert stat.S_IMODE((home / "audit.head").stat().st_mode) == 0o600


def test_a_failing_request_does_not_log_its_input(
    open_client: Any, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    client = open_client()

    def leaky(payload: Any) -> dict[str, Any]:
        raise ValueError(f"cannot read {payload!r}")

    client.app.state.civic.tools["leaky"] = Tool(  # type: ignore[attr-defined]
        id="leaky", version="1", description="", input_schema={}, run=leaky
    )
    secret = {"note": "SSN 123-45-6789, write to ana@example.org"}
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/tools/leaky", json=secret)
    assert response.status_code == 500
    logged = caplog.text + "".join(logging.Formatter().format(record) for record in caplog.records)
    captured = capsys.readouterr()
    logged += captured.err + captured.out
    assert "request" in logged  # the failure is logged ...
    assert "123-45-6789" not in logged and "ana@example.org" not in logged  # ... redacted
    assert "[SSN]" in logged
