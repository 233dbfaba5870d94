"""Data answers over HTTP: a routed chat answer carries its rows and chart; the CSV route.

The fake tools of tests/answer/test_tool_route.py are put on a server whose answerer reads
no index (a routed answer never retrieves), so these tests need no embedding model.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from civicllm.answer.grounded import GroundedAnswerer
from civicllm.charts import chart_rows
from civicllm.config import Settings
from civicllm.server import create_app
from tests.answer.test_grounded_stream import FakeIndex
from tests.answer.test_tool_route import REGISTRY, SERIES, fake_pack, run_series, view_series

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def data_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A server with the fake tools and a pack that routes to them."""
    app = create_app(Settings(engine="echo", home=tmp_path / "home", grounding=False))
    state = app.state.civic
    pack = fake_pack(tmp_path)
    state.tools.update(REGISTRY)
    state.packs[pack.id] = pack
    answerer = GroundedAnswerer(state.engine, FakeIndex([]), tools=REGISTRY)
    answerer._synced.update(state.packs)  # nothing to index: a routed answer never retrieves
    state.answerer = answerer
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


def csv_path(tool_input: dict[str, Any], lang: str = "en") -> str:
    return f"/v1/data/fake--series.csv?input={quote(json.dumps(tool_input))}&lang={lang}"


async def test_csv_serves_exactly_the_plotted_rows(tmp_path: Path) -> None:
    tool_input = {"place": "Kenya", "start": 2000}
    async with data_client(tmp_path) as client:
        response = await client.get(csv_path(tool_input))
        record = client.app.state.civic.audit.records()[-1]  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    chart = view_series(run_series(tool_input), "en").chart
    assert chart is not None
    assert rows[0] == ["Series", "Year", "% of people"]
    assert [(n, int(x), float(y)) for n, x, y in rows[1:-1]] == chart_rows(chart)
    assert rows[-1][0].startswith("Source: Example Statistics")
    assert "CC BY 4.0" in rows[-1][0]
    assert record["kind"] == "tool"
    assert record["tool"]["id"] == "fake/series" and record["tool"]["input"] == tool_input


@pytest.mark.parametrize(
    ("path", "status", "param"),
    [
        ("/v1/data/fake--series.csv", 400, "input"),
        ("/v1/data/fake--series.csv?input=%7Bnot%20json", 400, "input"),
        ("/v1/data/fake--series.csv?input=%5B1%5D", 400, "input"),
        ("/v1/data/fake--series.csv?input=%7B%22place%22%3A%22Atlantis%22%7D", 400, "place"),
        ("/v1/data/fake--value.csv?input=%7B%22place%22%3A%22Kenya%22%7D", 400, "input"),
        ("/v1/data/fake--nothing.csv?input=%7B%7D", 404, "name"),
        ("/v1/data/fake--series.csv?input=%7B%22place%22%3A%22Kenya%22%7D&lang=xx", 400, "lang"),
    ],
)
async def test_bad_csv_requests_are_openai_shaped_errors(
    tmp_path: Path, path: str, status: int, param: str
) -> None:
    async with data_client(tmp_path) as client:
        response = await client.get(path)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["param"] == param
    assert error["message"] and error["type"]
    assert "request body" not in error["message"]  # the input is in the query string


def ask(question: str, **extra: Any) -> dict[str, Any]:
    return {"model": "fake", "messages": [{"role": "user", "content": question}], **extra}


async def test_a_routed_chat_answer_carries_data_chart_and_citations(tmp_path: Path) -> None:
    async with data_client(tmp_path) as client:
        response = await client.post(
            "/v1/chat/completions", json=ask("How has it changed since 2000 in Kenya?")
        )
        body = response.json()
        csv_url = body["civicllm"]["chart"]["csv_url"]
        rows = list(csv.reader(io.StringIO((await client.get(csv_url)).text)))
    assert response.status_code == 200
    message = body["choices"][0]["message"]
    assert message["content"].startswith("The share rose from 15.2% in 2000 to 76.3% in 2023 [1].")
    ext = body["civicllm"]
    assert ext["grounding"] == "tool"
    assert ext["tool"]["id"] == "fake/series" and ext["tool"]["version"] == "1.2.0"
    assert ext["data"] == run_series({"place": "Kenya", "start": 2000})["data"]
    chart = ext["chart"]
    assert set(chart) == {"kind", "title", "svg", "csv_url"}
    assert ET.fromstring(chart["svg"]).get("role") == "img"
    [annotation] = message["annotations"]
    cite = annotation["url_citation"]
    assert message["content"][cite["start_index"] : cite["end_index"]].endswith(cite["url"])
    plotted = view_series(run_series({"place": "Kenya", "start": 2000}), "en").chart
    assert plotted is not None
    assert [(n, int(x), float(y)) for n, x, y in rows[1:-1]] == chart_rows(plotted)


async def test_a_single_value_has_no_chart_and_streams_its_extension(tmp_path: Path) -> None:
    async with data_client(tmp_path) as client:
        response = await client.post(
            "/v1/chat/completions", json=ask("What is the share in Kenya?", stream=True)
        )
    events = [
        json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: {")
    ]
    text = "".join(e["choices"][0]["delta"].get("content") or "" for e in events)
    last = events[-1]["choices"][0]
    assert text.startswith("In 2023, 76.3% of people in Kenya had the service [1].")
    assert last["finish_reason"] == "stop"
    ext = last["delta"]["civicllm"]
    assert ext["grounding"] == "tool" and "chart" not in ext
    assert [row["value"] for row in ext["data"]] == [76.25]
    assert last["delta"]["annotations"][0]["url_citation"]["url"].startswith("https://example")


async def test_an_unknown_place_is_a_plain_answer_not_an_error(tmp_path: Path) -> None:
    async with data_client(tmp_path) as client:
        response = await client.post(
            "/v1/chat/completions", json=ask("¿Cuál es la proporción en Atlantis?")
        )
    assert response.status_code == 200
    body = response.json()
    assert body["choices"][0]["message"]["content"].startswith("No encontré «Atlantis»")
    assert body["civicllm"]["data"] == [] and body["civicllm"]["found"] is False
    assert SERIES.id not in body["civicllm"]["tool"]["id"]


# --- the real water-energy assistant, end to end ------------------------------------------


@pytest.fixture(scope="module")
def data_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home for this module: the snapshot is imported from the shipped files once."""
    return tmp_path_factory.mktemp("water-energy-home")


@asynccontextmanager
async def water_client(home: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The server as shipped (echo engine), with an answerer that reads no index."""
    app = create_app(Settings(engine="echo", home=home, grounding=False))
    state = app.state.civic
    answerer = GroundedAnswerer(state.engine, FakeIndex([]), tools=state.tools)
    answerer._synced.update(state.packs)
    state.answerer = answerer
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.mark.parametrize(
    ("question", "language", "tool_id", "charted"),
    [
        ("How has access to electricity changed in Kenya since 2000?", "en", "series", True),
        (
            "¿Qué porcentaje de la población de Kenia tenía electricidad en 2020?",
            "es",
            "value",
            False,
        ),
        (
            "Comparez l'accès à l'électricité au Tchad, au Kenya et au Nigeria",
            "fr",
            "compare",
            True,
        ),
        (
            "Wie viele Menschen in Nigeria haben keinen Zugang zu Strom?",
            "de",
            "without-access",
            False,
        ),
    ],
)
async def test_water_energy_answers_from_its_tools_in_each_language(
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    question: str,
    language: str,
    tool_id: str,
    charted: bool,
) -> None:
    from civicllm.answer.tool_route import numbers_in, stated_numbers

    monkeypatch.setenv("CIVICLLM_HOME", str(data_home))
    async with water_client(data_home) as client:
        body = (
            await client.post(
                "/v1/chat/completions",
                json={
                    "model": "water-energy",
                    "messages": [{"role": "user", "content": question}],
                    "language": language,
                },
            )
        ).json()
        ext = body["civicllm"]
        tool = client.app.state.civic.tools[ext["tool"]["id"]]  # type: ignore[attr-defined]
        result = tool.run(ext["tool"]["input"])
        csv_text = (await client.get(ext["chart"]["csv_url"])).text if charted else ""
    content = body["choices"][0]["message"]["content"]
    assert ext["grounding"] == "tool" and ext["language"] == language
    assert ext["tool"]["id"] == f"water-energy/{tool_id}"
    assert ext["data"] == result["data"] and ext["data"]  # the rows the tool gives, no others
    answer_text = re.sub(r"\[\d+\]", "", content.split("\n\n")[0])
    allowed = stated_numbers(result, ext["tool"]["input"])
    stated = numbers_in(answer_text, language)
    assert stated and all(n in allowed or -n in allowed for n in stated), (stated, content)
    urls = {a["url_citation"]["url"] for a in body["choices"][0]["message"]["annotations"]}
    assert urls and all(u.startswith("https://data.worldbank.org/indicator/") for u in urls)
    assert ("chart" in ext) is charted
    if charted:
        view = tool.view(result, language)
        assert view is not None and view.chart is not None
        rows = list(csv.reader(io.StringIO(csv_text)))[1:-1]
        assert [(n, x, float(y)) for n, x, y in rows] == [
            (n, str(x), y) for n, x, y in chart_rows(view.chart)
        ]
