"""Numbers as readers of each language write them.

Rounding rule (the README states it, the answer verifier accepts it): a percentage is
written with one decimal, rounded half-up on the decimal value the file gives ("76.25" is
76.3, "76" is 76.0); a count of people is a whole number, rounded half-up; a year is written
as it is. Thousands are grouped with "," in English, "." in Spanish and German and a narrow
no-break space in French; the decimal mark is "." in English and "," elsewhere.

Place names in the four languages come from the snapshot (``Snapshot.localized_name``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "format_people",
    "format_percent",
    "format_value",
    "round_people",
    "round_percent",
]

_GROUP = {"en": ",", "es": ".", "fr": "\u202f", "de": "."}
_DECIMAL = {"en": ".", "es": ",", "fr": ",", "de": ","}


def round_percent(value: float | int | Decimal) -> Decimal:
    """Return a percentage rounded half-up to one decimal (the rule every view uses)."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def round_people(value: float | int | Decimal) -> int:
    """Return a count of people rounded half-up to a whole number."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _localize(text: str, language: str) -> str:
    group, decimal = _GROUP.get(language, ","), _DECIMAL.get(language, ".")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def format_percent(value: float | int | Decimal, language: str) -> str:
    """Return a percentage's number with one decimal, e.g. '76.2' or '76,2' (no sign)."""
    return _localize(f"{abs(round_percent(value)):,}", language)


def format_people(value: float | int | Decimal, language: str) -> str:
    """Return a whole number of people with the language's thousands separator."""
    return _localize(f"{abs(round_people(value)):,}", language)


def format_value(value: float | int | Decimal, unit: str, language: str) -> str:
    """Return a value by its unit: people as a whole number, anything else as a percent."""
    if unit in ("people", "rank", "countries"):
        return format_people(value, language)
    return format_percent(value, language)
