"""A model trusted to generate may call a pack's tool for a question no route reads.

The tools, pack and index are the fakes of test_tool_route; the engines here either call a
tool with given arguments, answer in words, or fail, so each test controls what the model
chose. The answer is then the tool's (verified, ``tool_choice_by: "model"``) or, when the call
does not hold, the retrieval path's with a note of why.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from civicllm.answer.grounded import GroundedAnswerer
from civicllm.answer.tool_choice import (
    INSTRUCTIONS,
    choosable_tools,
    choose_tool_by_model,
)
from civicllm.answer.tool_route import numbers_in, stated_numbers
from civicllm.engines.base import Chunk, GenerationRequest, Usage
from civicllm.engines.echo import EchoEngine
from civicllm.engines.tool_calls import tool_call_deltas
from civicllm.errors import EngineError
from civicllm.evals.gate import AnswerMode
from civicllm.tools.base import Tool
from tests.answer.test_grounded_stream import HOURS, FakeIndex
from tests.answer.test_tool_route import (
    REGISTRY,
    SERIES,
    VALUE,
    collect,
    fake_pack,
    run_value,
)

pytestmark = pytest.mark.anyio

OPTIONS = GenerationRequest(messages=[], max_tokens=200, temperature=0.7, seed=1)
DRAFT = "On Saturdays the library opens at 10:00 and closes at 14:00 [1]."
# No route of the fake tools reads these (they end neither "in <place>?" nor "since ...").
UNROUTED = {
    "en": "Kenya: what share of people has the service?",
    "es": "Kenia: ¿qué parte de la población tiene el servicio?",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class CallingEngine:
    """Asked with tools, calls ``function`` with ``arguments`` (a string is sent as is);
    asked without, writes ``draft``. ``fail`` raises EngineError on the tools call."""

    name = "calling"

    def __init__(self, function: str, arguments: Any, *, fail: bool = False) -> None:
        self.function = function
        self.arguments = arguments
        self.fail = fail
        self.requests: list[GenerationRequest] = []

    @property
    def calls(self) -> int:
        return len(self.requests)

    def model_names(self) -> list[str]:
        return ["calling"]

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        self.requests.append(request)
        if request.tools:
            if self.fail:
                raise EngineError("The engine failed.")
            call = {"name": self.function, "arguments": self.arguments}
            for delta in tool_call_deltas(call):
                yield Chunk(tool_calls=[delta])
            yield Chunk(finish_reason="tool_calls", usage=Usage(40, 9))
            return
        for word in DRAFT.split(" "):
            yield Chunk(text=word + " ")
        yield Chunk(finish_reason="stop", usage=Usage(30, 12))

    async def close(self) -> None:
        pass


def counting(tool: Tool, runs: list[Mapping[str, Any]]) -> Tool:
    def run(request: Mapping[str, Any]) -> dict[str, Any]:
        runs.append(dict(request))
        return tool.run(request)

    return dataclasses.replace(tool, run=run)


def answerer(engine: Any, mode: AnswerMode = "generate", tools: Any = None) -> GroundedAnswerer:
    return GroundedAnswerer(
        engine, FakeIndex([HOURS]), modes={"fake": mode}, tools=tools or REGISTRY
    )


def ask(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


def test_only_tools_with_a_view_are_offered_in_pack_order(tmp_path: Path) -> None:
    # fake/plain has no view: a call of it could not be answered as a routed one.
    assert choosable_tools(fake_pack(tmp_path), REGISTRY) == [SERIES, VALUE]


def test_a_tool_without_a_route_is_not_offered(tmp_path: Path) -> None:
    # A form-filling calculator (a view, no route) is reached through its flow instead.
    formlike = dataclasses.replace(VALUE, route=None)
    registry = {**REGISTRY, VALUE.id: formlike}
    assert choosable_tools(fake_pack(tmp_path), registry) == [SERIES]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "In 2023, 76.3% of people in Kenya had the service [1]."),
        ("es", "En 2023, el 76,3 % de la población de Kenya tenía el servicio [1]."),
    ],
)
async def test_a_model_call_with_valid_arguments_is_answered_by_the_tool(
    tmp_path: Path, language: str, sentence: str
) -> None:
    runs: list[Mapping[str, Any]] = []
    tools = {**REGISTRY, "fake/value": counting(VALUE, runs)}
    engine = CallingEngine("fake__value", {"place": "Kenia"})
    events = await collect(
        answerer(engine, tools=tools).stream(
            fake_pack(tmp_path), ask(UNROUTED[language]), OPTIONS, language=language
        )
    )
    text = "".join(e.text for e in events)
    assert text.startswith(sentence)
    final = events[-1]
    assert final.extension["grounding"] == "tool"
    assert final.extension["tool_choice_by"] == "model"
    assert final.extension["tool"]["id"] == "fake/value"
    assert final.extension["tool"]["input"] == {"place": "Kenia"}
    assert final.extension["data"] == run_value({"place": "Kenia"})["data"]
    assert final.annotations and final.usage == Usage(40, 9)  # the call's tokens
    # Every number stated is the tool's (the [1] marker aside).
    body = text.split("\n\n")[0]
    allowed = stated_numbers(run_value({"place": "Kenia"}), {})
    assert all(n in allowed for n in numbers_in(body.replace("[1]", ""), language))
    # The model was asked once: the pack's viewed tools, "auto", at temperature 0, in the
    # reader's language; the tool ran once (the check of the arguments is the answer's run).
    [request] = engine.requests
    assert [t["function"]["name"] for t in request.tools] == ["fake__series", "fake__value"]
    assert request.tool_choice == "auto" and request.temperature == 0.0
    assert request.messages[0] == {"role": "system", "content": INSTRUCTIONS[language]}
    assert request.messages[-1] == {"role": "user", "content": UNROUTED[language]}
    assert runs == [{"place": "Kenia"}]


async def test_arguments_the_tool_refuses_fall_back_to_retrieval(tmp_path: Path) -> None:
    engine = CallingEngine("fake__value", {"place": "Atlantis"})
    events = await collect(
        answerer(engine).stream(fake_pack(tmp_path), ask(UNROUTED["en"]), OPTIONS)
    )
    text = "".join(e.text for e in events)
    final = events[-1]
    assert final.extension["grounding"].startswith("generated")
    assert text.startswith(DRAFT)
    assert "Atlantis" not in text and "76" not in text
    note = final.extension["tool_choice"]
    assert note["by"] == "model" and note["outcome"] == "invalid-input"
    assert note["function"] == "fake__value" and note["arguments"] == {"place": "Atlantis"}
    assert note["error"]["param"] == "place"
    assert engine.calls == 2  # the call, then the draft
    assert not engine.requests[1].tools  # the draft is asked without tools


async def test_the_echo_engines_call_is_checked_by_the_tool(tmp_path: Path) -> None:
    # The echo engine calls a function the question names, every string argument set to the
    # question itself: no place of that name exists, so the tool refuses and retrieval answers.
    schema = {
        "type": "object",
        "properties": {"place": {"type": "string"}},
        "required": ["place"],
    }
    tools = {**REGISTRY, "fake/value": dataclasses.replace(VALUE, input_schema=schema)}
    question = "Kenya: what would fake__value say?"
    events = await collect(
        answerer(EchoEngine(), tools=tools).stream(fake_pack(tmp_path), ask(question), OPTIONS)
    )
    final = events[-1]
    assert final.extension["grounding"] != "tool"
    note = final.extension["tool_choice"]
    assert note["outcome"] == "invalid-input"
    assert note["arguments"] == {"place": question}
    assert note["error"]["param"] == "place"


@pytest.mark.parametrize(
    ("function", "arguments", "outcome"),
    [
        ("fake__nothing", {"place": "Kenya"}, "unknown-function"),
        ("fake__plain", {"place": "Kenya"}, "unknown-function"),  # not offered: no view
        ("fake__value", "{not json", "bad-arguments"),
        ("fake__value", "[1, 2]", "bad-arguments"),
        ("fake__value", {}, "invalid-input"),  # the tool's code fails on the missing place
    ],
)
async def test_a_call_that_does_not_hold_falls_back(
    tmp_path: Path, function: str, arguments: Any, outcome: str
) -> None:
    engine = CallingEngine(function, arguments)
    events = await collect(
        answerer(engine).stream(fake_pack(tmp_path), ask(UNROUTED["en"]), OPTIONS)
    )
    final = events[-1]
    assert final.extension["grounding"].startswith("generated")
    assert final.extension["tool_choice"]["outcome"] == outcome
    assert final.extension["tool_choice"]["function"] == function
    assert "".join(e.text for e in events).startswith(DRAFT)


async def test_an_engine_failure_on_the_call_falls_back(tmp_path: Path) -> None:
    engine = CallingEngine("fake__value", {"place": "Kenya"}, fail=True)
    events = await collect(
        answerer(engine).stream(fake_pack(tmp_path), ask(UNROUTED["en"]), OPTIONS)
    )
    note = events[-1].extension["tool_choice"]
    assert note["outcome"] == "engine-error" and note["error"]["message"] == "The engine failed."
    assert events[-1].extension["grounding"].startswith("generated")


async def test_an_answer_in_words_falls_back_unchanged(tmp_path: Path) -> None:
    engine = EchoEngine()  # names no function of the pack: it answers in words
    events = await collect(
        answerer(engine).stream(
            fake_pack(tmp_path), ask("When does it open on Saturdays?"), OPTIONS
        )
    )
    final = events[-1]
    assert final.extension["tool_choice"] == {"by": "model", "outcome": "words"}
    assert final.extension["grounding"] != "tool"
    assert final.extension["citations"]  # answered from the library passage


async def test_extract_mode_never_calls_the_model(tmp_path: Path) -> None:
    engine = CallingEngine("fake__value", {"place": "Kenya"})
    events = await collect(
        answerer(engine, mode="extract").stream(fake_pack(tmp_path), ask(UNROUTED["en"]), OPTIONS)
    )
    assert engine.calls == 0
    final = events[-1]
    assert final.extension["answer_mode"] == "extract"
    assert final.extension["grounding"] == "extractive"
    assert "tool_choice" not in final.extension


async def test_a_deterministic_route_wins_without_calling_the_model(tmp_path: Path) -> None:
    engine = CallingEngine("fake__series", {"place": "Chad"})
    events = await collect(
        answerer(engine).stream(fake_pack(tmp_path), ask("What is the share in Kenya?"), OPTIONS)
    )
    assert engine.calls == 0
    final = events[-1]
    assert final.extension["grounding"] == "tool"
    assert final.extension["tool_choice_by"] == "route"
    assert final.extension["tool"]["id"] == "fake/value"
    assert "".join(e.text for e in events).startswith("In 2023, 76.3% of people in Kenya")


async def test_a_pack_without_viewed_tools_is_not_asked_for_a_call(tmp_path: Path) -> None:
    pack = dataclasses.replace(fake_pack(tmp_path), tools=("fake/plain",))
    engine = CallingEngine("fake__plain", {"place": "Kenya"})
    events = await collect(answerer(engine).stream(pack, ask(UNROUTED["en"]), OPTIONS))
    assert engine.calls == 1 and not engine.requests[0].tools  # the draft alone
    assert "tool_choice" not in events[-1].extension
    assert await choose_tool_by_model(engine, [], UNROUTED["en"], "en") is None


@pytest.mark.model
async def test_the_embedded_model_path_gives_a_valid_answer_either_way(
    model_path: Path, tmp_path: Path
) -> None:
    """SmolLM2-135M, forced to generate: whether it calls the tool or not, the answer holds."""
    from civicllm.engines.llama_cpp import LlamaCppEngine

    schema = {
        "type": "object",
        "properties": {"place": {"type": "string", "description": "A country name."}},
        "required": ["place"],
        "additionalProperties": False,
    }
    tools = {**REGISTRY, "fake/value": dataclasses.replace(VALUE, input_schema=schema)}

    engine = LlamaCppEngine(model_path, parallel=1, ctx_size=2048, threads=2)
    try:
        options = dataclasses.replace(OPTIONS, max_tokens=48, temperature=0.0)
        stream = answerer(engine, tools=tools).stream(
            fake_pack(tmp_path), ask(UNROUTED["en"]), options, language="en"
        )
        events = await collect(stream)
    finally:
        await engine.close()
    final = events[-1]
    text = "".join(e.text for e in events)
    assert final.finish_reason in ("stop", "length") and text.strip()
    ext = final.extension
    if ext["grounding"] == "tool":
        assert ext["tool_choice_by"] == "model"
        allowed = stated_numbers({"data": ext["data"]}, ext["tool"]["input"])
        body = text.split("\n\n")[0]
        assert all(n in allowed for n in numbers_in(body, "en") if n != 1)  # [1] marker
    else:
        assert ext["tool_choice"]["by"] == "model"
        assert ext["tool_choice"]["outcome"] in (
            "words",
            "unknown-function",
            "bad-arguments",
            "invalid-input",
            "engine-error",
        )
    json.dumps(ext)  # the extension is JSON as the API sends it
