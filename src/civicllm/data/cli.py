"""``civicllm data``: import publisher files into the snapshot and list its releases.

    civicllm data import FILE... [--release YYYY-MM-DD] [--dataset NAME] [--replace]
    civicllm data list [--dataset NAME] [--json]

Each file is imported in its own transaction: a bad file is reported with its line and
leaves the snapshot as it was (files before it on the command line stay imported). The same
file again is a no-op and a newer release is kept beside the older one, but a different file
for a release already there is refused (exit 2) unless ``--replace`` says to supersede it.
The import may run while ``civicllm serve`` is up: the server holds the snapshot open only
while it reads, and sees the new release at its next question.

Files of other formats are imported by plug-ins: an object in the entry-point group
``civicllm.importers`` (see :class:`Importer`) that accepts a file is given it, with the same
flags and the same policy; ``data list`` lists its releases beside the snapshot's. A file
no importer accepts goes to the statistics snapshot::

    [project.entry-points."civicllm.importers"]
    my-format = "my_package.importer:IMPORTER"
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from civicllm.config import Settings
from civicllm.data.shipped import load_manifest, open_snapshot
from civicllm.data.snapshot import ReleaseInfo, Snapshot
from civicllm.data.store import FileOverrides, ImportResult
from civicllm.errors import ConfigError

__all__ = ["IMPORTER_GROUP", "Importer", "add_data_parser", "load_importers", "run_data_command"]

IMPORTER_GROUP = "civicllm.importers"


class Importer(Protocol):
    """A ``civicllm.importers`` plug-in: imports files of a format the snapshot does not read."""

    name: str

    def accepts(self, path: Path) -> bool:
        """Return True when the file is of this importer's format."""
        ...

    def import_file(
        self, path: Path, home: Path, *, replace: bool = False, release: str | None = None
    ) -> ImportResult:
        """Import one file into the home; the same file again is a no-op (``skipped``)."""
        ...

    def releases(self, home: Path) -> list[ReleaseInfo]:
        """Return the releases imported into the home."""
        ...


def load_importers() -> list[Importer]:
    """Return the installed importer plug-ins by name; a broken one is a ConfigError."""
    from civicllm.tools.registry import describe_entry_point, distribution_name, load_entry_point

    found: list[Importer] = []
    entries = importlib.metadata.entry_points(group=IMPORTER_GROUP)
    for entry in sorted(entries, key=lambda e: (e.name, e.value)):
        plugin = load_entry_point(entry)
        if not all(
            callable(getattr(plugin, m, None)) for m in ("accepts", "import_file", "releases")
        ):
            raise ConfigError(
                f"The plug-in {describe_entry_point(entry)} is not an importer (it needs the "
                f"methods accepts, import_file and releases). Fix or uninstall "
                f"{distribution_name(entry)}."
            )
        found.append(plugin)
    return found


def add_data_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``data`` command (``import`` and ``list``) to the CLI's subparsers."""
    data: argparse.ArgumentParser = subparsers.add_parser(
        "data", help="import statistical data files; list releases"
    )
    inner = data.add_subparsers(dest="data_command", required=True, parser_class=type(data))
    importer = inner.add_parser("import", help="import publisher files into the snapshot")
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument("--release", help="release date YYYY-MM-DD, for files that state none")
    importer.add_argument("--dataset", help="dataset name (default: from the file's publisher)")
    importer.add_argument(
        "--replace",
        action="store_true",
        help="supersede a release of the same date imported from a different file",
    )
    lister = inner.add_parser("list", help="list the imported releases")
    lister.add_argument("--dataset", help="only this dataset")
    lister.add_argument("--json", action="store_true", help="print JSON")
    for sub in (importer, lister):
        sub.add_argument("--home", help="state directory (default ~/.civicllm, or CIVICLLM_HOME)")
        sub.add_argument("--config", type=Path, help="YAML config file")
    return data


def _overrides(path: Path, args: argparse.Namespace) -> FileOverrides:
    """What the manifest says about a file of a shipped name (not its date), and the flags."""
    shipped = {item.path.name: item.overrides for item in load_manifest().files}
    base = replace(shipped.get(path.name, FileOverrides()), release=None)
    return replace(
        base,
        release=args.release or None,
        dataset=args.dataset or base.dataset,
    )


def _line(result: ImportResult) -> str:
    note = "  (already imported)" if result.skipped else ""
    if result.replaced:
        note = f"  (replaced {', '.join(result.replaced)})"
    return (
        f"{result.file}\t{result.dataset}\t{result.release}\t{result.rows} rows\t"
        f"{result.seconds:.2f} s{note}"
    )


def run_data_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``civicllm data import`` or ``civicllm data list``; return the exit code."""
    importers = load_importers()
    if args.data_command == "import":
        snapshot: Snapshot | None = None  # opened for the first file no plug-in takes
        try:
            for path in args.files:
                plugin = next((p for p in importers if p.accepts(path)), None)
                if plugin is not None:
                    result = plugin.import_file(
                        path, settings.home, replace=args.replace, release=args.release or None
                    )
                else:
                    if snapshot is None:
                        snapshot = open_snapshot(settings.home, writable=True)
                    overrides = _overrides(path, args)
                    result = snapshot.import_file(path, overrides, replace=args.replace)
                print(_line(result), flush=True)
        finally:
            if snapshot is not None:
                snapshot.close()
        return 0
    snapshot = open_snapshot(settings.home)
    try:
        releases = snapshot.releases(args.dataset)
    finally:
        snapshot.close()
    for plugin in importers:
        releases += [r for r in plugin.releases(settings.home) if args.dataset in (None, r.dataset)]
    if args.json:
        rows = [{**r._asdict(), "imported_at": r.imported_at.isoformat()} for r in releases]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print("dataset\trelease\trows\timported_at\tfile")
    for r in releases:
        print(f"{r.dataset}\t{r.release}\t{r.rows}\t{r.imported_at:%Y-%m-%d %H:%M:%S}\t{r.file}")
    return 0
