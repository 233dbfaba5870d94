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
    "merge_tool_calls",
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
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    logprobs: bool = False  # report each token's log probability
    top_logprobs: int | None = None  # and this many most likely alternatives
    # OpenAI function tools, and "none", "auto", "required" or {"type": "function", ...}
    tools: Sequence[dict[str, Any]] = ()
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None


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
    # OpenAI ``delta.tool_calls`` entries: {"index", "id"?, "type"?, "function": {...}}
    tool_calls: Sequence[dict[str, Any]] = ()
    # OpenAI ``logprobs.content`` entries of this chunk's tokens
    logprobs: Sequence[dict[str, Any]] = ()


@dataclass
class Completion:
    """A whole generation, joined from its chunks."""

    text: str = ""
    finish_reason: str = "stop"
    usage: Usage = field(default_factory=Usage)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    logprobs: list[dict[str, Any]] = field(default_factory=list)


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
        merge_tool_calls(result.tool_calls, chunk.tool_calls)
        result.logprobs.extend(chunk.logprobs)
        if chunk.finish_reason is not None:
            result.finish_reason = chunk.finish_reason
        if chunk.usage is not None:
            result.usage = chunk.usage
    result.text = "".join(parts)
    return result


def merge_tool_calls(calls: list[dict[str, Any]], deltas: Sequence[dict[str, Any]]) -> None:
    """Add streamed ``delta.tool_calls`` entries to whole tool calls, joined by index.

    The first delta of a call carries its id, type and function name; later ones carry
    pieces of the arguments string, which are concatenated.
    """
    for delta in deltas:
        index = int(delta.get("index", len(calls)))
        while len(calls) <= index:
            calls.append({"id": "", "type": "function", "function": {"name": "", "arguments": ""}})
        call = calls[index]
        if delta.get("id"):
            call["id"] = delta["id"]
        if delta.get("type"):
            call["type"] = delta["type"]
        function = delta.get("function") or {}
        if function.get("name"):
            call["function"]["name"] += function["name"]
        if function.get("arguments"):
            call["function"]["arguments"] += function["arguments"]


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
    if request.frequency_penalty:
        body["frequency_penalty"] = request.frequency_penalty
    if request.presence_penalty:
        body["presence_penalty"] = request.presence_penalty
    if request.logprobs:
        body["logprobs"] = True
        if request.top_logprobs is not None:
            body["top_logprobs"] = request.top_logprobs
    if request.tools:
        body["tools"] = list(request.tools)
        if request.tool_choice is not None:
            body["tool_choice"] = request.tool_choice
        if request.parallel_tool_calls is not None:
            body["parallel_tool_calls"] = request.parallel_tool_calls
    return body
