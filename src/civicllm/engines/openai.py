"""Remote engines: any OpenAI-compatible server (vLLM, llama-server, Ollama, Llama Stack).

Sampling options, ``tools``/``tool_choice`` and ``logprobs`` are passed through; the
server's tool calls and logprobs come back as it sent them.

Several base URLs may serve one model: each request tries them in turn, starting with the
next one after the last that worked, and moves on when a connection fails or the server
answers 5xx before the first token. Once tokens have reached the client a failure cannot
be retried without repeating text, so it ends the stream with an error.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence

import httpx

from civicllm.engines.base import Chunk, GenerationRequest, Usage, chat_body
from civicllm.errors import ConfigError, EngineError, EngineUnavailableError, InputError

__all__ = ["OpenAIEngine"]


class OpenAIEngine:
    """Stream chat completions from one or more OpenAI-compatible endpoints.

    Example::

        engine = OpenAIEngine(["http://gpu1:8000/v1", "http://gpu2:8000/v1"], model="llama-3.1-8b")
    """

    name = "openai"

    def __init__(
        self,
        base_urls: Sequence[str],
        *,
        model: str,
        api_key: str = "",
        timeout: float = 120.0,
        connect_retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        if not base_urls:
            raise ConfigError("The openai engine needs at least one --base-url.")
        if not model:
            raise ConfigError("The openai engine needs the remote model's name: --model-name NAME.")
        self.base_urls = [url.rstrip("/") for url in base_urls]
        self.model_name = model
        self.connect_retries = connect_retries
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers=headers,
            transport=transport,
        )
        self._next = 0

    def model_names(self) -> list[str]:
        """Return the remote model's name."""
        return [self.model_name]

    def _order(self) -> list[str]:
        start = self._next % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """Stream from the first endpoint that answers; fail over before the first token."""
        body = {"model": self.model_name, **chat_body(request)}
        failures: list[str] = []
        for index, base in enumerate(self._order()):
            for _attempt in range(self.connect_retries + 1):
                try:
                    async with self._client.stream(
                        "POST", f"{base}/chat/completions", json=body
                    ) as response:
                        if response.status_code >= 500:
                            failures.append(f"{base}: HTTP {response.status_code}")
                            break  # try the next endpoint
                        if response.status_code >= 400:
                            await response.aread()
                            reason = remote_message(response)
                            raise InputError(
                                f"The model server rejected the request: {reason}",
                                param=remote_param(response) or "messages",
                            )
                        self._next = (self._next + index) % len(self.base_urls)
                        async for chunk in parse_sse(response):
                            yield chunk
                        return
                except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                    failures.append(f"{base}: {type(exc).__name__}")
                    continue
                except httpx.HTTPError as exc:
                    raise EngineError(f"The model server at {base} failed: {exc}") from exc
        raise EngineUnavailableError(
            "No model server answered (" + "; ".join(failures) + "). Check that it is running."
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()


def remote_message(response: httpx.Response) -> str:
    """Return the error message of a remote error response."""
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def remote_param(response: httpx.Response) -> str | None:
    """Return the field a remote error response names, if any."""
    try:
        param = response.json()["error"]["param"]
    except (ValueError, KeyError, TypeError):
        return None
    return param if isinstance(param, str) and param else None


async def parse_sse(response: httpx.Response) -> AsyncIterator[Chunk]:
    """Turn an OpenAI SSE stream into Chunks, ending with finish_reason and usage.

    Tool call deltas and token logprobs are relayed as the server sent them.
    """
    finish: str | None = None
    usage: Usage | None = None
    async for line in response.aiter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            event = json.loads(data)
        except json.JSONDecodeError as exc:
            raise EngineError(f"The model server sent a malformed event: {data[:80]}") from exc
        if "error" in event:
            raise EngineError(f"The model server failed: {event['error']}")
        if event.get("usage"):
            found = event["usage"]
            usage = Usage(found.get("prompt_tokens", 0), found.get("completion_tokens", 0))
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            text = delta.get("content") or ""
            calls = delta.get("tool_calls") or ()
            logprobs = (choice.get("logprobs") or {}).get("content") or ()
            if text or calls or logprobs:
                yield Chunk(text=text, tool_calls=calls, logprobs=logprobs)
            if choice.get("finish_reason"):
                finish = choice["finish_reason"]
    yield Chunk(finish_reason=finish or "stop", usage=usage or Usage())
