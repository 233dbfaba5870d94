"""Unusual numbers in flow replies, corrections and states are asked again, never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicllm.answer.flow import (
    MAX_MONEY,
    Flow,
    FlowTurn,
    advance_flow,
    correct_answer,
    load_flow,
    parse_reply,
    start_flow,
    validate_state,
)
from civicllm.errors import InputError
from civicllm.tools.student_aid import estimate
from tests.answer.estimator_replies import DEPENDENT_REPLIES

FLOW_PATH = Path(__file__).parents[2] / "src/civicllm/packs/student-aid/flows/estimator.yaml"
AGI = "parents.income.adjusted_gross_income"
CASH = "parents.assets.cash_savings_checking"


FLOW = load_flow(FLOW_PATH)


@pytest.fixture
def flow() -> Flow:
    return FLOW


def reach(flow: Flow, step_id: str) -> FlowTurn:
    """Answer "no" to every yes/no question and DEPENDENT_REPLIES to the rest until ``step_id``."""
    turn = start_flow(flow, "en")
    for _ in range(100):
        assert turn.step is not None
        if turn.step.id == step_id:
            return turn
        reply = DEPENDENT_REPLIES.get(turn.step.id, "no")
        turn = advance_flow(flow, turn.state, reply, run_tool=estimate)
        assert turn.step is None or turn.step.error is None, turn.step.error
    raise AssertionError(f"the flow never asked {step_id}")


@pytest.mark.parametrize(
    "reply",
    [
        "1000000000000000000000000000000",  # the reply: 10^30
        "9" * 400,  # a float of this is infinity
        "1,000,000,000,000",
        "-" + "9" * 40,
        "52" + "0" * 480 + "k",
    ],
)
def test_an_enormous_income_is_asked_again(flow: Flow, reply: str) -> None:
    turn = reach(flow, "parent_agi")
    again = advance_flow(flow, turn.state, reply, run_tool=estimate)
    assert again.step is not None and again.step.id == "parent_agi"
    assert again.step.error and "999,999,999,999" in again.step.error
    assert AGI not in again.state["answers"]


def test_the_largest_income_allowed_is_taken(flow: Flow) -> None:
    turn = reach(flow, "parent_agi")
    after = advance_flow(flow, turn.state, f"{MAX_MONEY:,}", run_tool=estimate)
    assert after.state["answers"][AGI] == MAX_MONEY
    assert after.step is None or after.step.error is None


@pytest.mark.parametrize("reply", ["٣٠٠٠", "1e30", "inf", "nan", "0x10"])
def test_numbers_that_are_not_amounts_are_asked_again(flow: Flow, reply: str) -> None:
    step = flow.step_for(AGI)
    assert step is not None
    with pytest.raises(InputError) as info:
        parse_reply(flow, step, reply, "en")
    assert info.value.param == AGI


def test_a_choice_by_an_odd_number_is_asked_again(flow: Flow) -> None:
    step = flow.step_for("student.marital_status")
    assert step is not None
    with pytest.raises(InputError):
        parse_reply(flow, step, "9" * 5000, "en")


def test_a_negative_amount_where_none_is_allowed_says_so(flow: Flow) -> None:
    step = flow.step_for(CASH)
    assert step is not None
    with pytest.raises(InputError) as info:
        parse_reply(flow, step, "-" + "9" * 40, "en")
    assert "negative" in info.value.message
    assert parse_reply(flow, step, "-0.4", "en") == 0


@pytest.mark.parametrize(
    "value", [float("-inf"), float("inf"), float("nan"), -1e300, 10**40, [[[1]]], {"a": 1}]
)
def test_odd_corrections_and_states_are_refused_not_crashed(flow: Flow, value: Any) -> None:
    turn = reach(flow, "parent_agi")
    after = correct_answer(flow, turn.state, AGI, value, run_tool=estimate)
    assert after.step is not None and after.step.error
    state = dict(turn.state, answers={**turn.state["answers"], AGI: value})
    with pytest.raises(InputError) as info:
        validate_state(flow, state)
    assert info.value.param == "state"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.from_regex(r"-?[0-9.,]{1,40}k?", fullmatch=True))
def test_any_money_reply_is_dollars_in_range_or_an_input_error(reply: str) -> None:
    flow = FLOW
    step = flow.step_for(AGI)
    assert step is not None
    try:
        amount = parse_reply(flow, step, reply, "en")
    except InputError as exc:
        assert exc.param == AGI
    else:
        assert isinstance(amount, int) and abs(amount) <= MAX_MONEY
