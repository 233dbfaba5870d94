"""The data files say where every table comes from, and the allowances follow the official rule.

HEA sec. 478(b) (as amended by the FAFSA Simplification Act) has ED raise each statutory
allowance table by the percentage increase in the CPI-U from April 2020 to April of the year
before the award year, and ED's notices round the results to the nearest $10. The statutory
tables (20 U.S.C. 1087oo(c)(4), 1087pp(b)(1)(A)(iii), 1087qq(b)(3); dependent student
$9,410, employment expense allowance $4,000) and the CPI-U figures (BLS series CUUR0000SA0,
U.S. city average, all items, not seasonally adjusted) are written out here.
"""

from __future__ import annotations

from fractions import Fraction
from importlib import resources
from typing import Any

import pytest
import yaml

from civicllm.tools.student_aid import TABLES
from civicllm.tools.student_aid.tables import SizeTable, YearTables

STATUTE_PARENTS: dict[int | str, int] = {
    2: 23330,
    3: 29040,
    4: 35870,
    5: 42320,
    6: 49500,
    "add": 5590,
}
STATUTE_C_MARRIED: dict[int | str, int] = {3: 46140, 4: 56970, 5: 67230, 6: 78620, "add": 8880}
STATUTE_C_UNMARRIED: dict[int | str, int] = {
    2: 43920,
    3: 54690,
    4: 67520,
    5: 79680,
    6: 93180,
    "add": 10530,
}
STATUTE_SCALARS = {
    "dependent_student": 9410,
    "b_unmarried": 14630,
    "b_married": 23460,
    "eea_maximum": 4000,
}
CPI_U_APRIL = {2020: Fraction("256.389"), 2024: Fraction("313.548"), 2025: Fraction("320.795")}

TABLE_KEYS = (
    "payroll_tax",
    "employment_expense_allowance",
    "asset_protection_allowance",
    "business_farm_net_worth_adjustment",
    "assessment",
    "contribution_schedule",
)


def _need_analysis(year: str) -> dict[str, Any]:
    path = resources.files("civicllm.tools.student_aid").joinpath("data", year)
    text = path.joinpath("need_analysis.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _nearest_10(amount: Fraction) -> int:
    return int((amount / 10 + Fraction(1, 2)) // 1) * 10


def _pairs(year: YearTables) -> list[tuple[str, int, int]]:
    """Return (name, statutory amount, the year's figure) for every inflated allowance."""

    def table(name: str, statute: dict[int | str, int], sizes: SizeTable) -> list[Any]:
        return [
            (
                f"{name} {key}",
                base,
                sizes.lookup(key) if isinstance(key, int) else sizes.each_additional,
            )
            for key, base in statute.items()
        ]

    return [
        *table("parents", STATUTE_PARENTS, year.ipa_parents),
        *table("C married", STATUTE_C_MARRIED, year.ipa_with_dependents_married),
        *table("C unmarried", STATUTE_C_UNMARRIED, year.ipa_with_dependents_unmarried),
        ("dependent student", STATUTE_SCALARS["dependent_student"], year.ipa_dependent_student),
        ("B unmarried", STATUTE_SCALARS["b_unmarried"], year.ipa_independent_unmarried),
        ("B married", STATUTE_SCALARS["b_married"], year.ipa_independent_married),
        ("employment expense maximum", STATUTE_SCALARS["eea_maximum"], year.eea_maximum),
    ]


@pytest.mark.parametrize(("year", "cpi_year"), [("2025-26", 2024), ("2026-27", 2025)])
def test_allowances_follow_the_cpi_rule(year: str, cpi_year: int) -> None:
    factor = CPI_U_APRIL[cpi_year] / CPI_U_APRIL[2020]
    wrong = {
        name: (figure, _nearest_10(base * factor))
        for name, base, figure in _pairs(TABLES[year])
        if figure != _nearest_10(base * factor)
    }
    assert not wrong


@pytest.mark.parametrize("year", ["2024-25", "2027-28"])
def test_allowances_fit_one_inflation_factor(year: str) -> None:
    # Each figure rounded to $10 bounds the factor; a table copied from another year times a
    # ratio, or one mistyped figure, leaves no factor that fits them all.
    low, high = Fraction(0), Fraction(10)
    for _, base, figure in _pairs(TABLES[year]):
        low = max(low, Fraction(2 * figure - 10, 2 * base))
        high = min(high, Fraction(2 * figure + 10, 2 * base))
    assert low < high


def test_2026_27_figures_read_from_the_notice() -> None:
    year = TABLES["2026-27"]
    assert year.ipa_dependent_student == 11770
    assert dict(year.ipa_parents.by_size) == {2: 29190, 3: 36330, 4: 44880, 5: 52950, 6: 61930}
    assert year.ipa_parents.each_additional == 6990


def test_2025_26_allowances_previously_derived_are_corrected() -> None:
    # The 2024-25 x 1.0338 derivation gave 66,890 / 97,450 / 113,960 and 6,830 / 10,870.
    year = TABLES["2025-26"]
    unmarried = year.ipa_with_dependents_unmarried
    assert [unmarried.lookup(size) for size in (3, 5, 6)] == [66880, 97440, 113950]
    assert year.ipa_parents.each_additional == 6840
    assert year.ipa_with_dependents_married.each_additional == 10860


@pytest.mark.parametrize("year", sorted(TABLES))
def test_every_table_cites_its_source(year: str) -> None:
    data = _need_analysis(year)
    assert data["source"]["url"].startswith("https://")
    assert data["source"]["effective"]
    provenance = data["provenance"]
    for key in TABLE_KEYS:
        assert key in provenance, key
    assert any(key.startswith("income_protection_allowance") for key in provenance)


@pytest.mark.parametrize("year", sorted(TABLES))
def test_unofficial_figures_are_flagged_to_the_user(year: str) -> None:
    data = _need_analysis(year)
    unofficial = [
        key for key, text in data["provenance"].items() if "unofficial" in str(text).lower()
    ]
    if data.get("status", "official") != "official":
        # The whole year is labelled provisional in every result's notes.
        assert data["status_note"]
        return
    flagged = set(data.get("unverified") or {})
    assert unofficial
    for key in unofficial:
        assert key in flagged, key


@pytest.mark.parametrize("year", sorted(TABLES))
def test_every_filing_status_has_a_medicare_threshold(year: str) -> None:
    thresholds = TABLES[year].medicare_threshold
    assert thresholds == {
        "single": 200000,
        "head_of_household": 200000,
        "qualifying_surviving_spouse": 200000,
        "married_filing_jointly": 250000,
        "married_filing_separately": 125000,
    }
