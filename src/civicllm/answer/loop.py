"""The answer loop for one chat request: a raw model, or an assistant (a pack).

Everything is a stream of ReplyEvents; the non-streaming API joins them.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from typing import Any

from civicllm.answer.language import detect_language
from civicllm.engines.base import Engine, GenerationRequest, Usage
from civicllm.packs.loader import Pack

__all__ = ["ReplyEvent", "stream_reply"]


@dataclass
class ReplyEvent:
    """A piece of a reply: text, and at the end finish_reason, usage and citations."""

    text: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    extension: dict[str, Any] = field(default_factory=dict)


async def stream_reply(
    engine: Engine,
    messages: Sequence[dict[str, Any]],
    options: GenerationRequest,
    *,
    pack: Pack | None = None,
    language: str | None = None,
    answerer: Any = None,
) -> AsyncGenerator[ReplyEvent, None]:
    """Yield the reply to a conversation, grounded in the pack when one is named."""
    if pack is not None and answerer is not None:
        async for event in answerer.stream(pack, messages, options, language=language):
            yield event
        return
    if pack is not None:
        question = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        lang = language or detect_language(str(question))
        system = {"role": "system", "content": pack.system_prompt_for(lang)}
        messages = [system, *[m for m in messages if m["role"] not in ("system", "developer")]]
    request = GenerationRequest(
        messages=list(messages),
        max_tokens=options.max_tokens,
        temperature=options.temperature,
        top_p=options.top_p,
        seed=options.seed,
        stop=options.stop,
        json_schema=options.json_schema,
        model=options.model,
    )
    async for chunk in engine.stream(request):
        yield ReplyEvent(text=chunk.text, finish_reason=chunk.finish_reason, usage=chunk.usage)
