"""Formula B: the SAI of an independent student without dependents other than a spouse."""

from __future__ import annotations

from civicllm.tools.student_aid import allowances as al
from civicllm.tools.student_aid.household import Household
from civicllm.tools.student_aid.tables import Rate, YearTables, lookup_apa
from civicllm.tools.student_aid.worksheet import Line, Worksheet

__all__ = ["INCOME_SOURCE", "asset_lines", "compute_formula_b", "is_married"]

INCOME_SOURCE = "computed: AGI + untaxed income - excluded income"


def is_married(household: Household) -> bool:
    """Return whether the student has a spouse for the formula (married or remarried)."""
    return household.student_marital in ("married", "remarried")


def asset_lines(
    household: Household, tables: YearTables, rate: Rate, ws: Worksheet
) -> tuple[int, list[Line]]:
    """Return the independent student's contribution from assets and its worksheet lines."""
    assets = household.student_assets
    business = al.adjust_business_farm(assets, tables)
    if business and "business_farm_brackets" in tables.unverified:
        ws.flag_unverified(tables, "business/farm net worth adjustment", business)
    investments = max(0, assets.investments)
    net_worth = assets.cash + investments + business + assets.child_support
    apa = lookup_apa(tables.apa_independent, None, is_married(household))
    dnw = net_worth - apa
    cfa = max(0, rate.apply(dnw))
    return cfa, [
        ("Cash, savings and checking", assets.cash, "input", None),
        ("Net worth of investments", investments, "input", None),
        (
            "Adjusted business/farm net worth",
            business,
            "table:business_farm_net_worth_adjustment",
            None,
        ),
        ("Child support received", assets.child_support, "input", None),
        ("Student's (and spouse's) net worth", net_worth, "computed", "student_net_worth"),
        (
            "Asset protection allowance",
            apa,
            "table:asset_protection_allowance",
            "student_asset_protection_allowance",
        ),
        ("Discretionary net worth", dnw, "computed", None),
        (
            f"Contribution from assets ({rate.label} of discretionary net worth, not below 0)",
            cfa,
            "computed",
            "student_contribution_from_assets",
        ),
    ]


def compute_formula_b(household: Household, tables: YearTables, ws: Worksheet) -> int:
    """Fill the Formula B worksheet and return the SAI before the maximum-Pell rules."""
    people = household.student_people
    married = is_married(household)
    income = al.total_income(people)
    tax = al.income_tax_paid(people)
    payroll = al.payroll_tax_allowance(people, tables)
    ipa = tables.ipa_independent_married if married else tables.ipa_independent_unmarried
    name = "ipa_independent_married" if married else "ipa_independent_unmarried"
    if name in tables.unverified:
        ws.flag_unverified(tables, "income protection allowance (Formula B)", ipa)
    eea = al.employment_expense_allowance(people, tables) if married else 0
    allow = tax + payroll + ipa + eea
    avail = income - allow
    income_rate = tables.independent_b_income_rate
    cfi = income_rate.apply(avail)
    cfa, assets = asset_lines(household, tables, tables.independent_b_assets_rate, ws)
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
                f"Income protection allowance ({'married' if married else 'unmarried'})",
                ipa,
                "table:income_protection_allowance",
                "student_income_protection_allowance",
            ),
            (
                "Employment expense allowance (married students only)",
                eea,
                "table:employment_expense_allowance",
                "student_employment_expense_allowance",
            ),
            ("Total allowances", allow, "computed", "student_total_allowances"),
            ("Available income", avail, "computed", "student_available_income"),
            (
                f"Contribution from available income ({income_rate.label})",
                cfi,
                "computed",
                "student_contribution_from_income",
            ),
        ]
    )
    ws.extend(assets)
    return cfi + cfa
