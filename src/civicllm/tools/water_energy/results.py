"""The parts every water-energy result is built from: entries, missing, notes, names.

A result holds ``data`` (the spec's entries: values as the file gives them, and derived
figures, each with ``derived: {"formula", "inputs"}`` pointing at the entries it is computed
from), ``missing`` (what was asked and is not in the file, said and never filled),
``notes`` (coverage and release caveats, with their counts as members so an answer may
state them), ``chart`` (what to plot, or None), ``names`` (each place's name in en/es/fr/de,
so a view needs no snapshot) and ``sources`` (the publisher's page, licence, release).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from civicllm.data import IndicatorInfo, Observation, Place, Snapshot
from civicllm.tools.water_energy.access import group_members

__all__ = [
    "COVERAGE_SHARE",
    "LANGUAGES",
    "coverage_note",
    "derived_entry",
    "exact_difference",
    "missing_entry",
    "new_result",
    "place_json",
    "source_json",
]

LANGUAGES = ("en", "es", "fr", "de")
# An aggregate whose value comes from fewer than this share of its members is flagged.
COVERAGE_SHARE = 0.5


def place_json(place: Place) -> dict[str, Any]:
    """Return a place as a result member."""
    return {"code": place.code, "name": place.name, "kind": place.kind}


def source_json(info: IndicatorInfo) -> dict[str, Any]:
    """Return where an indicator comes from: publisher page, dataset, licence, release."""
    return {
        "title": f"{info.dataset}: {info.name}",
        "url": info.source_url,
        "dataset": info.dataset,
        "licence": info.licence,
        "release": info.release,
    }


def new_result(
    tool: str, snapshot: Snapshot, infos: Iterable[IndicatorInfo], places: Iterable[Place]
) -> dict[str, Any]:
    """Return an empty result with its sources and the names of its places."""
    return {
        "tool": tool,
        "data": [],
        "missing": [],
        "notes": [],
        "chart": None,
        "names": {
            p.code: {lang: snapshot.localized_name(p.code, lang) for lang in LANGUAGES}
            for p in places
        },
        "sources": [source_json(info) for info in infos],
    }


def add_names(result: dict[str, Any], snapshot: Snapshot, codes: Iterable[str]) -> None:
    """Add the localized names of more places to a result."""
    for code in codes:
        if code not in result["names"]:
            result["names"][code] = {
                lang: snapshot.localized_name(code, lang) for lang in LANGUAGES
            }


def exact_difference(a: float, b: float) -> float:
    """Return a - b computed on the decimal values the file gives (no binary noise)."""
    return float(Decimal(str(a)) - Decimal(str(b)))


def derived_entry(
    like: Observation,
    *,
    indicator: str,
    name: str,
    value: float | int,
    unit: str,
    formula: str,
    inputs: Sequence[int],
    year: int | None = None,
) -> dict[str, Any]:
    """Return a derived figure's entry: place and year of ``like``, its formula and inputs."""
    return {
        "country_code": like.place_code,
        "country": like.place_name,
        "indicator": indicator,
        "indicator_name": name,
        "year": like.year if year is None else year,
        "value": value,
        "unit": unit,
        "dataset": "civicllm (computed from the entries named in inputs)",
        "release": like.release,
        "source_url": "",
        "derived": {"formula": formula, "inputs": list(inputs)},
    }


def missing_entry(
    snapshot: Snapshot, indicator: str, place: Place, year: int | None, reason: str = ""
) -> dict[str, Any]:
    """Return what is missing and why: before or after the place's series, a gap, no data.

    ``reason`` is one of ``before_series_start``, ``after_series_end``,
    ``no_value_that_year``, ``place_not_covered``, ``population_missing``; ``first_year``
    and ``last_year`` are the place's own series bounds (None when it has no values).
    """
    years = [o.year for o in snapshot.series(indicator, place.code)]
    first, last = (min(years), max(years)) if years else (None, None)
    if not reason:
        if first is None or last is None:
            reason = "place_not_covered"
        elif year is not None and year < first:
            reason = "before_series_start"
        elif year is not None and year > last:
            reason = "after_series_end"
        else:
            reason = "no_value_that_year"
    info = snapshot.indicator(indicator)
    return {
        "place": place.code,
        "place_name": place.name,
        "indicator": indicator,
        "year": year,
        "reason": reason,
        "first_year": first,
        "last_year": last,
        "dataset": info.dataset,
    }


def coverage_note(
    snapshot: Snapshot, indicator: str, group: Place, year: int, value: float | None = None
) -> dict[str, Any] | None:
    """Return a coverage note when few members of a group have a value that year, else None.

    With ``value`` (the group's own figure), a member whose value equals it is named in
    ``equals``: the aggregate is then that country's figure alone.
    """
    members = group_members(snapshot, group)
    if not members:
        return None
    found = snapshot.values(indicator, year, [m.code for m in members])
    if len(found) >= COVERAGE_SHARE * len(members):
        return None
    equals = [
        code for code, obs in sorted(found.items()) if value is not None and obs.value == value
    ]
    text = (
        f"In {year}, only {len(found)} of the {len(members)} member countries of "
        f"{group.name} have a value ({', '.join(sorted(o.place_name for o in found.values()))})"
    )
    if equals:
        text += f"; the {group.name} figure equals {found[equals[0]].place_name}'s alone."
    else:
        text += f"; the {group.name} figure reflects them alone."
    return {
        "kind": "coverage",
        "place": group.code,
        "indicator": indicator,
        "year": year,
        "countries_with_value": len(found),
        "members": len(members),
        "countries": sorted(found),
        "equals": equals,
        "text": text,
    }
