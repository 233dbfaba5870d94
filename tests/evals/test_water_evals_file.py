"""The water-energy eval file: regenerated identically, numbers re-derivable, counts met."""

from __future__ import annotations

import csv
import importlib.util
import random
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "make_water_evals.py"
EVALS = ROOT / "src/civicllm/packs/water-energy/evals/questions.yaml"
SHARED = ROOT.parent / "shared/data/water_energy"
SHIPPED = ROOT / "src/civicllm/data/files"
CATEGORIES = {
    "value",
    "change",
    "comparison",
    "ranking",
    "aggregate",
    "without_access",
    "urban_rural",
    "definition",
    "missing",
    "out_of_scope",
}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_water_evals", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def data_dir() -> Path:
    for folder in (SHIPPED, SHARED):
        if (folder / "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv").is_file():
            return folder
    pytest.skip("publisher files not found")


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return list(yaml.safe_load(EVALS.read_text(encoding="utf-8"))["questions"])


def test_the_committed_file_is_what_the_script_writes(tmp_path: Path) -> None:
    out = tmp_path / "questions.yaml"
    assert load_script().main(["--data", str(data_dir()), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == EVALS.read_text(encoding="utf-8")


def test_counts_meet_the_minimums(items: list[dict[str, Any]]) -> None:
    assert len(items) >= 120
    per_language = Counter(i["language"] for i in items)
    assert set(per_language) == {"en", "es", "fr", "de"}
    assert min(per_language.values()) >= 30
    assert {i["category"] for i in items} == CATEGORIES
    for language in per_language:
        present = {i["category"] for i in items if i["language"] == language}
        assert present == CATEGORIES, language
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["question"] for i in items}) == len(items)


def test_about_a_quarter_is_held_out_across_categories_and_languages(
    items: list[dict[str, Any]],
) -> None:
    held = [i for i in items if i["heldout"]]
    assert 0.2 <= len(held) / len(items) <= 0.3
    assert {i["category"] for i in held} == CATEGORIES
    assert {i["language"] for i in held} == {"en", "es", "fr", "de"}


def test_the_sub_saharan_2023_losses_are_the_coverage_case(items: list[dict[str, Any]]) -> None:
    cases = [i for i in items if i["expect"].get("coverage_note")]
    assert {i["language"] for i in cases} == {"en", "es", "fr", "de"}
    for case in cases:
        assert case["places"] == ["SSF"] and case["years"] == [2023]
        assert case["coverage"]["equals_member"] == ["KEN"]


# An independent reading of the CSVs (not the script's code) for a sample of the numbers.


def api_value(name: str, code: str, year: int) -> float | None:
    with (data_dir() / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[4]
    for row in rows[5:]:
        if len(row) > 1 and row[1] == code:
            cell = row[header.index(str(year))]
            return float(cell) if cell else None
    return None


def owid_value(name: str, code: str, year: int) -> float | None:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Code"] == code and row["Year"] == str(year):
                return float(list(row.values())[3])
    return None


def databank_value(series: str, code: str, year: int) -> float | None:
    name = "WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv"
    with (data_dir() / name).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Country Code"] == code and row["Series Code"] == series:
                cell = row[f"{year} [YR{year}]"]
                return None if cell == ".." else float(cell)
    return None


FILES = {
    "electricity_access": ("api", "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"),
    "td_losses": ("api", "API_EG.ELC.LOSS.ZS_DS2_en_csv_v2_5973.csv"),
    "water_basic": ("owid", "population-using-at-least-basic-drinking-water.csv"),
    "water_safely_managed": ("owid", "proportion-using-safely-managed-drinking-water.csv"),
}
POPULATION = "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv"


def share(indicator: str, code: str, year: int) -> float | None:
    kind, name = FILES[indicator]
    return (api_value if kind == "api" else owid_value)(name, code, year)


def test_a_sample_of_expected_numbers_is_rederived_from_the_csvs(
    items: list[dict[str, Any]],
) -> None:
    rng = random.Random(10)
    checked = 0
    for item in rng.sample(items, 40):
        category, place, years = item["category"], (item["places"] or [""])[0], item["years"]
        numbers = item["expect"].get("numbers", [])
        if category in ("value", "aggregate"):
            assert numbers[0]["raw"] == share(item["indicator"], place, years[0])
        elif category == "change":
            first = share(item["indicator"], place, years[0])
            last = share(item["indicator"], place, years[1])
            assert first is not None and last is not None
            assert [n["raw"] for n in numbers] == [first, last, last - first]
        elif category == "comparison":
            for code, number in zip(item["places"], numbers, strict=True):
                assert number["raw"] == share(item["indicator"], code, years[0])
        elif category == "without_access":
            value = share(item["indicator"], place, years[0])
            population = api_value(POPULATION, place, years[0])
            assert value is not None and population is not None
            assert numbers[0]["raw"] == pytest.approx((100 - value) / 100 * population)
            assert numbers[0]["value"] == round((100 - value) / 100 * population)
        elif category == "urban_rural":
            urban = databank_value("EG.ELC.ACCS.UR.ZS", place, years[0])
            rural = databank_value("EG.ELC.ACCS.RU.ZS", place, years[0])
            assert [n["raw"] for n in numbers[:2]] == [urban, rural]
            assert numbers[2]["value"] == round(abs(urban - rural), 1)  # type: ignore[operator]
        elif category == "ranking":
            for code, number in zip(item["ranked"], numbers, strict=True):
                assert number["raw"] == share(item["indicator"], code, years[0])
        elif category == "missing":
            year = years[0] if years else 2023
            if item["indicator"] in FILES:
                assert share(item["indicator"], place, year) is None
        else:
            continue
        checked += 1
    assert checked >= 25


def test_every_missing_case_is_missing_in_the_files(items: list[dict[str, Any]]) -> None:
    for item in items:
        if item["category"] != "missing":
            continue
        years = item["years"] or list(range(1990, 2026))
        for year in years:
            assert share(item["indicator"], item["places"][0], year) is None, item["id"]


def test_percent_values_are_the_raw_values_to_one_decimal(items: list[dict[str, Any]]) -> None:
    for item in items:
        for number in item["expect"].get("numbers", []):
            if number["rule"] == "percent":
                assert number["value"] == round(number["raw"], 1), item["id"]
