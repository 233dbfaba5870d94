"""Pieces every formula shares: total income, payroll tax, allowances, net worth, schedule."""

from __future__ import annotations

from collections.abc import Sequence

from civicllm.tools.student_aid.household import AssetAmounts, PersonIncome
from civicllm.tools.student_aid.tables import Bracket, YearTables, round_ratio

__all__ = [
    "adjust_business_farm",
    "apply_schedule",
    "employment_expense_allowance",
    "income_tax_paid",
    "medicare_threshold",
    "payroll_tax_allowance",
    "total_income",
]


def total_income(people: Sequence[PersonIncome]) -> int:
    """Return AGI plus untaxed income minus excluded income, for the contributors together."""
    total = 0
    for p in people:
        total += (
            p.agi
            + p.ira_deductions
            + p.tax_exempt_interest
            + p.untaxed_ira
            + p.untaxed_pensions
            + p.foreign_income_exclusion
            - p.taxable_grants
            - p.education_credits
            - p.work_study
        )
    return total


def income_tax_paid(people: Sequence[PersonIncome]) -> int:
    """Return federal income tax paid by the contributors (a negative figure counts as 0)."""
    return sum(max(0, p.income_tax_paid) for p in people)


def medicare_threshold(filing_status: str, tables: YearTables) -> int:
    """Return the earnings above which the additional Medicare tax applies for a filing status."""
    thresholds = tables.medicare_threshold
    return thresholds.get(filing_status, thresholds["single"])


def payroll_tax_allowance(people: Sequence[PersonIncome], tables: YearTables) -> int:
    """Return Social Security plus Medicare tax, computed for each person and then added up.

    Each income block is one person, or one couple on a joint return (HEA secs. 475(c)(2),
    476(b)(2) and 477(b)(2) as amended by the FAFSA Simplification Act): Social Security is
    6.2% of that block's earnings up to the tax year's wage base (twice it for a joint
    return); Medicare is 1.45% of its earnings plus 0.9% of the part above the threshold for
    its own filing status (IRC sec. 3101(b)(2)). A loss counts as no earnings for that person
    alone. The two sums are each rounded to the dollar once, as ED's records show: rounding
    each person's share first would drift by a dollar.
    """
    ss_rate, base_rate = tables.social_security_rate, tables.medicare_rate
    extra_rate = tables.medicare_additional_rate
    ss_wages = 0
    wages = 0
    above = 0
    for p in people:
        earned = max(0, p.earned_income)
        joint = p.filing_status == "married_filing_jointly"
        ss_wages += min(earned, tables.social_security_wage_base * (2 if joint else 1))
        wages += earned
        above += max(0, earned - medicare_threshold(p.filing_status, tables))
    social_security = ss_rate.apply(ss_wages)
    medicare = round_ratio(
        wages * base_rate.num * extra_rate.den + above * extra_rate.num * base_rate.den,
        base_rate.den * extra_rate.den,
    )
    return social_security + medicare


def employment_expense_allowance(people: Sequence[PersonIncome], tables: YearTables) -> int:
    """Return 35% of the earned income (up to the year's maximum)."""
    earned = sum(max(0, p.earned_income) for p in people)
    return min(tables.eea_rate.apply(earned), tables.eea_maximum)


def adjust_business_farm(assets: AssetAmounts, tables: YearTables) -> int:
    """Return the business/farm net worth as the formula counts it (the adjustment table)."""
    amount = assets.business_farm
    if amount < 1:
        return 0
    if assets.small_business_or_family_farm and tables.small_business_family_farm_excluded:
        return 0
    chosen = tables.business_farm_brackets[0]
    for bracket in tables.business_farm_brackets:
        if amount > bracket.over:
            chosen = bracket
    return chosen.base + chosen.rate.apply(amount - chosen.over)


def apply_schedule(adjusted_available_income: int, tables: YearTables) -> int:
    """Return the contribution the progressive schedule gives for adjusted available income."""
    aai = adjusted_available_income
    if aai < tables.schedule_floor_below:
        return tables.schedule_floor_amount
    schedule: tuple[Bracket, ...] = tables.schedule
    chosen = schedule[0]
    for bracket in schedule[1:]:
        if aai > bracket.over:
            chosen = bracket
    return max(tables.schedule_floor_amount, chosen.base + chosen.rate.apply(aai - chosen.over))
