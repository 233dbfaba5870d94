"""Words for full-text search: the content words of a query, folded as the index stores them."""

from __future__ import annotations

import re

from civicllm.language import ALL_STOP_WORDS, fold

__all__ = ["extract_terms"]

_WORD = re.compile(r"\w+", re.UNICODE)


def extract_terms(text: str, *, limit: int = 32) -> list[str]:
    """Return the distinct content words of ``text``, folded, in order, without stop words.

    Stop words match nearly every passage, so leaving them out of a full-text query costs
    no recall and keeps queries fast at scale.
    """
    seen: dict[str, None] = {}
    for match in _WORD.finditer(fold(text)):
        word = match.group()
        if word in ALL_STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word, None)
        if len(seen) >= limit:
            break
    return list(seen)
