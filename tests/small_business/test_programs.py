"""small-business/programs: each program's rules at their edges, missing facts, bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from civicllm.errors import InputError
from civicllm.tools.small_business.programs import PROGRAM_IDS, screen
from civicllm.tools.small_business.programs_facts import load_facts

FACTS = load_facts().on(date(2026, 12, 2))
BASE = {"for_profit": True, "us_based": True, "is_small": True, "as_of": "2026-12-02"}


def figure(key: str) -> Any:
    return FACTS[key].value


def one(request: dict[str, Any], program: str) -> dict[str, Any]:
    result = screen({**request, "programs": [program]})
    (found,) = result["programs"]
    assert found["program"] == program
    return dict(found)


def status(request: dict[str, Any], program: str) -> str:
    return str(one(request, program)["status"])


def reason(found: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(r for r in found["reasons"] if r["rule"] == rule)


# --- loans ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(figure("loan_7a_max"), "likely_eligible"), (figure("loan_7a_max") + 1, "not_eligible")],
)
def test_7a_loan_amount_is_at_most_the_maximum(amount: int, expected: str) -> None:
    assert status({**BASE, "loan_amount": amount}, "7a") == expected


def test_7a_needs_the_basic_facts_and_says_which_are_missing() -> None:
    found = one({"loan_amount": 100000, "as_of": "2026-12-02"}, "7a")
    assert found["status"] == "check"
    assert found["missing"] == ["for_profit", "us_based", "is_small"]
    assert status({**BASE, "for_profit": False}, "7a") == "not_eligible"
    assert status({**BASE, "us_based": False}, "7a") == "not_eligible"


def test_a_size_check_result_stands_for_is_small() -> None:
    request = {"for_profit": True, "us_based": True, "size_check": {"small": False}}
    assert status(request, "7a") == "not_eligible"
    assert status({**request, "size_check": {"small": True}}, "7a") == "likely_eligible"


def test_7a_limits_carry_the_guaranty_figures_with_sources() -> None:
    limits = {x["fact"]: x for x in one({}, "7a")["limits"]}
    assert limits["loan_7a_max"]["value"] == 5000000
    assert limits["loan_7a_guaranty_small_loan"]["value"] == 85
    assert limits["loan_7a_guaranty_small_loan_limit"]["value"] == 150000
    assert limits["loan_7a_guaranty_large_loan"]["value"] == 75
    assert all(x["source"]["url"].startswith("https://") for x in limits.values())


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (24999, "not_eligible"),
        (25000, "likely_eligible"),
        (5000000, "likely_eligible"),
        (5000001, "check"),  # only a manufacturer's or energy project reaches $5.5M
        (5500000, "check"),
        (5500001, "not_eligible"),
    ],
)
def test_504_amount_edges(amount: int, expected: str) -> None:
    assert status({**BASE, "loan_purpose": "real_estate", "loan_amount": amount}, "504") == expected


@pytest.mark.parametrize(
    ("purpose", "expected"),
    [
        ("real_estate", "likely_eligible"),
        ("equipment", "likely_eligible"),
        ("working_capital", "not_eligible"),
        ("inventory", "not_eligible"),
        ("refinance", "check"),
    ],
)
def test_504_finances_fixed_assets(purpose: str, expected: str) -> None:
    assert status({**BASE, "loan_purpose": purpose}, "504") == expected


def test_504_without_a_purpose_is_to_check() -> None:
    found = one(BASE, "504")
    assert found["status"] == "check" and found["missing"] == ["loan_purpose"]


@pytest.mark.parametrize(
    ("amount", "expected"), [(50000, "likely_eligible"), (50001, "not_eligible")]
)
def test_microloan_maximum(amount: int, expected: str) -> None:
    assert status({**BASE, "loan_amount": amount}, "microloan") == expected


def test_microloan_pays_no_real_estate_and_a_nonprofit_is_to_check() -> None:
    assert status({**BASE, "loan_purpose": "real_estate"}, "microloan") == "not_eligible"
    assert status({**BASE, "loan_purpose": "working_capital"}, "microloan") == "likely_eligible"
    assert status({**BASE, "for_profit": False}, "microloan") == "check"


# --- 8(a) and EDWOSB: the economic disadvantage thresholds ---------------------------------

DISADVANTAGED = {
    **BASE,
    "disadvantaged_share": 51,
    "personal_net_worth": 849999,
    "average_agi": 400000,
    "total_assets": 6500000,
    "years_in_business": 2,
}


def test_8a_passes_just_inside_every_threshold() -> None:
    found = one(DISADVANTAGED, "8a")
    assert found["status"] == "likely_eligible", found["reasons"]
    assert reason(found, "eighta_net_worth")["threshold"] == 850000
    assert reason(found, "eighta_net_worth")["comparison"] == "less_than"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("personal_net_worth", 850000),  # "less than $850,000": $850,000 itself fails
        ("average_agi", 400001),  # "exceeds $400,000" fails; $400,000 passes
        ("total_assets", 6500001),
        ("disadvantaged_share", 50.9),
    ],
)
def test_8a_fails_at_or_just_over_a_threshold(field: str, value: float) -> None:
    found = one({**DISADVANTAGED, field: value}, "8a")
    assert found["status"] == "not_eligible"
    assert [r["field"] for r in found["reasons"] if r["met"] is False] == [field]


def test_8a_under_two_years_needs_a_waiver_so_it_is_to_check() -> None:
    found = one({**DISADVANTAGED, "years_in_business": 1.5}, "8a")
    assert found["status"] == "check"
    assert reason(found, "eighta_years_in_business")["met"] is None


def test_8a_term_is_a_limit() -> None:
    limits = {x["fact"]: x["value"] for x in one({}, "8a")["limits"]}
    assert limits["eighta_term_years"] == 9


def test_thresholds_before_the_2022_inflation_adjustment() -> None:
    old = {**DISADVANTAGED, "personal_net_worth": 800000, "as_of": "2021-06-01"}
    then = one(old, "8a")
    assert then["status"] == "not_eligible"  # the limit was $750,000 then
    assert reason(then, "eighta_net_worth")["threshold"] == 750000
    since = one({**old, "as_of": "2022-12-19"}, "8a")
    assert reason(since, "eighta_net_worth")["met"] is True
    assert reason(since, "eighta_net_worth")["source"]["effective_date"] == "2022-12-19"


@pytest.mark.parametrize(
    ("women_share", "expected"), [(51, "likely_eligible"), (50.5, "not_eligible")]
)
def test_wosb_ownership_edge(women_share: float, expected: str) -> None:
    assert status({**BASE, "women_share": women_share}, "wosb") == expected


def test_edwosb_uses_the_same_economic_thresholds() -> None:
    woman = {**DISADVANTAGED, "women_share": 60}
    assert status(woman, "edwosb") == "likely_eligible"
    assert status({**woman, "personal_net_worth": 850000}, "edwosb") == "not_eligible"
    assert status({**woman, "average_agi": 400001}, "edwosb") == "not_eligible"
    assert one({**BASE, "women_share": 60}, "edwosb")["missing"] == [
        "personal_net_worth",
        "average_agi",
        "total_assets",
    ]


# --- HUBZone, veterans --------------------------------------------------------------------

HUB = {**BASE, "us_citizen_share": 100, "hubzone_principal_office": True}


@pytest.mark.parametrize(("share", "expected"), [(35, "likely_eligible"), (34.9, "not_eligible")])
def test_hubzone_residency_edge(share: float, expected: str) -> None:
    assert status({**HUB, "hubzone_employee_share": share}, "hubzone") == expected


def test_hubzone_office_outside_fails_and_next_step_is_the_map() -> None:
    found = one({**HUB, "hubzone_principal_office": False, "hubzone_employee_share": 50}, "hubzone")
    assert found["status"] == "not_eligible"
    assert any("HUBZone map" in s["text"] for s in found["next_steps"])


@pytest.mark.parametrize(
    ("program", "field"), [("vosb", "veteran_share"), ("sdvosb", "service_disabled_veteran_share")]
)
def test_veteran_ownership_edges(program: str, field: str) -> None:
    assert status({**BASE, field: 51}, program) == "likely_eligible"
    assert status({**BASE, field: 50}, program) == "not_eligible"
    steps = one({**BASE, field: 51}, program)["next_steps"]
    assert any("certifications.sba.gov" in s["text"] for s in steps)


# --- SBIR / STTR --------------------------------------------------------------------------

RESEARCH = {**BASE, "employees": 500, "us_citizen_share": 51, "does_research": True}


def test_sbir_employee_and_ownership_edges() -> None:
    assert status(RESEARCH, "sbir") == "likely_eligible"
    assert status({**RESEARCH, "employees": 501}, "sbir") == "not_eligible"
    assert status({**RESEARCH, "us_citizen_share": 50}, "sbir") == "check"  # residents unknown
    mixed = {**RESEARCH, "us_citizen_share": 30, "permanent_resident_share": 20}
    assert status(mixed, "sbir") == "not_eligible"  # 50% is not more than 50%
    assert status({**mixed, "permanent_resident_share": 21}, "sbir") == "likely_eligible"


def test_sbir_authority_lapsed_between_october_2025_and_april_2026() -> None:
    lapsed = one({**RESEARCH, "as_of": "2026-01-15"}, "sbir")
    assert lapsed["status"] == "not_eligible"
    assert reason(lapsed, "sbir_authority")["met"] is False
    restored = one({**RESEARCH, "as_of": "2026-04-13"}, "sbir")
    assert reason(restored, "sbir_authority")["met"] is True


def test_sttr_needs_a_research_partner_and_the_work_split() -> None:
    assert status(RESEARCH, "sttr") == "check"
    partner = {**RESEARCH, "research_institution_partner": True}
    assert status(partner, "sttr") == "likely_eligible"
    split = {**partner, "sttr_small_business_work_share": 40, "sttr_institution_work_share": 30}
    assert status(split, "sttr") == "likely_eligible"
    assert status({**split, "sttr_small_business_work_share": 39}, "sttr") == "not_eligible"
    assert status({**split, "sttr_institution_work_share": 29}, "sttr") == "not_eligible"


# --- the whole result ---------------------------------------------------------------------


def test_no_facts_means_every_program_is_to_check_never_a_guess() -> None:
    result = screen({})
    assert [p["program"] for p in result["programs"]] == list(PROGRAM_IDS)
    assert {p["status"] for p in result["programs"]} == {"check"}
    assert "grants" not in result


def test_every_reason_names_its_threshold_and_source() -> None:
    for program in screen(DISADVANTAGED)["programs"]:
        for found in program["reasons"]:
            assert found["text"]
            assert found["source"]["url"].startswith("https://"), found
            assert "threshold" in found


@pytest.mark.parametrize(
    "request_",
    [{"wants_grant": True}, {"programs": ["grants"]}],
)
def test_a_grant_question_gets_the_grant_fact(request_: dict[str, Any]) -> None:
    grants = screen(request_)["grants"]
    assert grants["sba_gives_start_up_grants"] is False
    assert "does not give grants" in grants["text"]
    assert grants["source"]["url"] == "https://www.sba.gov/funding-programs/grants"


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InputError) as caught:
        screen(
            {
                "loan_amount": -5,
                "women_share": 101,
                "veteran_share": -1,
                "total_assets": -1,
                "for_profit": "yes",
                "loan_purpose": "yacht",
                "programs": ["7a", "grant money"],
                "as_of": "02/12/2026",
                "color": "red",
            }
        )
    params = [param for param, _ in caught.value.details]
    assert params == [
        "loan_amount",
        "women_share",
        "veteran_share",
        "total_assets",
        "for_profit",
        "loan_purpose",
        "programs.1",
        "as_of",
        "color",
    ]
    assert caught.value.param == "loan_amount"
    assert "grant money" in caught.value.message


def test_net_worth_and_income_may_be_negative() -> None:
    found = one({**DISADVANTAGED, "personal_net_worth": -20000, "average_agi": -5000}, "8a")
    assert found["status"] == "likely_eligible"


def test_a_date_before_any_version_of_a_figure_is_to_check() -> None:
    found = one({**DISADVANTAGED, "as_of": "2019-01-01"}, "8a")
    assert found["status"] == "check"
    assert reason(found, "eighta_net_worth")["met"] is None
    assert "personal_net_worth" not in found["missing"]  # given; only the figure is lacking
