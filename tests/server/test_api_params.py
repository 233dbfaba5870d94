"""Each OpenAI parameter works as OpenAI documents it or is refused with a 400 naming it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from civicllm.engines.base import Chunk, Usage
from civicllm.engines.echo import EchoEngine

pytestmark = pytest.mark.anyio

PELL = "The maximum Pell Grant for 2025-26 is $7,395 [1]. It helps students pay for college [1]."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class ReplyEngine(EchoEngine):
    """The echo engine, keeping every request; with ``reply`` it answers that instead."""

    def __init__(self, reply: str | None = None, completion_tokens: int = 5) -> None:
        super().__init__()
        self.requests: list[Any] = []
        self.reply = reply
        self.completion_tokens = completion_tokens

    async def stream(self, request: Any) -> Any:  # type: ignore[override]
        self.requests.append(request)
        if self.reply is None:
            async for chunk in super().stream(request):
                yield chunk
            return
        yield Chunk(text=self.reply)
        yield Chunk(finish_reason="stop", usage=Usage(10, self.completion_tokens))


def ask(model: str = "echo", text: str = "Hello there", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def sse_chunks(text: str) -> list[dict[str, Any]]:
    found = []
    for block in text.strip().split("\n\n"):
        data = block.removeprefix("data: ")
        if data != "[DONE]":
            found.append(json.loads(data))
    return found


async def post(make_client: Any, body: dict[str, Any], **overrides: Any) -> Any:
    async with make_client(**overrides) as client:
        return await client.post("/v1/chat/completions", json=body)


def assert_refused(response: Any, param: str, *words: str) -> None:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"
    for word in words:
        assert word in error["message"]


async def test_unknown_parameters_are_each_named(make_client: Any) -> None:
    response = await post(make_client, ask(temprature=0, colour="red"))
    assert_refused(response, "temprature", "temprature", "colour")
    assert response.json()["error"]["code"] == "unsupported_parameter"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("logit_bias", {"50256": -100}),
        ("audio", {"voice": "alloy", "format": "wav"}),
        ("prediction", {"type": "content", "content": "x"}),
        ("web_search_options", {}),
        ("functions", [{"name": "f"}]),
        ("function_call", "auto"),
        ("reasoning_effort", "low"),
        ("metadata", {"team": "a"}),
        ("store", True),
        ("service_tier", "flex"),
        ("modalities", ["text", "audio"]),
    ],
)
async def test_known_parameters_civicllm_cannot_honour_are_refused_by_name(
    make_client: Any, param: str, value: Any
) -> None:
    response = await post(make_client, ask(**{param: value}))
    assert_refused(response, param, param)


@pytest.mark.parametrize(
    "extra",
    [
        {"user": "citizen-42"},
        {"safety_identifier": "hash-1"},
        {"store": False},
        {"service_tier": "auto"},
        {"modalities": ["text"]},
    ],
)
async def test_harmless_parameters_are_accepted_and_change_nothing(
    make_client: Any, extra: dict[str, Any]
) -> None:
    plain = await post(make_client, ask(temperature=0))
    response = await post(make_client, ask(temperature=0, **extra))
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0] == plain.json()["choices"][0]


async def test_unknown_message_fields_are_named(make_client: Any) -> None:
    body = ask()
    body["messages"] = [
        {"role": "system", "content": "Be brief.", "name": "ops"},
        {"role": "user", "content": "hi", "cache_control": {"type": "ephemeral"}},
    ]
    response = await post(make_client, body)
    assert_refused(response, "messages.1.cache_control", "user message")


async def test_a_returned_message_can_be_sent_back_as_history(make_client: Any) -> None:
    first = await post(make_client, ask())
    returned = first.json()["choices"][0]["message"]  # refusal, annotations, ...
    body = ask()
    body["messages"] = [*body["messages"], returned, {"role": "user", "content": "More?"}]
    response = await post(make_client, body)
    assert response.status_code == 200, response.text
    assert "assistant: user: Hello there" in response.json()["choices"][0]["message"]["content"]


async def test_penalties_reach_the_engine(make_client: Any) -> None:
    engine = ReplyEngine()
    response = await post(
        make_client,
        ask(frequency_penalty=0.5, presence_penalty=-1.0),
        engine_object=engine,
    )
    assert response.status_code == 200
    request = engine.requests[0]
    assert (request.frequency_penalty, request.presence_penalty) == (0.5, -1.0)
    assert_refused(await post(make_client, ask(frequency_penalty=3)), "frequency_penalty")


async def test_logprobs_cover_exactly_the_content_of_a_raw_model(make_client: Any) -> None:
    response = await post(make_client, ask(logprobs=True, top_logprobs=2))
    choice = response.json()["choices"][0]
    entries = choice["logprobs"]["content"]
    assert "".join(e["token"] for e in entries) == choice["message"]["content"]
    assert all(e["logprob"] == 0.0 and e["top_logprobs"] for e in entries)
    plain = await post(make_client, ask())
    assert plain.json()["choices"][0]["logprobs"] is None


async def test_streamed_logprobs_arrive_with_their_text(make_client: Any) -> None:
    response = await post(make_client, ask(logprobs=True, stream=True))
    chunks = sse_chunks(response.text)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    tokens = "".join(
        e["token"]
        for c in chunks
        if c["choices"][0]["logprobs"]
        for e in c["choices"][0]["logprobs"]["content"]
    )
    assert text and tokens == text


async def test_top_logprobs_needs_logprobs(make_client: Any) -> None:
    assert_refused(await post(make_client, ask(top_logprobs=2)), "top_logprobs", "logprobs")


@pytest.mark.parametrize(
    ("extra", "param", "word"),
    [
        ({"logprobs": True}, "logprobs", "verified"),
        ({"response_format": {"type": "json_object"}}, "response_format", "JSON"),
        (
            {"response_format": {"type": "json_schema", "json_schema": {"schema": {}}}},
            "response_format",
            "JSON",
        ),
        ({"presence_penalty": 0.4}, "presence_penalty", "raw model"),
    ],
)
async def test_assistants_refuse_what_would_not_match_their_verified_text(
    make_client: Any, extra: dict[str, Any], param: str, word: str
) -> None:
    engine = ReplyEngine(reply=PELL)
    response = await post(make_client, ask("student-aid", "Pell?", **extra), engine_object=engine)
    assert_refused(response, param, word)
    assert engine.requests == []


async def test_json_response_format_on_a_raw_model_is_json(make_client: Any) -> None:
    response = await post(make_client, ask(response_format={"type": "json_object"}))
    content = response.json()["choices"][0]["message"]["content"]
    assert isinstance(json.loads(content), dict)


async def test_a_raw_model_reports_the_token_cap(make_client: Any) -> None:
    response = await post(make_client, ask(text="a b c d e f", max_tokens=2))
    assert response.json()["choices"][0]["finish_reason"] == "length"


async def test_an_assistant_draft_cut_at_the_cap_says_length(make_client: Any) -> None:
    question = ask("student-aid", "What is the maximum Pell Grant?", max_tokens=5)
    capped = await post(make_client, question, engine_object=ReplyEngine(PELL, 5))
    assert capped.json()["choices"][0]["finish_reason"] == "length"
    question["max_tokens"] = 50
    whole = await post(make_client, question, engine_object=ReplyEngine(PELL, 5))
    assert whole.json()["choices"][0]["finish_reason"] == "stop"


async def test_stop_on_an_assistant_cuts_the_text_with_nothing_after(make_client: Any) -> None:
    question = ask("student-aid", "What is the maximum Pell Grant?")
    whole = await post(make_client, question, engine_object=ReplyEngine(PELL))
    full = whole.json()["choices"][0]["message"]["content"]
    assert "\n\n" in full  # the sources block follows the answer
    stopped = await post(
        make_client, {**question, "stop": ["for 2025-26"]}, engine_object=ReplyEngine(PELL)
    )
    choice = stopped.json()["choices"][0]
    assert choice["message"]["content"] == full[: full.index("for 2025-26")]
    assert choice["finish_reason"] == "stop"
    content = choice["message"]["content"]
    assert all(
        a["url_citation"]["end_index"] <= len(content) for a in choice["message"]["annotations"]
    )


async def test_stop_on_a_streamed_assistant_answer(make_client: Any) -> None:
    question = ask("student-aid", "What is the maximum Pell Grant?", stream=True, stop=["$7,"])
    response = await post(make_client, question, engine_object=ReplyEngine(PELL))
    chunks = sse_chunks(response.text)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text.endswith("is ") and "$7," not in text
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "stop"


async def test_the_sources_block_is_optional_and_annotations_stay(make_client: Any) -> None:
    question = ask("student-aid", "What is the maximum Pell Grant?")
    shown = await post(make_client, question, engine_object=ReplyEngine(PELL))
    hidden = await post(
        make_client, {**question, "civicllm": {"sources": False}}, engine_object=ReplyEngine(PELL)
    )
    with_block = shown.json()["choices"][0]["message"]
    without = hidden.json()["choices"][0]["message"]
    assert with_block["content"].startswith(without["content"] + "\n\n")
    assert "https://" in with_block["content"] and "https://" not in without["content"]
    assert without["annotations"] and without["annotations"] == with_block["annotations"]
    for note in without["annotations"]:
        span = note["url_citation"]
        assert without["content"][span["start_index"] : span["end_index"]] == "[1]"


@pytest.mark.parametrize(
    ("model", "options", "param"),
    [
        ("student-aid", {"sources": "no"}, "civicllm.sources"),
        ("student-aid", {"source": False}, "civicllm.source"),
        ("echo", {"sources": False}, "civicllm"),
    ],
)
async def test_bad_civicllm_options_are_refused(
    make_client: Any, model: str, options: dict[str, Any], param: str
) -> None:
    assert_refused(await post(make_client, ask(model, civicllm=options)), param)


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"stream": "yes"}, "stream"),
        ({"stream": 1}, "stream"),
        ({"temperature": "0.5"}, "temperature"),
        ({"max_tokens": "10"}, "max_tokens"),
        ({"n": True}, "n"),
        ({"logprobs": "true"}, "logprobs"),
    ],
)
async def test_values_of_the_wrong_type_are_refused_not_converted(
    make_client: Any, extra: dict[str, Any], param: str
) -> None:
    # OpenAI refuses "stream": "yes"; converting it would answer a request nobody sent.
    response = await post(make_client, ask(**extra))
    assert response.status_code == 400
    assert param in json.dumps(response.json()["error"])


async def test_a_field_of_the_wrong_type_is_named_without_pydantics_branch_names(
    make_client: Any,
) -> None:
    body = {"model": "echo", "messages": [{"role": "user", "content": 42}]}
    response = await post(make_client, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "messages.0.content"
    assert ".str" not in error["message"] and "TextPart" not in error["message"]
