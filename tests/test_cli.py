"""The CLI: exit codes, one-line errors, and the commands that need no model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from civicllm.cli import main


def test_ask_with_echo_engine_streams_the_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["ask", "echo", "What is a Pell Grant?", "--engine", "echo", "--home", str(tmp_path)]
    )
    assert code == 0
    assert "user: What is a Pell Grant?" in capsys.readouterr().out


def test_ask_assistant_json_output_is_grounded(
    seeded_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "ask",
            "student-aid",
            "Is the FAFSA free?",
            "--engine",
            "echo",
            "--home",
            str(tmp_path),
            "--json",
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["civicllm"]["citations"]
    assert any(
        c["document"].endswith("fafsa-basics.md") or "scam" in c["document"]
        for c in result["civicllm"]["citations"]
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "no-such-assistant", "hi", "--engine", "echo"],
        ["serve", "--port", "abc"],
        ["serve", "--port", "0"],
        ["sai", "--input", "/does/not/exist.json"],
        ["frobnicate"],
        ["keys", "create"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [*argv, *(["--home", str(tmp_path)] if argv[0] in ("ask", "serve", "keys") else [])]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error:") and "\n" not in err
    assert "Traceback" not in err


def test_models_lists_assistants(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--engine", "echo", "--home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "echo\tmodel" in out and "student-aid\tassistant" in out


def test_keys_create_list_and_audit_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "create", "kiosk", "--home", str(tmp_path)]) == 0
    plaintext = capsys.readouterr().out.strip()
    assert plaintext.startswith("civ-")
    assert main(["keys", "list", "--home", str(tmp_path)]) == 0
    listed = capsys.readouterr().out
    assert "kiosk" in listed and plaintext not in listed
    assert main(["audit", "verify", "--home", str(tmp_path)]) == 0


def test_chat_reads_turns_until_end_of_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "civicllm",
            "chat",
            "echo",
            "--engine",
            "echo",
            "--home",
            str(tmp_path),
        ],
        input="first question\nsecond question\n/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    # The second reply echoes the whole conversation, so history is kept.
    assert "user: first question\nassistant: user: first question\nuser: second question" in (
        result.stdout
    )


def test_version_runs_as_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "civicllm", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("civicllm ")


def test_an_unknown_engine_lists_the_registered_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "--engine", "gpt", "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown engine 'gpt'; registered: echo, llama-cpp, openai" in err


def test_tool_list_and_run_use_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tool", "list"]) == 0
    assert "student-aid/estimate\t" in capsys.readouterr().out
    assert main(["tool", "run", "no-such/tool", "--input", "-"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: There is no tool 'no-such/tool'. Installed tools: ")
    assert "student-aid/estimate" in err
    not_object = tmp_path / "list.json"
    not_object.write_text("[1, 2]")
    assert main(["tool", "run", "student-aid/estimate", "--input", str(not_object)]) == 2
    assert "must be a JSON object" in capsys.readouterr().err


def test_data_commands_are_wired_in_when_the_data_layer_is_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("civicllm.data.cli")
    code = main(["data", "import", str(tmp_path / "absent.csv"), "--home", str(tmp_path)])
    assert code == 2
    assert "absent.csv" in capsys.readouterr().err
