"""Benchmark the water-energy assistant's numbers against plain retrieval over the CSV rows.

Every question of ``src/civicllm/packs/water-energy/evals/questions.yaml`` (written by
``bench/make_water_evals.py``, expected numbers computed from the publisher files) is asked
twice in one run:

  - ``civicllm``: the ``water-energy`` assistant in-process, through the same answer loop the
    API uses (``civicllm.evals.runner.ask``), on the engine given (``--engine``);
  - ``baseline``: plain retrieval over the CSV rows ingested as text. Each row of each
    publisher file becomes a Markdown document (one per indicator and place) with one sentence
    per year ("Kenya, Access to electricity (% of population), 2023: 76.2."), the values
    exactly as the file writes them; the documents are indexed with
    ``civicllm.retrieval`` in a private index (``--baseline-search``: BM25 full-text ranking
    by default, since embedding every row takes over half an hour on two shared cores;
    ``hybrid`` adds the e5 vectors), and the answer is the extractive answer (verbatim
    quotes of the best passages, or the honest "not found") from the top 5 passages.

Both are scored by ``civicllm.evals.numeric`` (exact numbers; see its docstring). The table
gives accuracy per category and language for each system, tuned and held-out questions apart.

    .venv/bin/python bench/water_answers.py [--engine echo|llama-cpp] [--skip-baseline]
        [--skip-assistant] [--limit N]

Writes bench/results/water_answers.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from civicllm.answer.extractive import answer_extractively  # noqa: E402
from civicllm.config import Settings  # noqa: E402
from civicllm.evals.numeric import score_answer  # noqa: E402
from civicllm.evals.runner import ask, percentiles  # noqa: E402
from civicllm.retrieval import Embedder, ingest_paths, open_index  # noqa: E402

QUESTIONS = ROOT.parent / "src/civicllm/packs/water-energy/evals/questions.yaml"
SHIPPED = ROOT.parent / "src/civicllm/data/files"
SHARED = ROOT.parent.parent / "shared/data/water_energy"
RESULTS = ROOT / "results" / "water_answers.json"
PACK = "water-energy"
BASELINE_PACK = "csv-rows"
LANGUAGES = ("en", "es", "fr", "de")
API_FILES = (
    "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv",
    "API_EG.ELC.LOSS.ZS_DS2_en_csv_v2_5973.csv",
    "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv",
)
DATABANK = "WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv"
DATABANK_SERIES = ("EG.ELC.ACCS.UR.ZS", "EG.ELC.ACCS.RU.ZS")
OWID_FILES = (
    "population-using-at-least-basic-drinking-water.csv",
    "proportion-using-safely-managed-drinking-water.csv",
)


def load_questions(limit: int | None) -> list[dict[str, Any]]:
    """Return the eval questions, at most ``limit`` per language and category."""
    items = list(yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"])
    if limit is None:
        return items
    taken: dict[tuple[str, str], int] = defaultdict(int)
    kept = []
    for item in items:
        key = (item["language"], item["category"])
        if taken[key] < limit:
            kept.append(item)
            taken[key] += 1
    return kept


# ----------------------------------------------------------------------------- baseline


def csv_rows(folder: Path) -> Iterator[tuple[str, str, str, list[tuple[str, str]]]]:
    """Yield (place, code, indicator name, [(year, value as written)]) for every row."""
    for name in API_FILES:
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        start = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
        years = rows[start][4:]
        for row in rows[start + 1 :]:
            if len(row) > 4:
                cells = [(y, v) for y, v in zip(years, row[4:], strict=False) if y.isdigit() and v]
                yield row[0], row[1], row[2], cells
    with (folder / DATABANK).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        years = [h.split(" ")[0] for h in next(reader)[4:]]
        for row in reader:
            if len(row) > 4 and row[3] in DATABANK_SERIES:
                cells = [(y, v) for y, v in zip(years, row[4:], strict=False) if v != ".."]
                yield row[0], row[1], row[2], cells
    for name in OWID_FILES:
        grouped: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            indicator = next(reader)[3]
            for entity, code, year, value in reader:
                grouped[entity, code].append((year, value))
        for (entity, code), cells in grouped.items():
            yield entity, code, indicator, cells


def write_documents(folder: Path, out: Path) -> int:
    """Render every CSV row as a Markdown document of one sentence per year."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for place, code, indicator, cells in csv_rows(folder):
        if not cells:
            continue
        slug = "".join(c if c.isalnum() else "-" for c in f"{code or place}-{indicator}")[:120]
        lines = [
            "---",
            f"title: {json.dumps(f'{place}, {indicator}')}",
            "language: en",
            "---",
            "",
            f"# {place}, {indicator}",
            "",
        ]
        lines += [f"{place}, {indicator}, {year}: {value}." for year, value in cells]
        (out / f"{slug.lower()}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        count += 1
    return count


class HashVectors:
    """A stand-in embedding model for the full-text-only baseline: a fixed vector per text.

    Embedding all 1,566 CSV rows with e5 takes over half an hour on two busy cores; with
    ``--baseline-search bm25`` the rows are searched by the index's own FTS5 BM25 ranking
    alone, and these vectors are stored but never searched.
    """

    def encode(self, texts: list[str], is_query: bool) -> Any:
        import numpy as np

        out = np.zeros((len(texts), Embedder.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, hash_slot(text)] = 1.0
        return out


def hash_slot(text: str) -> int:
    """Return a stable slot in 0..383 for ``text``."""
    import hashlib

    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % Embedder.dim


def baseline_answers(
    items: list[dict[str, Any]], home: Path, folder: Path, search: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Answer every item by retrieval over the CSV rows; return answers and index facts."""
    docs = home / "csv-rows"
    started = time.perf_counter()
    documents = write_documents(folder, docs)
    if search == "bm25":
        index = open_index(home / "csv-rows-bm25.sqlite", Embedder(HashVectors()))
    else:
        index = open_index(home / "csv-rows.sqlite")
    try:
        report = ingest_paths([docs], BASELINE_PACK, index, progress=True)
        built = time.perf_counter() - started
        answers = []
        for item in items:
            began = time.perf_counter()
            passages = index.search(
                item["question"],
                k=5,
                pack=BASELINE_PACK,
                mode="bm25" if search == "bm25" else "hybrid",
            )
            answer = answer_extractively(item["question"], passages, item["language"])
            extension = {
                "found": answer.found,
                "citations": [{"document": p.document} for p in answer.passages],
            }
            answers.append(
                {"text": answer.text, "civicllm": extension, "whole_s": time.perf_counter() - began}
            )
    finally:
        index.close()
    facts = {
        "documents": documents,
        "passages": report.chunks,
        "index_build_s": built,
        "search": search,
    }
    return answers, facts


# ----------------------------------------------------------------------------- assistant


async def assistant_answers(
    items: list[dict[str, Any]], settings: Settings
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Answer every item with the water-energy assistant, in-process."""
    from civicllm.runtime import open_runtime

    started = time.perf_counter()
    runtime = open_runtime(settings)
    answers = []
    try:
        pack = runtime.packs[PACK]
        await runtime.answerer.warm([pack])
        ready = time.perf_counter() - started
        for item in items:
            answers.append(await ask(runtime, pack, item["question"], item["language"]))
    finally:
        await runtime.aclose()
    return answers, {"startup_s": ready, "engine": settings.engine}


# ----------------------------------------------------------------------------- scoring


def score(items: list[dict[str, Any]], answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Score answers; return per-question verdicts and accuracy by split, category, language."""
    rows = []
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for item, answer in zip(items, answers, strict=True):
        verdict = score_answer(item, answer["text"], answer["civicllm"])
        split = "heldout" if item["heldout"] else "tuned"
        for key in (
            (split, item["category"], item["language"]),
            (split, item["category"], "all"),
            (split, "all", item["language"]),
            (split, "all", "all"),
            ("all", "all", "all"),
        ):
            cells[key][0] += int(verdict.correct)
            cells[key][1] += 1
        rows.append(
            {
                "id": item["id"],
                "correct": verdict.correct,
                "missing": list(verdict.missing),
                "contradicting": list(verdict.contradicting),
                "problems": list(verdict.problems),
                "traced": verdict.traced,
                "seconds": answer.get("whole_s", 0.0),
                "text": answer["text"][:600],
            }
        )
    accuracy = {
        "/".join(key): {"correct": c, "asked": n, "accuracy": c / n}
        for key, (c, n) in cells.items()
    }
    traced = [r["traced"] for r in rows if r["traced"] is not None]
    # A looser reading, for context only: every expected number present, extra numbers allowed.
    present: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, row in zip(items, rows, strict=True):
        if item["expect"].get("numbers"):
            present[item["category"]][0] += int(not row["missing"])
            present[item["category"]][1] += 1
    return {
        "expected_present": {k: f"{c}/{n}" for k, (c, n) in present.items()},
        "accuracy": accuracy,
        "overall": cells["all", "all", "all"][0] / max(1, cells["all", "all", "all"][1]),
        "traced": {"true": sum(traced), "with_data": len(traced)},
        "seconds": percentiles([r["seconds"] for r in rows]),
        "questions": rows,
    }


def table(results: dict[str, Any], categories: list[str]) -> str:
    """Return Markdown tables: civicllm / baseline accuracy per category and language."""
    systems = [s for s in ("civicllm", "baseline") if s in results["systems"]]
    out = []
    for split in ("tuned", "heldout"):
        out.append(f"\n{split} questions — accuracy {' / '.join(systems)}")
        out.append("| category | " + " | ".join((*LANGUAGES, "all")) + " |")
        out.append("|---" * (len(LANGUAGES) + 2) + "|")
        for category in [*categories, "all"]:
            cols = []
            for language in (*LANGUAGES, "all"):
                key = f"{split}/{category}/{language}"
                parts = []
                for system in systems:
                    cell = results["systems"][system]["accuracy"].get(key)
                    parts.append("—" if cell is None else f"{cell['correct']}/{cell['asked']}")
                cols.append(" · ".join(parts))
            out.append(f"| {category} | " + " | ".join(cols) + " |")
    for system in systems:
        entry = results["systems"][system]
        out.append(
            f"\n{system}: {entry['overall']:.3f} of all questions right; answer time p50/p95 "
            f"{entry['seconds']['p50']:.2f}/{entry['seconds']['p95']:.2f} s"
        )
    return "\n".join(out)


def main() -> None:
    """Parse flags, run both systems, print the tables and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="llama-cpp", help="engine of the assistant")
    parser.add_argument("--answer-mode", default="auto", choices=["auto", "generate", "extract"])
    parser.add_argument("--home", default=str(ROOT / "results" / "water-home"))
    parser.add_argument("--data", default=None, help="folder of the publisher files")
    parser.add_argument("--limit", type=int, default=None, help="per language and category")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--baseline-search",
        default="bm25",
        choices=["bm25", "hybrid"],
        help="bm25: the index's full-text ranking alone (fast); hybrid: with e5 vectors",
    )
    parser.add_argument("--skip-assistant", action="store_true")
    args = parser.parse_args()
    home = Path(args.home)
    home.mkdir(parents=True, exist_ok=True)
    folder = Path(args.data) if args.data else (SHIPPED if SHIPPED.is_dir() else SHARED)
    items = load_questions(args.limit)
    started = time.perf_counter()
    results: dict[str, Any] = {"questions": len(items), "systems": {}}
    if not args.skip_assistant:
        settings = Settings(home=home, engine=args.engine, answer_mode=args.answer_mode)
        answers, facts = asyncio.run(assistant_answers(items, settings))
        results["systems"]["civicllm"] = {**facts, **score(items, answers)}
    if not args.skip_baseline:
        answers, facts = baseline_answers(items, home / "baseline", folder, args.baseline_search)
        results["systems"]["baseline"] = {**facts, **score(items, answers)}
    results["seconds"] = time.perf_counter() - started
    results["machine"] = {"cpu": platform.processor() or platform.machine()}
    categories = list(dict.fromkeys(item["category"] for item in items))
    print(table(results, categories))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
