"""POST /v1/flows/small-business/size: the guided size check over HTTP with the real tools.

The app runs in-process (echo engine, no grounding): the NAICS search and the size check
are the installed plug-in's, run from the runtime's registry, and the result must be what
POST /v1/tools/small-business/size-check answers for the request the flow built.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from civicllm.config import Settings
from civicllm.server import create_app

pytestmark = pytest.mark.anyio

URL = "/v1/flows/small-business/size"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(engine="echo", home=tmp_path, grounding=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as c:
            yield c


async def turn(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post(URL, json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def reply_all(
    client: httpx.AsyncClient, body: dict[str, Any], replies: list[str]
) -> dict[str, Any]:
    for reply in replies:
        assert body["step"] is not None, f"the flow ended before {reply!r}"
        body = await turn(client, state=body["state"], reply=reply)
        assert body["step"] is None or body["step"]["error"] is None, body["step"]
    return body


async def test_a_spanish_description_plays_through_to_the_size_checks_answer(
    client: httpx.AsyncClient,
) -> None:
    body = await turn(client, state=None, language="es")
    assert body["title"] == "¿Es mi empresa una pequeña empresa?"
    step = body["step"]
    assert step["type"] == "lookup" and step["options"] is None and step["query"] is None
    body = await turn(client, state=body["state"], reply="ingeniería")
    step = body["step"]
    assert step["query"] == "ingeniería" and step["question"].startswith("Estas industrias")
    options = {o["value"]: o for o in step["options"]}
    assert options["541330-1"]["label"].startswith("541330 Excepción 1: Military")
    assert options["541330-1"]["detail"].endswith("47.000.000 $ o menos")
    # The state holds the text searched for, not the options.
    assert body["state"]["queries"] == {"flow.industry": "ingeniería"}
    years = ["40000000", "42.000.000", "44000000", "46000000", "48000000"]
    body = await reply_all(client, body, ["541330-1", "sí", "no", *years, "sí", *["1000000"] * 5])
    result = body["result"]
    assert result is not None and body["step"] is None
    assert result["request"] == {
        "naics": "541330",
        "exception": 1,
        "receipts": {"fiscal_years": [40000000, 42000000, 44000000, 46000000, 48000000]},
        "affiliates": [{"receipts": {"fiscal_years": [1000000] * 5}}],
    }
    direct = await client.post(
        "/v1/tools/small-business/size-check?language=es", json=result["request"]
    )
    assert direct.status_code == 200
    expected = direct.json()
    assert result["view"] == expected.pop("view")
    assert result["output"] == expected
    # $44M + $1M = $45M average, under the exception's $47M; the worksheet shows each year.
    assert expected["small"] is True and expected["measured"]["value"] == 45000000
    assert len(result["view"]["tables"][0]["rows"]) >= 10
    rows = {r["field"]: r for r in result["answers"]}
    assert rows["flow.industry"]["display"].startswith("541330 Excepción 1")
    assert rows["flow.industry"]["value"] == "ingeniería"


async def test_changing_the_industry_over_http_asks_for_the_new_standards_figures(
    client: httpx.AsyncClient,
) -> None:
    body = await turn(client, state=None, language="en", reply="541511")
    years = ["30000000", "31000000", "33000000", "34000000", "36000000"]
    body = await reply_all(client, body, ["541511", "yes", "no", *years, "no"])
    assert body["result"]["output"]["small"] is True
    body = await turn(
        client, state=body["state"], correct={"field": "flow.industry", "value": "311812"}
    )
    assert body["step"]["id"] == "industry" and body["step"]["options"][0]["value"] == "311812"
    body = await turn(client, state=body["state"], reply="311812")
    assert body["step"]["id"] == "pay_periods" and body["step"]["type"] == "integer_list"
    body = await reply_all(client, body, ["1,200; 1,100"])
    result = body["result"]
    assert result["request"] == {"naics": "311812", "employees": {"pay_periods": [1200, 1100]}}
    assert result["output"]["small"] is False  # 1,150 employees, standard 1,000


async def test_a_search_the_tool_refuses_is_asked_again_in_the_users_language(
    client: httpx.AsyncClient,
) -> None:
    body = await turn(client, state=None, language="de", reply="999999")
    step = body["step"]
    assert step["id"] == "industry" and step["options"] is None
    assert step["error"].startswith("Für „999999“ haben wir keine Branche gefunden.")
    assert "queries" not in body["state"]


async def test_a_tampered_choice_in_the_state_is_a_400_naming_the_state(
    client: httpx.AsyncClient,
) -> None:
    body = await turn(client, state=None, reply="541511")
    body = await turn(client, state=body["state"], reply="1")
    state = body["state"]
    state["answers"]["flow.industry"]["fields"]["as_of"] = "1999-01-01"
    response = await client.post(URL, json={"state": state, "reply": "no"})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "state"
