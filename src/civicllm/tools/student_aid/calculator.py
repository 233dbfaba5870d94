"""The core estimate: dependency, formula, SAI, Pell, worksheet, from a :class:`Household`.

This is the fast path: no validation, plain integers. ``estimate`` in ``__init__`` validates a
request and then calls :func:`compute_estimate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.errors import InputError
from civicllm.tools.student_aid.dependency import determine_dependency
from civicllm.tools.student_aid.formula_a import compute_formula_a
from civicllm.tools.student_aid.formula_b import compute_formula_b, is_married
from civicllm.tools.student_aid.formula_c import compute_formula_c, student_family_size
from civicllm.tools.student_aid.household import Household
from civicllm.tools.student_aid.pell import check_pell_eligibility, compute_pell_award
from civicllm.tools.student_aid.tables import YearTables
from civicllm.tools.student_aid.worksheet import Worksheet

__all__ = ["choose_formula", "compute_estimate"]

_ASSET_EXCLUSION_AGI = 60_000
_ROUNDING_NOTE = (
    "Amounts are rounded to whole dollars, halves away from zero, as the Department of "
    "Education does."
)


def choose_formula(household: Household, dependency_status: str) -> str:
    """Return A (dependent), B (independent, no dependents but a spouse) or C."""
    if dependency_status == "dependent":
        return "A"
    return "C" if student_family_size(household) > (2 if is_married(household) else 1) else "B"


def compute_estimate(household: Household, tables: Mapping[str, YearTables]) -> dict[str, Any]:
    """Return the estimate result (the spec's output object) for one household."""
    year = tables.get(household.award_year)
    if year is None:
        raise InputError(
            f"Award year {household.award_year} has no tables; use one of "
            f"{', '.join(sorted(tables))}.",
            param="award_year",
        )
    dependency = determine_dependency(household)
    formula = choose_formula(household, dependency.status)
    if formula == "A" and not household.parent_people:
        raise InputError(
            "The student is dependent, so the parents' information is required: add a "
            "'parents' object (or answer the dependency questions if one applies).",
            param="parents",
        )
    notes = [dependency.reason, *year.provisional_notes]
    ws = Worksheet(formula)
    if formula == "A":
        raw = compute_formula_a(household, year, ws)
    elif formula == "B":
        raw = compute_formula_b(household, year, ws)
    else:
        raw = compute_formula_c(household, year, ws)
    notes.extend(ws.notes)
    computed = min(max(raw, year.sai_minimum), year.sai_maximum)
    ws.add("Student Aid Index as calculated (not below -1,500)", computed, "computed")
    pell_ws = Worksheet("P")
    test = check_pell_eligibility(household, formula, year, pell_ws)
    if test.non_filers:
        sai = year.sai_minimum
        notes.append(
            "Maximum Pell Grant: the contributors were not required to file a federal tax "
            "return, so the SAI is -1,500."
        )
    elif test.max_by_income:
        sai = min(0, computed)
        notes.append(
            f"Maximum Pell Grant: adjusted gross income ${test.agi:,} is at most "
            f"{test.max_percent}% of the {year.poverty_year} poverty guideline "
            f"(${test.guideline:,}), so the SAI is the lesser of 0 and the calculated SAI."
        )
    else:
        sai = computed
    ws.add("Student Aid Index", sai, "computed")
    pell, min_eligible = compute_pell_award(household, sai, test, year, pell_ws, notes)
    if min_eligible:
        notes.append(
            f"Minimum Pell Grant: adjusted gross income is at most {test.min_percent}% of the "
            "poverty guideline, so the student gets at least the minimum Pell Grant."
        )
    benefits = household.parents_benefits if formula == "A" else household.student_benefits
    assets = household.parent_assets if formula == "A" else household.student_assets
    if (benefits or test.agi < _ASSET_EXCLUSION_AGI) and (
        assets.cash or assets.investments or assets.business_farm or assets.child_support
    ):
        notes.append(
            "The FAFSA skips the asset questions for many families that received a listed "
            "federal benefit or have an adjusted gross income under $60,000; the assets given "
            "here were counted, as ED's processing does when they are reported."
        )
    if household.cost_of_attendance is None:
        notes.append(
            "The Pell estimate assumes full-time enrollment for the full year and a cost of "
            "attendance above the grant; the school sets the actual award."
        )
    notes.append(_ROUNDING_NOTE)
    return {
        "award_year": household.award_year,
        "dependency_status": dependency.status,
        "dependency_reason": dependency.reason,
        "formula": formula,
        "sai": sai,
        "max_pell_eligible": test.max_eligible,
        "min_pell_eligible": min_eligible,
        "pell_grant": pell,
        "intermediates": ws.intermediates(),
        "worksheet": ws.rows() + pell_ws.rows(),
        "tables_version": year.version,
        "notes": notes,
    }
