"""Readers for the publishers' own file formats, each checked line by line.

A reader turns one file into a :class:`ParsedFile` (indicators, places, observations) and
never touches the snapshot: the store writes a parsed file in one transaction, so a file
that fails here leaves nothing behind. The format is found from the content, not the name:

    wb-api          World Bank API CSV: 4 preamble lines ("Data Source", "Last Updated
                    Date"), then Country Name, Country Code, Indicator Name, Indicator Code,
                    one column per year; empty cells are missing values. A file without
                    the World row, or without an economy of its companion metadata, was
                    cut and is refused.
    wb-databank     WDI DataBank export: Country Name, Country Code, Series Name, Series
                    Code, "1990 [YR1990]" ...; ``..`` is missing; blank lines and a footer
                    ("Data from database: ...", "Last Updated: 01/28/2025").
    wb-country      World Bank Metadata_Country CSV (Region, IncomeGroup, TableName).
    wb-indicator    World Bank Metadata_Indicator CSV (code, name, source note).
    owid            Our World in Data grapher CSV: Entity, Code, Year, <value>, with its
                    ``<name>.metadata.json`` beside it when there is one.

Every error is an :class:`~civicllm.errors.InputError` naming the file and the line.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from civicllm.errors import InputError

__all__ = ["IndicatorMeta", "ParsedFile", "PlaceRow", "detect_format", "parse_file"]

WB_DATASET = "World Bank WDI"
OWID_DATASET = "Our World in Data"
CC_BY = "CC BY 4.0"
WB_PAGE = "https://data.worldbank.org/indicator/"
DATABANK_URL = "https://databank.worldbank.org/source/world-development-indicators"
OWID_GRAPHER = "https://ourworldindata.org/grapher/"

# OWID's own codes for places that the World Bank codes differently (the rest of OWID's
# "OWID_..." and "WHO_..." codes, and places without a code, stay aggregates of their own).
OWID_CODES = {
    "OWID_WRL": "WLD",
    "OWID_KOS": "XKX",
    "OWID_CIS": "CHI",
    "OWID_HIC": "HIC",
    "OWID_LIC": "LIC",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_DATABANK_YEAR = re.compile(r"(\d{4}) \[YR\1\]")


@dataclass(frozen=True)
class IndicatorMeta:
    """One indicator as a file describes it."""

    code: str
    name: str
    unit: str = ""
    page_url: str = ""
    source_note: str = ""
    source_org: str = ""


@dataclass(frozen=True)
class PlaceRow:
    """A place named in a file; ``authoritative`` rows (country metadata) set kind and groups."""

    code: str
    name: str
    kind: str = ""  # "" lets the store decide (aggregate table, ISO list)
    region: str = ""  # the publisher's region name, e.g. "Sub-Saharan Africa"
    income_group: str = ""  # e.g. "Lower middle income"
    authoritative: bool = False


@dataclass
class ParsedFile:
    """What one publisher file holds, ready to be written in one transaction."""

    path: Path
    format: str
    dataset: str
    release: str | None
    source_url: str
    licence: str = CC_BY
    indicators: list[IndicatorMeta] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    # Observations as parallel columns (cheap to hand to DuckDB in one insert).
    obs_indicator: list[str] = field(default_factory=list)
    obs_place: list[str] = field(default_factory=list)
    obs_year: list[int] = field(default_factory=list)
    obs_value: list[float] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Return the number of observations, or of places/indicators for a metadata file."""
        return len(self.obs_value) or len(self.places) or len(self.indicators)

    def add(self, indicator: str, place: str, year: int, value: float) -> None:
        """Append one observation."""
        self.obs_indicator.append(indicator)
        self.obs_place.append(place)
        self.obs_year.append(year)
        self.obs_value.append(value)


def _fail(path: Path, line: int, reason: str) -> InputError:
    return InputError(f"{path}: line {line}: {reason}", param="file", code="bad_data_file")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", param="file") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(path, line, "not UTF-8 text; save the file as UTF-8") from exc


def _rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) for each CSV record; a broken quote names its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _fail(path, start, f"not valid CSV ({exc}); the file may be truncated") from exc


def _number(path: Path, line: int, cell: str, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise _fail(path, line, f"column {column!r}: {cell[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise _fail(path, line, f"column {column!r}: {cell!r} is not a finite number")
    return value


def _unit_of(name: str) -> str:
    """Return the unit a World Bank indicator name states: '%' or the bracketed text."""
    found = re.search(r"\(([^()]*)\)\s*$", name)
    if found is None:
        return "people" if name.lower().startswith("population") else ""
    inside = found.group(1)
    return "%" if inside.startswith("%") else inside


def detect_format(header: list[str]) -> str | None:
    """Return the format id for a file's first CSV record, or None when unknown."""
    cells = [c.strip() for c in header]
    if cells[:1] == ["Data Source"]:
        return "wb-api"
    if cells[:4] == ["Country Name", "Country Code", "Series Name", "Series Code"]:
        return "wb-databank"
    if cells[:3] == ["Country Code", "Region", "IncomeGroup"]:
        return "wb-country"
    if cells[:2] == ["INDICATOR_CODE", "INDICATOR_NAME"]:
        return "wb-indicator"
    if cells[:3] == ["Entity", "Code", "Year"] and len(cells) == 4:
        return "owid"
    return None


def parse_file(path: Path) -> ParsedFile:
    """Read one publisher file, finding its format from the content; raise InputError."""
    text = _read_text(path)
    rows = _rows(path, text)
    first = next(rows, None)
    if first is None:
        raise _fail(path, 1, "the file is empty")
    kind = detect_format(first[1])
    if kind is None:
        raise _fail(
            path,
            1,
            "not a World Bank API CSV, DataBank export, World Bank metadata CSV or OWID "
            "grapher CSV (unexpected header)",
        )
    readers = {
        "wb-api": _read_wb_api,
        "wb-databank": _read_databank,
        "wb-country": _read_country_meta,
        "wb-indicator": _read_indicator_meta,
        "owid": _read_owid,
    }
    return readers[kind](path, first[1], rows)


def _read_wb_api(path: Path, first: list[str], rows: Iterator[tuple[int, list[str]]]) -> ParsedFile:
    release: str | None = None
    header: list[str] | None = None
    header_line = 0
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if cells[0] == "Last Updated Date":
            stated = cells[1].strip() if len(cells) > 1 else ""
            if not _ISO_DATE.fullmatch(stated):
                raise _fail(path, line, f"'Last Updated Date' {stated!r} is not YYYY-MM-DD")
            release = stated
            continue
        header, header_line = cells, line
        break
    if release is None or header is None:
        raise _fail(path, 5, "the 'Last Updated Date' line or the column header is missing")
    expected = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
    if header[:4] != expected:
        raise _fail(path, header_line, f"expected the header to start with {expected}")
    years = _year_columns(path, header_line, header[4:], _YEAR)
    parsed = ParsedFile(path, "wb-api", WB_DATASET, release, "")
    indicators: dict[str, str] = {}
    last = header_line
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        last = line
        if len(cells) != len(header):
            raise _fail(path, line, f"{len(cells)} cells where the header has {len(header)}")
        name, code, ind_name, ind_code = (c.strip() for c in cells[:4])
        if not code or not ind_code:
            raise _fail(path, line, "the country code or the indicator code is empty")
        indicators.setdefault(ind_code, ind_name)
        parsed.places.append(PlaceRow(code, name))
        for offset, year in years:
            cell = cells[4 + offset].strip()
            if cell:
                parsed.add(ind_code, code, year, _number(path, line, cell, str(year)))
    if not indicators:
        raise _fail(path, header_line, "no data rows after the header")
    _check_complete(path, last, {p.code for p in parsed.places})
    parsed.indicators = [
        IndicatorMeta(code, name, _unit_of(name), WB_PAGE + code)
        for code, name in indicators.items()
    ]
    parsed.source_url = WB_PAGE + next(iter(indicators))
    return parsed


def _check_complete(path: Path, last: int, codes: set[str]) -> None:
    """Refuse a World Bank API CSV that lacks rows: every such file lists every economy.

    The API's download holds one row per economy and aggregate (about 266), "World" among
    them, whether or not it has values, so a file without the World row, or without an
    economy its companion ``Metadata_Country_<name>`` lists, was cut (``head``, a broken
    download) and would lose those places' values if imported.
    """
    companion = path.with_name("Metadata_Country_" + path.name)
    listed: set[str] = set()
    if companion.is_file():
        records = list(_rows(companion, _read_text(companion)))[1:]
        listed = {cells[0].strip() for _, cells in records if cells and cells[0].strip()}
    missing = sorted(listed - codes)
    if missing:
        raise _fail(
            path,
            last,
            f"the file ends after {len(codes)} economies, but {companion.name} lists "
            f"{len(listed)} (missing {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''})"
            "; the file looks cut: download it again",
        )
    if "WLD" not in codes:
        raise _fail(
            path,
            last,
            f"the file ends after {len(codes)} economies without the World (WLD) row that "
            "every World Bank API file holds; the file looks cut: download it again",
        )


def _year_columns(
    path: Path, line: int, cells: list[str], pattern: re.Pattern[str]
) -> list[tuple[int, int]]:
    years: list[tuple[int, int]] = []
    for offset, cell in enumerate(cells):
        text = cell.strip()
        if not text and offset == len(cells) - 1:
            continue  # the World Bank ends every line with a comma
        match = pattern.fullmatch(text)
        if match is None:
            raise _fail(path, line, f"column {text!r} is not a year")
        years.append((offset, int(match.group(0)[:4])))
    return years


def _read_databank(
    path: Path, header: list[str], rows: Iterator[tuple[int, list[str]]]
) -> ParsedFile:
    years = _year_columns(path, 1, header[4:], _DATABANK_YEAR)
    parsed = ParsedFile(path, "wb-databank", WB_DATASET, None, DATABANK_URL)
    indicators: dict[str, str] = {}
    footer = False
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            footer = footer or bool(indicators)
            continue
        first = cells[0].strip()
        if first.startswith("Data from database:"):
            footer = True
            continue
        if first.startswith("Last Updated:"):
            stamp = first.removeprefix("Last Updated:").strip()
            try:
                parsed.release = datetime.strptime(stamp, "%m/%d/%Y").date().isoformat()
            except ValueError:
                raise _fail(path, line, f"'Last Updated' {stamp!r} is not MM/DD/YYYY") from None
            continue
        if footer:
            raise _fail(path, line, "a data row after the footer")
        if len(cells) != len(header):
            raise _fail(path, line, f"{len(cells)} cells where the header has {len(header)}")
        name, code, series, series_code = (c.strip() for c in cells[:4])
        if not code or not series_code:
            raise _fail(path, line, "the country code or the series code is empty")
        indicators.setdefault(series_code, series)
        parsed.places.append(PlaceRow(code, name))
        for offset, year in years:
            cell = cells[4 + offset].strip()
            if cell and cell != "..":
                parsed.add(series_code, code, year, _number(path, line, cell, header[4 + offset]))
    if parsed.release is None:
        raise _fail(
            path, line if indicators else 2, "the 'Last Updated:' footer is missing (truncated?)"
        )
    parsed.indicators = [
        IndicatorMeta(code, name, _unit_of(name), WB_PAGE + code)
        for code, name in indicators.items()
    ]
    return parsed


def _read_country_meta(
    path: Path, header: list[str], rows: Iterator[tuple[int, list[str]]]
) -> ParsedFile:
    parsed = ParsedFile(path, "wb-country", WB_DATASET, None, WB_PAGE.rstrip("/"))
    try:
        name_at = header.index("TableName")
    except ValueError:
        raise _fail(path, 1, "the 'TableName' column is missing") from None
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise _fail(path, line, f"{len(cells)} cells where the header has {len(header)}")
        code, region, income = (c.strip() for c in cells[:3])
        if not code:
            raise _fail(path, line, "the country code is empty")
        kind = "country" if region else ""
        parsed.places.append(
            PlaceRow(code, cells[name_at].strip(), kind, region, income, authoritative=True)
        )
    return parsed


def _read_indicator_meta(
    path: Path, header: list[str], rows: Iterator[tuple[int, list[str]]]
) -> ParsedFile:
    parsed = ParsedFile(path, "wb-indicator", WB_DATASET, None, "")
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise _fail(path, line, f"{len(cells)} cells where the header has {len(header)}")
        code, name, note, org = (c.strip() for c in cells[:4])
        parsed.indicators.append(
            IndicatorMeta(code, name, _unit_of(name), WB_PAGE + code, note, org)
        )
    if not parsed.indicators:
        raise _fail(path, 1, "no indicator rows")
    parsed.source_url = parsed.indicators[0].page_url
    return parsed


def _owid_metadata(path: Path, column: str) -> dict[str, Any]:
    meta_path = path.with_name(path.stem + ".metadata.json")
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{meta_path}: not readable JSON ({exc})", param="file") from exc
    columns = meta.get("columns", {}) if isinstance(meta, dict) else {}
    described: Any = columns.get(column) or next(iter(columns.values()), {})
    chart = meta.get("chart", {}) if isinstance(meta, dict) else {}
    return {"column": described if isinstance(described, dict) else {}, "chart": chart}


def _read_owid(path: Path, header: list[str], rows: Iterator[tuple[int, list[str]]]) -> ParsedFile:
    column = header[3].strip()
    meta = _owid_metadata(path, column)
    described: dict[str, Any] = meta.get("column", {})
    chart_url = str(meta.get("chart", {}).get("originalChartUrl", ""))
    page = chart_url.split("?")[0] if chart_url else OWID_GRAPHER + path.stem
    release = described.get("lastUpdated")
    code = str(described.get("shortName") or path.stem)
    unit = str(
        described.get("shortUnit") or described.get("unit") or ("%" if "%" in column else "")
    )
    name = str(described.get("titleLong") or column)
    parsed = ParsedFile(
        path,
        "owid",
        OWID_DATASET,
        str(release) if release and _ISO_DATE.fullmatch(str(release)) else None,
        page,
        indicators=[
            IndicatorMeta(
                code, name, unit, page, source_org=str(described.get("citationShort", ""))
            )
        ],
    )
    seen: set[str] = set()
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 4:
            raise _fail(path, line, f"{len(cells)} cells where the header has 4")
        entity, place_code, year_text, cell = (c.strip() for c in cells)
        if not entity:
            raise _fail(path, line, "the Entity cell is empty")
        if not _YEAR.fullmatch(year_text):
            raise _fail(path, line, f"Year {year_text!r} is not a four-digit year")
        if not cell:
            raise _fail(path, line, f"column {column[:40]!r} is empty (truncated?)")
        value = _number(path, line, cell, column[:40])
        place = owid_place_code(entity, place_code)
        if place not in seen:
            seen.add(place)
            known = place_code in OWID_CODES or re.fullmatch(r"[A-Z]{3}", place_code)
            kind = "" if known else "aggregate"
            parsed.places.append(PlaceRow(place, entity, kind))
        parsed.add(code, place, int(year_text), value)
    if not parsed.obs_value:
        raise _fail(path, 1, "no data rows after the header")
    return parsed


def owid_place_code(entity: str, code: str) -> str:
    """Return the snapshot's code for an OWID place: ISO3, a mapped OWID code, or a name key."""
    if code:
        return OWID_CODES.get(code, code)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", entity).strip("-").upper()
    return "OWID:" + slug
