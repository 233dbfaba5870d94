"""Request builders shared by the student aid tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

VECTORS = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "data"
    / "student_aid"
    / "ed_test_vectors.jsonl"
)


def load_vectors() -> list[dict[str, Any]]:
    """Return ED's test records, or none when the shared data is not checked out."""
    if not VECTORS.exists():
        return []
    return [json.loads(line) for line in VECTORS.read_text(encoding="utf-8").splitlines() if line]


def dependent_request(**parent_income: Any) -> dict[str, Any]:
    """Return a dependent student with married parents filing jointly (family of 4, Ohio)."""
    income = {
        "filed_or_will_file_tax_return": True,
        "tax_filing_status": "married_filing_jointly",
        "adjusted_gross_income": 80000,
        "income_tax_paid": 5000,
        "earned_income": 80000,
    }
    income.update(parent_income)
    return {
        "award_year": "2025-26",
        "student": {
            "date_of_birth": "2006-05-01",
            "marital_status": "single",
            "state_of_legal_residence": "OH",
            "income": {
                "filed_or_will_file_tax_return": False,
                "non_filer_reason": "no_earned_income",
            },
        },
        "parents": {
            "marital_status": "married",
            "state_of_legal_residence": "OH",
            "family_size": 4,
            "income": income,
        },
    }


def independent_request(**income: Any) -> dict[str, Any]:
    """Return a single independent student (born 1990) with no dependents, Ohio."""
    block = {
        "filed_or_will_file_tax_return": True,
        "tax_filing_status": "single",
        "adjusted_gross_income": 30000,
        "income_tax_paid": 1500,
        "earned_income": 30000,
    }
    block.update(income)
    return {
        "award_year": "2025-26",
        "student": {
            "date_of_birth": "1990-01-15",
            "marital_status": "single",
            "state_of_legal_residence": "OH",
            "family_size": 1,
            "income": block,
        },
    }


@pytest.fixture
def dependent() -> dict[str, Any]:
    """A dependent student's request (a fresh copy each time)."""
    return copy.deepcopy(dependent_request())


@pytest.fixture
def independent() -> dict[str, Any]:
    """An independent student's request (a fresh copy each time)."""
    return copy.deepcopy(independent_request())
