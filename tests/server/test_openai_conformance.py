"""The official openai client against a real `civicllm serve` on loopback, real model."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, builtin_index: Path) -> Iterator[str]:
    port = free_port()
    home = tmp_path_factory.mktemp("serve-home")
    shutil.copyfile(builtin_index, home / "index.sqlite")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICLLM_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civicllm",
            "serve",
            "--port",
            str(port),
            "--home",
            str(home),
            "--parallel",
            "2",
            "--ctx-size",
            "2048",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("civicllm serve exited: " + process.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("civicllm serve did not become ready in 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def client(server_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=server_url + "/v1", api_key="unused", max_retries=0)


def test_models_are_listed(client: openai.OpenAI) -> None:
    ids = [model.id for model in client.models.list()]
    assert "SmolLM2-135M-Instruct.Q4_1" in ids
    assert "student-aid" in ids


def test_non_streaming_completion(client: openai.OpenAI) -> None:
    result = client.chat.completions.create(
        model="SmolLM2-135M-Instruct.Q4_1",
        messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=12,
        temperature=0,
        seed=1,
    )
    assert result.object == "chat.completion"
    assert result.choices[0].message.role == "assistant"
    assert result.choices[0].message.content
    assert result.choices[0].finish_reason in ("stop", "length")
    assert result.usage is not None and 0 < result.usage.completion_tokens <= 12


def test_streaming_completion_joins_to_the_same_text(client: openai.OpenAI) -> None:
    kwargs = dict(
        model="SmolLM2-135M-Instruct.Q4_1",
        messages=[{"role": "user", "content": "Name a fruit."}],
        max_tokens=16,
        temperature=0,
        seed=5,
    )
    whole = client.chat.completions.create(**kwargs)  # type: ignore[call-overload]
    stream = client.chat.completions.create(
        **kwargs,
        stream=True,
        stream_options={"include_usage": True},  # type: ignore[call-overload]
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] in ("stop", "length")


def test_errors_reach_the_client_as_openai_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(
            model="no-such-model", messages=[{"role": "user", "content": "x"}]
        )
    assert caught.value.body["param"] == "model"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(
            model="SmolLM2-135M-Instruct.Q4_1",
            messages=[{"role": "user", "content": "x"}],
            temperature=9,
        )


def test_assistant_answers_through_the_client(client: openai.OpenAI) -> None:
    result = client.chat.completions.create(
        model="student-aid",
        messages=[{"role": "user", "content": "What is the FAFSA?"}],
        max_tokens=48,
        temperature=0,
    )
    assert result.choices[0].message.content
    assert result.model == "student-aid"
    # Grounded: the answer carries url_citation annotations the client parses.
    annotations = result.choices[0].message.annotations or []
    assert annotations and annotations[0].type == "url_citation"
    assert annotations[0].url_citation.url.startswith("https://")


def test_tool_call_through_the_client(client: openai.OpenAI) -> None:
    weather = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
    result = client.chat.completions.create(
        model="SmolLM2-135M-Instruct.Q4_1",
        messages=[{"role": "user", "content": "What is the weather in Paris?"}],
        tools=[weather],  # type: ignore[list-item]
        tool_choice="required",
        max_tokens=48,
        temperature=0,
    )
    choice = result.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls or []
    assert call.function.name == "get_weather"  # type: ignore[union-attr]
    assert isinstance(json.loads(call.function.arguments)["city"], str)  # type: ignore[union-attr]


def test_logprobs_through_the_client(client: openai.OpenAI) -> None:
    result = client.chat.completions.create(
        model="SmolLM2-135M-Instruct.Q4_1",
        messages=[{"role": "user", "content": "Say hi."}],
        max_tokens=4,
        temperature=0,
        logprobs=True,
        top_logprobs=2,
    )
    content = result.choices[0].logprobs.content  # type: ignore[union-attr]
    assert content and "".join(t.token for t in content) == result.choices[0].message.content


def test_parameters_civicllm_cannot_honour_are_refused(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="SmolLM2-135M-Instruct.Q4_1",
            messages=[{"role": "user", "content": "x"}],
            extra_body={"top_k": 5},
        )
    assert caught.value.body["param"] == "top_k"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="student-aid", messages=[{"role": "user", "content": "x"}], logprobs=True
        )
    assert caught.value.body["param"] == "logprobs"  # type: ignore[index]
