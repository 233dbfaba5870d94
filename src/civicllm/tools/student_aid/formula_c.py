"""Formula C: the SAI of an independent student with dependents other than a spouse."""

from __future__ import annotations

from civicllm.tools.student_aid import allowances as al
from civicllm.tools.student_aid.formula_b import is_married, student_net_worth
from civicllm.tools.student_aid.household import Household
from civicllm.tools.student_aid.tables import YearTables, lookup_apa
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
    income = ws.add("Student's (and spouse's) total income", al.total_income(people), "computed: AGI + untaxed income - excluded income", "student_total_income")
    tax = ws.add("Federal income tax paid", al.income_tax_paid(people), "input")
    payroll = ws.add("Payroll tax allowance", al.payroll_tax_allowance(people, tables), "table:payroll_tax", "student_payroll_tax_allowance")
    table = tables.ipa_with_dependents_married if married else tables.ipa_with_dependents_unmarried
    ipa = ws.add(f"Income protection allowance ({'married' if married else 'unmarried'}, family of {size})", table.lookup(size), "table:income_protection_allowance", "student_income_protection_allowance")
    eea = ws.add("Employment expense allowance", al.employment_expense_allowance(people, tables), "table:employment_expense_allowance", "student_employment_expense_allowance")
    allow = ws.add("Total allowances", tax + payroll + ipa + eea, "computed", "student_total_allowances")
    avail = ws.add("Available income", income - allow, "computed", "student_available_income")
    net_worth = student_net_worth(household, tables, ws)
    apa = ws.add("Asset protection allowance", lookup_apa(tables.apa_independent, None, married), "table:asset_protection_allowance", "student_asset_protection_allowance")
    dnw = ws.add("Discretionary net worth", net_worth - apa, "computed")
    cfa = ws.add(f"Contribution from assets ({tables.independent_c_assets_rate} of discretionary net worth, not below 0)", max(0, tables.independent_c_assets_rate.apply(dnw)), "computed", "student_contribution_from_assets")
    aai = ws.add("Adjusted available income", avail + cfa, "computed", "student_adjusted_available_income")
    return ws.add("Contribution from adjusted available income", al.apply_schedule(aai, tables), "table:contribution_schedule", "student_contribution_from_adjusted_available_income")
