"""Benchmark small-business/naics-search against plain BM25 over the Census 2022 titles.

Every case of ``bench/naics_cases/dev.yaml`` (tuned on) and, when present,
``bench/naics_cases/heldout.yaml`` (written by someone who never saw the synonym lists) is a
plain description in EN/ES/FR/DE with the list of acceptable 6-digit codes. In one run:

  - ``civicllm``: the tool itself (``run_naics_search``: hybrid BM25 + e5 vectors over SBA
    and Census titles, exceptions and the synonym lists, fused by rank);
  - ``words only`` / ``vectors only``: the same index with one ranking left out;
  - ``baseline``: plain BM25 (``bm25s``, its English stop words, no stemming) over the Census
    2022 titles of every 6-digit code, nothing else.

A case is right at top-1 when the first code is acceptable, at top-5 when any of the first
five is. Also measured: the tool's query latency p50/p95 (warm index, one query at a time,
the query embedding included), the baseline's, and the index build from shipped vectors.

    .venv/bin/python bench/naics.py

Prints a table and writes ``bench/results/naics.json``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))
# A home of its own: the shipped table is imported there, not into ~/.civicllm.
os.environ.setdefault("CIVICLLM_HOME", str(ROOT / "results" / "naics-home"))

import bm25s  # noqa: E402

from civicllm.tools.small_business.naics import run_naics_search  # noqa: E402
from civicllm.tools.small_business.naics_index import index_for  # noqa: E402
from civicllm.tools.small_business.table import naics_titles, table_for  # noqa: E402

CASES = ROOT / "naics_cases"
RESULTS = ROOT / "results" / "naics.json"
LANGUAGES = ("en", "es", "fr", "de")
SPLITS = ("dev", "heldout")
Search = Callable[[str], list[str]]


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Return [{language, query, codes}] from a cases file (a list, or {"cases": [...]})."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = raw.get("cases", raw.get("queries", [])) if isinstance(raw, dict) else raw
    cases = []
    for item in items or []:
        codes = item.get("codes") or item.get("acceptable") or item.get("naics") or []
        codes = [codes] if isinstance(codes, str | int) else codes
        language = str(item.get("language") or item.get("lang") or "").lower()[:2]
        cases.append(
            {"language": language, "query": str(item["query"]), "codes": [str(c) for c in codes]}
        )
    return cases


class Baseline:
    """Plain BM25 over the Census 2022 titles of the 6-digit codes."""

    def __init__(self) -> None:
        titles = {c: t for c, t in naics_titles().items() if len(c) == 6 and c.isdigit()}
        self.codes = sorted(titles)
        self.retriever = bm25s.BM25()
        corpus = [titles[c] for c in self.codes]
        tokens = bm25s.tokenize(corpus, stopwords="en", show_progress=False)
        self.retriever.index(tokens, show_progress=False)

    def search(self, query: str) -> list[str]:
        words = bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)
        known = [w for w in words[0] if w in self.retriever.vocab_dict]
        if not known:
            return []
        scores = self.retriever.get_scores(known)
        order = sorted(range(len(self.codes)), key=lambda i: -scores[i])
        return [self.codes[i] for i in order[:5] if scores[i] > 0]


def score(cases: list[dict[str, Any]], search: Search) -> dict[str, Any]:
    """Return top-1/top-5 counts per language and overall, the misses, and latencies."""
    counts: dict[str, dict[str, int]] = {}
    misses, seconds = [], []
    for case in cases:
        started = time.perf_counter()
        found = search(case["query"])
        seconds.append(time.perf_counter() - started)
        top1 = bool(found) and found[0] in case["codes"]
        top5 = any(code in case["codes"] for code in found[:5])
        for key in (case["language"], "all"):
            cell = counts.setdefault(key, {"asked": 0, "top1": 0, "top5": 0})
            cell["asked"] += 1
            cell["top1"] += top1
            cell["top5"] += top5
        if not top1:
            misses.append({**case, "found": found[:5], "top5": top5})
    return {"counts": counts, "misses": misses, "seconds": seconds}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if values else 0.0


def render(results: dict[str, Any]) -> str:
    """Return one Markdown table per split: top-1 · top-5 per language for each system."""
    out = []
    for split, entry in results["splits"].items():
        out.append(f"\n{split} ({entry['cases']} cases) — top-1 · top-5 right")
        out.append("| system | " + " | ".join((*LANGUAGES, "all")) + " |")
        out.append("|---" * (len(LANGUAGES) + 2) + "|")
        for system, scored in entry["systems"].items():
            cells = []
            for language in (*LANGUAGES, "all"):
                cell = scored["counts"].get(language)
                cells.append(
                    "—" if cell is None else f"{cell['top1']}/{cell['asked']} · {cell['top5']}"
                )
            out.append(f"| {system} | " + " | ".join(cells) + " |")
    latency = results["latency_ms"]
    out.append(
        f"\nquery latency p50/p95: civicllm {latency['civicllm']['p50']:.1f}/"
        f"{latency['civicllm']['p95']:.1f} ms, baseline {latency['baseline']['p50']:.2f}/"
        f"{latency['baseline']['p95']:.2f} ms; index build from shipped vectors "
        f"{results['index_build_s']:.2f} s ({results['vectors']})"
    )
    return "\n".join(out)


def main() -> None:
    """Run every system over every split, print the tables and write the JSON."""
    started = time.perf_counter()
    table = table_for()
    build = time.perf_counter()
    index = index_for(table)
    build_s = time.perf_counter() - build
    baseline = Baseline()

    def civicllm(query: str) -> list[str]:
        return [r["code"] for r in run_naics_search({"query": query, "limit": 5})["results"]]

    def words_only(query: str) -> list[str]:
        return [h.code for h in index.search(query, 5, meaning=False)]

    def vectors_only(query: str) -> list[str]:
        return [h.code for h in index.search(query, 5, words=False)]

    systems: dict[str, Search] = {
        "civicllm": civicllm,
        "words only": words_only,
        "vectors only": vectors_only,
        "baseline": baseline.search,
    }
    civicllm("warm-up")  # the first query loads nothing more, but pages in the model
    results: dict[str, Any] = {"splits": {}}
    timings: dict[str, list[float]] = {"civicllm": [], "baseline": []}
    for split in SPLITS:
        path = CASES / f"{split}.yaml"
        if not path.is_file():
            continue
        cases = load_cases(path)
        entry: dict[str, Any] = {"file": str(path.relative_to(ROOT.parent)), "cases": len(cases)}
        entry["systems"] = {}
        for name, search in systems.items():
            scored = score(cases, search)
            if name in timings:
                timings[name].extend(scored["seconds"])
            del scored["seconds"]
            entry["systems"][name] = scored
        results["splits"][split] = entry
    results["latency_ms"] = {
        name: {
            "p50": 1000 * statistics.median(values),
            "p95": 1000 * percentile(values, 0.95),
            "queries": len(values),
        }
        for name, values in timings.items()
    }
    results["index_build_s"] = build_s
    results["vectors"] = index.vectors_source
    results["passages"] = len(index.passages)
    results["seconds"] = time.perf_counter() - started
    results["machine"] = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(render(results))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
