"""civicllm verify PACK: one line per sentence, --json the API body, exit 0 / 1 / 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from civicllm.cli import main

PELL = "The maximum Pell Grant for 2026-27 is $7,395."
FALSE = "The maximum Pell Grant for 2026-27 is $9,100."


def run(argv: list[str], home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["verify", *argv, "--home", str(home)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_supported_text_exits_0_with_one_line_per_sentence(
    seeded_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"{PELL}\nLa beca Pell máxima es de 7.395 dólares."
    code, out, err = run(["student-aid", "--text", text], tmp_path, capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"supported: {PELL}") and "en/pell-grant.md" in lines[0]
    assert lines[1].startswith("supported: La beca Pell")


def test_json_is_the_api_body_and_a_false_sentence_exits_1(
    seeded_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"{PELL} {FALSE}"
    code, out, err = run(["student-aid", "--text", text, "--json"], tmp_path, capsys)
    assert code == 1, err
    body = json.loads(out)
    assert body["object"] == "verification" and body["model"] == "student-aid"
    first, second = body["sentences"]
    assert (first["start"], first["end"], first["supported"]) == (0, len(PELL), True)
    assert second["supported"] is False and second["reason"] != "supported"
    assert text[second["start"] : second["end"]] == FALSE
    assert body["supported_text"] == PELL


def test_file_and_standard_input(
    seeded_index: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(f"- {FALSE}\n", encoding="utf-8")
    code, out, _ = run(["student-aid", "--file", str(draft)], tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0].split(":")[0] in ("number-mismatch", "contradicted")
    monkeypatch.setattr("sys.stdin", io.StringIO(PELL))
    code, out, _ = run(["student-aid", "--file", "-", "--json"], tmp_path, capsys)
    assert code == 0
    assert json.loads(out)["sentences"][0]["text"] == PELL


@pytest.mark.parametrize(
    "argv",
    [
        ["student-aid"],  # neither --text nor --file
        ["student-aid", "--text", "a", "--file", "-"],
        ["student-aid", "--text", ""],
        ["student-aid", "--text", "   "],
        ["student-aid", "--text", PELL, "--language", "it"],
        ["student-aid", "--file", "/does/not/exist.txt"],
        ["no-such-assistant", "--text", PELL],
        ["echo", "--text", PELL],  # a raw model, not an assistant
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([*argv, "--engine", "echo"], tmp_path, capsys)
    assert code == 2, (out, err)
    assert err.startswith("error:") and "\n" not in err.strip()
    assert "Traceback" not in err


def test_not_utf8_file_and_too_long_text_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café".encode("latin-1"))
    code, _, err = run(["student-aid", "--file", str(bad), "--engine", "echo"], tmp_path, capsys)
    assert code == 2 and "UTF-8" in err
    monkeypatch.setenv("CIVICLLM_MAX_MESSAGE_CHARS", "10")
    code, _, err = run(["student-aid", "--text", PELL, "--engine", "echo"], tmp_path, capsys)
    assert code == 2 and "10 characters" in err
