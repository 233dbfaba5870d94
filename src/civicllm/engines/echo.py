"""A deterministic engine that answers with exactly what it received.

It ships in the package so every layer (prompt assembly, streaming, verification, the web
page) can be tested offline and asserted exactly. Tokens are whitespace-delimited words.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from civicllm.engines.base import Chunk, GenerationRequest, Usage

__all__ = ["EchoEngine", "render_messages"]

TOKEN_PATTERN = re.compile(r"\s*\S+")


def render_messages(messages: Any) -> str:
    """Return the text the echo engine answers with: every message as ``role: content``."""
    lines = []
    for message in messages:
        content = message.get("content")
        if not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False, sort_keys=True)
        lines.append(f"{message.get('role', 'user')}: {content}")
    return "\n".join(lines)


class EchoEngine:
    """Echo the received messages back, honouring max_tokens and stop.

    Example::

        engine = EchoEngine()
        text = (await collect_stream(engine.stream(GenerationRequest(messages=[...])))).text
    """

    name = "echo"

    def __init__(self, model_name: str = "echo", delay: float = 0.0):
        self.model_name = model_name
        self.delay = delay

    def model_names(self) -> list[str]:
        """Return the one name the echo engine answers to."""
        return [self.model_name]

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """Yield the rendered messages word by word."""
        text = render_messages(request.messages)
        if request.json_schema is not None:
            text = json.dumps({"echo": text}, ensure_ascii=False)
        tokens = TOKEN_PATTERN.findall(text)
        prompt_tokens = len(tokens)
        finish = "stop"
        if len(tokens) > request.max_tokens:
            tokens, finish = tokens[: request.max_tokens], "length"
        out = "".join(tokens)
        for stop in request.stop:
            cut = out.find(stop) if stop else -1
            if cut >= 0:
                out, finish = out[:cut], "stop"
        sent = 0
        for token in TOKEN_PATTERN.findall(out) or [""]:
            if self.delay:
                await asyncio.sleep(self.delay)
            sent += 1
            yield Chunk(text=token)
        # Stop strings may cut a token in half; send what remains so chunks join to `out`.
        joined = "".join(TOKEN_PATTERN.findall(out))
        if joined != out:
            yield Chunk(text=out[len(joined) :])
        yield Chunk(
            finish_reason=finish,
            usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=sent if out else 0),
        )

    async def close(self) -> None:
        """Nothing to release."""
