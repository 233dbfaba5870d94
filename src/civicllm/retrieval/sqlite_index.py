"""The embedded index: one SQLite file with FTS5 (BM25) and sqlite-vec vectors, via apsw.

Vectors are searched in two steps: a brute-force Hamming scan over 1-bit codes in a vec0
table (48 bytes a passage, partitioned by pack) picks candidates, then the exact cosine on
the stored float vectors re-ranks them. That keeps a 100k-passage search in tens of
milliseconds on two cores, at the price of a rare miss when the true neighbour's code is
far from the question's. Each file's passages are replaced in one transaction (WAL), so a
killed ingest leaves every file either fully old or fully new.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import apsw
import numpy as np
import sqlite_vec

from civicllm.errors import ConfigError
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
    pack_bits,
    passages_from_rows,
)
from civicllm.retrieval.metadata import effective_from
from civicllm.retrieval.passage import Passage
from civicllm.retrieval.sqlite_schema import CENTER_SENTENCES, SCHEMA, SCHEMA_VERSION
from civicllm.retrieval.terms import extract_terms
from civicllm.surrogates import replace_surrogates

CANDIDATE_BUDGET = 10_000_000
MAX_CANDIDATES = 400
PRUNE_FROM_CHUNKS = 20_000
MAX_DOC_SHARE = 0.1
MAX_TERMS_AT_SCALE = 8
TOKENIZER = ("porter", ["unicode61", "remove_diacritics", "2"])


class SqliteIndex:
    """The embedded index in one SQLite file.

    Example::

        index = open_index(Path("civicllm.db"))
        ingest_paths([Path("sources")], "student-aid", index)
        for passage in index.search("¿Quién es estudiante dependiente?", pack="student-aid"):
            print(passage.document, passage.section)
        index.close()
    """

    def __init__(self, path: Path, embedder: Embedder | None = None) -> None:
        self.path = path
        self._embedder = embedder
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = apsw.Connection(str(path))
        except apsw.Error as exc:
            raise ConfigError(f"Cannot open the index at {path}: {exc}.") from exc
        self._db.set_busy_timeout(10_000)
        self._db.enable_load_extension(True)
        self._db.load_extension(sqlite_vec.loadable_path())
        self._db.enable_load_extension(False)
        try:
            self._db.execute("pragma journal_mode=wal")
            self._db.execute("pragma synchronous=normal")
            with self._db:
                self._db.execute(SCHEMA)
                self._init_meta()
        except apsw.Error as exc:
            raise ConfigError(
                f"{path} is not a civicllm index ({exc}); choose another file or delete it."
            ) from exc
        self._center: Vector | None = self._load_center()
        self._db.execute(
            "create virtual table if not exists temp.chunk_vocab"
            " using fts5vocab(main, chunk_fts, row)"
        )
        self._tokenizer = self._db.fts5_tokenizer(*TOKENIZER)
        self._pool: ThreadPoolExecutor | None = None

    @property
    def embedder(self) -> Embedder:
        """The embedder of this index, created on first use."""
        if self._embedder is None:
            self._embedder = Embedder()
        return self._embedder

    def _init_meta(self) -> None:
        meta = {str(k): str(v) for k, v in self._db.execute("select key, value from meta")}
        dim = str(self._embedder.dim if self._embedder else Embedder.dim)
        model = self._embedder.model_id if self._embedder else Embedder.model_id
        if not meta:
            self._db.executemany(
                "insert into meta(key, value) values(?, ?)",
                [("schema_version", SCHEMA_VERSION), ("dim", dim), ("model", model)],
            )
            self._db.execute(
                f"create virtual table if not exists chunk_vec using vec0("
                f"code bit[{dim}], pack text partition key, language text, document text,"
                f" effective_from text)"
            )
            self._db.execute(
                "insert into chunk_fts(chunk_fts, rank) values('rank', 'bm25(3.0, 2.0, 1.0)')"
            )
            return
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise ConfigError(
                f"The index at {self.path} has schema {meta.get('schema_version')}; "
                f"this civicllm needs {SCHEMA_VERSION}. Delete it and ingest again."
            )
        if meta.get("dim") != dim or meta.get("model") != model:
            raise ConfigError(
                f"The index at {self.path} was built with {meta.get('model')} "
                f"({meta.get('dim')} dimensions), not {model}; delete it and ingest again."
            )

    def _load_center(self) -> Vector | None:
        row = self._db.execute("select value from meta where key = 'center'").fetchone()
        if row is None:
            return None
        return np.frombuffer(bytes.fromhex(str(row[0])), dtype=np.float32)

    def _ensure_center(self) -> Vector:
        if self._center is None:
            center = self.embedder.embed_passages(list(CENTER_SENTENCES)).mean(axis=0)
            center = center.astype(np.float32)
            with self._db:
                self._db.execute(
                    "insert or replace into meta(key, value) values('center', ?)",
                    (center.tobytes().hex(),),
                )
            self._center = center
        return self._center

    def embed(self, texts: Sequence[str], *, query: bool = False) -> Vector:
        """Return embeddings of ``texts`` (as questions when ``query``), shape (n, dim)."""
        if query:
            return self.embedder.embed_queries(texts)
        return self.embedder.embed_passages(texts)

    def document_hashes(self, pack: str) -> dict[str, str]:
        """Return the content hash of every file ingested into ``pack``, by path."""
        rows = self._db.execute(
            "select path, content_hash from documents where pack = ?", (pack,)
        ).fetchall()
        return {str(path): str(digest) for path, digest in rows}

    def known_vectors(self, embed_hashes: Sequence[str]) -> dict[str, Vector]:
        """Return stored vectors for the given embedding-input hashes, to skip re-embedding."""
        found: dict[str, Vector] = {}
        unique = list(dict.fromkeys(embed_hashes))
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            marks = ",".join("?" * len(batch))
            for digest, blob in self._db.execute(
                f"select embed_hash, vector from chunks where embed_hash in ({marks})", batch
            ):
                found[str(digest)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def replace_document(self, record: DocumentRecord, chunks: Sequence[ChunkRecord]) -> None:
        """Store a file's passages in place of its old ones, in one transaction."""
        center = self._ensure_center() if chunks else np.zeros(1, dtype=np.float32)
        start = effective_from(record.effective_date)
        with self._db:
            self._delete_document(record.pack, record.path)
            self._db.execute(
                "insert into documents(pack, path, document, title, language, source_url,"
                " effective_date, effective_from, content_hash, ingested_at)"
                " values(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    time.time(),
                ),
            )
            document_id = self._db.last_insert_rowid()
            if not chunks:
                return
            vectors = np.stack([chunk.vector for chunk in chunks]).astype(np.float32)
            codes = pack_bits(vectors, center)
            for ord_, (chunk, code) in enumerate(zip(chunks, codes, strict=True)):
                self._db.execute(
                    "insert into chunks(document_id, ord, section, page, text, embed_hash,"
                    " vector) values(?, ?, ?, ?, ?, ?, ?)",
                    (
                        document_id,
                        ord_,
                        chunk.section,
                        chunk.page,
                        chunk.text,
                        chunk.embed_hash,
                        vectors[ord_].tobytes(),
                    ),
                )
                chunk_id = self._db.last_insert_rowid()
                self._db.execute(
                    "insert into chunk_fts(rowid, title, section, text, pack, language,"
                    " document, effective_from) values(?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        chunk_id,
                        record.title,
                        chunk.section,
                        chunk.text,
                        record.pack,
                        record.language,
                        record.document,
                        start,
                    ),
                )
                self._db.execute(
                    "insert into chunk_vec(rowid, code, pack, language, document,"
                    " effective_from) values(?, vec_bit(?), ?, ?, ?, ?)",
                    (chunk_id, code, record.pack, record.language, record.document, start),
                )

    def remove_document(self, pack: str, path: str) -> None:
        """Drop a file and its passages from ``pack``, in one transaction."""
        with self._db:
            self._delete_document(pack, path)

    def _delete_document(self, pack: str, path: str) -> None:
        row = self._db.execute(
            "select id from documents where pack = ? and path = ?", (pack, path)
        ).fetchone()
        if row is None:
            return
        ids = [r[0] for r in self._db.execute("select id from chunks where document_id = ?", row)]
        for chunk_id in ids:
            self._db.execute("delete from chunk_fts where rowid = ?", (chunk_id,))
            self._db.execute("delete from chunk_vec where rowid = ?", (chunk_id,))
        self._db.execute("delete from chunks where document_id = ?", row)
        self._db.execute("delete from documents where id = ?", row)

    def list_documents(self, pack: str | None = None) -> list[dict[str, object]]:
        """Return the ingested documents (of ``pack``) with their metadata and chunk count."""
        sql = (
            "select d.pack, d.document, d.title, d.language, d.source_url, d.effective_date,"
            " d.path, (select count(*) from chunks c where c.document_id = d.id)"
            " from documents d where (? is null or d.pack = ?) order by d.pack, d.document"
        )
        keys = ("pack", "document", "title", "language", "source_url", "effective_date")
        out: list[dict[str, object]] = []
        for row in self._db.execute(sql, (pack, pack)):
            item: dict[str, object] = dict(zip(keys, row[:6], strict=True))
            item["path"], item["chunks"] = row[6], row[7]
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
        query = replace_surrogates(query)  # SQLite and the embedder take UTF-8 only
        depth = max(50, 10 * k)
        if mode == "bm25":
            return self._hydrate(self._search_bm25(query, where, k))
        if mode == "vector":
            return self._hydrate(self._search_vector(self._embed_query(query), where, k))
        # Embed the question on another thread while SQLite runs the full-text query: both
        # release the GIL, and embedding is the larger share of a search.
        pending = self._executor().submit(self._embed_query, query)
        lexical = [item for item, _ in self._search_bm25(query, where, depth)]
        dense = [item for item, _ in self._search_vector(pending.result(), where, depth)]
        return self._hydrate(fuse_ranks([(DENSE_WEIGHT, dense), (LEXICAL_WEIGHT, lexical)], k=k))

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="civicllm-embed")
        return self._pool

    def _embed_query(self, query: str) -> Vector | None:
        if self._center is None:  # nothing with vectors has been stored yet
            return None
        return self.embedder.embed_query(query)

    def _chunk_count(self) -> int:
        """Return about how many passages the index holds (the largest id: O(log n))."""
        top = self._db.execute("select max(id) from chunks").fetchone()
        return int(top[0]) if top is not None and top[0] is not None else 0

    def _match_terms(self, query: str) -> list[str]:
        """Return the query's words to search for, leaving out near-universal ones at scale.

        A word found in a tenth of a large corpus adds almost nothing to BM25 (its IDF is
        near zero) but costs a scan of a tenth of the postings; past ``PRUNE_FROM_CHUNKS``
        passages such words are dropped and the rarest ``MAX_TERMS_AT_SCALE`` kept.
        """
        terms = extract_terms(query)
        chunks = self._chunk_count()
        if chunks < PRUNE_FROM_CHUNKS or not terms:
            return terms
        rated: list[tuple[int, str]] = []
        for term in terms:
            tokens = list(self._tokenizer(term.encode(), apsw.FTS5_TOKENIZE_QUERY, None))
            first = tokens[0] if tokens else None
            if not isinstance(first, tuple) or len(first) < 3:
                continue
            row = self._db.execute(
                "select doc from temp.chunk_vocab where term = ?", (str(first[2]),)
            ).fetchone()
            frequency = int(row[0]) if row is not None else 0
            if 0 < frequency <= MAX_DOC_SHARE * chunks:
                rated.append((frequency, term))
        return [term for _, term in sorted(rated)[:MAX_TERMS_AT_SCALE]]

    def _search_bm25(self, query: str, where: SearchFilter, limit: int) -> list[tuple[int, float]]:
        terms = self._match_terms(query)
        if not terms:
            return []
        match = " OR ".join('"' + term.replace('"', "") + '"' for term in terms)
        sql = "select rowid, rank from chunk_fts where chunk_fts match ?"
        args: list[Any] = [match]
        sql, args = _add_filters(sql, args, where)
        sql += " order by rank limit ?"
        args.append(limit)
        return [(int(r), -float(s)) for r, s in self._db.execute(sql, args)]

    def _search_vector(
        self, vector: Vector | None, where: SearchFilter, limit: int
    ) -> list[tuple[int, float]]:
        if vector is None or self._center is None:
            return []
        code = pack_bits(vector[None, :], self._center)[0]
        sql = "select rowid from chunk_vec where code match vec_bit(?) and k = ?"
        # vec0's top-k selection costs about (passages x k): re-score up to 400 candidates
        # in a small index, and fewer as it grows (100 at 100k passages, about 10 ms).
        budget = CANDIDATE_BUDGET // max(1, self._chunk_count())
        args: list[Any] = [code, max(2 * limit, min(MAX_CANDIDATES, budget))]
        sql, args = _add_filters(sql, args, where)
        candidates = [int(r[0]) for r in self._db.execute(sql, args)]
        if not candidates:
            return []
        marks = ",".join("?" * len(candidates))
        rows = self._db.execute(
            f"select id, vector from chunks where id in ({marks})", candidates
        ).fetchall()
        ids = np.array([r[0] for r in rows])
        matrix = np.frombuffer(b"".join(cast(bytes, r[1]) for r in rows), dtype=np.float32)
        scores = matrix.reshape(len(rows), -1) @ vector
        order = np.argsort(-scores, kind="stable")[:limit]
        return [(int(ids[i]), float(scores[i])) for i in order]

    def _hydrate(self, ranked: Sequence[tuple[int, float]]) -> list[Passage]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = {
            int(r[0]): r
            for r in self._db.execute(
                "select c.id, c.ord, c.section, c.page, c.text, d.pack, d.document, d.title,"
                " d.language, d.source_url, d.effective_date from chunks c"
                f" join documents d on d.id = c.document_id where c.id in ({marks})",
                [item for item, _ in ranked],
            )
        }
        return passages_from_rows(ranked, rows)

    def close(self) -> None:
        """Release the connection."""
        if self._pool is not None:
            self._pool.shutdown()
        self._db.close()


def _add_filters(sql: str, args: list[Any], where: SearchFilter) -> tuple[str, list[Any]]:
    """Append the filter conditions shared by the FTS5 and vec0 tables."""
    for column, value in (
        ("pack", where.pack),
        ("language", where.language),
        ("document", where.document),
    ):
        if value is not None:
            sql += f" and {column} = ?"
            args.append(value)
    if where.effective_on is not None:
        # An unknown effective date ('') sorts first, so it never filters a document out.
        sql += " and effective_from <= ?"
        args.append(where.effective_on)
    return sql, args
