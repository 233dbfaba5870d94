"""`civicllm sai` names every bad field on its own line and exits 2; odd files are bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicllm.cli import main

ISSUE_EXAMPLE = {
    "award_year": "2025-26",
    "student": {"date_of_birth": "2007-05-01", "family_size": -3},
}


def run_sai(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["sai", "--input", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


def test_every_bad_field_is_a_line_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps(ISSUE_EXAMPLE), encoding="utf-8")
    code, lines = run_sai(path, capsys)
    assert code == 2
    assert all(line.startswith("error: ") for line in lines)
    assert any("student.marital_status" in line and "required" in line for line in lines)
    assert any("student.family_size" in line for line in lines)
    assert any("student.income" in line for line in lines)
    assert len(lines) == 4  # marital status, state, income missing; family size invalid


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"award_year": ' + b"9" * 5000 + b"}",
        b"\xff\xfe not utf-8",
    ],
    ids=["deep", "long-number", "not-utf8"],
)
def test_unreadable_json_is_bad_input_in_one_line(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "form.json"
    path.write_bytes(content)
    code, lines = run_sai(path, capsys)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("error: ")
