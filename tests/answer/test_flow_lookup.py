"""Lookup steps, list fields and number lists in the flow engine, with small fake tools.

The flow here is made up (a city office directory and a permit fee): the engine must work
for any assistant's tools, so nothing in it may depend on a particular one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from civicllm.answer.flow import (
    Flow,
    FlowTurn,
    advance_flow,
    correct_answer,
    load_flow,
    parse_reply,
    play_request,
    start_flow,
    validate_state,
)
from civicllm.errors import ConfigError, InputError

OFFICES = [
    {
        "id": "n1",
        "name": "North Hall",
        "kind": "big",
        "staff": 1250,
        "desks": [{"number": 2, "kind": "small", "fee": 40}],
    },
    {"id": "s1", "name": "South Annex", "kind": "small", "fee": 1500, "desks": []},
]

FLOW = {
    "id": "permit",
    "tool": "city/permit",
    "languages": ["en", "es"],
    "vocabulary": {"yes": ["yes", "sí"], "no": ["no"], "unknown": ["i don't know"]},
    "messages": {
        "invalid_choice": {"en": "Choose one of the options.", "es": "Elija una opción."},
        "invalid_integer_list": {
            "en": "Enter numbers from {min} to {max}, separated by semicolons.",
            "es": "Escriba números de {min} a {max}, separados por punto y coma.",
        },
        "too_many_numbers": {"en": "At most {max} numbers.", "es": "Como mucho {max}."},
        "invalid_money": {"en": "Enter an amount.", "es": "Escriba una cantidad."},
        "negative_money": {"en": "Not negative.", "es": "No negativa."},
        "out_of_range": {"en": "From {min} to {max}.", "es": "De {min} a {max}."},
        "no_matches": {"en": "Nothing found for {query}.", "es": "Nada para {query}."},
        "tool_rejected": {"en": "Not usable: {detail}", "es": "No sirve: {detail}"},
        "query_too_long": {"en": "At most {max} characters.", "es": "Como mucho {max}."},
        "unknown_required": {"en": "We need it. {where}", "es": "Hace falta. {where}"},
    },
    "steps": [
        {
            "id": "office",
            "field": "flow.office",
            "type": "lookup",
            "label": {"en": "Office", "es": "Oficina"},
            "question": {"en": "Which office? Describe it.", "es": "¿Qué oficina?"},
            "choose": {"en": "Offices for “{query}”:", "es": "Oficinas para «{query}»:"},
            "where": {"en": "On the letter.", "es": "En la carta."},
            "lookup": {
                "tool": "city/offices",
                "input": {"text": "{reply}", "limit": 3, "lang": "{language}"},
                "options": {
                    "each": "results",
                    "as": "office",
                    "value": "{office.id}",
                    "label": {"en": "{office.name}", "es": "{office.name} (oficina)"},
                    "detail": [
                        {
                            "when": {"field": "office.kind", "equals": "big"},
                            "text": {
                                "en": "Up to {office.staff|number} staff",
                                "es": "Hasta {office.staff|number} personas",
                            },
                        },
                        {"text": {"en": "Fee {office.fee|money}", "es": "Tasa {office.fee|money}"}},
                    ],
                    "fields": {"office_id": "office.id", "desk": None, "flow.kind": "office.kind"},
                    "then": {
                        "each": "office.desks",
                        "as": "desk",
                        "value": "{office.id}-{desk.number}",
                        "label": {"en": "{office.name}, desk {desk.number}"},
                        "fields": {
                            "office_id": "office.id",
                            "desk": "desk.number",
                            "flow.kind": "desk.kind",
                        },
                    },
                },
            },
        },
        {
            "id": "counts",
            "field": "staff.counts",
            "type": "integer_list",
            "max": 100000,
            "max_items": 4,
            "when": {"field": "flow.kind", "equals": "big"},
            "label": {"en": "Staff counts"},
            "question": {"en": "Staff at each count?", "es": "¿Personal en cada recuento?"},
        },
        {
            "id": "year_1",
            "field": "fees.years.1",
            "type": "money",
            "when": {"field": "flow.kind", "equals": "small"},
            "label": {"en": "Last year"},
            "question": {"en": "Fees last year?", "es": "¿Tasas del año pasado?"},
        },
        {
            "id": "year_0",
            "field": "fees.years.0",
            "type": "money",
            "when": {"field": "flow.kind", "equals": "small"},
            "label": [
                {"when": {"field": "desk", "gte": 1}, "text": {"en": "The desk's first year"}},
                {"text": {"en": "The year before"}},
            ],
            "question": [
                {
                    "when": {"field": "desk", "gte": 1},
                    "text": {"en": "Fees in the desk's first year?", "es": "¿Primer año?"},
                },
                {"text": {"en": "Fees the year before?", "es": "¿Tasas del año anterior?"}},
            ],
        },
    ],
}


class FakeOffices:
    """A directory search: every office whose name or kind contains a word of the text."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self.requests.append(dict(request))
        text = str(request["text"]).lower()
        if text == "broken":
            raise InputError("text must not be 'broken'.", param="text")
        words = text.split()
        names = {o["id"]: f"{o['id']} {o['name']} {o['kind']}".lower() for o in OFFICES}
        found = [o for o in OFFICES if any(w in names[o["id"]] for w in words)]
        return {"results": found[: int(request["limit"])]}


class FakePermit:
    """Records each request and answers with a recognizable result."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self.requests.append(json.loads(json.dumps(request)))
        return {"approved": True, "office": request["office_id"]}


@pytest.fixture
def flow(tmp_path: Path) -> Flow:
    path = tmp_path / "permit.yaml"
    path.write_text(yaml.safe_dump(FLOW, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_flow(path)


@pytest.fixture
def offices() -> FakeOffices:
    return FakeOffices()


def play(
    flow: Flow, replies: list[str], offices: FakeOffices, permit: FakePermit, lang: str = "en"
) -> FlowTurn:
    turn = start_flow(flow, lang)
    for reply in replies:
        turn = advance_flow(
            flow, turn.state, reply, run_tool=permit, tools={"city/offices": offices}
        )
    return turn


def test_a_reply_is_searched_and_the_items_become_options(flow: Flow, offices: FakeOffices) -> None:
    first = start_flow(flow, "en")
    assert first.step is not None and first.step.type == "lookup"
    assert first.step.options is None and first.step.query is None
    turn = play(flow, ["hall annex"], offices, FakePermit())
    assert offices.requests == [{"text": "hall annex", "limit": 3, "lang": "en"}]
    step = turn.step
    assert step is not None and step.error is None and step.query == "hall annex"
    assert step.question == "Offices for “hall annex”:"
    # A nested item is its own option, listed right after the item it belongs to.
    assert step.options == [
        {"value": "n1", "label": "North Hall", "detail": "Up to 1,250 staff"},
        {"value": "n1-2", "label": "North Hall, desk 2", "detail": None},
        {"value": "s1", "label": "South Annex", "detail": "Fee $1,500"},
    ]
    assert turn.state["queries"] == {"flow.office": "hall annex"}
    # Only the text searched for is kept, never the options (they come from the tool).
    assert "North" not in json.dumps(turn.state)
    assert step.to_dict()["query"] == "hall annex"


def test_options_are_worded_and_formatted_in_the_users_language(
    flow: Flow, offices: FakeOffices
) -> None:
    turn = play(flow, ["hall annex"], offices, FakePermit(), lang="es")
    assert turn.step is not None and turn.step.options is not None
    assert turn.step.options[0] == {
        "value": "n1",
        "label": "North Hall (oficina)",
        "detail": "Hasta 1.250 personas",
    }
    assert turn.step.options[2]["detail"] == "Tasa 1.500 $"
    # The nested option has no Spanish label: English is the fallback.
    assert turn.step.options[1]["label"] == "North Hall, desk 2"
    # Switching language while choosing shows the same options in the new language.
    again = advance_flow(flow, turn.state, None, language="en", tools={"city/offices": offices})
    assert again.step is not None and again.step.options is not None
    assert again.step.options[0]["detail"] == "Up to 1,250 staff"


def test_the_chosen_option_fills_its_fields_and_steers_the_next_steps(
    flow: Flow, offices: FakeOffices
) -> None:
    permit = FakePermit()
    turn = play(flow, ["hall annex", "1"], offices, permit)
    assert turn.step is not None and turn.step.id == "counts"
    assert "queries" not in turn.state
    choice = turn.state["answers"]["flow.office"]
    assert choice["fields"] == {"office_id": "n1", "desk": None, "flow.kind": "big"}
    assert choice["query"] == "hall annex" and choice["label"] == "North Hall"
    assert turn.step.number == 2
    done = advance_flow(
        flow, turn.state, "12; 14, 13\n1,250", run_tool=permit, tools={"city/offices": offices}
    )
    assert done.result is not None
    assert permit.requests == [{"office_id": "n1", "staff": {"counts": [12, 14, 13, 1250]}}]
    rows = {r["field"]: r for r in done.result["answers"]}
    assert rows["flow.office"]["display"] == "North Hall"
    assert rows["flow.office"]["value"] == "hall annex"  # a change searches again
    assert rows["staff.counts"]["display"] == "12; 14; 13; 1,250"


def test_digit_segments_build_a_list_in_index_order(flow: Flow, offices: FakeOffices) -> None:
    # year_1 is asked before year_0, yet index 0 comes first in the tool's list.
    permit = FakePermit()
    turn = play(flow, ["annex", "South Annex", "$2,000"], offices, permit)
    assert turn.step is not None and turn.step.question == "Fees the year before?"
    done = advance_flow(flow, turn.state, "1500", run_tool=permit, tools={"city/offices": offices})
    assert done.result is not None
    assert permit.requests[-1] == {"office_id": "s1", "fees": {"years": [1500, 2000]}}


def test_a_question_is_worded_for_the_answers_before_it(flow: Flow, offices: FakeOffices) -> None:
    turn = play(flow, ["hall", "n1-2", "100"], offices, FakePermit())
    assert turn.step is not None and turn.step.id == "year_0"
    assert turn.step.question == "Fees in the desk's first year?"
    done = advance_flow(
        flow, turn.state, "50", run_tool=FakePermit(), tools={"city/offices": offices}
    )
    assert done.result is not None
    labels = [r["label"] for r in done.result["answers"]]
    assert "The desk's first year" in labels and "The year before" not in labels


def test_a_reply_that_is_no_option_searches_again(flow: Flow, offices: FakeOffices) -> None:
    turn = play(flow, ["hall", "annex"], offices, FakePermit())
    assert turn.step is not None and turn.step.query == "annex"
    assert [o["value"] for o in turn.step.options or []] == ["s1"]
    assert len(offices.requests) == 3  # shown, read the reply (no match), shown again


@pytest.mark.parametrize(
    ("replies", "lang", "error"),
    [
        (["nothing like it"], "en", "Nothing found for nothing like it."),
        (["nada"], "es", "Nada para nada."),
        (["broken"], "en", "Not usable: text must not be 'broken'."),
        (["hall", "7"], "en", "Choose one of the options."),
        (["hall", "0"], "es", "Elija una opción."),
        (["x" * 501], "en", "At most 500 characters."),
    ],
)
def test_bad_searches_and_choices_are_asked_again_in_the_users_language(
    flow: Flow, offices: FakeOffices, replies: list[str], lang: str, error: str
) -> None:
    turn = play(flow, replies, offices, FakePermit(), lang=lang)
    assert turn.step is not None and turn.step.id == "office"
    assert turn.step.error == error
    assert "flow.office" not in turn.state["answers"]


def test_dont_know_at_a_lookup_explains_where_to_look(flow: Flow, offices: FakeOffices) -> None:
    turn = play(flow, ["hall", "I don't know"], offices, FakePermit())
    assert turn.step is not None and turn.step.hint == "We need it. On the letter."
    assert turn.step.options is not None  # still choosing among the same options


def test_choosing_again_drops_the_answers_that_no_longer_apply(
    flow: Flow, offices: FakeOffices
) -> None:
    permit = FakePermit()
    done = play(flow, ["hall", "1", "10; 11"], offices, permit)
    assert done.result is not None
    tools = {"city/offices": offices}
    turn = correct_answer(flow, done.state, "flow.office", "annex", run_tool=permit, tools=tools)
    assert turn.step is not None and turn.step.id == "office" and turn.step.query == "annex"
    turn = advance_flow(flow, turn.state, "s1", run_tool=permit, tools=tools)
    for reply in ("300", "200"):
        assert turn.step is not None
        turn = advance_flow(flow, turn.state, reply, run_tool=permit, tools=tools)
    assert turn.result is not None
    assert permit.requests[-1] == {"office_id": "s1", "fees": {"years": [200, 300]}}
    assert "staff.counts" not in [r["field"] for r in turn.result["answers"]]
    # Choosing the first office again brings its own answers back, not the other's.
    back = correct_answer(flow, turn.state, "flow.office", "hall", run_tool=permit, tools=tools)
    back = advance_flow(flow, back.state, "n1", run_tool=permit, tools=tools)
    assert back.result is not None
    assert permit.requests[-1] == {"office_id": "n1", "staff": {"counts": [10, 11]}}


def test_an_empty_correction_of_a_lookup_asks_for_the_text_again(
    flow: Flow, offices: FakeOffices
) -> None:
    done = play(flow, ["hall", "1", "10"], offices, FakePermit())
    turn = correct_answer(flow, done.state, "flow.office", "", tools={"city/offices": offices})
    assert turn.step is not None and turn.step.id == "office" and turn.step.options is None


@pytest.mark.parametrize(
    "tamper",
    [
        {"answers": {"flow.office": "n1"}},
        {"answers": {"flow.office": {"value": "n1", "fields": {"secret": 1}}}},
        {"answers": {"flow.office": {"value": "n1", "fields": {"office_id": ["n1"]}}}},
        {"answers": {"flow.office": {"value": "n1", "fields": {"office_id": float("inf")}}}},
        {"queries": {"staff.counts": "hall"}},
        {"queries": {"flow.office": ""}},
        {"queries": ["hall"]},
    ],
)
def test_a_tampered_lookup_state_is_refused(flow: Flow, tamper: dict[str, Any]) -> None:
    state = start_flow(flow, "en").state | tamper
    with pytest.raises(InputError) as caught:
        validate_state(flow, state)
    assert caught.value.param == "state"


def test_a_good_lookup_state_survives_validation(flow: Flow, offices: FakeOffices) -> None:
    turn = play(flow, ["hall", "2"], offices, FakePermit())
    assert validate_state(flow, json.loads(json.dumps(turn.state))) == turn.state


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("12", [12]),
        ("12; 14; 13", [12, 14, 13]),
        ("12, 14, 13", [12, 14, 13]),
        ("12,14,13", [12, 14, 13]),
        ("12 14\n13", [12, 14, 13]),
        ("1,250; 1.300", [1250, 1300]),
        ("1 250", [1250]),
        ("0", [0]),
    ],
)
def test_number_lists_are_read(flow: Flow, reply: str, expected: list[int]) -> None:
    step = flow.step_for("staff.counts")
    assert step is not None
    assert parse_reply(flow, step, reply, "en") == expected


@pytest.mark.parametrize(
    ("reply", "lang", "error"),
    [
        ("", "en", "Enter numbers from 0 to 100000, separated by semicolons."),
        ("twelve", "en", "Enter numbers from 0 to 100000, separated by semicolons."),
        ("12; -3", "es", "Escriba números de 0 a 100000, separados por punto y coma."),
        ("12.5", "en", "Enter numbers from 0 to 100000, separated by semicolons."),
        # Three-digit groups read as one number: too large, so asked again, never split.
        ("120,118,125", "en", "Enter numbers from 0 to 100000, separated by semicolons."),
        ("1; 2; 3; 4; 5", "en", "At most 4 numbers."),
    ],
)
def test_bad_number_lists_are_asked_again(flow: Flow, reply: str, lang: str, error: str) -> None:
    step = flow.step_for("staff.counts")
    assert step is not None
    with pytest.raises(InputError) as caught:
        parse_reply(flow, step, reply, lang)
    assert caught.value.message == error and caught.value.param == "staff.counts"


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (
            {"office_id": "n1", "staff": {"counts": [5, 6]}},
            {"office_id": "n1", "staff": {"counts": [5, 6]}},
        ),
        (
            {"office_id": "n1", "desk": 2, "fees": {"years": [7, 8]}},
            {"office_id": "n1", "desk": 2, "fees": {"years": [7, 8]}},
        ),
    ],
)
def test_a_request_plays_through_the_lookup(
    flow: Flow, offices: FakeOffices, request_: dict[str, Any], expected: dict[str, Any]
) -> None:
    # The search is for the first tool field the options fill (the office id), and the
    # option chosen is the one whose fields all match the request.
    permit = FakePermit()
    turn = play_request(flow, request_, run_tool=permit, tools={"city/offices": offices})
    assert turn.result is not None
    assert permit.requests == [expected]
    assert offices.requests[0]["text"] == "n1"


def test_a_request_no_option_matches_is_an_error(flow: Flow, offices: FakeOffices) -> None:
    with pytest.raises(InputError, match="matches"):
        play_request(
            flow,
            {"office_id": "hall", "fees": {"years": [1]}},
            run_tool=FakePermit(),
            tools={"city/offices": offices},
        )


def test_a_missing_lookup_tool_is_named(flow: Flow) -> None:
    turn = start_flow(flow, "en")
    with pytest.raises(ConfigError, match="city/offices"):
        advance_flow(flow, turn.state, "hall", tools={})


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"lookup": {"input": {}}}, "lookup.tool"),
        ({"field": "office_id"}, "flow."),
        ({"lookup": {"tool": "city/offices", "input": {}, "options": {"each": "x"}}}, "lack"),
        ({"lookup": {"tool": "city/offices"}}, "lookup.input"),
    ],
)
def test_an_incomplete_lookup_step_is_a_config_error(
    tmp_path: Path, change: dict[str, Any], match: str
) -> None:
    data = json.loads(json.dumps(FLOW))
    data["steps"][0] |= change
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        load_flow(path)
