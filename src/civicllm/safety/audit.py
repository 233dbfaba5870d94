"""The audit log: one SQLite (WAL) table, append-only and hash-chained.

Each record's hash covers its fields and the previous record's hash, so a changed or
deleted row breaks the chain and ``verify_chain`` says where. Message text is stored only
after redaction, or not at all when the settings say so.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from civicllm.safety.redact import redact_text

__all__ = ["AuditLog", "AuditRecord"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    request_id TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


@dataclass
class AuditRecord:
    """What is kept of one exchange."""

    request_id: str
    kind: str = "chat"  # chat | tool | flow
    key_id: str = "anonymous"
    assistant: str = ""
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    status: int = 200
    messages: list[dict[str, str]] = field(default_factory=list)  # redacted before storage
    answer: str = ""
    tool: dict[str, Any] = field(default_factory=dict)  # tool id, version, input, output
    redacted: list[str] = field(default_factory=list)
    time: float = field(default_factory=time.time)


class AuditLog:
    """Append audit records to ``path`` and check the hash chain.

    Example::

        log = AuditLog(home / "audit.sqlite", store_text=False)
        log.append(AuditRecord(request_id="req-1", assistant="student-aid"))
        assert log.verify_chain() is None
    """

    def __init__(self, path: Path, *, store_text: bool = True):
        self.path = path
        self.store_text = store_text
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def prepare(self, record: AuditRecord) -> dict[str, Any]:
        """Return the record as it will be stored: redacted, or without text."""
        body = asdict(record)
        if not self.store_text:
            body["messages"] = [{"role": m.get("role", "")} for m in record.messages]
            body["answer"] = ""
            body["tool"] = {k: v for k, v in record.tool.items() if k in ("id", "version")}
            return body
        kinds: list[str] = list(record.redacted)
        messages = []
        for message in record.messages:
            text, found = redact_text(str(message.get("content", "")))
            kinds += found
            messages.append({"role": message.get("role", ""), "content": text})
        body["messages"] = messages
        body["answer"], found = redact_text(record.answer)
        kinds += found
        if record.tool:
            tool_text, found = redact_text(json.dumps(record.tool, sort_keys=True, default=str))
            body["tool"] = json.loads(tool_text)
            kinds += found
        body["redacted"] = sorted(set(kinds))
        return body

    def append(self, record: AuditRecord) -> str:
        """Store one record and return its hash."""
        body = json.dumps(self.prepare(record), sort_keys=True, ensure_ascii=False, default=str)
        with self._lock:
            row = self._db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            prev = row[0] if row else ""
            digest = chain_hash(prev, record.request_id, record.time, body)
            self._db.execute(
                "INSERT INTO audit (time, request_id, body, prev_hash, hash) VALUES (?,?,?,?,?)",
                (record.time, record.request_id, body, prev, digest),
            )
        return digest

    def records(self, limit: int = 100) -> list[dict[str, Any]]:
        """Return the latest records, newest last."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM (SELECT seq, body FROM audit ORDER BY seq DESC LIMIT ?) "
                "ORDER BY seq",
                (limit,),
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def verify_chain(self) -> int | None:
        """Return the sequence number of the first broken record, or None if intact."""
        prev = ""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, time, request_id, body, prev_hash, hash FROM audit ORDER BY seq"
            ).fetchall()
        for seq, when, request_id, body, prev_hash, digest in rows:
            if prev_hash != prev or digest != chain_hash(prev, request_id, when, body):
                return int(seq)
            prev = digest
        return None

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def chain_hash(prev: str, request_id: str, when: float, body: str) -> str:
    """Return the SHA-256 linking a record to the one before it."""
    material = f"{prev}\n{request_id}\n{when!r}\n{body}".encode()
    return hashlib.sha256(material).hexdigest()
