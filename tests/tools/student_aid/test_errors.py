"""Bad input is refused with an InputError naming the field and what is allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from civicllm.errors import InputError
from civicllm.tools.student_aid import estimate

from .conftest import dependent_request


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(request: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = request
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(request: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = request
        for key in parents:
            node = node.setdefault(key, {})
        del node[last]

    return change


@pytest.mark.parametrize(
    ("change", "param", "words"),
    [
        (_set("student.favourite_colour", "blue"), "student.favourite_colour", "Unknown field"),
        (_set("nickname", "x"), "nickname", "Unknown field"),
        (_set("parents.family_size", -1), "parents.family_size", "greater than or equal"),
        (_set("student.family_size", 0), "student.family_size", "greater than or equal"),
        (_set("parents.family_size", "4"), "parents.family_size", "whole number"),
        (
            _set("parents.income.adjusted_gross_income", "80000"),
            "parents.income.adjusted_gross_income",
            "number",
        ),
        (
            _set("parents.income.adjusted_gross_income", True),
            "parents.income.adjusted_gross_income",
            "number",
        ),
        (_set("student.dependency.veteran", "yes"), "student.dependency.veteran", "boolean"),
        (_set("student.date_of_birth", "2999-01-01"), "student.date_of_birth", "future"),
        (_set("student.date_of_birth", "01/05/2006"), "student.date_of_birth", "date"),
        (
            _set("student.state_of_legal_residence", "ZZ"),
            "student.state_of_legal_residence",
            "state code",
        ),
        (
            _set("parents.state_of_legal_residence", 12),
            "parents.state_of_legal_residence",
            "state code",
        ),
        (_set("student.marital_status", "engaged"), "student.marital_status", "'single'"),
        (_set("award_year", "2019-20"), "award_year", "2024-25"),
        (
            _set("enrollment", {"enrollment_intensity_percent": 120}),
            "enrollment.enrollment_intensity_percent",
            "less than or equal",
        ),
        (
            _set("parents.income.tax_exempt_interest", -5),
            "parents.income.tax_exempt_interest",
            "greater than or equal",
        ),
        (_drop("student.income"), "student.income", "required"),
        (_drop("parents"), "parents", "parents"),
    ],
)
def test_bad_input_names_the_field(
    change: Callable[[dict[str, Any]], None], param: str, words: str
) -> None:
    request = dependent_request()
    change(request)
    with pytest.raises(InputError) as info:
        estimate(request)
    assert info.value.param == param
    assert words in info.value.message
    assert info.value.to_body()["error"]["param"] == param


def test_not_an_object() -> None:
    with pytest.raises(InputError):
        estimate([1, 2])  # type: ignore[arg-type]


def test_lowercase_state_code_is_accepted() -> None:
    request = dependent_request()
    request["student"]["state_of_legal_residence"] = "oh"
    assert estimate(request)["sai"] == estimate(dependent_request())["sai"]
