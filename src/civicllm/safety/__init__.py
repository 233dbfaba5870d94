"""Safety: personal-data redaction, input/output policy, and the audit log."""

from __future__ import annotations

from civicllm.safety.audit import AuditLog, AuditRecord
from civicllm.safety.redact import redact_text, redact_value

__all__ = ["AuditLog", "AuditRecord", "redact_text", "redact_value"]
