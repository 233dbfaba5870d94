"""Every Department of Education test record: SAI, status, formula, flags, intermediates."""

from __future__ import annotations

from typing import Any

import pytest

from civicllm.tools.student_aid import estimate

from .conftest import load_vectors

CASES = load_vectors()


def test_all_vectors_are_present() -> None:
    if not CASES:
        pytest.skip("shared/data/student_aid is not checked out next to the repository")
    assert len(CASES) == 134


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_ed(case: dict[str, Any]) -> None:
    result = estimate(case["input"])
    expected = case["expected"]
    assert result["sai"] == expected["sai"]
    assert result["dependency_status"] == expected["dependency_status"]
    assert result["formula"] == expected["formula"]
    for flag in ("max_pell_eligible", "min_pell_eligible"):
        if flag in expected:
            assert result[flag] == expected[flag], flag
    mismatched = {
        key: (value, result["intermediates"].get(key))
        for key, value in expected["intermediates"].items()
        if result["intermediates"].get(key) != value
    }
    assert not mismatched
