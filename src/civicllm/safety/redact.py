"""Redact personal data before anything is stored.

Patterns favour recall over precision: a deadline date or an order number that looks like a
phone number may be masked too. That costs a little readability in the audit log and never
leaks a citizen's identifiers. Redaction is for storage; answers are never redacted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["REDACTION_KINDS", "redact_text"]


def passes_luhn(digits: str) -> bool:
    """Return True when a digit string passes the Luhn check used by card numbers."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_or_account(match: re.Match[str]) -> str:
    """Mask 13-19 digit card numbers (Luhn) and 8-17 digit bank account numbers."""
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and passes_luhn(digits):
        return "[CARD]"
    return "[ACCOUNT]"


MONTHS = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)"
    r"|(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
    r"|(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)"
)

# Order matters: the most specific patterns run first so their digits are not re-read.
PATTERNS: list[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[EMAIL]"),
    # SSN and ITIN: 3-2-4 digits with dashes, spaces or nothing, when labelled or dashed.
    ("ssn", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
    (
        "ssn",
        re.compile(r"(?i)\b(?:ssn|itin|social security(?: number)?|seguro social)\D{0,12}\d{9}\b"),
        "[SSN]",
    ),
    (
        "date_of_birth",
        re.compile(
            r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})\b"
            rf"|(?i:\b(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}\b|\b\d{{1,2}}\.?\s+(?:de\s+)?(?:{MONTHS})\s+(?:de\s+)?\d{{4}}\b)"
        ),
        "[DATE]",
    ),
    ("card_or_account", re.compile(r"\b\d(?:[ -]?\d){7,18}\b"), card_or_account),
    (
        "phone",
        re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b"),
        "[PHONE]",
    ),
]

REDACTION_KINDS = sorted({kind for kind, _, _ in PATTERNS})


def redact_text(text: str) -> tuple[str, list[str]]:
    """Return the text with personal data masked, and the kinds of data found."""
    found: list[str] = []
    for kind, pattern, replacement in PATTERNS:
        text, count = pattern.subn(replacement, text)
        if count and kind not in found:
            found.append(kind)
    return text, found
