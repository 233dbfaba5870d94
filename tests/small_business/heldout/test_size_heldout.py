"""Held-out size checks: `small-business/size-check` over HTTP against hand-computed answers.

Written apart from the tool's code and its generated cases, and never used to tune them. Each
case takes its limit from SBA's table as shared (../shared/data/small_business/
sba_size_standards_2023-03-17.csv, "Table of Size Standards", effective 2023-03-17,
https://www.sba.gov/document/support-table-size-standards) and computes the expected figure here
with plain arithmetic, following the rule it tests:

- 13 CFR 121.104(c)(1), https://www.ecfr.gov/current/title-13/section-121.104 : average annual
  receipts are the total receipts of the most recently completed 5 fiscal years divided by 5.
- 13 CFR 121.104(c)(2): a concern in business less than 5 complete fiscal years takes its total
  receipts over the time in business, divided by the number of weeks in business, times 52.
- 13 CFR 121.106(b), https://www.ecfr.gov/current/title-13/section-121.106 : the average number
  of employees over each pay period of the preceding completed 24 calendar months (or of the time
  in business when shorter); part-time and temporary employees count like full-time ones;
  affiliates' employees are included.
- 13 CFR 121.103(a)(6), https://www.ecfr.gov/current/title-13/section-121.103 : the receipts or
  employees of the concern and of all its affiliates are added together.
- SBA table footnote 8 (13 CFR 121.201): for 522110, 522130, 522180 and 522210, assets are the
  average of the assets on the four quarterly financial statements of the preceding year.

A concern is small when the measured value is at or below the limit (13 CFR 121.201), and the
expected margin here is the limit minus the measured value (the spec's example: 34,000,000 -
33,800,000 = 200,000), negative when the concern is over. The cases are chosen so every average
is a whole number, and so a wrong rule (all years averaged, the oldest five taken, the largest
pay period or quarter used, affiliates left out, the exception ignored) gives another verdict.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicllm.config import Settings
from civicllm.server import create_app

TABLE = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "data"
    / "small_business"
    / "sba_size_standards_2023-03-17.csv"
)
ROUTE = "/v1/tools/small-business/size-check"
TABLE_TITLE = "SBA Table of Size Standards, effective 2023-03-17"
MILLION = 1_000_000


def sba_limit(code: str, exception: int | None = None) -> tuple[str, int]:
    """Read (measure, limit) of a code, or of one of its exception rows, from SBA's CSV.

    Receipts are in millions of dollars ("25.5" is $25,500,000); the four asset-based banking
    rows hold the text "$850 million in assets"; employee standards are a head count.
    """
    if not TABLE.exists():
        pytest.fail(f"SBA's table is not at {TABLE} (shared data must sit next to the repository)")
    key = code if exception is None else f"{code} (Exception {exception})"
    with TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["naics_code"] != key:
                continue
            money = row["size_standard_millions_usd"].strip()
            if "assets" in money:
                millions = re.search(r"[\d.]+", money)
                assert millions, money
                return "assets", round(float(millions.group()) * MILLION)
            if money:
                return "receipts", round(float(money) * MILLION)
            return "employees", int(row["size_standard_employees"].replace(",", ""))
    raise AssertionError(f"{key} is not in SBA's table")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One in-process app for the module (echo engine, no retrieval index needed)."""
    home = tmp_path_factory.mktemp("heldout-size") / "home"
    settings = Settings(engine="echo", home=home, grounding=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def check(client: TestClient, request: dict[str, Any]) -> dict[str, Any]:
    """POST a size check that must succeed; return its JSON body."""
    response = client.post(ROUTE, json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


def assert_verdict(body: dict[str, Any], measure: str, limit: int, value: int) -> None:
    """The spec's fields: the standard, the measured value, the margin and `small`."""
    assert body["size_standard"]["measure"] == measure
    assert body["size_standard"]["limit"] == limit
    assert body["measured"]["value"] == value
    assert body["margin"] == limit - value
    assert body["small"] is (value <= limit)


def error_of(client: TestClient, request: dict[str, Any]) -> dict[str, Any]:
    """POST a size check that must be refused with a 400; return the OpenAI-shaped error."""
    response = client.post(ROUTE, json=request)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert isinstance(error, dict) and error["message"]
    return error


# ------------------------------------------------------------------ receipts, 5 fiscal years


def test_receipts_average_exactly_at_the_limit_is_small(client: TestClient) -> None:
    measure, limit = sba_limit("541511")  # Custom Computer Programming Services: $34 million
    years = [30 * MILLION, 32 * MILLION, 34 * MILLION, 36 * MILLION, 38 * MILLION]
    # (30 + 32 + 34 + 36 + 38) million / 5 = 170 million / 5 = 34,000,000: at the limit.
    expected = sum(years) // 5
    assert expected * 5 == sum(years) == 170 * MILLION
    body = check(client, {"naics": "541511", "receipts": {"fiscal_years": years}})
    assert measure == "receipts" and limit == 34 * MILLION
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 0
    assert body["naics"]["code"] == "541511"
    assert body["size_standard"]["table"] == TABLE_TITLE
    assert body["footnotes"] == []  # 541511 carries no SBA footnote
    assert "worksheet" in body


def test_receipts_average_one_dollar_over_the_limit_is_not_small(client: TestClient) -> None:
    measure, limit = sba_limit("541511")
    years = [30 * MILLION, 32 * MILLION, 34 * MILLION, 36 * MILLION, 38 * MILLION + 5]
    # 170,000,005 / 5 = 34,000,001: one dollar over $34 million.
    expected = 34 * MILLION + 1
    assert sum(years) == 5 * expected
    body = check(client, {"naics": "541511", "receipts": {"fiscal_years": years}})
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is False and body["margin"] == -1


def test_only_the_five_most_recent_fiscal_years_count(client: TestClient) -> None:
    measure, limit = sba_limit("811111")  # General Automotive Repair: $9 million
    # Seven completed years, most recent last. The latest five: 8 + 9 + 9 + 9 + 10 = 45 million,
    # / 5 = 9,000,000: at the limit, small. (All seven: 85/7 = 12.1 million; the oldest five:
    # 66/5 = 13.2 million; either would wrongly say "not small".)
    years = [20, 20, 8, 9, 9, 9, 10]
    dollars = [y * MILLION for y in years]
    expected = sum(dollars[-5:]) // 5
    assert expected == 9 * MILLION
    body = check(client, {"naics": "811111", "receipts": {"fiscal_years": dollars}})
    assert measure == "receipts" and limit == 9 * MILLION
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True


# ------------------------------------------------------------ receipts, under 5 fiscal years


def test_under_five_years_annualizes_by_weeks_in_business(client: TestClient) -> None:
    measure, limit = sba_limit("722330")  # Mobile Food Services: $9 million
    # 78 weeks in business, $13,200,000 received in that time:
    # 13,200,000 / 78 x 52 = 13,200,000 x 2/3 = 8,800,000; margin 200,000.
    total, weeks = 13_200_000, 78
    expected = total * 52 // weeks
    assert expected * weeks == total * 52 and expected == 8_800_000
    body = check(
        client,
        {"naics": "722330", "receipts": {"fiscal_years": [total], "weeks_in_business": weeks}},
    )
    assert measure == "receipts" and limit == 9 * MILLION
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 200_000


def test_under_five_years_annualized_just_over_the_limit(client: TestClient) -> None:
    measure, limit = sba_limit("812112")  # Beauty Salons: $9.5 million
    # Two years (104 weeks), $19,000,002: 19,000,002 / 104 x 52 = 19,000,002 / 2 = 9,500,001.
    # (Taken as one fiscal year's receipts, or divided by 5, the answer would differ.)
    total, weeks = 19_000_002, 104
    expected = total * 52 // weeks
    assert expected * weeks == total * 52 and expected == 9_500_001
    body = check(
        client,
        {"naics": "812112", "receipts": {"fiscal_years": [total], "weeks_in_business": weeks}},
    )
    assert measure == "receipts" and limit == 9_500_000
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is False and body["margin"] == -1


# ------------------------------------------------------------------------------- employees


def test_employees_are_averaged_over_pay_periods_not_the_peak(client: TestClient) -> None:
    measure, limit = sba_limit("337110")  # Wood Kitchen Cabinet and Counter Top Mfg: 750
    # (700 + 800 + 760 + 740) / 4 = 3000 / 4 = 750: at the limit, small, though one pay
    # period had 800 people (the peak or the latest period alone would say otherwise).
    periods = [700, 800, 760, 740]
    expected = sum(periods) // len(periods)
    assert expected * len(periods) == sum(periods) == 3000
    body = check(client, {"naics": "337110", "employees": {"pay_periods": periods}})
    assert measure == "employees" and limit == 750
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 0


def test_employee_average_two_over_the_limit(client: TestClient) -> None:
    measure, limit = sba_limit("321999")  # All Other Miscellaneous Wood Product Mfg: 500
    # (480 + 530 + 495 + 500 + 505 + 502) / 6 = 3012 / 6 = 502: not small, margin -2.
    periods = [480, 530, 495, 500, 505, 502]
    expected = sum(periods) // len(periods)
    assert expected * len(periods) == sum(periods) == 3012
    body = check(client, {"naics": "321999", "employees": {"pay_periods": periods}})
    assert measure == "employees" and limit == 500
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is False and body["margin"] == -2


# ------------------------------------------------------------------------------ affiliates


def test_affiliates_receipts_are_added_in(client: TestClient) -> None:
    measure, limit = sba_limit("238160")  # Roofing Contractors: $19 million
    # Concern: 14 million a year -> average 14,000,000.
    # Affiliate A: 3 million a year -> 3,000,000.
    # Affiliate B: 2, 2, 2, 2 million and 2,000,010 -> 10,000,010 / 5 = 2,000,002.
    # Together 14,000,000 + 3,000,000 + 2,000,002 = 19,000,002: not small, margin -2
    # (the concern alone, or with A only, would be small).
    concern = [14 * MILLION] * 5
    first = [3 * MILLION] * 5
    second = [2 * MILLION] * 4 + [2 * MILLION + 10]
    expected = sum(concern) // 5 + sum(first) // 5 + sum(second) // 5
    assert sum(second) == 5 * (2 * MILLION + 2) and expected == 19 * MILLION + 2
    body = check(
        client,
        {
            "naics": "238160",
            "receipts": {"fiscal_years": concern},
            "affiliates": [
                {"receipts": {"fiscal_years": first}},
                {"receipts": {"fiscal_years": second}},
            ],
        },
    )
    assert measure == "receipts" and limit == 19 * MILLION
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is False and body["margin"] == -2


def test_affiliates_receipts_bring_the_concern_exactly_to_the_limit(client: TestClient) -> None:
    measure, limit = sba_limit("561720")  # Janitorial Services: $22 million
    # Concern: (15 + 16 + 17 + 18 + 19) million / 5 = 85 / 5 = 17,000,000.
    # Affiliate: (4 + 5 + 5 + 6 + 5) million / 5 = 25 / 5 = 5,000,000. Sum 22,000,000: small.
    concern = [m * MILLION for m in (15, 16, 17, 18, 19)]
    affiliate = [m * MILLION for m in (4, 5, 5, 6, 5)]
    expected = sum(concern) // 5 + sum(affiliate) // 5
    assert expected == 22 * MILLION
    body = check(
        client,
        {
            "naics": "561720",
            "receipts": {"fiscal_years": concern},
            "affiliates": [{"receipts": {"fiscal_years": affiliate}}],
        },
    )
    assert measure == "receipts" and limit == 22 * MILLION
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 0


def test_affiliates_employees_are_added_in(client: TestClient) -> None:
    measure, limit = sba_limit("321999")  # 500 employees
    # Concern: (300 + 310 + 290) / 3 = 300. Affiliate: (150 + 250 + 200) / 3 = 200.
    # Together 500 (the same as adding period by period: 450 + 560 + 490 = 1500, / 3 = 500).
    concern, affiliate = [300, 310, 290], [150, 250, 200]
    expected = sum(concern) // 3 + sum(affiliate) // 3
    assert expected == 500 == sum(c + a for c, a in zip(concern, affiliate, strict=True)) // 3
    body = check(
        client,
        {
            "naics": "321999",
            "employees": {"pay_periods": concern},
            "affiliates": [{"employees": {"pay_periods": affiliate}}],
        },
    )
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 0


# ---------------------------------------------------------------------------------- assets


def test_bank_assets_are_averaged_over_four_quarters(client: TestClient) -> None:
    measure, limit = sba_limit("522110")  # Commercial Banking: $850 million in assets
    # (800 + 820 + 840 + 940) million / 4 = 3,400 / 4 = 850,000,000: at the limit, small,
    # though the latest quarter (940 million) is over it.
    quarters = [m * MILLION for m in (800, 820, 840, 940)]
    expected = sum(quarters) // 4
    assert expected == 850 * MILLION
    body = check(client, {"naics": "522110", "assets": {"quarters": quarters}})
    assert measure == "assets" and limit == 850 * MILLION
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 0
    # Footnote 8 (the four-quarter rule) applies to 522110 and is returned.
    assert "four quarterly" in json.dumps(body["footnotes"])


def test_bank_assets_one_dollar_over(client: TestClient) -> None:
    measure, limit = sba_limit("522110")
    # (850 + 850 + 850) million + 850,000,004 = 3,400,000,004; / 4 = 850,000,001.
    quarters = [850 * MILLION] * 3 + [850 * MILLION + 4]
    expected = sum(quarters) // 4
    assert expected * 4 == sum(quarters) and expected == 850 * MILLION + 1
    body = check(client, {"naics": "522110", "assets": {"quarters": quarters}})
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is False and body["margin"] == -1


# ------------------------------------------------------------------------------ exceptions


def test_an_exception_row_has_its_own_receipts_standard(client: TestClient) -> None:
    base_measure, base_limit = sba_limit("541330")  # Engineering Services: $25.5 million
    measure, limit = sba_limit("541330", 1)  # Exception 1, Military and Aerospace: $47 million
    assert (base_limit, limit) == (25_500_000, 47 * MILLION)
    years = [40 * MILLION] * 5  # average 40,000,000
    expected = sum(years) // 5
    with_exception = check(
        client, {"naics": "541330", "exception": 1, "receipts": {"fiscal_years": years}}
    )
    plain = check(client, {"naics": "541330", "receipts": {"fiscal_years": years}})
    # Under exception 1: 47,000,000 - 40,000,000 = 7,000,000 to spare, small.
    assert_verdict(with_exception, measure, limit, expected)
    assert with_exception["small"] is True and with_exception["margin"] == 7 * MILLION
    # The spec leaves the shape of the echoed exception open: a number or {"number", ...}.
    echoed = with_exception["naics"]["exception"]
    assert (echoed["number"] if isinstance(echoed, dict) else echoed) == 1
    # Under the code's own standard: 25,500,000 - 40,000,000 = -14,500,000, not small.
    assert_verdict(plain, base_measure, base_limit, expected)
    assert plain["small"] is False and plain["margin"] == -14_500_000
    assert plain["naics"]["exception"] is None


def test_an_exception_row_has_its_own_employee_standard(client: TestClient) -> None:
    base_measure, base_limit = sba_limit("541715")  # R&D in the physical sciences: 1,000
    measure, limit = sba_limit("541715", 1)  # Exception 1, Aircraft and engine parts: 1,500
    assert (base_measure, base_limit, measure, limit) == ("employees", 1000, "employees", 1500)
    periods = [1100, 1300, 1200, 1200]  # 4800 / 4 = 1200
    expected = sum(periods) // 4
    assert expected == 1200
    with_exception = check(
        client, {"naics": "541715", "exception": 1, "employees": {"pay_periods": periods}}
    )
    plain = check(client, {"naics": "541715", "employees": {"pay_periods": periods}})
    assert_verdict(with_exception, measure, limit, expected)  # 1500 - 1200 = 300, small
    assert with_exception["margin"] == 300
    assert_verdict(plain, base_measure, base_limit, expected)  # 1000 - 1200 = -200
    assert plain["small"] is False and plain["margin"] == -200


# ------------------------------------------------------------------------------- footnotes


def test_the_refinery_footnote_is_returned_with_the_result(client: TestClient) -> None:
    measure, limit = sba_limit("324110")  # Petroleum Refineries: 1,500 employees, footnote 4
    periods = [1400, 1450, 1350]  # 4200 / 3 = 1400: small by head count
    expected = sum(periods) // 3
    assert expected == 1400
    body = check(client, {"naics": "324110", "employees": {"pay_periods": periods}})
    assert measure == "employees" and limit == 1500
    assert_verdict(body, measure, limit, expected)
    assert body["small"] is True and body["margin"] == 100
    # Footnote 4: the refiner may instead qualify on capacity, "no more than 200,000 barrels
    # per calendar day" of crude distillation capacity; a user must see that condition.
    footnotes = json.dumps(body["footnotes"])
    assert "200,000 barrels" in footnotes


# ---------------------------------------------------------------------------------- errors


def test_missing_receipts_for_a_receipts_standard_names_the_field(client: TestClient) -> None:
    # 541511 is measured in receipts; employees alone cannot settle it.
    error = error_of(client, {"naics": "541511", "employees": {"pay_periods": [10, 12]}})
    assert str(error["param"]).startswith("receipts"), error


def test_missing_assets_for_a_bank_names_the_field(client: TestClient) -> None:
    error = error_of(client, {"naics": "522110", "receipts": {"fiscal_years": [MILLION] * 5}})
    assert str(error["param"]).startswith("assets"), error


def test_an_unknown_naics_code_names_the_field(client: TestClient) -> None:
    # 999999 is no 2022 NAICS code; 921110 (Public Administration) has no SBA size standard.
    for code in ("999999", "921110"):
        error = error_of(client, {"naics": code, "receipts": {"fiscal_years": [MILLION] * 5}})
        assert error["param"] == "naics", (code, error)


def test_a_negative_amount_names_the_field(client: TestClient) -> None:
    years = [MILLION, MILLION, -5, MILLION, MILLION]
    error = error_of(client, {"naics": "541511", "receipts": {"fiscal_years": years}})
    assert str(error["param"]).startswith("receipts"), error


def test_an_exception_the_code_does_not_have_names_the_field(client: TestClient) -> None:
    years = [MILLION] * 5
    # 541511 has no exception row; 541330 has exceptions 1 to 3 only.
    for code, number in (("541511", 1), ("541330", 4)):
        error = error_of(
            client, {"naics": code, "exception": number, "receipts": {"fiscal_years": years}}
        )
        assert error["param"] == "exception", (code, number, error)


def test_every_bad_figure_is_reported_at_once(client: TestClient) -> None:
    # A negative figure in the concern's receipts and another in an affiliate's: both listed.
    error = error_of(
        client,
        {
            "naics": "541511",
            "receipts": {"fiscal_years": [MILLION, -1, MILLION, MILLION, MILLION]},
            "affiliates": [{"receipts": {"fiscal_years": [MILLION, MILLION, -2, MILLION, 0]}}],
        },
    )
    lines = [line for line in str(error["message"]).splitlines() if line.strip()]
    assert len(lines) >= 2, error
