"""What a running server holds, kept on ``app.state.civic``, and the one admission check.

Every route that runs a tool, a flow or a model depends on ``Admit(kind)``: it checks the
API key and the rate limit (size limits are enforced before, by the body-limit middleware),
writes an "admitted" audit record, and hands the route an ``Admission`` whose record the
route fills in. The app's middleware writes the "completed" record with the final status
when the response is ready; a streamed answer finishes its record itself when the stream
ends. A refused request (401, 429) leaves one "refused" record; repeated 429s from a client
that has not waited are not recorded again, so a flood cannot fill the disk.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from fastapi import Request

from civicllm.config import Settings
from civicllm.engines.base import Engine
from civicllm.errors import AuthError, RateLimitError
from civicllm.packs.loader import Pack
from civicllm.runtime import Runtime
from civicllm.safety.audit import AuditLog, AuditRecord
from civicllm.server.errors import request_id
from civicllm.server.limits import (
    AdmissionQueue,
    KeyStore,
    Network,
    RateLimiter,
    client_address,
)
from civicllm.server.metrics import Metrics
from civicllm.tools.base import Tool

if TYPE_CHECKING:
    from civicllm.answer.loop import Answerer

__all__ = ["Admission", "Admit", "AppState", "admit", "finish_admission", "get_state"]

SESSION_HEADER = "x-civicllm-session"

log = logging.getLogger("civicllm.server")


@dataclass
class AppState:
    """One app's runtime (engine, tools, packs, answerer) and its limits, metrics and audit.

    The runtime is the one ``civicllm.runtime.open_runtime`` builds for the CLI and evals
    too; ``engine``, ``packs``, ``tools`` and ``answerer`` read it, never a copy.
    """

    runtime: Runtime
    audit: AuditLog
    keys: KeyStore
    limiter: RateLimiter
    queue: AdmissionQueue
    metrics: Metrics = field(default_factory=Metrics)
    trusted_proxies: tuple[Network, ...] = ()
    started: float = field(default_factory=time.time)
    ready: bool = False
    warming: asyncio.Task[Any] | None = None  # the first indexing of the packs' sources

    @property
    def settings(self) -> Settings:
        """Return the settings the app was created with."""
        return self.runtime.settings

    @property
    def engine(self) -> Engine:
        """Return the runtime's engine."""
        return self.runtime.engine

    @property
    def packs(self) -> dict[str, Pack]:
        """Return the runtime's packs by id."""
        return self.runtime.packs

    @property
    def tools(self) -> dict[str, Tool]:
        """Return the installed tools by id."""
        return self.runtime.tools

    @property
    def answerer(self) -> Answerer | None:
        """Return the grounded answerer, when retrieval is available."""
        return self.runtime.answerer

    @answerer.setter
    def answerer(self, answerer: Answerer | None) -> None:
        self.runtime.answerer = answerer


@dataclass
class Admission:
    """A request let in: the audit record its route fills in (who sent it is its key_id)."""

    record: AuditRecord
    started: float = field(default_factory=time.perf_counter)
    audited: bool = True
    deferred: bool = False  # the route finishes the record itself (a streamed answer)
    finished: bool = False


def get_state(request: Request) -> AppState:
    """Return the state of the app serving this request."""
    state: AppState = request.app.state.civic
    return state


def admit(request: Request, kind: str, *, audited: bool = True) -> Admission:
    """Check the API key and rate limit, record the admission, and return it.

    Anonymous clients are limited by their address only (the peer, or the client a trusted
    proxy names); the page's ``X-Civicllm-Session`` header only narrows that bucket, so a
    fresh session id per request gains nothing.
    """
    state = get_state(request)
    peer = request.client.host if request.client else "unknown"
    address = client_address(
        peer, request.headers.getlist("x-forwarded-for"), state.trusted_proxies
    )
    identity = f"anonymous:{address}"
    narrower: tuple[str, ...] = ()
    base = AuditRecord(
        request_id=request_id(request), kind=kind, key_id=identity, route=request.url.path
    )
    try:
        try:
            key_id = state.keys.identify(request.headers.get("authorization"))
        except AuthError:
            # A wrong or missing key costs the address a token: guessing keys is rate limited.
            state.limiter.check(identity)
            raise
        if key_id is None:
            session = request.headers.get(SESSION_HEADER, "")[:64]
            narrower = (f"{identity}|session:{session}",) if session else ()
        else:
            identity = key_id
            base.key_id = key_id
        state.limiter.check(identity, *narrower)
    except (AuthError, RateLimitError) as exc:
        if not (isinstance(exc, RateLimitError) and exc.repeated):
            state.audit.append(replace(base, event="refused", status=exc.status))
        raise
    admission = Admission(record=base, audited=audited)
    if audited:
        state.audit.append(replace(base, event="admitted", status=None))
        request.state.admission = admission
    return admission


def finish_admission(state: AppState, admission: Admission, status: int) -> None:
    """Write the request's "completed" audit record with its final status (once)."""
    if admission.finished or not admission.audited:
        return
    admission.finished = True
    record = admission.record
    record.event = "completed"
    record.status = status
    record.latency_ms = round((time.perf_counter() - admission.started) * 1000, 1)
    record.time = time.time()
    try:
        state.audit.append(record)
    except Exception as exc:  # the answer is already made: say so loudly, but deliver it
        log.error(
            "request %s: its completed audit record could not be written (%s); the "
            "admitted record is there. Check the disk holding %s.",
            record.request_id,
            type(exc).__name__,
            state.audit.path,
        )


class Admit:
    """The FastAPI dependency every route that runs something declares.

    Example::

        @router.post("/v1/tools/{tool_id:path}")
        async def run_tool(admission: Annotated[Admission, Depends(Admit("tool"))]): ...

    ``audited=False`` (listing routes) checks the key and rate limit and records refusals,
    but writes no admitted/completed records: nothing runs.
    """

    def __init__(self, kind: str, *, audited: bool = True):
        self.kind = kind
        self.audited = audited

    async def __call__(self, request: Request) -> Admission:
        return admit(request, self.kind, audited=self.audited)
