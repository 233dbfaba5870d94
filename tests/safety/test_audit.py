"""The audit log is append-only and hash-chained."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from civicllm.safety.audit import AuditLog, AuditRecord


def test_chain_detects_tampering(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    for i in range(3):
        log.append(AuditRecord(request_id=f"r{i}", answer=f"answer {i}"))
    assert log.verify_chain() is None
    log.close()
    db = sqlite3.connect(tmp_path / "audit.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET body = '{}' WHERE seq = 2")
    db.execute("DROP TRIGGER audit_no_update")  # an attacker with file access
    db.execute("UPDATE audit SET body = replace(body, 'answer 1', 'forged') WHERE seq = 2")
    db.commit()
    db.close()
    reopened = AuditLog(tmp_path / "audit.sqlite")
    assert reopened.verify_chain() == 2


def test_records_survive_reopening_and_use_wal(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.sqlite")
    log.append(AuditRecord(request_id="x", assistant="student-aid", tool={"id": "t", "input": {}}))
    log.close()
    again = AuditLog(tmp_path / "a.sqlite")
    assert again.records()[0]["assistant"] == "student-aid"
    mode = sqlite3.connect(tmp_path / "a.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
