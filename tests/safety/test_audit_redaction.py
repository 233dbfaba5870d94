"""Audit records are redacted structurally: always parseable, amounts kept as numbers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicllm.safety.audit import AuditLog, AuditRecord

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**18), max_value=10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)


def stored_bodies(path: Path) -> list[dict[str, Any]]:
    db = sqlite3.connect(path)
    try:
        return [json.loads(row[0]) for row in db.execute("SELECT body FROM audit ORDER BY seq")]
    finally:
        db.close()


def test_large_amounts_do_not_break_the_record(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    payload = {
        "award_year": "2024-25",
        "student": {
            "date_of_birth": "1996-12-16",
            "income": {"adjusted_gross_income": 2341414, "earned_income": 12434254},
        },
    }
    log.append(AuditRecord(request_id="r1", kind="tool", tool={"id": "t", "input": payload}))
    body = stored_bodies(tmp_path / "audit.sqlite")[-1]
    income = body["tool"]["input"]["student"]["income"]
    assert income == {"adjusted_gross_income": 2341414, "earned_income": 12434254}
    assert body["tool"]["input"]["student"]["date_of_birth"] == "[DATE]"
    assert "date_of_birth" in body["redacted"]
    assert log.verify_chain() is None


def amounts(value: Any, path: str = "") -> dict[str, Any]:
    """Return every number reachable through keys that name no personal field."""
    from civicllm.safety.redact import personal_field_kind, redact_text

    found: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if personal_field_kind(key) is None and redact_text(key)[0] == key:
                found |= amounts(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found |= amounts(item, f"{path}/{index}")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found[path] = value
    return found


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=JSON)
def test_any_tool_input_is_stored_parseable_with_amounts(tmp_path: Path, payload: Any) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    try:
        log.append(AuditRecord(request_id="r", kind="tool", tool={"id": "t", "input": payload}))
        body = log.records(1)[-1]
    finally:
        log.close()
    assert body["kind"] == "tool" and "redaction_failed" not in body
    assert amounts(body["tool"]["input"]) == amounts(payload)


def test_lone_surrogates_are_stored_escaped(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    log.append(AuditRecord(request_id="r", kind="tool", tool={"input": {"note": "a\ud800b"}}))
    assert log.records()[-1]["tool"]["input"]["note"] == "a\ud800b"
    assert log.verify_chain() is None


def test_a_record_that_cannot_be_redacted_is_kept_minimal(tmp_path: Path) -> None:
    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no text")

    log = AuditLog(tmp_path / "audit.sqlite")
    log.append(AuditRecord(request_id="r9", kind="tool", status=200, tool={"x": Hostile()}))
    body = log.records()[-1]
    assert body["request_id"] == "r9" and body["status"] == 200
    assert body["redaction_failed"] == "RuntimeError"
    assert log.verify_chain() is None


def test_unsafe_request_ids_are_not_stored_verbatim(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    log.append(AuditRecord(request_id="ssn 123-45-6789\n"))
    db = sqlite3.connect(tmp_path / "audit.sqlite")
    (stored,) = db.execute("SELECT request_id FROM audit").fetchone()
    assert stored == "invalid-request-id"
    assert "123-45-6789" not in log.records()[-1]["request_id"]
