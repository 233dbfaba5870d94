"""Formula C: the SAI of an independent student with dependents other than a spouse."""

from __future__ import annotations

from civicllm.tools.student_aid import allowances as al
from civicllm.tools.student_aid.formula_b import INCOME_SOURCE, asset_lines, is_married
from civicllm.tools.student_aid.household import Household
from civicllm.tools.student_aid.tables import YearTables
from civicllm.tools.student_aid.worksheet import Worksheet

__all__ = ["compute_formula_c", "student_family_size"]


def student_family_size(household: Household) -> int:
    """Return the independent student's family size, or the spec's default."""
    if household.student_family_size is not None:
        return household.student_family_size
    return 2 if is_married(household) else 1


def compute_formula_c(household: Household, tables: YearTables, ws: Worksheet) -> int:
    """Fill the Formula C worksheet and return the SAI before the maximum-Pell rules."""
    people = household.student_people
    married = is_married(household)
    size = student_family_size(household)
    income = al.total_income(people)
    tax = al.income_tax_paid(people)
    payroll = al.payroll_tax_allowance(people, tables)
    table = tables.ipa_with_dependents_married if married else tables.ipa_with_dependents_unmarried
    ipa = table.lookup(size)
    if table.is_unverified(size):
        ws.flag_unverified(tables, f"Formula C income protection allowance for {size}", ipa)
    eea = al.employment_expense_allowance(people, tables)
    allow = tax + payroll + ipa + eea
    avail = income - allow
    cfa, assets = asset_lines(household, tables, tables.independent_c_assets_rate, ws)
    aai = avail + cfa
    contribution = al.apply_schedule(aai, tables)
    ws.extend(
        [
            (
                "Student's (and spouse's) total income",
                income,
                INCOME_SOURCE,
                "student_total_income",
            ),
            ("Federal income tax paid", tax, "input", None),
            (
                "Payroll tax allowance",
                payroll,
                "table:payroll_tax",
                "student_payroll_tax_allowance",
            ),
            (
                f"Income protection allowance ({'married' if married else 'unmarried'}, "
                f"family of {size})",
                ipa,
                "table:income_protection_allowance",
                "student_income_protection_allowance",
            ),
            (
                "Employment expense allowance",
                eea,
                "table:employment_expense_allowance",
                "student_employment_expense_allowance",
            ),
            ("Total allowances", allow, "computed", "student_total_allowances"),
            ("Available income", avail, "computed", "student_available_income"),
        ]
    )
    ws.extend(assets)
    ws.extend(
        [
            ("Adjusted available income", aai, "computed", "student_adjusted_available_income"),
            (
                "Contribution from adjusted available income",
                contribution,
                "table:contribution_schedule",
                "student_contribution_from_adjusted_available_income",
            ),
        ]
    )
    return contribution
