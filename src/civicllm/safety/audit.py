"""The audit log: one SQLite (WAL) table, append-only, hash-chained and anchored.

Each record's hash covers its fields and the previous record's hash, so a changed or
deleted row in the middle breaks the chain. A public hash alone cannot stop someone who can
write the file from recomputing every later hash, or from deleting the newest rows, so the
chain is anchored outside the database:

- each record also carries an HMAC-SHA256 of its sequence number and hash, under a key kept
  outside the database (``audit.key`` next to it by default, mode 0600, created on first
  use; ``audit_key_path`` puts it elsewhere), so a rewritten row cannot be re-signed without
  the key;
- after each append, a head file (``audit.head``; ``audit_head_path``) records the newest
  sequence number and hash, signed with the same key, so deleting or truncating the newest
  rows is seen.

What it does not protect against: someone holding both the key and the database can rewrite
both consistently, and someone who can also replace the head file can roll the log back to an
older head they kept. Keeping the key and head on another volume, or shipping the head to a
log server, raises the bar. Rows written before the anchoring existed (no MAC) are still read
and their chain checked; from the first signed row on, every row must be signed.

Message text is stored only after redaction, or not at all when the settings say so.
Redaction is structural (see ``civicllm.safety.redact``), and ``prepare`` never fails: when
a record cannot be redacted, a minimal record saying so is stored instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civicllm.errors import ConfigError
from civicllm.safety.redact import redact_text, redact_value

if TYPE_CHECKING:
    from civicllm.config import Settings

__all__ = [
    "REQUEST_ID",
    "AuditLog",
    "AuditRecord",
    "ChainProblem",
    "chain_hash",
    "open_audit_log",
]

# Request ids accepted from clients (X-Request-Id) and stored; anything else is replaced.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

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
TRIGGERS = {"audit_no_update", "audit_no_delete"}
RECORD_MAC_LABEL = "civicllm-audit-record-v1"
HEAD_MAC_LABEL = "civicllm-audit-head-v1"
HEAD_VERSION = 1


@dataclass
class AuditRecord:
    """What is kept of one exchange.

    ``event`` is "admitted" (written when a request is let in, before it runs), "completed"
    (written when it ends, with the final status) or "refused" (401, 429: one record only).
    A request cut off by a crash leaves its "admitted" record and no "completed" one.
    """

    request_id: str
    kind: str = "chat"  # chat | tool | flow
    event: str = "completed"  # admitted | completed | refused
    key_id: str = "anonymous"
    route: str = ""
    assistant: str = ""
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    status: int | None = 200  # None while admitted
    messages: list[dict[str, str]] = field(default_factory=list)  # redacted before storage
    answer: str = ""
    tool: dict[str, Any] = field(default_factory=dict)  # tool id, version, input, output
    flow: dict[str, Any] = field(default_factory=dict)  # flow id, reply, state, step
    redacted: list[str] = field(default_factory=list)
    time: float = field(default_factory=time.time)


@dataclass(frozen=True)
class ChainProblem:
    """Where and how the audit log was found altered."""

    seq: int | None  # the first record found wrong; None when no one record is to blame
    message: str

    def __str__(self) -> str:
        return self.message


class AuditLog:
    """Append audit records to ``path`` and check the chain and its anchors.

    Example::

        log = AuditLog(home / "audit.sqlite", store_text=False)
        log.append(AuditRecord(request_id="req-1", assistant="student-aid"))
        assert log.verify_chain() is None

    ``readonly=True`` opens an existing log only to read and verify it: no table, trigger or
    key is created, so a removed trigger or a missing key is reported rather than repaired.
    """

    def __init__(
        self,
        path: Path,
        *,
        store_text: bool = True,
        key_path: Path | None = None,
        head_path: Path | None = None,
        readonly: bool = False,
    ):
        self.path = path
        self.store_text = store_text
        self.key_path = key_path or path.with_suffix(".key")
        self.head_path = head_path or path.with_suffix(".head")
        self.readonly = readonly
        self._lock = threading.Lock()
        if not readonly:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only, like the key: the log holds (redacted) conversations. SQLite gives
            # its -wal and -shm files the database file's permissions.
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            os.chmod(path, 0o600)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._key: bytes | None = None
        self._head_fd: int | None = None
        if readonly:
            self._key = read_key(self.key_path)
            return
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(audit)")}
        if "mac" not in columns:  # logs from before the anchoring: keep their rows as they are
            self._db.execute("ALTER TABLE audit ADD COLUMN mac TEXT")
        self._key = read_key(self.key_path)
        if self._key is None:
            if self._has_signed_rows():
                raise ConfigError(
                    f"The audit key {self.key_path} is missing, but {path} holds records "
                    "signed with it. Restore the key file (or set audit_key_path to where it "
                    f"is); to start a new log instead, move {path} and its head file aside."
                )
            self._key = create_key(self.key_path)

    def _has_signed_rows(self) -> bool:
        row = self._db.execute("SELECT 1 FROM audit WHERE mac IS NOT NULL LIMIT 1").fetchone()
        return row is not None

    def prepare(self, record: AuditRecord) -> dict[str, Any]:
        """Return the record as it will be stored: redacted, or without text; never raises."""
        try:
            return self._prepare(record)
        except Exception as exc:  # a record is never lost: store what is surely safe
            return {
                "request_id": safe_request_id(record.request_id),
                "kind": str(record.kind),
                "event": str(record.event),
                "key_id": str(record.key_id),
                "status": record.status if isinstance(record.status, int) else None,
                "time": record.time if isinstance(record.time, float) else time.time(),
                "redaction_failed": type(exc).__name__,
            }

    def _prepare(self, record: AuditRecord) -> dict[str, Any]:
        kinds: list[str] = [str(kind) for kind in record.redacted]
        body: dict[str, Any] = {
            "request_id": safe_request_id(record.request_id),
            "kind": str(record.kind),
            "event": str(record.event),
            "key_id": str(record.key_id),
            "prompt_tokens": int(record.prompt_tokens),
            "completion_tokens": int(record.completion_tokens),
            "latency_ms": float(record.latency_ms),
            "status": None if record.status is None else int(record.status),
            "time": float(record.time),
        }
        for name in ("route", "assistant", "model"):
            body[name], found = redact_text(str(getattr(record, name)))
            kinds += found
        if not self.store_text:
            body["messages"] = [{"role": str(m.get("role", ""))} for m in record.messages]
            body["answer"] = ""
            body["tool"] = keep_ids(record.tool, ("id", "version"))
            body["flow"] = keep_ids(record.flow, ("id", "step"))
            body["redacted"] = sorted(set(kinds))
            return body
        messages = []
        for message in record.messages:
            text, found = redact_text(str(message.get("content", "")))
            kinds += found
            messages.append({"role": str(message.get("role", "")), "content": text})
        body["messages"] = messages
        body["answer"], found = redact_text(str(record.answer))
        kinds += found
        for name in ("tool", "flow"):
            body[name], found = redact_value(getattr(record, name))
            kinds += found
        body["redacted"] = sorted(set(kinds))
        return body

    def serialize(self, record: AuditRecord) -> str:
        """Return the stored JSON text of a record (strict JSON, always parseable)."""
        prepared = self.prepare(record)
        try:
            text = json.dumps(prepared, sort_keys=True, ensure_ascii=False, allow_nan=False)
            text.encode("utf-8")  # a lone surrogate cannot be stored as text: escape it then
            return text
        except UnicodeEncodeError:
            return json.dumps(prepared, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            minimal = {k: prepared.get(k) for k in ("request_id", "kind", "event", "status")}
            minimal["redaction_failed"] = type(exc).__name__
            return json.dumps(minimal, sort_keys=True, default=str)

    def append(self, record: AuditRecord) -> str:
        """Store one record, move the head file to it, and return its hash."""
        if self.readonly or self._key is None:
            raise ConfigError(f"The audit log {self.path} was opened read-only.")
        body = self.serialize(record)
        request_id = safe_request_id(record.request_id)
        when = float(record.time)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # the newest row cannot change under us
            try:
                row = self._db.execute(
                    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                seq, prev = (int(row[0]) + 1, str(row[1])) if row else (1, "")
                digest = chain_hash(prev, request_id, when, body)
                self._db.execute(
                    "INSERT INTO audit (seq, time, request_id, body, prev_hash, hash, mac) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (seq, when, request_id, body, prev, digest, record_mac(self._key, seq, digest)),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._write_head(seq, digest)
        return digest

    def records(self, limit: int = 100) -> list[dict[str, Any]]:
        """Return the latest records, newest last."""
        with self._lock:
            try:
                rows = self._db.execute(
                    "SELECT body FROM (SELECT seq, body FROM audit ORDER BY seq DESC LIMIT ?) "
                    "ORDER BY seq",
                    (limit,),
                ).fetchall()
            except sqlite3.OperationalError:  # opened read-only before any record was written
                rows = []
        return [json.loads(row[0]) for row in rows]

    def verify_chain(self) -> ChainProblem | None:
        """Return the first sign of tampering found, or None when the log is intact.

        Checks, in order: every row's link and hash; every signed row's MAC (and that no
        unsigned row follows a signed one); the head file (the newest row it names exists
        with that hash, and the head's own MAC); and that the append-only triggers exist.
        """
        with self._lock:
            head = read_head(self.head_path)  # before the rows: a concurrent append moves it on
            try:
                columns = {row[1] for row in self._db.execute("PRAGMA table_info(audit)")}
                mac = "mac" if "mac" in columns else "NULL"  # a log from before the anchoring
                rows = self._db.execute(
                    f"SELECT seq, time, request_id, body, prev_hash, hash, {mac} FROM audit "
                    "ORDER BY seq"
                ).fetchall()
                triggers = {
                    str(row[0])
                    for row in self._db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                    )
                }
            except sqlite3.OperationalError:  # an empty file opened read-only: nothing yet
                rows, triggers = [], set(TRIGGERS)
        problem = self._check_rows(rows)
        if problem is not None:
            return problem
        signed = any(row[6] for row in rows)
        problem = self._check_head(head, {int(row[0]): str(row[5]) for row in rows}, signed)
        if problem is not None:
            return problem
        if rows and not triggers >= TRIGGERS:
            return ChainProblem(
                None,
                f"The append-only triggers were removed from {self.path}: someone changed the "
                "database outside civicllm. Keep it for investigation.",
            )
        return None

    def _check_rows(self, rows: list[tuple[Any, ...]]) -> ChainProblem | None:
        prev = ""
        signed = False
        for seq, when, request_id, body, prev_hash, digest, mac in rows:
            if prev_hash != prev or digest != chain_hash(prev, request_id, when, body):
                return ChainProblem(
                    int(seq), f"The audit log was altered at record {seq}: its hash is wrong."
                )
            if mac:
                signed = True
                if self._key is None:
                    return ChainProblem(
                        int(seq),
                        f"Record {seq} is signed but the audit key {self.key_path} is missing: "
                        "restore it (or set audit_key_path) to check the log.",
                    )
                if not hmac.compare_digest(str(mac), record_mac(self._key, int(seq), digest)):
                    return ChainProblem(
                        int(seq),
                        f"The audit log was altered at record {seq}: its signature does not "
                        "match (it was rewritten without the audit key).",
                    )
            elif signed:
                return ChainProblem(
                    int(seq),
                    f"The audit log was altered at record {seq}: it is unsigned after signed "
                    "records.",
                )
            prev = digest
        return None

    def _check_head(
        self, head: Mapping[str, Any] | str | None, hashes: dict[int, str], signed: bool
    ) -> ChainProblem | None:
        if isinstance(head, str):
            return ChainProblem(None, head)
        if head is None:
            if not signed:
                return None  # a new or pre-anchoring log: nothing to compare with yet
            return ChainProblem(
                None,
                f"The head file {self.head_path} is missing: the newest records may have been "
                "deleted. Restore it from its backup (or set audit_head_path) and verify again.",
            )
        seq, digest = int(head["seq"]), str(head["hash"])
        if self._key is None or not hmac.compare_digest(
            str(head.get("mac", "")), head_mac(self._key, seq, digest)
        ):
            return ChainProblem(
                None,
                f"The head file {self.head_path} was altered or does not belong to this key.",
            )
        if seq not in hashes:
            return ChainProblem(
                seq,
                f"Record {seq}, the newest when the head file was last written, is missing: "
                "records were deleted from the end of the audit log.",
            )
        if not hmac.compare_digest(hashes[seq], digest):
            return ChainProblem(
                seq, f"The audit log was altered at record {seq}: it differs from the head file."
            )
        return None

    def _write_head(self, seq: int, digest: str) -> None:
        # One write of a fixed-size block at offset 0 of a file kept open: a reader sees the
        # old or the new head, at a few microseconds a record (a rename costs ~50 times more).
        if self._head_fd is None:
            self.head_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.head_path, os.O_RDWR | os.O_CREAT, 0o600)
            os.fchmod(fd, 0o600)
            self._head_fd = fd
        os.pwrite(self._head_fd, head_block(self._key or b"", seq, digest), 0)

    def close(self) -> None:
        """Close the database and the head file."""
        with self._lock:
            self._db.close()
            if self._head_fd is not None:
                os.close(self._head_fd)
                self._head_fd = None


def open_audit_log(settings: Settings, *, readonly: bool = False) -> AuditLog:
    """Open the audit log, its key and its head file where the settings place them."""
    key, head = settings.audit_key_path, settings.audit_head_path
    return AuditLog(
        settings.path("audit.sqlite"),
        store_text=settings.audit_store_text,
        key_path=key.expanduser() if key else None,
        head_path=head.expanduser() if head else None,
        readonly=readonly,
    )


def chain_hash(prev: str, request_id: str, when: float, body: str) -> str:
    """Return the SHA-256 linking a record to the one before it."""
    material = f"{prev}\n{request_id}\n{when!r}\n{body}".encode()
    return hashlib.sha256(material).hexdigest()


def record_mac(key: bytes, seq: int, digest: str) -> str:
    """Return the HMAC-SHA256 that signs one record's place and hash."""
    material = f"{RECORD_MAC_LABEL}\n{seq}\n{digest}".encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()


def head_mac(key: bytes, seq: int, digest: str) -> str:
    """Return the HMAC-SHA256 that signs the head file."""
    material = f"{HEAD_MAC_LABEL}\n{seq}\n{digest}".encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()


def safe_request_id(value: Any) -> str:
    """Return the request id if it has the safe form, else a placeholder."""
    text = str(value)
    return text if REQUEST_ID.match(text) else "invalid-request-id"


def keep_ids(value: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    """Return only the named identifying fields, as strings."""
    return {name: str(value[name]) for name in names if name in value}


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write a file readable by its owner only (0600 whatever the umask).

    By default the file is replaced atomically (a reader sees the old or the new content).
    With ``exclusive`` the file must not exist yet (FileExistsError otherwise), so two
    processes creating it at once agree on one content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if exclusive else path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have removed the owner's bits too
        os.write(fd, data)
        if exclusive:
            os.fsync(fd)
    finally:
        os.close(fd)
    if not exclusive:
        try:
            os.replace(target, path)
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise


def read_key(path: Path) -> bytes | None:
    """Return the audit key stored at ``path``, or None when there is none."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the audit key {path}: {exc}") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise ConfigError(f"The audit key {path} is not a hex key: restore it.") from exc
    if len(key) < 16:
        raise ConfigError(f"The audit key {path} is too short: restore it.")
    return key


def create_key(path: Path) -> bytes:
    """Create a random audit key at ``path`` (mode 0600) unless one exists; return it."""
    try:
        write_private(path, secrets.token_hex(32).encode() + b"\n", exclusive=True)
    except FileExistsError:
        pass  # another process created it first: use theirs
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the audit key {path}: {exc}. Make its folder writable or set "
            "audit_key_path."
        ) from exc
    key = read_key(path)
    if key is None:
        raise ConfigError(f"The audit key {path} vanished while it was created; try again.")
    return key


HEAD_SIZE = 512  # one sector: the head is always written whole, padded with spaces


def head_block(key: bytes, seq: int, digest: str) -> bytes:
    """Return the head file's content: newest sequence number and hash, signed, padded."""
    head = {"version": HEAD_VERSION, "seq": seq, "hash": digest, "mac": head_mac(key, seq, digest)}
    return json.dumps(head).encode().ljust(HEAD_SIZE - 1) + b"\n"


def read_head(path: Path) -> dict[str, Any] | str | None:
    """Return the head file's content, None when missing, or a message when unreadable."""
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return f"The head file {path} cannot be read: restore it from its backup."
    if (
        not isinstance(head, dict)
        or not isinstance(head.get("seq"), int)
        or not isinstance(head.get("hash"), str)
    ):
        return f"The head file {path} is not a civicllm audit head: restore it."
    return head
