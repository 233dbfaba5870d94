"""Pell Grant rules: maximum- and minimum-Pell eligibility, and the award estimate."""

from __future__ import annotations

from dataclasses import dataclass

from civicllm.tools.student_aid.formula_a import TWO_PARENT_STATUSES, parents_family_size
from civicllm.tools.student_aid.formula_b import is_married
from civicllm.tools.student_aid.formula_c import student_family_size
from civicllm.tools.student_aid.household import Household, PersonIncome
from civicllm.tools.student_aid.tables import YearTables
from civicllm.tools.student_aid.worksheet import Worksheet

__all__ = ["PellTest", "check_pell_eligibility", "compute_pell_award"]

_SINGLE_PARENT_STATUSES = ("head_of_household", "qualifying_surviving_spouse")


@dataclass(frozen=True, slots=True)
class PellTest:
    """What the maximum- and minimum-Pell rules say before the SAI is known."""

    non_filers: bool
    max_by_income: bool
    min_by_income: bool
    agi: int
    guideline: int
    max_percent: int
    min_percent: int
    single_parent: bool

    @property
    def max_eligible(self) -> bool:
        """Return whether the student gets the maximum Pell Grant whatever the SAI."""
        return self.non_filers or self.max_by_income


def _poverty_key(state: str | None) -> str:
    if state == "AK":
        return "alaska"
    if state == "HI":
        return "hawaii"
    return "contiguous_48_and_dc"


def _non_filers(people: tuple[PersonIncome, ...]) -> bool:
    # Someone whose income was earned abroad where no return was required is not a non-filer.
    return bool(people) and all(not p.filed and not p.foreign_income_no_return for p in people)


def _single_parent(people: tuple[PersonIncome, ...]) -> bool:
    first = people[0]
    return first.filing_status in _SINGLE_PARENT_STATUSES or any(p.eitc for p in people)


def check_pell_eligibility(
    household: Household, formula: str, tables: YearTables, ws: Worksheet
) -> PellTest:
    """Apply the maximum- and minimum-Pell income tests for the student's contributors."""
    if formula == "A":
        people = household.parent_people
        size = parents_family_size(household)
        state = household.parents_state
        single = household.parents_marital not in TWO_PARENT_STATUSES and _single_parent(people)
        max_key = "dependent_single_parent" if single else "dependent_other"
        min_key = max_key
    else:
        people = household.student_people
        size = student_family_size(household)
        state = household.student_state
        single = formula == "C" and not is_married(household) and _single_parent(people)
        max_key = "independent_single_parent" if single else "independent_other"
        if single:
            min_key = "independent_single_parent"
        elif formula == "C":
            min_key = "independent_with_dependents"
        else:
            min_key = "independent_without_dependents"
    agi = sum(p.agi for p in people)
    if tables.foreign_income_in_pell_agi:
        agi += sum(p.foreign_income_exclusion for p in people)
    guideline = tables.poverty[_poverty_key(state)].for_size(size)
    max_percent = int(tables.max_pell_percent[max_key])
    min_percent = int(tables.min_pell_percent[min_key])
    non_filers = _non_filers(people)
    max_by_income = agi > 0 and agi * 100 <= max_percent * guideline
    min_by_income = agi * 100 <= min_percent * guideline
    where = _poverty_key(state)
    ws.extend(
        [
            ("Adjusted gross income for the Pell tests", agi, "input", None),
            (
                f"Poverty guideline {tables.poverty_year}, family of {size}, {where}",
                guideline,
                "table:poverty_guidelines",
                None,
            ),
            # The largest whole-dollar AGI that passes each test.
            (
                f"Maximum-Pell income limit ({max_percent}% of the guideline)",
                max_percent * guideline // 100,
                "table:poverty_guidelines",
                None,
            ),
            (
                f"Minimum-Pell income limit ({min_percent}% of the guideline)",
                min_percent * guideline // 100,
                "table:poverty_guidelines",
                None,
            ),
        ]
    )
    return PellTest(
        non_filers, max_by_income, min_by_income, agi, guideline, max_percent, min_percent, single
    )


def compute_pell_award(
    household: Household,
    sai: int,
    test: PellTest,
    tables: YearTables,
    ws: Worksheet,
    notes: list[str],
) -> tuple[int, bool]:
    """Return the estimated annual Pell Grant and whether the minimum-Pell rule gave it."""
    maximum, minimum = tables.pell_maximum, tables.pell_minimum
    min_eligible = not test.max_eligible and test.min_by_income and sai > maximum - minimum
    if tables.no_pell_at_or_above_twice_maximum and sai >= 2 * maximum:
        notes.append(
            f"No Pell Grant: from {tables.award_year} an SAI of twice the maximum Pell Grant "
            f"(${2 * maximum:,}) or more rules it out."
        )
        return ws.add("Scheduled Pell Grant", 0, "computed"), False
    coa = household.cost_of_attendance
    if (
        coa is not None
        and tables.no_pell_when_non_federal_grants_cover_coa
        and household.non_federal_grants >= coa
    ):
        notes.append(
            "No Pell Grant: non-federal grant aid covers the full cost of attendance "
            f"(a rule from {tables.award_year})."
        )
        return ws.add("Estimated Pell Grant", 0, "computed"), min_eligible
    if test.max_eligible:
        scheduled, source = maximum, "table:pell (maximum Pell Grant)"
    else:
        calculated = maximum - max(0, sai)
        ws.add("Maximum Pell Grant minus SAI", calculated, "computed")
        if calculated >= minimum:
            # ED rounds a calculated Scheduled Award to the nearest $5.
            scheduled, source = (calculated * 2 + 5) // 10 * 5, "computed: rounded to $5"
        elif min_eligible:
            scheduled, source = minimum, "table:pell (minimum Pell Grant)"
        else:
            scheduled, source = 0, "computed: below the minimum Pell Grant"
    if coa is not None and coa < scheduled:
        # The low-cost-of-attendance exception: the award is the cost itself, not rounded.
        scheduled, source = coa, "input: limited to the cost of attendance"
        notes.append("The Pell Grant is limited to the cost of attendance.")
    ws.add("Scheduled Pell Grant (full-time, full year)", scheduled, source)
    intensity = household.enrollment_intensity
    award = (scheduled * intensity * 2 + 100) // 200
    if intensity != 100:
        ws.add(f"Pell Grant at {intensity}% enrollment intensity", award, "computed")
    return ws.add("Estimated Pell Grant", award, "computed"), min_eligible
