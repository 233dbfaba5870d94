"""Replies to the student-aid estimator flow for one dependent student, by step id.

Tests walk the flow answering what it asks: a step named here gets its reply, any other
yes/no step "no" and any other amount "0". Parents married and filing jointly, a family of
4, one summer job for the student.
"""

from __future__ import annotations

DEPENDENT_REPLIES: dict[str, str] = {
    "award_year": "2025-26",
    "date_of_birth": "2007-05-01",
    "marital_status": "single",
    "state": "OH",
    "parents_marital_status": "married",
    "parents_family_size": "4",
    "parent_filed": "yes",
    "parent_filing_status": "married_filing_jointly",
    "parent_agi": "65000",
    "parent_tax": "4100",
    "parent_earned": "63000",
    "student_filed": "no",
    "student_earned": "3000",
    "enrollment": "100",
    "cost_of_attendance": "25000",
}
