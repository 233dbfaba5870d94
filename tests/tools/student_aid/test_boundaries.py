"""Edges of every table: family sizes, ages, poverty percentages, brackets, caps, rounding.

Expected figures are worked by hand from the published tables (the numbers written here), not
taken from running the calculator.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from civicllm.tools.student_aid import TABLES, estimate
from civicllm.tools.student_aid.allowances import adjust_business_farm, apply_schedule
from civicllm.tools.student_aid.household import AssetAmounts
from civicllm.tools.student_aid.tables import Rate

from .conftest import dependent_request, independent_request


@pytest.mark.parametrize(("size", "allowance"), [(2, 28530), (3, 35510), (4, 43870), (5, 51750)])
def test_parents_income_protection_allowance_by_family_size(size: int, allowance: int) -> None:
    request = dependent_request()
    request["parents"]["family_size"] = size
    result = estimate(request)
    assert result["intermediates"]["parent_income_protection_allowance"] == allowance


def test_parents_allowance_past_the_table_adds_the_step() -> None:
    sizes = {}
    for size in (6, 7, 8):
        request = dependent_request()
        request["parents"]["family_size"] = size
        sizes[size] = estimate(request)["intermediates"]["parent_income_protection_allowance"]
    assert sizes[8] - sizes[7] == sizes[7] - sizes[6] > 0


@pytest.mark.parametrize(
    ("year", "married", "size", "allowance"),
    [
        ("2024-25", False, 2, 51960),
        ("2024-25", False, 3, 64700),
        ("2024-25", True, 3, 54580),
        ("2024-25", True, 4, 67400),
        ("2024-25", True, 5, 79530),
        ("2025-26", False, 2, 53710),
        ("2025-26", True, 3, 56430),
        ("2025-26", True, 4, 69670),
    ],
)
def test_formula_c_allowance(year: str, married: bool, size: int, allowance: int) -> None:
    request = independent_request()
    request["award_year"] = year
    request["student"]["family_size"] = size
    if married:
        request["student"]["marital_status"] = "married"
    result = estimate(request)
    assert result["formula"] == "C"
    assert result["intermediates"]["student_income_protection_allowance"] == allowance


@pytest.mark.parametrize(
    ("marital", "size", "formula"),
    [("single", 1, "B"), ("single", 2, "C"), ("married", 2, "B"), ("married", 3, "C")],
)
def test_formula_b_or_c_by_family_size(marital: str, size: int, formula: str) -> None:
    request = independent_request()
    request["student"]["marital_status"] = marital
    request["student"]["family_size"] = size
    assert estimate(request)["formula"] == formula


@pytest.mark.parametrize(
    ("year", "born", "status"),
    [
        ("2025-26", "2001-12-31", "independent"),
        ("2025-26", "2002-01-01", "dependent"),
        ("2024-25", "2000-12-31", "independent"),
        ("2024-25", "2001-01-01", "dependent"),
        ("2027-28", "2003-12-31", "independent"),
        ("2027-28", "2004-01-01", "dependent"),
    ],
)
def test_age_of_independence(year: str, born: str, status: str) -> None:
    request = dependent_request()
    request["award_year"] = year
    request["student"]["date_of_birth"] = born
    result = estimate(request)
    assert result["dependency_status"] == status
    assert result["dependency_reason"] in result["notes"]


def _parents(agi: int, *, state: str = "OH", size: int = 4, **changes: Any) -> dict[str, Any]:
    request = dependent_request(adjusted_gross_income=agi, earned_income=agi)
    request["parents"]["family_size"] = size
    request["parents"]["state_of_legal_residence"] = state
    request["parents"].update(changes)
    return request


# 2023 HHS guidelines (2025-26): 48 states $14,580 + $5,140; Alaska $18,210 + $6,430;
# Hawaii $16,770 + $5,910 per additional person.
@pytest.mark.parametrize(
    ("state", "size", "limit"),
    [
        ("OH", 4, 52500),  # 175% x 30,000
        ("AK", 4, 65625),  # 175% x 37,500
        ("HI", 3, 50032),  # 175% x 28,590 = 50,032.50
        ("OH", 2, 34510),  # 175% x 19,720
    ],
)
def test_maximum_pell_at_175_percent(state: str, size: int, limit: int) -> None:
    assert estimate(_parents(limit, state=state, size=size))["max_pell_eligible"] is True
    assert estimate(_parents(limit + 1, state=state, size=size))["max_pell_eligible"] is False


def test_single_parent_maximum_pell_at_225_percent() -> None:
    def request(agi: int) -> dict[str, Any]:
        req = _parents(agi, size=2, marital_status="divorced")
        req["parents"]["income"]["tax_filing_status"] = "head_of_household"
        return req

    # 225% x 19,720 = 44,370
    assert estimate(request(44370))["max_pell_eligible"] is True
    assert estimate(request(44371))["max_pell_eligible"] is False


def test_minimum_pell_at_275_percent() -> None:
    # 275% x 30,000 = 82,500; both incomes give an SAI above 7,395 - 740 with these assets.
    def request(agi: int) -> dict[str, Any]:
        req = _parents(agi)
        req["parents"]["assets"] = {"cash_savings_checking": 60000}
        return req

    at, over = estimate(request(82500)), estimate(request(82501))
    assert at["sai"] > 6655 and over["sai"] > 6655
    assert at["min_pell_eligible"] is True and at["pell_grant"] == 740
    assert over["min_pell_eligible"] is False


def test_zero_agi_filer_is_not_maximum_pell_by_income() -> None:
    assert estimate(_parents(0))["max_pell_eligible"] is False


def test_non_filing_parents_give_minus_1500() -> None:
    request = dependent_request()
    request["parents"]["income"] = {
        "filed_or_will_file_tax_return": False,
        "non_filer_reason": "income_below_filing_threshold",
        "earned_income": 9000,
    }
    result = estimate(request)
    assert result["sai"] == -1500
    assert result["max_pell_eligible"] is True
    assert result["pell_grant"] == 7395


def test_foreign_income_without_a_return_is_not_a_non_filer() -> None:
    request = dependent_request()
    request["parents"]["income"] = {
        "filed_or_will_file_tax_return": False,
        "non_filer_reason": "foreign_income_no_return_required",
        "foreign_earned_income_exclusion": 90000,
    }
    result = estimate(request)
    assert result["sai"] > -1500
    assert result["intermediates"]["parent_total_income"] == 90000


@pytest.mark.parametrize(
    ("year", "aai", "contribution"),
    [
        ("2024-25", -100000, -1500),
        ("2024-25", -6821, -1500),
        ("2024-25", -6820, -1500),  # 22% x -6,820 = -1,500.40
        ("2024-25", 0, 0),
        ("2024-25", 20600, 4532),
        ("2024-25", 20602, 4533),  # 4,532 + 0.50
        ("2024-25", 25800, 5832),
        ("2024-25", 31000, 7340),
        ("2024-25", 36300, 9142),
        ("2024-25", 41500, 11222),
        ("2024-25", 41502, 11223),  # 11,222 + 0.94
        ("2025-26", -8301, -1826),
        ("2025-26", -8300, -1826),
        ("2025-26", 21300, 4686),
        ("2025-26", 26700, 6036),
        ("2025-26", 32000, 7573),
        ("2025-26", 37500, 9443),
        ("2025-26", 42900, 11603),
    ],
)
def test_contribution_schedule_edges(year: str, aai: int, contribution: int) -> None:
    assert apply_schedule(aai, TABLES[year]) == contribution


@pytest.mark.parametrize(
    ("net_worth", "adjusted"),
    [
        (-5, 0),
        (0, 0),
        (1, 0),
        (3, 1),
        (165000, 66000),
        (165001, 66001),
        (490000, 228500),
        (820000, 426500),
        (820001, 426501),
    ],
)
def test_business_farm_adjustment_2024_25(net_worth: int, adjusted: int) -> None:
    assets = AssetAmounts(business_farm=net_worth)
    assert adjust_business_farm(assets, TABLES["2024-25"]) == adjusted


@pytest.mark.parametrize(("earned", "allowance"), [(13969, 4889), (13970, 4890), (50000, 4890)])
def test_employment_expense_allowance_cap_2025_26(earned: int, allowance: int) -> None:
    request = independent_request(earned_income=earned, adjusted_gross_income=earned)
    request["student"]["family_size"] = 2  # Formula C: 35% of earned income, up to $4,890
    assert estimate(request)["intermediates"]["student_employment_expense_allowance"] == allowance


def test_formula_b_unmarried_has_no_employment_expense_allowance(
    independent: dict[str, Any],
) -> None:
    assert estimate(independent)["intermediates"]["student_employment_expense_allowance"] == 0


@pytest.mark.parametrize(
    ("rate", "amount", "rounded"),
    [("0.5", 3, 2), ("0.5", -3, -2), ("0.5", 5, 3), ("0.22", -6820, -1500), ("0.0765", 10, 1)],
)
def test_halves_round_away_from_zero(rate: str, amount: int, rounded: int) -> None:
    assert Rate.parse(rate).apply(amount) == rounded


def test_cents_round_half_away_from_zero_before_the_formula(independent: dict[str, Any]) -> None:
    low = copy.deepcopy(independent)
    low["student"]["income"]["tax_exempt_interest"] = 0.49
    high = copy.deepcopy(independent)
    high["student"]["income"]["tax_exempt_interest"] = 0.5
    base = estimate(independent)["intermediates"]["student_total_income"]
    assert estimate(low)["intermediates"]["student_total_income"] == base
    assert estimate(high)["intermediates"]["student_total_income"] == base + 1


def test_medicare_additional_tax_for_married_filing_separately() -> None:
    # ED record: $158,000 earned, married filing separately, 2025-26:
    # 6.2% x 158,000 + 1.45% x 158,000 + 0.9% x (158,000 - 125,000) = 12,384.
    request = independent_request(
        earned_income=158000,
        adjusted_gross_income=158000,
        tax_filing_status="married_filing_separately",
    )
    assert estimate(request)["intermediates"]["student_payroll_tax_allowance"] == 12384


@pytest.mark.parametrize(("size", "flagged"), [(4, False), (5, False), (6, True), (9, True)])
def test_unverified_figures_are_flagged_in_notes(size: int, flagged: bool) -> None:
    request = dependent_request()
    request["parents"]["family_size"] = size
    notes = estimate(request)["notes"]
    assert any("income protection allowance" in note for note in notes) is flagged
