"""``civicllm data import`` and ``civicllm data list``, called directly and through main()."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from civicllm.config import Settings
from civicllm.data import open_snapshot
from civicllm.data.cli import add_data_parser, load_importers, run_data_command
from civicllm.errors import InputError


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="civicllm")
    add_data_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


@pytest.fixture
def home(shipped_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(shipped_home, copy)
    return copy


def test_import_prints_dataset_release_rows_and_seconds(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("Entity,Code,Year,Thing\nKenya,KEN,2020,1.5\nChad,TCD,2020,2\n")
    args = _parse(["data", "import", str(path), "--release", "2026-03-01", "--dataset", "Mine"])
    assert run_data_command(args, Settings(engine="echo", home=home)) == 0
    line = capsys.readouterr().out.strip()
    assert line.split("\t")[:4] == ["extra.csv", "Mine", "2026-03-01", "2 rows"]
    assert line.endswith(" s")
    snap = open_snapshot(home)
    try:
        assert [r.release for r in snap.releases("Mine")] == ["2026-03-01"]
        obs = snap.value("extra", "TCD")
        assert obs is not None and (obs.year, obs.value) == (2020, 2.0)
    finally:
        snap.close()


def test_import_of_a_shipped_file_again_says_so(
    home: Path, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _parse(["data", "import", str(files / "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv")])
    assert run_data_command(args, Settings(engine="echo", home=home)) == 0
    assert "(already imported)" in capsys.readouterr().out


def test_bad_file_raises_input_error(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Entity,Code,Year,Thing\nKenya,KEN,2020,lots\n")
    args = _parse(["data", "import", str(path), "--release", "2026-03-01"])
    with pytest.raises(InputError, match=r"bad\.csv: line 2: .*not a number"):
        run_data_command(args, Settings(engine="echo", home=home))


def test_list_prints_every_release(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["data", "list"])
    assert run_data_command(args, Settings(engine="echo", home=home)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("dataset\trelease")
    snap = open_snapshot(home)
    shipped = len(snap.releases())
    snap.close()
    shipped += sum(len(plugin.releases(home)) for plugin in load_importers())
    assert len(out) == 1 + shipped
    assert any("2025-01-28" in line and "WDI_DataBank" in line for line in out)


def test_main_exits_2_with_one_line_for_a_bad_file(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from civicllm.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("Entity,Code,Year,Thing\nKenya,KEN,2020,1\nKenya,KEN\n")
    code = main(["data", "import", str(path), "--release", "2026-03-01", "--home", str(home)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [f"error: {path}: line 3: 2 cells where the header has 4"]


def _edited_access(files: Path, folder: Path) -> Path:
    """Copy the shipped access file with one value changed (same name, same stated date)."""
    name = "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"
    text = (files / name).read_text(encoding="utf-8-sig")
    kenya = next(line for line in text.splitlines() if line.startswith('"Kenya"'))
    cells = kenya.split('","')
    at = max(i for i, cell in enumerate(cells) if cell.replace(".", "").isdigit())
    cells[at] = str(float(cells[at]) + 1.5)
    folder.mkdir()
    path = folder / name
    path.write_text(text.replace(kenya, '","'.join(cells)), encoding="utf-8")
    return path


def test_main_refuses_a_changed_copy_of_a_release_with_exit_2(
    home: Path, files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from civicllm.cli import main

    path = _edited_access(files, tmp_path / "edited")
    code = main(["data", "import", str(path), "--home", str(home)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith(f"error: {path}: release 2026-07-01 is already in the snapshot")
    assert "--replace" in err
    assert main(["data", "list", "--home", str(home)]) == 0
    listed = capsys.readouterr().out
    entries = [line for line in listed.splitlines() if line.endswith("\t" + path.name)]
    assert len(entries) == 1  # the shipped file only: no entry for the refused copy


def test_replace_flag_supersedes_and_says_so(
    home: Path, files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _edited_access(files, tmp_path / "edited")
    args = _parse(["data", "import", str(path), "--replace"])
    assert run_data_command(args, Settings(engine="echo", home=home)) == 0
    out = capsys.readouterr().out
    assert f"(replaced {path.name} (2026-07-01))" in out
