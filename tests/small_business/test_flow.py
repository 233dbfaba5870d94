"""The "Am I a small business?" flow, played through the engine in four languages.

The size check is the real tool; the NAICS search is a small stand-in here that answers in
the spec's shape from SBA's real table (tests/small_business/test_flow_api.py plays the
flow with the real search), so these tests do not depend on the search's ranking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicllm.answer.flow import (
    Flow,
    FlowTurn,
    advance_flow,
    correct_answer,
    load_flow,
    play_request,
    start_flow,
)
from civicllm.errors import InputError
from civicllm.tools.small_business.size import check_size
from civicllm.tools.small_business.size_tool import SIZE_CHECK
from civicllm.tools.small_business.table import table_for

FLOW_PATH = Path(__file__).parents[2] / "src/civicllm/packs/small-business/flows/size.yaml"
LANGUAGES = ("en", "es", "fr", "de")
# Words the stand-in search knows, and the codes it answers with, best first.
WORDS = {
    "engineering": ["541330", "541511"],
    "bread": ["311812"],
    "bank": ["522110"],
    "software": ["541511", "541330"],
}


class FakeSearch:
    """A NAICS search in the spec's output shape, over SBA's table, for a few words."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self.requests.append(dict(request))
        query = str(request["query"]).strip().lower()
        codes = [query] if query.isdigit() else WORDS.get(query, [])
        table = table_for()
        results = []
        known = [i for i in map(table.industry, codes) if i is not None]
        for rank, industry in enumerate(known[: int(request.get("limit", 5))]):
            results.append(
                {
                    "code": industry.code,
                    "title": industry.title,
                    "size_standard": standard(industry.standard, table.title),
                    "exceptions": [
                        {
                            "number": e.number,
                            "title": e.title,
                            "size_standard": standard(e.standard, table.title),
                        }
                        for e in industry.exceptions
                    ],
                    "score": 1.0 - rank / 10,
                }
            )
        return {"results": results}


def standard(value: Any, title: str) -> dict[str, Any]:
    return {"measure": value.measure, "limit": value.limit, "table": title}


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(FLOW_PATH)


@pytest.fixture
def search() -> FakeSearch:
    return FakeSearch()


def play(flow: Flow, replies: list[str], search: FakeSearch, lang: str = "en") -> FlowTurn:
    """Answer the questions in order; fail on any error the flow shows."""
    turn = start_flow(flow, lang)
    for reply in replies:
        assert turn.step is not None, f"the flow ended before the reply {reply!r}"
        turn = step(flow, turn, reply, search)
        assert turn.step is None or turn.step.error is None, turn.step.error
    return turn


def step(flow: Flow, turn: FlowTurn, reply: str, search: FakeSearch) -> FlowTurn:
    tools = {"small-business/naics-search": search}
    return advance_flow(flow, turn.state, reply, run_tool=SIZE_CHECK, tools=tools)


EXCEPTION_WORDS = {"en": "Exception", "es": "Excepción", "fr": "Exception", "de": "Ausnahme"}
RECEIPTS_DETAIL = {
    "en": "Small if average annual receipts are $47,000,000 or less",
    "es": "Pequeña si los ingresos anuales promedio son de 47.000.000 $ o menos",
    "fr": "Petite si les recettes annuelles moyennes sont de 47\u202f000\u202f000 $ au plus",
    "de": "Klein bei durchschnittlichen Jahreseinnahmen bis 47.000.000 $",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_exceptions_are_options_of_their_own_with_their_standard(
    flow: Flow, search: FakeSearch, lang: str
) -> None:
    turn = play(flow, ["engineering"], search, lang)
    assert search.requests == [{"query": "engineering", "limit": 5}]
    assert turn.step is not None and turn.step.query == "engineering"
    options = turn.step.options or []
    values = [o["value"] for o in options]
    industry = table_for().industry("541330")
    assert industry is not None
    # The code, then each of its exceptions, then the next code.
    assert values[: 2 + len(industry.exceptions)] == ["541330"] + [
        f"541330-{e.number}" for e in industry.exceptions
    ] + ["541511"]
    first = options[1]
    assert first["label"] == (
        f"541330 {EXCEPTION_WORDS[lang]} 1"
        + (" : " if lang == "fr" else ": ")
        + "Military and Aerospace Equipment and Military Weapons"
    )
    assert first["detail"] == RECEIPTS_DETAIL[lang]
    assert options[0]["label"] == "541330 Engineering Services"


SPEC_YEARS = ["30,000,000", "31000000", "$33,000,000", "34000000", "36 000 000"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_five_years_of_receipts_and_an_affiliate_give_the_tools_answer(
    flow: Flow, search: FakeSearch, lang: str
) -> None:
    # The spec's example: 541511, five years, one affiliate with $1,000,000 a year.
    yes, no = {"en": ("yes", "no"), "es": ("sí", "no"), "fr": ("oui", "non"), "de": ("ja", "nein")}[
        lang
    ]
    replies = ["software", "1", yes, no, *SPEC_YEARS, yes, *["1000000"] * 5]
    turn = play(flow, replies, search, lang)
    assert turn.result is not None
    request = turn.result["request"]
    assert request == {
        "naics": "541511",
        "receipts": {"fiscal_years": [30000000, 31000000, 33000000, 34000000, 36000000]},
        "affiliates": [{"receipts": {"fiscal_years": [1000000] * 5}}],
    }
    output = turn.result["output"]
    assert output == json.loads(json.dumps(check_size(request)))
    assert output["small"] is True and output["measured"]["value"] == 33800000
    # The tool's own view, worksheet included, in the asked language.
    view = turn.result["view"]
    assert view["tables"] and len(view["tables"][0]["rows"]) >= 5
    assert view == SIZE_CHECK.view(output, lang).to_json()  # type: ignore[misc]


def test_a_young_business_gives_weeks_and_one_total_its_affiliates_the_same_weeks(
    flow: Flow, search: FakeSearch
) -> None:
    turn = play(flow, ["engineering", "541330-1", "no", "104", "$60,000,000"], search)
    assert turn.step is not None and turn.step.id == "has_affiliates"
    turn = play_on(flow, turn, ["yes"], search)
    assert turn.step is not None
    assert (
        turn.step.question
        == "What were your affiliates' total receipts, all together, over the same weeks?"
    )
    turn = play_on(flow, turn, ["2,000,000"], search)
    assert turn.result is not None
    request = turn.result["request"]
    assert request == {
        "naics": "541330",
        "exception": 1,
        "receipts": {"weeks_in_business": 104, "fiscal_years": [60000000]},
        "affiliates": [{"receipts": {"weeks_in_business": 104, "fiscal_years": [2000000]}}],
    }
    output = turn.result["output"]
    # ($60M + $2M) / 104 weeks x 52 = $31M, under the exception's $47M.
    assert output["small"] is True and output["measured"]["value"] == 31000000
    assert output["size_standard"]["limit"] == 47000000
    labels = [row["label"] for row in turn.result["answers"]]
    assert "Total receipts since the start" in labels
    assert not any("fiscal year 2 of 5" in label for label in labels)


def test_five_years_with_a_short_one_give_their_weeks(flow: Flow, search: FakeSearch) -> None:
    # 13 CFR 121.104(c)(3): 4 full years and a 26-week year, 234 weeks in all.
    replies = ["software", "541511", "yes", "yes", "234", *SPEC_YEARS, "no"]
    turn = play(flow, replies, search)
    assert turn.result is not None
    receipts = turn.result["request"]["receipts"]
    assert receipts["weeks_in_business"] == 234 and len(receipts["fiscal_years"]) == 5
    # $164M over 234 weeks x 52 = $36,444,445 (rounded up), above $34M: not small.
    assert turn.result["output"]["small"] is False
    assert turn.result["output"]["measured"]["value"] == 36444445
    labels = [row["label"] for row in turn.result["answers"]]
    assert "Weeks the 5 fiscal years cover" in labels


def play_on(flow: Flow, turn: FlowTurn, replies: list[str], search: FakeSearch) -> FlowTurn:
    for reply in replies:
        turn = step(flow, turn, reply, search)
        assert turn.step is None or turn.step.error is None, turn.step.error
    return turn


def test_employees_are_asked_as_one_list_and_averaged(flow: Flow, search: FakeSearch) -> None:
    turn = play(flow, ["bread", "311812"], search)
    assert turn.step is not None and turn.step.id == "pay_periods"
    turn = play_on(flow, turn, ["990; 1,020; 1005", "no"], search)
    assert turn.result is not None
    assert turn.result["request"] == {
        "naics": "311812",
        "employees": {"pay_periods": [990, 1020, 1005]},
    }
    output = turn.result["output"]
    # (990 + 1,020 + 1,005) / 3 = 1,005 employees, above the standard of 1,000.
    assert output["small"] is False and output["size_standard"]["measure"] == "employees"
    rows = {row["field"]: row["display"] for row in turn.result["answers"]}
    assert rows["employees.pay_periods"] == "990; 1,020; 1,005"


def test_a_bank_gives_four_quarters_of_assets(flow: Flow, search: FakeSearch) -> None:
    quarters = ["800000000", "820000000", "840000000", "860000000"]
    turn = play(flow, ["bank", "1", *quarters, "no"], search, "de")
    assert turn.result is not None
    assert turn.result["request"]["assets"] == {"quarters": [int(q) for q in quarters]}
    assert turn.result["output"]["small"] is True  # $830M average, standard $850M


@pytest.mark.parametrize(
    ("lang", "error"),
    [
        ("en", "Please enter whole numbers"),
        ("es", "Escriba números enteros"),
        ("fr", "Indiquez des nombres entiers"),
        ("de", "Bitte geben Sie ganze Zahlen"),
    ],
)
def test_a_bad_list_of_employees_is_asked_again_in_the_users_language(
    flow: Flow, search: FakeSearch, lang: str, error: str
) -> None:
    turn = play(flow, ["bread", "1"], search, lang)
    again = step(flow, turn, "about twelve", search)
    assert again.step is not None and again.step.id == "pay_periods"
    assert (again.step.error or "").startswith(error)


@pytest.mark.parametrize(
    ("lang", "error"),
    [
        ("en", "We found no industry for “spaceships”."),
        ("es", "No encontramos ninguna industria para «spaceships»."),
        ("fr", "Nous n'avons trouvé aucun secteur pour « spaceships »."),
        ("de", "Für „spaceships“ haben wir keine Branche gefunden."),
    ],
)
def test_a_search_that_finds_nothing_is_asked_again(
    flow: Flow, search: FakeSearch, lang: str, error: str
) -> None:
    turn = step(flow, start_flow(flow, lang), "spaceships", search)
    assert turn.step is not None and turn.step.id == "industry" and turn.step.options is None
    assert (turn.step.error or "").startswith(error)


def test_choosing_another_industry_asks_only_what_its_standard_needs(
    flow: Flow, search: FakeSearch
) -> None:
    done = play(flow, ["software", "541511", "yes", "no", *SPEC_YEARS, "no"], search)
    assert done.result is not None and done.result["request"]["naics"] == "541511"
    tools = {"small-business/naics-search": search}
    turn = correct_answer(
        flow, done.state, "flow.industry", "bread", run_tool=SIZE_CHECK, tools=tools
    )
    assert turn.step is not None and turn.step.id == "industry" and turn.step.query == "bread"
    turn = play_on(flow, turn, ["311812"], search)
    # Employees now; the receipts answers no longer apply, the affiliates answer still does.
    assert turn.step is not None and turn.step.id == "pay_periods"
    turn = play_on(flow, turn, ["40"], search)
    assert turn.result is not None
    assert turn.result["request"] == {"naics": "311812", "employees": {"pay_periods": [40]}}
    fields = [row["field"] for row in turn.result["answers"]]
    assert fields == ["flow.industry", "employees.pay_periods", "flow.has_affiliates"]
    # Another receipts industry keeps the figures already given: straight to the result.
    back = correct_answer(
        flow, turn.state, "flow.industry", "engineering", run_tool=SIZE_CHECK, tools=tools
    )
    back = play_on(flow, back, ["541330"], search)
    assert back.result is not None
    assert back.result["request"]["naics"] == "541330"
    assert back.result["request"]["receipts"]["fiscal_years"][-1] == 36000000


def test_dont_know_about_affiliates_is_a_labelled_assumption(
    flow: Flow, search: FakeSearch
) -> None:
    turn = play(flow, ["bread", "1", "12", "I don't know"], search)
    assert turn.step is not None and turn.step.hint and "121.103" in turn.step.hint
    turn = play_on(flow, turn, ["I don't know"], search)
    assert turn.result is not None
    assert "affiliates" not in turn.result["request"]
    assert any("no affiliates" in note for note in turn.result["notes"])


@pytest.mark.parametrize(
    "request_",
    [
        {
            "naics": "541511",
            "receipts": {"fiscal_years": [30000000, 31000000, 33000000, 34000000, 36000000]},
            "affiliates": [{"receipts": {"fiscal_years": [1000000] * 5}}],
        },
        {
            "naics": "541330",
            "exception": 2,
            "receipts": {"weeks_in_business": 80, "fiscal_years": [9000000]},
        },
        {"naics": "311812", "employees": {"pay_periods": [999, 1001]}},
        {
            "naics": "522110",
            "assets": {"quarters": [1, 2, 3, 4]},
            "affiliates": [{"assets": {"quarters": [5, 6, 7, 8]}}],
        },
    ],
)
def test_a_full_request_plays_through_the_flow_to_the_same_answer(
    flow: Flow, search: FakeSearch, request_: dict[str, Any]
) -> None:
    tools = {"small-business/naics-search": search}
    turn = play_request(flow, request_, "fr", run_tool=SIZE_CHECK, tools=tools)
    assert turn.result is not None
    assert turn.result["request"] == request_
    assert turn.result["output"] == json.loads(json.dumps(check_size(request_)))


REPLIES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "1", "2", "99", "541330-1", "12; 14", "1e9", "?", ""]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.integers(min_value=-5, max_value=10**20).map(str), max_size=5).map("; ".join),
)
VALUES = st.one_of(
    REPLIES,
    st.none(),
    st.booleans(),
    st.integers(),
    st.lists(st.integers(min_value=-5, max_value=10**25), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from(["engineering", "bread", "bank", "541511"]),
    replies=st.lists(REPLIES, max_size=12),
    fix=st.tuples(st.sampled_from(["flow.industry", "employees.pay_periods", "nope"]), VALUES),
    lang=st.sampled_from(LANGUAGES),
)
def test_any_replies_and_corrections_give_a_turn_or_a_named_input_error(
    flow: Flow, start: str, replies: list[str], fix: tuple[str, Any], lang: str
) -> None:
    search = FakeSearch()
    tools = {"small-business/naics-search": search}
    turn = advance_flow(flow, start_flow(flow, lang).state, start, run_tool=SIZE_CHECK, tools=tools)
    for reply in replies:
        turn = advance_flow(flow, turn.state, reply, run_tool=SIZE_CHECK, tools=tools)
        assert turn.step is not None or turn.result is not None
        if turn.result is not None:
            assert turn.result["output"] == json.loads(
                json.dumps(check_size(turn.result["request"]))
            )
            break
    try:
        fixed = correct_answer(flow, turn.state, fix[0], fix[1], run_tool=SIZE_CHECK, tools=tools)
    except InputError as exc:
        assert exc.param == "correct.field" and fix[0] == "nope"
    else:
        assert fixed.step is not None or fixed.result is not None


CASES_PATH = FLOW_PATH.parents[1] / "evals/size_cases.yaml"


def flow_shaped(case: Mapping[str, Any]) -> bool:
    """Tell whether a case's request is one the flow asks for as it stands.

    The flow asks for the 5 most recent years (or the weeks and their total), and for all
    affiliates together as one entry; cases with 6 years, fewer than 5 years without
    weeks, or several affiliates are the tool's to check, not the flow's.
    """
    blocks = [case["input"], *case["input"].get("affiliates", [])]
    years = [b["receipts"] for b in blocks if "receipts" in b]
    return len(case["input"].get("affiliates") or []) <= 1 and all(
        len(r["fiscal_years"]) == 5 or r.get("weeks_in_business") for r in years
    )


@pytest.mark.parametrize("heldout", [False, True], ids=["dev", "heldout"])
def test_the_generated_size_cases_play_through_the_flow(
    flow: Flow, search: FakeSearch, heldout: bool
) -> None:
    cases = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))["cases"]
    chosen = [c for c in cases if bool(c.get("heldout")) == heldout and flow_shaped(c)]
    assert len(chosen) >= 30
    tools = {"small-business/naics-search": search}
    wrong = []
    for case in chosen:
        request = {k: v for k, v in case["input"].items() if k != "as_of"}
        turn = play_request(flow, request, "en", run_tool=SIZE_CHECK, tools=tools)
        output = (turn.result or {}).get("output", {})
        if not all(output.get(k) == v for k, v in case["expect"].items()):
            wrong.append(case["id"])
    assert wrong == []
