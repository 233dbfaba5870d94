"""SBA's workbook as parsed by table.py, checked row by row against the project's flat CSVs.

The CSVs in ``shared/data/small_business/`` were flattened from the same workbook by other
hands; every code, limit, exception and footnote of the parse must agree with them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from civicllm.errors import InputError
from civicllm.tools.small_business.table import (
    SizeTable,
    Standard,
    naics_titles,
    parse_workbook,
    shipped_files,
    split_marker,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "small_business"
TABLE_CSV = SHARED / "sba_size_standards_2023-03-17.csv"
FOOTNOTES_CSV = SHARED / "sba_size_standards_footnotes_2023-03-17.csv"
NAICS_CSV = SHARED / "2022_NAICS_Structure.csv"


@pytest.fixture(scope="module")
def table() -> SizeTable:
    return parse_workbook(shipped_files()["table"])


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2011", "-")).strip()


def _code_of(heading: str) -> str:
    """'Sector 31 – 33 – Manufacturing' -> '31-33'; 'Subsector 333 – ...6' -> '333'."""
    found = re.match(r"(?:Sub)?[Ss]ector\s+(\d+)(?:\s*[–-]\s*(\d{2})(?=\s*[–-]))?", heading)
    assert found, heading
    return "-".join(g for g in found.groups() if g)


def _keys(cell: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.[a-z])?", cell))


def disagreements(table: SizeTable, rows: list[dict[str, str]]) -> list[str]:
    """Return every way the parsed table differs from the flat CSV (empty when they agree)."""
    found: list[str] = []
    seen: set[str] = set()
    for row in rows:
        code = row["naics_code"]
        base = code[:6]
        industry = table.industry(base)
        if industry is None:
            found.append(f"{code}: missing")
            continue
        exception = re.search(r"Exception\s*(\d*)", code)
        if exception:
            number = int(exception.group(1) or 1)
            match = [e for e in industry.exceptions if e.number == number]
            if not match:
                found.append(f"{code}: exception missing")
                continue
            item = match[0]
            title, standard, keys = item.title, item.standard, item.footnotes
        else:
            seen.add(base)
            title, standard, keys = industry.title, industry.standard, industry.footnotes
            if industry.sector != _code_of(row["sector"]):
                found.append(f"{code}: sector {industry.sector} != {row['sector']}")
            if industry.subsector != _code_of(row["subsector"]):
                found.append(f"{code}: subsector {industry.subsector} != {row['subsector']}")
        seen.add(code)
        receipts, employees = row["size_standard_millions_usd"], row["size_standard_employees"]
        if receipts.startswith("$"):
            amount = re.match(r"\$([\d.]+) million in assets", receipts)
            assert amount, receipts
            expected = Standard("assets", int(Decimal(amount.group(1)) * 1_000_000))
        elif receipts:
            expected = Standard("receipts", int(Decimal(receipts) * 1_000_000))
        else:
            expected = Standard("employees", int(employees))
        if standard != expected:
            found.append(f"{code}: {standard} != {expected}")
        # The description is the title plus, at most, a footnote marker of the row's own.
        description = _plain(row["naics_industry_description"])
        marker = description[len(title) :].strip() if description.startswith(title) else None
        if marker is None or (marker and marker not in keys):
            found.append(f"{code}: title {title!r} from {description!r}")
        top = {k for k in keys if "." not in k}
        stated = _keys(row["footnotes"]) | _keys(row["subsector_footnotes"])
        if marker:
            stated.add(marker)
        if top != stated:
            found.append(f"{code}: footnotes {sorted(top)} != {sorted(stated)}")
        parts = {k for k in keys if "." in k}
        if parts != {k for k in table.footnotes if k.split(".")[0] in top and "." in k}:
            found.append(f"{code}: footnote parts {sorted(parts)}")
    extra = set(table.industries) - seen
    if extra:
        found.append(f"not in the CSV: {sorted(extra)}")
    for industry in table.industries.values():
        for item in industry.exceptions:
            suffix = "" if len(industry.exceptions) == 1 else f" {item.number}"
            label = f"{industry.code} (Exception{suffix})"
            if label not in seen:
                found.append(f"{label}: not in the CSV")
    return found


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    with TABLE_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_code_limit_exception_and_footnote_agrees_with_the_flat_csv(
    table: SizeTable, csv_rows: list[dict[str, str]]
) -> None:
    assert len(table.industries) == 978
    assert sum(len(i.exceptions) for i in table.industries.values()) == 18
    assert len(csv_rows) == 996
    assert disagreements(table, csv_rows) == []


def test_the_cross_check_finds_a_changed_limit_title_or_footnote(
    table: SizeTable, csv_rows: list[dict[str, str]]
) -> None:
    bank = table.industries["522110"]
    changed = dict(table.industries)
    changed["522110"] = replace(bank, standard=Standard("receipts", 850_000_000))
    changed["541511"] = replace(table.industries["541511"], title="Custom Computer Programming")
    changed["333111"] = replace(table.industries["333111"], footnotes=())
    problems = disagreements(replace(table, industries=changed), csv_rows)
    assert {p.split(":")[0] for p in problems} == {"333111", "522110", "541511"}


def test_footnotes_sheet_agrees_with_the_footnotes_csv(table: SizeTable) -> None:
    with FOOTNOTES_CSV.open(encoding="utf-8") as handle:
        expected = {r["footnote"]: _plain(r["text"]) for r in csv.DictReader(handle)}
    assert {k: _plain(v) for k, v in table.footnotes.items()} == expected
    assert list(table.footnotes)[:9] == ["1", "2", "3", "4", "5", "5.a", "5.b", "5.c", "6"]


def test_naics_titles_agree_with_the_census_csv_without_the_t_marker() -> None:
    titles = naics_titles()
    with NAICS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(titles) == len(rows) == 2125
    for row in rows:
        title = row["naics_2022_title"].strip()
        expected = title[:-1] if title.endswith("T") and row["digits"] != "6" else title
        assert titles[row["naics_2022_code"]] == expected.strip(), row
    assert titles["31-33"] == "Manufacturing"
    assert titles["111"] == "Crop Production"  # "Crop ProductionT " in the workbook
    assert sorted({len(c) for c in titles}) == [2, 3, 4, 5, 6]


def test_industries_carry_the_census_title(table: SizeTable) -> None:
    titles = naics_titles()
    assert all(i.naics_title == titles[i.code] for i in table.industries.values())
    assert table.industries["311812"].naics_title == "Commercial Bakeries"


def test_effective_date_and_title_come_from_the_workbook(table: SizeTable) -> None:
    assert table.effective.isoformat() == "2023-03-17"
    assert table.title == "SBA Table of Size Standards, effective 2023-03-17"
    assert table.url.startswith("https://www.sba.gov/")


@pytest.mark.parametrize(
    ("code", "measure", "limit"),
    [
        ("111110", "receipts", 2_250_000),  # 2.25 in the sheet: exact, no float error
        ("541810", "receipts", 25_500_000),
        ("541511", "receipts", 34_000_000),
        ("311812", "employees", 1000),
        ("522110", "assets", 850_000_000),
        ("522130", "assets", 850_000_000),
        ("522180", "assets", 850_000_000),
        ("522210", "assets", 850_000_000),
        ("522220", "receipts", 47_000_000),
    ],
)
def test_standards_in_whole_dollars_or_employees(
    table: SizeTable, code: str, measure: str, limit: int
) -> None:
    standard = table.industries[code].standard
    assert (standard.measure, standard.limit) == (measure, limit)
    assert isinstance(standard.limit, int)


def test_footnote_markers_are_split_off_titles(table: SizeTable) -> None:
    fire = table.industries["115310"].exceptions[0]
    assert (fire.number, fire.title, fire.footnotes) == (1, "Forest Fire Suppression", ("1",))
    trade = table.industries["238990"].exceptions[0]  # "... Services 13" (with a space)
    assert (trade.title, trade.footnotes) == (
        "Building and Property Specialty Trade Services",
        ("13",),
    )
    # A marker with no "See footnote" beside it still counts.
    assert table.industries["513210"].footnotes == ("15",)
    assert table.industries["326211"].footnotes == ("5", "5.a", "5.b", "5.c")
    assert not any(re.search(r"\d$", i.title) for i in table.industries.values())


def test_subsector_footnote_applies_to_every_code_under_it(table: SizeTable) -> None:
    for industry in table.industries.values():
        assert ("6" in industry.footnotes) == (industry.subsector in {"333", "334", "335", "336"})
    assert table.industries["336413"].footnotes == ("6", "7")


def test_exceptions_numbered_as_in_the_sheet(table: SizeTable) -> None:
    engineering = table.industries["541330"]
    assert [e.number for e in engineering.exceptions] == [1, 2, 3]
    assert (
        engineering.exceptions[0].title == "Military and Aerospace Equipment and Military Weapons"
    )
    assert engineering.exceptions[0].standard == Standard("receipts", 47_000_000)
    resellers = table.industries["541519"].exceptions[0]  # "(Exception)" is number 1
    assert (resellers.number, resellers.standard) == (1, Standard("employees", 150))


def test_notes_hold_the_sheets_explanations(table: SizeTable) -> None:
    assert len(table.notes) == 3
    assert set(table.sector_notes) == {"42", "44-45", "92"}
    assert "500 or fewer employees" in table.sector_notes["42"][0]
    assert "not established" in table.sector_notes["92"][0]


def test_footnote_texts_include_the_parts_of_a_footnote(table: SizeTable) -> None:
    texts = table.footnote_texts(["11"])
    assert [t["footnote"] for t in texts] == ["11", "11.a", "11.b", "11.c", "11.d"]
    assert table.footnote_texts(["4"])[0]["text"].startswith("NAICS code 324110")
    assert table.footnote_texts([]) == []


@pytest.mark.parametrize(
    ("text", "census", "expected"),
    [
        ("Credit Unions8", "", ("Credit Unions", "8")),
        (
            "Building and Property Specialty Trade Services 13",
            "",
            ("Building and Property Specialty Trade Services", "13"),
        ),
        ("Agents under Title 13", "Agents under Title 13", ("Agents under Title 13", "")),
        ("Something 99", "", ("Something 99", "")),  # 99 is no footnote of the table
        ("Act of 1992", "", ("Act of 1992", "")),
        ("Plain Title", "", ("Plain Title", "")),
    ],
)
def test_split_marker_keeps_digits_that_are_part_of_a_title(
    table: SizeTable, text: str, census: str, expected: tuple[str, str]
) -> None:
    assert split_marker(text, table.footnotes, census) == expected


def test_a_file_that_is_no_workbook_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    path.write_text("not a zip")
    with pytest.raises(InputError) as caught:
        parse_workbook(path)
    assert str(path) in caught.value.message and "not an Excel workbook" in caught.value.message
