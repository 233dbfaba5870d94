"""The validated request reduced to whole dollars: what the formula reads.

ED's processing system works in whole dollars, so every amount is rounded to the dollar (halves
away from zero) once, here, from its exact ``Decimal`` value; the formula then runs in exact
integer arithmetic, which is both exact and fast.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from civicllm.tools.student_aid.models import Assets, EstimateRequest, IncomeBlock

__all__ = ["AssetAmounts", "Household", "PersonIncome", "to_dollars", "to_household"]


def to_dollars(amount: Decimal) -> int:
    """Round an exact amount to whole dollars, halves away from zero."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class PersonIncome:
    """One income block in whole dollars (rollovers already taken out)."""

    filed: bool
    foreign_income_no_return: bool
    filing_status: str
    agi: int
    income_tax_paid: int
    earned_income: int
    tax_exempt_interest: int
    ira_deductions: int
    untaxed_ira: int
    untaxed_pensions: int
    foreign_income_exclusion: int
    education_credits: int
    taxable_grants: int
    work_study: int
    eitc: bool


@dataclass(frozen=True, slots=True)
class AssetAmounts:
    """Assets in whole dollars."""

    cash: int = 0
    investments: int = 0
    business_farm: int = 0
    child_support: int = 0
    small_business_or_family_farm: bool = False


@dataclass(frozen=True, slots=True)
class Household:
    """Everything the formula needs, as plain values."""

    award_year: str
    date_of_birth: date
    student_marital: str
    student_state: str
    dependency_flags: frozenset[str]
    student_family_size: int | None
    student_benefits: bool
    student_people: tuple[PersonIncome, ...]
    student_assets: AssetAmounts
    parents_marital: str | None = None
    parents_state: str | None = None
    parents_family_size: int | None = None
    older_parent_age: int | None = None
    parents_benefits: bool = False
    parent_people: tuple[PersonIncome, ...] = ()
    parent_assets: AssetAmounts = AssetAmounts()
    cost_of_attendance: int | None = None
    enrollment_intensity: int = 100
    non_federal_grants: int = 0


def _person(block: IncomeBlock) -> PersonIncome:
    return PersonIncome(
        filed=block.filed_or_will_file_tax_return,
        foreign_income_no_return=block.non_filer_reason == "foreign_income_no_return_required",
        filing_status=block.tax_filing_status,
        agi=to_dollars(block.adjusted_gross_income),
        income_tax_paid=to_dollars(block.income_tax_paid),
        earned_income=to_dollars(block.earned_income),
        tax_exempt_interest=to_dollars(block.tax_exempt_interest),
        ira_deductions=to_dollars(block.ira_deductions_and_payments),
        untaxed_ira=max(0, to_dollars(block.untaxed_ira_distributions - block.ira_rollover)),
        untaxed_pensions=max(0, to_dollars(block.untaxed_pensions - block.pension_rollover)),
        foreign_income_exclusion=to_dollars(block.foreign_earned_income_exclusion),
        education_credits=to_dollars(block.education_credits),
        taxable_grants=to_dollars(block.taxable_college_grants_and_scholarships),
        work_study=to_dollars(block.federal_work_study_earnings),
        eitc=block.received_earned_income_tax_credit,
    )


def _assets(assets: Assets) -> AssetAmounts:
    return AssetAmounts(
        cash=to_dollars(assets.cash_savings_checking),
        investments=to_dollars(assets.investments_net_worth),
        business_farm=to_dollars(assets.business_and_farm_net_worth),
        child_support=to_dollars(assets.child_support_received),
        small_business_or_family_farm=assets.business_is_small_business_or_family_farm,
    )


def to_household(request: EstimateRequest) -> Household:
    """Reduce a validated request to the plain values the formula reads."""
    student = request.student
    people: tuple[PersonIncome, ...] = (_person(student.income),)
    if student.spouse_income is not None and student.marital_status in ("married", "remarried"):
        people += (_person(student.spouse_income),)
    household = Household(
        award_year=request.award_year,
        date_of_birth=student.date_of_birth,
        student_marital=student.marital_status,
        student_state=student.state_of_legal_residence,
        dependency_flags=frozenset(name for name, value in student.dependency if value),
        student_family_size=student.family_size,
        student_benefits=student.received_federal_benefits,
        student_people=people,
        student_assets=_assets(student.assets),
    )
    enrollment = request.enrollment
    if enrollment is not None:
        coa = enrollment.cost_of_attendance
        household = replace(
            household,
            cost_of_attendance=None if coa is None else to_dollars(coa),
            enrollment_intensity=enrollment.enrollment_intensity_percent,
            non_federal_grants=to_dollars(enrollment.non_federal_grant_aid),
        )
    parents = request.parents
    if parents is not None:
        parent_people: tuple[PersonIncome, ...] = (_person(parents.income),)
        # The other parent's block counts when the two are married or live together.
        if parents.spouse_income is not None and parents.marital_status in (
            "married",
            "remarried",
            "unmarried_both_legal_parents_living_together",
        ):
            parent_people += (_person(parents.spouse_income),)
        household = replace(
            household,
            parents_marital=parents.marital_status,
            parents_state=parents.state_of_legal_residence,
            parents_family_size=parents.family_size,
            older_parent_age=parents.older_parent_age,
            parents_benefits=parents.received_federal_benefits,
            parent_people=parent_people,
            parent_assets=_assets(parents.assets),
        )
    return household
