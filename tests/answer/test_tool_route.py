"""Routed tool answers: a question a pack's tool reads is answered by the tool, verified.

The tools here are fakes over a tiny table, registered only in these tests, so each test
controls exactly what the tool finds and what its view says.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from civicllm.answer.grounded import GroundedAnswerer
from civicllm.answer.loop import ReplyEvent
from civicllm.answer.tool_route import (
    ToolRoute,
    answer_routed,
    csv_url,
    numbers_in,
    pack_tools,
    route_question,
    stated_numbers,
    tool_from_csv_name,
)
from civicllm.engines.base import GenerationRequest
from civicllm.errors import InputError
from civicllm.packs.loader import Pack
from civicllm.tools.base import Tool
from civicllm.tools.view import Chart, Figure, Series, SourceRef, ToolView
from tests.answer.test_grounded_stream import HOURS, FakeIndex, ScriptedEngine

pytestmark = pytest.mark.anyio

PLACES = {"KEN": "Kenya", "TCD": "Chad"}
NAMES = {"kenya": "KEN", "kenia": "KEN", "chad": "TCD", "tchad": "TCD", "tschad": "TCD"}
SHARE = {("KEN", 2000): 15.2, ("KEN", 2010): 19.2, ("KEN", 2023): 76.25, ("TCD", 2023): 11.8}
POPULATION = {("KEN", 2023): 55_100_586}
PAGE = "https://example.org/indicator/SHARE"
POP_PAGE = "https://example.org/indicator/POP"
SOURCE = SourceRef("Example Statistics", PAGE, "CC BY 4.0", "2026-07-01")
WORDS = {
    "en": "In {year}, {value}% of people in {place} had the service.",
    "es": "En {year}, el {value} % de la población de {place} tenía el servicio.",
    "fr": "En {year}, {value} % de la population de {place} avait le service.",
    "de": "Im Jahr {year} hatten {value} % der Menschen in {place} den Dienst.",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def entry(place: str, year: int, value: float, *, page: str = PAGE) -> dict[str, Any]:
    return {
        "country_code": place,
        "country": PLACES[place],
        "indicator": "SHARE",
        "indicator_name": "Share with the service (%)",
        "year": year,
        "value": value,
        "unit": "%",
        "dataset": "Example Statistics",
        "release": "2026-07-01",
        "source_url": f"{page}?locations={place[:2]}",
        "derived": None,
    }


def place_of(text: str) -> str:
    code = NAMES.get(text.casefold(), text.upper())
    if code not in PLACES:
        raise InputError(f"Unknown place {text!r}.", param="place")
    return code


def run_value(request: Mapping[str, Any]) -> dict[str, Any]:
    code = place_of(str(request["place"]))
    year = max(y for (c, y) in SHARE if c == code)
    return {
        "data": [entry(code, year, SHARE[(code, year)])],
        "missing": [],
        "notes": [],
        "chart": None,
    }


def fmt(value: float, language: str) -> str:
    text = f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding='ROUND_HALF_UP')}"
    return text if language == "en" else text.replace(".", ",")


def view_value(result: Mapping[str, Any], language: str) -> ToolView:
    row = result["data"][0]
    sentence = WORDS[language].format(
        year=row["year"], value=fmt(row["value"], language), place=row["country"]
    )
    extra = tuple(result.get("planted", ()))
    return ToolView(
        title=row["country"],
        figures=(Figure("value", row["country"], row["value"], "%"),),
        sources=(SOURCE,),
        sentences=(sentence, *extra),
    )


def run_series(request: Mapping[str, Any]) -> dict[str, Any]:
    code = place_of(str(request["place"]))
    start = int(request.get("start") or 0)
    data = [entry(code, y, v) for (c, y), v in sorted(SHARE.items()) if c == code and y >= start]
    first, last = data[0], data[-1]
    change = round(last["value"] - first["value"], 2)
    data.append(
        {
            **entry(code, last["year"], change),
            "indicator_name": "Change (percentage points)",
            "source_url": None,
            "derived": {"formula": "value[last] - value[first]", "inputs": [0, len(data) - 1]},
        }
    )
    chart = Chart(
        kind="line",
        title=f"Share with the service, {PLACES[code]}",
        x_label="Year",
        y_label="% of people",
        series=(Series(PLACES[code], tuple((d["year"], d["value"]) for d in data[:-1])),),
        source="Example Statistics, release 2026-07-01",
    )
    return {"data": data, "missing": [], "notes": [], "chart": chart.to_json()}


def view_series(result: Mapping[str, Any], language: str) -> ToolView:
    rows = result["data"]
    first, last, change = rows[0], rows[-2], rows[-1]
    chart = result["chart"]
    return ToolView(
        title=chart["title"],
        chart=Chart(
            kind="line",
            title=chart["title"],
            x_label=chart["x_label"],
            y_label=chart["y_label"],
            series=tuple(
                Series(s["name"], tuple((x, y) for x, y in s["points"])) for s in chart["series"]
            ),
            source=chart["source"],
        ),
        sources=(SOURCE,),
        sentences=(
            f"The share rose from {fmt(first['value'], 'en')}% in {first['year']} to "
            f"{fmt(last['value'], 'en')}% in {last['year']}.",
            f"That is {fmt(change['value'], 'en')} percentage points more.",
        ),
    )


def route_value(question: str, language: str) -> dict[str, Any] | None:
    found = re.search(r"(?:in|en|au|für) ([A-Za-zé]+)\??$", question)
    return {"place": found.group(1)} if found else None


def route_series(question: str, language: str) -> dict[str, Any] | None:
    found = re.search(r"since (\d{4}) in ([A-Za-z]+)", question)
    if found is None:
        return None
    return {"place": found.group(2), "start": int(found.group(1))}


VALUE = Tool(
    id="fake/value",
    version="1.0.0",
    description="The latest value for a place.",
    input_schema={"type": "object"},
    run=run_value,
    view=view_value,
    route=route_value,
)
SERIES = Tool(
    id="fake/series",
    version="1.2.0",
    description="A value over the years.",
    input_schema={"type": "object"},
    run=run_series,
    view=view_series,
    route=route_series,
)
UNROUTED = Tool(
    id="fake/plain",
    version="1.0.0",
    description="No route.",
    input_schema={"type": "object"},
    run=run_value,
)
REGISTRY = {t.id: t for t in (VALUE, SERIES, UNROUTED)}


def fake_pack(tmp_path: Path) -> Pack:
    return Pack(
        id="fake",
        name="Fake data",
        description="Answers from a tiny table.",
        dir=tmp_path,
        languages=("en", "es", "fr", "de"),
        tools=("fake/plain", "fake/series", "fake/value"),
    )


def test_pack_tools_keep_routable_ones_in_pack_order(tmp_path: Path) -> None:
    assert [t.id for t in pack_tools(fake_pack(tmp_path), REGISTRY)] == [
        "fake/series",
        "fake/value",
    ]


def test_route_question_asks_each_tool_in_order() -> None:
    tools = [SERIES, VALUE]
    routed = route_question(tools, "How has it changed since 2010 in Kenya", "en")
    assert routed is not None and routed.tool is SERIES
    assert routed.input == {"place": "Kenya", "start": 2010}
    routed = route_question(tools, "What is the share in Kenya?", "en")
    assert routed is not None and routed.tool is VALUE
    assert route_question(tools, "What does the share measure?", "en") is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("In 2023, 76.3% of 55,100,586 people.", "en", ["2023", "76.3", "55100586"]),
        ("En 2023, el 76,3 % de 55.100.586 personas.", "es", ["2023", "76.3", "55100586"]),
        ("En 2023, 76,3 % de 55\u202f100\u202f586 personnes.", "fr", ["2023", "76.3", "55100586"]),
        ("Im Jahr 2023 hatten 76,3 % von 55.100.586 Menschen.", "de", ["2023", "76.3", "55100586"]),
        ("It fell by −3.4 points; ISO3 codes have no number.", "en", ["-3.4"]),
        ("1,234 is a thousand in English", "en", ["1234"]),
        ("1,234 ist eine Dezimalzahl", "de", ["1.234"]),
    ],
)
def test_numbers_in_reads_each_language(text: str, language: str, expected: list[str]) -> None:
    assert numbers_in(text, language) == [Decimal(e) for e in expected]


def test_stated_numbers_are_the_data_its_roundings_and_the_asked_input() -> None:
    result = {
        "data": [entry("KEN", 2023, 76.25), {**entry("KEN", 2023, 55100586.4), "unit": "people"}],
        "missing": [{"place": "KEN", "indicator": "SHARE", "year": 1960, "reason": "no value"}],
        "notes": [{"kind": "coverage", "text": "from 1 of 48 countries", "countries": 1}],
    }
    allowed = stated_numbers(result, {"limit": 5})
    for number in ("76.25", "76.3", "76.2", "76", "2023", "55100586", "1960", "1", "5"):
        assert Decimal(number) in allowed
    for number in ("76.4", "77", "2022", "48", "55100587"):
        assert Decimal(number) not in allowed


def test_value_answer_states_the_tool_number_and_cites_the_dataset() -> None:
    answer = answer_routed(ToolRoute(VALUE, {"place": "Kenya"}), "en")
    body, _, references = answer.text.partition("\n\nSources:\n")
    assert body == "In 2023, 76.3% of people in Kenya had the service [1]."
    assert references.startswith("[1] Example Statistics: Share with the service (%)")
    ext = answer.extension
    assert ext["grounding"] == "tool"
    assert ext["tool"] == {"id": "fake/value", "version": "1.0.0", "input": {"place": "Kenya"}}
    assert ext["data"] == run_value({"place": "Kenya"})["data"]
    assert ext["found"] is True and ext["dropped"] == []
    assert "chart" not in ext  # a single value has no chart
    [annotation] = answer.annotations
    cite = annotation["url_citation"]
    assert annotation["type"] == "url_citation"
    assert cite["url"] == f"{PAGE}?locations=KE"
    assert answer.text[cite["start_index"] : cite["end_index"]].startswith("[1] ")
    assert answer.text[cite["start_index"] : cite["end_index"]].endswith(cite["url"])


def test_every_number_in_the_answer_is_in_its_data() -> None:
    answer = answer_routed(ToolRoute(SERIES, {"place": "KEN", "start": 2000}), "en")
    body = answer.text.split("\n\n")[0]
    allowed = stated_numbers(run_series({"place": "KEN", "start": 2000}), {"start": 2000})
    stated = [n for n in numbers_in(body, "en") if n not in (1,)]  # [1] markers
    assert stated and all(abs(n) in allowed or n in allowed for n in stated)


def test_a_sentence_with_a_number_not_in_the_data_is_dropped() -> None:
    def run_planted(request: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **run_value(request),
            "planted": ["About 80.1% will have it by 2030.", "Kenya is in the table."],
        }

    tool = Tool(
        id="fake/planted",
        version="1",
        description="",
        input_schema={},
        run=run_planted,
        view=view_value,
        route=route_value,
    )
    answer = answer_routed(ToolRoute(tool, {"place": "Kenya"}), "en")
    assert "80.1" not in answer.text and "2030" not in answer.text
    assert "Kenya is in the table." in answer.text  # no number: nothing to check
    [dropped] = answer.extension["dropped"]
    assert dropped["text"] == "About 80.1% will have it by 2030."
    assert dropped["reason"] == "number-not-in-sources"
    assert "80.1" in dropped["detail"] and "2030" in dropped["detail"]


def test_a_trend_carries_a_chart_and_its_csv_url() -> None:
    route = ToolRoute(SERIES, {"place": "Kenya", "start": 2000})
    answer = answer_routed(route, "en")
    chart = answer.extension["chart"]
    assert chart["kind"] == "line"
    assert chart["title"] == "Share with the service, Kenya"
    root = ET.fromstring(chart["svg"])
    assert root.get("role") == "img"
    url = urlsplit(chart["csv_url"])
    assert url.path == "/v1/data/fake--series.csv"
    query = parse_qs(url.query)
    assert json.loads(query["input"][0]) == {"place": "Kenya", "start": 2000}
    assert query["lang"] == ["en"]
    assert tool_from_csv_name("fake--series.csv") == "fake/series"
    assert chart["csv_url"] == csv_url(SERIES, route.input, "en")
    # The change (a derived figure, no page of its own) cites its inputs' page.
    assert "That is 61.1 percentage points more [1]." in answer.text
    assert len(answer.annotations) == 1


def test_data_from_two_pages_gives_one_citation_each() -> None:
    def run_two(request: Mapping[str, Any]) -> dict[str, Any]:
        rows = [entry("KEN", 2023, 76.25), entry("KEN", 2023, 55100586, page=POP_PAGE)]
        return {"data": rows, "missing": [], "notes": [], "chart": None}

    def view_two(result: Mapping[str, Any], language: str) -> ToolView:
        return ToolView(
            title="two",
            sentences=("In 2023, 76.3% of the 55,100,586 people had it.", "That is good."),
        )

    tool = Tool("fake/two", "1", "", {}, run_two, view=view_two, route=route_value)
    answer = answer_routed(ToolRoute(tool, {"place": "KEN"}), "en")
    assert answer.text.startswith("In 2023, 76.3% of the 55,100,586 people had it [1][2].")
    urls = [a["url_citation"]["url"] for a in answer.annotations]
    assert urls == [f"{PAGE}?locations=KE", f"{POP_PAGE}?locations=KE"]
    assert [c["data"] for c in answer.extension["citations"]] == [[0], [1]]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "I could not find “Atlantis” in the data (place)."),
        ("es", "No encontré «Atlantis» en los datos (lugar)."),
        ("fr", "Je n'ai pas trouvé « Atlantis » dans les données (lieu)."),
        ("de", "„Atlantis“ habe ich in den Daten nicht gefunden (Ort)."),
    ],
)
def test_an_unknown_place_is_said_plainly(language: str, expected: str) -> None:
    answer = answer_routed(ToolRoute(VALUE, {"place": "Atlantis"}), language)
    assert answer.text.startswith(expected)
    assert answer.extension["found"] is False
    assert answer.extension["data"] == [] and answer.annotations == []
    assert answer.extension["tool"]["error"]["param"] == "place"


def test_a_route_that_fails_claims_the_question() -> None:
    def route_failing(question: str, language: str) -> dict[str, Any] | None:
        raise InputError("Which year?", param="year")

    tool = Tool("fake/failing", "1", "", {}, run_value, view=view_value, route=route_failing)
    routed = route_question([tool, VALUE], "What is the share in Kenya?", "en")
    assert routed is not None and routed.tool is tool
    answer = answer_routed(routed, "en")
    assert answer.text == (
        "I could not understand the year in your question. Please ask again with a different "
        "wording."
    )


async def collect(stream: AsyncIterator[ReplyEvent]) -> list[ReplyEvent]:
    return [event async for event in stream]


OPTIONS = GenerationRequest(messages=[], max_tokens=200, temperature=0.0, seed=1)


@pytest.mark.parametrize(
    ("question", "language", "sentence"),
    [
        ("What is the share in Kenya?", "en", "In 2023, 76.3% of people in Kenya"),
        ("¿Cuál es la proporción en Kenia?", "es", "En 2023, el 76,3 % de la población de Kenya"),
        ("Quelle est la part au Tchad?", "fr", "En 2023, 11,8 % de la population de Chad"),
        ("Wie hoch ist der Anteil in Tschad?", "de", "Im Jahr 2023 hatten 11,8 % der Menschen"),
    ],
)
async def test_the_answerer_answers_a_routed_question_from_the_tool(
    tmp_path: Path, question: str, language: str, sentence: str
) -> None:
    engine = ScriptedEngine("The share is 99% [1].")
    answerer = GroundedAnswerer(engine, FakeIndex([HOURS]), tools=REGISTRY)
    events = await collect(
        answerer.stream(fake_pack(tmp_path), [{"role": "user", "content": question}], OPTIONS)
    )
    text = "".join(e.text for e in events)
    assert text.startswith(sentence)
    assert "99" not in text
    assert engine.calls == 0  # the model never writes a routed answer
    final = events[-1]
    assert final.finish_reason == "stop"
    assert final.extension["grounding"] == "tool"
    assert final.extension["language"] == language
    assert final.extension["answer_mode"] == "generate"
    assert final.annotations[0]["url_citation"]["url"].startswith(PAGE)


async def test_an_unrouted_question_goes_the_retrieval_path(tmp_path: Path) -> None:
    engine = ScriptedEngine("On Saturdays the library opens at 10:00 and closes at 14:00 [1].")
    answerer = GroundedAnswerer(engine, FakeIndex([HOURS]), tools=REGISTRY)
    events = await collect(
        answerer.stream(
            fake_pack(tmp_path),
            [{"role": "user", "content": "When does it open on Saturdays?"}],
            OPTIONS,
        )
    )
    # Once asked whether a tool answers it (the model answered in words), once to draft.
    assert engine.calls == 2
    assert events[-1].extension["grounding"] != "tool"
    assert events[-1].extension["tool_choice"]["outcome"] == "words"


async def test_warming_prepares_each_pack_tool_before_the_first_question(tmp_path: Path) -> None:
    prepared: list[str] = []
    tools = {
        tool_id: dataclasses.replace(tool, prepare=lambda i=tool_id: prepared.append(i))
        for tool_id, tool in REGISTRY.items()
    }
    answerer = GroundedAnswerer(ScriptedEngine("unused"), FakeIndex([HOURS]), tools=tools)
    await answerer.warm([fake_pack(tmp_path)])
    # Only the tools that answer questions (route and view) are prepared, each once.
    assert prepared == [t.id for t in pack_tools(fake_pack(tmp_path), REGISTRY)]
    assert prepared


def test_a_tool_without_data_entries_may_state_its_views_figures() -> None:
    # A unit converter has no data rows: its view's figures are what it may state.
    result = {"value": 5, "converted": 3.10686}
    view = ToolView(
        title="Conversion",
        figures=(Figure(key="converted", label="Converted", value=3.10686, unit="mi"),),
    )
    allowed = stated_numbers(result, {"value": 5}, view)
    assert Decimal("3.10686") in allowed and Decimal("3.1") in allowed
    assert Decimal("3.2") not in allowed
    assert Decimal("3.1") not in stated_numbers(result, {"value": 5})


def test_a_tool_without_data_rows_found_its_answer_when_a_sentence_is_kept() -> None:
    def run_check(request: Mapping[str, Any]) -> dict[str, Any]:
        return {"small": True, "limit": 34_000_000}

    def view_check(result: Mapping[str, Any], language: str) -> ToolView:
        return ToolView(
            title="Size",
            figures=(Figure(key="limit", label="Limit", value=34_000_000, unit="USD"),),
            sentences=("The limit is $34,000,000.",),
        )

    tool = Tool("fake/check", "1", "", {}, run_check, view=view_check, route=route_value)
    answer = answer_routed(ToolRoute(tool, {}), "en")
    assert answer.text.startswith("The limit is $34,000,000.")
    assert answer.extension["found"] is True
    # A data tool that returns no rows found nothing, whatever its view says.
    empty = Tool("fake/empty", "1", "", {}, lambda r: {"data": []}, view=view_check)
    assert answer_routed(ToolRoute(empty, {}), "en").extension["found"] is False
