"""Pell award from the SAI, enrollment intensity and cost of attendance; 2026-27 changes."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from civicllm.tools.student_aid import estimate
from civicllm.tools.student_aid.tables import load_tables

from .conftest import dependent_request, independent_request


def _non_filers(enrollment: dict[str, Any] | None = None) -> dict[str, Any]:
    request = dependent_request()
    request["parents"]["income"] = {"filed_or_will_file_tax_return": False}
    if enrollment is not None:
        request["enrollment"] = enrollment
    return request


@pytest.mark.parametrize(
    ("enrollment", "pell"),
    [
        (None, 7395),
        ({"enrollment_intensity_percent": 100}, 7395),
        ({"enrollment_intensity_percent": 50}, 3698),  # 3,697.50 rounds up
        ({"enrollment_intensity_percent": 75}, 5546),  # 5,546.25
        ({"enrollment_intensity_percent": 0}, 0),
        ({"cost_of_attendance": 3000}, 3000),
    ],
)
def test_maximum_pell_award(enrollment: dict[str, Any] | None, pell: int) -> None:
    assert estimate(_non_filers(enrollment))["pell_grant"] == pell


@pytest.mark.parametrize(("agi", "sai", "pell"), [(30000, 4158, 3235), (32000, 5081, 2315)])
def test_award_is_maximum_minus_sai_rounded_to_5(agi: int, sai: int, pell: int) -> None:
    # 2025-26, Formula B, single, AGI = earned income, $1,500 tax, allowance $17,890:
    # 30,000: payroll 1,860 + 435 = 2,295; available 8,315; SAI 4,157.50 -> 4,158;
    #         7,395 - 4,158 = 3,237 -> 3,235 (nearest $5).
    # 32,000: payroll 1,984 + 464 = 2,448; available 10,162; SAI 5,081;
    #         7,395 - 5,081 = 2,314 -> 2,315.
    result = estimate(independent_request(adjusted_gross_income=agi, earned_income=agi))
    assert result["sai"] == sai
    assert result["pell_grant"] == pell


def test_no_pell_between_zero_and_the_minimum() -> None:
    # Independent, no dependents, $80,000: above 275% of the guideline, SAI well above 6,655.
    result = estimate(independent_request(adjusted_gross_income=80000, earned_income=80000))
    assert result["sai"] > 6655
    assert result["min_pell_eligible"] is False
    assert result["pell_grant"] == 0


def _asset_rich_low_income(year: str) -> dict[str, Any]:
    # $30,000: above 175% of the guideline for one (25,515), below 275% (40,095).
    # $100,000 cash adds 20% x 100,000 to the SAI, far above twice the maximum Pell.
    request = independent_request(adjusted_gross_income=30000, earned_income=30000)
    request["award_year"] = year
    request["student"]["assets"] = {"cash_savings_checking": 100000}
    return request


def test_minimum_pell_before_2026_27() -> None:
    result = estimate(_asset_rich_low_income("2025-26"))
    assert result["sai"] >= 2 * 7395
    assert result["min_pell_eligible"] is True
    assert result["pell_grant"] == 740


def test_no_pell_at_twice_the_maximum_from_2026_27() -> None:
    result = estimate(_asset_rich_low_income("2026-27"))
    assert result["sai"] >= 2 * 7395
    assert result["pell_grant"] == 0
    assert any("twice the maximum" in note for note in result["notes"])


def test_no_pell_when_non_federal_grants_cover_cost_from_2026_27() -> None:
    enrollment = {"cost_of_attendance": 20000, "non_federal_grant_aid": 20000}
    before = _non_filers(enrollment)
    after = _non_filers(enrollment)
    after["award_year"] = "2026-27"
    assert estimate(before)["pell_grant"] == 7395
    assert estimate(after)["pell_grant"] == 0
    after["enrollment"]["non_federal_grant_aid"] = 19999
    assert estimate(after)["pell_grant"] == 7395


def test_foreign_income_counts_in_pell_agi_from_2026_27() -> None:
    # Family of 4 in Ohio: 175% of the 2023 guideline is $52,500, of the 2024 one $55,545.
    def request(year: str) -> dict[str, Any]:
        req = dependent_request(
            adjusted_gross_income=40000, earned_income=40000, foreign_earned_income_exclusion=20000
        )
        req["award_year"] = year
        return req

    assert estimate(request("2025-26"))["max_pell_eligible"] is True
    assert estimate(request("2026-27"))["max_pell_eligible"] is False


def test_small_business_exclusion_restored_from_2026_27() -> None:
    def request(year: str) -> dict[str, Any]:
        req = dependent_request()
        req["award_year"] = year
        req["parents"]["assets"] = {
            "business_and_farm_net_worth": 100000,
            "business_is_small_business_or_family_farm": True,
        }
        return req

    assert estimate(request("2025-26"))["intermediates"]["parent_net_worth"] == 40000
    assert estimate(request("2026-27"))["intermediates"]["parent_net_worth"] == 0


@pytest.mark.parametrize("year", ["2026-27", "2027-28"])
def test_provisional_tables_are_labelled(year: str) -> None:
    request = dependent_request()
    request["award_year"] = year
    result = estimate(request)
    assert any("provisional" in note for note in result["notes"])
    assert "provisional" in result["tables_version"]


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_official_tables_are_not_labelled_provisional(year: str) -> None:
    request = dependent_request()
    request["award_year"] = year
    assert not any("provisional" in note for note in estimate(request)["notes"])


def test_a_year_is_added_by_adding_data_files(tmp_path: Path) -> None:
    source = resources.files("civicllm.tools.student_aid").joinpath("data", "2025-26")
    target = tmp_path / "2031-32"
    target.mkdir()
    for name in ("need_analysis.yaml", "pell.yaml", "poverty_guidelines.yaml"):
        text = source.joinpath(name).read_text(encoding="utf-8")
        target.joinpath(name).write_text(text.replace("maximum_award: 7395", "maximum_award: 8000"))
    tables = load_tables(tmp_path)
    assert list(tables) == ["2031-32"]
    assert tables["2031-32"].pell_maximum == 8000


def test_low_cost_of_attendance_is_not_rounded_to_5() -> None:
    # Scheduled award 3,235 (see above) is limited to a $3,001 cost of attendance, then halved
    # for 50% enrollment intensity: 1,500.50 -> 1,501.
    request = independent_request(adjusted_gross_income=30000, earned_income=30000)
    request["enrollment"] = {"cost_of_attendance": 3001, "enrollment_intensity_percent": 50}
    result = estimate(request)
    assert result["pell_grant"] == 1501
    assert "The Pell Grant is limited to the cost of attendance." in result["notes"]
