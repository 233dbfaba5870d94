"""The publisher files shipped in ``civicllm/data/files`` and the snapshot built from them.

``open_snapshot(home)`` opens ``<home>/data/snapshot.duckdb`` and imports every file the
manifest lists that is not there yet (by sha256), so a fresh install needs no import step
and later opens only hash the files (about 2 MB) and read the release table.
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
        snapshot = Snapshot(connect(path, read_only=True), table, manifest.aliases, path,
                            read_only=True)  # fmt: skip
        if {file_hash(item.path) for item in manifest.files} <= snapshot.known_hashes():
            return snapshot
        snapshot.close()
    snapshot = Snapshot(connect(path), table, manifest.aliases, path)
    try:
        import_shipped(snapshot, manifest)
    except BaseException:
        snapshot.close()
        raise
    if writable:
        return snapshot
    snapshot.close()
    return Snapshot(connect(path, read_only=True), table, manifest.aliases, path, read_only=True)


def import_shipped(snapshot: Snapshot, manifest: Manifest) -> list[ImportResult]:
    """Import every manifest file into the snapshot (files already there are skipped)."""
    return [snapshot.import_file(item.path, item.overrides) for item in manifest.files]
