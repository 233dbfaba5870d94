"""The audit log is append-only, hash-chained, and anchored by a key and a head file."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from civicllm.errors import ConfigError
from civicllm.safety.audit import AuditLog, AuditRecord, chain_hash


def filled_log(path: Path, count: int = 3) -> None:
    log = AuditLog(path)
    for i in range(count):
        log.append(AuditRecord(request_id=f"r{i}", answer=f"answer {i}"))
    assert log.verify_chain() is None
    log.close()


def tamper(path: Path, *statements: str) -> None:
    """Act as an attacker with write access to the database file: no triggers, raw SQL."""
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def rehash_from(path: Path, seq: int) -> None:
    """Recompute every hash from ``seq`` on with the public chain function."""
    db = sqlite3.connect(path)
    rows = db.execute("SELECT seq, time, request_id, body, hash FROM audit ORDER BY seq").fetchall()
    prev = ""
    for row_seq, when, request_id, body, old_hash in rows:
        if row_seq < seq:
            prev = old_hash
            continue
        digest = chain_hash(prev, request_id, when, body)
        db.execute(
            "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, row_seq)
        )
        prev = digest
    db.commit()
    db.close()


def verify(path: Path) -> object:
    log = AuditLog(path, readonly=True)
    try:
        return log.verify_chain()
    finally:
        log.close()


def test_chain_detects_tampering(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET body = '{}' WHERE seq = 2")
    db.close()
    tamper(path, "UPDATE audit SET body = replace(body, 'answer 1', 'forged') WHERE seq = 2")
    problem = AuditLog(path).verify_chain()
    assert problem is not None and problem.seq == 2


def test_rewritten_row_with_recomputed_hashes_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    tamper(path, "UPDATE audit SET body = replace(body, 'answer 1', 'forged') WHERE seq = 2")
    rehash_from(path, 2)
    problem = verify(path)
    assert problem is not None and problem.seq == 2
    assert "signature" in problem.message


def test_deleted_newest_row_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    tamper(path, "DELETE FROM audit WHERE seq = 3")
    problem = verify(path)
    assert problem is not None and problem.seq == 3
    assert "deleted" in problem.message


def test_truncated_log_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    tamper(path, "DELETE FROM audit")
    problem = verify(path)
    assert problem is not None and "deleted" in problem.message


def test_missing_or_forged_head_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    head_path = tmp_path / "audit.head"
    head = json.loads(head_path.read_text())
    tamper(path, "DELETE FROM audit WHERE seq = 3")
    head_path.write_text(json.dumps({**head, "seq": 2}))  # moved back, without the key
    forged = verify(path)
    assert forged is not None and "head file" in forged.message
    head_path.unlink()
    missing = verify(path)
    assert missing is not None and "missing" in missing.message


def test_dropped_triggers_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    tamper(path)
    problem = verify(path)
    assert problem is not None and "triggers" in problem.message


def test_key_and_head_live_where_the_settings_say(tmp_path: Path) -> None:
    other = tmp_path / "other-volume"
    log = AuditLog(
        tmp_path / "audit.sqlite", key_path=other / "audit.key", head_path=other / "audit.head"
    )
    log.append(AuditRecord(request_id="r1"))
    log.close()
    assert (other / "audit.key").is_file() and (other / "audit.head").is_file()
    assert not (tmp_path / "audit.key").exists()
    for name in ("audit.key", "audit.head"):
        assert stat.S_IMODE((other / name).stat().st_mode) == 0o600


def test_key_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        AuditLog(tmp_path / "audit.sqlite").close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "audit.key").stat().st_mode) == 0o600


def test_the_log_and_its_wal_are_private_whatever_the_umask(tmp_path: Path) -> None:
    (tmp_path / "old.sqlite").touch(mode=0o644)  # a log made before, world-readable
    old = os.umask(0o000)
    try:
        for name in ("audit.sqlite", "old.sqlite"):
            log = AuditLog(tmp_path / name)
            log.append(AuditRecord(request_id="r1"))
            files = [tmp_path / name, tmp_path / f"{name}-wal", tmp_path / f"{name}-shm"]
            modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files if f.exists()}
            log.close()
            assert f"{name}-wal" in modes and set(modes.values()) == {0o600}, modes
    finally:
        os.umask(old)


def test_missing_key_with_signed_records_refuses_to_start(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    filled_log(path)
    (tmp_path / "audit.key").unlink()
    with pytest.raises(ConfigError, match="audit key"):
        AuditLog(path)
    problem = verify(path)
    assert problem is not None and "audit key" in problem.message


def test_a_log_from_before_the_anchoring_is_read_and_then_signed(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, "
        "request_id TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, "
        "hash TEXT NOT NULL);"
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;"
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;"
    )
    prev = ""
    for i in range(2):
        body = json.dumps({"request_id": f"old{i}"})
        digest = chain_hash(prev, f"old{i}", 1.5 + i, body)
        db.execute(
            "INSERT INTO audit (time, request_id, body, prev_hash, hash) VALUES (?,?,?,?,?)",
            (1.5 + i, f"old{i}", body, prev, digest),
        )
        prev = digest
    db.commit()
    db.close()
    assert verify(path) is None  # read-only: a legacy log still verifies
    log = AuditLog(path)
    log.append(AuditRecord(request_id="new"))
    assert [r["request_id"] for r in log.records()] == ["old0", "old1", "new"]
    assert log.verify_chain() is None
    log.close()
    tamper(path, "UPDATE audit SET body = '{}' WHERE seq = 1")
    rehash_from(path, 1)  # rewriting the unsigned past changes the signed record's link
    problem = verify(path)
    assert problem is not None and problem.seq == 3


def test_records_survive_reopening_and_use_wal(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.sqlite")
    log.append(AuditRecord(request_id="x", assistant="student-aid", tool={"id": "t", "input": {}}))
    log.close()
    again = AuditLog(tmp_path / "a.sqlite")
    assert again.records()[0]["assistant"] == "student-aid"
    mode = sqlite3.connect(tmp_path / "a.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
