"""Unusual amounts are computed or refused naming the field; every bad field is named at once."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicllm.errors import InputError
from civicllm.tools.student_aid import INPUT_SCHEMA, estimate
from civicllm.tools.student_aid.models import MAX_AMOUNT

from .conftest import dependent_request

AGI = "parents.income.adjusted_gross_income"


def with_agi(value: Any) -> dict[str, Any]:
    request = dependent_request()
    request["parents"]["income"]["adjusted_gross_income"] = value
    return request


@pytest.mark.parametrize(
    "amount",
    [10_000_000, 12_345_678_901, 999_999_999_999, 100.0000001, 0.1234567891234, -999_999_999_999],
)
def test_large_and_finely_divided_amounts_are_computed(amount: float) -> None:
    result = estimate(with_agi(amount))
    assert isinstance(result["sai"], int)
    json.dumps(result)  # the result is plain JSON


def test_a_fraction_of_a_dollar_is_rounded_to_the_dollar() -> None:
    assert estimate(with_agi(80000.4999999))["sai"] == estimate(with_agi(80000))["sai"]


@pytest.mark.parametrize(
    "amount",
    [
        10**12,
        -(10**12),
        12_345_678_901_234_567_890,
        10**28,
        10**30,
        1e300,
        -1e300,
        Decimal("1E+40"),
    ],
)
def test_amounts_of_a_trillion_dollars_or_more_are_refused_naming_the_field(amount: Any) -> None:
    with pytest.raises(InputError) as info:
        estimate(with_agi(amount))
    assert info.value.param == AGI
    assert "1,000,000,000,000" in info.value.message


@pytest.mark.parametrize("amount", [float("inf"), float("-inf"), float("nan"), Decimal("NaN")])
def test_infinite_amounts_are_refused(amount: Any) -> None:
    with pytest.raises(InputError) as info:
        estimate(with_agi(amount))
    assert info.value.param == AGI


def test_tiny_amounts_are_zero_dollars() -> None:
    assert estimate(with_agi(5e-324))["sai"] == estimate(with_agi(0))["sai"]


@settings(max_examples=150, deadline=None)
@given(
    amount=st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
    ),
    where=st.sampled_from(
        [
            ("parents", "income", "adjusted_gross_income"),
            ("parents", "income", "income_tax_paid"),
            ("parents", "assets", "investments_net_worth"),
            ("student", "income", "earned_income"),
            ("student", "assets", "cash_savings_checking"),
        ]
    ),
)
def test_any_number_is_computed_or_refused_naming_the_field(
    amount: Any, where: tuple[str, ...]
) -> None:
    request = dependent_request()
    node = request
    for key in where[:-1]:
        node = node.setdefault(key, {})
    node[where[-1]] = amount
    with localcontext() as context:
        context.traps[InvalidOperation] = True  # the default, stated: never raised
        try:
            result = estimate(request)
        except InputError as exc:
            assert exc.param == ".".join(where)
        else:
            assert isinstance(result["sai"], int)


def test_the_schema_states_the_bound_and_number_defaults() -> None:
    income = INPUT_SCHEMA["$defs"]["IncomeBlock"]["properties"]
    assert income["adjusted_gross_income"]["type"] == "number"
    assert income["adjusted_gross_income"]["exclusiveMaximum"] == MAX_AMOUNT
    assert income["adjusted_gross_income"]["exclusiveMinimum"] == -MAX_AMOUNT
    assert income["adjusted_gross_income"]["default"] == 0
    assert income["tax_exempt_interest"]["minimum"] == 0


# --- every bad field at once -----------------------------------------------------------------

ISSUE_EXAMPLE = {
    "award_year": "2025-26",
    "student": {"date_of_birth": "2007-05-01", "family_size": -3},
}


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InputError) as info:
        estimate(ISSUE_EXAMPLE)
    params = [param for param, _ in info.value.details]
    assert "student.marital_status" in params
    assert "student.family_size" in params
    assert "student.state_of_legal_residence" in params
    assert "student.income" in params
    assert info.value.param == params[0] == "student.marital_status"
    lines = info.value.message.splitlines()
    assert len(lines) == len(params)
    assert any("student.family_size" in line and "greater than" in line for line in lines)
    body = info.value.to_body()["error"]
    assert body["param"] == "student.marital_status"


def test_checks_beyond_the_schema_are_reported_with_the_rest() -> None:
    request = dependent_request()
    request["award_year"] = "1999-00"
    request["student"]["date_of_birth"] = "2999-01-01"
    request["parents"]["family_size"] = 0
    with pytest.raises(InputError) as info:
        estimate(request)
    params = [param for param, _ in info.value.details]
    assert params == ["award_year", "student.date_of_birth", "parents.family_size"]
    assert "2025-26" in info.value.message and "future" in info.value.message


def test_one_bad_field_keeps_its_one_line_message() -> None:
    with pytest.raises(InputError) as info:
        estimate(with_agi("80000"))
    assert info.value.details == ((AGI, info.value.message),)
    assert "\n" not in info.value.message
