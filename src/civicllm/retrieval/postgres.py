"""The scale-out index: PostgreSQL with pgvector (HNSW, cosine) and full-text search.

Same interface and results as the SQLite index, for agencies with millions of pages or
several server replicas sharing one database. Full text uses the ``simple`` configuration
over accent-folded text, so that one index serves every language the same way; vectors use
an HNSW index.

A filter (pack, language, document, date) is applied to what the HNSW scan returns, so a
selective filter can leave fewer than ``k`` rows. pgvector 0.8 and later keep scanning until
enough rows pass (iterative scans); older servers (0.6, 0.7) cannot. On every server, a vector
search that comes back short runs again as an exact scan over the filtered rows: always ``k``
results when ``k`` rows match, at the cost of a second query (cheap when few rows match,
which is when it happens).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from civicllm.errors import ConfigError
from civicllm.language import fold
from civicllm.retrieval.embed import Embedder, Vector
from civicllm.retrieval.index import (
    DENSE_WEIGHT,
    LEXICAL_WEIGHT,
    ChunkRecord,
    DocumentRecord,
    SearchFilter,
    SearchMode,
    check_search,
    fuse_ranks,
    passages_from_rows,
)
from civicllm.retrieval.metadata import effective_from
from civicllm.retrieval.passage import Passage
from civicllm.retrieval.terms import extract_terms

CONNECT_TIMEOUT_S = 10  # an unreachable server fails start-up in seconds, not minutes
EF_SEARCH = 100  # HNSW candidates per vector search; pgvector's default is 40
EF_SEARCH_MAX = 1000  # the most pgvector accepts


def _schema(dim: int) -> str:
    return f"""
create extension if not exists vector;
create table if not exists civic_meta(key text primary key, value text not null);
create table if not exists civic_documents(
  id bigserial primary key,
  pack text not null,
  path text not null,
  document text not null,
  title text not null,
  language text not null,
  source_url text not null,
  effective_date text not null,
  effective_from text not null,
  content_hash text not null,
  ingested_at timestamptz not null default now(),
  unique(pack, path)
);
create table if not exists civic_chunks(
  id bigserial primary key,
  document_id bigint not null references civic_documents(id) on delete cascade,
  ord integer not null,
  section text not null,
  page integer,
  text text not null,
  embed_hash text not null,
  embedding vector({dim}) not null,
  tsv tsvector not null,
  pack text not null,
  language text not null,
  document text not null,
  effective_from text not null
);
create index if not exists civic_chunks_document on civic_chunks(document_id);
create index if not exists civic_chunks_embed_hash on civic_chunks(embed_hash);
create index if not exists civic_chunks_pack on civic_chunks(pack, language);
create index if not exists civic_chunks_tsv on civic_chunks using gin(tsv);
create index if not exists civic_chunks_embedding on civic_chunks
  using hnsw (embedding vector_cosine_ops);
"""


class PostgresIndex:
    """The index in a PostgreSQL database with the pgvector extension.

    Example::

        index = PostgresIndex("postgresql://civic@db/civic")
        ingest_paths([Path("sources")], "student-aid", index)
        index.search("Wer ist unabhängig?", pack="student-aid")
    """

    def __init__(self, dsn: str, embedder: Embedder | None = None) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError(
                "A PostgreSQL index needs the psycopg package: pip install 'psycopg[binary]'."
            ) from exc

        self._embedder = embedder
        try:
            self._db = psycopg.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            reason = str(exc).strip().replace("\n", " ")
            raise ConfigError(
                f"Cannot connect to PostgreSQL ({reason}); check the index_url setting.",
                param="index_url",
            ) from exc
        dim = embedder.dim if embedder else Embedder.dim
        model = embedder.model_id if embedder else Embedder.model_id
        try:
            with self._db.transaction():
                self._db.execute("select pg_advisory_xact_lock(7283901)")
                self._db.execute(_schema(dim).encode())
                row = self._db.execute("select value from civic_meta where key='model'").fetchone()
                if row is None:
                    self._db.execute(
                        "insert into civic_meta(key, value) values ('model', %s), ('dim', %s)",
                        (model, str(dim)),
                    )
                elif row[0] != model:
                    raise ConfigError(
                        f"The database index was built with {row[0]}, not {model}; "
                        "drop its civic_* tables and ingest again."
                    )
        except (psycopg.errors.FeatureNotSupported, psycopg.errors.UndefinedFile) as exc:
            self._db.close()
            raise ConfigError(
                "The PostgreSQL server lacks the pgvector extension; install pgvector"
                " (e.g. the postgresql-16-pgvector package) on the database server.",
                param="index_url",
            ) from exc
        except psycopg.errors.InsufficientPrivilege as exc:
            self._db.close()
            raise ConfigError(
                "This PostgreSQL user may not create the pgvector extension; have a superuser"
                " run 'create extension vector;' in the database, or use its owner.",
                param="index_url",
            ) from exc
        # Iterative scans exist from pgvector 0.8. The loaded library decides, not the
        # version recorded in pg_extension (an upgraded server may hold an older extversion),
        # so load it and ask for its setting.
        self._db.execute("select '[1]'::vector")
        found = self._db.execute(
            "select 1 from pg_settings where name = 'hnsw.iterative_scan'"
        ).fetchone()
        self.iterative_scans = found is not None
        if self.iterative_scans:
            # Filtered HNSW scans keep searching until enough rows pass the filter.
            self._db.execute("set hnsw.iterative_scan = relaxed_order")

    @property
    def embedder(self) -> Embedder:
        """The embedder of this index, created on first use."""
        if self._embedder is None:
            self._embedder = Embedder()
        return self._embedder

    def embed(self, texts: Sequence[str], *, query: bool = False) -> Vector:
        """Return embeddings of ``texts`` (as questions when ``query``), shape (n, dim)."""
        if query:
            return self.embedder.embed_queries(texts)
        return self.embedder.embed_passages(texts)

    def document_hashes(self, pack: str) -> dict[str, str]:
        """Return the content hash of every file ingested into ``pack``, by path."""
        rows = self._db.execute(
            "select path, content_hash from civic_documents where pack = %s", (pack,)
        ).fetchall()
        return {str(path): str(digest) for path, digest in rows}

    def known_vectors(self, embed_hashes: Sequence[str]) -> dict[str, Vector]:
        """Return stored vectors for the given embedding-input hashes, to skip re-embedding."""
        if not embed_hashes:
            return {}
        rows = self._db.execute(
            "select distinct on (embed_hash) embed_hash, embedding::text from civic_chunks"
            " where embed_hash = any(%s)",
            (list(embed_hashes),),
        ).fetchall()
        return {str(h): _parse_vector(str(v)) for h, v in rows}

    def replace_document(self, record: DocumentRecord, chunks: Sequence[ChunkRecord]) -> None:
        """Store a file's passages in place of its old ones, in one transaction."""
        start = effective_from(record.effective_date)
        with self._db.transaction():
            # Replicas starting together all sync the same packs: without this lock two of
            # them delete nothing, then both insert, and the second fails on unique(pack, path).
            self._db.execute(
                "select pg_advisory_xact_lock(hashtextextended(%s, 0))",
                (f"{record.pack}\n{record.path}",),
            )
            self._db.execute(
                "delete from civic_documents where pack = %s and path = %s",
                (record.pack, record.path),
            )
            row = self._db.execute(
                "insert into civic_documents(pack, path, document, title, language, source_url,"
                " effective_date, effective_from, content_hash)"
                " values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning id",
                (
                    record.pack,
                    record.path,
                    record.document,
                    record.title,
                    record.language,
                    record.source_url,
                    record.effective_date,
                    start,
                    record.content_hash,
                ),
            ).fetchone()
            assert row is not None
            with self._db.cursor() as cursor:
                cursor.executemany(
                    "insert into civic_chunks(document_id, ord, section, page, text, embed_hash,"
                    " embedding, tsv, pack, language, document, effective_from) values"
                    " (%s, %s, %s, %s, %s, %s, %s::vector, to_tsvector('simple', %s),"
                    " %s, %s, %s, %s)",
                    [
                        (
                            row[0],
                            ord_,
                            chunk.section,
                            chunk.page,
                            chunk.text,
                            chunk.embed_hash,
                            _format_vector(chunk.vector),
                            fold(f"{record.title}\n{chunk.section}\n{chunk.text}"),
                            record.pack,
                            record.language,
                            record.document,
                            start,
                        )
                        for ord_, chunk in enumerate(chunks)
                    ],
                )

    def remove_document(self, pack: str, path: str) -> None:
        """Drop a file and its passages from ``pack``, in one transaction."""
        self._db.execute("delete from civic_documents where pack = %s and path = %s", (pack, path))

    def list_documents(self, pack: str | None = None) -> list[dict[str, object]]:
        """Return the ingested documents (of ``pack``) with their metadata and chunk count."""
        rows = self._db.execute(
            "select d.pack, d.document, d.title, d.language, d.source_url, d.effective_date,"
            " d.path, (select count(*) from civic_chunks c where c.document_id = d.id)"
            " from civic_documents d where (%s::text is null or d.pack = %s)"
            " order by d.pack, d.document",
            (pack, pack),
        ).fetchall()
        keys = ("pack", "document", "title", "language", "source_url", "effective_date")
        out: list[dict[str, object]] = []
        for row in rows:
            item: dict[str, object] = dict(zip(keys, row[:6], strict=True))
            item["path"], item["chunks"] = row[6], int(row[7])
            out.append(item)
        return out

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
        """Return the ``k`` passages that best answer ``query``, best first."""
        where = check_search(
            query,
            k,
            mode,
            pack=pack,
            language=language,
            document=document,
            effective_on=effective_on,
        )
        if mode == "bm25":
            return self._hydrate(self._search_text(query, where, k))
        if mode == "vector":
            return self._hydrate(self._search_vector(query, where, k))
        depth = max(50, 10 * k)
        lexical = [item for item, _ in self._search_text(query, where, depth)]
        dense = [item for item, _ in self._search_vector(query, where, depth)]
        return self._hydrate(fuse_ranks([(DENSE_WEIGHT, dense), (LEXICAL_WEIGHT, lexical)], k=k))

    def _search_text(self, query: str, where: SearchFilter, limit: int) -> list[tuple[int, float]]:
        terms = extract_terms(query)
        if not terms:
            return []
        # Terms are \\w+ words only, so joining them cannot inject tsquery syntax.
        tsquery = " | ".join(terms)
        sql, args = _filters(where)
        rows = self._db.execute(
            "select id, ts_rank(tsv, q) as score from civic_chunks,"
            " to_tsquery('simple', %s) q where tsv @@ q" + sql + " order by score desc, id"
            " limit %s",
            [tsquery, *args, limit],
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def _search_vector(
        self, query: str, where: SearchFilter, limit: int
    ) -> list[tuple[int, float]]:
        vector = _format_vector(self.embedder.embed_query(query))
        sql, args = _filters(where)
        select = (
            "select id, 1 - (embedding <=> %s::vector) from civic_chunks where true"
            + sql
            + " order by embedding <=> %s::vector limit %s"
        )
        params = [vector, *args, vector, limit]
        with self._db.transaction():
            # The HNSW scan yields at most ef_search rows (before filtering), so ask for at
            # least ``limit``; pgvector caps it at 1000.
            ef_search = min(EF_SEARCH_MAX, max(EF_SEARCH, limit))
            self._db.execute("select set_config('hnsw.ef_search', %s, true)", (str(ef_search),))
            rows = self._db.execute(select, params).fetchall()
            if len(rows) < limit:
                # Short: the filter dropped what the graph walk found, or fewer rows match.
                # An exact scan over the filtered rows tells which, and returns them all.
                self._db.execute("set local enable_indexscan = off")
                rows = self._db.execute(select, params).fetchall()
        # Iterative scans in relaxed order may return neighbours slightly out of order.
        ranked = [(int(r[0]), float(r[1])) for r in rows]
        return sorted(ranked, key=lambda item: (-item[1], item[0]))

    def _hydrate(self, ranked: Sequence[tuple[int, float]]) -> list[Passage]:
        if not ranked:
            return []
        rows = {
            int(r[0]): r
            for r in self._db.execute(
                "select c.id, c.ord, c.section, c.page, c.text, d.pack, d.document, d.title,"
                " d.language, d.source_url, d.effective_date from civic_chunks c"
                " join civic_documents d on d.id = c.document_id where c.id = any(%s)",
                ([item for item, _ in ranked],),
            )
        }
        return passages_from_rows(ranked, rows)

    def close(self) -> None:
        """Release the connection."""
        self._db.close()


def open_postgres_index(dsn: str, embedder: Embedder | None = None) -> PostgresIndex:
    """Open (creating tables if needed) the PostgreSQL index at ``dsn``."""
    return PostgresIndex(dsn, embedder)


def _filters(where: SearchFilter) -> tuple[str, list[Any]]:
    sql, args = "", list[Any]()
    for column, value in (
        ("pack", where.pack),
        ("language", where.language),
        ("document", where.document),
    ):
        if value is not None:
            sql += f" and {column} = %s"
            args.append(value)
    if where.effective_on is not None:
        sql += " and effective_from <= %s"
        args.append(where.effective_on)
    return sql, args


def _format_vector(vector: Vector) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


def _parse_vector(text: str) -> Vector:
    return np.array([float(x) for x in text.strip("[]").split(",")], dtype=np.float32)
