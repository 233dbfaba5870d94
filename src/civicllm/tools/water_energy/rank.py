"""The rank tool: the member countries of a group with the highest or lowest values.

When no year is asked, the year ranked is the latest in which at least half the members
have a value (a year that only a few countries have reported would rank those few); a
ranking of a year with fewer carries a coverage note. Ties share a rank ("1, 1, 3").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.data import Place, Snapshot
from civicllm.tools.view import Chart, Series
from civicllm.tools.water_energy.access import (
    Checks,
    check_indicator,
    check_int,
    check_place,
    check_year,
    current_snapshot,
    group_members,
)
from civicllm.tools.water_energy.results import (
    COVERAGE_SHARE,
    add_names,
    coverage_note,
    derived_entry,
    missing_entry,
    place_json,
)
from civicllm.tools.water_energy.tools import source_line, start_result

__all__ = ["RANK_LIMIT", "run_rank"]

RANK_LIMIT = 50


def _rank_year(snap: Snapshot, indicator: str, codes: list[str]) -> int | None:
    """Return the latest year in which at least half the members have a value."""
    last = snap.latest_year(indicator, codes)
    year = last
    while year is not None and year >= 1960:
        if len(snap.values(indicator, year, codes)) >= COVERAGE_SHARE * len(codes):
            return year
        year -= 1
    return last


def run_rank(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return the member countries of a group with the highest (or lowest) values in a year."""
    checks = Checks(request, ("indicator",), ("group", "year", "order", "limit"))
    snap = current_snapshot()
    indicator = checks.run("indicator", check_indicator, request.get("indicator"))
    group = checks.run("group", check_place, snap, request.get("group") or "WLD", "group")
    order = request.get("order") or "highest"
    if order not in ("highest", "lowest"):
        checks.add("order", "Field 'order' must be 'highest' or 'lowest'.")
    limit = checks.run("limit", check_int, request.get("limit", 5), "limit", 1, RANK_LIMIT)
    members: list[Place] = []
    if group is not None:
        members = group_members(snap, group) if group.code != "WLD" else snap.places("country")
        if not members:
            checks.add(
                "group",
                f"{group.name!r} is not a region or income group: rank within one of those, "
                "or within 'World'.",
            )
    asked = checks.run("year", check_year, request.get("year"))
    checks.done()
    assert indicator is not None and group is not None and limit is not None
    codes = [m.code for m in members]
    year = asked if asked is not None else _rank_year(snap, indicator, codes)
    result = start_result("water-energy/rank", snap, [indicator], [group])
    result.update(
        indicator=indicator, group=place_json(group), order=order, limit=limit, year=asked
    )
    found = snap.values(indicator, year, codes) if year is not None else {}
    result.update(ranked=len(found), members=len(members))
    if not found:
        result["missing"].append(missing_entry(snap, indicator, group, year))
        result["missing"][-1]["reason"] = "no_member_values"
        return result
    ordered = sorted(found.values(), key=lambda o: -o.value if order == "highest" else o.value)
    if len(found) < COVERAGE_SHARE * len(members) and group.code != "WLD":
        note = coverage_note(snap, indicator, group, ordered[0].year)
        if note is not None:
            result["notes"].append(note)
            add_names(result, snap, note["countries"])
    result["rows"] = []
    position, previous = 0, None
    for i, obs in enumerate(ordered[:limit]):
        if obs.value != previous:  # ties share a rank ("1, 1, 3")
            position, previous = i + 1, obs.value
        result["data"].append(obs.to_data())
        value_index = len(result["data"]) - 1
        result["data"].append(
            derived_entry(
                obs,
                indicator=f"rank:{obs.code}",
                name=f"Rank by {obs.indicator_name} ({order} first) in {group.name}",
                value=position,
                unit="rank",
                formula=f"position sorted {order} first among {len(found)} member countries "
                f"of {group.code} with a value in {obs.year}",
                inputs=[value_index],
            )
        )
        result["rows"].append({"value": value_index, "rank": value_index + 1})
    add_names(result, snap, [o.place_code for o in ordered[:limit]])
    result["chart"] = Chart(
        kind="bar",
        title=f"{ordered[0].indicator_name}, {group.name}, {ordered[0].year}",
        x_label="Country",
        y_label=ordered[0].unit,
        series=(
            Series(str(ordered[0].year), tuple((o.place_name, o.value) for o in ordered[:limit])),
        ),
        source=source_line(snap, indicator),
    ).to_json()
    return result
