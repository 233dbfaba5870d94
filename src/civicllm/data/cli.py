"""``civicllm data``: import publisher files into the snapshot and list its releases.

    civicllm data import FILE... [--release YYYY-MM-DD] [--dataset NAME] [--replace]
    civicllm data list [--dataset NAME] [--json]

Each file is imported in its own transaction: a bad file is reported with its line and
leaves the snapshot as it was (files before it on the command line stay imported). The same
file again is a no-op and a newer release is kept beside the older one, but a different file
for a release already there is refused (exit 2) unless ``--replace`` says to supersede it.
The import may run while ``civicllm serve`` is up: the server holds the snapshot open only
while it reads, and sees the new release at its next question.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from civicllm.config import Settings
from civicllm.data.shipped import load_manifest, open_snapshot
from civicllm.data.store import FileOverrides, ImportResult

__all__ = ["add_data_parser", "run_data_command"]


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
    if args.data_command == "import":
        snapshot = open_snapshot(settings.home, writable=True)
        try:
            for path in args.files:
                result = snapshot.import_file(path, _overrides(path, args), replace=args.replace)
                print(_line(result), flush=True)
        finally:
            snapshot.close()
        return 0
    snapshot = open_snapshot(settings.home)
    try:
        releases = snapshot.releases(args.dataset)
    finally:
        snapshot.close()
    if args.json:
        rows = [{**r._asdict(), "imported_at": r.imported_at.isoformat()} for r in releases]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print("dataset\trelease\trows\timported_at\tfile")
    for r in releases:
        print(f"{r.dataset}\t{r.release}\t{r.rows}\t{r.imported_at:%Y-%m-%d %H:%M:%S}\t{r.file}")
    return 0
