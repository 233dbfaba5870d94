"""The eval gate: which model may answer an assistant's questions by generation.

``civicllm eval`` records, per assistant, whether a model passed the pack's gate (the
``scope.gate`` thresholds of ``pack.yaml``), for one *pack version* (a hash of every file of
the pack and the civicllm version) and one *model* (the GGUF file's content hash, or the
remote endpoint's model name). An assistant generates only when its current pack version and
model have a passing record; otherwise it answers with quotes (``answer_mode: auto``). The
``answer_mode`` setting can force either.

Records live in ``$CIVICLLM_HOME/gate/<assistant>.json``, newest last; changing a source
document or swapping the model makes the old record not apply, so the assistant goes back
to quoting until it is evaluated again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from civicllm import __version__
from civicllm.engines.base import Engine
from civicllm.packs.loader import Pack

__all__ = [
    "AnswerMode",
    "AnswerModeSetting",
    "GateRecord",
    "answer_modes",
    "choose_mode",
    "find_record",
    "model_identity",
    "pack_version",
    "record_gate",
]

AnswerMode = Literal["generate", "extract"]
AnswerModeSetting = Literal["auto", "generate", "extract"]


@dataclass(frozen=True)
class GateRecord:
    """One eval result: did ``model`` pass ``assistant``'s gate at ``pack_version``?"""

    assistant: str
    pack_version: str
    model: str
    passed: bool
    recorded_at: str
    figures: dict[str, Any] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def pack_version(pack: Pack) -> str:
    """Return a hash of every file of the pack (sources, flows, evals, pack.yaml) and civicllm.

    Example: ``"sha256:3f2a..."`` (16 hex digits are shown; the files decide them all).
    """
    digest = hashlib.sha256(f"civicllm {__version__}\n".encode())
    for path in sorted(p for p in pack.dir.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(pack.dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()[:16]


def model_identity(engine: Engine) -> str:
    """Return what names the model: the GGUF's content hash, or the remote model's name."""
    path = getattr(engine, "model_path", None)
    if isinstance(path, Path) and path.is_file():
        stat = path.stat()
        return f"gguf:{path.name}:{_file_hash(str(path), stat.st_size, stat.st_mtime_ns)}"
    name = getattr(engine, "model_name", "") or ""
    return f"{engine.name}:{name}"


@functools.lru_cache(maxsize=8)
def _file_hash(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def gate_file(home: Path, assistant: str) -> Path:
    """Return where an assistant's gate records are kept."""
    return home / "gate" / f"{assistant}.json"


def read_records(home: Path, assistant: str) -> list[GateRecord]:
    """Return an assistant's gate records, oldest first ([] when there are none)."""
    path = gate_file(home, assistant)
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # an unreadable record file gates nothing open
    fields = set(GateRecord.__dataclass_fields__)
    return [GateRecord(**{k: v for k, v in row.items() if k in fields}) for row in rows]


def record_gate(
    home: Path,
    pack: Pack,
    model: str,
    *,
    passed: bool,
    figures: Mapping[str, Any],
    failed: Sequence[str] = (),
) -> GateRecord:
    """Store one eval result for ``pack`` and ``model`` and return it."""
    record = GateRecord(
        assistant=pack.id,
        pack_version=pack_version(pack),
        model=model,
        passed=passed,
        recorded_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        figures=dict(figures),
        failed=list(failed),
    )
    rows = [asdict(r) for r in read_records(home, pack.id)] + [asdict(record)]
    path = gate_file(home, pack.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(rows[-50:], indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)  # never a half-written record file
    return record


def find_record(home: Path, pack: Pack, model: str) -> GateRecord | None:
    """Return the newest record for this pack version and model, or None."""
    version = pack_version(pack)
    found = [
        r for r in read_records(home, pack.id) if r.pack_version == version and r.model == model
    ]
    return found[-1] if found else None


def choose_mode(setting: AnswerModeSetting, record: GateRecord | None) -> AnswerMode:
    """Return how an assistant answers: ``auto`` generates only with a passing record."""
    if setting == "auto":
        return "generate" if record is not None and record.passed else "extract"
    return setting


def answer_modes(
    home: Path, packs: Mapping[str, Pack], engine: Engine, setting: AnswerModeSetting
) -> dict[str, tuple[AnswerMode, GateRecord | None]]:
    """Return each assistant's answer mode and the gate record it rests on."""
    model = model_identity(engine)
    chosen: dict[str, tuple[AnswerMode, GateRecord | None]] = {}
    for pack_id, pack in packs.items():
        record = find_record(home, pack, model)
        chosen[pack_id] = (choose_mode(setting, record), record)
    return chosen
