"""Score a data answer's numbers exactly against an eval item's ``expect``.

An answer is right when every expected number appears in its text, no other number in it
contradicts the data, and the question's special case holds (the missing value said to be
missing, the definition cited, the out-of-scope request redirected). The eval file says which
rule each expected number follows; the rules:

- ``percent``: a share, to one decimal ("76.2"); more decimals are right if they round the raw
  value correctly ("76.23"); a whole number only when the value is whole to one decimal
  ("100" for 100.0). Half-up and round-half-even readings of a tie are both right.
- ``points``: a difference of shares (a change, a gap), as ``percent`` but sign ignored, since
  the words carry the direction ("rose by 61.0 points"); ``accept`` lists other right values
  (the difference of the rounded shares).
- ``people``: a head count, written whole (within 1 of the raw value, for float rounding), or
  with a scale word and at least 3 significant figures that round the raw value correctly
  ("88.4 million", "88,4 millones", "88,4 millions", "88,4 Millionen", "88.42 Mio.").
- ``count`` and ``year``: the whole number, exactly.

Numbers are read in the four languages' formats: "76.2" and "76,2"; "1,234,567",
"1.234.567" and "1 234 567" (space, no-break, narrow no-break or thin space); "1,234.5" and
"1.234,5". A lone separator before exactly three digits ("1,234") is ambiguous: both
readings are kept, the answer language's first, and the number is right if either is. Not
numbers: URLs, ISO dates, citation markers ("[1]"), list markers (also inline, "; 2. Chad":
a whole number of one or two digits with a full stop before a word, so "was 12. Then" loses
its 12 too), licence names ("CC BY 4.0"),
dotted codes ("SDG 6.1.1", "EG.ELC.ACCS.ZS"), and years (whole numbers 1900-2100 without
separators, which an answer may name freely). A number from the question itself ("top 3")
contradicts nothing.

A number contradicts the answer when it matches no expected number and no ``allowed`` value
(true values of the same data an answer may also state, in any correct rounding). What this
trades away: a true value of the wrong year or place that happens to be in ``allowed`` is not
caught; a sign error in a change is not caught (``points`` ignores the sign).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from civicllm.language import fold

__all__ = [
    "NumberReading",
    "NumericVerdict",
    "WrittenNumber",
    "parse_numbers",
    "score_answer",
]

SPACES = " \u00a0\u202f\u2009"
_NUMBER = re.compile(
    r"(?<![\w.,\u2212+-])(?P<sign>[+\u2212-]?)"
    r"(?P<int>\d{1,3}(?P<sep>[,.\u0020\u00a0\u202f\u2009])\d{3}(?:(?P=sep)\d{3})*|\d+)"
    r"(?:(?P<dec>[.,])(?P<frac>\d+))?"
    r"(?![\w]|[.,]\d)"
    r"(?P<scale>\s*(?:mil\s+millones|millones|millón|millon|millions?|millionen|mio\.?"
    r"|billions?|milliards?|milliarden?|mrd\.?)(?![\w]))?",
    re.IGNORECASE,
)
_NOT_NUMBERS = [
    re.compile(r"https?://\S+|www\.\S+"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\[\d+(?:\s*[,\u2013-]\s*\d+)*\]"),
    re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE),
    # An inline list marker ("...; 2. Burundi (11.6%)"): an ordinal before a word.
    re.compile(r"(?<![\w.,])\d{1,2}\.(?=\s+[^\W\d_])"),
    re.compile(r"\bCC[ -]BY(?:[ -]SA)?[ -]\d(?:\.\d)?", re.IGNORECASE),
    re.compile(r"\b[A-Z][A-Z0-9]{1,}(?:\.[A-Z0-9]{2,})+\b"),
]
# Dotted section numbers ("SDG 6.1.1"), unless they are thousands groups ("1.234.567").
_DOTTED = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w.])")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_BILLIONS = ("mil ", "billion", "milliard", "mrd")

# Said when the data have no value (folded: lower case, no accents).
NO_VALUE_PHRASES = {
    "en": (
        "no value",
        "no data",
        "not available",
        "no figure",
        "does not have",
        "doesn't have",
        "do not have",
        "don't have",
        "not cover",
        "no record",
        "has none",
        "have none",
        "not in the",
        "no such",
    ),
    "es": (
        "no hay",
        "sin dato",
        "no tiene",
        "no dispon",
        "no figura",
        "no cubre",
        "no incluye",
        "no existe",
        "ningun dato",
        "no contiene",
        "no cuenta",
    ),
    "fr": (
        "pas de valeur",
        "aucun",
        "pas de donnee",
        "ne contient pas",
        "pas disponible",
        "n'a pas",
        "n'ont pas",
        "ne couvre pas",
        "ne figure pas",
        "pas de chiffre",
    ),
    "de": (
        "keine",
        "nicht verfugbar",
        "liegt nicht vor",
        "liegen nicht vor",
        "enthalt nicht",
        "nicht enthalten",
        "nicht erfasst",
        "nicht abgedeckt",
        "gibt es nicht",
    ),
}
# Said when an aggregate rests on few of its members.
COVERAGE_PHRASES = {
    "en": ("coverage", "only", "few"),
    "es": ("cobertura", "solo", "pocos", "unicamente"),
    "fr": ("couverture", "seulement", "seul", "peu de", "uniquement"),
    "de": ("abdeckung", "nur", "wenige"),
}


@dataclass(frozen=True)
class NumberReading:
    """One way to read a written number: its value, decimals and significant figures."""

    value: Decimal
    decimals: int
    significant: int
    scaled: bool
    grouped: bool


@dataclass(frozen=True)
class WrittenNumber:
    """A number as written in an answer, with its readings (two when ambiguous)."""

    text: str
    readings: tuple[NumberReading, ...]


@dataclass(frozen=True)
class NumericVerdict:
    """How one answer fared: what was missing, what contradicted, what else went wrong."""

    missing: tuple[str, ...]
    contradicting: tuple[str, ...]
    problems: tuple[str, ...]
    traced: bool | None = None

    @property
    def correct(self) -> bool:
        """Every expected number present, nothing contradicting, no other problem."""
        return not (self.missing or self.contradicting or self.problems)


def parse_numbers(text: str, language: str = "en") -> list[WrittenNumber]:
    """Return the numbers written in ``text``, read in ``language``'s formats first.

    Example::

        >>> [n.readings[0].value for n in parse_numbers("76,2 % et 1 234 567 personnes", "fr")]
        [Decimal('76.2'), Decimal('1234567')]
    """
    for pattern in _NOT_NUMBERS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    text = _DOTTED.sub(
        lambda m: m.group(0) if _THOUSANDS.fullmatch(m.group(0)) else " " * len(m.group(0)), text
    )
    found: list[WrittenNumber] = []
    for match in _NUMBER.finditer(text):
        readings = _readings(match, language)
        if readings:
            found.append(WrittenNumber(match.group(0).strip(), readings))
    return found


def _readings(match: re.Match[str], language: str) -> tuple[NumberReading, ...]:
    sign = -1 if match.group("sign") in ("-", "\u2212") else 1
    whole, sep = match.group("int"), match.group("sep")
    dec, frac = match.group("dec"), match.group("frac") or ""
    scale_word = fold(match.group("scale") or "").strip()
    exponent = 0
    if scale_word:
        exponent = 9 if scale_word.startswith(_BILLIONS) else 6
    options: list[tuple[str, str]] = []  # (integer digits, fraction digits)
    if sep is None:
        options.append((whole, frac))
    elif sep in SPACES:
        options.append((whole.replace(sep, ""), frac))
    elif dec is not None:
        if dec == sep:
            return ()
        options.append((whole.replace(sep, ""), frac))
    elif whole.count(sep) > 1:
        options.append((whole.replace(sep, ""), ""))
    else:
        # "1,234" or "1.234": thousands or a decimal; the answer language's habit first.
        head, tail = whole.split(sep)
        thousands, decimal = (whole.replace(sep, ""), ""), (head, tail)
        comma_groups = base(language) == "en"
        first_thousands = (sep == ",") == comma_groups
        options.extend([thousands, decimal] if first_thousands else [decimal, thousands])
    readings = []
    for digits, fraction in options:
        value = Decimal(f"{digits}.{fraction}" if fraction else digits) * sign
        written = (digits + fraction).lstrip("0") or "0"
        readings.append(
            NumberReading(
                value=value.scaleb(exponent) if exponent else value,
                decimals=len(fraction),
                significant=len(written),
                scaled=bool(exponent),
                grouped=sep is not None and digits == whole.replace(sep, ""),
            )
        )
    return tuple(readings)


def base(language: str) -> str:
    """Return the two-letter language of ``language`` ("es-MX" -> "es")."""
    return language.split("-")[0].split("_")[0].lower() or "en"


# ----------------------------------------------------------------------------- matching


def _rounded(raw: float, decimals: int) -> set[Decimal]:
    """Return ``raw`` rounded to ``decimals`` both ways a tie may be broken."""
    exact = Decimal(repr(float(raw)))
    quantum = Decimal(1).scaleb(-decimals)
    return {
        exact.quantize(quantum, rounding=ROUND_HALF_UP),
        exact.quantize(quantum, rounding=ROUND_HALF_EVEN),
        Decimal(repr(round(float(raw), decimals))).quantize(quantum),
    }


def _significant(raw: float, figures: int) -> set[Decimal]:
    """Return ``raw`` rounded to ``figures`` significant figures, both tie rules."""
    exact = Decimal(repr(float(raw)))
    if exact == 0:
        return {Decimal(0)}
    shift = exact.adjusted() - figures + 1
    quantum = Decimal(1).scaleb(shift)
    return {
        exact.quantize(quantum, rounding=ROUND_HALF_UP),
        exact.quantize(quantum, rounding=ROUND_HALF_EVEN),
    }


def _share_matches(reading: NumberReading, raw: float) -> bool:
    """A share or difference shown to one decimal (or more, rounded right)."""
    if reading.scaled:
        return False
    value = abs(reading.value)
    if value in {abs(v) for v in _rounded(raw, 1)}:
        return True
    return reading.decimals >= 1 and value in {abs(v) for v in _rounded(raw, reading.decimals)}


def _people_matches(reading: NumberReading, raw: float) -> bool:
    """A head count: whole (within 1), or scaled with at least 3 significant figures."""
    if reading.scaled:
        return reading.significant >= 3 and abs(reading.value) in _significant(
            abs(raw), reading.significant
        )
    return reading.decimals == 0 and abs(abs(reading.value) - Decimal(repr(abs(raw)))) <= 1


def matches_expected(reading: NumberReading, entry: Mapping[str, Any]) -> bool:
    """Return True when ``reading`` states the expected number ``entry`` under its rule."""
    rule, raw = entry["rule"], float(entry["raw"])
    if rule == "percent":
        return _share_matches(reading, raw)
    if rule == "points":
        return _share_matches(reading, raw) or any(
            _share_matches(reading, float(a)) for a in entry.get("accept", [])
        )
    if rule == "people":
        return _people_matches(reading, raw)
    # count, year
    return not reading.scaled and reading.decimals == 0 and abs(reading.value) == Decimal(int(raw))


def matches_allowed(reading: NumberReading, raw: float) -> bool:
    """Return True when ``reading`` is ``raw`` in some correct rounding."""
    value = abs(reading.value)
    if reading.scaled:
        return reading.significant >= 2 and value in _significant(abs(raw), reading.significant)
    if value in {abs(v) for v in _rounded(raw, reading.decimals)}:
        return True
    # A large whole number (a population) written whole, within float rounding.
    return reading.decimals == 0 and abs(raw) >= 1000 and abs(value - Decimal(repr(abs(raw)))) <= 1


def _is_year(reading: NumberReading) -> bool:
    return (
        not reading.scaled
        and not reading.grouped
        and reading.decimals == 0
        and Decimal(1900) <= reading.value <= Decimal(2100)
    )


# ----------------------------------------------------------------------------- scoring


def score_answer(
    item: Mapping[str, Any], text: str, extension: Mapping[str, Any] | None = None
) -> NumericVerdict:
    """Score one answer (its text and its ``civicllm`` extension) against ``item``."""
    expect: Mapping[str, Any] = item.get("expect", {})
    extension = extension or {}
    language = base(str(item.get("language", "en")))
    folded = fold(text)
    problems: list[str] = []
    if "policy" in expect:
        action = extension.get("policy_action")
        if action not in expect["policy"]:
            problems.append(f"policy action {action!r}, expected one of {list(expect['policy'])}")
        return NumericVerdict((), (), tuple(problems))
    if "cite" in expect:
        return _score_definition(expect, folded, extension)

    asked = {
        r.value for n in parse_numbers(str(item.get("question", "")), language) for r in n.readings
    }
    numbers = [
        n
        for n in parse_numbers(text, language)
        if not any(_is_year(r) or r.value in asked for r in n.readings)
    ]
    if expect.get("no_value"):
        if not _says_no_value(folded, language, extension):
            problems.append("does not say the data have no value")
        problems.extend(_data_for_missing(item, extension))
        return NumericVerdict((), tuple(n.text for n in numbers), tuple(problems))

    expected: Sequence[Mapping[str, Any]] = expect.get("numbers", [])
    allowed = [float(v) for v in expect.get("allowed", [])]
    missing = [
        str(entry["what"])
        for entry in expected
        if not any(
            matches_expected(r, entry)
            for n in [*numbers, *_years(text, language)]
            for r in n.readings
        )
    ]
    contradicting = [
        n.text
        for n in numbers
        if not any(
            any(matches_expected(r, entry) for entry in expected)
            or any(matches_allowed(r, v) for v in allowed)
            for r in n.readings
        )
    ]
    if expect.get("coverage_note") and not any(
        phrase in folded for phrase in COVERAGE_PHRASES.get(language, COVERAGE_PHRASES["en"])
    ):
        problems.append("does not say the aggregate rests on few countries")
    return NumericVerdict(
        tuple(missing), tuple(contradicting), tuple(problems), _traced(expected, extension)
    )


def _years(text: str, language: str) -> list[WrittenNumber]:
    """Return the years written in ``text`` (a "latest" answer must name one)."""
    return [n for n in parse_numbers(text, language) if any(_is_year(r) for r in n.readings)]


def _score_definition(
    expect: Mapping[str, Any], folded: str, extension: Mapping[str, Any]
) -> NumericVerdict:
    problems = []
    cited = {Path(str(c.get("document", ""))).stem for c in extension.get("citations", [])}
    if expect["cite"] not in cited:
        problems.append(f"does not cite {expect['cite']} (cited: {sorted(cited)})")
    missing = [
        "/".join(group)
        for group in expect.get("keywords", [])
        if not any(fold(word) in folded for word in group)
    ]
    return NumericVerdict(tuple(missing), (), tuple(problems))


def _says_no_value(folded: str, language: str, extension: Mapping[str, Any]) -> bool:
    if extension.get("found") is False:
        return True
    phrases: Iterable[str] = NO_VALUE_PHRASES.get(language, NO_VALUE_PHRASES["en"])
    return any(phrase in folded for phrase in phrases)


def _data_for_missing(item: Mapping[str, Any], extension: Mapping[str, Any]) -> list[str]:
    """A ``civicllm.data`` entry for the missing place and year is a filled-in value."""
    places = set(item.get("places", []))
    years = set(item.get("years", []))
    return [
        f"civicllm.data has {entry.get('country_code')} {entry.get('year')}"
        for entry in extension.get("data", []) or []
        if entry.get("country_code") in places
        and (not years or entry.get("year") in years)
        and not entry.get("derived")
    ]


def _traced(expected: Sequence[Mapping[str, Any]], extension: Mapping[str, Any]) -> bool | None:
    """Return whether each expected value is an entry of ``civicllm.data`` (None: no data)."""
    data = extension.get("data")
    if not data:
        return None
    values = [float(e["value"]) for e in data if isinstance(e.get("value"), int | float)]
    for entry in expected:
        if entry["rule"] == "year":
            continue
        raw = abs(float(entry["raw"]))
        slack = 1.0 if entry["rule"] == "people" else 1e-6 * max(1.0, raw)
        shown = [abs(float(entry["value"])), *(abs(float(a)) for a in entry.get("accept", []))]
        if not any(abs(abs(v) - raw) <= slack or abs(v) in shown for v in values):
            return False
    return True
