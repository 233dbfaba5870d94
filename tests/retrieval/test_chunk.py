"""Chunks follow the document's sections; only over-long sections split, at paragraphs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from civicllm.retrieval.chunk import chunk_document, split_text
from civicllm.retrieval.metadata import DocumentMeta, effective_from
from civicllm.retrieval.readers import Document, Section


def test_one_chunk_per_section_when_short() -> None:
    document = Document(
        DocumentMeta(title="T"),
        (Section("A", "First section."), Section("B", "Second section.", page=2)),
    )
    chunks = chunk_document(document)
    assert [(c.section, c.text, c.page) for c in chunks] == [
        ("A", "First section.", None),
        ("B", "Second section.", 2),
    ]


def test_long_section_splits_at_paragraph_boundaries() -> None:
    paragraphs = [f"Paragraph {i} " + "word " * 40 for i in range(10)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = chunk_document(Document(DocumentMeta(), (Section("Long", text),)), max_chars=600)
    assert len(chunks) > 1
    assert all(c.section == "Long" for c in chunks)
    for chunk in chunks:
        assert len(chunk.text) <= 600
        # Every piece is made of whole paragraphs.
        for piece in chunk.text.split("\n\n"):
            assert piece in [p.strip() for p in paragraphs]


def test_single_long_paragraph_splits_at_sentences() -> None:
    sentences = [f"Sentence number {i} says something useful." for i in range(60)]
    pieces = split_text(" ".join(sentences), 300)
    assert len(pieces) > 1
    assert all(piece.endswith(".") for piece in pieces)
    assert " ".join(pieces) == " ".join(sentences)


@given(st.lists(st.text(alphabet="abc .\n", min_size=1, max_size=200), max_size=20))
def test_split_keeps_every_word(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    pieces = split_text(text.strip(), 250)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())


def test_effective_from_forms() -> None:
    assert effective_from("2026-27") == "2026-07-01"
    assert effective_from("2026") == "2026-01-01"
    assert effective_from("2026-03") == "2026-03-01"
    assert effective_from("2026-03-15") == "2026-03-15"
    assert effective_from("spring") == ""
