"""What a running server holds, kept on ``app.state.civic``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from civicllm.config import Settings
from civicllm.engines.base import Engine
from civicllm.packs.loader import Pack
from civicllm.safety.audit import AuditLog
from civicllm.server.limits import AdmissionQueue, KeyStore, RateLimiter
from civicllm.server.metrics import Metrics
from civicllm.tools.base import Tool

__all__ = ["AppState", "admit", "get_state"]

SESSION_HEADER = "x-civicllm-session"


@dataclass
class AppState:
    """The engine, packs, tools, limits, metrics and audit log of one app."""

    settings: Settings
    engine: Engine
    packs: dict[str, Pack]
    tools: dict[str, Tool]
    audit: AuditLog
    keys: KeyStore
    limiter: RateLimiter
    queue: AdmissionQueue
    metrics: Metrics = field(default_factory=Metrics)
    answerer: Any = None  # the grounded answerer for packs, when retrieval is available
    started: float = field(default_factory=time.time)
    ready: bool = False


def get_state(request: Request) -> AppState:
    """Return the state of the app serving this request."""
    state: AppState = request.app.state.civic
    return state


def admit(request: Request) -> str:
    """Check the API key and rate limit; return the key id or anonymous session name."""
    state = get_state(request)
    key_id = state.keys.identify(request.headers.get("authorization"))
    if key_id is None:
        # Anonymous: the page sends a random per-tab session id it keeps only in memory;
        # without one, the client address stands in.
        session = request.headers.get(SESSION_HEADER, "")[:64]
        host = request.client.host if request.client else "local"
        identity = f"anonymous:{host}:{session}" if session else f"anonymous:{host}"
    else:
        identity = key_id
    state.limiter.check(identity)
    return identity
