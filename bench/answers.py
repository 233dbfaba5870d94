"""Benchmark an assistant's answers: accuracy per language and time to read.

Two question sets per pack (``--pack``, default ``student-aid``):
  - ``pack``: the pack's own eval questions (``evals/questions.yaml``, used while tuning);
  - ``heldout``: the pack's held-out file in ``bench/answer_cases/`` (``HELDOUT`` below),
    written apart from the answer code and the articles and never used to tune them
    (student-aid's includes questions the sources do not answer, which must get the honest
    "not found").

Accuracy is scored as ``civicllm eval`` scores it (every ``must_contain`` phrase, no
``must_not_contain`` phrase, the right article cited), for the extract mode (quotes, no model)
on every question, and for the generate mode (the embedded model, verified sentence by
sentence) on ``--per-language`` questions per language of each set. Timing, on the same
sample: the raw model's time to first token and to its whole reply (the baseline), against
the assistant's time to its first verified sentence and to the whole answer, p50/p95.

    .venv/bin/python bench/answers.py [--pack small-business] [--per-language 4] [--skip-model]

Prints a table and writes bench/results/answers.json (``answers-PACK.json`` for other packs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from civicllm.config import Settings  # noqa: E402
from civicllm.engines.base import GenerationRequest  # noqa: E402
from civicllm.evals.runner import percentiles, score_questions  # noqa: E402
from civicllm.runtime import open_runtime  # noqa: E402

PACKS = ROOT.parent / "src/civicllm/packs"
HELDOUT = {
    "student-aid": ROOT / "answer_cases" / "heldout.yaml",
    "small-business": ROOT / "answer_cases" / "small_business_heldout.yaml",
}
DEFAULT_PACK = "student-aid"
LANGUAGES = ("en", "es", "fr", "de")


def load(path: Path) -> list[dict[str, Any]]:
    """Return the questions of one set."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["questions"])


def sample(items: list[dict[str, Any]], per_language: int) -> list[dict[str, Any]]:
    """Return the first ``per_language`` answerable questions of each language."""
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for item in items:
        lang = item["language"]
        if item.get("source") != "none" and taken[lang] < per_language:
            chosen.append(item)
            taken[lang] += 1
    return chosen


def results_path(pack: str) -> Path:
    """Return where one pack's results are written."""
    name = "answers.json" if pack == DEFAULT_PACK else f"answers-{pack}.json"
    return ROOT / "results" / name


async def score(runtime: Any, pack: str, items: list[dict[str, Any]], mode: str) -> dict[str, Any]:
    """Answer every item in ``mode`` as ``civicllm eval`` scores them."""
    runtime.answerer.modes = {pack: mode}
    scored = await score_questions(runtime, runtime.packs[pack], items)
    return {
        "questions": scored["questions"],
        "accuracy": scored["accuracy"],
        "accuracy_all": scored["accuracy_all"],
        "citation_precision": scored["citation_precision"],
        "not_found_right": scored["not_found"]["right"],
        "not_found_asked": scored["not_found"]["asked"],
        "first_sentence_s": scored["first_sentence_s"],
        "whole_s": scored["whole_answer_s"],
    }


async def raw_timing(runtime: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Time the raw model on the bare questions: first token and whole reply."""
    first: list[float] = []
    whole: list[float] = []
    for item in items:
        request = GenerationRequest(
            messages=[{"role": "user", "content": item["question"]}],
            max_tokens=runtime.settings.default_max_tokens,
            temperature=0.0,
            seed=1,
        )
        started = time.perf_counter()
        seen: float | None = None
        async for chunk in runtime.engine.stream(request):
            if seen is None and chunk.text.strip():
                seen = time.perf_counter() - started
        total = time.perf_counter() - started
        first.append(total if seen is None else seen)
        whole.append(total)
    return {
        "questions": len(items),
        "first_token_s": percentiles(first),
        "whole_s": percentiles(whole),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement and return the results."""
    home = Path(args.home)
    engine = "echo" if args.skip_model else "llama-cpp"
    runtime = open_runtime(Settings(home=home, engine=engine, answer_mode="extract"))
    sets = {"pack": load(PACKS / args.pack / "evals" / "questions.yaml")}
    if args.pack in HELDOUT and HELDOUT[args.pack].exists():
        sets["heldout"] = load(HELDOUT[args.pack])
    results: dict[str, Any] = {"pack": args.pack, "sets": {}}
    try:
        await runtime.answerer.warm(list(runtime.packs.values()))
        for name, items in sets.items():
            entry: dict[str, Any] = {"extract": await score(runtime, args.pack, items, "extract")}
            if not args.skip_model:
                chosen = sample(items, args.per_language)
                entry["generate"] = await score(runtime, args.pack, chosen, "generate")
                entry["raw_model"] = await raw_timing(runtime, chosen)
            results["sets"][name] = entry
    finally:
        await runtime.aclose()
    return results


def table(results: dict[str, Any]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| set | mode | questions | accuracy en / es / fr / de | all "
        "| not found, rightly | first sentence p50 / p95 (s) | whole p50 / p95 (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in results["sets"].items():
        for mode in ("extract", "generate"):
            if mode not in entry:
                continue
            row = entry[mode]
            acc = " / ".join(f"{row['accuracy'].get(lang, 0):.3f}" for lang in LANGUAGES)
            f, w = row["first_sentence_s"], row["whole_s"]
            lines.append(
                f"| {name} | {mode} | {row['questions']} | {acc} | {row['accuracy_all']:.3f} "
                f"| {row['not_found_right']}/{row['not_found_asked']} "
                f"| {f['p50']:.2f} / {f['p95']:.2f} | {w['p50']:.2f} / {w['p95']:.2f} |"
            )
        if "raw_model" in entry:
            raw = entry["raw_model"]
            f, w = raw["first_token_s"], raw["whole_s"]
            lines.append(
                f"| {name} | raw model (baseline: first token) | {raw['questions']} | — | — | — "
                f"| {f['p50']:.2f} / {f['p95']:.2f} | {w['p50']:.2f} / {w['p95']:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    """Parse flags, run, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default=DEFAULT_PACK, help="the assistant to measure")
    parser.add_argument("--per-language", type=int, default=4)
    parser.add_argument("--skip-model", action="store_true", help="extract mode only")
    parser.add_argument("--home", default=str(ROOT / "results" / "answers-home"))
    args = parser.parse_args()
    started = time.perf_counter()
    results = asyncio.run(run(args))
    results["seconds"] = time.perf_counter() - started
    results["machine"] = {"cpu": platform.processor() or platform.machine(), "cores": _cores()}
    print(table(results))
    out = results_path(args.pack)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT.parent)}")


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
