"""Tool calls as JSON-schema-constrained output, and the remote engine relaying them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from civicllm.engines.base import GenerationRequest, collect_stream, merge_tool_calls
from civicllm.engines.openai import OpenAIEngine
from civicllm.engines.tool_calls import parse_tool_output, plan_tool_calls

TOOLS = [
    {"type": "function", "function": {"name": "a", "parameters": {"type": "object"}}},
    {"type": "function", "function": {"name": "b", "description": "B."}},
]


def test_no_plan_without_tools_or_with_none() -> None:
    assert plan_tool_calls((), "required") is None
    assert plan_tool_calls(TOOLS, "none") is None


def test_required_and_named_choices_constrain_to_a_call() -> None:
    required = plan_tool_calls(TOOLS, "required")
    assert required is not None and not required.may_answer
    assert [c["properties"]["name"]["const"] for c in required.schema["anyOf"]] == ["a", "b"]
    named = plan_tool_calls(TOOLS, {"type": "function", "function": {"name": "b"}})
    assert named is not None and named.names == ("b",)
    assert named.schema["properties"]["name"] == {"const": "b"}
    assert '"name": "b"' in named.instructions and '"name": "a"' not in named.instructions


def test_auto_allows_words_or_a_call() -> None:
    plan = plan_tool_calls(TOOLS, "auto")
    assert plan is not None and plan.may_answer
    assert parse_tool_output('{"response": "Hi"}', plan) == ("Hi", None)
    assert parse_tool_output('{"tool_call": {"name": "a", "arguments": {"x": 1}}}', plan) == (
        "",
        {"name": "a", "arguments": {"x": 1}},
    )


def test_output_that_is_not_a_call_stays_words() -> None:
    plan = plan_tool_calls(TOOLS, "required")
    assert plan is not None
    cut = '{"name": "a", "argu'
    assert parse_tool_output(cut, plan) == (cut, None)
    unknown = '{"name": "zzz", "arguments": {}}'
    assert parse_tool_output(unknown, plan) == (unknown, None)


def test_deltas_merge_into_whole_calls() -> None:
    calls: list[dict[str, Any]] = []
    merge_tool_calls(calls, [{"index": 0, "id": "c1", "function": {"name": "a", "arguments": ""}}])
    merge_tool_calls(calls, [{"index": 1, "id": "c2", "function": {"name": "b"}}])
    merge_tool_calls(calls, [{"index": 0, "function": {"arguments": '{"x"'}}])
    merge_tool_calls(calls, [{"index": 0, "function": {"arguments": ": 1}"}}])
    assert calls[0] == {
        "id": "c1",
        "type": "function",
        "function": {"name": "a", "arguments": '{"x": 1}'},
    }
    assert calls[1]["function"] == {"name": "b", "arguments": ""}


def test_remote_engine_sends_tools_and_logprobs_and_relays_them() -> None:
    seen: list[dict[str, Any]] = []
    events = [
        {
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": "Hi"},
                    "logprobs": {
                        "content": [
                            {"token": "Hi", "logprob": -0.1, "bytes": [72, 105], "top_logprobs": []}
                        ]
                    },
                    "finish_reason": None,
                }
            ]
        },
        {
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "tool_calls": [
                            {"index": 0, "id": "x", "function": {"name": "a", "arguments": "{}"}}
                        ]
                    },
                    "finish_reason": "tool_calls",
                }
            ]
        },
    ]
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, content=body.encode())

    engine = OpenAIEngine(["http://a/v1"], model="m", transport=httpx.MockTransport(handler))
    request = GenerationRequest(
        messages=[{"role": "user", "content": "hi"}],
        tools=tuple(TOOLS),
        tool_choice="required",
        logprobs=True,
        top_logprobs=3,
        frequency_penalty=0.2,
        presence_penalty=0.1,
    )
    result = asyncio.run(collect_stream(engine.stream(request)))
    sent = seen[0]
    assert sent["tools"] == TOOLS and sent["tool_choice"] == "required"
    assert sent["logprobs"] is True and sent["top_logprobs"] == 3
    assert (sent["frequency_penalty"], sent["presence_penalty"]) == (0.2, 0.1)
    assert result.text == "Hi" and result.logprobs[0]["logprob"] == -0.1
    assert result.finish_reason == "tool_calls"
    assert result.tool_calls == [
        {"id": "x", "type": "function", "function": {"name": "a", "arguments": "{}"}}
    ]
