"""Unusual input is a 4xx with the OpenAI error body or a normal answer, never a 5xx.

Each case here answered 500 once: amounts of many digits, JSON nested 10,000 deep, a lone
surrogate ("\\ud800", half an emoji) in a message or a field, a NUL byte in a static path.
The app runs in-process with the echo engine and without retrieval (fast); the one case
that needs retrieval uses the shared seeded index.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicllm.config import Settings
from civicllm.server import create_app
from tests.answer.estimator_replies import DEPENDENT_REPLIES

ESTIMATE = "/v1/tools/student-aid/estimate"
FLOW = "/v1/flows/student-aid/estimator"
CHAT = "/v1/chat/completions"
AGI = "parents.income.adjusted_gross_income"

REQUEST: dict[str, Any] = {
    "award_year": "2025-26",
    "student": {
        "date_of_birth": "2007-05-01",
        "marital_status": "single",
        "state_of_legal_residence": "OH",
        "income": {"filed_or_will_file_tax_return": False},
    },
    "parents": {
        "marital_status": "married",
        "state_of_legal_residence": "OH",
        "family_size": 4,
        "income": {
            "filed_or_will_file_tax_return": True,
            "tax_filing_status": "married_filing_jointly",
            "adjusted_gross_income": 65000,
        },
    },
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(engine="echo", home=tmp_path / "home", grounding=False))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def completed_records(client: TestClient, response: Any) -> list[dict[str, Any]]:
    """Return the audit log's "completed" records of one response (found by request id)."""
    rid = response.headers["x-request-id"]
    records: list[dict[str, Any]] = client.app.state.civic.audit.records()  # type: ignore[attr-defined]
    return [
        r for r in records if r["request_id"] == rid and r.get("event", "completed") == "completed"
    ]


def assert_openai_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def with_agi(value: Any) -> str:
    request = copy.deepcopy(REQUEST)
    request["parents"]["income"]["adjusted_gross_income"] = value
    return json.dumps(request)


def post_json(client: TestClient, url: str, text: str) -> Any:
    return client.post(url, content=text, headers={"content-type": "application/json"})


# --- amounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [*(10 ** (digits - 1) for digits in range(8, 13)), 100.0000001, 0.1234567891234, -(10**11)],
)
def test_an_unusual_amount_is_answered_and_audited(client: TestClient, amount: Any) -> None:
    response = post_json(client, ESTIMATE, with_agi(amount))
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["sai"], int)
    (record,) = completed_records(client, response)
    assert record["status"] == 200 and record["tool"]["output"]


@pytest.mark.parametrize(
    "amount",
    [*(10 ** (digits - 1) for digits in range(13, 21)), -(10**12), 10**28, 10**30, "1e400"],
)
def test_an_amount_of_a_trillion_or_more_is_a_field_level_400(
    client: TestClient, amount: Any
) -> None:
    text = with_agi(amount).replace('"1e400"', "1e400")  # a JSON number beyond any float
    error = assert_openai_error(post_json(client, ESTIMATE, text), 400)
    assert error["param"] == AGI


def test_the_issue_reply_of_thirty_one_digits_is_asked_again_in_the_flow(
    client: TestClient,
) -> None:
    body = client.post(FLOW, json={}).json()
    for _ in range(60):
        step = body["step"]
        if step["id"] == "parent_agi":
            break
        body = client.post(
            FLOW, json={"state": body["state"], "reply": DEPENDENT_REPLIES.get(step["id"], "no")}
        ).json()
    else:
        raise AssertionError("the flow never asked for the parents' income")
    response = client.post(
        FLOW, json={"state": body["state"], "reply": "1000000000000000000000000000000"}
    )
    assert response.status_code == 200, response.text
    again = response.json()["step"]
    assert again["id"] == "parent_agi" and again["error"]


# --- JSON the parser gives up on ---------------------------------------------------------


@pytest.mark.parametrize("url", [ESTIMATE, CHAT, FLOW])
@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        '{"a": ' * 10_000 + "1" + "}" * 10_000,
        '{"n": ' + "9" * 5000 + "}",
    ],
    ids=["deep-array", "deep-object", "5000-digit-number"],
)
def test_json_the_parser_gives_up_on_is_a_400(client: TestClient, url: str, text: str) -> None:
    error = assert_openai_error(post_json(client, url, text), 400)
    assert error["code"] == "invalid_json"


# --- lone surrogates ---------------------------------------------------------------------

SURROGATE_CHAT = '{"model": "echo", "messages": [{"role": "user", "content": "\\ud800 hi"}]%s}'


def test_a_lone_surrogate_in_a_message_is_answered_and_audited(client: TestClient) -> None:
    response = post_json(client, CHAT, SURROGATE_CHAT % "")
    assert response.status_code == 200, response.text
    assert "\ufffd hi" in response.json()["choices"][0]["message"]["content"]
    (record,) = completed_records(client, response)
    assert record["status"] == 200


def test_a_lone_surrogate_in_a_streamed_message_ends_with_done(client: TestClient) -> None:
    response = post_json(client, CHAT, SURROGATE_CHAT % ', "stream": true')
    assert response.status_code == 200
    events = [line for line in response.text.split("\n\n") if line]
    assert events[-1] == "data: [DONE]"
    text = "".join(json.loads(e[6:])["choices"][0]["delta"].get("content", "") for e in events[:-1])
    assert "\ufffd hi" in text
    (record,) = completed_records(client, response)
    assert record["status"] == 200


@pytest.mark.parametrize(
    ("text", "param"),
    [
        (json.dumps(REQUEST).replace('"OH"', '"\\ud800"', 1), "student.state_of_legal_residence"),
        (json.dumps(REQUEST)[:-1] + ', "\\udfff x": 1}', "\ufffd x"),
    ],
    ids=["value", "field-name"],
)
def test_a_lone_surrogate_in_a_tool_field_is_a_field_level_400(
    client: TestClient, text: str, param: str
) -> None:
    error = assert_openai_error(post_json(client, ESTIMATE, text), 400)
    assert error["param"] == param


def test_a_lone_surrogate_in_a_flow_state_is_a_400(client: TestClient) -> None:
    state = client.post(FLOW, json={}).json()["state"]
    text = json.dumps({"state": state})
    text = text.replace('"answers": {}', '"answers": {"\\ud800": "x"}')
    assert_openai_error(post_json(client, FLOW, text), 400)


def test_a_lone_surrogate_in_a_flow_reply_is_read_as_u_fffd(client: TestClient) -> None:
    response = post_json(client, FLOW, '{"state": null, "reply": "\\ud800", "language": "en"}')
    assert response.status_code == 200, response.text
    # The reply is no award year: the first question is asked again, in English.
    assert response.json()["step"]["id"] == "award_year"


def test_a_lone_surrogate_in_a_question_to_an_assistant_is_answered(
    make_client: Any,
) -> None:
    """Retrieval (full text and vectors) reads the question; it must not fail on it."""
    import anyio

    async def ask() -> Any:
        async with make_client() as http:
            text = (
                '{"model": "student-aid", "messages": [{"role": "user", "content": '
                '"\\ud83d Who counts as an independent student for the FAFSA?"}]}'
            )
            return await http.post(CHAT, content=text, headers={"content-type": "application/json"})

    response = anyio.run(ask)
    assert response.status_code == 200, response.text


# --- static paths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/static/%00", "/static/app.js%00", "/static/" + "a" * 300 + ".js", "/static/%0a"]
)
def test_a_static_path_no_file_can_have_is_a_404(client: TestClient, path: str) -> None:
    assert_openai_error(client.get(path), 404)


# --- every bad field at once -------------------------------------------------------------


def test_every_bad_tool_field_is_in_the_message_and_the_first_is_param(
    client: TestClient,
) -> None:
    example = {
        "award_year": "2025-26",
        "student": {"date_of_birth": "2007-05-01", "family_size": -3},
    }
    error = assert_openai_error(client.post(ESTIMATE, json=example), 400)
    assert error["param"] == "student.marital_status"
    assert "student.marital_status" in error["message"]
    assert "student.family_size" in error["message"]
    assert len(error["message"].splitlines()) == 4


def test_every_bad_chat_field_is_in_the_message_and_the_first_is_param(
    client: TestClient,
) -> None:
    error = assert_openai_error(
        client.post(CHAT, json={"model": "echo", "messages": [], "temperature": 9}), 400
    )
    assert error["param"] == "messages"
    assert "temperature" in error["message"]
    assert len(error["message"].splitlines()) == 2
