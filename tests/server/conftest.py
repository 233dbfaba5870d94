"""An in-process client for the app: httpx over the ASGI transport, no port, no sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from civicllm.config import Settings
from civicllm.server import create_app

ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client(echo_settings: Settings) -> ClientFactory:
    """Return a factory of in-process clients; keyword arguments override settings."""

    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        engine = overrides.pop("engine_object", None)
        settings = echo_settings.model_copy(update=overrides)
        app = create_app(settings, engine=engine)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as c:
                c.app = app  # type: ignore[attr-defined]
                yield c

    return factory
