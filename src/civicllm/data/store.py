"""The versioned snapshot on disk: a DuckDB file of releases, observations and places.

Each imported file is one *release* row (dataset, release date, source URL, licence, file
name, sha256, time of import, rows). Observations carry the id of the release they came
from, so a newer release of a dataset sits beside the older one and both stay queryable.
Places are not versioned: the latest metadata file says a country's region and income group.
A file is written in one transaction; a file whose hash is already there is skipped.

A release is never changed silently: a file whose content differs from one already imported
for the same indicator and release date (a cut copy, an edited value) is refused, naming the
file already there; give it a new ``--release``, or ``replace=True`` (``--replace``) to
supersede the old release explicitly (its rows are deleted in the same transaction). Metadata
files (regions, indicator notes) are matched by format, file name and release date instead.

One process may write the file, or several may read it, never both at once (DuckDB's file
lock): readers therefore hold a connection only while they read (see ``snapshot``), and
``connect_when_free`` waits briefly for another process's connection to go.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np

from civicllm.data.importers import IndicatorMeta, ParsedFile, parse_file
from civicllm.data.places import PlaceTable
from civicllm.errors import InputError, SnapshotBusyError

__all__ = ["FileOverrides", "ImportResult", "connect", "connect_when_free", "import_file"]

_SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS release_ids START 1;
CREATE TABLE IF NOT EXISTS releases (
    id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, release VARCHAR NOT NULL,
    source_url VARCHAR, licence VARCHAR, file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL UNIQUE, format VARCHAR, imported_at TIMESTAMP NOT NULL,
    rows INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS indicators (
    release_id INTEGER NOT NULL, code VARCHAR NOT NULL, name VARCHAR, unit VARCHAR,
    page_url VARCHAR, PRIMARY KEY (release_id, code));
CREATE TABLE IF NOT EXISTS indicator_notes (
    code VARCHAR PRIMARY KEY, source_note VARCHAR, source_org VARCHAR);
CREATE TABLE IF NOT EXISTS observations (
    release_id INTEGER NOT NULL, indicator VARCHAR NOT NULL, place VARCHAR NOT NULL,
    year INTEGER NOT NULL, value DOUBLE NOT NULL);
CREATE TABLE IF NOT EXISTS places (
    code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    region VARCHAR, income_group VARCHAR);
CREATE TABLE IF NOT EXISTS place_names (code VARCHAR NOT NULL, name VARCHAR NOT NULL);
"""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FileOverrides:
    """What a manifest or the command line says about a file, over what the file says."""

    dataset: str | None = None
    release: str | None = None
    indicator: str | None = None  # the indicator code to store (files with one indicator)
    indicator_name: str | None = None
    unit: str | None = None
    source_url: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """The outcome of importing one file."""

    file: str
    format: str
    dataset: str
    release: str
    rows: int
    seconds: float
    skipped: bool  # True when the same file (same sha256) was imported before
    replaced: tuple[str, ...] = ()  # "file (release)" of each release this one superseded


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the snapshot database at ``path`` (read-write: creating it if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        # DuckDB lets one process write, or several read; never both at once.
        doing = "read" if read_only else "written"
        raise SnapshotBusyError(
            f"the data snapshot {path} cannot be {doing} now: another process holds it "
            f"open ({exc}). If an import is running, wait for it; if a program keeps the "
            "snapshot open (an older civicllm serve, a DuckDB shell), stop it and run the "
            "import again"
        ) from exc
    except duckdb.ConnectionException as exc:
        # This process holds it open the other way (read-only versus read-write).
        raise SnapshotBusyError(
            f"the data snapshot {path} is open in this process in another mode ({exc})"
        ) from exc
    if not read_only:
        conn.execute(_SCHEMA)
    return conn


def connect_when_free(
    path: Path, *, read_only: bool = False, wait_s: float = 60.0
) -> duckdb.DuckDBPyConnection:
    """Open the snapshot, retrying while another connection holds the file (up to wait_s)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return connect(path, read_only=read_only)
        except SnapshotBusyError:
            if time.monotonic() >= deadline:
                raise
        time.sleep(0.05)


def file_hash(path: Path) -> str:
    """Return the sha256 of a file, with its OWID metadata JSON when it has one."""
    digest = hashlib.sha256(path.read_bytes())
    meta = path.with_name(path.stem + ".metadata.json")
    if path.suffix == ".csv" and meta.exists():
        digest.update(meta.read_bytes())
    return digest.hexdigest()


def _companion_release(path: Path) -> str | None:
    """Return the date of the API CSV a World Bank metadata file was downloaded with."""
    match = re.match(r"Metadata_(?:Country|Indicator)_(.+)$", path.name)
    data = path.with_name(match.group(1)) if match else None
    if data is None or not data.exists():
        return None
    with data.open(encoding="utf-8-sig") as handle:
        for _ in range(5):
            line = handle.readline()
            if line.startswith('"Last Updated Date"'):
                found = _ISO_DATE.search(line)
                return found.group(0) if found else None
    return None


def _release_of(parsed: ParsedFile, given: str | None) -> str:
    if given is not None and not _ISO_DATE.fullmatch(given):
        raise InputError(f"release {given!r} is not a date YYYY-MM-DD", param="release")
    if parsed.release and given and parsed.release != given:
        raise InputError(
            f"{parsed.path}: the file says it was last updated {parsed.release}, "
            f"not {given}; leave out --release",
            param="release",
        )
    release = parsed.release or given or _companion_release(parsed.path)
    if release is None:
        raise InputError(
            f"{parsed.path}: the file states no release date; give one with --release YYYY-MM-DD",
            param="release",
        )
    return release


def _apply(parsed: ParsedFile, over: FileOverrides) -> ParsedFile:
    if over.indicator and len(parsed.indicators) == 1:
        old = parsed.indicators[0]
        parsed.indicators = [
            replace(
                old,
                code=over.indicator,
                name=over.indicator_name or old.name,
                unit=over.unit or old.unit,
            )
        ]
        parsed.obs_indicator = [over.indicator] * len(parsed.obs_indicator)
    elif over.unit or over.indicator_name:
        parsed.indicators = [
            IndicatorMeta(
                i.code,
                over.indicator_name or i.name,
                over.unit or i.unit,
                i.page_url,
                i.source_note,
                i.source_org,
            )
            for i in parsed.indicators
        ]
    parsed.dataset = over.dataset or parsed.dataset
    parsed.source_url = over.source_url or parsed.source_url
    parsed.licence = over.licence or parsed.licence
    return parsed


def import_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    table: PlaceTable,
    overrides: FileOverrides = FileOverrides(),
    *,
    replace: bool = False,
) -> ImportResult:
    """Import one publisher file as a release, in one transaction; skip a known hash.

    A file that differs from a release already there for one of its indicators and the same
    release date raises InputError, unless ``replace`` (then that release is deleted).
    """
    start = time.perf_counter()
    if not path.is_file():
        raise InputError(f"{path}: no such file", param="file", code="not_found")
    sha = file_hash(path)
    known = conn.execute(
        "SELECT dataset, release, rows, format FROM releases WHERE sha256 = ?", [sha]
    ).fetchone()
    if known is not None:
        return ImportResult(
            path.name, known[3], known[0], known[1], known[2], time.perf_counter() - start, True
        )
    parsed = _apply(parse_file(path), overrides)
    release = _release_of(parsed, overrides.release)
    clashes = _clashes(conn, parsed, release)
    if clashes and not replace:
        message = _clash_message(path, release, clashes, stated=parsed.release is not None)
        raise InputError(message, param="file", code="release_conflict")
    conn.begin()
    try:
        for clash in clashes:
            _delete_release(conn, clash.release_id)
        release_id = _write(conn, parsed, release, sha, table)
        duplicate = conn.execute(
            "SELECT indicator, place, year FROM observations WHERE release_id = ? "
            "GROUP BY ALL HAVING count(*) > 1 LIMIT 1",
            [release_id],
        ).fetchone()
        if duplicate is not None:
            raise InputError(
                f"{path}: two values for {duplicate[0]} {duplicate[1]} {duplicate[2]}",
                param="file",
                code="bad_data_file",
            )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return ImportResult(
        path.name,
        parsed.format,
        parsed.dataset,
        release,
        parsed.rows,
        time.perf_counter() - start,
        False,
        tuple(f"{c.file_name} ({c.release})" for c in clashes),
    )


_DATA_FORMATS = ("wb-api", "wb-databank", "owid")


@dataclass(frozen=True)
class _Clash:
    release_id: int
    dataset: str
    release: str
    file_name: str
    sha256: str
    rows: int
    codes: tuple[str, ...]


def _clashes(conn: duckdb.DuckDBPyConnection, parsed: ParsedFile, release: str) -> list[_Clash]:
    """Return the releases already there that this (new, different) file would shadow.

    A data file clashes with any release of the same date holding one of its indicators
    (whatever the dataset name: the newest import would silently win the queries); a
    metadata file with one of the same format, file name and date.
    """
    if parsed.format in _DATA_FORMATS:
        codes = sorted({i.code for i in parsed.indicators})
        rows = conn.execute(
            "SELECT r.id, r.dataset, r.release, r.file_name, r.sha256, r.rows, "
            "list_sort(list(i.code)) FROM releases r JOIN indicators i ON i.release_id = r.id "
            "WHERE r.release = ? AND i.code IN (SELECT unnest(?)) GROUP BY ALL ORDER BY r.id",
            [release, codes],
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT id, dataset, release, file_name, sha256, rows, [] FROM releases "
            "WHERE release = ? AND format = ? AND file_name = ? ORDER BY id",
            [release, parsed.format, parsed.path.name],
        ).fetchall()
    return [_Clash(int(r[0]), r[1], r[2], r[3], r[4], int(r[5]), tuple(r[6])) for r in rows]


def _clash_message(path: Path, release: str, clashes: list[_Clash], *, stated: bool) -> str:
    there = "; ".join(
        f"{c.file_name} ({c.dataset}{', ' + ', '.join(c.codes) if c.codes else ''}: "
        f"{c.rows} rows, sha256 {c.sha256[:12]})"
        for c in clashes
    )
    if stated:
        fix = (
            f"The file itself says it was last updated {release}, yet it differs from the "
            "file of that date: if it was edited or cut, use the publisher's file; if it "
            "is a newer download, its 'Last Updated Date' would be newer"
        )
    else:
        fix = "If it is a corrected or newer release, import it with a new --release YYYY-MM-DD"
    return (
        f"{path}: release {release} is already in the snapshot, imported from another file "
        f"with different content: {there}. Nothing was imported. {fix}; to supersede the "
        "release already there (its rows are deleted), run the import again with --replace"
    )


def _delete_release(conn: duckdb.DuckDBPyConnection, release_id: int) -> None:
    for table in ("observations", "indicators"):
        conn.execute(f"DELETE FROM {table} WHERE release_id = ?", [release_id])
    conn.execute("DELETE FROM releases WHERE id = ?", [release_id])


def _insert(conn: duckdb.DuckDBPyConnection, table: str, columns: dict[str, np.ndarray]) -> None:
    if not len(next(iter(columns.values()))):
        return
    conn.register("_incoming", columns)
    try:
        names = ", ".join(columns)
        conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _incoming")
    finally:
        conn.unregister("_incoming")


def _strings(values: list[str]) -> np.ndarray:
    return np.array(values, dtype=object)


def _write(
    conn: duckdb.DuckDBPyConnection, parsed: ParsedFile, release: str, sha: str, table: PlaceTable
) -> int:
    row = conn.execute("SELECT nextval('release_ids')").fetchone()
    assert row is not None
    release_id = int(row[0])
    conn.execute(
        "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            release_id,
            parsed.dataset,
            release,
            parsed.source_url,
            parsed.licence,
            parsed.path.name,
            sha,
            parsed.format,
            datetime.now(UTC).replace(tzinfo=None),
            parsed.rows,
        ],
    )
    if parsed.format == "wb-indicator":
        for ind in parsed.indicators:
            conn.execute(
                "INSERT OR REPLACE INTO indicator_notes VALUES (?, ?, ?)",
                [ind.code, ind.source_note, ind.source_org],
            )
    elif parsed.indicators:
        inds = parsed.indicators
        _insert(
            conn,
            "indicators",
            {
                "release_id": np.full(len(inds), release_id, dtype=np.int32),
                "code": _strings([i.code for i in inds]),
                "name": _strings([i.name for i in inds]),
                "unit": _strings([i.unit for i in inds]),
                "page_url": _strings([i.page_url for i in inds]),
            },
        )
    n = len(parsed.obs_value)
    _insert(
        conn,
        "observations",
        {
            "release_id": np.full(n, release_id, dtype=np.int32),
            "indicator": _strings(parsed.obs_indicator),
            "place": _strings(parsed.obs_place),
            "year": np.array(parsed.obs_year, dtype=np.int32),
            "value": np.array(parsed.obs_value, dtype=np.float64),
        },
    )
    _merge_places(conn, parsed, table)
    return release_id


def _merge_places(conn: duckdb.DuckDBPyConnection, parsed: ParsedFile, table: PlaceTable) -> None:
    current = {
        code: [name, kind, region, income]
        for code, name, kind, region, income in conn.execute(
            "SELECT code, name, kind, region, income_group FROM places"
        ).fetchall()
    }
    changed: dict[str, list[str | None]] = {}
    for row in parsed.places:
        old = current.get(row.code)
        if row.code in table.aggregates:
            kind = table.aggregates[row.code].kind
        elif row.authoritative:
            kind = row.kind or "aggregate"
        else:
            kind = old[1] if old else (row.kind or "country")
        name = (row.name if row.authoritative and row.name else None) or (
            old[0] if old else row.name
        )
        region, income = (old[2], old[3]) if old else (None, None)
        if row.authoritative:
            region = table.region_code(row.region) or None
            income = table.region_code(row.income_group) or None
        new = [name, kind, region, income]
        if new != old:
            current[row.code] = new
            changed[row.code] = new
    if changed:
        codes = list(changed)
        conn.execute("DELETE FROM places WHERE code IN (SELECT unnest(?))", [codes])
        _insert(
            conn,
            "places",
            {
                "code": _strings(codes),
                "name": _strings([str(changed[c][0]) for c in codes]),
                "kind": _strings([str(changed[c][1]) for c in codes]),
                "region": np.array([changed[c][2] for c in codes], dtype=object),
                "income_group": np.array([changed[c][3] for c in codes], dtype=object),
            },
        )
    have = set(conn.execute("SELECT code, name FROM place_names").fetchall())
    fresh = sorted({(r.code, r.name) for r in parsed.places if r.name} - have)
    _insert(
        conn,
        "place_names",
        {"code": _strings([c for c, _ in fresh]), "name": _strings([n for _, n in fresh])},
    )
