"""The one exception tree of civicllm.

Errors are raised deep in the code and translated only at the edges: the CLI prints a
one-line message and exits 2 (input) or 1 (anything else); the server answers with an
OpenAI-shaped body ``{"error": {"message", "type", "param", "code"}}`` and the status below.

    CivicError                      base; status 500, type "server_error"
    ├── InputError                  bad input from a user; 400 "invalid_request_error";
    │   │                           ``details`` lists every bad field, ``param`` the first
    │   ├── NotFoundError           unknown model, assistant, tool or file; 404
    │   └── PayloadTooLargeError    request body or message over a limit; 413
    ├── AuthError                   missing or wrong API key; 401 "authentication_error"
    ├── RateLimitError              too many requests for a key or session; 429 (retry_after)
    ├── OverloadedError             the request queue is full; 503 (retry_after)
    ├── ConfigError                 settings or a pack that cannot be used; 500
    │   └── SnapshotBusyError       the data snapshot is locked by another process; 503
    ├── EngineError                 the model engine failed; 502 "engine_error"
    │   └── EngineUnavailableError  no endpoint answered; 503
    └── IngestError                 a document could not be read; carries the file name

Every message tells a citizen or an operator what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence

from civicllm.surrogates import replace_surrogates

__all__ = [
    "AuthError",
    "CivicError",
    "ConfigError",
    "EngineError",
    "EngineUnavailableError",
    "IngestError",
    "InputError",
    "NotFoundError",
    "OverloadedError",
    "PayloadTooLargeError",
    "RateLimitError",
    "SnapshotBusyError",
]


class CivicError(Exception):
    """Base of every error civicllm raises on purpose."""

    status = 500
    type = "server_error"
    code: str | None = None

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code

    def to_body(self) -> dict[str, dict[str, str | None]]:
        """Return the OpenAI-shaped error body for this error (always encodable as UTF-8)."""
        # A message may quote what the user sent, lone surrogates included.
        return {
            "error": {
                "message": replace_surrogates(self.message),
                "type": self.type,
                "param": None if self.param is None else replace_surrogates(self.param),
                "code": self.code,
            }
        }


class InputError(CivicError):
    """The request or a file given by the user is not valid; nothing was changed.

    ``details`` holds every ``(param, message)`` found, so a form is fixed in one pass; the
    message then lists them one per line and ``param`` names the first. Example::

        InputError.from_details([("student.marital_status", "Field ... is required."),
                                 ("student.family_size", "Field ...: must be 1 or more.")])
    """

    status = 400
    type = "invalid_request_error"
    code = "invalid_value"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        details: Sequence[tuple[str | None, str]] = (),
    ):
        super().__init__(message, param=param, code=code)
        self.details: tuple[tuple[str | None, str], ...] = tuple(details) or ((param, message),)

    @classmethod
    def from_details(
        cls, details: Sequence[tuple[str | None, str]], *, code: str | None = None
    ) -> InputError:
        """Return one error for several bad fields: every message, the first field's name."""
        if not details:
            raise ValueError("from_details needs at least one (param, message) pair")
        message = "\n".join(text for _, text in details)
        return cls(message, param=details[0][0], code=code, details=details)


class NotFoundError(InputError):
    """A named model, assistant, tool or file does not exist."""

    status = 404
    code = "not_found"


class PayloadTooLargeError(InputError):
    """The request is larger than the configured limit."""

    status = 413
    code = "payload_too_large"


class AuthError(CivicError):
    """The API key is missing or not valid."""

    status = 401
    type = "authentication_error"
    code = "invalid_api_key"


class RateLimitError(CivicError):
    """Too many requests for this key or session; retry after ``retry_after`` seconds.

    ``repeated`` is True when the same client was refused already and has not waited.
    """

    status = 429
    type = "rate_limit_error"
    code = "rate_limit_exceeded"

    def __init__(
        self,
        message: str,
        *,
        retry_after: float = 1.0,
        repeated: bool = False,
        **kwargs: str | None,
    ):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.repeated = repeated


class OverloadedError(CivicError):
    """The server's queue is full; retry after ``retry_after`` seconds."""

    status = 503
    type = "server_overloaded"
    code = "queue_full"

    def __init__(self, message: str, *, retry_after: float = 1.0, **kwargs: str | None):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ConfigError(CivicError):
    """A setting, model path or pack cannot be used as configured."""

    type = "configuration_error"
    code = "bad_configuration"


class SnapshotBusyError(ConfigError):
    """Another process holds the data snapshot (an import writing, or a reader): try again."""

    status = 503
    code = "snapshot_busy"


class EngineError(CivicError):
    """The model engine failed while generating."""

    status = 502
    type = "engine_error"
    code = "engine_failed"


class EngineUnavailableError(EngineError):
    """No engine endpoint could be reached."""

    status = 503
    code = "engine_unavailable"


class IngestError(CivicError):
    """A document could not be ingested; ``path`` names it and the message says why."""

    type = "ingest_error"
    code = "unreadable_document"

    def __init__(self, message: str, *, path: str = "", **kwargs: str | None):
        super().__init__(message, **kwargs)
        self.path = path
