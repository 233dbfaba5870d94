"""Formula B: the SAI of an independent student without dependents other than a spouse."""

from __future__ import annotations

from civicllm.tools.student_aid import allowances as al
from civicllm.tools.student_aid.household import Household
from civicllm.tools.student_aid.tables import YearTables, lookup_apa
from civicllm.tools.student_aid.worksheet import Worksheet

__all__ = ["compute_formula_b", "is_married", "student_net_worth"]


def is_married(household: Household) -> bool:
    """Return whether the student has a spouse for the formula (married or remarried)."""
    return household.student_marital in ("married", "remarried")


def student_net_worth(household: Household, tables: YearTables, ws: Worksheet) -> int:
    """Add the independent student's (and spouse's) asset lines; return the net worth."""
    assets = household.student_assets
    business = al.adjust_business_farm(assets, tables)
    ws.add("Cash, savings and checking", assets.cash, "input")
    ws.add("Net worth of investments", max(0, assets.investments), "input")
    ws.add("Adjusted business/farm net worth", business, "table:business_farm_net_worth_adjustment")
    ws.add("Child support received", assets.child_support, "input")
    return ws.add("Student's (and spouse's) net worth", assets.cash + max(0, assets.investments) + business + assets.child_support, "computed", "student_net_worth")


def compute_formula_b(household: Household, tables: YearTables, ws: Worksheet) -> int:
    """Fill the Formula B worksheet and return the SAI before the maximum-Pell rules."""
    people = household.student_people
    married = is_married(household)
    income = ws.add("Student's (and spouse's) total income", al.total_income(people), "computed: AGI + untaxed income - excluded income", "student_total_income")
    tax = ws.add("Federal income tax paid", al.income_tax_paid(people), "input")
    payroll = ws.add("Payroll tax allowance", al.payroll_tax_allowance(people, tables), "table:payroll_tax", "student_payroll_tax_allowance")
    ipa_amount = tables.ipa_independent_married if married else tables.ipa_independent_unmarried
    ipa = ws.add(f"Income protection allowance ({'married' if married else 'unmarried'})", ipa_amount, "table:income_protection_allowance", "student_income_protection_allowance")
    eea_amount = al.employment_expense_allowance(people, tables) if married else 0
    eea = ws.add("Employment expense allowance (married students only)", eea_amount, "table:employment_expense_allowance", "student_employment_expense_allowance")
    allow = ws.add("Total allowances", tax + payroll + ipa + eea, "computed", "student_total_allowances")
    avail = ws.add("Available income", income - allow, "computed", "student_available_income")
    cfi = ws.add(f"Contribution from available income ({tables.independent_b_income_rate})", tables.independent_b_income_rate.apply(avail), "computed", "student_contribution_from_income")
    net_worth = student_net_worth(household, tables, ws)
    apa = ws.add("Asset protection allowance", lookup_apa(tables.apa_independent, None, married), "table:asset_protection_allowance", "student_asset_protection_allowance")
    dnw = ws.add("Discretionary net worth", net_worth - apa, "computed")
    cfa = ws.add(f"Contribution from assets ({tables.independent_b_assets_rate} of discretionary net worth, not below 0)", max(0, tables.independent_b_assets_rate.apply(dnw)), "computed", "student_contribution_from_assets")
    return cfi + cfa
