"""Invariants of the programs screener over any valid facts (hypothesis), and routed answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicllm.answer.tool_route import ToolRoute, answer_routed, numbers_in, stated_numbers
from civicllm.errors import InputError
from civicllm.tools.small_business.programs import PROGRAMS, screen
from civicllm.tools.small_business.programs_input import LOAN_PURPOSES, PROGRAM_IDS
from civicllm.tools.small_business.programs_route import route_programs
from civicllm.tools.small_business.programs_view import view_programs

money = st.integers(min_value=0, max_value=10_000_000)
share = st.one_of(
    st.integers(0, 100), st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1))
)
FACTS = st.fixed_dictionaries(
    {},
    optional={
        "for_profit": st.booleans(),
        "us_based": st.booleans(),
        "is_small": st.booleans(),
        "years_in_business": st.integers(0, 30),
        "employees": st.integers(0, 1000),
        "loan_amount": money,
        "loan_purpose": st.sampled_from(LOAN_PURPOSES),
        "women_share": share,
        "veteran_share": share,
        "service_disabled_veteran_share": share,
        "disadvantaged_share": share,
        "us_citizen_share": share,
        "personal_net_worth": st.integers(-100_000, 2_000_000),
        "average_agi": st.integers(-50_000, 900_000),
        "total_assets": money,
        "hubzone_principal_office": st.booleans(),
        "hubzone_employee_share": share,
        "does_research": st.booleans(),
        "research_institution_partner": st.booleans(),
        "wants_grant": st.booleans(),
        "as_of": st.sampled_from(["2023-06-01", "2026-01-15", "2026-12-02"]),
    },
)


@settings(max_examples=60, deadline=None)
@given(facts=FACTS, lang=st.sampled_from(["en", "es", "fr", "de"]))
def test_status_follows_the_reasons_and_every_stated_number_is_supported(
    facts: dict[str, Any], lang: str
) -> None:
    result = screen(facts)
    assert [p["program"] for p in result["programs"]] == list(PROGRAM_IDS)
    for program in result["programs"]:
        met = [r["met"] for r in program["reasons"]]
        if False in met:
            assert program["status"] == "not_eligible"
        elif None in met:
            assert program["status"] == "check"
        else:
            assert program["status"] == "likely_eligible"
    view = view_programs(result, lang)
    allowed = stated_numbers(result, {}, view)
    for sentence in [*view.sentences, *view.notes]:
        for number in numbers_in(sentence, lang):
            assert number in allowed or -number in allowed, (sentence, number)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("What is the largest SBA microloan?", "en"),
        ("¿Cuál es el préstamo máximo 7(a)?", "es"),
        ("Mon entreprise peut-elle obtenir la certification HUBZone ?", "fr"),
        ("Welche SBA-Programme gibt es für Veteranen?", "de"),
        ("Can SBA give me a grant to start my business?", "en"),
    ],
)
def test_a_routed_answer_keeps_every_sentence_and_cites_sources(question: str, lang: str) -> None:
    routed = route_programs(question, lang)
    assert routed is not None
    answer = answer_routed(ToolRoute(PROGRAMS, routed), lang)
    assert answer.extension["dropped"] == []
    assert "https://" in answer.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELD_NAMES = st.sampled_from([*sorted(PROGRAMS.input_schema["properties"]), "unknown"])


@settings(max_examples=80, deadline=None)
@given(request=st.dictionaries(FIELD_NAMES, json_values, max_size=6))
def test_any_json_is_a_result_or_one_input_error(request: dict[str, Any]) -> None:
    try:
        result = screen(request)
    except InputError as error:
        assert error.details and all(param for param, _ in error.details)
    else:
        view_programs(result, "en")
