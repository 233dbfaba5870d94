"""Dependency status from the FAFSA dependency questions, with the reason in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from civicllm.tools.student_aid.household import Household

__all__ = ["DependencyResult", "determine_dependency"]

# Answers that make a student independent, in the order the FAFSA asks them.
_INDEPENDENT_BECAUSE = (
    ("graduate_student", "will be working on a master's or doctorate degree"),
    ("active_duty", "is serving on active duty in the US armed forces"),
    ("veteran", "is a veteran of the US armed forces"),
    (
        "supports_children_or_other_dependents",
        "has children or other dependents who get more than half their support from the student",
    ),
    (
        "orphan_foster_or_ward_after_13",
        "was an orphan, in foster care or a ward of the court at some time since turning 13",
    ),
    ("emancipated_minor", "is or was an emancipated minor, as a court determined"),
    ("legal_guardianship", "is or was in a legal guardianship, as a court determined"),
)


@dataclass(frozen=True, slots=True)
class DependencyResult:
    """The status and why."""

    status: str
    reason: str


def determine_dependency(household: Household) -> DependencyResult:
    """Return the dependency status the FAFSA answers give, with the reason."""
    start_year = int(household.award_year[:4])
    # Independent by age: born before January 1 of (first year of the award year - 23),
    # i.e. 24 or older by December 31 of the award year's first calendar year.
    cutoff = date(start_year - 23, 1, 1)
    flags = household.dependency_flags
    if household.date_of_birth < cutoff:
        return DependencyResult(
            "independent",
            f"Independent: born before {cutoff.isoformat()}, so 24 or older by the end of "
            f"{start_year}.",
        )
    # The FAFSA asks "married (not separated)"; a separated student is not independent by it.
    if household.student_marital in ("married", "remarried"):
        return DependencyResult(
            "independent", "Independent: married or remarried on the day of the FAFSA."
        )
    for flag, words in _INDEPENDENT_BECAUSE:
        if flag in flags:
            return DependencyResult("independent", f"Independent: the student {words}.")
    if "unaccompanied_homeless_youth" in flags:
        if "homeless_youth_determination" in flags or "dependency_override_granted" in flags:
            return DependencyResult(
                "independent",
                "Independent: an unaccompanied homeless youth (or self-supporting and at risk of "
                "homelessness), as determined by a liaison, program director or aid "
                "administrator.",
            )
        return DependencyResult(
            "provisionally_independent",
            "Provisionally independent: unaccompanied and homeless, or self-supporting and at "
            "risk of homelessness, without a determination yet; a financial aid administrator "
            "must confirm it, or the student answers as dependent.",
        )
    if "dependency_override_granted" in flags:
        return DependencyResult(
            "independent",
            "Independent: a financial aid administrator granted a dependency override.",
        )
    if "unusual_circumstances" in flags:
        return DependencyResult(
            "provisionally_independent",
            "Provisionally independent: unusual circumstances keep the student from contacting "
            "the parents; a financial aid administrator must review them and may grant a "
            "dependency override. The SAI shown is the one as an independent student.",
        )
    return DependencyResult(
        "dependent",
        "Dependent: under 24 and none of the FAFSA's independence conditions applies, so the "
        "parents' information is required.",
    )
