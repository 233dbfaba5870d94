"""Shape a verified answer's citations for readers and for OpenAI-compatible clients.

The text keeps its numbered markers ([1], [2]) and gains a localized reference list. The API
message carries ``annotations`` exactly as OpenAI's Chat Completions API shapes them
(``{"type": "url_citation", "url_citation": {url, title, start_index, end_index}}``), so the
official clients parse them; each annotation spans its ``[n]`` marker in ``content``, and
offsets count Python characters (code points). The ``civicllm_citations`` extension adds what
an agency needs to check a claim: document, section, page, the quoted span of the source and
the span of the answer it supports.
"""

from __future__ import annotations

from typing import Any

from civicllm.answer.extractive import LABELS
from civicllm.answer.verify import VerifiedAnswer
from civicllm.language import base_language
from civicllm.retrieval.passage import Passage

__all__ = [
    "build_annotations",
    "build_civicllm_citations",
    "build_message",
    "format_references",
    "render_text",
]


def format_references(answer: VerifiedAnswer) -> str:
    """Return the localized numbered reference list, or "" when nothing is cited."""
    if not answer.passages:
        return ""
    heading = LABELS[base_language(answer.language)].sources
    lines = [f"{heading}:"]
    for number, passage in enumerate(answer.passages, start=1):
        lines.append(f"[{number}] {_reference(passage)}")
    return "\n".join(lines)


def _reference(passage: Passage) -> str:
    parts = [_title(passage)]
    if passage.page is not None:
        parts.append(f"p. {passage.page}")
    if passage.effective_date:
        parts.append(passage.effective_date)
    text = ", ".join(parts)
    return f"{text}. {passage.source_url}" if passage.source_url else f"{text}."


def _title(passage: Passage) -> str:
    title = passage.title or passage.document
    if passage.section and passage.section != title:
        return f"{title} — {passage.section}"
    return title


def render_text(answer: VerifiedAnswer) -> str:
    """Return the answer text followed by its reference list.

    The answer text comes first and unchanged, so every offset recorded in ``answer`` holds
    in the returned text too.
    """
    references = format_references(answer)
    return f"{answer.text}\n\n{references}" if references else answer.text


def build_annotations(answer: VerifiedAnswer) -> list[dict[str, Any]]:
    """Return OpenAI ``url_citation`` annotations, one per ``[n]`` marker in the text."""
    annotations: list[dict[str, Any]] = []
    for sentence in answer.sentences:
        for citation in sentence.citations:
            annotations.append(
                {
                    "type": "url_citation",
                    "url_citation": {
                        "url": _url(citation.passage),
                        "title": _title(citation.passage),
                        "start_index": citation.start,
                        "end_index": citation.end,
                    },
                }
            )
    return annotations


def _url(passage: Passage) -> str:
    # A document ingested without a source URL is still named, so the citation stays useful.
    return passage.source_url or passage.document


def build_civicllm_citations(answer: VerifiedAnswer) -> list[dict[str, Any]]:
    """Return the civicllm extension entries: source details and the spans on both sides."""
    entries: list[dict[str, Any]] = []
    for sentence in answer.sentences:
        for citation in sentence.citations:
            passage = citation.passage
            entries.append(
                {
                    "number": citation.number,
                    "passage_id": passage.id,
                    "pack": passage.pack,
                    "document": passage.document,
                    "title": passage.title,
                    "section": passage.section,
                    "page": passage.page,
                    "url": passage.source_url,
                    "effective_date": passage.effective_date,
                    "language": passage.language,
                    "quote": citation.quote,
                    "start_index": citation.start,
                    "end_index": citation.end,
                    "claim_start_index": sentence.claim_start,
                    "claim_end_index": sentence.claim_end,
                }
            )
    return entries


def build_message(answer: VerifiedAnswer) -> dict[str, Any]:
    """Return the assistant message: content with references, annotations, the extension."""
    return {
        "role": "assistant",
        "content": render_text(answer),
        "annotations": build_annotations(answer),
        "civicllm_citations": build_civicllm_citations(answer),
    }
