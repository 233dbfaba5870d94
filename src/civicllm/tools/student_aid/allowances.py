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


def payroll_tax_allowance(people: Sequence[PersonIncome], tables: YearTables) -> int:
    """Return Social Security plus Medicare tax on earned income, each rounded to the dollar."""
    if not people:
        return 0
    status = people[0].filing_status
    joint = status == "married_filing_jointly"
    base = tables.social_security_wage_base * (2 if joint else 1)
    taxed = 0
    wages = 0
    for p in people:
        earned = max(0, p.earned_income)
        wages += earned
        taxed += min(earned, base)
    social_security = tables.social_security_rate.apply(taxed)
    if joint:
        threshold = tables.medicare_threshold["married_filing_jointly"]
    elif status == "married_filing_separately":
        threshold = tables.medicare_threshold["married_filing_separately"]
    else:
        threshold = tables.medicare_threshold["single"]
    # Medicare (base and additional tax) is rounded once, Social Security separately: that is
    # what reproduces ED's figures for earnings above the thresholds.
    base_rate, extra_rate = tables.medicare_rate, tables.medicare_additional_rate
    medicare = round_ratio(
        wages * base_rate.num * extra_rate.den
        + max(0, wages - threshold) * extra_rate.num * base_rate.den,
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
