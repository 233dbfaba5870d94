"""Translate every error into the OpenAI error body; no stack trace ever reaches a client."""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from civicllm.errors import CivicError, OverloadedError, RateLimitError
from civicllm.safety.redact import redact_text
from civicllm.surrogates import replace_surrogates

__all__ = [
    "ErrorBody",
    "document_errors",
    "error_response",
    "error_responses",
    "install_error_handlers",
    "unexpected_error_response",
]

log = logging.getLogger("civicllm.server")


def error_response(
    status: int,
    message: str,
    *,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Return an OpenAI-shaped error response."""
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def civic_error_response(exc: CivicError) -> JSONResponse:
    """Return the response for one of civicllm's own errors."""
    headers = {}
    if isinstance(exc, RateLimitError | OverloadedError):
        headers["Retry-After"] = str(int(max(1, round(exc.retry_after))))
    return JSONResponse(exc.to_body(), status_code=exc.status, headers=headers)


# At most this many problems are listed in one message; the rest are counted.
MAX_LISTED_PROBLEMS = 10


# The names pydantic gives the branches of a union in an error's location
# ("messages.0.content.str"): types, not fields, so the client never sees them.
_TYPE_NAMES = frozenset({"str", "int", "float", "bool", "none", "list", "dict"})


def _is_union_branch(part: Any) -> bool:
    if not isinstance(part, str):
        return False
    return part in _TYPE_NAMES or "[" in part or part[:1].isupper() or part.startswith("function-")


def describe_validation(errors: list[Any]) -> tuple[str, str | None]:
    """Return a message listing every validation error (one per line) and the first's field."""
    if not errors:
        return "The request is not valid.", None
    if any(error.get("type") == "json_invalid" for error in errors):
        return "The request body is not valid JSON.", None
    lines: list[str] = []
    params: list[str | None] = []
    seen: set[str] = set()
    for error in errors:
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part != "body" and not _is_union_branch(part)
        ]
        # Field names may come from the client, lone surrogates included.
        param = replace_surrogates(".".join(loc)) or None
        where = f"'{param}'" if param else "The request body"
        line = f"{where}: {error.get('msg', 'is not valid')}."
        if line not in seen:
            seen.add(line)
            lines.append(line)
            params.append(param)
    listed = lines[:MAX_LISTED_PROBLEMS]
    if len(lines) > len(listed):
        listed.append(f"(and {len(lines) - len(listed)} more problems)")
    return replace_surrogates("\n".join(listed)), params[0]


class ErrorDetail(BaseModel):
    """The fields of an OpenAI-shaped error."""

    message: str
    type: str
    param: str | None
    code: str | None


class ErrorBody(BaseModel):
    """Every error response: ``{"error": {"message", "type", "param", "code"}}``."""

    error: ErrorDetail


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
ERROR_DESCRIPTIONS = {
    400: "The request is not valid; the message and param name the field.",
    401: "An API key is needed (Authorization: Bearer KEY) or the key is not valid.",
    404: "No such model, assistant, tool or flow.",
    413: "The body or a message is larger than the server's limit.",
    429: "Too many requests from this key or address; retry after Retry-After seconds.",
    503: "The server is busy or not ready; retry after Retry-After seconds.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI ``responses`` entries for the error statuses a route gives."""
    found: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
        if status in (429, 503):
            entry["headers"] = RETRY_AFTER
        found[status] = entry
    return found


def document_errors(app: FastAPI) -> None:
    """Make the OpenAPI document say what the server really answers: 400, not 422."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
            schemas = schema.get("components", {}).get("schemas", {})
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that shape every error response, and document them."""
    document_errors(app)

    @app.exception_handler(CivicError)
    async def on_civic_error(request: Request, exc: CivicError) -> JSONResponse:
        if exc.status >= 500:
            # Messages may quote what the client sent: personal data is masked first.
            log.warning("request %s failed: %s", request_id(request), redact_text(exc.message)[0])
        return civic_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = describe_validation(list(exc.errors()))
        return error_response(400, message, param=param, code="invalid_value")

    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        message = str(exc.detail) if exc.detail else "Request failed."
        if exc.status_code == 400 and message == "There was an error parsing the body":
            # FastAPI's words for a body json.loads gave up on (too deep, a number too long).
            message = (
                "The request body is not JSON this server can read (nested too deeply, or a "
                "number too long); check it and send it again."
            )
            code = "invalid_json"
        if exc.status_code == 404 and message == "Not Found":
            message = f"There is no {request.method} {request.url.path}. See GET /v1/models."
        headers = dict(exc.headers or {})
        if exc.status_code == 405 and "Allow" in headers:
            allowed = [m.strip() for m in headers["Allow"].split(",") if m.strip()]
            if "GET" in allowed and "HEAD" not in allowed:
                allowed.append("HEAD")  # the app answers HEAD wherever it answers GET
            headers["Allow"] = ", ".join(allowed)
            method = request.scope.get("civicllm.method", request.method)
            message = f"{method} is not allowed on {request.url.path}; use {headers['Allow']}."
        return error_response(exc.status_code, message, code=code, headers=headers or None)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return unexpected_error_response(request)


def unexpected_error_response(request: Request) -> JSONResponse:
    """Log the current exception, redacted, and return a 500 that reveals nothing of it."""
    rid = request_id(request)
    # A traceback's messages often quote the input (a validation error, a failed parse):
    # the log gets it with personal data masked, never verbatim.
    trace = redact_text("".join(traceback.format_exception(*sys.exc_info())))[0]
    log.error("request %s failed unexpectedly\n%s", rid, trace.rstrip())
    return error_response(
        500,
        f"Something went wrong on the server (request {rid}). The operator can look it up.",
        type_="server_error",
        code="internal_error",
    )


def request_id(request: Request) -> str:
    """Return the id the middleware gave this request."""
    return str(getattr(request.state, "request_id", "unknown"))
