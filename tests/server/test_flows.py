"""POST /v1/flows/{pack}/{flow}, in-process through the full app with the echo engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from civicllm.tools.base import Tool
from tests.answer.estimator_replies import DEPENDENT_REPLIES

pytestmark = pytest.mark.anyio

URL = "/v1/flows/student-aid/estimator"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def ensure_estimate_tool(app: Any) -> None:
    """Make sure the app has the calculator, even where the registry leaves it out."""
    from civicllm.tools.student_aid import TOOLS

    tools = app.state.civic.tools
    for tool in TOOLS:
        tools.setdefault(tool.id, tool)


async def complete(client: Any, language: str = "en") -> dict[str, Any]:
    """Drive the estimator to its result through the API; return the last response body."""
    response = await client.post(URL, json={"state": None, "language": language})
    assert response.status_code == 200, response.text
    body = response.json()
    for _ in range(60):
        if body["result"] is not None:
            return body
        step = body["step"]
        assert step["error"] is None, step
        reply = DEPENDENT_REPLIES.get(step["id"], "no" if step["type"] == "yes_no" else "0")
        response = await client.post(URL, json={"state": body["state"], "reply": reply})
        assert response.status_code == 200, response.text
        body = response.json()
    raise AssertionError("the estimator did not finish")


async def test_first_call_returns_the_first_question(make_client: Any) -> None:
    async with make_client() as client:
        response = await client.post(URL, json={"state": None, "language": "de"})
    assert response.status_code == 200
    body = response.json()
    assert body["result"] is None
    step = body["step"]
    assert set(step) >= {"question", "why", "where_to_find", "type", "options", "error"}
    assert step["type"] == "choice" and "Studienjahr" in step["question"]
    assert body["state"]["language"] == "de" and body["state"]["answers"] == {}


async def test_dependent_student_gets_the_calculators_sai(make_client: Any) -> None:
    from civicllm.tools.student_aid import estimate

    async with make_client() as client:
        ensure_estimate_tool(client.app)
        body = await complete(client)
    result = body["result"]
    assert body["step"] is None
    direct = estimate(result["request"])
    assert result["output"] == direct
    figures = {f["key"]: f["value"] for f in result["view"]["figures"]}
    assert figures == {
        "sai": direct["sai"],
        "pell_grant": direct["pell_grant"],
        "dependency_status": "dependent",
    }
    assert result["request"]["parents"]["income"]["adjusted_gross_income"] == 65000
    assert len(result["view"]["tables"][0]["rows"]) == len(direct["worksheet"]) > 5


async def test_correction_is_recomputed_by_the_tool(make_client: Any) -> None:
    seen: list[dict[str, Any]] = []

    def fake(request: Any) -> dict[str, Any]:
        seen.append(request)
        agi = request["parents"]["income"]["adjusted_gross_income"]
        return {
            "award_year": "2025-26",
            "dependency_status": "dependent",
            "sai": agi // 10,
            "pell_grant": 0,
            "worksheet": [],
            "notes": [],
        }

    async with make_client() as client:
        client.app.state.civic.tools["student-aid/estimate"] = Tool(
            id="student-aid/estimate",
            version="0",
            description="fake",
            input_schema={},
            run=fake,
        )
        body = await complete(client)
        assert body["result"]["output"]["sai"] == 6500
        response = await client.post(
            URL,
            json={
                "state": body["state"],
                "correct": {"field": "parents.income.adjusted_gross_income", "value": "70,000"},
                "language": "fr",
            },
        )
    assert response.status_code == 200
    fixed = response.json()
    assert fixed["result"]["output"]["sai"] == 7000
    assert fixed["state"]["language"] == "fr"
    assert any("SAI" in line and "7" in line for line in fixed["result"]["explanation"])


async def test_invalid_reply_is_a_step_error_not_an_http_error(make_client: Any) -> None:
    async with make_client() as client:
        first = (await client.post(URL, json={"state": None, "language": "es"})).json()
        response = await client.post(URL, json={"state": first["state"], "reply": "mañana"})
    assert response.status_code == 200
    step = response.json()["step"]
    assert step["id"] == "award_year" and step["error"]
    assert "opciones" in step["error"]


@pytest.mark.parametrize(
    ("url", "body", "status", "param"),
    [
        ("/v1/flows/student-aid/nope", {"state": None}, 404, "flow"),
        ("/v1/flows/no-such-pack/estimator", {"state": None}, 404, "pack"),
        (URL, {"state": {"version": 1, "flow": "other", "answers": {}}}, 400, "state"),
        (URL, {"state": {"version": 1, "flow": "estimator", "answers": {"x.y": 1}}}, 400, "state"),
    ],
)
async def test_bad_requests_get_openai_shaped_errors(
    make_client: Any, url: str, body: dict[str, Any], status: int, param: str
) -> None:
    async with make_client() as client:
        response = await client.post(url, json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["param"] == param
    assert error["message"] and error["type"] == "invalid_request_error"


async def test_unknown_body_fields_are_refused(make_client: Any) -> None:
    async with make_client() as client:
        response = await client.post(URL, json={"state": None, "ssn": "123-45-6789"})
    assert response.status_code in (400, 422)
    assert "error" in response.json()


async def test_pack_flows_are_listed_with_titles_in_the_asked_language(make_client: Any) -> None:
    async with make_client() as client:
        spanish = await client.get("/v1/flows/student-aid", params={"language": "es"})
        missing = await client.get("/v1/flows/no-such-pack")
    assert spanish.status_code == 200, spanish.text
    flows = spanish.json()["data"]
    assert [f["id"] for f in flows] == ["estimator"]
    assert flows[0]["tool"] == "student-aid/estimate"
    assert flows[0]["title"].startswith("Calcule su")
    assert flows[0]["url"] == URL
    assert missing.status_code == 404 and missing.json()["error"]["param"] == "pack"


METER_FLOW = """
id: meter
tool: city-water/bill
languages: [en, es]
title: {en: Check your water bill, es: Revise su factura de agua}
messages:
  invalid_integer: {en: "A whole number, please."}
steps:
  - id: reading
    field: meter.reading
    type: integer
    question: {en: "What does your meter read?", es: "¿Qué marca su contador?"}
result:
  explanation:
    - text: {en: "You owe {total} for {used}.", es: "Debe {total} por {used}."}
"""


def bill(request: Any) -> dict[str, Any]:
    used = request["meter"]["reading"] - 1000
    return {"used": used, "total": 2 * used, "notes": ["Read today."]}


def bill_view(result: Any, language: str) -> Any:
    from civicllm.tools.view import Figure, ToolView

    return ToolView(
        title="Bill" if language == "en" else "Factura",
        figures=(
            Figure(key="total", label="Due", value=result["total"], unit="USD"),
            Figure(key="used", label="Used", value=result["used"], unit="m3"),
        ),
        notes=tuple(result["notes"]),
    )


@pytest.mark.parametrize("with_view", [True, False])
async def test_any_packs_flow_ends_with_its_tools_view(
    make_client: Any, tmp_path: Path, with_view: bool
) -> None:
    from civicllm.packs.loader import Pack

    folder = tmp_path / "city-water"
    (folder / "flows").mkdir(parents=True)
    (folder / "flows" / "meter.yaml").write_text(METER_FLOW, encoding="utf-8")
    tool = Tool(
        id="city-water/bill",
        version="1",
        description="A water bill.",
        input_schema={},
        run=bill,
        view=bill_view if with_view else None,
    )
    async with make_client() as client:
        client.app.state.packs["city-water"] = Pack(
            id="city-water", name="City water", description="", dir=folder
        )
        client.app.state.civic.tools[tool.id] = tool
        listed = (await client.get("/v1/flows/city-water", params={"language": "es"})).json()
        first = (await client.post("/v1/flows/city-water/meter", json={"language": "es"})).json()
        done = await client.post(
            "/v1/flows/city-water/meter", json={"state": first["state"], "reply": "1.250"}
        )
    assert [(f["id"], f["title"]) for f in listed["data"]] == [
        ("meter", "Revise su factura de agua")
    ]
    assert first["step"]["question"] == "¿Qué marca su contador?"
    result = done.json()["result"]
    assert result["tool"] == "city-water/bill"
    assert result["output"] == {"used": 250, "total": 500, "notes": ["Read today."]}
    assert result["request"] == {"meter": {"reading": 1250}}
    assert "Read today." in result["notes"]
    figures = {f["key"]: f for f in result["view"]["figures"]}
    assert figures["total"]["value"] == 500 and figures["used"]["value"] == 250
    if with_view:
        assert result["view"]["title"] == "Factura"
        assert result["explanation"] == ["Debe 500 $ por 250 m3."]
    else:
        # Without a view of its own, the result's top-level numbers are its figures.
        assert result["view"]["title"] == "Revise su factura de agua"
        assert result["explanation"] == ["Debe 500 por 250."]
