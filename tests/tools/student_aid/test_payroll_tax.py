"""The payroll tax allowance, person by person, worked by hand from the official rule.

The rule (HEA secs. 475(c)(2) and (g)(3), 476(b)(2), 477(b)(2), as amended by the FAFSA
Simplification Act, Pub. L. 116-260, div. FF, title VII): for each person, Social Security tax
at 6.2% of earnings up to the tax year's contribution and benefit base (IRC sec. 3101(a); twice
the base on a joint return), plus Medicare tax at 1.45% of all earnings and 0.9% of the part
above the additional-Medicare threshold for that person's filing status (IRC sec. 3101(b):
$200,000; $250,000 married filing jointly; $125,000 married filing separately). The people's
amounts are added up; the Social Security and the Medicare totals are each rounded once.

Wage bases (SSA, https://www.ssa.gov/oact/cola/cbb.html): 2022 $147,000, 2023 $160,200,
2024 $168,600, 2025 $176,100. Every expected figure below is computed by hand in its comment.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from civicllm.tools.student_aid import TABLES, estimate
from civicllm.tools.student_aid.allowances import payroll_tax_allowance
from civicllm.tools.student_aid.household import PersonIncome

from .conftest import dependent_request, independent_request


def _person(earned: int, status: str = "single") -> PersonIncome:
    return PersonIncome(
        filed=True,
        foreign_income_no_return=False,
        filing_status=status,
        agi=earned,
        income_tax_paid=0,
        earned_income=earned,
        tax_exempt_interest=0,
        ira_deductions=0,
        untaxed_ira=0,
        untaxed_pensions=0,
        foreign_income_exclusion=0,
        education_credits=0,
        taxable_grants=0,
        work_study=0,
        eitc=False,
    )


MFS = "married_filing_separately"
MFJ = "married_filing_jointly"

CASES: list[tuple[str, str, list[tuple[int, str]], int]] = [
    # 7.65% of each: 4,972.50 + 6,502.50 = 11,475 (the example shape).
    ("separate returns, under every threshold", "2025-26", [(65000, MFS), (85000, MFS)], 11475),
    # Unmarried parents living together, each filing single: the same 11,475.
    ("two single filers", "2025-26", [(65000, "single"), (85000, "single")], 11475),
    # SS 6.2% x 160,200 = 9,932.40 -> 9,932; Medicare 1.45% x 180,000 = 2,610.
    ("above the wage base", "2025-26", [(180000, "single")], 12542),
    # SS 9,932; Medicare 1.45% x 250,000 = 3,625 + 0.9% x 50,000 = 450: 4,075.
    ("above the single threshold", "2025-26", [(250000, "single")], 14007),
    # SS 9,796; Medicare 2,291 + 0.9% x 33,000 = 297 (an ED record: 12,384).
    ("married filing separately above $125,000", "2025-26", [(158000, MFS)], 12384),
    # Each 150,000 MFS: SS 2 x 9,300; Medicare 2 x 2,175 + 0.9% x 2 x 25,000 = 450.
    ("both separate filers above $125,000", "2025-26", [(150000, MFS), (150000, MFS)], 23400),
    # Each 190,000 single: SS 2 x 9,932.40 = 19,864.80 -> 19,865; Medicare 1.45% x 380,000
    # = 5,510; neither person is above $200,000, so no additional tax.
    ("two earners each under $200,000", "2025-26", [(190000, "single"), (190000, "single")], 25375),
    # Head of household and qualifying surviving spouse use the $200,000 threshold: SS 19,865;
    # Medicare 1.45% x 420,000 = 6,090 + 0.9% x 2 x 10,000 = 180.
    (
        "head of household and surviving spouse",
        "2025-26",
        [(210000, "head_of_household"), (210000, "qualifying_surviving_spouse")],
        26135,
    ),
    # Joint return, one block: SS 6.2% x 300,000 = 18,600 (base doubled: 320,400);
    # Medicare 4,350 + 0.9% x 50,000 = 450.
    ("joint return above $250,000", "2025-26", [(300000, MFJ)], 23400),
    # Joint return above twice the base: SS 6.2% x 320,400 = 19,864.80 -> 19,865;
    # Medicare 1.45% x 330,000 = 4,785 + 0.9% x 80,000 = 720.
    ("joint return above twice the base", "2025-26", [(330000, MFJ)], 25370),
    # A self-employment loss counts as no earnings for that person only: 7.65% x 40,000.
    ("one person's loss", "2025-26", [(-20000, MFS), (40000, MFS)], 3060),
    ("a loss alone", "2025-26", [(-5000, "single")], 0),
    ("no earnings", "2025-26", [(0, "single")], 0),
    # Totals rounded once (ED records): SS 6.2% x 184,001 = 11,408.06 -> 11,408; Medicare
    # 1.45% x 184,001 = 2,668.01 -> 2,668. Rounding each person first would give 14,077.
    ("rounding once", "2025-26", [(85000, "single"), (99001, "single")], 14076),
    # SS 6.2% x 119,056 = 7,381.47 -> 7,381; Medicare 1,726.31 -> 1,726 (an ED record).
    (
        "rounding Social Security and Medicare apart",
        "2025-26",
        [(85000, MFJ), (34056, "single")],
        9107,
    ),
    # 2024-25 (tax year 2022): SS 6.2% x 147,000 = 9,114; Medicare 1.45% x 160,000 = 2,320.
    ("2024-25 wage base", "2024-25", [(160000, "single")], 11434),
    # 2024-25, separate returns 130,000 + 140,000: SS 8,060 + 8,680; Medicare 1.45% x 270,000
    # = 3,915 + 0.9% x (5,000 + 15,000) = 180.
    ("2024-25 separate returns", "2024-25", [(130000, MFS), (140000, MFS)], 20835),
    # 2026-27 (tax year 2024): SS 6.2% x 168,600 = 10,453.20 -> 10,453; Medicare 2,900.
    ("2026-27 wage base", "2026-27", [(200000, "single")], 13353),
    # 2027-28 (tax year 2025): SS 6.2% x 176,100 = 10,918.20 -> 10,918; Medicare 2,900.
    ("2027-28 wage base", "2027-28", [(200000, "single")], 13818),
]


@pytest.mark.parametrize(
    ("year", "people", "allowance"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_payroll_tax_allowance(year: str, people: list[tuple[int, str]], allowance: int) -> None:
    persons = [_person(earned, status) for earned, status in people]
    assert payroll_tax_allowance(persons, TABLES[year]) == allowance


def test_order_of_people_does_not_matter() -> None:
    people = [_person(230000, MFS), _person(40000, "single"), _person(170000, MFJ)]
    tables = TABLES["2025-26"]
    assert payroll_tax_allowance(people, tables) == payroll_tax_allowance(people[::-1], tables)


def _parents_filing_separately(first: int, second: int) -> dict[str, Any]:
    request = dependent_request(
        tax_filing_status=MFS, adjusted_gross_income=first, earned_income=first
    )
    request["parents"]["spouse_income"] = {
        "filed_or_will_file_tax_return": True,
        "tax_filing_status": MFS,
        "adjusted_gross_income": second,
        "income_tax_paid": 0,
        "earned_income": second,
    }
    return request


def test_parents_filing_separately_through_the_estimate() -> None:
    result = estimate(_parents_filing_separately(65000, 85000))
    assert result["intermediates"]["parent_payroll_tax_allowance"] == 11475


def test_stepparent_above_threshold_alone_is_taxed_alone() -> None:
    # Parent 40,000 (3,060) and stepparent 140,000 MFS: SS 8,680; Medicare 2,030 + 0.9% x
    # 15,000 = 135. Combined earnings against one $125,000 threshold would add 0.9% x 55,000.
    result = estimate(_parents_filing_separately(40000, 140000))
    assert result["intermediates"]["parent_payroll_tax_allowance"] == 3060 + 8680 + 2030 + 135


def test_student_and_spouse_filing_separately() -> None:
    request = independent_request(
        tax_filing_status=MFS, adjusted_gross_income=120000, earned_income=120000
    )
    student = request["student"]
    student["marital_status"] = "married"
    student["family_size"] = 2
    student["spouse_income"] = copy.deepcopy(student["income"])
    # 7.65% x 240,000 = 18,360: neither person is above $125,000.
    result = estimate(request)
    assert result["formula"] == "B"
    assert result["intermediates"]["student_payroll_tax_allowance"] == 18360
