"""Formula A: the SAI of a dependent student (parents' and student's contributions)."""

from __future__ import annotations

from civicllm.tools.student_aid import allowances as al
from civicllm.tools.student_aid.household import Household
from civicllm.tools.student_aid.tables import YearTables, lookup_apa
from civicllm.tools.student_aid.worksheet import Worksheet

__all__ = ["TWO_PARENT_STATUSES", "compute_formula_a", "parents_family_size"]

TWO_PARENT_STATUSES = frozenset(
    {"married", "remarried", "unmarried_both_legal_parents_living_together"}
)
_IPA = "table:income_protection_allowance"


def parents_family_size(household: Household) -> int:
    """Return the parents' family size, or the spec's default when it was left out."""
    if household.parents_family_size is not None:
        return household.parents_family_size
    return 3 if household.parents_marital in TWO_PARENT_STATUSES else 2


def compute_formula_a(household: Household, tables: YearTables, ws: Worksheet) -> int:
    """Fill the Formula A worksheet and return the SAI before the maximum-Pell rules."""
    parents = household.parent_people
    size = parents_family_size(household)
    # Parents' contribution from income.
    p_income = ws.add("Parents' total income", al.total_income(parents), "computed: AGI + untaxed income - excluded income", "parent_total_income")
    p_tax = ws.add("Parents' federal income tax paid", al.income_tax_paid(parents), "input")
    p_payroll = ws.add("Parents' payroll tax allowance", al.payroll_tax_allowance(parents, tables), "table:payroll_tax", "parent_payroll_tax_allowance")
    p_ipa = ws.add(f"Parents' income protection allowance (family of {size})", tables.ipa_parents.lookup(size), _IPA, "parent_income_protection_allowance")
    p_eea = ws.add("Parents' employment expense allowance", al.employment_expense_allowance(parents, tables), "table:employment_expense_allowance", "parent_employment_expense_allowance")
    p_allow = ws.add("Parents' total allowances", p_tax + p_payroll + p_ipa + p_eea, "computed", "parent_total_allowances")
    p_avail = ws.add("Parents' available income", p_income - p_allow, "computed", "parent_available_income")
    # Parents' contribution from assets.
    assets = household.parent_assets
    business = al.adjust_business_farm(assets, tables)
    ws.add("Parents' cash, savings and checking", assets.cash, "input")
    ws.add("Parents' net worth of investments", max(0, assets.investments), "input")
    ws.add("Parents' adjusted business/farm net worth", business, "table:business_farm_net_worth_adjustment")
    ws.add("Child support received", assets.child_support, "input")
    p_nw = ws.add("Parents' net worth", assets.cash + max(0, assets.investments) + business + assets.child_support, "computed", "parent_net_worth")
    two = household.parents_marital in TWO_PARENT_STATUSES
    p_apa = ws.add("Parents' asset protection allowance", lookup_apa(tables.apa_parents, household.older_parent_age, two), "table:asset_protection_allowance", "parent_asset_protection_allowance")
    p_dnw = ws.add("Parents' discretionary net worth", p_nw - p_apa, "computed", "parent_discretionary_net_worth")
    p_cfa = ws.add(f"Parents' contribution from assets ({tables.parent_assets_rate} of discretionary net worth, not below 0)", max(0, tables.parent_assets_rate.apply(p_dnw)), "computed", "parent_contribution_from_assets")
    p_aai = ws.add("Parents' adjusted available income", p_avail + p_cfa, "computed", "parent_adjusted_available_income")
    p_contribution = ws.add("Parents' contribution", al.apply_schedule(p_aai, tables), "table:contribution_schedule", "parent_contribution")
    # Student's contribution from income.
    student = household.student_people[:1]
    s_income = ws.add("Student's total income", al.total_income(student), "computed: AGI + untaxed income - excluded income", "student_total_income")
    s_tax = ws.add("Student's federal income tax paid", al.income_tax_paid(student), "input")
    s_payroll = ws.add("Student's payroll tax allowance", al.payroll_tax_allowance(student, tables), "table:payroll_tax", "student_payroll_tax_allowance")
    s_ipa = ws.add("Student's income protection allowance", tables.ipa_dependent_student, _IPA, "student_income_protection_allowance")
    s_neg = ws.add("Allowance for parents' negative adjusted available income", max(0, -p_aai), "computed", "student_allowance_for_parents_negative_adjusted_available_income")
    s_allow = ws.add("Student's total allowances", s_tax + s_payroll + s_ipa + s_neg, "computed", "student_total_allowances")
    s_avail = ws.add("Student's available income", s_income - s_allow, "computed", "student_available_income")
    s_cfi = ws.add(f"Student's contribution from income ({tables.dependent_income_rate} of available income)", max(tables.dependent_income_floor, tables.dependent_income_rate.apply(s_avail)), "computed", "student_contribution_from_income")
    # Student's contribution from assets.
    s_assets = household.student_assets
    s_business = al.adjust_business_farm(s_assets, tables)
    s_nw = ws.add("Student's net worth (cash, investments, business/farm)", s_assets.cash + max(0, s_assets.investments) + s_business, "computed", "student_net_worth")
    ws.add("Student's asset protection allowance", 0, "table:asset_protection_allowance", "student_asset_protection_allowance")
    s_cfa = ws.add(f"Student's contribution from assets ({tables.dependent_assets_rate} of net worth)", max(0, tables.dependent_assets_rate.apply(s_nw)), "computed", "student_contribution_from_assets")
    return p_contribution + s_cfi + s_cfa
