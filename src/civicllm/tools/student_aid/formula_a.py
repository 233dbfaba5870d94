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
_INCOME = "computed: AGI + untaxed income - excluded income"


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
    p_income = al.total_income(parents)
    p_tax = al.income_tax_paid(parents)
    p_payroll = al.payroll_tax_allowance(parents, tables)
    p_ipa = tables.ipa_parents.lookup(size)
    if tables.ipa_parents.is_unverified(size):
        ws.flag_unverified(tables, f"parents' income protection allowance for {size}", p_ipa)
    p_eea = al.employment_expense_allowance(parents, tables)
    p_allow = p_tax + p_payroll + p_ipa + p_eea
    p_avail = p_income - p_allow
    # Parents' contribution from assets.
    assets = household.parent_assets
    business = al.adjust_business_farm(assets, tables)
    if business and "business_farm_brackets" in tables.unverified:
        ws.flag_unverified(tables, "business/farm net worth adjustment", business)
    investments = max(0, assets.investments)
    p_nw = assets.cash + investments + business + assets.child_support
    two = household.parents_marital in TWO_PARENT_STATUSES
    p_apa = lookup_apa(tables.apa_parents, household.older_parent_age, two)
    p_dnw = p_nw - p_apa
    p_cfa = max(0, tables.parent_assets_rate.apply(p_dnw))
    p_aai = p_avail + p_cfa
    p_contribution = al.apply_schedule(p_aai, tables)
    # Student's contribution from income.
    student = household.student_people[:1]
    s_income = al.total_income(student)
    s_tax = al.income_tax_paid(student)
    s_payroll = al.payroll_tax_allowance(student, tables)
    s_ipa = tables.ipa_dependent_student
    s_neg = max(0, -p_aai)
    s_allow = s_tax + s_payroll + s_ipa + s_neg
    s_avail = s_income - s_allow
    income_rate = tables.dependent_income_rate
    s_cfi = max(tables.dependent_income_floor, income_rate.apply(s_avail))
    # Student's contribution from assets.
    s_assets = household.student_assets
    s_business = al.adjust_business_farm(s_assets, tables)
    if s_business and "business_farm_brackets" in tables.unverified:
        ws.flag_unverified(tables, "business/farm net worth adjustment", s_business)
    s_nw = s_assets.cash + max(0, s_assets.investments) + s_business
    assets_rate = tables.dependent_assets_rate
    s_cfa = max(0, assets_rate.apply(s_nw))
    ws.extend(
        [
            ("Parents' total income", p_income, _INCOME, "parent_total_income"),
            ("Parents' federal income tax paid", p_tax, "input", None),
            (
                "Parents' payroll tax allowance",
                p_payroll,
                "table:payroll_tax",
                "parent_payroll_tax_allowance",
            ),
            (
                f"Parents' income protection allowance (family of {size})",
                p_ipa,
                _IPA,
                "parent_income_protection_allowance",
            ),
            (
                "Parents' employment expense allowance",
                p_eea,
                "table:employment_expense_allowance",
                "parent_employment_expense_allowance",
            ),
            ("Parents' total allowances", p_allow, "computed", "parent_total_allowances"),
            ("Parents' available income", p_avail, "computed", "parent_available_income"),
            ("Parents' cash, savings and checking", assets.cash, "input", None),
            ("Parents' net worth of investments", investments, "input", None),
            (
                "Parents' adjusted business/farm net worth",
                business,
                "table:business_farm_net_worth_adjustment",
                None,
            ),
            ("Child support received", assets.child_support, "input", None),
            ("Parents' net worth", p_nw, "computed", "parent_net_worth"),
            (
                "Parents' asset protection allowance",
                p_apa,
                "table:asset_protection_allowance",
                "parent_asset_protection_allowance",
            ),
            (
                "Parents' discretionary net worth",
                p_dnw,
                "computed",
                "parent_discretionary_net_worth",
            ),
            (
                f"Parents' contribution from assets ({tables.parent_assets_rate.label} of "
                "discretionary net worth, not below 0)",
                p_cfa,
                "computed",
                "parent_contribution_from_assets",
            ),
            (
                "Parents' adjusted available income",
                p_aai,
                "computed",
                "parent_adjusted_available_income",
            ),
            (
                "Parents' contribution",
                p_contribution,
                "table:contribution_schedule",
                "parent_contribution",
            ),
            ("Student's total income", s_income, _INCOME, "student_total_income"),
            ("Student's federal income tax paid", s_tax, "input", None),
            (
                "Student's payroll tax allowance",
                s_payroll,
                "table:payroll_tax",
                "student_payroll_tax_allowance",
            ),
            (
                "Student's income protection allowance",
                s_ipa,
                _IPA,
                "student_income_protection_allowance",
            ),
            (
                "Allowance for parents' negative adjusted available income",
                s_neg,
                "computed",
                "student_allowance_for_parents_negative_adjusted_available_income",
            ),
            ("Student's total allowances", s_allow, "computed", "student_total_allowances"),
            ("Student's available income", s_avail, "computed", "student_available_income"),
            (
                f"Student's contribution from income ({income_rate.label} of available income)",
                s_cfi,
                "computed",
                "student_contribution_from_income",
            ),
            (
                "Student's net worth (cash, investments, business/farm)",
                s_nw,
                "computed",
                "student_net_worth",
            ),
            (
                "Student's asset protection allowance",
                0,
                "table:asset_protection_allowance",
                "student_asset_protection_allowance",
            ),
            (
                f"Student's contribution from assets ({assets_rate.label} of net worth)",
                s_cfa,
                "computed",
                "student_contribution_from_assets",
            ),
        ]
    )
    return p_contribution + s_cfi + s_cfa
