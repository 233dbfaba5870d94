"""Bad tool input: every bad field is named at once, in the tool, over HTTP and in the CLI;
years and limits are JSON numbers (2015 or 2015.0), never strings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.errors import InputError
from civicllm.server import create_app
from civicllm.tools.water_energy import TOOLS_BY_ID

# Four fields wrong in four ways: an unknown field, indicator, place and year.
ALL_WRONG = {"indicator": "cheerfulness", "place": "Lilliput", "year": "someday", "hue": "blue"}
ALL_WRONG_FIELDS = {"hue", "indicator", "place", "year"}


def run(name: str, given: Any) -> dict[str, Any]:
    return TOOLS_BY_ID[f"water-energy/{name}"].run(given)


def _fields(given: Any, name: str = "value") -> set[str | None]:
    with pytest.raises(InputError) as caught:
        run(name, given)
    return {param for param, _ in caught.value.details}


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InputError) as caught:
        run("value", ALL_WRONG)
    error = caught.value
    assert {param for param, _ in error.details} == ALL_WRONG_FIELDS
    lines = error.message.splitlines()
    assert len(lines) == 4
    for word in ("hue", "cheerfulness", "Lilliput", "someday"):
        assert sum(word in line for line in lines) == 1, word


@pytest.mark.parametrize(
    ("name", "given", "fields"),
    [
        (
            "series",
            {"indicator": "x", "place": "Lilliput", "start": "1990"},
            {"indicator", "place", "start"},
        ),
        (
            "compare",
            {"indicator": "x", "places": ["KEN", "Lilliput", "Blefuscu"]},
            {"indicator", "places.1", "places.2"},
        ),
        ("compare", {"places": ["KEN", "TCD"], "year": 1900}, {"indicator", "year"}),
        (
            "rank",
            {"indicator": "x", "order": "sideways", "limit": "4"},
            {"indicator", "order", "limit"},
        ),
        ("rank", {"indicator": "td_losses", "group": "Euro area", "year": 1800}, {"group", "year"}),
        ("urban-rural", {"place": "Lilliput", "year": 20.5}, {"place", "year"}),
        ("without-access", {"indicator": "td_losses", "place": "Lilliput"}, {"indicator", "place"}),
        ("resolve", {"name": "Lilliput", "size": 1}, {"name", "size"}),
    ],
)
def test_each_tool_names_all_its_bad_fields(
    name: str, given: dict[str, Any], fields: set[str]
) -> None:
    assert _fields(given, name) == fields


def test_a_missing_field_is_said_once() -> None:
    with pytest.raises(InputError) as caught:
        run("value", {"place": "Lilliput"})
    assert [p for p, _ in caught.value.details] == ["indicator", "place"]
    assert "required" in caught.value.details[0][1]


@pytest.mark.parametrize("year", [2012, 2012.0])
def test_a_whole_number_year_is_accepted(year: float) -> None:
    result = run("value", {"indicator": "electricity_access", "place": "KEN", "year": year})
    assert result["year"] == 2012 and isinstance(result["year"], int)
    assert [entry["year"] for entry in result["data"]] == [2012]


@pytest.mark.parametrize("year", ["2012", "2012.0", 2012.5, True, [2012]])
def test_a_year_that_is_not_a_whole_json_number_is_an_error(year: Any) -> None:
    assert _fields({"indicator": "electricity_access", "place": "KEN", "year": year}) == {"year"}


def test_limits_follow_the_same_rule() -> None:
    ranked = run("rank", {"indicator": "electricity_access", "group": "SSF", "limit": 3.0})
    assert len(ranked["rows"]) == 3
    assert _fields({"indicator": "electricity_access", "limit": "3"}, "rank") == {"limit"}


def test_the_schema_says_years_are_numbers() -> None:
    schema = TOOLS_BY_ID["water-energy/value"].input_schema["properties"]["year"]
    assert schema["type"] == "integer"
    assert "string" in schema["description"] and "2020.0" in schema["description"]


def test_http_names_every_bad_field(tmp_path: Path) -> None:
    settings = Settings(engine="echo", home=tmp_path / "home", grounding=False)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/tools/water-energy/value", json=ALL_WRONG)
        good = client.post(
            "/v1/tools/water-energy/value",
            json={"indicator": "electricity_access", "place": "KEN", "year": 2012.0},
        )
    assert response.status_code == 400
    error = response.json()["error"]
    for word in ("hue", "cheerfulness", "Lilliput", "someday"):
        assert word in error["message"], word
    assert error["param"] in ALL_WRONG_FIELDS
    assert good.status_code == 200


def test_cli_prints_one_line_per_bad_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = tmp_path / "input.json"
    given.write_text(json.dumps(ALL_WRONG), encoding="utf-8")
    assert main(["tool", "run", "water-energy/value", "--input", str(given)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4 and all(line.startswith("error: ") for line in lines)
    for word in ("hue", "cheerfulness", "Lilliput", "someday"):
        assert sum(word in line for line in lines) == 1, word
