"""Ingest documents, index them, and find the passages that answer a question."""

from __future__ import annotations

from civicllm.retrieval.passage import Passage

__all__ = ["Passage"]
