"""Redact personal data before anything is stored.

Patterns favour recall over precision: a deadline date or an order number that looks like a
phone number may be masked too. That costs a little readability in the audit log and never
leaks a citizen's identifiers. Redaction here is for storage and logs; what an answer may
say is decided by ``civicllm.safety.output``, which uses these detectors.

Structured data (a tool's JSON input, a flow's state) is redacted structurally by
``redact_value``: it walks dicts and lists and never rewrites serialized JSON as text, so the
result is always valid JSON of the same shape. Strings are masked with the text patterns;
numbers, booleans and null stay as they are (an amount is not personal data, and masking a
run of digits inside a serialized number is what once broke records). A value under a key
that names a personal field (``ssn``, ``email``, ``date_of_birth``, ``name``, ``phone``,
``address``, account and card numbers, and ``parent_ssn``-style compounds) is replaced by its
placeholder whatever its type, because a number under ``ssn`` is an SSN, not an amount.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

__all__ = ["REDACTION_KINDS", "personal_field_kind", "redact_text", "redact_value"]


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

# Keys whose value is personal data whatever it holds: placeholder and kind, by key.
# ``EXACT_FIELDS`` match the whole key only ("name", not "tool_name"); ``FIELD_SUFFIXES``
# also match as the last part of a compound key ("parent_ssn", "student.date_of_birth").
EXACT_FIELDS = {
    "name": "name",
    "dob": "date_of_birth",
    "phone": "phone",
    "mobile": "phone",
    "address": "address",
    "street": "address",
    "surname": "name",
}
FIELD_SUFFIXES = {
    "ssn": "ssn",
    "itin": "ssn",
    "social_security_number": "ssn",
    "email": "email",
    "email_address": "email",
    "date_of_birth": "date_of_birth",
    "birth_date": "date_of_birth",
    "birthdate": "date_of_birth",
    "phone_number": "phone",
    "telephone": "phone",
    "first_name": "name",
    "last_name": "name",
    "middle_name": "name",
    "full_name": "name",
    "given_name": "name",
    "family_name": "name",
    "street_address": "address",
    "home_address": "address",
    "mailing_address": "address",
    "account_number": "card_or_account",
    "bank_account": "card_or_account",
    "card_number": "card_or_account",
    "routing_number": "card_or_account",
}
PLACEHOLDERS = {
    "ssn": "[SSN]",
    "email": "[EMAIL]",
    "date_of_birth": "[DATE]",
    "phone": "[PHONE]",
    "name": "[NAME]",
    "address": "[ADDRESS]",
    "card_or_account": "[ACCOUNT]",
}

REDACTION_KINDS = sorted({kind for kind, _, _ in PATTERNS} | set(PLACEHOLDERS))


# A URL's scheme, host and path name a document (".../2023-2024/application-guide"), so
# only e-mail addresses and dashed SSNs are masked there; its query string and fragment,
# where a form puts what a person typed, are masked like any text.
_URL = re.compile(r"https?://[^\s<>\"'()\[\]?#]+")
_IN_URL_PATH = [entry for entry in PATTERNS if entry[0] in ("email", "ssn")]


def _apply(
    patterns: list[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]]],
    text: str,
    found: list[str],
) -> str:
    for kind, pattern, replacement in patterns:
        text, count = pattern.subn(replacement, text)
        if count and kind not in found:
            found.append(kind)
    return text


def redact_text(text: str) -> tuple[str, list[str]]:
    """Return the text with personal data masked, and the kinds of data found."""
    found: list[str] = []
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(_apply(PATTERNS, text[last : match.start()], found))
        parts.append(_apply(_IN_URL_PATH, match.group(0), found))
        last = match.end()
    parts.append(_apply(PATTERNS, text[last:], found))
    return "".join(parts), found


def personal_field_kind(key: str) -> str | None:
    """Return the kind of personal data a key names ("ssn", "email", ...), or None."""
    last = key.rsplit(".", 1)[-1].strip().lower().replace("-", "_").replace(" ", "_")
    if last in EXACT_FIELDS:
        return EXACT_FIELDS[last]
    for suffix, kind in FIELD_SUFFIXES.items():
        if last == suffix or last.endswith("_" + suffix):
            return kind
    return None


def redact_value(value: Any) -> tuple[Any, list[str]]:
    """Return a JSON-ready copy of ``value`` with personal data masked, and the kinds found.

    Dicts and lists keep their shape; strings are masked with the text patterns; numbers,
    booleans and null stay; values under personal keys become placeholders. Decimals become
    numbers and non-finite floats strings, so the result always serializes as strict JSON.
    """
    found: list[str] = []
    return _walk(value, found, depth=0), sorted(set(found))


MAX_DEPTH = 200  # deeper than any real input; beyond it the rest is dropped, not recursed


def _walk(value: Any, found: list[str], depth: int) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if depth >= MAX_DEPTH:
        return "[TRUNCATED]"
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for raw_key, item in value.items():
            key, kinds = redact_text(str(raw_key))
            found += kinds
            kind = personal_field_kind(str(raw_key))
            if kind is not None and item is not None:
                found.append(kind)
                masked: Any = PLACEHOLDERS[kind]
            else:
                masked = _walk(item, found, depth + 1)
            while key in out:  # two keys masked alike: keep both values
                key += "'"
            out[key] = masked
        return out
    if isinstance(value, list | tuple | set | frozenset):
        return [_walk(item, found, depth + 1) for item in value]
    text, kinds = redact_text(value if isinstance(value, str) else str(value))
    found += kinds
    return text
