"""``civicllm data import`` / ``data list`` with SBA's workbook, through the importer plug-in."""

from __future__ import annotations

import importlib.metadata
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from civicllm.cli import main
from civicllm.data.cli import IMPORTER_GROUP, load_importers
from civicllm.errors import ConfigError
from civicllm.tools.small_business import store
from civicllm.tools.small_business.table import shipped_files, table_for

SHIPPED = shipped_files()["table"]
DATASET = "SBA Table of Size Standards"


def _copy(dst: Path, *, effective: str | None = None, cells: dict[str, object]) -> Path:
    """Save the shipped workbook with another date and some cells of the table sheet changed.

    ``cells`` maps "CODE:column" (column a letter, as in Excel) to the new value.
    """
    book = openpyxl.load_workbook(SHIPPED)
    if effective is not None:
        title = book["overview"]["A2"]
        title.value = str(title.value).replace("March 17, 2023", effective)
    for row in book["table_of_size_standards-all"].iter_rows():
        for key, value in cells.items():
            code, column = key.split(":")
            if str(row[0].value) == code:
                row["ABCDE".index(column)].value = value
    book.save(dst)
    return dst


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "civic-home"
    monkeypatch.setenv("CIVICLLM_HOME", str(path))
    return path


def test_the_sba_importer_is_registered() -> None:
    assert [type(p).__name__ for p in load_importers()] == ["SizeTableImporter"]


def test_import_the_shipped_workbook_then_list_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "import", str(SHIPPED), "--home", str(home)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.split("\t")[:4] == [SHIPPED.name, DATASET, "2023-03-17", "996 rows"]
    assert main(["data", "import", str(SHIPPED), "--home", str(home)]) == 0
    assert capsys.readouterr().out.strip().endswith("(already imported)")
    assert main(["data", "list", "--dataset", DATASET, "--home", str(home)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[1].startswith(f"{DATASET}\t2023-03-17\t996\t")
    assert listed[1].endswith("\t" + SHIPPED.name)


def test_a_later_workbook_is_kept_beside_and_as_of_picks(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    later = _copy(
        tmp_path / "Table of Size Standards_Effective October 1, 2027.xlsx",
        effective="October 1, 2027",
        cells={"541511:C": 41.5, "311812:D": 1250},
    )
    assert main(["data", "import", str(SHIPPED), str(later), "--home", str(home)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[2] for line in lines] == ["2023-03-17", "2027-10-01"]
    assert main(["data", "list", "--dataset", DATASET, "--json", "--home", str(home)]) == 0
    assert capsys.readouterr().out.count('"release"') == 2
    new = table_for(date(2027, 10, 1))
    assert new.industries["541511"].standard.limit == 41_500_000
    assert new.industries["311812"].standard.limit == 1250
    assert table_for(date(2027, 9, 30)).industries["541511"].standard.limit == 34_000_000


def test_a_different_file_for_the_same_date_exits_2_unless_replace(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "import", str(SHIPPED), "--home", str(home)]) == 0
    edited = _copy(tmp_path / "sba size standards (edited).xlsx", cells={"541511:C": 36})
    capsys.readouterr()
    assert main(["data", "import", str(edited), "--home", str(home)]) == 2
    err = capsys.readouterr().err
    assert str(edited) in err and "--replace" in err and "Traceback" not in err
    assert main(["data", "import", str(edited), "--replace", "--home", str(home)]) == 0
    assert "(replaced sba_table_of_size_standards_2023-03-17.xlsx" in capsys.readouterr().out
    assert table_for().industries["541511"].standard.limit == 36_000_000


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({}, "not an Excel workbook"),  # a cut download (written below)
        ({"541511:D": 500}, "row 862: both a receipts and an employee size standard"),
        ({"541511:C": "about 34"}, "'about 34' is not an amount in millions of dollars"),
        ({"541330 (Exception 2):A": "541330 (Exception 5)"}, "out of order"),
    ],
)
def test_a_bad_workbook_exits_2_naming_the_file(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cells: dict[str, object],
    expected: str,
) -> None:
    path = tmp_path / "Table of Size Standards_bad.xlsx"
    if cells:
        _copy(path, cells=cells)
    else:
        shutil.copyfile(SHIPPED, path)
        path.write_bytes(path.read_bytes()[:5000])
    assert main(["data", "import", str(path), "--home", str(home)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: ") and expected in err, err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert not (store.store_dir(home) / "2023-03-17.json").exists()


def test_a_release_flag_that_contradicts_the_workbook_exits_2(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["data", "import", str(SHIPPED), "--release", "2024-01-01", "--home", str(home)]) == 2
    )
    assert "2023-03-17" in capsys.readouterr().err


def test_a_flat_csv_of_the_table_is_refused_with_what_to_import(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sba.csv"
    path.write_text("naics_code,naics_industry_description,size_standard_millions_usd\n")
    assert main(["data", "import", str(path), "--home", str(home)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "workbook" in err and "sba.gov" in err


def test_an_object_that_is_no_importer_is_a_config_error_naming_the_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = importlib.metadata.EntryPoint(
        name="broken",
        value="civicllm.tools.small_business.table:SBA_TABLE_URL",
        group=IMPORTER_GROUP,
    )
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [entry])
    with pytest.raises(ConfigError, match=r"broken = .*is not an importer"):
        load_importers()
