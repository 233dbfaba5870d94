"""Read a question into a water-energy tool's input: deterministic, no model needed.

``read_question(question, language, resolve)`` finds the places (longest word n-grams the
resolver knows, or an alias of ``words.ALIASES``), the years and ranges, the indicator and
the category, and returns ``(tool_id, input)`` or None. Definition questions ("what does
safely managed mean?") return None: the pack's articles answer them.

What it trades away: patterns, not understanding. A question is read by its words (see
``words``), so an unusual wording goes unrouted (the answer then comes from the articles),
and two indicators in one question are read as the first of losses, safely managed water,
basic water, electricity, population. A three-letter word is read as an ISO3 code only
when written in capitals ("PER", not "per").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from civicllm.language import ALL_STOP_WORDS, fold
from civicllm.tools.water_energy import words
from civicllm.tools.water_energy.demonyms import DEMONYMS

__all__ = ["PlaceLike", "Question", "find_places", "find_years", "read_question"]

MAX_WORDS = 7  # the longest place name tried ("Middle East, North Africa, Afghanistan & ...")
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.\-]*\w)?")
_YEAR = r"(19[6-9]\d|20[0-9]\d)"
_RANGES = (
    re.compile(rf"\b(?:between|entre|zwischen)\s+{_YEAR}\s+(?:and|y|et|und)\s+{_YEAR}\b"),
    re.compile(
        rf"\b(?:from|de|desde|du|von)\s+{_YEAR}\s+(?:to|a|au|hasta|until|bis|jusqu'en)\s+{_YEAR}\b"
    ),
    re.compile(rf"\b{_YEAR}\s*[-–]\s*{_YEAR}\b"),
)
_SINCE = re.compile(rf"\b(?:since|desde|depuis|seit)\s+{_YEAR}\b")
_LIMIT = re.compile(
    r"\b(?:top|los|las|les|die|the)\s+(\d{1,2})\b"
    r"|\b(\d{1,2})\s+(?:highest|lowest|countr\w*|pais\w*|pays|land\w*|lander)"
)


class PlaceLike(Protocol):
    """What routing needs of a resolved place."""

    @property
    def code(self) -> str: ...

    @property
    def kind(self) -> str: ...


Resolver = Callable[[str], PlaceLike | None]


@dataclass(frozen=True)
class Question:
    """What a question names: places (in order), years, and the rest of its words."""

    places: tuple[tuple[str, PlaceLike], ...]  # (the words used, the place)
    rest: str  # folded, places blanked
    start: int | None
    end: int | None
    year: int | None


def _variants(text: str, language: str) -> list[str]:
    found = [text]
    stripped = re.sub(r"['’]s$", "", text)
    if stripped != text:
        found.append(stripped)
    elided = re.sub(r"^[lLdD]['’]", "", text)
    if elided != text:
        found.append(elided)
    if language == "de" and text.endswith("s") and " " not in text:
        found.append(text[:-1])  # genitive: "Kenias"
    dative = re.sub(r"\b([lL])(ä|ae|a)ndern\b", r"\1änder", text)
    if dative != text:
        found.append(dative)  # "in den Ländern mit hohem Einkommen"
    return found


def _lookup(text: str, language: str, resolve: Resolver) -> PlaceLike | None:
    for variant in _variants(text, language):
        key = fold(variant)
        alias = words.ALIASES.get(key) or DEMONYMS.get(key)
        place = resolve(alias) if alias else resolve(variant)
        if place is not None:
            return place
    return None


def find_places(question: str, language: str, resolve: Resolver) -> list[tuple[int, int, str, Any]]:
    """Return (start, end, words, place) for each place named, longest names first, in order."""
    tokens = list(_TOKEN.finditer(question))
    taken = [False] * len(tokens)
    found: list[tuple[int, int, str, Any]] = []
    for size in range(min(MAX_WORDS, len(tokens)), 0, -1):
        for i in range(len(tokens) - size + 1):
            if any(taken[i : i + size]):
                continue
            text = question[tokens[i].start() : tokens[i + size - 1].end()]
            if size == 1:
                word = tokens[i].group()
                if fold(word) in ALL_STOP_WORDS:
                    continue
                if len(word) <= 3 and not word.isupper():
                    continue  # "per", "can", "are" are words, not Peru, Canada, the Emirates
            place = _lookup(text, language, resolve)
            if place is None:
                continue
            found.append((tokens[i].start(), tokens[i + size - 1].end(), text, place))
            taken[i : i + size] = [True] * size
    found.sort(key=lambda item: item[0])
    # The same place named twice ("Kenya ... Kenya's") counts once.
    unique: list[tuple[int, int, str, Any]] = []
    for item in found:
        if all(item[3].code != other[3].code for other in unique):
            unique.append(item)
    return unique


def find_years(text: str) -> tuple[int | None, int | None, int | None]:
    """Return (start, end, year) read from folded text: a range, 'since', or one year."""
    for pattern in _RANGES:
        match = pattern.search(text)
        if match:
            a, b = sorted((int(match.group(1)), int(match.group(2))))
            return a, b, None
    since = _SINCE.search(text)
    if since:
        return int(since.group(1)), None, None
    years = sorted({int(y) for y in re.findall(rf"\b{_YEAR}\b", text)})
    if len(years) >= 2:
        return years[0], years[-1], None
    return None, None, (years[0] if years else None)


def parse_question(question: str, language: str, resolve: Resolver) -> Question:
    """Return the places, years and remaining words of a question."""
    places = find_places(question, language, resolve)
    masked = question
    for start, end, _, _ in reversed(places):
        masked = masked[:start] + " _ " + masked[end:]
    rest = " ".join(fold(masked).split())
    start, end, year = find_years(rest)
    return Question(tuple((text, place) for _, _, text, place in places), rest, start, end, year)


def _indicator(rest: str) -> str | None:
    for indicator, pattern in words.INDICATOR.items():
        if pattern.search(rest):
            return indicator
    return None


def _limit(rest: str) -> int | None:
    match = _LIMIT.search(rest)
    if match:
        return int(match.group(1) or match.group(2))
    for word, number in words.NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", rest):
            return number
    return None


def _with_year(base: dict[str, Any], q: Question) -> dict[str, Any]:
    year = q.year if q.year is not None else (q.end if q.end is not None else q.start)
    if year is not None:
        base["year"] = year
    return base


def read_question(
    question: str, language: str, resolve: Resolver
) -> tuple[str, Mapping[str, Any]] | None:
    """Return (tool id, input) for a question a water-energy tool answers, else None."""
    q = parse_question(question, language, resolve)
    # "at least basic", "most recent": words of a ranking that rank nothing.
    rest = words.SET_PHRASES.sub(" ", q.rest)
    has = {name: bool(pattern.search(rest)) for name, pattern in words.CATEGORY.items()}
    if has["definition"]:
        return None
    indicator = _indicator(rest)
    countries = [p for _, p in q.places if p.kind == "country"]
    groups = [p for _, p in q.places if p.kind != "country"]
    if has["resolve"] and indicator is None and q.places:
        return "water-energy/resolve", {"name": q.places[0][0]}
    urban, rural = bool(words.URBAN.search(rest)), bool(words.RURAL.search(rest))
    if urban and rural and indicator in (None, "electricity_access") and len(q.places) == 1:
        return "water-energy/urban-rural", _with_year({"place": q.places[0][1].code}, q)
    if indicator is None or (urban and rural):
        return None
    if indicator == "electricity_access" and (urban or rural):
        indicator = "electricity_access_urban" if urban else "electricity_access_rural"
    elif urban or rural:
        return None  # urban or rural water: not in this snapshot
    if has["without"]:
        if not has["lack"] or len(q.places) != 1:
            return None
        if indicator not in ("electricity_access", "water_basic", "water_safely_managed"):
            return None
        return "water-energy/without-access", _with_year(
            {"indicator": indicator, "place": q.places[0][1].code}, q
        )
    if has["rank"] and not countries:
        if not groups and words.REGION_WORDS.search(rest):
            return None  # a region the data does not know: not the World instead
        found: dict[str, Any] = {
            "indicator": indicator,
            "group": groups[0].code if groups else "WLD",
            "order": "lowest" if words.ORDER_LOWEST.search(rest) else "highest",
        }
        limit = _limit(rest)
        if limit is not None:
            found["limit"] = limit
        return "water-energy/rank", _with_year(found, q)
    if len(q.places) >= 2:
        codes = [p.code for _, p in q.places][:10]
        return "water-energy/compare", _with_year({"indicator": indicator, "places": codes}, q)
    if len(q.places) != 1:
        return None
    code = q.places[0][1].code
    if has["series"] or q.start is not None:
        found = {"indicator": indicator, "place": code}
        if q.start is not None:
            found["start"] = q.start
        if q.end is not None:
            found["end"] = q.end
        return "water-energy/series", found
    return "water-energy/value", _with_year({"indicator": indicator, "place": code}, q)
