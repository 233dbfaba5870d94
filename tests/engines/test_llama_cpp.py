"""The embedded llama.cpp engine with the real shipped SmolLM2-135M model."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicllm.engines.base import GenerationRequest, collect_stream
from civicllm.engines.llama_cpp import LlamaCppEngine
from civicllm.errors import ConfigError, InputError

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def engine(model_path: Path) -> Iterator[LlamaCppEngine]:
    loaded = LlamaCppEngine(model_path, parallel=8, ctx_size=512, threads=2)
    yield loaded
    asyncio.run(loaded.close())


def ask(text: str, **options: object) -> GenerationRequest:
    return GenerationRequest(messages=[{"role": "user", "content": text}], **options)  # type: ignore[arg-type]


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_same_seed_and_temperature_zero_give_the_same_tokens(engine: LlamaCppEngine) -> None:
    request = ask("Name three colors.", max_tokens=24, temperature=0.0, seed=7)
    first = run(collect_stream(engine.stream(request)))
    second = run(collect_stream(engine.stream(request)))
    assert first.text and first.text == second.text  # type: ignore[attr-defined]


def test_max_tokens_is_honoured(engine: LlamaCppEngine) -> None:
    result = run(collect_stream(engine.stream(ask("Write a long story.", max_tokens=5))))
    assert result.usage.completion_tokens == 5  # type: ignore[attr-defined]
    assert result.finish_reason == "length"  # type: ignore[attr-defined]


def test_stop_sequence_is_honoured(engine: LlamaCppEngine) -> None:
    request = ask("Count from 1 to 10, separated by commas.", max_tokens=40, temperature=0.0)
    free = run(collect_stream(engine.stream(request))).text  # type: ignore[attr-defined]
    assert "3" in free
    stopped = run(
        collect_stream(
            engine.stream(
                ask(
                    "Count from 1 to 10, separated by commas.",
                    max_tokens=40,
                    temperature=0.0,
                    stop=["3"],
                )
            )
        )
    )
    assert "3" not in stopped.text  # type: ignore[attr-defined]
    assert stopped.finish_reason == "stop"  # type: ignore[attr-defined]
    assert free.startswith(stopped.text.rstrip())  # type: ignore[attr-defined]


def test_streamed_chunks_join_to_the_non_streamed_text(engine: LlamaCppEngine) -> None:
    request = ask("What is a grant?", max_tokens=30, temperature=0.0, seed=3)

    async def pieces() -> list[str]:
        return [chunk.text async for chunk in engine.stream(request)]

    chunks = run(pieces())
    whole = run(collect_stream(engine.stream(request)))
    assert len([c for c in chunks if c]) > 3  # type: ignore[union-attr]
    assert "".join(chunks) == whole.text  # type: ignore[arg-type, attr-defined]


def test_json_schema_constrains_the_output(engine: LlamaCppEngine) -> None:
    import json

    schema = {
        "type": "object",
        "properties": {"year": {"type": "integer"}, "ok": {"type": "boolean"}},
        "required": ["year", "ok"],
    }
    request = ask("Give the year 2026 as JSON.", max_tokens=60, temperature=0.0, json_schema=schema)
    text = run(collect_stream(engine.stream(request))).text  # type: ignore[attr-defined]
    data = json.loads(text)
    assert set(data) >= {"year", "ok"}
    assert isinstance(data["year"], int) and isinstance(data["ok"], bool)


def test_eight_concurrent_requests_all_complete(engine: LlamaCppEngine) -> None:
    async def many() -> list[object]:
        return await asyncio.gather(
            *[
                collect_stream(engine.stream(ask(f"Say hello number {i}.", max_tokens=16)))
                for i in range(8)
            ]
        )

    results = run(many())
    assert len(results) == 8  # type: ignore[arg-type]
    assert all(r.usage.completion_tokens > 0 for r in results)  # type: ignore[attr-defined, union-attr]


def test_too_long_prompt_is_an_input_error_not_a_crash(engine: LlamaCppEngine) -> None:
    with pytest.raises(InputError):
        run(collect_stream(engine.stream(ask("word " * 3000, max_tokens=4))))
    # The engine still serves afterwards.
    after = run(collect_stream(engine.stream(ask("Hi", max_tokens=3))))
    assert after.usage.completion_tokens > 0  # type: ignore[attr-defined]


def test_missing_model_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        LlamaCppEngine(tmp_path / "missing.gguf")


def test_a_required_tool_call_follows_the_function_schema(engine: LlamaCppEngine) -> None:
    import json

    tool = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                "required": ["city", "days"],
            },
        },
    }
    request = ask(
        "What is the weather in Paris for the next 3 days?",
        max_tokens=64,
        temperature=0.0,
        tools=(tool,),
        tool_choice="required",
    )
    result = run(collect_stream(engine.stream(request)))
    assert result.finish_reason == "tool_calls", result.text  # type: ignore[attr-defined]
    [call] = result.tool_calls  # type: ignore[attr-defined]
    assert call["id"].startswith("call_") and call["function"]["name"] == "get_weather"
    arguments = json.loads(call["function"]["arguments"])
    assert isinstance(arguments["city"], str) and isinstance(arguments["days"], int)


def test_logprobs_come_with_each_token(engine: LlamaCppEngine) -> None:
    request = ask("Say hi.", max_tokens=4, temperature=0.0, logprobs=True, top_logprobs=2)
    result = run(collect_stream(engine.stream(request)))
    entries = result.logprobs  # type: ignore[attr-defined]
    assert "".join(e["token"] for e in entries) == result.text  # type: ignore[attr-defined]
    assert all(len(e["top_logprobs"]) == 2 and "id" not in e for e in entries)
