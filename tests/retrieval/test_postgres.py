"""The PostgreSQL backend behaves like the SQLite one, against a real server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psycopg  # a test dependency: missing, these tests fail rather than skip
import pytest

from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.index import ChunkRecord, DocumentRecord
from civicllm.retrieval.ingest import ingest_paths
from civicllm.retrieval.postgres import PostgresIndex, open_postgres_index

from .conftest import CORPUS

pytestmark = pytest.mark.postgres


def drop_tables(uri: str) -> None:
    """Drop the index tables, so the next open starts from an empty index."""
    with psycopg.connect(uri, autocommit=True) as admin:
        admin.execute("drop table if exists civic_chunks, civic_documents, civic_meta")


@pytest.fixture
def pg_index(postgres_uri: str, embedder: Embedder) -> Iterator[PostgresIndex]:
    drop_tables(postgres_uri)
    index = open_postgres_index(postgres_uri, embedder)
    yield index
    index.close()


def test_postgres_ingest_search_and_filters(pg_index: PostgresIndex, corpus: Path) -> None:
    index = pg_index
    report = ingest_paths([corpus], "city", index)
    assert (report.added, report.chunks > 0, report.ok) == (len(CORPUS), True, True)
    assert ingest_paths([corpus], "city", index).unchanged == len(CORPUS)

    lexical = index.search("mattresses appliances", mode="bm25")
    assert [p.section for p in lexical] == ["Bulky items"]
    # Accents are folded on both sides.
    assert index.search("gratuíta biblioteca", mode="bm25", language="es")[0].document == (
        "es/library-card.md"
    )
    top = index.search("¿Cuánto cuesta la licencia para un perro?", k=3, language="en")[0]
    assert (top.document, top.section) == ("en/dog-license.md", "License requirement")
    assert top.id.startswith("city:en/dog-license.md#")
    assert top.source_url == "https://example.gov/pets/dog-license"
    english = index.search("Will the city warn me before shutting off my water?", k=3)
    assert english[0].document == "es/water-shutoff.md"

    assert {p.language for p in index.search("library card", k=10, language="es")} == {"es"}
    assert {p.document for p in index.search("cost", k=10, document="en/dog-license.md")} == {
        "en/dog-license.md"
    }
    in_2026 = {p.document for p in index.search("trash days", k=20, effective_on="2026-06-01")}
    assert "en/trash-pickup-2027.md" not in in_2026 and "en/trash-pickup.md" in in_2026
    assert index.search("library card", pack="nobody") == []


def test_postgres_update_and_removal(pg_index: PostgresIndex, corpus: Path) -> None:
    index = pg_index
    ingest_paths([corpus], "city", index)
    path = corpus / "en/dog-license.md"
    path.write_text(path.read_text().replace("$20", "$25"))
    (corpus / "en/library-card.md").unlink()
    report = ingest_paths([corpus], "city", index)
    assert (report.updated, report.removed) == (1, 1)
    texts = [p.text for p in index.search("dog license spayed", mode="bm25", k=10)]
    assert any("$25" in t for t in texts) and not any("$20" in t for t in texts)
    documents = [d["document"] for d in index.list_documents("city")]
    assert "en/library-card.md" not in documents and len(documents) == len(CORPUS) - 1


def add_synthetic(
    index: PostgresIndex, pack: str, language: str, vectors: np.ndarray, name: str = "doc"
) -> None:
    """Store one document of ``pack`` whose passages carry the given vectors."""
    record = DocumentRecord(
        pack=pack,
        path=f"/{pack}/{name}.md",
        document=f"{name}.md",
        title=name,
        language=language,
        source_url=f"https://example.gov/{pack}/{name}",
        effective_date="2026-01-01",
        content_hash=f"{pack}-{name}",
    )
    chunks = [
        ChunkRecord(f"Part {i}", f"{pack} {language} passage {i}", None, f"{pack}-{name}-{i}", v)
        for i, v in enumerate(vectors)
    ]
    index.replace_document(record, chunks)


def unit_rows(rows: np.ndarray) -> np.ndarray:
    """Return the rows scaled to length one."""
    unit: np.ndarray = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    return unit


def test_postgres_filtered_vector_search_returns_k_when_k_rows_match(
    pg_index: PostgresIndex, embedder: Embedder
) -> None:
    """A filter matching a few rows among many still yields k, best first.

    The many rows lie next to the question and the few far from it, so the HNSW walk
    (ef_search candidates, before filtering) finds none of the few. pgvector 0.6 (the
    test server) has no iterative scans: without the exact-scan fallback these return [].
    """
    index = pg_index
    question = "How do I renew a permit?"
    q = embedder.embed_query(question)
    rng = np.random.default_rng(7)
    near = unit_rows(q + 0.15 * rng.standard_normal((1000, q.size)))
    far = unit_rows(-q + 0.6 * rng.standard_normal((8, q.size)))
    add_synthetic(index, "big", "en", near)
    add_synthetic(index, "small", "en", far[:4], "en")
    add_synthetic(index, "small", "es", far[4:], "es")

    found = index.search(question, k=5, pack="small", mode="vector")
    assert len(found) == 5 and {p.pack for p in found} == {"small"}
    best_first = sorted(range(8), key=lambda i: -float(far[i] @ q))[:5]
    expected = [f"{'en' if i < 4 else 'es'}.md:{i % 4}" for i in best_first]
    assert [f"{p.document}:{p.section.split()[-1]}" for p in found] == expected
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)

    spanish = index.search(question, k=3, language="es", mode="vector")
    assert len(spanish) == 3 and {p.language for p in spanish} == {"es"}
    assert len(index.search(question, k=10, pack="small", language="es", mode="vector")) == 4
    assert len(index.search(question, k=5, pack="small", mode="hybrid")) == 5
    # Unfiltered, the index answers directly: the nearest rows are the many.
    assert {p.pack for p in index.search(question, k=5, mode="vector")} == {"big"}


def test_replicas_replacing_one_document_at_once_all_succeed(
    pg_index: PostgresIndex, postgres_uri: str, embedder: Embedder
) -> None:
    """Server replicas that start together sync the same pack into one database."""
    replicas = [pg_index, *(open_postgres_index(postgres_uri, embedder) for _ in range(3))]
    vectors = unit_rows(np.ones((5, embedder.dim)))
    errors: list[Exception] = []
    try:
        for _ in range(5):
            barrier = threading.Barrier(len(replicas))

            def sync(index: PostgresIndex, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                try:
                    add_synthetic(index, "city", "en", vectors)
                except Exception as exc:  # collected: a thread's exception is lost otherwise
                    errors.append(exc)

            threads = [threading.Thread(target=sync, args=(index,)) for index in replicas]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        for index in replicas[1:]:
            index.close()
    assert errors == []
    assert [d["chunks"] for d in pg_index.list_documents("city")] == [5]
