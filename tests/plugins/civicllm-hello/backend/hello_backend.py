"""A PEP 517 build backend of a few lines, so this package installs offline with no tools.

setuptools before 70.1 cannot build a wheel without the separate ``wheel`` package, which a
fresh virtual environment may not have; this backend needs only the standard library. It
reads the name, version, description and entry points from ``pyproject.toml`` (the one
place they are declared) and packs ``src/`` into a pure-Python wheel.
"""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def _dist_info_files(project: dict[str, Any]) -> dict[str, str]:
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project.get('requires-python', '>=3')}",
    ]
    entry_points = []
    for group, entries in project.get("entry-points", {}).items():
        entry_points.append(f"[{group}]")
        entry_points += [f"{name} = {value}" for name, value in entries.items()]
        entry_points.append("")
    wheel = ["Wheel-Version: 1.0", "Generator: hello_backend", "Root-Is-Purelib: true"]
    wheel.append("Tag: py3-none-any")
    return {
        "METADATA": "\n".join(metadata) + "\n",
        "entry_points.txt": "\n".join(entry_points),
        "WHEEL": "\n".join(wheel) + "\n",
    }


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    """Build the wheel into ``wheel_directory`` and return its file name."""
    project = _project()
    dist = project["name"].replace("-", "_")
    dist_info = f"{dist}-{project['version']}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted((ROOT / "src").rglob("*.py")):
        files[path.relative_to(ROOT / "src").as_posix()] = path.read_bytes()
    for name, text in _dist_info_files(project).items():
        files[f"{dist_info}/{name}"] = text.encode()
    record = [_record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel_name = f"{dist}-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel_name, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel_name
