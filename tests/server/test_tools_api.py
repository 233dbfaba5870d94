"""The tool routes: the student aid estimate over HTTP, errors as OpenAI bodies, audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.anyio

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "student_aid"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def first_vector() -> dict[str, Any]:
    if not (VECTORS / "ed_test_vectors.jsonl").exists():
        pytest.skip("shared/data/student_aid is not checked out next to the repository")
    line = (VECTORS / "ed_test_vectors.jsonl").read_text().splitlines()[0]
    return dict(json.loads(line))


async def test_tools_are_listed_with_schema(make_client: Any) -> None:
    async with make_client() as client:
        body = (await client.get("/v1/tools")).json()
    tool = next(t for t in body["data"] if t["id"] == "student-aid/estimate")
    assert tool["input_schema"]["type"] == "object"
    assert "award_year" in tool["input_schema"]["properties"]
    assert tool["function"]["name"] == "student-aid__estimate"


async def test_estimate_matches_the_department_of_educations_record(make_client: Any) -> None:
    case = first_vector()
    async with make_client() as client:
        response = await client.post("/v1/tools/student-aid/estimate", json=case["input"])
        record = client.app.state.civic.audit.records()[-1]  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.json()["sai"] == case["expected"]["sai"]
    assert record["kind"] == "tool" and record["tool"]["id"] == "student-aid/estimate"
    assert record["tool"]["version"]


async def test_a_tool_with_a_view_answers_its_view_in_the_asked_language(
    make_client: Any,
) -> None:
    case = first_vector()
    async with make_client() as client:
        english = (await client.post("/v1/tools/student-aid/estimate", json=case["input"])).json()
        spanish = await client.post(
            "/v1/tools/student-aid/estimate?language=es", json=case["input"]
        )
        header = await client.post(
            "/v1/tools/student-aid/estimate",
            json=case["input"],
            headers={"Accept-Language": "es-MX,es;q=0.9"},
        )
        record = client.app.state.civic.audit.records()[-1]  # type: ignore[attr-defined]
    view = english["view"]
    assert {"title", "figures", "tables", "notes", "sources", "sentences"} <= set(view)
    assert case["expected"]["sai"] in [figure["value"] for figure in view["figures"]]
    assert spanish.status_code == 200
    assert spanish.json()["view"]["title"] != view["title"]  # localized
    assert header.json()["view"] == spanish.json()["view"]
    assert "view" not in record["tool"]["output"]  # the audit keeps the result, not its view


@pytest.mark.parametrize(
    ("patch", "param"),
    [
        ({"award_year": "1999-00"}, "award_year"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
async def test_bad_estimate_input_is_a_field_level_400(
    make_client: Any, patch: dict[str, Any], param: str
) -> None:
    case = first_vector()
    async with make_client() as client:
        response = await client.post(
            "/v1/tools/student-aid/estimate", json={**case["input"], **patch}
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param and error["type"] == "invalid_request_error"


async def test_unknown_tool_and_non_object_body(make_client: Any) -> None:
    async with make_client() as client:
        missing = await client.post("/v1/tools/nope", json={})
        listed = await client.post("/v1/tools/student-aid/estimate", json=[1, 2])
        garbage = await client.post("/v1/tools/student-aid/estimate", content=b"{oops")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "tool_not_found"
    assert listed.status_code == 400
    assert garbage.status_code == 400 and garbage.json()["error"]["code"] == "invalid_json"
