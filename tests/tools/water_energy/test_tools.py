"""The tools' numbers against the publisher files (read with csv), and their bad inputs."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from civicllm.errors import InputError
from civicllm.tools.base import load_tools
from civicllm.tools.water_energy import TOOLS_BY_ID

from .conftest import PublisherFiles


def run(name: str, request: dict[str, Any]) -> dict[str, Any]:
    return TOOLS_BY_ID[f"water-energy/{name}"].run(request)


def test_the_tools_are_registered_through_the_entry_point() -> None:
    tools = load_tools()
    for tool_id, tool in TOOLS_BY_ID.items():
        assert tools[tool_id].version == tool.version == "1.0.0"
        assert tool.view is not None and tool.route is not None
        assert tool.input_schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("indicator", "code"),
    [
        ("electricity_access", "KEN"),
        ("electricity_access", "TCD"),
        ("td_losses", "GHA"),
        ("population", "IND"),
        ("water_basic", "NER"),
        ("water_safely_managed", "PER"),
        ("electricity_access_rural", "BOL"),
    ],
)
def test_value_latest_year(files: PublisherFiles, indicator: str, code: str) -> None:
    year, expected = files.latest(indicator, code)
    result = run("value", {"indicator": indicator, "place": code})
    assert [(e["year"], e["value"], e["country_code"]) for e in result["data"]] == [
        (year, expected, code)
    ]
    assert result["missing"] == [] and result["chart"] is None
    assert result["data"][0]["source_url"].startswith("https://")


def test_value_given_year_and_localized_name(files: PublisherFiles) -> None:
    result = run("value", {"indicator": "electricity_access", "place": "Tschad", "year": 2015})
    assert result["data"][0]["value"] == files.get("electricity_access", "TCD", 2015)
    assert result["data"][0]["source_url"].endswith("?locations=TD")


def test_missing_year_is_said_not_filled(files: PublisherFiles) -> None:
    first = min(files.values["electricity_access"]["TCD"])
    result = run("value", {"indicator": "electricity_access", "place": "Chad", "year": 1985})
    assert result["data"] == []
    [gap] = result["missing"]
    assert gap["reason"] == "before_series_start" and gap["year"] == 1985
    assert gap["first_year"] == first
    view = TOOLS_BY_ID["water-energy/value"].view(result, "en")
    assert view.sentences == (
        f"The World Bank file has no value for Chad in 1985; its series starts in {first}.",
    )


def test_place_the_source_does_not_cover(files: PublisherFiles) -> None:
    uncovered = sorted(set(files.region) - set(files.values["water_safely_managed"]))[0]
    result = run("value", {"indicator": "water_safely_managed", "place": uncovered})
    assert result["data"] == []
    assert result["missing"][0]["reason"] == "place_not_covered"


def test_series_change(files: PublisherFiles) -> None:
    result = run("series", {"indicator": "electricity_access", "place": "IND", "start": 2000})
    series = files.values["electricity_access"]["IND"]
    years = sorted(y for y in series if y >= 2000)
    values = [e for e in result["data"] if e["derived"] is None]
    assert [(e["year"], e["value"]) for e in values] == [(y, series[y]) for y in years]
    change = result["data"][result["change"]]
    assert change["derived"]["inputs"] == [0, len(values) - 1]
    expected = Decimal(str(series[years[-1]])) - Decimal(str(series[years[0]]))
    assert Decimal(str(change["value"])) == expected
    assert result["chart"]["kind"] == "line"


def test_compare_uses_the_latest_common_year(files: PublisherFiles) -> None:
    result = run("compare", {"indicator": "water_basic", "places": ["Kenya", "Tchad"]})
    common = set(files.values["water_basic"]["KEN"]) & set(files.values["water_basic"]["TCD"])
    year = max(common)
    assert [(e["country_code"], e["year"], e["value"]) for e in result["data"][:2]] == [
        ("KEN", year, files.get("water_basic", "KEN", year)),
        ("TCD", year, files.get("water_basic", "TCD", year)),
    ]
    difference = result["data"][result["difference"]]
    assert difference["derived"]["inputs"] == [0, 1]
    assert result["chart"]["kind"] == "bar"


@pytest.mark.parametrize(
    ("group", "english", "order"),
    [("SSF", "Sub-Saharan Africa", "lowest"), ("LIC", "Low income", "highest")],
)
def test_rank_within_a_region_and_an_income_group(
    files: PublisherFiles, group: str, english: str, order: str
) -> None:
    year = 2022
    members = files.members(english)
    found = {c: files.get("electricity_access", c, year) for c in members}
    have = {c: v for c, v in found.items() if v is not None}
    ordered = sorted(have.items(), key=lambda kv: -kv[1] if order == "highest" else kv[1])[:5]
    result = run(
        "rank", {"indicator": "electricity_access", "group": group, "year": year, "order": order}
    )
    values = [e for e in result["data"] if e["derived"] is None]
    assert [e["value"] for e in values] == [v for _, v in ordered]
    assert {e["country_code"] for e in values} <= set(members)
    ranks = [e["value"] for e in result["data"] if e["derived"] is not None]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    assert result["ranked"] == len(have) and result["members"] == len(members)
    assert result["chart"]["kind"] == "bar"


def test_urban_rural_gap(files: PublisherFiles) -> None:
    urban = files.values["electricity_access_urban"]["KEN"]
    rural = files.values["electricity_access_rural"]["KEN"]
    year = max(set(urban) & set(rural))
    result = run("urban-rural", {"place": "Kenia"})
    u, r, gap = result["data"]
    assert (u["year"], u["value"], r["value"]) == (year, urban[year], rural[year])
    assert Decimal(str(gap["value"])) == Decimal(str(urban[year])) - Decimal(str(rural[year]))
    assert gap["derived"]["inputs"] == [0, 1]
    assert any(n["kind"] == "release" for n in result["notes"])


@pytest.mark.parametrize(
    ("indicator", "code", "year"),
    [
        ("electricity_access", "NGA", 2020),
        ("water_basic", "ETH", 2022),
        ("electricity_access", "TCD", None),
    ],
)
def test_people_without_access_use_population_of_the_same_year(
    files: PublisherFiles, indicator: str, code: str, year: int | None
) -> None:
    result = run("without-access", {"indicator": indicator, "place": code, "year": year})
    share, population, people = result["data"]
    used = share["year"]
    assert population["year"] == used
    assert share["value"] == files.get(indicator, code, used)
    assert population["value"] == files.get("population", code, used)
    exact = (100 - Decimal(str(share["value"]))) / 100 * Decimal(str(population["value"]))
    assert people["value"] == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert people["derived"]["inputs"] == [0, 1]


def test_coverage_note_for_sub_saharan_africa_losses_2023(files: PublisherFiles) -> None:
    members = files.members("Sub-Saharan Africa")
    with_value = sorted(c for c in members if files.get("td_losses", c, 2023) is not None)
    aggregate = files.get("td_losses", "SSF", 2023)
    equal = [c for c in with_value if files.get("td_losses", c, 2023) == aggregate]
    result = run("value", {"indicator": "td_losses", "place": "Sub-Saharan Africa", "year": 2023})
    assert result["data"][0]["value"] == aggregate
    [note] = [n for n in result["notes"] if n["kind"] == "coverage"]
    assert note["countries_with_value"] == len(with_value)
    assert note["members"] == len(members)
    assert note["countries"] == with_value and note["equals"] == equal == ["KEN"]
    sentences = TOOLS_BY_ID["water-energy/value"].view(result, "en").sentences
    assert any("exactly Kenya's value" in s for s in sentences)
    assert any("losses" in n["text"] and n["kind"] == "indicator" for n in result["notes"])


def test_resolve_names_in_four_languages() -> None:
    for name in ("Chad", "Tchad", "Tschad", "TCD"):
        assert run("resolve", {"name": name})["place"]["code"] == "TCD"
    group = run("resolve", {"name": "Afrique subsaharienne"})
    assert group["place"]["kind"] == "region" and "KEN" in group["members"]


@pytest.mark.parametrize(
    ("name", "given", "param", "says"),
    [
        ("value", {"indicator": "gdp", "place": "Kenya"}, "indicator", "electricity_access"),
        ("value", {"indicator": "electricity_access", "place": "Atlantis"}, "place", "Atlantis"),
        (
            "value",
            {"indicator": "electricity_access", "place": "KEN", "year": "soon"},
            "year",
            "1960",
        ),
        ("value", {"indicator": "electricity_access"}, "place", "required"),
        (
            "value",
            {"indicator": "electricity_access", "place": "KEN", "colour": 1},
            "colour",
            "fields",
        ),
        (
            "series",
            {"indicator": "td_losses", "place": "KEN", "start": 2020, "end": 2000},
            "start",
            "after",
        ),
        ("compare", {"indicator": "td_losses", "places": ["KEN"]}, "places", "2 to 10"),
        ("compare", {"indicator": "td_losses", "places": ["KEN", "Narnia"]}, "places.1", "Narnia"),
        ("rank", {"indicator": "td_losses", "group": "KEN"}, "group", "region"),
        ("rank", {"indicator": "td_losses", "order": "middle"}, "order", "highest"),
        ("rank", {"indicator": "td_losses", "limit": 0}, "limit", "1 to 50"),
        ("without-access", {"indicator": "td_losses", "place": "KEN"}, "indicator", "water_basic"),
        ("resolve", {"name": "Nowhere Land"}, "name", "Nowhere Land"),
    ],
)
def test_bad_inputs_name_the_field(name: str, given: dict[str, Any], param: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        run(name, given)
    assert caught.value.param == param
    assert says in caught.value.message


def test_population_missing_that_year_is_said(files: PublisherFiles) -> None:
    owid_only = sorted(set(files.values["water_basic"]) - set(files.values["population"]))
    code = next(c for c in owid_only if len(c) == 3)
    result = run("without-access", {"indicator": "water_basic", "place": code})
    assert result["data"] == []
    [gap] = result["missing"]
    assert gap["reason"] == "population_missing" and gap["indicator"] == "population"
    assert gap["year"] == max(files.values["water_basic"][code])
