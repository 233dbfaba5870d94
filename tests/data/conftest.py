"""Fixtures: the shipped files imported once per session into a snapshot the tests only read."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicllm.data import Snapshot, open_snapshot, shipped_dir

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "water_energy"


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshot]:
    """Return one snapshot of every shipped file (read-only use)."""
    snap = open_snapshot(tmp_path_factory.mktemp("data-home"))
    yield snap
    snap.close()


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a home whose snapshot holds every shipped file (copy it before writing)."""
    home = tmp_path_factory.mktemp("shipped-home")
    open_snapshot(home).close()
    return home


@pytest.fixture
def files() -> Path:
    """Return the folder of the shipped publisher files."""
    return shipped_dir()


def read_rows(path: Path) -> list[list[str]]:
    """Return every CSV record of a file, read with the csv module (BOM removed)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))
