"""The guided flow engine, driven through the student-aid estimator flow with a fake tool."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from civicllm.answer.flow import (
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

FLOW_PATH = Path(__file__).parents[2] / "src/civicllm/packs/student-aid/flows/estimator.yaml"

# A dependent student (born 2007) whose married parents filed jointly.
DEPENDENT = {
    "award_year": "2025-26",
    "date_of_birth": "05/01/2007",
    "marital_status": "Single (never married)",
    "state": "OH",
    "graduate": "no",
    "active_duty": "no",
    "veteran": "no",
    "dependents": "no",
    "orphan": "no",
    "emancipated": "no",
    "guardianship": "no",
    "homeless": "no",
    "unusual": "no",
    "parents_marital_status": "married",
    "parents_family_size": "4",
    "parents_benefits": "no",
    "parent_filed": "yes",
    "parent_filing_status": "Married filing jointly",
    "parent_agi": "$65,000",
    "parent_tax": "4,100",
    "parent_earned": "63000",
    "parent_eitc": "no",
    "parent_schedules": "no",
    "parent_other_income": "no",
    "parent_cash": "2500",
    "parent_investments": "0",
    "parent_business": "0",
    "parent_child_support": "0",
    "student_filed": "no",
    "student_earned": "3,000",
    "student_other_income": "no",
    "student_cash": "400",
    "student_investments": "0",
    "enrollment": "Full time",
    "cost_of_attendance": "25000",
}

# The tool input those answers must produce, written out by hand from the spec.
DEPENDENT_REQUEST = {
    "award_year": "2025-26",
    "student": {
        "date_of_birth": "2007-05-01",
        "marital_status": "single",
        "state_of_legal_residence": "OH",
        "dependency": {
            "graduate_student": False,
            "active_duty": False,
            "veteran": False,
            "supports_children_or_other_dependents": False,
            "orphan_foster_or_ward_after_13": False,
            "emancipated_minor": False,
            "legal_guardianship": False,
            "unaccompanied_homeless_youth": False,
            "unusual_circumstances": False,
        },
        "income": {"filed_or_will_file_tax_return": False, "earned_income": 3000},
        "assets": {"cash_savings_checking": 400, "investments_net_worth": 0},
    },
    "parents": {
        "state_of_legal_residence": "OH",
        "marital_status": "married",
        "family_size": 4,
        "received_federal_benefits": False,
        "income": {
            "filed_or_will_file_tax_return": True,
            "tax_filing_status": "married_filing_jointly",
            "adjusted_gross_income": 65000,
            "income_tax_paid": 4100,
            "earned_income": 63000,
            "received_earned_income_tax_credit": False,
            "filed_schedule_a_b_d_e_f_or_h": False,
        },
        "assets": {
            "cash_savings_checking": 2500,
            "investments_net_worth": 0,
            "business_and_farm_net_worth": 0,
            "child_support_received": 0,
        },
    },
    "enrollment": {"enrollment_intensity_percent": 100, "cost_of_attendance": 25000},
}


class FakeTool:
    """Records each request and answers with a fixed, recognizable result."""

    def __init__(self, sai: int = 1234, pell: int = 5000) -> None:
        self.requests: list[dict[str, Any]] = []
        self.sai = sai
        self.pell = pell

    def __call__(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self.requests.append(json.loads(json.dumps(request)))
        dependent = "parents" in request
        return {
            "award_year": request["award_year"],
            "dependency_status": "dependent" if dependent else "independent",
            "formula": "A" if dependent else "B",
            "sai": self.sai,
            "pell_grant": self.pell,
            "worksheet": [{"line": "1", "label": "Total", "amount": 1, "source": "input"}],
            "notes": ["tool note"],
        }


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(FLOW_PATH)


def drive(
    flow: Flow, answers: Mapping[str, str], tool: FakeTool, language: str = "en"
) -> tuple[FlowTurn, list[str]]:
    """Answer each question by its step id until a result comes; return the turn and ids."""
    turn = start_flow(flow, language)
    asked: list[str] = []
    for _ in range(100):
        if turn.step is None:
            return turn, asked
        assert turn.step.error is None, (turn.step.id, turn.step.error)
        asked.append(turn.step.id)
        assert turn.step.id in answers, f"unexpected question {turn.step.id}"
        turn = advance_flow(flow, turn.state, answers[turn.step.id], run_tool=tool)
        json.dumps(turn.state)  # the client must be able to hold it
    raise AssertionError("the flow did not finish")


def test_dependent_student_builds_the_spec_request(flow: Flow) -> None:
    tool = FakeTool()
    turn, asked = drive(flow, DEPENDENT, tool)
    assert tool.requests == [DEPENDENT_REQUEST]
    assert turn.result is not None
    # The result is the tool's output and the registered tool's view of it.
    assert turn.result["tool"] == "student-aid/estimate"
    assert turn.result["output"]["sai"] == 1234
    figures = {f["key"]: f for f in turn.result["view"]["figures"]}
    assert figures["sai"]["value"] == 1234
    assert figures["pell_grant"] == {**figures["pell_grant"], "value": 5000, "unit": "USD"}
    assert figures["dependency_status"]["value"] == "dependent"
    assert turn.result["view"]["tables"][0]["rows"] == [["1", "Total", 1]]
    assert "tool note" in turn.result["notes"]
    assert "sai" not in turn.result and "pell_grant" not in turn.result
    assert any("1,234" in line for line in turn.result["explanation"])
    assert any("$5,000" in line for line in turn.result["explanation"])
    assert turn.result["next_steps"], "next steps must be given"
    # Dependency questions come before any question about money.
    assert asked.index("unusual") < asked.index("parent_agi")
    assert "student_family_size" not in asked


def test_older_student_skips_dependency_and_parent_questions(flow: Flow) -> None:
    answers = dict(DEPENDENT) | {
        "date_of_birth": "1990-02-03",
        "student_family_size": "1",
        "student_benefits": "no",
        "student_child_support": "0",
        "student_business": "0",
    }
    tool = FakeTool()
    _, asked = drive(flow, answers, tool)
    assert "graduate" not in asked
    assert not any(a.startswith("parent") for a in asked)
    request = tool.requests[0]
    assert "parents" not in request
    assert request["student"]["family_size"] == 1


def test_veteran_stops_dependency_questions_and_keeps_earlier_answers(flow: Flow) -> None:
    answers = dict(DEPENDENT) | {
        "veteran": "yes",
        "student_family_size": "1",
        "student_benefits": "no",
        "student_child_support": "0",
        "student_business": "0",
    }
    tool = FakeTool()
    _, asked = drive(flow, answers, tool)
    assert asked[asked.index("veteran") + 1] == "student_family_size"
    dependency = tool.requests[0]["student"]["dependency"]
    assert dependency == {"graduate_student": False, "active_duty": False, "veteran": True}


def test_spanish_flow_reads_european_numbers_and_si(flow: Flow) -> None:
    answers = dict(DEPENDENT) | {
        "marital_status": "Soltero(a) (nunca casado)",
        "date_of_birth": "01/05/2007",  # day first outside English
        "parent_filed": "sí",
        "parent_agi": "65.000",
        "parent_filing_status": "Casados, declaración conjunta",
    }
    tool = FakeTool()
    turn, _ = drive(flow, answers, tool, language="es")
    assert tool.requests == [DEPENDENT_REQUEST]
    assert turn.result is not None
    assert any("Beca Pell" in line for line in turn.result["explanation"])
    # The status is said in the asked language, from the tool's view.
    assert any("usted es dependiente" in line for line in turn.result["explanation"])


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("$52,000", 52000),
        ("52.000", 52000),
        ("52 000", 52000),
        ("52.000,50", 52001),
        ("1,234.49", 1234),
        ("52k", 52000),
        ("USD 7", 7),
        ("0", 0),
    ],
)
def test_money_replies(flow: Flow, reply: str, expected: int) -> None:
    step = flow.step_for("parents.income.adjusted_gross_income")
    assert step is not None
    assert parse_reply(flow, step, reply, "en") == expected


def test_negative_amounts_only_where_a_tax_form_allows_them(flow: Flow) -> None:
    agi = flow.step_for("parents.income.adjusted_gross_income")
    cash = flow.step_for("parents.assets.cash_savings_checking")
    assert agi is not None and cash is not None
    assert parse_reply(flow, agi, "-1,200", "en") == -1200
    with pytest.raises(InputError) as info:
        parse_reply(flow, cash, "-1,200", "de")
    assert "negativ" in info.value.message
    assert info.value.param == "parents.assets.cash_savings_checking"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("yes", True),
        ("Sí", True),
        ("oui", True),
        ("Ja", True),
        ("no", False),
        ("Non", False),
        ("nein", False),
    ],
)
def test_yes_no_in_every_language(flow: Flow, reply: str, expected: bool) -> None:
    step = flow.step_for("student.dependency.veteran")
    assert step is not None
    assert parse_reply(flow, step, reply, "en") is expected


def test_invalid_reply_reasks_in_the_users_language(flow: Flow) -> None:
    turn = start_flow(flow, "fr")
    turn = advance_flow(flow, turn.state, "2025-26", run_tool=FakeTool())
    assert turn.step is not None and turn.step.id == "date_of_birth"
    again = advance_flow(flow, turn.state, "le mois dernier", run_tool=FakeTool())
    assert again.step is not None and again.step.id == "date_of_birth"
    assert again.step.error is not None and "date" in again.step.error
    assert again.step.question == turn.step.question
    assert "naissance" in again.step.question


def test_future_birth_date_is_refused(flow: Flow) -> None:
    step = flow.step_for("student.date_of_birth")
    assert step is not None
    with pytest.raises(InputError):
        parse_reply(flow, step, "2999-01-01", "en")


def _state_at(flow: Flow, step_id: str, language: str = "en") -> FlowTurn:
    turn = start_flow(flow, language)
    while turn.step is not None and turn.step.id != step_id:
        turn = advance_flow(flow, turn.state, DEPENDENT[turn.step.id], run_tool=FakeTool())
    assert turn.step is not None
    return turn


def test_dont_know_explains_then_uses_a_labelled_assumption(flow: Flow) -> None:
    turn = _state_at(flow, "parent_tax", "de")
    first = advance_flow(flow, turn.state, "weiß nicht", run_tool=FakeTool())
    assert first.step is not None and first.step.id == "parent_tax"
    assert first.step.hint is not None and "Zeile 22" in first.step.hint
    second = advance_flow(flow, first.state, "Ich weiß es nicht", run_tool=FakeTool())
    assert second.step is not None and second.step.id == "parent_earned"
    assert second.state["assumed"] == ["parents.income.income_tax_paid"]
    tool = FakeTool()
    rest = second
    while rest.step is not None:
        rest = advance_flow(flow, rest.state, DEPENDENT[rest.step.id], run_tool=tool)
    assert tool.requests[0]["parents"]["income"]["income_tax_paid"] == 0
    assert rest.result is not None
    assert any(n.startswith("Annahme") and "Steuer" in n for n in rest.result["notes"])


def test_dont_know_on_a_required_answer_never_assumes(flow: Flow) -> None:
    turn = _state_at(flow, "parent_agi")
    for _ in range(3):
        turn = advance_flow(flow, turn.state, "I don't know", run_tool=FakeTool())
        assert turn.step is not None and turn.step.id == "parent_agi"
        assert turn.step.hint is not None and "line 11" in turn.step.hint
    assert "parents.income.adjusted_gross_income" not in turn.state["answers"]


def test_correction_recomputes_and_reroutes(flow: Flow) -> None:
    tool = FakeTool()
    turn, _ = drive(flow, DEPENDENT, tool)
    changed = correct_answer(
        flow, turn.state, "parents.income.adjusted_gross_income", "80,000", run_tool=tool
    )
    assert changed.result is not None
    assert tool.requests[-1]["parents"]["income"]["adjusted_gross_income"] == 80000
    # An older date of birth makes the student independent: new questions appear,
    # and the parents' answers no longer go to the tool.
    older = correct_answer(
        flow, changed.state, "student.date_of_birth", "1995-01-01", run_tool=tool
    )
    assert older.step is not None and older.step.id == "student_family_size"
    assert len(tool.requests) == 2


def test_correction_of_an_unknown_field_is_refused(flow: Flow) -> None:
    turn, _ = drive(flow, DEPENDENT, FakeTool())
    with pytest.raises(InputError) as info:
        correct_answer(flow, turn.state, "student.ssn", "1", run_tool=FakeTool())
    assert info.value.param == "correct.field"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s.update(flow="other"),
        lambda s: s["answers"].update({"student.ssn": "123"}),
        lambda s: s["answers"].update({"parents.family_size": "many"}),
        lambda s: s["answers"].update({"student.marital_status": "complicated"}),
        lambda s: s.update(assumed=["nope"]),
        lambda s: s.update(answers=[]),
    ],
)
def test_tampered_state_is_rejected(flow: Flow, tamper: Any) -> None:
    turn = _state_at(flow, "parent_agi")
    state = json.loads(json.dumps(turn.state))
    tamper(state)
    with pytest.raises(InputError) as info:
        validate_state(flow, state)
    assert info.value.param == "state"


def test_tool_rejection_reasks_the_step_it_names(flow: Flow) -> None:
    def picky(request: Mapping[str, Any]) -> dict[str, Any]:
        raise InputError("Unknown state code.", param="student.state_of_legal_residence")

    turn = _state_at(flow, "cost_of_attendance")
    turn = advance_flow(flow, turn.state, "25000", run_tool=picky)
    assert turn.step is not None and turn.step.id == "state"
    assert turn.step.error is not None and "Unknown state code." in turn.step.error


def test_every_step_speaks_every_language(flow: Flow) -> None:
    for step in flow.steps:
        if step["type"] == "copy":
            continue
        for language in flow.languages:
            turn = FlowTurn({"language": language, "answers": {}}, None, None)
            rendered = _render(flow, step, turn.state)
            assert rendered.question and rendered.why and rendered.where_to_find, step["id"]
            if language != "en":
                english = _render(flow, step, {"language": "en", "answers": {}})
                assert rendered.question != english.question, (step["id"], language)


def _render(flow: Flow, step: Mapping[str, Any], state: Mapping[str, Any]) -> Any:
    from civicllm.answer.flow.steps import render_step

    return render_step(flow, state, step)


PACK = Path(__file__).parents[2] / "src/civicllm/packs/student-aid"
VECTORS = Path(__file__).parents[3] / "shared/data/student_aid/ed_test_vectors.jsonl"


def estimator_cases() -> list[dict[str, Any]]:
    import yaml

    cases = yaml.safe_load((PACK / "evals/estimator.yaml").read_text(encoding="utf-8"))
    return list(cases["cases"])


@pytest.mark.parametrize("case", estimator_cases(), ids=lambda c: str(c["id"]))
def test_eval_conversations_reach_eds_result(flow: Flow, case: dict[str, Any]) -> None:
    # The pack's estimator conversations: ED's test records played through the flow, in
    # the case's language, must give ED's SAI, dependency status, formula and Pell flags.
    from civicllm.answer.flow import play_request
    from civicllm.tools.student_aid import estimate

    if not VECTORS.exists():
        pytest.skip(f"{VECTORS} is not there")
    records = (json.loads(line) for line in VECTORS.read_text(encoding="utf-8").splitlines())
    request = next(r["input"] for r in records if r["name"] == case["input_ref"])
    turn = play_request(flow, request, case["language"], run_tool=estimate)
    assert turn.result is not None
    assert turn.state["language"] == case["language"]
    output = turn.result["output"]
    assert {"sai", "dependency_status", "formula"} <= set(case["expect"])
    for name, expected in case["expect"].items():
        assert output[name] == expected, name


def test_play_request_refuses_a_request_missing_a_needed_answer(flow: Flow) -> None:
    from civicllm.answer.flow import play_request

    with pytest.raises(InputError) as info:
        play_request(flow, {"award_year": "2025-26"}, run_tool=FakeTool())
    assert info.value.param == "student.date_of_birth"


@pytest.mark.parametrize(("year", "asked"), [("2026-27", True), ("2025-26", False)])
def test_small_business_question_only_where_the_exclusion_applies(
    flow: Flow, year: str, asked: bool
) -> None:
    answers = dict(DEPENDENT) | {"award_year": year, "parent_business": "$150,000"}
    turn = start_flow(flow, "en")
    while turn.step is not None and turn.step.id != "parent_business":
        turn = advance_flow(flow, turn.state, answers[turn.step.id], run_tool=FakeTool())
    assert turn.step is not None
    turn = advance_flow(flow, turn.state, answers["parent_business"], run_tool=FakeTool())
    assert turn.step is not None
    assert (turn.step.id == "parent_small_business") is asked
