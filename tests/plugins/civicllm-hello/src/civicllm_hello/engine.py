"""hello-echo: an engine plug-in that counts how often it is created.

It wraps civicllm's echo engine; ``LOADS`` records each creation, so a test can prove that
a server or a chat session opens its model once, not once per request or turn.
"""

from __future__ import annotations

from civicllm.config import Settings
from civicllm.engines.base import Engine
from civicllm.engines.echo import EchoEngine

__all__ = ["LOADS", "make_engine"]

LOADS: list[str] = []  # one entry per engine created: the served model name


def make_engine(settings: Settings) -> Engine:
    """Create an echo engine named after the settings (the ``civicllm.engines`` entry point)."""
    name = settings.model_name or "hello-echo"
    LOADS.append(name)
    return EchoEngine(name)
