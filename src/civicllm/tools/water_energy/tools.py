"""The water-energy tools' ``run`` functions: value, series, compare, rank, gap, people, resolve.

Each takes the JSON input, checks it (``InputError`` naming the field), reads the snapshot
and returns a result built from ``results``: only values the file gives, derived figures as
their own entries, what is missing said in ``missing``. When no year is asked, the latest
year with a value is used (and the view names it); for several values at once (a
comparison, a gap, a share and its population) the latest year they all have.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from civicllm.data import Observation, Place, Snapshot
from civicllm.tools.view import Chart, Series
from civicllm.tools.water_energy.access import (
    SHARE_INDICATORS,
    Checks,
    check_indicator,
    check_place,
    check_year,
    current_snapshot,
    group_members,
)
from civicllm.tools.water_energy.names import round_people
from civicllm.tools.water_energy.results import (
    add_names,
    coverage_note,
    derived_entry,
    exact_difference,
    missing_entry,
    new_result,
    place_json,
)

__all__ = [
    "run_compare",
    "run_resolve",
    "run_series",
    "run_urban_rural",
    "run_value",
    "run_without_access",
    "source_line",
    "start_result",
]


def source_line(snapshot: Snapshot, indicator: str) -> str:
    info = snapshot.indicator(indicator)
    return f"{info.dataset} ({info.release}), {info.licence}: {info.source_url}"


def _aggregate_notes(
    result: dict[str, Any], snap: Snapshot, indicator: str, place: Place, obs: Observation
) -> None:
    if place.kind == "country":
        return
    note = coverage_note(snap, indicator, place, obs.year, obs.value)
    if note is not None:
        result["notes"].append(note)
        add_names(result, snap, note["countries"])


def _indicator_notes(result: dict[str, Any], indicator: str) -> None:
    if indicator == "td_losses":
        result["notes"].append(
            {
                "kind": "indicator",
                "indicator": indicator,
                "text": "Transmission and distribution losses are the reliability measure in "
                "this data: they measure electricity lost on the grid, not power outages.",
            }
        )
    if indicator in ("electricity_access_urban", "electricity_access_rural"):
        result["notes"].append(
            {
                "kind": "release",
                "indicator": indicator,
                "text": "The urban and rural figures come from a DataBank export one release "
                "older than the total access file.",
            }
        )


def start_result(
    tool: str, snap: Snapshot, indicators: list[str], places: list[Place]
) -> dict[str, Any]:
    result = new_result(tool, snap, [snap.indicator(i) for i in indicators], places)
    for indicator in indicators:
        _indicator_notes(result, indicator)
    # Urban and rural share one release note.
    result["notes"] = list({note["text"]: note for note in result["notes"]}.values())
    return result


def run_value(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return one value: a place's indicator in a year, or in its latest year."""
    checks = Checks(request, ("indicator", "place"), ("year",))
    snap = current_snapshot()
    indicator = checks.run("indicator", check_indicator, request.get("indicator"))
    place = checks.run("place", check_place, snap, request.get("place"))
    year = checks.run("year", check_year, request.get("year"))
    checks.done()
    assert indicator is not None and place is not None  # done() raised otherwise
    result = start_result("water-energy/value", snap, [indicator], [place])
    result.update(indicator=indicator, place=place_json(place), year=year)
    obs = snap.value(indicator, place.code, year)
    if obs is None:
        result["missing"].append(missing_entry(snap, indicator, place, year))
        return result
    result["data"].append(obs.to_data())
    _aggregate_notes(result, snap, indicator, place, obs)
    return result


def run_series(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return a place's values between two years and the change from the first to the last."""
    checks = Checks(request, ("indicator", "place"), ("start", "end"))
    snap = current_snapshot()
    indicator = checks.run("indicator", check_indicator, request.get("indicator"))
    place = checks.run("place", check_place, snap, request.get("place"))
    start = checks.run("start", check_year, request.get("start"), "start")
    end = checks.run("end", check_year, request.get("end"), "end")
    if start is not None and end is not None and start > end:
        checks.add("start", "Field 'start' must not be after 'end'.")
    checks.done()
    assert indicator is not None and place is not None  # done() raised otherwise
    result = start_result("water-energy/series", snap, [indicator], [place])
    result.update(indicator=indicator, place=place_json(place), start=start, end=end)
    found = snap.series(indicator, place.code, start, end)
    for asked in (start, end):
        if asked is not None and all(o.year != asked for o in found):
            result["missing"].append(missing_entry(snap, indicator, place, asked))
    if not found:
        if not result["missing"]:
            result["missing"].append(missing_entry(snap, indicator, place, None))
        return result
    result["data"] = [o.to_data() for o in found]
    first, last = found[0], found[-1]
    result["change"] = None
    if len(found) >= 2:
        unit = "people" if indicator == "population" else "percentage points"
        result["change"] = len(result["data"])
        result["data"].append(
            derived_entry(
                last,
                indicator=f"change:{last.code}",
                name=f"Change in {last.indicator_name}, {first.year} to {last.year}",
                value=exact_difference(last.value, first.value),
                unit=unit,
                formula=f"value({last.year}) - value({first.year})",
                inputs=[0, len(found) - 1],
            )
        )
    _aggregate_notes(result, snap, indicator, place, last)
    by_year = {o.year: o.value for o in found}
    points = tuple((y, by_year.get(y)) for y in range(first.year, last.year + 1))
    result["chart"] = Chart(
        kind="line",
        title=f"{first.indicator_name}, {place.name}",
        x_label="Year",
        y_label=first.unit,
        series=(Series(place.name, points),),
        source=source_line(snap, indicator),
    ).to_json()
    return result


def _common_year(snap: Snapshot, indicators: list[str], codes: list[str]) -> int | None:
    """Return the latest year in which every place has a value for every indicator."""
    years: set[int] | None = None
    for indicator in indicators:
        for code in codes:
            have = {o.year for o in snap.series(indicator, code)}
            years = have if years is None else years & have
    return max(years) if years else None


def run_compare(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return several places' values in one year (asked, or the latest they all have)."""
    checks = Checks(request, ("indicator", "places"), ("year",))
    snap = current_snapshot()
    indicator = checks.run("indicator", check_indicator, request.get("indicator"))
    names = request.get("places")
    places: list[Place] = []
    if not isinstance(names, list) or not 2 <= len(names) <= 10:
        if names not in (None, "", []):
            checks.add("places", "Field 'places' must list 2 to 10 places.")
    else:
        for i, name in enumerate(names):
            place = checks.run(f"places.{i}", check_place, snap, name, f"places.{i}")
            if place is not None and all(p.code != place.code for p in places):
                places.append(place)
        if len(places) < 2 and not any(str(p).startswith("places.") for p, _ in checks.details):
            checks.add("places", "Field 'places' must name at least 2 different places.")
    asked = checks.run("year", check_year, request.get("year"))
    checks.done()
    assert indicator is not None  # done() raised otherwise
    codes = [p.code for p in places]
    year = asked if asked is not None else _common_year(snap, [indicator], codes)
    result = start_result("water-energy/compare", snap, [indicator], places)
    result.update(indicator=indicator, places=[place_json(p) for p in places], year=asked)
    observations: list[Observation] = []
    for place in places:
        obs = snap.value(indicator, place.code, year)
        if obs is None:
            result["missing"].append(missing_entry(snap, indicator, place, year))
            continue
        observations.append(obs)
        result["data"].append(obs.to_data())
        _aggregate_notes(result, snap, indicator, place, obs)
    if year is None and observations:
        result["notes"].append(
            {"kind": "years_differ", "text": "The places have no common year with a value."}
        )
    if len(observations) == 2 and observations[0].year == observations[1].year:
        a, b = observations
        result["difference"] = len(result["data"])
        result["data"].append(
            derived_entry(
                a,
                indicator=f"difference:{a.code}",
                name=f"{a.indicator_name}: {a.place_name} minus {b.place_name}",
                value=exact_difference(a.value, b.value),
                unit="people" if indicator == "population" else "percentage points",
                formula=f"value({a.place_code}) - value({b.place_code})",
                inputs=[0, 1],
            )
        )
    if observations:
        result["chart"] = Chart(
            kind="bar",
            title=observations[0].indicator_name,
            x_label="Place",
            y_label=observations[0].unit,
            series=(
                Series(
                    str(year) if year else "latest",
                    tuple((o.place_name, o.value) for o in observations),
                ),
            ),
            source=source_line(snap, indicator),
        ).to_json()
    return result


def run_urban_rural(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return urban and rural access to electricity in one year and the gap between them."""
    checks = Checks(request, ("place",), ("year",))
    snap = current_snapshot()
    place = checks.run("place", check_place, snap, request.get("place"))
    asked = checks.run("year", check_year, request.get("year"))
    checks.done()
    assert place is not None  # done() raised otherwise
    pair = ["electricity_access_urban", "electricity_access_rural"]
    year = asked if asked is not None else _common_year(snap, pair, [place.code])
    result = start_result("water-energy/urban-rural", snap, pair, [place])
    result.update(place=place_json(place), year=asked)
    urban, rural = (snap.value(i, place.code, year) if year else None for i in pair)
    for indicator, obs in zip(pair, (urban, rural), strict=True):
        if obs is None:
            result["missing"].append(missing_entry(snap, indicator, place, year))
    if urban is None or rural is None:
        return result
    result["data"] = [urban.to_data(), rural.to_data()]
    result["data"].append(
        derived_entry(
            urban,
            indicator="gap:EG.ELC.ACCS.UR.ZS-EG.ELC.ACCS.RU.ZS",
            name="Urban minus rural access to electricity, percentage points",
            value=exact_difference(urban.value, rural.value),
            unit="percentage points",
            formula="urban share - rural share (same year)",
            inputs=[0, 1],
        )
    )
    result.update(urban=0, rural=1, gap=2)
    result["chart"] = Chart(
        kind="bar",
        title=f"Access to electricity, urban and rural, {place.name}, {urban.year}",
        x_label="Area",
        y_label="%",
        series=(Series(str(urban.year), (("Urban", urban.value), ("Rural", rural.value))),),
        source=source_line(snap, "electricity_access_urban"),
    ).to_json()
    return result


def run_without_access(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return how many people lack access: (100 - share) / 100 x population, same year."""
    checks = Checks(request, ("indicator", "place"), ("year",))
    snap = current_snapshot()
    indicator = checks.run("indicator", check_indicator, request.get("indicator"), SHARE_INDICATORS)
    place = checks.run("place", check_place, snap, request.get("place"))
    asked = checks.run("year", check_year, request.get("year"))
    checks.done()
    assert indicator is not None and place is not None  # done() raised otherwise
    both = [indicator, "population"]
    year = asked if asked is not None else _common_year(snap, both, [place.code])
    result = start_result("water-energy/without-access", snap, both, [place])
    result.update(indicator=indicator, place=place_json(place), year=asked)
    if year is None:  # no year with both: say which of the two is missing
        latest = snap.value(indicator, place.code)
        if latest is None:
            result["missing"].append(missing_entry(snap, indicator, place, None))
        else:
            result["missing"].append(
                missing_entry(snap, "population", place, latest.year, "population_missing")
            )
        return result
    share = snap.value(indicator, place.code, year)
    population = snap.value("population", place.code, year)
    if share is None:
        result["missing"].append(missing_entry(snap, indicator, place, year))
        return result
    if population is None:
        result["missing"].append(
            missing_entry(snap, "population", place, year, "population_missing")
        )
        return result
    result["data"] = [share.to_data(), population.to_data()]
    people = round_people((100 - _decimal(share.value)) / 100 * _decimal(population.value))
    result["data"].append(
        derived_entry(
            share,
            indicator=f"without:{share.code}",
            name=f"People without: {share.indicator_name}",
            value=people,
            unit="people",
            formula="(100 - share) / 100 x population, same year, rounded half-up",
            inputs=[0, 1],
        )
    )
    result.update(share=0, population=1, without=2)
    _aggregate_notes(result, snap, indicator, place, share)
    return result


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def run_resolve(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return the place a name means: code, kind, region, income group, names, members."""
    checks = Checks(request, ("name",), ())
    snap = current_snapshot()
    place = checks.run("name", check_place, snap, request.get("name"), "name")
    checks.done()
    assert place is not None  # done() raised otherwise
    related = [c for c in (place.region, place.income_group) if c]
    members = group_members(snap, place)
    result = new_result("water-energy/resolve", snap, [], [place])
    add_names(result, snap, related)
    result.update(
        name=str(request["name"]).strip(),
        place={**place_json(place), "region": place.region, "income_group": place.income_group},
        members=[m.code for m in members],
    )
    return result
