"""Properties of every route (hypothesis): whatever arrives, never a 5xx, errors in one shape.

Each route gets requests built from its own request model, with every field free to be any
JSON value: strings with lone surrogates and control characters, integers of 40 digits,
floats from 5e-324 to 1e308 (and NaN, which Python's JSON reader accepts), nesting up to
20,000 deep. The app runs in-process (echo engine, no retrieval) through starlette's
TestClient, so a 500 comes back as a status, not an exception.

Example counts are bounded so the module runs in well under a minute on two cores.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicllm.config import Settings
from civicllm.server import create_app

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD_CHARACTERS = ["\ud800", "\udfff", "\ud83d", "\x00", "\x1b", "\x7f", "\u2028", "\ufeff", "\n"]
# Half the strings carry an odd character (hypothesis alone would rarely draw a surrogate).
TEXT = st.text(max_size=24) | st.builds(
    lambda before, odd, after: before + odd + after,
    st.text(max_size=10),
    st.sampled_from(ODD_CHARACTERS),
    st.text(max_size=10),
)
NUMBERS = (
    st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()  # NaN and Infinity too: Python's JSON reader takes them
    | st.sampled_from(
        [10**28, 10**30, -(10**12), 1e308, 5e-324, -1e-300, 100.0000001, 0.12345678912]
    )
)
SCALARS = st.none() | st.booleans() | NUMBERS | TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)

ESTIMATE = "/v1/tools/student-aid/estimate"
VALID_ESTIMATE: dict[str, Any] = {
    "award_year": "2025-26",
    "student": {
        "date_of_birth": "2007-05-01",
        "marital_status": "single",
        "state_of_legal_residence": "OH",
        "income": {"filed_or_will_file_tax_return": True, "earned_income": 3000},
        "assets": {"cash_savings_checking": 400},
    },
    "parents": {
        "marital_status": "married",
        "state_of_legal_residence": "OH",
        "family_size": 4,
        "income": {
            "filed_or_will_file_tax_return": True,
            "tax_filing_status": "married_filing_jointly",
            "adjusted_gross_income": 65000,
            "income_tax_paid": 4100,
            "earned_income": 63000,
        },
        "assets": {"cash_savings_checking": 2500},
    },
    "enrollment": {"cost_of_attendance": 25000},
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = tmp_path_factory.mktemp("properties-home")
    app_settings = Settings(engine="echo", home=home, grounding=False, rate_limit_per_minute=0)
    app = create_app(app_settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def check(response: Any) -> None:
    """Assert the response is no 5xx and any error is the OpenAI error body."""
    assert response.status_code < 500, response.text[:2000]
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        error = body["error"]
        assert set(error) == {"message", "type", "param", "code"}, error
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["type"], str)
        assert error["param"] is None or isinstance(error["param"], str)
        assert error["code"] is None or isinstance(error["code"], str)
    elif "text/event-stream" in response.headers.get("content-type", ""):
        events = [e for e in response.text.split("\n\n") if e]
        last = events[-1]
        assert last == "data: [DONE]" or "error" in json.loads(last[6:]), last
    elif "json" in response.headers.get("content-type", ""):
        response.json()


@dataclass(frozen=True)
class RawBody:
    """A request body sent as these bytes, not as a JSON value."""

    data: bytes


def post(client: TestClient, url: str, body: Any) -> Any:
    # ensure_ascii keeps lone surrogates as \ud800 escapes: exactly what a client would send.
    content = body.data if isinstance(body, RawBody) else json.dumps(body).encode()
    return client.post(url, content=content, headers={"content-type": "application/json"})


def url_part(text: str, safe: str = "") -> str:
    """Percent-encode text for a URL, lone surrogates as their (invalid) UTF-8 bytes."""
    return quote(text.encode("utf-8", "surrogatepass"), safe=safe)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the model's own kind of value, sometimes any JSON."""
    return st.one_of(strategy, strategy, strategy, JSON)


def members(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every member of a dict and item of a list, nested."""
    found: list[tuple[Any, ...]] = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, value in items:
        found.append((*prefix, key))
        found.extend(members(value, (*prefix, key)))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Any]) -> Any:
    """A request from ``base`` (valid) with up to two members removed or set to any JSON."""
    request = draw(base)
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        paths = members(request)
        if not paths:
            break
        *parents, key = draw(st.sampled_from(paths))
        node = request
        for part in parents:
            node = node[part]
        if isinstance(node, dict) and draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(JSON)
    return request


DEPTHS = st.integers(min_value=500, max_value=20_000)
DEEP = (
    DEPTHS.map(lambda n: RawBody(b"[" * n + b"]" * n))
    | DEPTHS.map(lambda n: RawBody(b'{"a":' * n + b"1" + b"}" * n))
    | st.binary(max_size=64).map(RawBody)  # not JSON, maybe not UTF-8
)


# --- chat completions --------------------------------------------------------------------

MESSAGE = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "developer", "user", "assistant", "tool"]),
        "content": TEXT | st.lists(st.fixed_dictionaries({"type": st.just("text"), "text": TEXT})),
    },
    optional={"name": TEXT},
)
VALID_CHAT = st.fixed_dictionaries(
    {
        "model": st.sampled_from(["echo", "student-aid", "no-such-model"]),
        "messages": st.lists(MESSAGE, min_size=1, max_size=3),
    },
    optional={
        "stream": st.booleans(),
        "stream_options": st.fixed_dictionaries({"include_usage": st.booleans()}),
        "max_tokens": st.integers(min_value=1, max_value=64),
        "max_completion_tokens": st.integers(min_value=1, max_value=64),
        "temperature": st.floats(min_value=0, max_value=2),
        "top_p": st.floats(min_value=0.01, max_value=1),
        "seed": NUMBERS,
        "stop": TEXT | st.lists(TEXT, max_size=4),
        "n": st.just(1),
        "response_format": st.fixed_dictionaries(
            {"type": st.sampled_from(["text", "json_object", "json_schema"])},
            optional={"json_schema": st.fixed_dictionaries({}, optional={"schema": JSON})},
        ),
        "user": TEXT,
        "language": st.sampled_from(["en", "es", "fr", "de", "zz"]),
    },
)
CHAT = mutated(VALID_CHAT)


@EXAMPLES
@given(body=CHAT | JSON | DEEP)
def test_chat_completions_never_fail_on_input(client: TestClient, body: Any) -> None:
    check(post(client, "/v1/chat/completions", body))


# --- tools -------------------------------------------------------------------------------


def paths_of(node: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Return the path of every member of a nested request."""
    found: list[tuple[str, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((*prefix, key))
            found.extend(paths_of(value, (*prefix, key)))
    return found


ESTIMATE_PATHS = [
    *paths_of(VALID_ESTIMATE),
    ("student", "spouse_income"),
    ("student", "dependency", "veteran"),
    ("parents", "older_parent_age"),
    ("parents", "income", "tax_exempt_interest"),
    ("parents", "assets", "investments_net_worth"),
    ("enrollment", "enrollment_intensity_percent"),
    ("extra_field",),
]


@st.composite
def changed_estimates(draw: st.DrawFn) -> dict[str, Any]:
    """A valid estimate request with a few members set to any JSON (or removed)."""
    request = copy.deepcopy(VALID_ESTIMATE)
    for path in draw(st.lists(st.sampled_from(ESTIMATE_PATHS), min_size=1, max_size=3)):
        node: Any = request
        for key in path[:-1]:
            if not isinstance(node, dict):
                break
            node = node.setdefault(key, {})
        if not isinstance(node, dict):
            continue
        if draw(st.booleans()) and path[-1] in node:
            del node[path[-1]]
        else:
            node[path[-1]] = draw(JSON)
    return request


TOOL_IDS = st.sampled_from(["student-aid/estimate", "no-such/tool", "student-aid"]) | TEXT


@EXAMPLES
@given(tool_id=TOOL_IDS, body=changed_estimates() | JSON | DEEP)
def test_tools_never_fail_on_input(client: TestClient, tool_id: str, body: Any) -> None:
    check(client.get("/v1/tools"))
    check(post(client, "/v1/tools/" + url_part(tool_id, safe="/"), body))


@EXAMPLES
@given(body=changed_estimates())
def test_every_changed_estimate_is_answered_or_refused_naming_a_field(
    client: TestClient, body: dict[str, Any]
) -> None:
    response = post(client, ESTIMATE, body)
    check(response)
    if response.status_code == 400:
        assert response.json()["error"]["param"]


MONEY = st.one_of(
    st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1),
    st.floats(min_value=-(10**12) + 1, max_value=10**12 - 1, allow_nan=False),
    st.sampled_from([100.0000001, 0.1234567891234, 5e-324, 12_345_678_901]),
)
SIGNED_FIELDS = [
    ("parents", "income", "adjusted_gross_income"),
    ("parents", "income", "income_tax_paid"),
    ("parents", "income", "earned_income"),
    ("parents", "assets", "investments_net_worth"),
    ("parents", "assets", "business_and_farm_net_worth"),
    ("student", "income", "adjusted_gross_income"),
    ("student", "income", "earned_income"),
]
NON_NEGATIVE_FIELDS = [
    ("parents", "income", "tax_exempt_interest"),
    ("parents", "income", "untaxed_pensions"),
    ("parents", "assets", "cash_savings_checking"),
    ("parents", "assets", "child_support_received"),
    ("student", "assets", "cash_savings_checking"),
    ("enrollment", "cost_of_attendance"),
    ("enrollment", "non_federal_grant_aid"),
]


@st.composite
def valid_estimates(draw: st.DrawFn) -> dict[str, Any]:
    """A valid request: any amounts within the documented bound, anywhere."""
    request = copy.deepcopy(VALID_ESTIMATE)
    for path in SIGNED_FIELDS + NON_NEGATIVE_FIELDS:
        if draw(st.booleans()):
            amount = draw(MONEY)
            if path in NON_NEGATIVE_FIELDS:
                amount = abs(amount)
            node = request
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = amount
    return request


@EXAMPLES
@given(body=valid_estimates())
def test_any_valid_estimate_is_answered_and_audited_once(
    client: TestClient, body: dict[str, Any]
) -> None:
    response = post(client, ESTIMATE, body)
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["sai"], int)
    rid = response.headers["x-request-id"]
    audit = client.app.state.civic.audit  # type: ignore[attr-defined]
    mine = [r for r in audit.records(limit=10) if r["request_id"] == rid]
    completed = [r for r in mine if r.get("event", "completed") == "completed"]
    assert len(completed) == 1, mine
    assert completed[0]["status"] == 200
    assert completed[0]["tool"]["output"]["sai"] == response.json()["sai"]


# --- flows -------------------------------------------------------------------------------

FLOW_URL = "/v1/flows/student-aid/estimator"


@st.composite
def flow_bodies(draw: st.DrawFn) -> dict[str, Any]:
    state: Any = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "version": maybe(st.just(1)),
                "flow": maybe(st.just("estimator")),
                "language": maybe(st.sampled_from(["en", "es"])),
                "answers": maybe(
                    st.dictionaries(
                        st.sampled_from(
                            ["award_year", "student.date_of_birth", "parents.family_size"]
                        )
                        | TEXT,
                        JSON,
                        max_size=3,
                    )
                ),
                "unknown": maybe(st.lists(TEXT, max_size=2)),
                "assumed": maybe(st.lists(TEXT, max_size=2)),
            }
        )
        | JSON
    )
    body: dict[str, Any] = {"state": state}
    if draw(st.booleans()):
        body["reply"] = draw(maybe(TEXT | NUMBERS.map(str) | st.just("9" * 400)))
    if draw(st.booleans()):
        body["language"] = draw(maybe(st.sampled_from(["en", "de", "xx"])))
    if draw(st.booleans()):
        body["correct"] = draw(
            maybe(
                st.fixed_dictionaries(
                    {
                        "field": maybe(
                            st.sampled_from(["parents.income.adjusted_gross_income", "award_year"])
                        ),
                        "value": JSON,
                    }
                )
            )
        )
    return body


FLOW_URLS = st.sampled_from([FLOW_URL, "/v1/flows/student-aid/nope", "/v1/flows/x/y"]) | st.builds(
    lambda a, b: f"/v1/flows/{url_part(a)}/{url_part(b)}", TEXT, TEXT
)


@EXAMPLES
@given(url=FLOW_URLS, body=flow_bodies() | JSON | DEEP)
def test_flows_never_fail_on_input(client: TestClient, url: str, body: Any) -> None:
    check(post(client, url, body))


USUAL_REPLIES = {"award_year": "2025-26", "date_of_birth": "2007-05-01", "state": "OH"}
USUAL_BY_TYPE = {"yes_no": "no", "money": "1000", "integer": "4", "date": "2007-05-01"}


@pytest.fixture(scope="module")
def flow_states(client: TestClient) -> list[dict[str, Any]]:
    """The state before each question of one whole walk through the estimator."""
    states: list[dict[str, Any]] = []
    body = client.post(FLOW_URL, json={}).json()
    for _ in range(100):
        step = body["step"]
        if step is None:
            return states
        assert not step["error"], step
        states.append(body["state"])
        reply = USUAL_REPLIES.get(step["id"]) or USUAL_BY_TYPE.get(step["type"])
        if reply is None:
            reply = str(step["options"][0]["value"])
        body = client.post(FLOW_URL, json={"state": body["state"], "reply": reply}).json()
    raise AssertionError("the estimator did not finish")


@EXAMPLES
@given(
    data=st.data(),
    reply=TEXT
    | NUMBERS.map(str)
    | st.from_regex(r"-?[0-9][0-9.,]{0,40}k?", fullmatch=True)
    | st.integers(min_value=300, max_value=480).map(lambda n: "9" * n),
)
def test_every_reply_to_every_question_is_read_or_asked_again(
    client: TestClient, flow_states: list[dict[str, Any]], data: st.DataObject, reply: str
) -> None:
    state = data.draw(st.sampled_from(flow_states))
    check(post(client, FLOW_URL, {"state": state, "reply": reply}))


@EXAMPLES
@given(
    data=st.data(), value=JSON | st.integers(min_value=300, max_value=480).map(lambda n: "9" * n)
)
def test_every_correction_of_every_answer_is_read_or_asked_again(
    client: TestClient, flow_states: list[dict[str, Any]], data: st.DataObject, value: Any
) -> None:
    state = flow_states[-1]
    field = data.draw(st.sampled_from(sorted(state["answers"])))
    check(post(client, FLOW_URL, {"state": state, "correct": {"field": field, "value": value}}))
    bad = copy.deepcopy(state)
    bad["answers"][field] = value
    check(post(client, FLOW_URL, {"state": bad, "reply": "1"}))


# --- models and the page -----------------------------------------------------------------


@EXAMPLES
@given(path=TEXT, query=TEXT)
def test_models_and_page_routes_never_fail(client: TestClient, path: str, query: str) -> None:
    check(client.get("/v1/models"))
    check(client.get("/?q=" + url_part(query)))
    check(client.get("/static/" + url_part(path, safe="/")))
    check(client.get("/" + url_part(path, safe="/")))
