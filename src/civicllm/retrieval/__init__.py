"""Ingest documents, index them, and find the passages that answer a question.

    from civicllm.retrieval import open_index, ingest_paths

    index = open_index(Path("~/.civicllm/index.db").expanduser())
    report = ingest_paths([Path("sources")], "student-aid", index, progress=True)
    passages = index.search("¿Quién es estudiante independiente?", pack="student-aid", k=5)

The embedded index is one SQLite file (FTS5 BM25 + sqlite-vec vectors, fused by reciprocal
rank); ``PostgresIndex`` is the scale-out backend behind the same ``Index`` interface.
"""

from __future__ import annotations

from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.index import Index, SearchMode, open_index
from civicllm.retrieval.ingest import IngestReport, ingest_paths
from civicllm.retrieval.passage import Passage
from civicllm.retrieval.postgres import PostgresIndex, open_postgres_index
from civicllm.retrieval.quality import evaluate_retrieval, load_questions

__all__ = [
    "Embedder",
    "Index",
    "IngestReport",
    "Passage",
    "PostgresIndex",
    "SearchMode",
    "evaluate_retrieval",
    "ingest_paths",
    "load_questions",
    "open_index",
    "open_postgres_index",
]
