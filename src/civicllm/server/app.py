"""create_app(settings): the ASGI app with the API, the tools, and the citizen page."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civicllm import __version__
from civicllm.config import Settings
from civicllm.engines import Engine
from civicllm.errors import PayloadTooLargeError
from civicllm.runtime import open_runtime
from civicllm.safety.audit import REQUEST_ID, open_audit_log
from civicllm.server import chat, tools, verify
from civicllm.server.errors import (
    civic_error_response,
    install_error_handlers,
    unexpected_error_response,
)
from civicllm.server.limits import AdmissionQueue, KeyStore, RateLimiter, parse_networks
from civicllm.server.state import AppState, finish_admission, get_state

__all__ = ["create_app"]

# Routers that other parts of civicllm add when present (the page, guided flows).
OPTIONAL_ROUTERS = ("civicllm.server.flows", "civicllm.server.web", "civicllm.server.data")


class BodyLimitMiddleware:
    """Refuse request bodies over the limit before they are read into memory."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLargeError(
            f"The request body is larger than {self.limit} bytes.", param="body"
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await civic_error_response(too_large)(scope, receive, send)
                return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large
            return message

        await self.app(scope, limited_receive, send)


class HeadMiddleware:
    """Answer HEAD on every route that answers GET: run it as GET and send no body."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server still sees HEAD in its own scope and sends no body either.
        await self.app(
            {**scope, "method": "GET", "civicllm.method": "HEAD"}, receive, send_headers_only
        )


def build_state(settings: Settings, engine: Engine | None) -> AppState:
    """Open the runtime (engine unless given, tools, packs, answerer), limits and audit log."""
    return AppState(
        runtime=open_runtime(settings, engine),
        audit=open_audit_log(settings),
        keys=KeyStore(settings.path("keys.json"), settings.api_keys),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        queue=AdmissionQueue(settings.parallel, settings.queue_size),
        trusted_proxies=parse_networks(settings.trusted_proxies),
    )


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Return the civicllm ASGI app for the settings (an engine may be passed in for tests).

    Example::

        app = create_app(Settings(engine="echo", home=tmp_path))
    """
    settings = settings or Settings()
    state = build_state(settings, engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.ready = True
        warming = None
        if state.answerer is not None:
            # Index the packs' sources in the background; the first question waits for it,
            # and /readyz says "indexing" until it is done.
            warming = asyncio.create_task(state.answerer.warm(list(state.packs.values())))
            state.warming = warming
        try:
            yield
        finally:
            state.ready = False
            if warming is not None:
                # The ingest runs in a worker thread that cannot be interrupted; let it finish
                # (each file is its own transaction, so even a kill leaves the index usable).
                with contextlib.suppress(Exception):
                    await warming
            if state.answerer is not None and hasattr(state.answerer, "close"):
                state.answerer.close()
            await state.engine.close()
            state.audit.close()

    app = FastAPI(title="civicllm", version=__version__, lifespan=lifespan)
    app.state.civic = state
    app.state.settings = settings
    app.state.packs = state.packs
    install_error_handlers(app)
    app.include_router(chat.router)
    app.include_router(tools.router)
    app.include_router(verify.router)
    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        app.include_router(module.router)

    @app.middleware("http")
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Any:
        # A client's request id is kept only in a safe form: it goes into logs and the audit.
        given = request.headers.get("x-request-id", "")
        request.state.request_id = (
            given if REQUEST_ID.match(given) else "req-" + uuid.uuid4().hex[:16]
        )
        started = time.perf_counter()
        state.metrics.queue_depth.set(state.queue.depth)
        try:
            response = await call_next(request)
        except Exception:  # the last line of defence: never a stack trace to the client
            response = unexpected_error_response(request)
        admission = getattr(request.state, "admission", None)
        if admission is not None and not admission.deferred:
            finish_admission(state, admission, response.status_code)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        state.metrics.requests.labels(path, str(response.status_code)).inc()
        state.metrics.latency.labels(path).observe(time.perf_counter() - started)
        response.headers["X-Request-Id"] = request.state.request_id
        return response

    app.add_middleware(BodyLimitMiddleware, limit=settings.max_request_bytes)
    app.add_middleware(HeadMiddleware)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Say the process is up."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        responses={
            503: {"description": 'Not yet: {"status": "starting"} or {"status": "indexing"}'}
        },
    )
    async def readyz(request: Request) -> Response:
        """Say whether every route can answer now: model loaded and packs' sources indexed."""
        current = get_state(request)
        if not current.ready:
            status = "starting"
        elif current.warming is not None and not current.warming.done():
            status = "indexing"  # raw models and tools answer; assistants wait for the index
        else:
            status = "ready"
        code = 200 if status == "ready" else 503
        return JSONResponse({"status": status}, status_code=code)

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        """Expose Prometheus metrics."""
        current = get_state(request)
        current.metrics.queue_depth.set(current.queue.depth)
        return Response(generate_latest(current.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
