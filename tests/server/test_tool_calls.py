"""tools / tool_choice on POST /v1/chat/completions: echo engine, a fake remote, the client."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from civicllm.engines.openai import OpenAIEngine

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.anyio

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city today.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["city", "days"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def ask(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": "echo", "messages": [{"role": "user", "content": text}], **extra}


def sse_chunks(text: str) -> list[dict[str, Any]]:
    return [
        json.loads(block.removeprefix("data: "))
        for block in text.strip().split("\n\n")
        if block != "data: [DONE]"
    ]


async def post(make_client: Any, body: dict[str, Any], **overrides: Any) -> Any:
    async with make_client(**overrides) as client:
        return await client.post("/v1/chat/completions", json=body)


async def test_required_tool_choice_returns_an_openai_tool_call(make_client: Any) -> None:
    response = await post(
        make_client, ask("Is it raining in Lyon?", tools=[WEATHER], tool_choice="required")
    )
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    [call] = choice["message"]["tool_calls"]
    assert call["id"].startswith("call_") and call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {
        "city": "Is it raining in Lyon?",
        "days": 0,
    }


async def test_streamed_tool_call_deltas_join_to_the_same_call(make_client: Any) -> None:
    body = ask("Is it raining in Lyon?", tools=[WEATHER, TIME], tool_choice="required")
    whole = (await post(make_client, body)).json()["choices"][0]["message"]["tool_calls"][0]
    response = await post(make_client, {**body, "stream": True})
    chunks = sse_chunks(response.text)
    deltas = [d for c in chunks for d in c["choices"][0]["delta"].get("tool_calls", [])]
    assert deltas[0]["id"].startswith("call_") and deltas[0]["function"]["name"] == "get_weather"
    arguments = "".join(d["function"].get("arguments", "") for d in deltas)
    assert arguments == whole["function"]["arguments"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


async def test_auto_calls_only_when_the_model_chooses_to(make_client: Any) -> None:
    called = await post(make_client, ask("Please get_time now", tools=[WEATHER, TIME]))
    assert called.json()["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == (
        "get_time"
    )
    answered = await post(make_client, ask("Hello there", tools=[WEATHER, TIME]))
    choice = answered.json()["choices"][0]
    assert choice["finish_reason"] == "stop" and "tool_calls" not in choice["message"]
    assert choice["message"]["content"] == "user: Hello there"


async def test_named_and_none_tool_choice(make_client: Any) -> None:
    named = {"type": "function", "function": {"name": "get_time"}}
    forced = await post(make_client, ask("weather?", tools=[WEATHER, TIME], tool_choice=named))
    call = forced.json()["choices"][0]["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_time"
    free = await post(make_client, ask("get_time", tools=[TIME], tool_choice="none"))
    assert free.json()["choices"][0]["message"]["content"] == "user: get_time"


async def test_the_model_sees_the_tool_result(make_client: Any) -> None:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Lyon", "days": 0}'},
    }
    body = {
        "model": "echo",
        "tools": [WEATHER],
        "messages": [
            {"role": "user", "content": "Is it raining in Lyon?"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 21 C"},
        ],
    }
    response = await post(make_client, body)
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert "tool: Sunny, 21 C" in choice["message"]["content"]
    assert '"name": "get_weather"' in choice["message"]["content"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (ask("x", tool_choice="auto"), "tool_choice"),
        (ask("x", parallel_tool_calls=False), "parallel_tool_calls"),
        (
            ask("x", tools=[WEATHER], tool_choice={"type": "function", "function": {"name": "f"}}),
            "tool_choice",
        ),
        (ask("x", tools=[{"type": "function", "function": {"name": "bad name"}}]), None),
        (
            {"model": "echo", "messages": [{"role": "tool", "content": "21 C"}]},
            "messages.0.tool_call_id",
        ),
        (
            {
                "model": "echo",
                "messages": [{"role": "user", "content": "x", "tool_call_id": "call_1"}],
            },
            "messages.0.tool_call_id",
        ),
    ],
)
async def test_inconsistent_tool_requests_are_refused(
    make_client: Any, body: dict[str, Any], param: str | None
) -> None:
    response = await post(make_client, body)
    assert response.status_code == 400, response.text
    if param is not None:
        assert response.json()["error"]["param"] == param


async def test_assistants_refuse_client_tools(make_client: Any) -> None:
    body = {**ask("Pell?", tools=[WEATHER]), "model": "student-aid"}
    response = await post(make_client, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "tools" and "own pack's tools" in error["message"]


def remote_sse(events: list[dict[str, Any]]) -> bytes:
    return ("".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n").encode()


REMOTE_CALL = [
    {
        "choices": [
            {
                "index": 0,
                "delta": {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_remote",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": ""},
                        }
                    ],
                },
                "finish_reason": None,
            }
        ]
    },
    {
        "choices": [
            {
                "index": 0,
                "delta": {"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]},
                "finish_reason": None,
            }
        ]
    },
    {
        "choices": [
            {
                "index": 0,
                "delta": {"tool_calls": [{"index": 0, "function": {"arguments": '"Oslo"}'}}]},
                "finish_reason": None,
            }
        ]
    },
    {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
    {"choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 7}},
]


def remote_engine(seen: list[dict[str, Any]]) -> OpenAIEngine:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, content=remote_sse(REMOTE_CALL))

    return OpenAIEngine(["http://gpu/v1"], model="echo", transport=httpx.MockTransport(handler))


async def test_remote_engines_get_the_tools_and_relay_the_call(make_client: Any) -> None:
    seen: list[dict[str, Any]] = []
    body = ask("Weather in Oslo?", tools=[WEATHER], tool_choice="auto", parallel_tool_calls=False)
    response = await post(make_client, body, engine_object=remote_engine(seen))
    choice = response.json()["choices"][0]
    assert seen[0]["tools"] == [WEATHER] and seen[0]["tool_choice"] == "auto"
    assert seen[0]["parallel_tool_calls"] is False
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["tool_calls"] == [
        {
            "id": "call_remote",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
        }
    ]
    streamed = await post(make_client, {**body, "stream": True}, engine_object=remote_engine(seen))
    deltas = [
        d for c in sse_chunks(streamed.text) for d in c["choices"][0]["delta"].get("tool_calls", [])
    ]
    assert [d["function"].get("arguments", "") for d in deltas] == ["", '{"city": ', '"Oslo"}']


async def test_the_official_client_parses_tool_calls(echo_settings: Any) -> None:
    from civicllm.server import create_app

    app = create_app(echo_settings)
    async with app.router.lifespan_context(app):
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        client = openai.AsyncOpenAI(
            base_url="http://t/v1", api_key="unused", http_client=http, max_retries=0
        )
        messages: list[Any] = [{"role": "user", "content": "Lyon weather"}]
        result = await client.chat.completions.create(
            model="echo", messages=messages, tools=[WEATHER], tool_choice="required"
        )
        message = result.choices[0].message
        assert result.choices[0].finish_reason == "tool_calls"
        assert message.tool_calls and message.tool_calls[0].function.name == "get_weather"
        # The documented loop: send the call back with its result, get an answer.
        messages.append(message)
        messages.append(
            {"role": "tool", "tool_call_id": message.tool_calls[0].id, "content": "Rain"}
        )
        answer = await client.chat.completions.create(
            model="echo", messages=messages, tools=[WEATHER]
        )
        assert "tool: Rain" in (answer.choices[0].message.content or "")
        stream = await client.chat.completions.create(
            model="echo",
            messages=messages[:1],
            tools=[WEATHER],
            tool_choice="required",
            stream=True,
        )
        names = [
            call.function.name
            async for chunk in stream
            if chunk.choices and chunk.choices[0].delta.tool_calls
            for call in chunk.choices[0].delta.tool_calls
            if call.function and call.function.name
        ]
        assert names == ["get_weather"]
        with pytest.raises(openai.BadRequestError) as caught:
            await client.chat.completions.create(
                model="echo", messages=messages[:1], logit_bias={"1": 5}
            )
        assert caught.value.body["param"] == "logit_bias"  # type: ignore[index]
        await http.aclose()
