"""Imports are all or nothing, name the bad line, skip known files and keep old releases."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from civicllm.data import FileOverrides, Snapshot, open_snapshot
from civicllm.data.shipped import load_manifest
from civicllm.errors import InputError

from .conftest import read_rows

ACCESS = "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"
DATABANK = "WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv"
BASIC = "population-using-at-least-basic-drinking-water.csv"


@pytest.fixture
def writable(shipped_home: Path, tmp_path: Path) -> Iterator[Snapshot]:
    home = tmp_path / "home"
    shutil.copytree(shipped_home, home)
    snap = open_snapshot(home, writable=True)
    yield snap
    snap.close()


def _state(snap: Snapshot) -> tuple[object, ...]:
    rows = snap._rows  # the tables' sizes: nothing may change on a failed import
    return tuple(
        rows(f"SELECT count(*) FROM {table}")[0][0]
        for table in ("releases", "observations", "indicators", "places", "place_names")
    )


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines(keepends=True)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _bad_files(files: Path, tmp: Path) -> list[tuple[Path, int, str]]:
    """Return (file, line the error must name, words it must say) for broken copies."""
    api = _lines(files / ACCESS)
    owid = _lines(files / "proportion-using-safely-managed-drinking-water.csv")
    bank = _lines(files / DATABANK)
    kenya = next(i for i, line in enumerate(api) if line.startswith('"Kenya"'))
    cases = []
    header = [*api[:4], api[4].replace('"Country Code"', '"Code"'), *api[5:]]
    cases.append((_write(tmp / "header.csv", header), 5, "header"))
    short = [*api[:kenya], api[kenya].replace('"KEN",', "", 1), *api[kenya + 1 :]]
    cases.append((_write(tmp / "cells.csv", short), kenya + 1, "cells"))
    word = [*api[:kenya], api[kenya].replace('"76.2"', '"seventy"'), *api[kenya + 1 :]]
    assert word != api
    cases.append((_write(tmp / "word.csv", word), kenya + 1, "not a number"))
    end = api[-1].index('","', len(api[-1]) // 2) + 2  # cut after whole cells
    cut = [*api[:-1], api[-1][:end]]
    cases.append((_write(tmp / "truncated.csv", cut), len(api), "cells"))
    quote = [*api[:-1], api[-1][:40]]  # cut inside a quoted cell
    cases.append((_write(tmp / "quote.csv", quote), len(api), "truncated"))
    cases.append((_write(tmp / "owid.csv", [*owid[:-1], "Zimbabwe,ZWE,20"]), len(owid), "cells"))
    year = [*owid[:3], owid[3].replace(",2002,", ",20x2,"), *owid[4:]]
    cases.append((_write(tmp / "year.csv", year), 4, "year"))
    no_footer = bank[:-5]
    cases.append((_write(tmp / "bank.csv", no_footer), len(no_footer), "footer"))
    cases.append((_write(tmp / "other.csv", ["a,b,c\n", "1,2,3\n"]), 1, "header"))
    return cases


def test_bad_files_name_file_and_line_and_change_nothing(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    before = _state(writable)
    for path, line, words in _bad_files(files, tmp_path):
        with pytest.raises(InputError) as caught:
            writable.import_file(path, FileOverrides(release="2026-01-01"))
        message = caught.value.message
        assert message.startswith(f"{path}: line {line}: "), message
        assert words in message, message
        assert caught.value.param == "file"
        assert _state(writable) == before, path.name


def test_a_failure_inside_the_transaction_rolls_back(writable: Snapshot, tmp_path: Path) -> None:
    before = _state(writable)
    twice = _write(
        tmp_path / "twice.csv", ["Entity,Code,Year,v\n", "Kenya,KEN,2020,1\n", "Kenya,KEN,2020,2\n"]
    )
    with pytest.raises(InputError, match="two values for"):
        writable.import_file(twice, FileOverrides(release="2026-01-01"))
    assert _state(writable) == before


def test_release_is_required_when_the_file_states_none(writable: Snapshot, tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", ["Entity,Code,Year,v\n", "Kenya,KEN,2020,1\n"])
    with pytest.raises(InputError, match="--release") as caught:
        writable.import_file(path)
    assert caught.value.param == "release"
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        writable.import_file(path, FileOverrides(release="May 2020"))


def test_a_release_contradicting_the_file_is_refused(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    lines = _lines(files / ACCESS)
    edited = _write(tmp_path / "edited.csv", [*lines, "\n"])  # same rows, another hash
    with pytest.raises(InputError, match="2026-07-01"):
        writable.import_file(edited, FileOverrides(release="2020-01-01"))


def test_reimporting_the_same_file_is_a_no_op(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    before = _state(writable)
    copy = tmp_path / "renamed.csv"
    shutil.copyfile(files / ACCESS, copy)
    result = writable.import_file(copy)
    assert result.skipped and result.release == "2026-07-01"
    assert _state(writable) == before


def test_a_newer_release_sits_beside_the_old_one(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    rows = read_rows(files / BASIC)
    last = max((r for r in rows[1:] if r[1] == "KEN"), key=lambda r: int(r[2]))
    year, old_value = int(last[2]), float(last[3])
    folder = tmp_path / "newer"
    folder.mkdir()
    text = (files / BASIC).read_text(encoding="utf-8")
    changed = text.replace(f"Kenya,KEN,{year},{last[3]}", f"Kenya,KEN,{year},70.5")
    assert changed != text
    (folder / BASIC).write_text(changed, encoding="utf-8")
    meta = json.loads((files / BASIC.replace(".csv", ".metadata.json")).read_text())
    next(iter(meta["columns"].values()))["lastUpdated"] = "2026-06-30"
    (folder / BASIC.replace(".csv", ".metadata.json")).write_text(json.dumps(meta))

    result = writable.import_file(folder / BASIC)
    assert (result.skipped, result.release, result.dataset) == (
        False,
        "2026-06-30",
        "Our World in Data",
    )
    new = writable.value("water_basic", "KEN", year)
    old = writable.value("water_basic", "KEN", year, release="2025-12-08")
    assert new is not None and (new.value, new.release) == (70.5, "2026-06-30")
    assert old is not None and (old.value, old.release) == (old_value, "2025-12-08")
    releases = [r.release for r in writable.releases("Our World in Data")]
    assert releases[:2] == ["2026-06-30", "2025-12-08"]
    assert writable.indicator("water_basic").release == "2026-06-30"


def test_reopening_imports_nothing_and_is_fast(tmp_path: Path) -> None:
    import time

    first = open_snapshot(tmp_path)
    count = len(first.releases())
    first.close()
    start = time.perf_counter()
    again = open_snapshot(tmp_path)
    elapsed = time.perf_counter() - start
    assert len(again.releases()) == count and again.read_only
    again.close()
    assert elapsed < 1.0


def _kenya_changed(files: Path, folder: Path) -> tuple[Path, float]:
    """Write a copy of the access file with Kenya's latest value changed; return it and that."""
    lines = _lines(files / ACCESS)
    at = next(i for i, line in enumerate(lines) if line.startswith('"Kenya"'))
    cells = list(re.finditer(r'"(\d+(?:\.\d+)?)"', lines[at]))
    last = cells[-1]  # Kenya's latest value
    new = float(last.group(1)) - 3.25
    lines[at] = f'{lines[at][: last.start()]}"{new}"{lines[at][last.end() :]}'
    folder.mkdir(exist_ok=True)
    return _write(folder / ACCESS, lines), new


def test_a_cut_copy_of_a_world_bank_file_is_refused(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    # The copy a newcomer made with `head -n 100`: whole lines, but a third of the economies.
    before = _state(writable)
    header = next(i for i, line in enumerate(_lines(files / ACCESS)) if "Country Code" in line)
    kept = 100 - header - 1
    kenya = writable.value("electricity_access", "KEN")
    head = _write(tmp_path / "head.csv", _lines(files / ACCESS)[:100])
    with pytest.raises(InputError, match=r"head\.csv: line 100: .*World \(WLD\).*cut") as alone:
        writable.import_file(head)
    assert alone.value.param == "file"
    # Beside its companion metadata it is measured against the economies that file lists.
    folder = tmp_path / "download"
    folder.mkdir()
    _write(folder / ACCESS, _lines(files / ACCESS)[:100])
    meta = "Metadata_Country_" + ACCESS
    shutil.copyfile(files / meta, folder / meta)
    listed = len(read_rows(files / meta)) - 1
    with pytest.raises(InputError, match=rf"after {kept} economies, but {meta} lists {listed}"):
        writable.import_file(folder / ACCESS)
    assert _state(writable) == before
    assert writable.value("electricity_access", "KEN") == kenya


def test_a_different_file_for_a_release_already_there_is_refused(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    before = _state(writable)
    kenya = writable.value("electricity_access", "KEN")
    assert kenya is not None
    changed, _ = _kenya_changed(files, tmp_path / "edited")
    with pytest.raises(InputError) as caught:
        writable.import_file(changed)
    message = caught.value.message
    assert message.startswith(f"{changed}: release 2026-07-01 is already in the snapshot")
    assert ACCESS in message.split(": release")[1]  # the file already there, by name
    sha = next(r for r in writable._rows("SELECT file_name, sha256 FROM releases")
               if r[0] == ACCESS)[1]  # fmt: skip
    assert f"sha256 {sha[:12]}" in message
    assert "--replace" in message and "Nothing was imported" in message
    assert caught.value.param == "file"
    assert _state(writable) == before
    assert writable.value("electricity_access", "KEN") == kenya
    assert sum(r.file == ACCESS for r in writable.releases()) == 1


def test_a_file_without_a_date_is_told_to_take_a_new_release(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    safe = "proportion-using-safely-managed-drinking-water.csv"
    lines = _lines(files / safe)
    edited = _write(tmp_path / safe, [*lines[:-1], lines[-1].rstrip("\n") + "1\n"])
    shipped = next(f.overrides for f in load_manifest().files if f.path.name == safe)
    assert shipped.release == "2024-02-12"
    with pytest.raises(InputError, match="import it with a new --release YYYY-MM-DD"):
        writable.import_file(edited, shipped)
    result = writable.import_file(edited, replace(shipped, release="2024-03-01"))
    assert not result.skipped and result.replaced == ()
    assert [r.release for r in writable.releases("Our World in Data")].count("2024-02-12") == 1


def test_replace_supersedes_the_release_explicitly(
    writable: Snapshot, files: Path, tmp_path: Path
) -> None:
    kenya = writable.value("electricity_access", "KEN")
    assert kenya is not None
    changed, new = _kenya_changed(files, tmp_path / "edited")
    count = len(writable.releases())
    result = writable.import_file(changed, replace=True)
    assert result.replaced == (f"{ACCESS} (2026-07-01)",) and not result.skipped
    after = writable.value("electricity_access", "KEN")
    assert after is not None and (after.year, after.value) == (kenya.year, new)
    assert len(writable.releases()) == count  # the old entry is gone, not listed beside
    rows = writable._rows(
        "SELECT count(*) FROM observations o JOIN releases r ON r.id = o.release_id "
        "WHERE r.release = '2026-07-01' AND o.indicator = 'EG.ELC.ACCS.ZS'"
    )
    assert rows[0][0] == result.rows


def _civicllm(*argv: str, timeout: float = 50) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "civicllm", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def _newer_basic(files: Path, folder: Path) -> Path:
    """Write the OWID basic-water file as a release of 2026-06-30 with Kenya's 2022 at 70.5."""
    folder.mkdir()
    text = (files / BASIC).read_text(encoding="utf-8")
    changed = re.sub(r"^Kenya,KEN,2022,[^\n]*$", "Kenya,KEN,2022,70.5", text, flags=re.M)
    assert changed != text
    (folder / BASIC).write_text(changed, encoding="utf-8")
    meta_name = BASIC.replace(".csv", ".metadata.json")
    meta = json.loads((files / meta_name).read_text())
    next(iter(meta["columns"].values()))["lastUpdated"] = "2026-06-30"
    (folder / meta_name).write_text(json.dumps(meta))
    return folder / BASIC


def test_an_import_runs_while_a_reader_holds_the_snapshot(
    shipped_home: Path, files: Path, tmp_path: Path
) -> None:
    # The server: the snapshot opened (read-only) once and kept for the process's life.
    home = tmp_path / "home"
    shutil.copytree(shipped_home, home)
    reader = open_snapshot(home)
    try:
        before = reader.value("water_basic", "KEN", 2022)
        assert before is not None and before.release == "2025-12-08"
        assert reader._seen == reader._stamp()  # reading leaves the file as it was
        again = _civicllm("data", "import", str(files / ACCESS), "--home", str(home))
        assert again.returncode == 0, again.stderr
        assert "(already imported)" in again.stdout

        newer = _civicllm("data", "import", str(_newer_basic(files, tmp_path / "new")),
                          "--home", str(home))  # fmt: skip
        assert newer.returncode == 0, newer.stderr
        # The same reader, not restarted, answers from the new release at its next question.
        now = reader.value("water_basic", "KEN", 2022)
        assert now is not None and (now.value, now.release) == (70.5, "2026-06-30")
        old = reader.value("water_basic", "KEN", 2022, release="2025-12-08")
        assert old == before
        # And a reader in another process sees it too.
        listed = _civicllm("data", "list", "--dataset", "Our World in Data", "--home", str(home))
        assert listed.returncode == 0 and "\t2026-06-30\t" in listed.stdout
    finally:
        reader.close()


def test_a_reader_answers_from_memory_while_another_process_writes(
    shipped_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(shipped_home, home)
    reader = open_snapshot(home)
    assert reader.path is not None
    first = reader.value("electricity_access", "KEN")
    hold = (
        "import duckdb, sys, time\n"
        "c = duckdb.connect(sys.argv[1])\n"
        "c.execute('CREATE TABLE held (a INTEGER)'); c.execute('INSERT INTO held VALUES (1)')\n"
        "print('ready', flush=True); time.sleep(30)\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", hold, str(reader.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        assert reader._stamp() != reader._seen  # the file changed under the reader
        start = time.perf_counter()
        assert reader.value("electricity_access", "KEN") == first
        assert time.perf_counter() - start < 2.0  # not waiting for the writer
    finally:
        writer.kill()
        writer.wait()
        reader.close()
