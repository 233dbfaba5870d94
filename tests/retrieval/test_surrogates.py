"""A lone surrogate in a question (half an emoji from a broken client) is searched, not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.index import Index
from civicllm.retrieval.ingest import ingest_paths


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "vector"])
def test_a_question_with_a_lone_surrogate_is_answered(
    index: Index, corpus: Path, mode: str
) -> None:
    ingest_paths([corpus], "city", index)
    found = index.search("\ud800 payment plan for the water bill \udfff", k=3, mode=mode)
    assert isinstance(found, list)


def test_the_embedder_reads_lone_surrogates_as_replacement_characters(embedder: Embedder) -> None:
    broken, replaced = embedder.embed_queries(["water \ud83d bill", "water \ufffd bill"])
    assert broken.tolist() == replaced.tolist()
