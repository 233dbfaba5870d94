"""How a water-energy result shows itself: ``show(result, language)`` returns a ToolView.

The view is a pure function of the result (place names in the four languages travel in the
result's ``names``). Its sentences state only numbers of the result's ``data`` (values
rounded by the rule in ``names``, and their years), or a number of a ``missing`` or
``notes`` entry (the year a series starts, a coverage count); a change or a gap is stated
as a size, its direction in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from civicllm.language import base_language
from civicllm.tools.view import Chart, Figure, Series, SourceRef, Table, ToolView
from civicllm.tools.water_energy.names import format_people, format_percent
from civicllm.tools.water_energy.phrases import LABELS, STATEMENTS, TEXTS

__all__ = ["show"]

_SPACE_BEFORE_PERCENT = {"en": "", "es": "\u00a0", "fr": "\u00a0", "de": "\u00a0"}


class _Say:
    """The words and number formats of one language, over one result."""

    def __init__(self, result: Mapping[str, Any], language: str) -> None:
        self.result = result
        self.lang = base_language(language)
        self.texts = TEXTS[self.lang]
        self.names: Mapping[str, Mapping[str, str]] = result.get("names") or {}

    def place(self, code: str, fallback: str = "") -> str:
        return str(self.names.get(code, {}).get(self.lang) or fallback or code)

    def percent(self, value: float) -> str:
        return f"{format_percent(value, self.lang)}{_SPACE_BEFORE_PERCENT[self.lang]}%"

    def value(self, entry: Mapping[str, Any]) -> str:
        unit, value = str(entry.get("unit") or ""), entry["value"]
        if unit == "people":
            return format_people(value, self.lang)
        if unit == "rank":
            return str(value)
        if unit == "percentage points":
            return self.texts["points"].format(value=format_percent(value, self.lang))
        return self.percent(value)

    def size(self, entry: Mapping[str, Any]) -> str:
        """Return a change or gap as a size (no sign), in points or people."""
        if entry.get("unit") == "people":
            return self.texts["people_n"].format(value=format_people(entry["value"], self.lang))
        return self.texts["points"].format(value=format_percent(entry["value"], self.lang))

    def statement(self, indicator: str, entry: Mapping[str, Any]) -> str:
        place = self.place(str(entry["country_code"]), str(entry.get("country") or ""))
        value = self.value(entry)
        return STATEMENTS[self.lang][indicator].format(place=place, value=value, year=entry["year"])

    def latest(self, year: int) -> str:
        return self.texts["latest"].format(year=year).strip()

    def missing(self, gap: Mapping[str, Any]) -> str:
        t = self.texts
        dataset = t["owid"] if "World in Data" in str(gap.get("dataset")) else t["wb"]
        place, year = self.place(str(gap["place"]), str(gap.get("place_name") or "")), gap["year"]
        reason = gap.get("reason")
        if reason == "population_missing":
            return t["missing_population"].format(place=place, year=year)
        if reason == "before_series_start" and year is not None:
            return t["missing_before"].format(
                dataset=dataset, place=place, year=year, first=gap["first_year"]
            )
        if reason == "after_series_end" and year is not None:
            return t["missing_after"].format(
                dataset=dataset, place=place, year=year, last=gap["last_year"]
            )
        if year is not None and reason != "place_not_covered":
            return t["missing_gap"].format(dataset=dataset, place=place, year=year)
        return t["missing_place"].format(dataset=dataset, place=place)

    def note(self, note: Mapping[str, Any]) -> list[str]:
        t, kind = self.texts, note.get("kind")
        if kind == "indicator":
            return [t["losses"]]
        if kind == "release":
            return [t["release_urban_rural"]]
        if kind == "years_differ":
            return [t["years_differ"]]
        if kind != "coverage":
            return []
        group, year = self.place(str(note["place"])), note["year"]
        countries = [self.place(c) for c in note.get("countries") or []]
        if len(countries) == 1:
            said = [t["coverage_one"].format(year=year, country=countries[0], group=group)]
        else:
            key = "coverage_few" if len(countries) <= 5 else "coverage_many"
            said = [
                t[key].format(
                    year=year,
                    count=note["countries_with_value"],
                    members=note["members"],
                    group=group,
                    countries=", ".join(countries),
                )
            ]
            for code in note.get("equals") or []:
                said.append(
                    t["coverage_equals"].format(group=group, year=year, country=self.place(code))
                )
        return said


def _sentences(result: Mapping[str, Any], say: _Say) -> list[str]:
    tool, data, t = str(result.get("tool")), result.get("data") or [], say.texts
    indicator = str(result.get("indicator") or "")
    said: list[str] = []
    if tool == "water-energy/value" and data:
        said.append(say.statement(indicator, data[0]))
        if result.get("year") is None:
            said.append(say.latest(data[0]["year"]))
    elif tool == "water-energy/series" and data:
        values = [e for e in data if e.get("derived") is None]
        said.append(say.statement(indicator, values[-1]))
        change = result.get("change")
        if isinstance(change, int):
            entry, first, last = data[change], values[0], values[-1]
            key = "up" if entry["value"] > 0 else "down" if entry["value"] < 0 else "same"
            said.append(
                t[key].format(
                    start=first["year"],
                    end=last["year"],
                    change=say.size(entry),
                    first=say.value(first),
                    last=say.value(last),
                )
            )
    elif tool == "water-energy/compare" and data:
        values = [e for e in data if e.get("derived") is None]
        said.extend(say.statement(indicator, e) for e in values)
        if result.get("year") is None and len({e["year"] for e in values}) == 1:
            said.append(say.latest(values[0]["year"]))
        difference = result.get("difference")
        if isinstance(difference, int):
            entry, (a, b) = data[difference], values
            if entry["value"] < 0:
                a, b = b, a
            key = "higher" if entry["value"] != 0 else "equal"
            said.append(
                t[key].format(
                    year=a["year"],
                    a=say.place(a["country_code"], a["country"]),
                    b=say.place(b["country_code"], b["country"]),
                    gap=say.size(entry),
                )
            )
    elif tool == "water-energy/rank" and data:
        items = [
            t["rank_item"].format(
                rank=data[row["rank"]]["value"],
                place=say.place(data[row["value"]]["country_code"], data[row["value"]]["country"]),
                value=say.value(data[row["value"]]),
            )
            for row in result.get("rows") or []
        ]
        group = result.get("group") or {}
        head = "rank_head_lowest" if result.get("order") == "lowest" else "rank_head_highest"
        said.append(
            t[head].format(
                group=say.place(str(group.get("code")), str(group.get("name") or "")),
                year=data[0]["year"],
                items="; ".join(items),
            )
        )
    elif tool == "water-energy/urban-rural" and len(data) == 3:
        urban, rural, gap = data
        said.append(
            t["urban_rural"].format(
                place=say.place(urban["country_code"], urban["country"]),
                year=urban["year"],
                urban=say.value(urban),
                rural=say.value(rural),
                gap=say.size(gap),
            )
        )
        if result.get("year") is None:
            said.append(say.latest(urban["year"]))
    elif tool == "water-energy/without-access" and len(data) == 3:
        share, population, people = data
        said.append(
            t["without"].format(
                place=say.place(share["country_code"], share["country"]),
                year=share["year"],
                people=t["people_n"].format(value=say.value(people)),
                what=t[f"what_{indicator}"],
                share=say.value(share),
                population=say.value(population),
            )
        )
        if result.get("year") is None:
            said.append(say.latest(share["year"]))
    elif tool == "water-energy/resolve":
        place = result.get("place") or {}
        code = str(place.get("code") or "")
        said.append(t["resolved"].format(name=result.get("name"), place=say.place(code), code=code))
        if place.get("kind") == "country" and place.get("region") and place.get("income_group"):
            said.append(
                t["region_of"].format(
                    region=say.place(str(place["region"])),
                    income=say.place(str(place["income_group"])),
                )
            )
    said.extend(say.missing(gap) for gap in result.get("missing") or [])
    for note in result.get("notes") or []:
        said.extend(say.note(note))
    return said


def _label(say: _Say, entry: Mapping[str, Any]) -> str:
    return (
        f"{say.place(str(entry['country_code']), str(entry.get('country') or ''))}, {entry['year']}"
    )


def _chart(result: Mapping[str, Any], say: _Say, title: str) -> Chart | None:
    chart = result.get("chart")
    if not isinstance(chart, Mapping):
        return None
    data = [e for e in result.get("data") or [] if e.get("derived") is None]
    t = say.texts
    if chart.get("kind") == "line":
        by_year = {int(e["year"]): float(e["value"]) for e in data}
        years = range(min(by_year), max(by_year) + 1)
        name = say.place(str(data[0]["country_code"]), str(data[0]["country"]))
        series = Series(name, tuple((y, by_year.get(y)) for y in years))
        return Chart(
            "line", title, t["year"], str(data[0]["unit"]), (series,), str(chart.get("source", ""))
        )
    labels: tuple[str, ...]
    if result.get("tool") == "water-energy/urban-rural":
        labels = (t["urban"], t["rural"])
    else:
        labels = tuple(say.place(str(e["country_code"]), str(e["country"])) for e in data)
    points = tuple((label, float(e["value"])) for label, e in zip(labels, data, strict=False))
    name = str(data[0]["year"]) if data else ""
    x_label = t["area"] if result.get("tool") == "water-energy/urban-rural" else t["place"]
    unit = str(data[0]["unit"]) if data else ""
    return Chart("bar", title, x_label, unit, (Series(name, points),), str(chart.get("source", "")))


def _title(result: Mapping[str, Any], say: _Say) -> str:
    indicator = str(result.get("indicator") or "electricity_access_urban")
    label = LABELS[say.lang].get(indicator, indicator)
    if result.get("tool") == "water-energy/urban-rural":
        label = f"{LABELS[say.lang]['electricity_access_urban']} / {say.texts['rural']}"
    place = result.get("place") or result.get("group")
    if isinstance(place, Mapping):
        return f"{label}: {say.place(str(place.get('code')), str(place.get('name') or ''))}"
    return label


def show(result: Mapping[str, Any], language: str) -> ToolView:
    """Return the view of a water-energy result in en/es/fr/de."""
    say = _Say(result, language)
    data: Sequence[Mapping[str, Any]] = result.get("data") or []
    title = _title(result, say)
    if result.get("tool") == "water-energy/resolve":
        title = say.place(str((result.get("place") or {}).get("code") or ""))
    figures = tuple(
        Figure(
            key=f"{i}:{e['indicator']}:{e['country_code']}:{e['year']}",
            label=_label(say, e) + (f" ({e['indicator_name']})" if e.get("derived") else ""),
            value=e["value"],
            unit=str(e.get("unit") or ""),
            note=str(e["derived"]["formula"]) if e.get("derived") else "",
        )
        for i, e in enumerate(data)
    )
    t = say.texts
    tables: tuple[Table, ...] = ()
    if data:
        rows = tuple(
            (
                say.place(str(e["country_code"]), str(e["country"])),
                e["year"],
                e["value"],
                str(e["unit"]),
            )
            for e in data
        )
        tables = (Table((t["place"], t["year"], t["value"], t["unit"]), rows, caption=title),)
    notes = tuple(s for note in result.get("notes") or [] for s in say.note(note))
    sources = tuple(
        SourceRef(
            title=str(s.get("title") or ""),
            url=str(s.get("url") or ""),
            licence=str(s.get("licence") or ""),
            release=str(s.get("release") or ""),
        )
        for s in result.get("sources") or []
    )
    return ToolView(
        title=title,
        figures=figures,
        tables=tables,
        chart=_chart(result, say, title),
        notes=notes,
        sources=sources,
        sentences=tuple(_sentences(result, say)),
    )
