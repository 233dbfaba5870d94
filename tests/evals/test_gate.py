"""The eval gate: a model generates an assistant's answers only after passing its eval."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from civicllm.engines.echo import EchoEngine
from civicllm.evals.gate import (
    answer_modes,
    choose_mode,
    find_record,
    model_identity,
    pack_version,
    read_records,
    record_gate,
)
from civicllm.packs.loader import BUILTIN_PACKS_DIR, Pack, load_pack


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    folder = tmp_path / "packs" / "student-aid"
    shutil.copytree(BUILTIN_PACKS_DIR / "student-aid", folder)
    return load_pack(folder)


def test_auto_generates_only_with_a_passing_record(pack: Pack, tmp_path: Path) -> None:
    home = tmp_path / "home"
    model = model_identity(EchoEngine())
    assert find_record(home, pack, model) is None
    assert choose_mode("auto", None) == "extract"
    failing = record_gate(home, pack, model, passed=False, figures={}, failed=["accuracy"])
    assert choose_mode("auto", find_record(home, pack, model)) == "extract"
    assert failing.failed == ["accuracy"]
    record_gate(home, pack, model, passed=True, figures={"accuracy": {"en": 0.95}})
    found = find_record(home, pack, model)
    assert found is not None and found.passed
    assert choose_mode("auto", found) == "generate"
    assert [r.passed for r in read_records(home, pack.id)] == [False, True]


def test_forced_modes_ignore_the_record(pack: Pack, tmp_path: Path) -> None:
    home = tmp_path / "home"
    record = record_gate(home, pack, "echo:x", passed=True, figures={})
    assert choose_mode("extract", record) == "extract"
    assert choose_mode("generate", None) == "generate"


def test_changing_a_source_or_the_model_closes_the_gate(pack: Pack, tmp_path: Path) -> None:
    home = tmp_path / "home"
    model = model_identity(EchoEngine())
    record_gate(home, pack, model, passed=True, figures={})
    assert find_record(home, pack, "gguf:other.gguf:0123") is None
    before = pack_version(pack)
    article = pack.sources_dir / "en" / "pell-grant.md"
    article.write_text(article.read_text() + "\nOne more sentence.\n")
    assert pack_version(pack) != before
    assert find_record(home, pack, model) is None
    modes = answer_modes(home, {pack.id: pack}, EchoEngine(), "auto")
    assert modes[pack.id] == ("extract", None)


def test_gguf_identity_follows_the_file_content(tmp_path: Path) -> None:
    class FakeGguf(EchoEngine):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.model_path = path

    first = tmp_path / "model.gguf"
    first.write_bytes(b"GGUF one")
    second = tmp_path / "copy" / "model.gguf"
    second.parent.mkdir()
    second.write_bytes(b"GGUF two")
    one, two = model_identity(FakeGguf(first)), model_identity(FakeGguf(second))
    assert one.startswith("gguf:model.gguf:") and one != two


def test_an_unreadable_record_file_keeps_the_gate_shut(pack: Pack, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "gate").mkdir(parents=True)
    (home / "gate" / f"{pack.id}.json").write_text("{not json")
    assert read_records(home, pack.id) == []
    record_gate(home, pack, "echo:x", passed=True, figures={})
    rows = json.loads((home / "gate" / f"{pack.id}.json").read_text())
    assert len(rows) == 1 and rows[0]["passed"] is True
