"""The generated size-check cases are current, and the tool gets every development case right.

Held-out cases (``heldout: true``) are left to ``bench/make_size_cases.py --score --heldout``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from civicllm.tools.small_business.size_tool import SIZE_CHECK

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "small_business"


@pytest.fixture(scope="module")
def size_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("size-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, size_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CIVICLLM_HOME", str(size_home))
    yield


@pytest.fixture(scope="module")
def maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_size_cases", ROOT / "bench/make_size_cases.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_case_file_is_what_the_script_writes(maker: ModuleType) -> None:
    if not (SHARED / maker.TABLE).exists():
        pytest.skip("shared/data/small_business is not checked out next to the repository")
    assert maker.main(["--check"]) == 0


def test_cases_cover_every_kind_and_keep_a_quarter_apart(maker: ModuleType) -> None:
    cases = list(maker.iter_cases())
    assert len(cases) >= 60
    kinds = {c["kind"] for c in cases}
    assert {
        "receipts",
        "employees",
        "assets",
        "exception",
        "under_5_years",
        "affiliates",
        "footnotes",
    } <= kinds
    held = sum(1 for c in cases if c["heldout"])
    assert 0.15 < held / len(cases) < 0.35


def test_every_development_case_is_right(maker: ModuleType) -> None:
    wrong = []
    for case in maker.iter_cases():
        if case["heldout"]:
            continue
        output = SIZE_CHECK.run(case["input"])
        if any(output.get(key) != value for key, value in case["expect"].items()):
            wrong.append(case["id"])
    assert wrong == []
