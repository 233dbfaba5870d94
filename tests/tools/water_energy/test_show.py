"""Views: every number a sentence states is a number of the result (property over many)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from civicllm.errors import InputError
from civicllm.tools.water_energy import INDICATORS, TOOLS_BY_ID
from civicllm.tools.water_energy.access import SHARE_INDICATORS

PLACES = ["KEN", "Tchad", "IND", "NGA", "BRA", "Deutschland", "SSF", "LIC", "WLD", "BOL", "ETH"]
YEARS = [None, 1985, 2015, 2023]
LANGUAGES = ["en", "es", "fr", "de"]
# How each language writes a number (names.py): its thousands and decimal marks.
NUMBER = {
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
    "es": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
    "de": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
    "fr": re.compile(r"\d{1,3}(?:\u202f\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
}


def stated(text: str, language: str) -> list[Decimal]:
    found = []
    for raw in NUMBER[language].findall(text):
        if language == "en":
            found.append(Decimal(raw.replace(",", "")))
        else:
            found.append(Decimal(raw.replace(".", "").replace("\u202f", "").replace(",", ".")))
    return found


def forms(value: Any) -> set[Decimal]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return set()
    exact = Decimal(str(value))
    out = {exact}
    for places in (Decimal("0.1"), Decimal(1)):
        out.add(exact.quantize(places, rounding=ROUND_HALF_UP))
    return out | {abs(v) for v in out}


def allowed(result: Mapping[str, Any], request: Mapping[str, Any]) -> set[Decimal]:
    out: set[Decimal] = set()
    for entry in result["data"]:
        out |= forms(entry["value"]) | forms(entry["year"])
    for entry in [*result["missing"], *result["notes"]]:
        for key, value in entry.items():
            if key != "text":
                out |= forms(value)
    for value in request.values():
        out |= forms(value)
    return out


def requests() -> Iterator[tuple[str, dict[str, Any]]]:
    for place, year in itertools.product(PLACES, YEARS):
        for indicator in INDICATORS:
            yield "value", {"indicator": indicator, "place": place, "year": year}
        for indicator in SHARE_INDICATORS:
            yield "without-access", {"indicator": indicator, "place": place, "year": year}
        yield "urban-rural", {"place": place, "year": year}
        yield "series", {"indicator": "electricity_access", "place": place, "start": year}
    for indicator, year in itertools.product(INDICATORS, YEARS):
        yield "compare", {"indicator": indicator, "places": ["KEN", "TCD", "SSF"], "year": year}
        yield "compare", {"indicator": indicator, "places": ["NGA", "Ghana"], "year": year}
        for group, order in itertools.product(["SSF", "LIC", "WLD"], ["highest", "lowest"]):
            yield "rank", {"indicator": indicator, "group": group, "year": year, "order": order}
    yield "resolve", {"name": "Afrique subsaharienne"}
    yield "resolve", {"name": "Kenia"}


def results() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for name, request in requests():
        request = {k: v for k, v in request.items() if v is not None}
        try:
            yield name, request, TOOLS_BY_ID[f"water-energy/{name}"].run(request)
        except InputError:  # e.g. urban-rural for a region: refused, tested elsewhere
            continue


def test_sentences_state_only_numbers_of_the_result() -> None:
    checked = 0
    for name, request, result in results():
        tool = TOOLS_BY_ID[f"water-energy/{name}"]
        assert tool.view is not None
        ok = allowed(result, request)
        for language in LANGUAGES:
            view = tool.view(result, language)
            assert view.sentences, (name, request, language)
            for sentence in (*view.sentences, *view.notes):
                bad = [n for n in stated(sentence, language) if n not in ok]
                assert not bad, (sentence, bad)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("language", LANGUAGES)
def test_percent_one_decimal_people_grouped_and_the_year_named(language: str) -> None:
    request = {"indicator": "electricity_access", "place": "NGA", "year": 2020}
    result = TOOLS_BY_ID["water-energy/without-access"].run(request)
    view = TOOLS_BY_ID["water-energy/without-access"].view(result, language)
    share, population, people = result["data"]
    text = view.sentences[0]
    assert "2020" in text
    percent = Decimal(str(share["value"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    mark = "." if language == "en" else ","
    assert str(percent).replace(".", mark) in text
    group = {"en": ",", "es": ".", "de": ".", "fr": "\u202f"}[language]
    assert f"{people['value']:,}".replace(",", group) in text
    assert f"{round(population['value']):,}".replace(",", group) in text


def test_view_parts_chart_and_sources() -> None:
    series = TOOLS_BY_ID["water-energy/series"]
    result = series.run({"indicator": "electricity_access", "place": "KEN", "start": 2010})
    view = series.view(result, "de")
    assert view.chart is not None and view.chart.kind == "line"
    assert view.chart.series[0].name == "Kenia"
    assert view.sources[0].url.startswith("https://data.worldbank.org/indicator/")
    assert view.sources[0].licence == "CC BY 4.0" and view.sources[0].release
    assert view.tables[0].rows and len(view.figures) == len(result["data"])
    value = TOOLS_BY_ID["water-energy/value"]
    single = value.view(value.run({"indicator": "water_basic", "place": "KEN"}), "es")
    assert single.chart is None
    rank = TOOLS_BY_ID["water-energy/rank"]
    bars = rank.view(rank.run({"indicator": "td_losses", "group": "LIC"}), "fr")
    assert bars.chart is not None and bars.chart.kind == "bar"


def test_places_named_in_the_language() -> None:
    value = TOOLS_BY_ID["water-energy/value"]
    result = value.run({"indicator": "electricity_access", "place": "TCD", "year": 2020})
    said = {lang: value.view(result, lang).sentences[0] for lang in LANGUAGES}
    assert said["fr"].startswith("Tchad") and said["de"].startswith("Tschad")
    assert said["en"].startswith("Chad") and said["es"].startswith("Chad")
