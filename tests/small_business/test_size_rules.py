"""size-check follows 13 CFR 121.104, 121.106, 121.103 and footnote 8; numbers worked by hand.

Limits used (SBA table effective 2023-03-17): 541511 $34M receipts; 541330 $25.5M, its
exception 1 $47M; 324110 1,500 employees (footnote 4); 522110 $850M assets (footnote 8).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicllm.tools.small_business.size import check_size

M = 1_000_000


@pytest.fixture(scope="module")
def size_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("size-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, size_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    # The shipped table is imported once per module, not once per test.
    monkeypatch.setenv("CIVICLLM_HOME", str(size_home))
    yield


def receipts(code: str, years: list[int], weeks: int | None = None, **more: Any) -> dict[str, Any]:
    return check_size(
        {"naics": code, "receipts": {"fiscal_years": years, "weeks_in_business": weeks}, **more}
    )


def lines(result: dict[str, Any], item: str) -> list[dict[str, Any]]:
    return [row for row in result["worksheet"] if row["item"] == item]


def test_five_fiscal_years_are_averaged() -> None:
    result = receipts("541511", [30 * M, 31 * M, 33 * M, 34 * M, 36 * M])
    assert result["measured"]["value"] == 32_800_000  # 164M / 5
    assert result["size_standard"] == {
        "measure": "receipts",
        "limit": 34 * M,
        "table": "SBA Table of Size Standards, effective 2023-03-17",
    }
    assert result["small"] is True and result["margin"] == 1_200_000
    assert result["measured"]["method"] == "average annual receipts over 5 fiscal years"
    assert [row["amount"] for row in lines(result, "fiscal_year")] == [
        30 * M,
        31 * M,
        33 * M,
        34 * M,
        36 * M,
    ]
    assert lines(result, "receipts_total")[0]["amount"] == 164 * M
    assert lines(result, "receipts_average")[0]["amount"] == 32_800_000


def test_only_the_five_most_recent_years_count() -> None:
    result = receipts("541511", [90 * M, 30 * M, 31 * M, 33 * M, 34 * M, 36 * M])
    assert result["measured"]["value"] == 32_800_000  # the $90M oldest year is left out
    assert any("5 most recent" in note for note in result["notes"])
    assert len(lines(result, "fiscal_year")) == 5


def test_less_than_five_years_is_total_over_weeks_times_52() -> None:
    result = receipts("541511", [20 * M], weeks=40)
    assert result["measured"]["value"] == 26 * M  # 20M / 40 * 52
    assert result["measured"]["method"] == "annualized receipts over 40 weeks in business"
    assert lines(result, "receipts_annualized")[0]["source"] == "13 CFR 121.104(c)(2)"


def test_five_years_with_a_short_year_use_the_weeks_they_cover() -> None:
    # 121.104(c)(3): four full years and a short one: total / weeks * 52.
    result = receipts("541511", [26 * M, 30 * M, 30 * M, 32 * M, 32 * M], weeks=230)
    # 150M / 230 * 52 = 33,913,043.478...: shown rounded up, still small under $34M.
    assert result["measured"]["value"] == 33_913_044
    assert result["small"] is True
    assert lines(result, "receipts_annualized")[0]["source"] == "13 CFR 121.104(c)(3)"


def test_fewer_years_without_weeks_are_averaged_as_full_years_and_said_so() -> None:
    result = receipts("541511", [10 * M, 20 * M])
    assert result["measured"]["value"] == 15 * M
    assert any("weeks_in_business" in note for note in result["notes"])


def test_exactly_at_the_limit_is_small_and_a_dollar_over_is_not() -> None:
    at = receipts("541511", [34 * M] * 5)
    assert at["small"] is True and at["margin"] == 0
    over = receipts("541511", [34 * M] * 4 + [34 * M + 5])  # average exactly $1 over
    assert over["small"] is False and over["margin"] == -1
    below = receipts("541511", [34 * M] * 4 + [34 * M - 5])
    assert below["small"] is True and below["margin"] == 1


def test_a_fraction_of_a_dollar_over_is_not_small() -> None:
    # Average 34,000,000.2: compared unrounded, shown rounded up so it reads as over.
    result = receipts("541511", [34 * M] * 4 + [34 * M + 1])
    assert result["small"] is False
    assert result["measured"]["value"] == 34 * M + 1 and result["margin"] == -1
    assert any("34,000,000.20" in note for note in result["notes"])


def test_employees_are_averaged_over_the_pay_periods() -> None:
    at = check_size({"naics": "324110", "employees": {"pay_periods": [1400, 1500, 1600]}})
    assert at["measured"]["value"] == 1500 and at["small"] is True  # 4500 / 3
    assert at["size_standard"]["measure"] == "employees"
    over = check_size({"naics": "324110", "employees": {"pay_periods": [1500, 1500, 1501]}})
    assert over["small"] is False and over["measured"]["value"] == 1501  # 1500.33 up
    assert lines(over, "employees_average")[0]["amount"] == 1500.33
    assert {
        "title": "13 CFR 121.106",
        "url": "https://www.ecfr.gov/current/title-13/section-121.106",
    } in over["citations"]


def test_assets_are_the_average_of_four_quarters() -> None:
    result = check_size(
        {"naics": "522110", "assets": {"quarters": [800 * M, 820 * M, 840 * M, 860 * M]}}
    )
    assert result["measured"]["value"] == 830 * M  # 3,320M / 4
    assert result["size_standard"]["limit"] == 850 * M and result["margin"] == 20 * M
    assert [f["footnote"] for f in result["footnotes"]] == ["8"]
    over = check_size(
        {"naics": "522110", "assets": {"quarters": [850 * M, 850 * M, 850 * M, 850 * M + 4]}}
    )
    assert over["small"] is False and over["margin"] == -1


def test_spec_example_adds_the_affiliates_average() -> None:
    result = check_size(
        {
            "naics": "541511",
            "exception": None,
            "receipts": {
                "fiscal_years": [30 * M, 31 * M, 33 * M, 34 * M, 36 * M],
                "weeks_in_business": None,
            },
            "employees": {"pay_periods": [120, 118, 125]},
            "assets": {"quarters": [800 * M, 820 * M, 840 * M, 860 * M]},
            "affiliates": [{"receipts": {"fiscal_years": [M] * 5}}],
            "as_of": "2026-12-01",
        }
    )
    assert result["small"] is True
    assert result["measured"] == {
        "value": 33_800_000,
        "method": "average annual receipts over 5 fiscal years, affiliates included",
    }
    assert result["margin"] == 200_000
    assert result["naics"] == {
        "code": "541511",
        "title": "Custom Computer Programming Services",
        "exception": None,
    }
    assert lines(result, "affiliate_share")[0]["amount"] == M
    assert any("employees given were not used" in note for note in result["notes"])
    assert any("assets given were not used" in note for note in result["notes"])
    urls = [c["url"] for c in result["citations"]]
    assert "https://www.ecfr.gov/current/title-13/section-121.104" in urls
    assert "https://www.ecfr.gov/current/title-13/section-121.103" in urls


def test_each_affiliate_is_averaged_by_its_own_period() -> None:
    # Concern 5 x $20M = $20M; affiliate new: $5M over 26 weeks = $10M a year; another $1M.
    result = check_size(
        {
            "naics": "541511",
            "receipts": {"fiscal_years": [20 * M] * 5},
            "affiliates": [
                {"receipts": {"fiscal_years": [5 * M], "weeks_in_business": 26}},
                {"receipts": {"fiscal_years": [M, M, M, M, M]}},
            ],
        }
    )
    assert result["measured"]["value"] == 31 * M
    shares = [
        row["amount"]
        for row in lines(result, "receipts_annualized") + lines(result, "receipts_average")
    ]
    assert sorted(shares) == [M, 10 * M, 20 * M]
    assert lines(result, "affiliate_share")[0]["amount"] == 11 * M


def test_affiliates_employees_are_added() -> None:
    result = check_size(
        {
            "naics": "324110",
            "employees": {"pay_periods": [1000, 1100]},
            "affiliates": [{"employees": {"pay_periods": [400, 450, 500]}}],
        }
    )
    assert result["measured"]["value"] == 1500  # 1050 + 450
    assert result["small"] is True and result["margin"] == 0


def test_an_exception_uses_its_own_standard() -> None:
    years = [40 * M] * 5
    plain = receipts("541330", years)
    assert plain["size_standard"]["limit"] == 25_500_000 and plain["small"] is False
    assert any("exception 1" in note and "Military" in note for note in plain["notes"])
    military = receipts("541330", years, exception=1)
    assert military["size_standard"]["limit"] == 47 * M and military["small"] is True
    assert military["naics"]["exception"]["number"] == 1
    assert "Military" in military["naics"]["exception"]["title"]


def test_footnotes_that_apply_are_returned_with_their_text() -> None:
    refinery = check_size({"naics": "324110", "employees": {"pay_periods": [10]}})
    assert [f["footnote"] for f in refinery["footnotes"]] == ["4"]
    assert "barrels per calendar day" in refinery["footnotes"][0]["text"]
    tires = check_size({"naics": "326211", "employees": {"pay_periods": [10]}})
    assert [f["footnote"] for f in tires["footnotes"]] == ["5", "5.a", "5.b", "5.c"]
    machinery = check_size({"naics": "333111", "employees": {"pay_periods": [10]}})
    assert [f["footnote"] for f in machinery["footnotes"]] == ["6"]  # the subsector's
    assert receipts("541511", [M] * 5)["footnotes"] == []


def test_the_table_in_force_on_as_of_is_used() -> None:
    result = receipts("541511", [M] * 5, as_of="2023-03-17")
    assert result["size_standard"]["table"].endswith("2023-03-17")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60 * M), min_size=1, max_size=7))
def test_small_is_exactly_the_unrounded_average_at_or_below_the_limit(years: list[int]) -> None:
    result = receipts("541511", years)
    used = years[-5:]
    exact_total, count = sum(used), len(used)
    assert result["small"] is (exact_total <= 34 * M * count)
    assert (result["margin"] >= 0) is result["small"]
    assert result["measured"]["value"] == -(-exact_total // count)  # ceiling


def test_the_sectors_note_is_passed_on() -> None:
    # Wholesale trade: a supply contract uses the manufacturing code (nonmanufacturer rule).
    result = check_size({"naics": "423110", "employees": {"pay_periods": [50]}})
    assert any(
        note.startswith("SBA's table, sector 42:") and "121.406" in note for note in result["notes"]
    )
    assert not any("sector" in note for note in receipts("541511", [M] * 5)["notes"])
