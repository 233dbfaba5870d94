"""Imported size tables, one per effective date, kept parsed in the civicllm home.

Layout, under ``<home>/data/small-business/size-standards/``::

    index.json         the tables imported: effective date, file name, sha256, rows, when
    2023-03-17.json    one table as parsed (industries, exceptions, footnotes, notes)

``load_tables()`` imports the shipped workbook on first use (``prepare`` does it at server
start) and reads the JSON files, not the workbooks, so a later process start costs a few
milliseconds instead of a parse; the tables stay in memory until ``index.json`` changes
(another process's import is seen at the next call, by the file's size and time).

Import policy, as for the statistics snapshot (``civicllm data import``): the same file
again is a no-op; a table with a new effective date is kept beside the others; a different
file for an effective date already there is refused unless ``replace=True``. A home that
cannot be written (a read-only deployment) still answers: the shipped workbook is parsed in
memory instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from civicllm.errors import InputError
from civicllm.tools.small_business.table import (
    ExceptionRow,
    Industry,
    SizeTable,
    Standard,
    parse_workbook,
    shipped_files,
)

if TYPE_CHECKING:  # civicllm.data pulls in DuckDB: only ``civicllm data`` needs it
    from civicllm.data.snapshot import ReleaseInfo
    from civicllm.data.store import ImportResult

__all__ = [
    "DATASET",
    "IMPORTER",
    "SizeTableImporter",
    "current_home",
    "import_workbook",
    "load_naics_titles",
    "load_tables",
    "prepare",
    "select_table",
    "store_dir",
    "table_from_json",
    "table_to_json",
]

DATASET = "SBA Table of Size Standards"
FORMAT = "sba-size-standards"
SCHEMA = 1  # of the JSON files; a file of another version is parsed again from its workbook
INDEX = "index.json"


def current_home() -> Path:
    """Return the configured home directory (``CIVICLLM_HOME``, the config, ~/.civicllm)."""
    from civicllm.config import load_settings

    return Path(load_settings().home).expanduser().resolve()


def file_hash(path: Path) -> str:
    """Return the sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_dir(home: Path) -> Path:
    """Return the folder of the imported size tables of a home."""
    return home / "data" / "small-business" / "size-standards"


# --- JSON form ----------------------------------------------------------------------------


def _standard_json(standard: Standard) -> list[Any]:
    return [standard.measure, standard.limit]


def _standard_of(raw: Sequence[Any]) -> Standard:
    return Standard(cast(Any, str(raw[0])), int(raw[1]))


def table_to_json(table: SizeTable) -> dict[str, Any]:
    """Return a table as JSON-ready data (read back with ``table_from_json``)."""
    return {
        "schema": SCHEMA,
        "effective": table.effective.isoformat(),
        "title": table.title,
        "url": table.url,
        "source_file": table.source_file,
        "sha256": table.sha256,
        "footnotes": dict(table.footnotes),
        "notes": list(table.notes),
        "sector_notes": {k: list(v) for k, v in table.sector_notes.items()},
        "industries": [
            [
                i.code,
                i.title,
                i.naics_title,
                i.sector,
                i.subsector,
                _standard_json(i.standard),
                list(i.footnotes),
                [
                    [e.number, e.title, _standard_json(e.standard), list(e.footnotes)]
                    for e in i.exceptions
                ],
            ]
            for i in table.industries.values()
        ],
    }


def table_from_json(raw: Mapping[str, Any]) -> SizeTable:
    """Rebuild a table from ``table_to_json`` data."""
    industries: dict[str, Industry] = {}
    for code, title, naics_title, sector, subsector, standard, keys, exceptions in raw[
        "industries"
    ]:
        industries[code] = Industry(
            code=code,
            title=title,
            naics_title=naics_title,
            sector=sector,
            subsector=subsector,
            standard=_standard_of(standard),
            exceptions=tuple(
                ExceptionRow(int(n), t, _standard_of(s), tuple(f)) for n, t, s, f in exceptions
            ),
            footnotes=tuple(keys),
        )
    return SizeTable(
        effective=date.fromisoformat(raw["effective"]),
        title=raw["title"],
        url=raw["url"],
        industries=industries,
        footnotes=dict(raw["footnotes"]),
        notes=tuple(raw["notes"]),
        sector_notes={k: tuple(v) for k, v in raw["sector_notes"].items()},
        source_file=raw.get("source_file", ""),
        sha256=raw.get("sha256", ""),
    )


# --- the index and its lock ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One imported table as ``index.json`` lists it."""

    effective: str
    file: str
    sha256: str
    rows: int
    imported_at: str

    @property
    def json_name(self) -> str:
        """Return the name of the table's JSON file."""
        return f"{self.effective}.json"


@dataclass
class _Index:
    entries: list[Entry]
    declined: list[str]  # sha256 of shipped workbooks whose date an operator replaced


def _read_index(folder: Path) -> _Index:
    try:
        raw = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _Index([], [])
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{folder / INDEX}: not readable ({exc}); delete the folder {folder} and the "
            "size tables are imported again",
            param="file",
        ) from exc
    entries = [Entry(**e) for e in raw.get("tables", [])]
    return _Index(sorted(entries, key=lambda e: e.effective), list(raw.get("declined", [])))


def _write_json(path: Path, data: Any) -> None:
    """Write a JSON file atomically (a reader sees the old file or the new one)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def _write_index(folder: Path, index: _Index) -> None:
    data = {
        "schema": SCHEMA,
        "tables": [e.__dict__ for e in sorted(index.entries, key=lambda e: e.effective)],
        "declined": index.declined,
    }
    _write_json(folder / INDEX, data)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock: two imports (CLI and server) never interleave their writes."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _rows(table: SizeTable) -> int:
    return len(table.industries) + sum(len(i.exceptions) for i in table.industries.values())


def import_workbook(
    path: Path, home: Path, *, replace: bool = False, release: str | None = None
) -> ImportResult:
    """Import one SBA workbook into a home; the same file again is a no-op.

    ``release``, when given, must be the effective date the workbook states (it is a check,
    not an override: the date comes from the workbook). A different file for an effective
    date already imported raises InputError unless ``replace``.
    """
    from civicllm.data.store import ImportResult

    started = time.perf_counter()
    folder = store_dir(home)
    try:
        sha = file_hash(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", param="file") from exc
    with _locked(folder):
        index = _read_index(folder)
        same = next((e for e in index.entries if e.sha256 == sha), None)
        if same is not None and (folder / same.json_name).is_file():
            _check_release(path, release, same.effective)
            return ImportResult(
                path.name, FORMAT, DATASET, same.effective, same.rows,
                time.perf_counter() - started, skipped=True,
            )  # fmt: skip
        table = parse_workbook(path, sha256=sha)
        effective = table.effective.isoformat()
        _check_release(path, release, effective)
        there = next((e for e in index.entries if e.effective == effective), None)
        replaced: tuple[str, ...] = ()
        if there is not None and there.sha256 != sha:
            if not replace:
                raise InputError(
                    f"{path}: a size table effective {effective} is already imported, from "
                    f"another file with different content: {there.file} ({there.rows} rows, "
                    f"sha256 {there.sha256[:12]}). Nothing was imported. If this is SBA's "
                    "corrected table for that date, run the import again with --replace to "
                    "supersede it; a new table states a later effective date",
                    param="file",
                    code="release_exists",
                )
            replaced = (f"{there.file} ({there.effective})",)
            index.declined.append(there.sha256)
        entry = Entry(
            effective, path.name, sha, _rows(table), datetime.now(UTC).isoformat(timespec="seconds")
        )
        _write_json(folder / entry.json_name, table_to_json(table))
        index.entries = [e for e in index.entries if e.effective != effective] + [entry]
        if sha in index.declined:
            index.declined.remove(sha)
        _write_index(folder, index)
    return ImportResult(
        path.name, FORMAT, DATASET, effective, entry.rows, time.perf_counter() - started,
        skipped=False, replaced=replaced,
    )  # fmt: skip


def _check_release(path: Path, release: str | None, effective: str) -> None:
    if release and release != effective:
        raise InputError(
            f"{path}: --release {release} differs from the effective date the workbook "
            f"states ({effective}); leave --release out for SBA's workbook",
            param="release",
        )


# --- loading ------------------------------------------------------------------------------


def _stamp(folder: Path) -> tuple[int, int]:
    try:
        stat = (folder / INDEX).stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def _ensure_shipped(home: Path) -> None:
    """Import the shipped workbook unless it (or a replacement for its date) is there."""
    folder = store_dir(home)
    workbook = shipped_files()["table"]
    sha = file_hash(workbook)
    index = _read_index(folder)
    if sha in index.declined or any(e.sha256 == sha for e in index.entries):
        return
    try:
        import_workbook(workbook, home)
    except InputError as exc:
        if exc.code != "release_exists":
            raise
        with _locked(folder):  # an operator replaced the shipped table's date: keep theirs
            index = _read_index(folder)
            index.declined.append(sha)
            _write_index(folder, index)


@lru_cache(maxsize=8)
def _read_tables(folder: Path, stamp: tuple[int, int]) -> tuple[SizeTable, ...]:
    del stamp  # part of the cache key only: a changed index.json is read again
    found: list[SizeTable] = []
    for entry in _read_index(folder).entries:
        raw = json.loads((folder / entry.json_name).read_text(encoding="utf-8"))
        if raw.get("schema") != SCHEMA:
            raise InputError(
                f"{folder / entry.json_name}: written by another civicllm version; import "
                f"{entry.file} again with --replace",
                param="file",
            )
        found.append(table_from_json(raw))
    return tuple(found)


def load_naics_titles(workbook: Path, home: Path | None = None) -> dict[str, str]:
    """Return Census's NAICS titles, kept as JSON in the home beside the size tables.

    Parsing the structure workbook costs about 0.2 s; the JSON (named by the workbook's
    sha256) about 2 ms. A home that cannot be written just parses.
    """
    from civicllm.tools.small_business.table import parse_naics_structure

    sha = file_hash(workbook)
    folder = store_dir(home or current_home()).parent
    cached = folder / f"naics-titles-{sha[:16]}.json"
    try:
        return dict(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    titles = parse_naics_structure(workbook)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_json(cached, titles)
    except OSError:
        pass  # a read-only home: parse in each process
    return titles


@lru_cache(maxsize=1)
def _shipped_in_memory() -> tuple[SizeTable, ...]:
    workbook = shipped_files()["table"]
    return (parse_workbook(workbook, sha256=file_hash(workbook)),)


@lru_cache(maxsize=8)
def _prepared(folder: Path, stamp: tuple[int, int]) -> tuple[int, int]:
    """Check the shipped workbook is imported, once per state of the index; return its stamp."""
    del stamp  # the cache key: the check runs again only after the index changed
    _ensure_shipped(folder.parents[2])
    return _stamp(folder)


def load_tables(home: Path | None = None) -> tuple[SizeTable, ...]:
    """Return every imported table of a home (default: the configured one), oldest first."""
    folder = store_dir(home or current_home())
    try:
        stamp = _prepared(folder, _stamp(folder))
    except OSError:
        return _shipped_in_memory()  # a read-only home: answer from the shipped file
    return _read_tables(folder, stamp)


def prepare() -> None:
    """Import the shipped workbook into the configured home if it is not there (Tool.prepare)."""
    load_tables()


def select_table(found: Sequence[SizeTable], as_of: date) -> SizeTable:
    """Return the latest table in ``found`` effective on or before ``as_of``."""
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    in_force = [t for t in found if t.effective <= as_of]
    if in_force:
        return max(in_force, key=lambda t: t.effective)
    dates = ", ".join(t.effective.isoformat() for t in found) or "none"
    raise InputError(
        f"as_of {as_of.isoformat()}: no SBA size table imported was in force on that date "
        f"(the tables imported take effect on: {dates}); give a date on or after "
        f"{min(t.effective for t in found).isoformat() if found else 'a table is imported'}",
        param="as_of",
    )


# --- the ``civicllm data import`` plug-in --------------------------------------------------


class SizeTableImporter:
    """The ``civicllm.importers`` plug-in: SBA's workbook for ``civicllm data import``/``list``."""

    name = "sba-size-standards"
    dataset = DATASET

    def accepts(self, path: Path) -> bool:
        """Return True for an .xlsx with SBA's table sheet (or named like SBA's file)."""
        if path.suffix.lower() == ".csv":
            return _is_flat_copy(path)  # to say what to import instead
        if path.suffix.lower() != ".xlsx":
            return False
        named = "size standard" in path.name.lower().replace("_", " ")
        return named or _has_sheet(path, "table_of_size_standards-all")

    def import_file(
        self, path: Path, home: Path, *, replace: bool = False, release: str | None = None
    ) -> ImportResult:
        """Import one workbook into the home's size tables."""
        if path.suffix.lower() == ".csv":
            raise InputError(
                f"{path}: a CSV copy of SBA's table; import SBA's workbook as published "
                "(Table of Size Standards, .xlsx, from "
                "https://www.sba.gov/document/support-table-size-standards)",
                param="file",
                code="bad_data_file",
            )
        return import_workbook(path, home, replace=replace, release=release)

    def releases(self, home: Path) -> list[ReleaseInfo]:
        """Return one row per imported table (the shipped one imported first if needed)."""
        from civicllm.data.snapshot import ReleaseInfo

        load_tables(home)
        return [
            ReleaseInfo(DATASET, e.effective, _naive(e.imported_at), e.file, e.rows)
            for e in _read_index(store_dir(home)).entries
        ]


def _naive(stamp: str) -> datetime:
    """Return an ISO time as naive UTC, as the statistics releases list theirs."""
    return datetime.fromisoformat(stamp).astimezone(UTC).replace(tzinfo=None)


def _is_flat_copy(path: Path) -> bool:
    """Return whether a CSV starts with the header of a flattened SBA table."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return False
    return first.startswith("naics_code,naics_industry_description,size_standard")


def _has_sheet(path: Path, sheet: str) -> bool:
    """Return whether a workbook lists a sheet, reading only its zip directory and workbook.xml."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            listing = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f'name="{sheet}"' in listing


IMPORTER = SizeTableImporter()
