"""The remote OpenAI-compatible engine, against fake servers in httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from civicllm.engines.base import GenerationRequest, collect_stream
from civicllm.engines.openai import OpenAIEngine
from civicllm.errors import ConfigError, EngineUnavailableError, InputError


def sse(*texts: str, finish: str = "stop") -> bytes:
    events = [
        {"choices": [{"index": 0, "delta": {"content": t}, "finish_reason": None}]} for t in texts
    ]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    events.append({"choices": [], "usage": {"prompt_tokens": 4, "completion_tokens": len(texts)}})
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    return body.encode()


REQUEST = GenerationRequest(
    messages=[{"role": "user", "content": "hi"}],
    max_tokens=9,
    seed=1,
    stop=("END",),
    temperature=0.0,
)


def test_streams_text_usage_and_sends_the_options() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.headers["authorization"] == "Bearer tok"
        return httpx.Response(200, content=sse("Hel", "lo"))

    engine = OpenAIEngine(
        ["http://a/v1"], model="llama", api_key="tok", transport=httpx.MockTransport(handler)
    )
    result = asyncio.run(collect_stream(engine.stream(REQUEST)))
    assert result.text == "Hello"
    assert result.usage.prompt_tokens == 4 and result.usage.completion_tokens == 2
    body = seen[0]
    assert body["model"] == "llama" and body["stream"] is True
    assert body["max_tokens"] == 9 and body["seed"] == 1 and body["stop"] == ["END"]


def test_fails_over_to_the_next_endpoint_on_connect_error_and_5xx() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        if request.url.host == "down":
            raise httpx.ConnectError("refused", request=request)
        if request.url.host == "broken":
            return httpx.Response(502, json={"error": {"message": "bad gateway"}})
        return httpx.Response(200, content=sse("ok"))

    engine = OpenAIEngine(
        ["http://down/v1", "http://broken/v1", "http://up/v1"],
        model="m",
        connect_retries=1,
        transport=httpx.MockTransport(handler),
    )
    result = asyncio.run(collect_stream(engine.stream(REQUEST)))
    assert result.text == "ok"
    assert calls == ["down", "down", "broken", "up"]
    # The endpoint that worked is tried first next time.
    calls.clear()
    asyncio.run(collect_stream(engine.stream(REQUEST)))
    assert calls == ["up"]


def test_all_endpoints_down_is_engine_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    engine = OpenAIEngine(
        ["http://a/v1", "http://b/v1"],
        model="m",
        connect_retries=0,
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(EngineUnavailableError, match="No model server answered"):
        asyncio.run(collect_stream(engine.stream(REQUEST)))


def test_remote_4xx_is_an_input_error_with_the_remote_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"message": "context too long"}})

    engine = OpenAIEngine(["http://a/v1"], model="m", transport=httpx.MockTransport(handler))
    with pytest.raises(InputError, match="context too long"):
        asyncio.run(collect_stream(engine.stream(REQUEST)))


def test_needs_urls_and_model_name() -> None:
    with pytest.raises(ConfigError):
        OpenAIEngine([], model="m")
    with pytest.raises(ConfigError):
        OpenAIEngine(["http://a/v1"], model="")
