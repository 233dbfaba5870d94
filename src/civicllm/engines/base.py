"""The Engine protocol: one streaming method; everything else is built from the stream."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Chunk",
    "Completion",
    "Engine",
    "GenerationRequest",
    "Usage",
    "chat_body",
    "collect_stream",
]


@dataclass(frozen=True)
class GenerationRequest:
    """What to generate: OpenAI-style chat messages plus sampling options."""

    messages: Sequence[dict[str, Any]]
    max_tokens: int = 512
    temperature: float = 0.7
    top_p: float = 1.0
    seed: int | None = None
    stop: Sequence[str] = ()
    json_schema: dict[str, Any] | None = None  # constrain the output to this JSON schema
    model: str = ""


@dataclass(frozen=True)
class Usage:
    """Token counts of one generation."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Return prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Chunk:
    """A piece of a streamed generation; the last one carries finish_reason and usage."""

    text: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None


@dataclass
class Completion:
    """A whole generation, joined from its chunks."""

    text: str = ""
    finish_reason: str = "stop"
    usage: Usage = field(default_factory=Usage)


@runtime_checkable
class Engine(Protocol):
    """A text generator. Implementations: llama-cpp (embedded), openai (remote), echo (tests)."""

    name: str

    def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """Yield the generation chunk by chunk; the last chunk has a finish_reason."""
        ...

    def model_names(self) -> list[str]:
        """Return the raw model names this engine serves."""
        ...

    async def close(self) -> None:
        """Release the model or connections."""
        ...


async def collect_stream(chunks: AsyncIterator[Chunk]) -> Completion:
    """Join a stream into one Completion (the only way non-streaming answers are made)."""
    parts: list[str] = []
    result = Completion()
    async for chunk in chunks:
        parts.append(chunk.text)
        if chunk.finish_reason is not None:
            result.finish_reason = chunk.finish_reason
        if chunk.usage is not None:
            result.usage = chunk.usage
    result.text = "".join(parts)
    return result


def chat_body(request: GenerationRequest) -> dict[str, Any]:
    """Return the streaming OpenAI chat-completions body for a request (llama.cpp and remote)."""
    body: dict[str, Any] = {
        "messages": list(request.messages),
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if request.seed is not None:
        body["seed"] = request.seed
    if request.stop:
        body["stop"] = list(request.stop)
    if request.json_schema is not None:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "output", "schema": request.json_schema},
        }
    return body
