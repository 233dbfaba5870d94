"""Lone UTF-16 surrogates: the one kind of Python text that cannot be written as UTF-8.

JSON may spell half of a surrogate pair (``"\\ud800"``), and ``json.loads`` turns it into a
Python string that fails the moment anything encodes it: the audit log, the embedding model,
SQLite, the response. A broken client (an emoji cut in half) sends these; the reader meant
some character, so each one becomes U+FFFD, the replacement character, at the edge where the
text comes in.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["REPLACEMENT", "replace_surrogates", "replace_surrogates_in"]

REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Return ``text`` with every lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub(REPLACEMENT, text)


def replace_surrogates_in(value: Any) -> Any:
    """Return a parsed JSON value with lone surrogates replaced in every string and key.

    Walks with an explicit stack, not recursion, so a document nested as deep as the JSON
    parser allowed is cleaned without a ``RecursionError``. Lists are cleaned in place.
    """
    root = [value]
    pending: list[tuple[Any, Any]] = [(root, 0)]
    while pending:
        container, key = pending.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = replace_surrogates(item)
        elif isinstance(item, list):
            pending.extend((item, index) for index in range(len(item)))
        elif isinstance(item, dict):
            cleaned = {
                (replace_surrogates(name) if isinstance(name, str) else name): member
                for name, member in item.items()
            }
            container[key] = cleaned
            pending.extend((cleaned, name) for name in cleaned)
    return root[0]
