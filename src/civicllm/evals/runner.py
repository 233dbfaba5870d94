"""Run a pack's evaluation sets through the same answer loop the API uses.

- questions.yaml: an answer is correct when it contains every ``must_contain`` fact, none of
  the ``must_not_contain`` phrases (statements the article shows to be false), case and
  spacing ignored, and cites the ``source`` article. Citation precision is the share of
  citations that point at the expected article. Both are reported per language, with the
  number of answers that said something forbidden.
- out_of_scope.yaml: the policy's action (refuse or redirect) must be the expected one.
- any file with a ``tool:`` (a tool case set, e.g. ``tool: some-pack/estimate``): each
  case's input (``input``, or ``input_ref`` naming a record of the set's ``inputs`` file) is
  run by that tool from the registry, through the pack's ``flow`` when the set names one
  (played in the case's language), and the result must have every ``expect`` field.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from civicllm.config import Settings
from civicllm.engines.base import Engine, GenerationRequest
from civicllm.errors import ConfigError, NotFoundError
from civicllm.evals.gate import model_identity, record_gate
from civicllm.packs.loader import Pack
from civicllm.tools.base import Tool

__all__ = ["DEFAULT_VECTORS", "run_suite", "score_tool_cases"]

# The records file of tool case sets when none is given: the one each set names.
DEFAULT_VECTORS: Path | None = None
SPACE = re.compile(r"\s+")
# A typographic apostrophe reads as a straight one: "n’est" in an answer is "n'est" in a fact.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def normalize(text: str) -> str:
    """Casefold and collapse whitespace, so a fact matches however it is wrapped."""
    return SPACE.sub(" ", text.casefold().translate(APOSTROPHES)).strip()


def article_of(document: str) -> str:
    """Return the article slug of a document path such as ``es/water-bills.md``."""
    return Path(document).stem


def read_items(path: Path, key: str, limit: int | None) -> list[dict[str, Any]]:
    """Read a list of evaluation items, at most ``limit`` per language."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return limit_items(list(data.get(key, []) if isinstance(data, dict) else data), limit)


def limit_items(items: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """Return the first ``limit`` items of each language, in order (all when None)."""
    if limit is None:
        return items
    kept: list[dict[str, Any]] = []
    seen: dict[str, int] = defaultdict(int)
    for item in items:
        lang = str(item.get("language", "en"))
        if seen[lang] < limit:
            kept.append(item)
            seen[lang] += 1
    return kept


async def ask(runtime: Any, pack: Pack, question: str, language: str) -> dict[str, Any]:
    """Return the final text and extension of one grounded answer (greedy, fixed seed)."""
    options = GenerationRequest(
        messages=[], max_tokens=runtime.settings.default_max_tokens, temperature=0.0, seed=1
    )
    text: list[str] = []
    extension: dict[str, Any] = {}
    messages = [{"role": "user", "content": question}]
    started = time.perf_counter()
    first: float | None = None
    async for event in runtime.answerer.stream(pack, messages, options, language=language):
        if first is None and event.text.strip():
            first = time.perf_counter() - started
        text.append(event.text)
        extension = event.extension or extension
    whole = time.perf_counter() - started
    return {
        "text": "".join(text),
        "civicllm": extension,
        "first_sentence_s": whole if first is None else first,
        "whole_s": whole,
    }


def percentiles(values: list[float]) -> dict[str, float]:
    """Return the p50 and p95 of ``values`` (nearest rank), 0 for none."""
    if not values:
        return {"p50": 0.0, "p95": 0.0}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]

    return {"p50": rank(0.50), "p95": rank(0.95)}


@dataclass(frozen=True)
class Verdict:
    """How one answer fared against one question."""

    missing: list[str]
    forbidden: list[str]
    cited_source: bool

    @property
    def correct(self) -> bool:
        """Every fact present, nothing forbidden said, and the expected article cited."""
        return not self.missing and not self.forbidden and self.cited_source


NOT_FOUND = "(the honest 'not found')"


def judge_answer(
    item: Mapping[str, Any], text: str, docs: list[str], *, found: bool = True
) -> Verdict:
    """Judge an answer's text and cited article slugs against one question.

    A question with ``expect: not_found`` (the sources do not answer it) is answered right
    only by the honest "not found"; anything else misses it.
    """
    if item.get("expect") == "not_found":
        return Verdict(missing=[NOT_FOUND] if found else [], forbidden=[], cited_source=True)
    answer = normalize(text)
    return Verdict(
        missing=[str(f) for f in item.get("must_contain", []) if normalize(str(f)) not in answer],
        forbidden=[str(p) for p in item.get("must_not_contain", []) if normalize(str(p)) in answer],
        cited_source=bool(expected_sources(item) & set(docs)),
    )


def expected_sources(item: Mapping[str, Any]) -> set[str]:
    """Return the sources an item accepts: one slug, or a list of them.

    A slug is an article's (``loan-programs``) or a tool's (``tool:small-business/programs``),
    so a question a tool answers is judged on the tool having answered it.
    """
    source = item["source"]
    return {str(s) for s in source} if isinstance(source, list) else {str(source)}


def cited_sources(extension: Mapping[str, Any]) -> list[str]:
    """Return what an answer cited: an article slug per passage citation, ``tool:ID`` per
    citation of a tool's answer (its citations name the publisher's pages, not an article)."""
    citations = extension.get("citations", [])
    tool = extension.get("tool") if extension.get("grounding") == "tool" else None
    if isinstance(tool, Mapping) and tool.get("id"):
        return [f"tool:{tool['id']}" for _ in citations] or [f"tool:{tool['id']}"]
    return [article_of(c.get("document", "")) for c in citations]


@dataclass
class Tally:
    """Running counts of judged answers: one per language, and one for all of them."""

    questions: int = 0
    correct: int = 0
    citations: int = 0
    precise: int = 0
    violations: int = 0

    def add(self, verdict: Verdict, docs: list[str], sources: set[str]) -> None:
        """Count one judged answer and the article slugs it cited."""
        self.questions += 1
        self.correct += int(verdict.correct)
        self.citations += len(docs)
        self.precise += sum(1 for d in docs if d in sources)
        self.violations += int(bool(verdict.forbidden))

    @property
    def accuracy(self) -> float:
        """The share of answers that were correct."""
        return self.correct / self.questions if self.questions else 0.0

    @property
    def citation_precision(self) -> float:
        """The share of citations that pointed at the expected article."""
        return self.precise / self.citations if self.citations else 0.0


def describe_failure(item: Mapping[str, Any], verdict: Verdict, docs: list[str]) -> dict[str, Any]:
    """Return what a person needs to see why an answer was wrong."""
    return {
        "id": item["id"],
        "language": item["language"],
        "missing": verdict.missing,
        "forbidden": verdict.forbidden,
        "source": item["source"],
        "cited": docs,
    }


async def score_questions(runtime: Any, pack: Pack, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Score answer accuracy, citation precision and forbidden statements per language."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    failures: list[dict[str, Any]] = []
    first: list[float] = []
    whole: list[float] = []
    declined = [0, 0]  # questions the sources do not answer: "not found" given / asked
    for item in items:
        answer = await ask(runtime, pack, item["question"], item["language"])
        first.append(answer["first_sentence_s"])
        whole.append(answer["whole_s"])
        docs = cited_sources(answer["civicllm"])
        found = answer["civicllm"].get("found", True) is not False
        verdict = judge_answer(item, answer["text"], docs, found=found)
        if item.get("expect") == "not_found":
            declined[0] += int(verdict.correct)
            declined[1] += 1
        for tally in (tallies[item["language"]], total):
            tally.add(verdict, docs, expected_sources(item))
        if not verdict.correct:
            failures.append(describe_failure(item, verdict, docs))
    by_lang = dict(sorted(tallies.items()))
    return {
        "accuracy": {lang: t.accuracy for lang, t in by_lang.items()},
        "accuracy_all": total.accuracy,
        "citation_precision_by_language": {
            lang: t.citation_precision for lang, t in by_lang.items()
        },
        "citation_precision": total.citation_precision,
        # Answers that said at least one must_not_contain phrase.
        "violations": {lang: t.violations for lang, t in by_lang.items()},
        "violations_all": total.violations,
        "questions": total.questions,
        "not_found": {"right": declined[0], "asked": declined[1]},
        # Seconds to the first verified sentence a reader sees, and to the whole answer.
        "first_sentence_s": percentiles(first),
        "whole_answer_s": percentiles(whole),
        # Every failure, in question order (a cut-off list would hide the later languages).
        "failures": failures,
    }


async def score_refusals(runtime: Any, pack: Pack, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Score whether each out-of-scope prompt got the expected refusal or redirect."""
    right = 0
    wrong: list[str] = []
    for item in items:
        answer = await ask(runtime, pack, item["prompt"], item["language"])
        if answer["civicllm"].get("policy_action") == item["expected"]:
            right += 1
        else:
            wrong.append(item["id"])
    return {
        "refusal_accuracy": right / len(items) if items else 0.0,
        "prompts": len(items),
        "failures": wrong,
    }


def read_tool_sets(evals: Path) -> dict[str, dict[str, Any]]:
    """Return the pack's tool case sets (eval files with a ``tool:``), by file stem."""
    sets: dict[str, dict[str, Any]] = {}
    for path in sorted(evals.glob("*.yaml")) if evals.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("tool"), str):
            sets[path.stem] = data
    return sets


def read_records(spec: Mapping[str, Any], inputs: Path | None) -> dict[str, Any] | str:
    """Return the tool inputs a set's cases refer to, by name, or why they are missing."""
    source = spec.get("inputs") or {}
    path = inputs or (Path(source["file"]) if source.get("file") else None)
    if path is None:
        return {}
    if not path.exists():
        return f"the inputs file {path} was not found"
    key, value = str(source.get("key", "name")), str(source.get("value", "input"))
    records: dict[str, Any] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[str(record[key])] = record[value]
    return records


def score_tool_cases(
    pack: Pack,
    spec: Mapping[str, Any],
    items: list[dict[str, Any]],
    inputs: Path | None = None,
    *,
    tools: Mapping[str, Tool] | None = None,
) -> dict[str, Any]:
    """Run each case of a tool case set and compare the result's ``expect`` fields.

    The tool comes from ``tools`` (default: the registry, ``load_tools()``).
    """
    from civicllm.answer.flow import load_flow, play_request
    from civicllm.tools.base import load_tools

    tool_id = str(spec["tool"])
    if not items:
        return {"tool": tool_id, "cases": 0}
    records = read_records(spec, inputs)
    if isinstance(records, str):
        return {"tool": tool_id, "cases": 0, "skipped": records}
    tool = (load_tools() if tools is None else tools).get(tool_id)
    if tool is None:
        raise ConfigError(f"The eval set needs the tool '{tool_id}', which is not installed.")
    flow = load_flow(pack.dir / "flows" / f"{spec['flow']}.yaml") if spec.get("flow") else None
    right = 0
    wrong: list[str] = []
    for item in items:
        request = item["input"] if "input" in item else records[str(item["input_ref"])]
        if flow is None:
            output: Mapping[str, Any] = tool.run(request)
        else:
            turn = play_request(flow, request, str(item.get("language", "en")), run_tool=tool)
            output = (turn.result or {}).get("output", {})
        expect: Mapping[str, Any] = item.get("expect", {})
        ok = bool(expect) and all(output.get(k) == v for k, v in expect.items())
        right += int(ok)
        if not ok:
            wrong.append(item["id"])
    return {"tool": tool_id, "accuracy": right / len(items), "cases": len(items), "failures": wrong}


def format_report(report: Mapping[str, Any]) -> str:
    """Return the report as a readable table."""
    q = report["questions"]
    lines = [
        f"assistant {report['assistant']}, engine {report['engine']}, answer mode "
        f"{report.get('answer_mode', 'generate')} ({report['seconds']:.0f} s)",
        f"{'metric':<34} value",
    ]
    for lang, value in q.get("accuracy", {}).items():
        lines.append(f"{'answer accuracy (' + lang + ')':<34} {value:.3f}")
    lines.append(
        f"{'answer accuracy (all)':<34} {q.get('accuracy_all', 0):.3f}  "
        f"({q.get('questions', 0)} questions)"
    )
    for lang, value in q.get("citation_precision_by_language", {}).items():
        lines.append(f"{'citation precision (' + lang + ')':<34} {value:.3f}")
    lines.append(f"{'citation precision':<34} {q.get('citation_precision', 0):.3f}")
    for lang, count in q.get("violations", {}).items():
        lines.append(f"{'must_not_contain violations (' + lang + ')':<34} {count}")
    lines.append(
        f"{'must_not_contain violations (all)':<34} {q.get('violations_all', 0)}  (answers)"
    )
    for label, key in (
        ("first verified sentence", "first_sentence_s"),
        ("whole answer", "whole_answer_s"),
    ):
        if key in q:
            lines.append(
                f"{label + ' p50 / p95 (s)':<34} {q[key]['p50']:.2f} / {q[key]['p95']:.2f}"
            )
    r = report["refusals"]
    lines.append(
        f"{'refusal accuracy':<34} {r.get('refusal_accuracy', 0):.3f}  "
        f"({r.get('prompts', 0)} prompts)"
    )
    for name, e in report.get("tool_cases", {}).items():
        if "accuracy" in e:
            lines.append(
                f"{name + ' (' + e['tool'] + ')':<34} {e['accuracy']:.3f}  ({e['cases']} cases)"
            )
        elif e.get("skipped"):
            lines.append(f"{name}: skipped, {e['skipped']}")
    verdict = "passed" if report.get("passed") else "failed"
    lines.append(f"gate: {verdict}")
    lines.extend(f"  missed: {failure}" for failure in report.get("gate_failures", []))
    if "gate" in report:
        gate = report["gate"]
        lines.append(
            f"  recorded for pack {gate['pack_version']} and model {gate['model']}: "
            + (
                "this model may now generate answers (answer_mode auto)"
                if gate["passed"]
                else "answers stay quotes of the sources (answer_mode auto)"
            )
        )
    else:
        lines.append("  not recorded: only a full run in generate mode decides the gate")
    return "\n".join(lines)


def gate_figures(
    questions: Mapping[str, Any], refusals: Mapping[str, Any], tool_cases: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the figures the gate compares with its thresholds."""
    return {
        "accuracy": dict(questions.get("accuracy", {})),
        "citation_precision": questions.get("citation_precision", 0.0),
        "violations": questions.get("violations_all", 0),
        "refusal_accuracy": refusals.get("refusal_accuracy", 0.0),
        # A set that did not run (no cases, inputs missing) holds nothing back.
        "tool_accuracy": {name: t.get("accuracy", 1.0) for name, t in tool_cases.items()},
    }


def gate_failures(
    pack: Pack,
    questions: Mapping[str, Any],
    refusals: Mapping[str, Any],
    tool_cases: Mapping[str, Any],
) -> list[str]:
    """Return each ``scope.gate`` threshold of the pack the results miss ([] = passed).

    ``min_accuracy`` holds for every language on its own; ``max_violations`` counts answers
    that said a known false variant (``must_not_contain``). A tool case set ``NAME`` is held
    to ``min_NAME_accuracy``, else ``min_tool_accuracy``.
    """
    gate = pack.scope.get("gate", {})
    figures = gate_figures(questions, refusals, tool_cases)
    failed: list[str] = []
    for lang, accuracy in figures["accuracy"].items():
        if accuracy < gate.get("min_accuracy", 0.0):
            failed.append(f"answer accuracy ({lang}) {accuracy:.3f} < {gate['min_accuracy']}")
    checks = [
        ("citation precision", "citation_precision", "min_citation_precision"),
        ("refusal accuracy", "refusal_accuracy", "min_refusal_accuracy"),
    ]
    for label, figure, threshold in checks:
        if figures[figure] < gate.get(threshold, 0.0):
            failed.append(f"{label} {figures[figure]:.3f} < {gate[threshold]}")
    for name, accuracy in figures["tool_accuracy"].items():
        least = gate.get(f"min_{name}_accuracy", gate.get("min_tool_accuracy", 0.0))
        if accuracy < least:
            failed.append(f"{name} accuracy {accuracy:.3f} < {least}")
    if "max_violations" in gate and figures["violations"] > gate["max_violations"]:
        failed.append(f"false statements {figures['violations']} > {gate['max_violations']}")
    return failed


def run_suite(
    settings: Settings,
    assistant: str,
    *,
    engine: Engine | None = None,
    limit: int | None = None,
    vectors: Path | None = DEFAULT_VECTORS,
) -> dict[str, Any]:
    """Run every evaluation set of an assistant and return the report (with ``table``).

    ``vectors`` replaces the ``inputs`` file of the tool case sets (e.g. another copy of
    the records they name).
    """
    from civicllm.runtime import open_runtime

    if not settings.grounding:
        raise ConfigError("Evaluation needs grounding switched on.")
    runtime = open_runtime(settings, engine)
    pack = runtime.packs.get(assistant)
    evals = pack.dir / "evals" if pack else Path()
    started = time.perf_counter()

    async def answer_sets() -> tuple[dict[str, Any], dict[str, Any]]:
        try:
            if pack is None:
                known = ", ".join(runtime.packs)
                raise NotFoundError(f"No assistant '{assistant}'. Try: {known}.")
            questions = await score_questions(
                runtime, pack, read_items(evals / "questions.yaml", "questions", limit)
            )
            refusals = await score_refusals(
                runtime, pack, read_items(evals / "out_of_scope.yaml", "prompts", limit)
            )
            return questions, refusals
        finally:
            await runtime.aclose()

    questions, refusals = asyncio.run(answer_sets())
    assert pack is not None
    tool_cases = {
        name: score_tool_cases(pack, spec, limit_items(list(spec.get("cases", [])), limit), vectors)
        for name, spec in read_tool_sets(evals).items()
    }
    report: dict[str, Any] = {
        "assistant": assistant,
        "engine": settings.engine if engine is None else engine.name,
        "seconds": time.perf_counter() - started,
        "questions": questions,
        "refusals": refusals,
        "tool_cases": tool_cases,
    }
    report["answer_mode"] = settings.answer_mode
    failed = gate_failures(pack, questions, refusals, tool_cases)
    report["passed"] = not failed
    report["gate_failures"] = failed
    if settings.answer_mode == "generate" and limit is None:
        # Only a full run of the model's own answers may open generation (see evals.gate).
        record = record_gate(
            settings.home,
            pack,
            model_identity(runtime.engine),
            passed=not failed,
            figures=gate_figures(questions, refusals, tool_cases),
            failed=failed,
        )
        report["gate"] = asdict(record)
    report["table"] = format_report(report)
    return report
