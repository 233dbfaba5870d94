"""Cut a document into passages along its own structure.

A section (a heading and its text, or a PDF page) is one chunk. Only a section longer
than ``max_chars`` is split, and then at paragraph boundaries (sentence boundaries for a
single over-long paragraph), so a passage never starts mid-thought. The limit keeps a
passage inside the embedding model's 512-token window with its title and heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from civicllm.retrieval.readers import Document

MAX_CHARS = 1400
# Bump when chunking changes, so that every file is re-chunked on the next ingest.
CHUNKER_VERSION = "1"

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True)
class Chunk:
    """One passage of a document: its section heading, text and page."""

    section: str
    text: str
    page: int | None = None


def chunk_document(document: Document, *, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Return the passages of ``document``, one per section unless a section is too long."""
    chunks: list[Chunk] = []
    for section in document.sections:
        for text in split_text(section.text.strip(), max_chars):
            chunks.append(Chunk(section=section.heading, text=text, page=section.page))
    return chunks


def split_text(text: str, max_chars: int) -> list[str]:
    """Split ``text`` into pieces of at most about ``max_chars`` at paragraph boundaries."""
    if not text:
        return []
    if len(text) <= max_chars:
        return [text]
    units: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if len(paragraph) <= max_chars:
            units.append(paragraph)
        else:
            units.extend(_split_paragraph(paragraph, max_chars))
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for unit in units:
        if current and size + len(unit) + 2 > max_chars:
            pieces.append("\n\n".join(current))
            current, size = [], 0
        current.append(unit)
        size += len(unit) + 2
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def _split_paragraph(paragraph: str, max_chars: int) -> list[str]:
    """Split one over-long paragraph at sentence ends; a sentence is never cut."""
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE.split(paragraph):
        if current and len(current) + len(sentence) + 1 > max_chars:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces
