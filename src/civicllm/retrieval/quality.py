"""Measure retrieval quality on a question set: recall@k and MRR per mode and language.

A question set is YAML: a list (or ``{questions: [...]}``) of items with ``id``,
``language``, ``question``, ``document`` (path relative to the pack's sources, such as
``en/dependency-status.md``) and ``section`` (the heading that answers it). A retrieved
passage is a hit when its document is the expected article in any language version:
``en/x.md`` and ``es/x.md`` are translations of one article, and the answering step may
quote either. A stricter section-level recall is reported too: the passage must also come
from the expected section. Translations keep their sections in the same order, so when the
pack's sources folder is given, a section of ``fr/x.md`` counts as the section of ``en/x.md``
at the same position; without it, only the expected version's own heading matches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from civicllm.errors import InputError
from civicllm.retrieval.index import SEARCH_MODES, Index, SearchMode
from civicllm.retrieval.readers import read_document

MRR_DEPTH = 10


@dataclass(frozen=True)
class Question:
    """One question of a retrieval question set and the article that answers it."""

    id: str
    language: str
    question: str
    document: str
    section: str = ""


def load_questions(path: Path) -> list[Question]:
    """Read a retrieval question set from YAML."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = raw.get("questions", []) if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a list of questions.", param="questions")
    questions = []
    for number, item in enumerate(items):
        try:
            questions.append(
                Question(
                    id=str(item["id"]),
                    language=str(item["language"]),
                    question=str(item["question"]),
                    document=str(item["document"]),
                    section=str(item.get("section", "")),
                )
            )
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"{path}: question {number} lacks {exc}; each needs id, language, question "
                "and document.",
                param=f"questions[{number}]",
            ) from exc
    return questions


def article_key(document: str) -> str:
    """Return the language-independent name of a document: ``en/x.md`` -> ``x.md``."""
    head, _, rest = document.partition("/")
    if rest and (len(head) == 2 or (len(head) == 5 and head[2] == "-")):
        return rest
    return document


def section_positions(sources: Path) -> dict[tuple[str, str], tuple[str, int]]:
    """Map each (document, heading) under ``sources`` to (article, position of the section).

    Documents are named as the index names them (paths relative to ``sources``); the
    position is the heading's order among the document's distinct headings, which is the
    same in every language version of an article.
    """
    positions: dict[tuple[str, str], tuple[str, int]] = {}
    for path in sorted(sources.rglob("*.md")):
        document = path.relative_to(sources).as_posix()
        headings: list[str] = []
        for section in read_document(path).sections:
            if section.heading not in headings:
                headings.append(section.heading)
        for position, heading in enumerate(headings):
            positions[(document, heading)] = (article_key(document), position)
    return positions


def evaluate_retrieval(
    index: Index,
    questions: Sequence[Question],
    *,
    pack: str | None = None,
    k: int = 5,
    modes: Sequence[SearchMode] = SEARCH_MODES,
    sources: Path | None = None,
) -> dict[str, Any]:
    """Return recall@k, MRR@10 and section recall@k per search mode, overall and per language.

    ``sources`` (the pack's sources folder) lets a section of any language version of the
    expected article count, matched by position.
    """
    positions = section_positions(sources) if sources is not None else {}

    def same_section(document: str, section: str, question: Question) -> bool:
        if document == question.document or not positions:
            return article_key(document) == article_key(question.document) and (
                section == question.section
            )
        wanted = positions.get((question.document, question.section))
        return wanted is not None and positions.get((document, section)) == wanted

    result: dict[str, Any] = {"k": k, "questions": len(questions), "modes": {}}
    for mode in modes:
        hits: dict[str, list[float]] = defaultdict(list)
        section_hits: dict[str, list[float]] = defaultdict(list)
        ranks: dict[str, list[float]] = defaultdict(list)
        misses: list[str] = []
        for question in questions:
            expected = article_key(question.document)
            found = index.search(question.question, k=max(k, MRR_DEPTH), pack=pack, mode=mode)
            rank = next(
                (i for i, p in enumerate(found) if article_key(p.document) == expected), None
            )
            hit = rank is not None and rank < k
            in_section = any(same_section(p.document, p.section, question) for p in found[:k])
            reciprocal = 1.0 / (rank + 1) if rank is not None else 0.0
            for group in ("all", question.language):
                hits[group].append(1.0 if hit else 0.0)
                section_hits[group].append(1.0 if in_section else 0.0)
                ranks[group].append(reciprocal)
            if not hit:
                misses.append(question.id)
        result["modes"][mode] = {
            group: {
                "n": len(hits[group]),
                "recall_at_k": round(sum(hits[group]) / len(hits[group]), 4),
                "mrr": round(sum(ranks[group]) / len(ranks[group]), 4),
                "section_recall_at_k": round(sum(section_hits[group]) / len(hits[group]), 4),
            }
            for group in sorted(hits, key=lambda g: (g != "all", g))
        }
        result["modes"][mode]["misses"] = misses
    return result


def format_quality(result: dict[str, Any]) -> str:
    """Return the evaluation as a plain-text table, one row per mode and language."""
    at = f"@{result['k']}"
    lines = [f"{'mode':<8} {'lang':<5} {'n':>4} {'recall' + at:>9} {'MRR':>6} {'sect' + at:>7}"]
    for mode, groups in result["modes"].items():
        for group, row in groups.items():
            if group == "misses":
                continue
            lines.append(
                f"{mode:<8} {group:<5} {row['n']:>4} {row['recall_at_k']:>9.3f} {row['mrr']:>6.3f}"
                f" {row['section_recall_at_k']:>7.3f}"
            )
    return "\n".join(lines)
