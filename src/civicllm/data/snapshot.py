"""Queries over the snapshot: places, values, series, coverage and releases.

By default every query reads, for each indicator, the newest release that holds it (by
release date, then time of import); ``release="YYYY-MM-DD"`` reads an older one. Only values
the publisher gave are stored: a year without a value is ``None``, never filled in.

Example::

    snap = open_snapshot(settings.home)
    kenya = snap.resolve("Kenia")
    snap.value("electricity_access", kenya.code)  # latest year with a value
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from civicllm.data.places import NameIndex, PlaceTable, iso2_of
from civicllm.data.store import FileOverrides, ImportResult, connect_when_free, import_file
from civicllm.errors import ConfigError, InputError, NotFoundError, SnapshotBusyError

__all__ = ["IndicatorInfo", "Observation", "Place", "ReleaseInfo", "Snapshot"]

# How long a read waits for another process's import to let go of the file.
READ_WAIT_S = 60.0


@dataclass(frozen=True)
class Place:
    """A country, region, income group or other aggregate; region/income_group are codes."""

    code: str
    name: str
    kind: str  # "country" | "region" | "income_group" | "aggregate"
    region: str | None = None
    income_group: str | None = None


@dataclass(frozen=True)
class Observation:
    """One value from one release of a publisher's file."""

    indicator: str  # the short id when there is one, else the code
    code: str  # the publisher's indicator code, e.g. "EG.ELC.ACCS.ZS"
    place_code: str
    place_name: str
    year: int
    value: float
    unit: str
    dataset: str
    release: str
    source_url: str
    indicator_name: str = ""

    def to_data(self) -> dict[str, Any]:
        """Return the ``civicllm.data`` entry of this value (see spec/data-answers.md)."""
        value: float | int = self.value
        if self.value.is_integer() and abs(self.value) < 2**53:
            value = int(self.value)
        return {
            "country_code": self.place_code,
            "country": self.place_name,
            "indicator": self.code,
            "indicator_name": self.indicator_name,
            "year": self.year,
            "value": value,
            "unit": self.unit,
            "dataset": self.dataset,
            "release": self.release,
            "source_url": self.source_url,
            "derived": None,
        }


@dataclass(frozen=True)
class IndicatorInfo:
    """An indicator as its current (or asked) release describes it."""

    id: str
    code: str
    name: str
    unit: str
    dataset: str
    release: str
    source_url: str
    licence: str
    first_year: int | None
    last_year: int | None
    source_note: str = ""
    source_org: str = ""


class ReleaseInfo(NamedTuple):
    """One imported file."""

    dataset: str
    release: str
    imported_at: datetime
    file: str
    rows: int


class Snapshot:
    """Read access (and imports) over one snapshot database; safe to share across threads.

    Given a connection (``writable``), the snapshot keeps it. Read-only (``conn=None``), it
    holds none: each read that misses the memory opens a read-only connection and closes it,
    so another process can import between two questions, and a changed file on disk (its
    size or time) is read again at the next question.
    """

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection | None,
        table: PlaceTable,
        aliases: Mapping[str, str],
        path: Path | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        if conn is None and path is None:
            raise ValueError("a snapshot without a connection needs the path of its file")
        self._conn = conn
        self._reading: duckdb.DuckDBPyConnection | None = None  # the short connection, if open
        self.read_only = read_only or conn is None
        self._table = table
        self._aliases = dict(aliases)  # short id -> indicator code
        self._short = {code: short for short, code in self._aliases.items()}
        self._lock = threading.RLock()
        self.path = path
        self._seen: tuple[tuple[int, int] | None, ...] = ()
        self._refresh()

    # -- housekeeping -------------------------------------------------------------------
    @contextmanager
    def _session(self, wait_s: float = READ_WAIT_S) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield the kept connection, or a read-only one open only for this block."""
        with self._lock:
            if self._conn is not None:
                yield self._conn
                return
            if self._reading is not None:  # nested in another read
                yield self._reading
                return
            assert self.path is not None
            self._reading = connect_when_free(self.path, read_only=True, wait_s=wait_s)
            try:
                yield self._reading
            finally:
                self._reading.close()
                self._reading = None

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with self._session() as conn:
            return conn.execute(sql, params or []).fetchall()

    def _stamp(self) -> tuple[tuple[int, int] | None, ...]:
        """Return the size and time of the database file and its write-ahead log."""
        if self._conn is not None or self.path is None:
            return ()
        out: list[tuple[int, int] | None] = []
        for file in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                info = file.stat()
            except FileNotFoundError:
                out.append(None)
            else:
                out.append((info.st_mtime_ns, info.st_size))
        return tuple(out)

    def _check(self) -> None:
        """Read the snapshot again if another process changed it since it was read."""
        if self._conn is None and self._stamp() != self._seen:
            # While an import writes, answer from what was read; try again at the next read.
            with suppress(SnapshotBusyError):
                self._refresh(wait_s=0.0)

    def _refresh(self, wait_s: float = READ_WAIT_S) -> None:
        """Read the small tables into memory (observations are read per indicator, later)."""
        with self._lock:
            stamp = self._stamp()
            with self._session(wait_s) as conn:
                releases = conn.execute(
                    "SELECT id, dataset, release, imported_at, file_name, rows, sha256, licence "
                    "FROM releases"
                ).fetchall()
                indicators = conn.execute(
                    "SELECT release_id, code, name, unit, page_url FROM indicators"
                ).fetchall()
                notes = conn.execute(
                    "SELECT code, source_note, source_org FROM indicator_notes"
                ).fetchall()
                places = conn.execute(
                    "SELECT code, name, kind, region, income_group FROM places"
                ).fetchall()
                self._place_names = conn.execute("SELECT code, name FROM place_names").fetchall()
            by_id = {r[0]: r for r in releases}
            # Newest first: by release date, then time of import, then id.
            order = sorted(releases, key=lambda r: (r[2], r[3], r[0]), reverse=True)
            rank = {r[0]: i for i, r in enumerate(order)}
            current: dict[str, int] = {}
            metas: dict[tuple[int, str], tuple[Any, ...]] = {}
            by_code: dict[str, list[tuple[int, str]]] = {}
            for rid, code, name, unit, page in sorted(indicators, key=lambda i: rank[i[0]]):
                current.setdefault(code, rid)
                rel = by_id[rid]
                metas[(rid, code)] = (name, unit, page, rel[1], rel[2], rel[7])
                by_code.setdefault(code, []).append((rid, rel[2]))
            self._current = current
            self._metas = metas
            self._by_code = by_code  # code -> [(release id, release date)], newest first
            self._notes = {code: (note, org) for code, note, org in notes}
            self._releases = [ReleaseInfo(r[1], r[2], r[3], r[4], r[5]) for r in order]
            self._hashes = {r[6] for r in releases}
            self._places = {r[0]: Place(r[0], r[1], r[2], r[3], r[4]) for r in places}
            self._index: NameIndex | None = None
            # (release id, indicator) -> place -> [(year, value)] in year order.
            self._tables: dict[tuple[int, str], dict[str, list[tuple[int, float]]]] = {}
            self._seen = stamp

    def import_file(
        self, path: Path, overrides: FileOverrides | None = None, *, replace: bool = False
    ) -> ImportResult:
        """Import one publisher file as a release (a file imported before is skipped).

        A different file for a release already there is refused unless ``replace``.
        """
        if self.read_only or self._conn is None:
            raise ConfigError("this snapshot was opened read-only; open it with writable=True")
        with self._lock:
            result = import_file(
                self._conn, path, self._table, overrides or FileOverrides(), replace=replace
            )
            if not result.skipped:
                self._refresh()
        return result

    def known_hashes(self) -> set[str]:
        """Return the sha256 of every imported file."""
        self._check()
        return set(self._hashes)

    def close(self) -> None:
        """Close the database connection (a read-only snapshot holds none between reads)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()

    # -- places ---------------------------------------------------------------------------
    def _names(self) -> NameIndex:
        self._check()
        index = self._index
        if index is None:
            with self._lock:
                index = NameIndex(
                    {c: p.name for c, p in self._places.items()}, self._place_names, self._table
                )
                self._index = index
        return index

    def resolve(self, name: str) -> Place | None:
        """Return the place a name (EN/ES/FR/DE), ISO3 or World Bank code means, or None."""
        code = self._names().lookup(name)
        return self._places.get(code) if code else None

    def place(self, code: str) -> Place | None:
        """Return the place with this code, or None."""
        self._check()
        return self._places.get(code.strip().upper()) or self._places.get(code.strip())

    def localized_name(self, code: str, language: str) -> str:
        """Return a place's name in en/es/fr/de (the publisher's name in English)."""
        return self._names().localized(code, language)

    def places(self, kind: str | None = None) -> list[Place]:
        """Return every place, or those of one kind, sorted by name."""
        self._check()
        found = [p for p in self._places.values() if kind is None or p.kind == kind]
        return sorted(found, key=lambda p: p.name)

    def members(self, group: Place) -> list[Place]:
        """Return the countries of a region or income group ([] for other aggregates)."""
        if group.kind == "region":
            return [p for p in self.places("country") if p.region == group.code]
        if group.kind == "income_group":
            info = self._table.aggregates.get(group.code)
            codes = set(info.members_of) if info and info.members_of else {group.code}
            return [p for p in self.places("country") if p.income_group in codes]
        return []

    # -- indicators -----------------------------------------------------------------------
    def _code(self, indicator: str) -> str:
        self._check()
        code = self._aliases.get(indicator, indicator)
        if code not in self._current:
            known = ", ".join(sorted(self._aliases)) or ", ".join(sorted(self._current))
            raise NotFoundError(
                f"unknown indicator {indicator!r}; known: {known}", param="indicator"
            )
        return code

    def _release_id(self, code: str, release: str | None) -> int:
        if release is None:
            return self._current[code]
        found = [rid for rid, date in self._by_code.get(code, []) if date == release]
        if not found:
            have = sorted({date for _, date in self._by_code.get(code, [])}, reverse=True)
            raise NotFoundError(
                f"no release {release!r} of {code}; releases: {', '.join(have)}",
                param="release",
            )
        return found[0]

    def _meta(self, code: str, rid: int) -> tuple[Any, ...]:
        return self._metas[(rid, code)]

    def _points(self, code: str, rid: int) -> dict[str, list[tuple[int, float]]]:
        """Return one release's values of an indicator by place, read once then kept.

        A release never changes once imported, and one indicator of one release is a few
        thousand rows; point lookups through DuckDB cost about a millisecond each, so each
        (release, indicator) is read in one query and served from memory after that.
        """
        key = (rid, code)
        table = self._tables.get(key)
        if table is None:
            table = {}
            rows = self._rows(
                "SELECT place, year, value FROM observations WHERE release_id = ? "
                "AND indicator = ? ORDER BY place, year",
                [rid, code],
            )
            for place, year, value in rows:
                table.setdefault(place, []).append((int(year), float(value)))
            self._tables[key] = table
        return table

    def indicator(self, indicator: str, release: str | None = None) -> IndicatorInfo:
        """Describe an indicator (short id or code) as its current or given release does."""
        code = self._code(indicator)
        rid = self._release_id(code, release)
        name, unit, page, dataset, rel, licence = self._meta(code, rid)
        years = [y for points in self._points(code, rid).values() for y, _ in points]
        first, last = (min(years), max(years)) if years else (None, None)
        note, org = self._notes.get(code, ("", ""))
        return IndicatorInfo(
            self._short.get(code, code), code, name, unit, dataset, rel, page, licence,
            first, last, note or "", org or "",
        )  # fmt: skip

    def indicators(self) -> list[str]:
        """Return the short ids (or codes) of every indicator in the snapshot."""
        return sorted(self._short.get(code, code) for code in self._current)

    def _source_url(self, page: str, place_code: str) -> str:
        if "data.worldbank.org/indicator" in page:
            iso2 = iso2_of(place_code, self._table)
            return f"{page}?locations={iso2}" if iso2 else page
        if "ourworldindata.org/grapher" in page and len(place_code) == 3:
            return f"{page}?country={place_code}"
        return page

    def _observation(
        self, code: str, rid: int, place_code: str, year: int, value: float
    ) -> Observation:
        name, unit, page, dataset, rel, _ = self._meta(code, rid)
        place = self._places.get(place_code)
        return Observation(
            self._short.get(code, code), code, place_code, place.name if place else place_code,
            year, value, unit, dataset, rel, self._source_url(page, place_code), name,
        )  # fmt: skip

    def value(
        self,
        indicator: str,
        place_code: str,
        year: int | None = None,
        release: str | None = None,
    ) -> Observation | None:
        """Return the value for a place and year (None: the latest year with a value)."""
        code = self._code(indicator)
        rid = self._release_id(code, release)
        points = self._points(code, rid).get(place_code, [])
        found = points[-1:] if year is None else [p for p in points if p[0] == int(year)]
        return self._observation(code, rid, place_code, *found[0]) if found else None

    def series(
        self,
        indicator: str,
        place_code: str,
        start: int | None = None,
        end: int | None = None,
        release: str | None = None,
    ) -> list[Observation]:
        """Return the values of a place between two years (inclusive), oldest first."""
        code = self._code(indicator)
        rid = self._release_id(code, release)
        lo = -9999 if start is None else int(start)
        hi = 9999 if end is None else int(end)
        points = self._points(code, rid).get(place_code, [])
        return [self._observation(code, rid, place_code, y, v) for y, v in points if lo <= y <= hi]

    def values(
        self, indicator: str, year: int, place_codes: list[str], release: str | None = None
    ) -> dict[str, Observation]:
        """Return the values of several places in one year, by place code (absent: none)."""
        code = self._code(indicator)
        rid = self._release_id(code, release)
        table = self._points(code, rid)
        out: dict[str, Observation] = {}
        for place_code in place_codes:
            for y, v in table.get(place_code, ()):
                if y == int(year):
                    out[place_code] = self._observation(code, rid, place_code, y, v)
        return out

    def latest_year(
        self, indicator: str, place_codes: list[str], release: str | None = None
    ) -> int | None:
        """Return the latest year in which any of these places has a value."""
        code = self._code(indicator)
        table = self._points(code, self._release_id(code, release))
        years = [table[p][-1][0] for p in place_codes if table.get(p)]
        return max(years) if years else None

    def coverage(
        self, indicator: str, group_code: str, year: int, release: str | None = None
    ) -> tuple[int, int] | None:
        """Return (member countries with a value that year, members); None for no members."""
        group = self.place(group_code)
        if group is None:
            raise NotFoundError(f"unknown place {group_code!r}", param="group")
        members = [p.code for p in self.members(group)]
        if not members:
            return None
        found = self.values(indicator, year, members, release)
        return len(found), len(members)

    def releases(self, dataset: str | None = None) -> list[ReleaseInfo]:
        """Return every imported file, newest release first (of one dataset if given)."""
        self._check()
        return [r for r in self._releases if dataset is None or r.dataset == dataset]


def check_year(year: object, param: str = "year") -> int:
    """Return a year given as int or digits; raise InputError otherwise."""
    if isinstance(year, int) and not isinstance(year, bool) and 1000 <= year <= 9999:
        return year
    if isinstance(year, str) and year.strip().isdigit() and len(year.strip()) == 4:
        return int(year)
    raise InputError(f"{param} must be a four-digit year, not {year!r}", param=param)
