"""SBA's Table of Size Standards and Census's NAICS structure, read from the published workbooks.

``parse_workbook(path)`` reads SBA's own ``.xlsx`` (not a flattened copy) into a
:class:`SizeTable`; ``table_for(as_of)`` returns the imported table in force on a date (see
``store.py`` for where imported tables live); ``naics_titles()`` maps every 2022 NAICS code
to its Census title. Example::

    table = table_for(date(2026, 12, 1))
    table.industry("522110").standard    # Standard(measure='assets', limit=850000000)
    table.industry("115310").exceptions[0].title    # 'Forest Fire Suppression'

What the sheet ``table_of_size_standards-all`` holds, and how each kind of row is read:

- ``Sector 31 – 33 – Manufacturing`` in the description column: a sector heading ("31-33").
- ``Subsector 333 – Machinery Manufacturing6`` in the code column: a subsector heading; a
  trailing footnote marker (and "See footnote 6") applies to every code under it.
- ``541330`` (a number): a 6-digit industry. Receipts are in $ millions (``2.25`` is
  $2,250,000, converted through ``Decimal`` so no float rounding creeps in); employees are a
  count; ``$850 million in assets`` (the depository banking codes) is an asset standard.
- ``541330 (Exception 1)`` / ``237990 (Exception)``: an exception under the industry above it.
- A description ending in a footnote number ("Forest Fire Suppression1", "Building and
  Property Specialty Trade Services 13") carries a marker: it is split off when the number
  is a footnote of the table and the Census title does not itself end in it.
- A parenthesised sentence under a sector heading (wholesale and retail trade, sector 92)
  is an explanatory note: it goes into ``SizeTable.notes``.

The trade-off: parsing the workbook costs about 0.1-1 s, so imported tables are kept parsed
as JSON in the civicllm home (``store.py``) and read from there afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from civicllm.errors import InputError

__all__ = [
    "SBA_TABLE_URL",
    "ExceptionRow",
    "Industry",
    "Measure",
    "SizeTable",
    "Standard",
    "naics_titles",
    "parse_naics_structure",
    "parse_workbook",
    "shipped_files",
    "split_marker",
    "table_for",
    "tables",
]

Measure = Literal["receipts", "employees", "assets"]

SBA_TABLE_URL = "https://www.sba.gov/document/support-table-size-standards"
TABLE_SHEET = "table_of_size_standards-all"
FOOTNOTE_SHEET = "footnotes"
OVERVIEW_SHEET = "overview"
SHIPPED_TABLE = "sba_table_of_size_standards_2023-03-17.xlsx"
SHIPPED_NAICS = "census_2022_naics_structure.xlsx"

_DASH = r"\s*[–—-]\s*"  # SBA writes en dashes, sometimes hyphens, with or without spaces
_SECTOR = re.compile(rf"Sector\s+(\d{{2}})(?:{_DASH}(\d{{2}}))?{_DASH}(.+)", re.S)
_SUBSECTOR = re.compile(rf"Subsector\s+(\d{{3}}){_DASH}(.+)", re.S)
_EXCEPTION = re.compile(r"(\d{6})\s*\(\s*Exception(?:\s+(\d+))?\s*\)")
_MARKER = re.compile(r"^(.*?[^\d\s])\s*(\d{1,2})$", re.S)
_SEE_FOOTNOTE = re.compile(r"\d+(?:\.[a-z])?")
_ASSETS = re.compile(r"\$\s*([\d.,]+)\s*(million|billion)\s+in\s+assets", re.I)
_EFFECTIVE = re.compile(r"Effective\s+([A-Z][a-z]+\s+\d{1,2},\s*\d{4})")
_SCALE = {"million": Decimal(1_000_000), "billion": Decimal(1_000_000_000)}


@dataclass(frozen=True)
class Standard:
    """A size limit: average annual receipts or assets in dollars, or a number of employees."""

    measure: Measure
    limit: int


@dataclass(frozen=True)
class ExceptionRow:
    """A narrower activity within an industry with a standard of its own ("Exception 1")."""

    number: int
    title: str
    standard: Standard
    footnotes: tuple[str, ...]


@dataclass(frozen=True)
class Industry:
    """A 6-digit NAICS industry of the table, with its standard, exceptions and footnotes."""

    code: str
    title: str  # SBA's description without the footnote marker
    naics_title: str  # the Census 2022 title (its trailing "T" marker removed)
    sector: str  # "54", "31-33"
    subsector: str  # "541"
    standard: Standard
    exceptions: tuple[ExceptionRow, ...]
    footnotes: tuple[str, ...]  # keys that apply ("5", "5.a", ...), subsector ones included


@dataclass(frozen=True)
class SizeTable:
    """One edition of SBA's table, by effective date. Example::

    table.industry("541511").standard.limit   # 34000000
    table.footnote_texts(["8"])               # [{"footnote": "8", "text": "NAICS Codes ..."}]
    """

    effective: date
    title: str  # "SBA Table of Size Standards, effective 2023-03-17"
    url: str
    industries: Mapping[str, Industry]
    footnotes: Mapping[str, str]  # "1", "5", "5.a" ... -> text, in the sheet's order
    notes: tuple[str, ...]  # the sheet's explanatory notes, each prefixed with its sector
    sector_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # "42" -> notes
    source_file: str = ""  # the workbook's file name as imported
    sha256: str = ""  # of that file

    def industry(self, code: str) -> Industry | None:
        """Return the industry of a 6-digit code, or None when the table has none."""
        return self.industries.get(code.strip())

    def footnote_texts(self, keys: Iterable[str]) -> list[dict[str, str]]:
        """Return ``[{"footnote", "text"}]`` for the keys, a key's parts ("5.a") included."""
        wanted: set[str] = set()
        for key in keys:
            wanted.add(key)
            wanted.update(k for k in self.footnotes if k.startswith(key + "."))
        return [
            {"footnote": key, "text": text} for key, text in self.footnotes.items() if key in wanted
        ]


def _fail(path: Path, where: str, reason: str) -> InputError:
    return InputError(f"{path}: {where}: {reason}", param="file", code="bad_data_file")


def clean_text(value: object) -> str:
    """Return a cell's text with non-breaking spaces and hyphens made plain, spaces collapsed."""
    text = "" if value is None else str(value)
    text = text.replace("\xa0", " ").replace("\u2011", "-")
    return re.sub(r"[ \t]+", " ", text).strip()


def _open(path: Path) -> Any:
    import openpyxl  # imported here: only an import or a cold start pays for it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file", param="file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", param="file") from exc
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError... on bad files
        raise _fail(path, "the file", f"not an Excel workbook (.xlsx) ({exc})") from exc


def _sheet_rows(path: Path, book: Any, name: str) -> list[tuple[Any, ...]]:
    if name not in book.sheetnames:
        raise _fail(
            path,
            f"sheet {name!r}",
            f"missing (the sheets are {', '.join(book.sheetnames)}); "
            "is this SBA's Table of Size Standards workbook?",
        )
    return [tuple(row) for row in book[name].iter_rows(values_only=True)]


def parse_naics_structure(path: Path) -> dict[str, str]:
    """Read Census's ``2022_NAICS_Structure.xlsx``: code (2-6 digits, "31-33") -> title."""
    book = _open(path)
    try:
        sheet = book[book.sheetnames[0]]
        titles: dict[str, str] = {}
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            code, title = (clean_text(c) for c in (*row, None, None)[:2])
            if not code or code.lower().startswith(("2022 naics", "seq")):
                continue
            if not re.fullmatch(r"\d{2,6}|\d{2}-\d{2}", code):
                raise _fail(path, f"row {number}", f"{code!r} is not a NAICS code")
            # Census marks trilateral (US/Canada/Mexico) titles with a trailing "T".
            titles[code] = re.sub(r"(?<=[a-z)])T$", "", title).strip()
    finally:
        book.close()
    if not titles:
        raise _fail(path, "the file", "no NAICS codes found")
    return titles


def shipped_files() -> dict[str, Path]:
    """Return the publisher files shipped in the package: "table" and "naics" -> path."""
    folder = Path(str(resources.files("civicllm.tools.small_business").joinpath("files")))
    return {"table": folder / SHIPPED_TABLE, "naics": folder / SHIPPED_NAICS}


@cache
def naics_titles() -> Mapping[str, str]:
    """Return every 2022 NAICS code (2-6 digits, and sectors such as "31-33") -> Census title."""
    from civicllm.tools.small_business.store import load_naics_titles

    return load_naics_titles(shipped_files()["naics"])


def _effective(path: Path, book: Any) -> date:
    """Return the effective date the overview sheet (else the table sheet's header) states."""
    for name in (OVERVIEW_SHEET, TABLE_SHEET):
        if name not in book.sheetnames:
            continue
        for number, row in enumerate(book[name].iter_rows(values_only=True), start=1):
            for cell in row:
                found = _EFFECTIVE.search(clean_text(cell))
                if found:
                    try:
                        return datetime.strptime(found.group(1), "%B %d, %Y").date()
                    except ValueError:
                        raise _fail(
                            path, f"sheet {name!r} row {number}", f"{found.group(0)!r} is no date"
                        ) from None
            if number > 10:
                break
    raise _fail(
        path,
        f"sheet {OVERVIEW_SHEET!r}",
        "no 'Effective <Month> <day>, <year>' in the title; SBA's workbook states its date there",
    )


def _footnotes(path: Path, rows: list[tuple[Any, ...]]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        key, text = (clean_text(c) for c in (*row, None, None)[:2])
        if not key or not text:
            continue  # blank spacer rows, the heading, and numbers SBA left empty (19, 20)
        if not re.fullmatch(r"\d+(?:\.[a-z])?", key):
            raise _fail(path, f"sheet {FOOTNOTE_SHEET!r} row {number}", f"{key!r} is no footnote")
        notes[key] = text
    if not notes:
        raise _fail(path, f"sheet {FOOTNOTE_SHEET!r}", "no footnotes found")
    return notes


def split_marker(text: str, footnotes: Mapping[str, str], census: str = "") -> tuple[str, str]:
    """Split a trailing footnote marker off a description: ("Credit Unions", "8").

    Digits stay when they are no footnote of the table or the Census title ends in them
    (a title such as "Title 13" is not a marker).
    """
    found = _MARKER.match(text)
    if found is None:
        return text, ""
    stem, digits = found.group(1).rstrip(), found.group(2)
    if digits not in footnotes or re.search(rf"(?<!\d){digits}$", census.strip()):
        return text, ""
    return stem, digits


def _expand(keys: Iterable[str], footnotes: Mapping[str, str]) -> tuple[str, ...]:
    """Return the keys with their parts ("5" -> "5", "5.a", ...), in the sheet's order."""
    wanted = set(keys)
    return tuple(
        key for key in footnotes if key in wanted or ("." in key and key.split(".")[0] in wanted)
    )


def _money(value: Any) -> int | None:
    """Return whole dollars for $ millions (2.25 -> 2250000), or None when not exact."""
    try:
        dollars = Decimal(str(value)) * _SCALE["million"]
    except InvalidOperation:
        return None
    return int(dollars) if dollars == dollars.to_integral_value() and dollars > 0 else None


def _standard(path: Path, number: int, receipts: Any, employees: Any) -> Standard:
    where = f"sheet {TABLE_SHEET!r} row {number}"
    has_receipts = receipts not in (None, "")
    has_employees = employees not in (None, "")
    if has_receipts == has_employees:
        said = "both a receipts and an employee" if has_receipts else "no receipts or employee"
        raise _fail(path, where, f"{said} size standard")
    if has_employees:
        if isinstance(employees, float) and employees.is_integer():
            employees = int(employees)
        if not isinstance(employees, int) or isinstance(employees, bool) or employees <= 0:
            raise _fail(path, where, f"employees {employees!r} is not a whole number")
        return Standard("employees", employees)
    if isinstance(receipts, str):
        assets = _ASSETS.search(clean_text(receipts))
        if assets is not None:
            amount = Decimal(assets.group(1).replace(",", "")) * _SCALE[assets.group(2).lower()]
            return Standard("assets", int(amount))
        receipts = clean_text(receipts).lstrip("$").strip()
    limit = None if isinstance(receipts, bool) else _money(receipts)
    if limit is None:
        raise _fail(path, where, f"{receipts!r} is not an amount in millions of dollars")
    return Standard("receipts", limit)


@dataclass
class _Open:
    """An industry being read: its exceptions follow it in the sheet."""

    code: str
    title: str
    sector: str
    subsector: str
    standard: Standard
    footnotes: tuple[str, ...]
    exceptions: list[ExceptionRow] = field(default_factory=list)


def _table_rows(
    path: Path, rows: list[tuple[Any, ...]], footnotes: Mapping[str, str], census: Mapping[str, str]
) -> Iterator[_Open | tuple[str, str]]:
    """Yield each industry (with its exceptions) and each (sector, note) of the sheet."""
    sector = subsector = ""
    sector_keys: tuple[str, ...] = ()
    subsector_keys: tuple[str, ...] = ()
    current: _Open | None = None
    for number, raw in enumerate(rows[1:], start=2):
        code_cell, text_cell, receipts, employees, note_cell = (*raw, None, None, None, None, None)[
            :5
        ]
        code, text, see = clean_text(code_cell), clean_text(text_cell), clean_text(note_cell)
        stated = tuple(_SEE_FOOTNOTE.findall(see)) if see else ()
        where = f"sheet {TABLE_SHEET!r} row {number}"
        if not code and not text:
            continue
        heading = _SECTOR.fullmatch(text) if not code else None
        if heading is not None:
            first, last, name = heading.groups()
            sector = f"{first}-{last}" if last else first
            _, mark = split_marker(name, footnotes, census.get(sector, ""))
            sector_keys = tuple(dict.fromkeys(((mark,) if mark else ()) + stated))
            subsector, subsector_keys = "", ()
            continue
        if not code and text.startswith("("):
            yield sector, text.strip("()").strip()
            continue
        sub = _SUBSECTOR.fullmatch(code)
        if sub is not None:
            subsector = sub.group(1)
            _, mark = split_marker(sub.group(2), footnotes, census.get(subsector, ""))
            subsector_keys = tuple(dict.fromkeys(((mark,) if mark else ()) + stated))
            continue
        if not sector or not subsector:
            raise _fail(path, where, f"{code or text!r} comes before any sector/subsector heading")
        exception = _EXCEPTION.fullmatch(code)
        if exception is None and not re.fullmatch(r"\d{6}", code):
            raise _fail(path, where, f"{code!r} is not a 6-digit NAICS code or an exception")
        base = exception.group(1) if exception else code
        if not base.startswith(subsector):
            raise _fail(path, where, f"{code!r} is listed under subsector {subsector}")
        title, mark = split_marker(text, footnotes, census.get(base, ""))
        if not title:
            raise _fail(path, where, f"{code!r} has no description")
        unknown = [key for key in stated if key not in footnotes]
        if unknown:
            raise _fail(path, where, f"footnote {', '.join(unknown)} is not in the footnotes")
        own = ((mark,) if mark else ()) + stated
        keys = _expand((*own, *subsector_keys, *sector_keys), footnotes)
        standard = _standard(path, number, receipts, employees)
        if exception is None:
            if current is not None:
                yield current
            current = _Open(code, title, sector, subsector, standard, keys)
            continue
        if current is None or current.code != base:
            raise _fail(path, where, f"{code!r} does not follow the row of {base}")
        count = int(exception.group(2) or 1)
        if count != len(current.exceptions) + 1:
            raise _fail(path, where, f"{code!r} is out of order (expected exception {count - 1})")
        current.exceptions.append(ExceptionRow(count, title, standard, keys))
    if current is not None:
        yield current


def parse_workbook(
    path: Path, *, titles: Mapping[str, str] | None = None, sha256: str = ""
) -> SizeTable:
    """Read SBA's Table of Size Standards workbook; raise InputError naming the file and row."""
    census = naics_titles() if titles is None else titles
    book = _open(path)
    try:
        effective = _effective(path, book)
        footnotes = _footnotes(path, _sheet_rows(path, book, FOOTNOTE_SHEET))
        rows = _sheet_rows(path, book, TABLE_SHEET)
    finally:
        book.close()
    industries: dict[str, Industry] = {}
    sector_notes: dict[str, list[str]] = {}
    notes: list[str] = []
    for item in _table_rows(path, rows, footnotes, census):
        if isinstance(item, tuple):
            sector, text = item
            sector_notes.setdefault(sector, []).append(text)
            label = census.get(sector, "")
            notes.append(f"Sector {sector}{' (' + label + ')' if label else ''}: {text}")
            continue
        if item.code in industries:
            raise _fail(path, f"sheet {TABLE_SHEET!r}", f"{item.code} is listed twice")
        industries[item.code] = Industry(
            code=item.code,
            title=item.title,
            naics_title=census.get(item.code, ""),
            sector=item.sector,
            subsector=item.subsector,
            standard=item.standard,
            exceptions=tuple(item.exceptions),
            footnotes=item.footnotes,
        )
    if not industries:
        raise _fail(path, f"sheet {TABLE_SHEET!r}", "no industries found")
    return SizeTable(
        effective=effective,
        title=f"SBA Table of Size Standards, effective {effective.isoformat()}",
        url=SBA_TABLE_URL,
        industries=industries,
        footnotes=footnotes,
        notes=tuple(dict.fromkeys(notes)),
        sector_notes={k: tuple(v) for k, v in sector_notes.items()},
        source_file=path.name,
        sha256=sha256,
    )


def tables() -> list[SizeTable]:
    """Return every imported table of the configured home, oldest first."""
    from civicllm.tools.small_business.store import load_tables

    return list(load_tables())


def table_for(as_of: date | None = None) -> SizeTable:
    """Return the table in force on ``as_of`` (default today); InputError(param="as_of") if none."""
    from civicllm.tools.small_business.store import select_table

    return select_table(tables(), as_of or date.today())
