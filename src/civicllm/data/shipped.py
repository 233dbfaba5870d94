"""The publisher files shipped in ``civicllm/data/files`` and the snapshot built from them.

``open_snapshot(home)`` opens ``<home>/data/snapshot.duckdb`` and imports every file the
manifest lists that is not there yet (by sha256), so a fresh install needs no import step
and later opens only hash the files (about 2 MB) and read the release table.

Readers and ``civicllm data import``: DuckDB locks the file, shared for a read-only
connection and exclusive for a writable one, across processes, so while any process holds
even a read-only connection no other process can import. The snapshot returned read-only
therefore holds no connection between reads: it reads the small tables (releases,
indicators, places, names) when opened, each indicator of a release once when first asked
(then from memory), and opens a read-only connection only for those reads (tens of ms). An
import run while the server is up waits at most for such a read; a read that comes while an
import writes waits for it (up to ``READ_WAIT_S`` in ``snapshot``). The trade-off: the first
question on an indicator after a start or an import costs one connection (about 40 ms), and
a read can wait for an import's few seconds. A reader sees another process's import at its
next question, without restart: it notices that the file changed (size and time) and reads
the small tables again (while the import still writes, it answers from what it had).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from civicllm.data.places import load_place_table
from civicllm.data.snapshot import Snapshot
from civicllm.data.store import FileOverrides, ImportResult, connect, file_hash
from civicllm.errors import ConfigError, SnapshotBusyError

__all__ = ["Manifest", "ShippedFile", "load_manifest", "open_snapshot", "shipped_dir"]


@dataclass(frozen=True)
class ShippedFile:
    """One manifest entry: a file and what the manifest says about it."""

    path: Path
    overrides: FileOverrides
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    """The shipped files in import order and the indicators' short ids."""

    files: tuple[ShippedFile, ...]
    aliases: dict[str, str]


def shipped_dir() -> Path:
    """Return the folder of the shipped publisher files."""
    return Path(str(resources.files("civicllm.data").joinpath("files")))


def _entry(folder: Path, raw: dict[str, Any]) -> ShippedFile:
    given = raw.get("indicator")
    codes = (given,) if isinstance(given, str) else tuple(given or ())
    overrides = FileOverrides(
        dataset=raw.get("dataset"),
        release=str(raw["release"]) if raw.get("release") else None,
        indicator=given if isinstance(given, str) else None,
        indicator_name=raw.get("indicator_name"),
        unit=raw.get("unit"),
        source_url=raw.get("source_url"),
        licence=raw.get("licence"),
    )
    return ShippedFile(folder / str(raw["file"]), overrides, codes)


@cache
def load_manifest(folder: Path | None = None) -> Manifest:
    """Read ``manifest.yaml`` of the shipped files (or of another folder laid out alike)."""
    folder = folder or shipped_dir()
    try:
        raw = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{folder}/manifest.yaml cannot be read: {exc}") from exc
    files = tuple(_entry(folder, item) for item in raw["files"])
    return Manifest(files, {str(k): str(v) for k, v in raw["indicators"].items()})


def snapshot_path(home: Path) -> Path:
    """Return where the snapshot of a home directory lives."""
    return Path(home).expanduser() / "data" / "snapshot.duckdb"


# DuckDB refuses a second writer: in one process two threads opening a fresh snapshot at once
# (the server warming up while a first question arrives) take turns here; another process
# importing at the same moment is waited for, up to IMPORT_WAIT_S.
_OPENING = threading.Lock()
IMPORT_WAIT_S = 60.0


def open_snapshot(home: Path, folder: Path | None = None, *, writable: bool = False) -> Snapshot:
    """Open the snapshot under ``home``, importing the shipped files it lacks.

    The snapshot is returned read-only (several processes may read it at once) unless
    ``writable``; it is opened for writing only while shipped files are imported.
    """
    deadline = time.monotonic() + IMPORT_WAIT_S
    while True:
        try:
            with _OPENING:
                return _open_snapshot(home, folder, writable=writable)
        except SnapshotBusyError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.25)


def _open_snapshot(home: Path, folder: Path | None, *, writable: bool) -> Snapshot:
    manifest = load_manifest(folder)
    path = snapshot_path(home)
    table = load_place_table()
    if not writable and path.exists():
        snapshot = Snapshot(None, table, manifest.aliases, path, read_only=True)
        if {file_hash(item.path) for item in manifest.files} <= snapshot.known_hashes():
            return snapshot
    snapshot = Snapshot(connect(path), table, manifest.aliases, path)
    try:
        import_shipped(snapshot, manifest)
    except BaseException:
        snapshot.close()
        raise
    if writable:
        return snapshot
    snapshot.close()  # the write lock goes with the last connection
    return Snapshot(None, table, manifest.aliases, path, read_only=True)


def import_shipped(snapshot: Snapshot, manifest: Manifest) -> list[ImportResult]:
    """Import every manifest file into the snapshot (files already there are skipped)."""
    return [snapshot.import_file(item.path, item.overrides) for item in manifest.files]
