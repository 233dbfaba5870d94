"""The evaluation runner: scoring with a scripted answerer, and the student-aid suite end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.errors import ConfigError, NotFoundError
from civicllm.evals import run_suite
from civicllm.evals.runner import format_report, judge_answer, score_questions
from civicllm.packs.loader import Pack

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "student_aid"
VECTORS = VECTORS / "ed_test_vectors.jsonl"


def test_suite_reports_every_metric_and_gates(echo_settings: Settings) -> None:
    if not VECTORS.exists():
        pytest.skip(f"ED test records not found at {VECTORS} (shared/ is not beside the repo)")
    report = run_suite(echo_settings, "student-aid", limit=3, vectors=VECTORS)
    questions = report["questions"]
    assert set(questions["accuracy"]) == {"en", "es", "fr", "de"}
    assert questions["questions"] == 12
    assert all(0.0 <= v <= 1.0 for v in questions["accuracy"].values())
    assert 0.0 <= questions["citation_precision"] <= 1.0
    # The policy and the estimator do not depend on the model: they must be exact.
    assert report["refusals"]["prompts"] == 12
    assert report["refusals"]["refusal_accuracy"] == 1.0, report["refusals"]["failures"]
    # The estimator set names its tool and flow; the runner finds both from the pack.
    estimator = report["tool_cases"]["estimator"]
    assert estimator["tool"] == "student-aid/estimate"
    assert estimator["cases"] == 12
    assert estimator["accuracy"] == 1.0, estimator["failures"]
    assert "estimator (student-aid/estimate)" in report["table"]
    assert set(questions["citation_precision_by_language"]) == {"en", "es", "fr", "de"}
    assert all(0.0 <= v <= 1.0 for v in questions["citation_precision_by_language"].values())
    assert set(questions["violations"]) == {"en", "es", "fr", "de"}
    assert questions["violations_all"] == sum(questions["violations"].values())
    for failure in questions["failures"]:
        assert set(failure) == {"id", "language", "missing", "forbidden", "source", "cited"}
    assert "answer accuracy (es)" in report["table"]
    assert "citation precision (fr)" in report["table"]
    assert "must_not_contain violations (de)" in report["table"]
    assert isinstance(report["passed"], bool)


def test_missing_vectors_skip_the_estimator_with_a_reason(
    echo_settings: Settings, tmp_path: Path
) -> None:
    report = run_suite(echo_settings, "student-aid", limit=1, vectors=tmp_path / "none.jsonl")
    assert "not found" in report["tool_cases"]["estimator"]["skipped"]


def test_unknown_assistant(echo_settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        run_suite(echo_settings, "no-such-pack", limit=1)


def test_cli_eval_prints_the_table(
    seeded_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "eval",
            "student-aid",
            "--engine",
            "echo",
            "--home",
            str(tmp_path),
            "--limit",
            "1",
            "--vectors",
            str(VECTORS),
        ]
    )
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "refusal accuracy" in out and "citation precision" in out


# ----------------------------------------------------------------------------- scoring


class ScriptedAnswerer:
    """Answer each question with a fixed text and fixed cited documents, as the loop would."""

    def __init__(self, script: Mapping[str, tuple[str, list[str]]]) -> None:
        self.script = script

    async def stream(
        self, pack: Any, messages: list[dict[str, Any]], options: Any, *, language: str
    ) -> AsyncIterator[SimpleNamespace]:
        """Yield the scripted answer in two events, the citations on the last one."""
        text, documents = self.script[messages[-1]["content"]]
        middle = len(text) // 2
        yield SimpleNamespace(text=text[:middle], extension={})
        citations = [{"document": d} for d in documents]
        yield SimpleNamespace(text=text[middle:], extension={"citations": citations})


def score(items: list[dict[str, Any]], script: Mapping[str, tuple[str, list[str]]]) -> Any:
    """Score items against a scripted answerer."""
    runtime = SimpleNamespace(
        settings=SimpleNamespace(default_max_tokens=64), answerer=ScriptedAnswerer(script)
    )
    return asyncio.run(score_questions(runtime, cast(Pack, None), items))


FREE = {
    "id": "fr-039",
    "language": "fr",
    "question": "Dois-je payer pour la FAFSA ?",
    "must_contain": ["toujours gratuite"],
    "must_not_contain": ["n'est pas gratuite", "pas toujours gratuite"],
    "source": "avoiding-scams",
}
PELL = {
    "id": "en-031",
    "language": "en",
    "question": "What is the maximum Pell Grant?",
    "must_contain": ["$7,395"],
    "must_not_contain": ["maximum Pell Grant is $740", "$6,895"],
    "source": "pell-grant",
}


@pytest.mark.parametrize(
    ("item", "text", "docs", "missing", "forbidden", "correct"),
    [
        (
            PELL,
            "The maximum Pell Grant is $7,395; the minimum is $740.",
            ["pell-grant"],
            [],
            [],
            True,
        ),
        (PELL, "The maximum Pell Grant is $7,395.", ["federal-student-loans"], [], [], False),
        (PELL, "The maximum Pell Grant is $6,895.", ["pell-grant"], ["$7,395"], ["$6,895"], False),
        (
            PELL,
            "It is $7,395, though some say the MAXIMUM  Pell\nGrant is $740.",
            ["pell-grant"],
            [],
            ["maximum Pell Grant is $740"],
            False,
        ),
        (FREE, "La FAFSA est toujours gratuite.", ["avoiding-scams"], [], [], True),
        # A typographic apostrophe is the same statement.
        (
            FREE,
            "Elle n\u2019est pas gratuite, elle est toujours gratuite.",
            ["avoiding-scams"],
            [],
            ["n'est pas gratuite"],
            False,
        ),
        ({**FREE, "must_not_contain": []}, "Toujours gratuite.", ["avoiding-scams"], [], [], True),
    ],
)
def test_judge_answer(
    item: dict[str, Any],
    text: str,
    docs: list[str],
    missing: list[str],
    forbidden: list[str],
    correct: bool,
) -> None:
    verdict = judge_answer(item, text, docs)
    assert (verdict.missing, verdict.forbidden, verdict.correct) == (missing, forbidden, correct)


def test_a_forbidden_phrase_makes_an_answer_wrong_and_is_recorded() -> None:
    items = [PELL, FREE, {**FREE, "id": "fr-040", "question": "Et la FAFSA, gratuite ?"}]
    script = {
        PELL["question"]: ("The maximum is $7,395.", ["en/pell-grant.md"]),
        FREE["question"]: (
            "La FAFSA est toujours gratuite. Non, elle n'est pas gratuite.",
            ["fr/avoiding-scams.md", "fr/fafsa-basics.md"],
        ),
        "Et la FAFSA, gratuite ?": ("Elle est toujours gratuite.", ["fr/avoiding-scams.md"]),
    }
    result = score(items, script)
    assert result["accuracy"] == {"en": 1.0, "fr": 0.5}
    assert result["accuracy_all"] == pytest.approx(2 / 3)
    assert result["violations"] == {"en": 0, "fr": 1}
    assert result["violations_all"] == 1
    assert result["citation_precision_by_language"] == {"en": 1.0, "fr": pytest.approx(2 / 3)}
    assert result["citation_precision"] == 0.75
    assert result["questions"] == 3
    assert result["failures"] == [
        {
            "id": "fr-039",
            "language": "fr",
            "missing": [],
            "forbidden": ["n'est pas gratuite"],
            "source": "avoiding-scams",
            "cited": ["avoiding-scams", "fafsa-basics"],
        }
    ]


def test_a_failure_lists_missing_facts_and_what_was_cited_instead() -> None:
    script = {
        PELL["question"]: ("It is $6,895, see the loans page.", ["en/federal-student-loans.md"])
    }
    result = score([PELL], script)
    assert result["accuracy"] == {"en": 0.0}
    assert result["citation_precision_by_language"] == {"en": 0.0}
    assert result["failures"] == [
        {
            "id": "en-031",
            "language": "en",
            "missing": ["$7,395"],
            "forbidden": ["$6,895"],
            "source": "pell-grant",
            "cited": ["federal-student-loans"],
        }
    ]


def test_a_language_without_citations_has_zero_precision() -> None:
    result = score([PELL], {PELL["question"]: ("The maximum is $7,395.", [])})
    assert result["citation_precision_by_language"] == {"en": 0.0}
    assert result["citation_precision"] == 0.0
    assert result["failures"][0]["cited"] == []


def test_report_table_shows_precision_and_violations_per_language() -> None:
    questions = score(
        [PELL, FREE],
        {
            PELL["question"]: ("The maximum is $7,395.", ["en/pell-grant.md"]),
            FREE["question"]: ("Elle n'est pas gratuite.", ["fr/avoiding-scams.md"]),
        },
    )
    report = {
        "assistant": "student-aid",
        "engine": "scripted",
        "seconds": 1.0,
        "questions": questions,
        "refusals": {"refusal_accuracy": 1.0, "prompts": 0},
        "tool_cases": {"estimator": {"tool": "x/y", "cases": 0}},
    }
    table = format_report(report).splitlines()
    assert "citation precision (en)            1.000" in table
    assert "citation precision (fr)            1.000" in table
    assert "must_not_contain violations (en)   0" in table
    assert "must_not_contain violations (fr)   1" in table
    assert "must_not_contain violations (all)  1  (answers)" in table
    assert "answer accuracy (fr)               0.000" in table


def test_an_unanswerable_question_is_right_only_with_not_found() -> None:
    item = {"id": "x", "language": "en", "question": "Passport?", "source": "none",
            "expect": "not_found"}  # fmt: skip
    assert judge_answer(item, "I could not find this.", [], found=False).correct
    quoted = judge_answer(item, "“The FAFSA is free.” [1]", ["fafsa-basics"], found=True)
    assert not quoted.correct and quoted.missing


# ----------------------------------------------------------------------------- tool cases


def test_tool_cases_compare_the_named_fields_of_any_tool(tmp_path: Path) -> None:
    from civicllm.evals.runner import gate_failures, read_tool_sets, score_tool_cases
    from civicllm.tools.base import Tool

    def double(request: Mapping[str, Any]) -> dict[str, Any]:
        return {"twice": 2 * request["n"], "label": "even"}

    evals = tmp_path / "evals"
    evals.mkdir()
    (tmp_path / "records.jsonl").write_text('{"name": "seven", "input": {"n": 7}}\n')
    (evals / "doubling.yaml").write_text(
        "tool: test/double\n"
        f"inputs: {{file: {tmp_path / 'records.jsonl'}, key: name, value: input}}\n"
        "cases:\n"
        "- {id: d1, input: {n: 2}, expect: {twice: 4, label: even}}\n"
        "- {id: d2, input_ref: seven, expect: {twice: 14}}\n"
        "- {id: d3, input: {n: 3}, expect: {twice: 7}}\n"
    )
    (evals / "questions.yaml").write_text("questions: []\n")
    sets = read_tool_sets(evals)
    assert list(sets) == ["doubling"]
    pack = Pack(id="p", name="P", description="", dir=tmp_path, scope={"gate": {}})
    tool = Tool(id="test/double", version="1", description="", input_schema={}, run=double)
    result = score_tool_cases(pack, sets["doubling"], sets["doubling"]["cases"],
                              tools={tool.id: tool})  # fmt: skip
    assert result == {"tool": "test/double", "accuracy": 2 / 3, "cases": 3, "failures": ["d3"]}
    strict = Pack(id="p", name="P", description="", dir=tmp_path,
                  scope={"gate": {"min_doubling_accuracy": 1.0}})  # fmt: skip
    assert gate_failures(strict, {}, {}, {"doubling": result}) == ["doubling accuracy 0.667 < 1.0"]
    assert gate_failures(pack, {}, {}, {"doubling": result}) == []
    with pytest.raises(ConfigError, match="test/double"):
        score_tool_cases(pack, sets["doubling"], sets["doubling"]["cases"], tools={})


def test_an_item_may_accept_several_sources_and_a_tool_answer_cites_its_tool() -> None:
    from civicllm.evals.runner import cited_sources

    item = {**FREE, "must_not_contain": [], "source": ["loan-programs", "tool:sb/programs"]}
    tool_answer = {
        "grounding": "tool",
        "tool": {"id": "sb/programs"},
        "citations": [{"url": "https://www.ecfr.gov/"}, {"url": "https://www.sba.gov/"}],
    }
    docs = cited_sources(tool_answer)
    assert docs == ["tool:sb/programs", "tool:sb/programs"]
    assert judge_answer(item, "Toujours gratuite.", docs).correct
    passages = {"citations": [{"document": "en/loan-programs.md"}, {"document": "en/x.md"}]}
    assert cited_sources(passages) == ["loan-programs", "x"]
    assert judge_answer(item, "Toujours gratuite.", cited_sources(passages)).correct
    assert not judge_answer(item, "Toujours gratuite.", ["x", "tool:other/tool"]).correct
