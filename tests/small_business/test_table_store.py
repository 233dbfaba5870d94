"""Imported size tables in the home: versions by effective date, as_of, caching, policy."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from civicllm.data.cli import Importer
from civicllm.errors import InputError
from civicllm.tools.small_business import store
from civicllm.tools.small_business.table import (
    SizeTable,
    Standard,
    parse_workbook,
    shipped_files,
    table_for,
    tables,
)

SHIPPED = shipped_files()["table"]


def edited_workbook(dst: Path, *, effective: str | None = None, limits: dict[str, float]) -> Path:
    """Save a copy of the shipped workbook with another effective date and receipts limits."""
    book = openpyxl.load_workbook(SHIPPED)
    if effective is not None:
        cell = book["overview"]["A2"]
        assert "Effective March 17, 2023" in str(cell.value)
        cell.value = str(cell.value).replace("March 17, 2023", effective)
    for row in book["table_of_size_standards-all"].iter_rows():
        if str(row[0].value) in limits:
            row[2].value = limits[str(row[0].value)]
    book.save(dst)
    return dst


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SBA's table as it might be republished: effective 2027-10-01, 541511 at $40 million."""
    folder = tmp_path_factory.mktemp("later")
    return edited_workbook(
        folder / "Table of Size Standards_Effective October 1, 2027.xlsx",
        effective="October 1, 2027",
        limits={"541511": 40},
    )


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A different file claiming the shipped table's date (541511 at $35 million)."""
    folder = tmp_path_factory.mktemp("corrected")
    return edited_workbook(folder / "size standards corrected.xlsx", limits={"541511": 35})


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "civic-home"
    monkeypatch.setenv("CIVICLLM_HOME", str(path))
    return path


def test_first_use_imports_the_shipped_workbook_into_the_home(home: Path) -> None:
    table = table_for(date(2026, 12, 1))
    assert table.effective == date(2023, 3, 17)
    assert table.industries["541511"].standard == Standard("receipts", 34_000_000)
    folder = store.store_dir(home)
    assert (folder / "2023-03-17.json").is_file()
    assert table.sha256 == store.file_hash(SHIPPED)
    assert [t.effective for t in tables()] == [date(2023, 3, 17)]


def test_a_later_process_reads_the_json_not_the_workbook(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = store.load_tables(home)
    assert store.load_tables(home) is first  # the same process: from memory
    store._read_tables.cache_clear()  # as a new process would start
    store._prepared.cache_clear()

    def no_parse(*args: object, **kwargs: object) -> SizeTable:
        raise AssertionError("the workbook was parsed again")

    monkeypatch.setattr(store, "parse_workbook", no_parse)
    again = store.load_tables(home)
    assert again == first and again is not first


def test_json_round_trip_keeps_every_field() -> None:
    table = parse_workbook(SHIPPED, sha256="abc")
    assert store.table_from_json(store.table_to_json(table)) == table


def test_as_of_picks_the_table_in_force(home: Path, later: Path) -> None:
    result = store.import_workbook(later, home)
    assert (result.release, result.rows, result.skipped) == ("2027-10-01", 996, False)
    assert [t.effective.isoformat() for t in tables()] == ["2023-03-17", "2027-10-01"]
    assert table_for(date(2027, 9, 30)).industries["541511"].standard.limit == 34_000_000
    assert table_for(date(2027, 10, 1)).industries["541511"].standard.limit == 40_000_000
    assert table_for(date(2030, 1, 1)).effective == date(2027, 10, 1)
    assert table_for(date(2023, 3, 17)).effective == date(2023, 3, 17)
    assert table_for(datetime(2027, 10, 1, 9, 30)).effective == date(2027, 10, 1)


def test_as_of_before_every_table_names_the_tables(home: Path, later: Path) -> None:
    store.import_workbook(later, home)
    with pytest.raises(InputError) as caught:
        table_for(date(2023, 3, 16))
    assert caught.value.param == "as_of"
    assert "2023-03-16" in caught.value.message
    assert "2023-03-17, 2027-10-01" in caught.value.message


def test_the_same_file_again_is_a_no_op(home: Path, later: Path) -> None:
    store.import_workbook(later, home)
    index = (store.store_dir(home) / "index.json").read_bytes()
    again = store.import_workbook(later, home)
    assert again.skipped and again.release == "2027-10-01"
    assert (store.store_dir(home) / "index.json").read_bytes() == index


def test_a_different_file_for_an_imported_date_needs_replace(home: Path, corrected: Path) -> None:
    assert table_for().effective == date(2023, 3, 17)  # the shipped table is there
    with pytest.raises(InputError) as caught:
        store.import_workbook(corrected, home)
    assert caught.value.code == "release_exists"
    assert str(corrected) in caught.value.message and "--replace" in caught.value.message
    assert table_for().industries["541511"].standard.limit == 34_000_000
    result = store.import_workbook(corrected, home, replace=True)
    assert result.replaced == ("sba_table_of_size_standards_2023-03-17.xlsx (2023-03-17)",)
    assert table_for().industries["541511"].standard.limit == 35_000_000
    # The shipped workbook is not imported back over the operator's choice.
    store._prepared.cache_clear()
    store._read_tables.cache_clear()
    assert [t.source_file for t in tables()] == ["size standards corrected.xlsx"]


def test_a_release_flag_must_match_the_workbooks_date(home: Path) -> None:
    with pytest.raises(InputError) as caught:
        store.import_workbook(SHIPPED, home, release="2024-01-01")
    assert caught.value.param == "release" and "2023-03-17" in caught.value.message


def test_a_home_that_cannot_be_written_answers_from_the_shipped_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    found = store.load_tables(blocker / "home")
    assert [t.effective for t in found] == [date(2023, 3, 17)]


def test_prepare_imports_into_the_configured_home(home: Path) -> None:
    store.prepare()
    assert (store.store_dir(home) / "index.json").is_file()


def test_the_importer_plugin_accepts_sbas_workbook_only(tmp_path: Path) -> None:
    plugin: Importer = store.IMPORTER  # mypy checks it against the protocol
    assert plugin.accepts(SHIPPED)
    assert not plugin.accepts(shipped_files()["naics"])
    assert not plugin.accepts(tmp_path / "data.csv")
    named = tmp_path / "Table of Size Standards_Effective 2030.xlsx"
    named.write_text("truncated")
    assert plugin.accepts(named)  # so the error comes from SBA's reader, naming the file


def test_naics_titles_are_kept_in_the_home_after_the_first_parse(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = shipped_files()["naics"]
    first = store.load_naics_titles(workbook, home)
    assert first["31-33"] == "Manufacturing" and len(first) == 2125
    assert list(store.store_dir(home).parent.glob("naics-titles-*.json"))

    def no_parse(path: Path) -> dict[str, str]:
        raise AssertionError("parsed again")

    monkeypatch.setattr("civicllm.tools.small_business.table.parse_naics_structure", no_parse)
    assert store.load_naics_titles(workbook, home) == first
