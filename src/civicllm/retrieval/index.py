"""The Index interface shared by the SQLite (embedded) and PostgreSQL (scale-out) backends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from civicllm.errors import InputError
from civicllm.retrieval.embed import Embedder, Vector
from civicllm.retrieval.metadata import effective_from
from civicllm.retrieval.passage import Passage

SearchMode = Literal["hybrid", "bm25", "vector"]
SEARCH_MODES: tuple[SearchMode, ...] = ("hybrid", "bm25", "vector")


@dataclass(frozen=True)
class DocumentRecord:
    """One ingested file: where it came from, what it is, and its content hash."""

    pack: str
    path: str  # absolute path of the source file: the key within a pack
    document: str  # the name passages carry: the path relative to the ingested folder
    title: str
    language: str
    source_url: str
    effective_date: str
    content_hash: str


@dataclass(frozen=True)
class ChunkRecord:
    """One passage to store, with its embedding and the hash of what was embedded."""

    section: str
    text: str
    page: int | None
    embed_hash: str
    vector: Vector


@dataclass(frozen=True)
class SearchFilter:
    """Validated search filters; ``effective_from`` is an ISO date or ''."""

    pack: str | None = None
    language: str | None = None
    document: str | None = None
    effective_on: str | None = None


class Index(Protocol):
    """Where passages are stored and searched; both backends implement it."""

    @property
    def embedder(self) -> Embedder:
        """The embedder that vectors in this index come from."""
        ...

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        pack: str | None = None,
        language: str | None = None,
        document: str | None = None,
        effective_on: str | None = None,
        mode: SearchMode = "hybrid",
    ) -> list[Passage]:
        """Return the ``k`` passages that best answer ``query``, best first.

        ``pack``, ``language`` and ``document`` keep only passages with that value;
        ``effective_on`` (YYYY-MM-DD, YYYY-MM or YYYY) keeps passages whose document is in
        effect by then (undated documents always pass). ``mode`` picks BM25, vectors, or
        both fused by weighted reciprocal rank (the default). ``score`` is the fused score,
        the BM25 score, or the cosine similarity.
        """
        ...

    def embed(self, texts: Sequence[str], *, query: bool = False) -> Vector:
        """Return embeddings of ``texts`` (as questions when ``query``), shape (n, dim)."""
        ...

    def document_hashes(self, pack: str) -> dict[str, str]:
        """Return the content hash of every file ingested into ``pack``, by path."""
        ...

    def known_vectors(self, embed_hashes: Sequence[str]) -> dict[str, Vector]:
        """Return stored vectors for the given embedding-input hashes, to skip re-embedding."""
        ...

    def replace_document(self, record: DocumentRecord, chunks: Sequence[ChunkRecord]) -> None:
        """Store a file's passages in place of its old ones, in one transaction."""
        ...

    def remove_document(self, pack: str, path: str) -> None:
        """Drop a file and its passages from ``pack``, in one transaction."""
        ...

    def list_documents(self, pack: str | None = None) -> list[dict[str, object]]:
        """Return the ingested documents (of ``pack``) with their metadata and chunk count."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def open_index(path: Path, embedder: Embedder | None = None) -> Index:
    """Open (creating if needed) the embedded SQLite index at ``path``."""
    from civicllm.retrieval.sqlite_index import SqliteIndex

    return SqliteIndex(path, embedder)


def check_search(
    query: str,
    k: int,
    mode: str,
    *,
    pack: str | None,
    language: str | None,
    document: str | None,
    effective_on: str | None,
) -> SearchFilter:
    """Validate search arguments and return the filter, raising InputError when bad."""
    if not isinstance(query, str):
        raise InputError("The query must be text.", param="query")
    if not 1 <= k <= 1000:
        raise InputError("k must be between 1 and 1000.", param="k")
    if mode not in SEARCH_MODES:
        raise InputError(
            f"Unknown search mode {mode!r}; use one of {', '.join(SEARCH_MODES)}.", param="mode"
        )
    start = None
    if effective_on is not None:
        start = effective_from(effective_on)
        if not start:
            raise InputError(
                f"effective_on {effective_on!r} is not a date; use YYYY-MM-DD.",
                param="effective_on",
            )
    return SearchFilter(
        pack=pack,
        language=language.lower() if language else None,
        document=document,
        effective_on=start,
    )


# Fusion weights: the multilingual dense ranking leads; BM25 sharpens exact terms (form
# names, numbers) but its top hits for a question in another language than the passages
# are noise, so it counts for less. A small constant lets first places matter more than
# the customary 60 would. Chosen on the student-aid question set (see bench/retrieval.py).
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.4
RRF_CONSTANT = 20


def fuse_ranks(
    rankings: Sequence[tuple[float, Sequence[int]]], *, k: int, constant: int = RRF_CONSTANT
) -> list[tuple[int, float]]:
    """Return ids ordered by weighted reciprocal-rank fusion of (weight, ranking) pairs."""
    scores: dict[int, float] = {}
    for weight, ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + weight / (constant + rank + 1)
    ordered = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    return ordered[:k]


def pack_bits(vectors: Vector, center: Vector) -> list[bytes]:
    """Return 1-bit codes of vectors: the sign of each dimension after centering."""
    bits = np.packbits(vectors - center > 0, axis=1)
    return [row.tobytes() for row in bits]


def passages_from_rows(
    ranked: Sequence[tuple[int, float]], rows: Mapping[int, Sequence[Any]]
) -> list[Passage]:
    """Build Passages in rank order from chunk rows (id, ord, section, page, text, pack,
    document, title, language, source_url, effective_date); both backends select these."""
    passages = []
    for item, score in ranked:
        row = rows.get(item)
        if row is None:
            continue
        _, ord_, section, page, text, pack, document, title, language, url, date = row
        passages.append(
            Passage(
                id=f"{pack}:{document}#{ord_}",
                pack=pack,
                document=document,
                title=title,
                section=section,
                text=text,
                language=language,
                source_url=url,
                effective_date=date,
                page=page,
                score=score,
            )
        )
    return passages
