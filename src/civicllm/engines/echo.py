"""A deterministic engine that answers with exactly what it received.

It ships in the package so every layer (prompt assembly, streaming, verification, the web
page, tool calls) can be tested offline and asserted exactly. Tokens are
whitespace-delimited words; each is certain, so its logprob is 0.0.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from civicllm.engines.base import Chunk, GenerationRequest, Usage
from civicllm.engines.tool_calls import function_of, tool_call_deltas

__all__ = ["EchoEngine", "echo_tool_call", "render_messages"]

TOKEN_PATTERN = re.compile(r"\s*\S+")


def render_messages(messages: Any) -> str:
    """Return the text the echo engine answers with: every message as ``role: content``."""
    lines = []
    for message in messages:
        content = message.get("content")
        if message.get("tool_calls"):
            content = json.dumps(message["tool_calls"], ensure_ascii=False, sort_keys=True)
        elif not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False, sort_keys=True)
        lines.append(f"{message.get('role', 'user')}: {content}")
    return "\n".join(lines)


def example_value(schema: Any, text: str) -> Any:
    """Return a deterministic value of a JSON schema's type (strings are ``text``)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(schema, dict) and schema.get("enum"):
        return schema["enum"][0]
    if kind == "object":
        properties = schema.get("properties") or {}
        return {k: example_value(properties[k], text) for k in schema.get("required", [])}
    return {"integer": 0, "number": 0, "boolean": False, "array": [], "null": None}.get(
        str(kind), text
    )


def echo_tool_call(
    messages: Sequence[dict[str, Any]],
    tools: Sequence[dict[str, Any]],
    tool_choice: str | dict[str, Any] | None,
) -> dict[str, Any] | None:
    """Return the call the echo engine makes, or None when it answers in words.

    A named ``tool_choice`` calls that function; "required" the first function named in the
    last user message, else the first function; "auto" (the default) a function named in
    the last message only when that message is the user's (after a tool result it answers).
    Required arguments get a value of their type; strings get the last user message.
    """
    if not tools or tool_choice == "none":
        return None
    functions = [function_of(tool) for tool in tools]
    last = messages[-1] if messages else {}
    said = str(last.get("content") or "") if last.get("role") == "user" else ""
    chosen: dict[str, Any] | None = None
    if isinstance(tool_choice, dict):
        wanted = function_of(tool_choice).get("name")
        chosen = next((f for f in functions if f.get("name") == wanted), None)
    else:
        chosen = next((f for f in functions if said and str(f.get("name")) in said), None)
        if chosen is None and tool_choice == "required":
            chosen = functions[0]
    if chosen is None:
        return None
    users = [m for m in messages if m.get("role") == "user"]
    text = str(users[-1].get("content") or "") if users else ""
    parameters = chosen.get("parameters") or {"type": "object"}
    return {"name": chosen.get("name", ""), "arguments": example_value(parameters, text)}


class EchoEngine:
    """Echo the received messages back, honouring max_tokens, stop, logprobs and tools.

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
        """Yield the rendered messages word by word, or one tool call (see echo_tool_call)."""
        text = render_messages(request.messages)
        call = echo_tool_call(request.messages, request.tools, request.tool_choice)
        if call is not None:
            for delta in tool_call_deltas(call):
                yield Chunk(tool_calls=[delta])
            arguments = json.dumps(call["arguments"], ensure_ascii=False)
            used = len(TOKEN_PATTERN.findall(arguments))
            yield Chunk(
                finish_reason="tool_calls",
                usage=Usage(len(TOKEN_PATTERN.findall(text)), used),
            )
            return
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
            yield Chunk(text=token, logprobs=certain(token) if request.logprobs else ())
        # Stop strings may cut a token in half; send what remains so chunks join to `out`.
        joined = "".join(TOKEN_PATTERN.findall(out))
        if joined != out:
            rest = out[len(joined) :]
            yield Chunk(text=rest, logprobs=certain(rest) if request.logprobs else ())
        yield Chunk(
            finish_reason=finish,
            usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=sent if out else 0),
        )

    async def close(self) -> None:
        """Nothing to release."""


def certain(token: str) -> list[dict[str, Any]]:
    """Return the logprob entry of a token the echo engine was sure of (probability 1)."""
    if not token:
        return []
    raw = list(token.encode("utf-8"))
    top = {"token": token, "logprob": 0.0, "bytes": raw}
    return [{**top, "top_logprobs": [top]}]
