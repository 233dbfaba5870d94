"""The HTTP server: OpenAI-compatible routes, tool routes, the citizen page."""

from __future__ import annotations

from civicllm.server.app import create_app

__all__ = ["create_app"]
