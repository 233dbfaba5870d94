"""Request and response shapes of the OpenAI-compatible API.

Every parameter OpenAI's Chat Completions API defines either works as OpenAI documents it
or is refused with a 400 that names it (``check_supported``); a parameter no one defines
is refused too, so a typo is never silently ignored. Accepted because they do something
or, by OpenAI's own semantics, change nothing in the reply:

- ``user`` and ``safety_identifier``: an end-user id that OpenAI reads only for its own
  abuse monitoring; it changes nothing in the reply and is never sent to a model.
- ``store: false`` (nothing is kept for OpenAI's stored-completions product: the audit log
  is the operator's own); ``store: true`` and ``metadata`` (meaningful only with it) are
  refused.
- ``service_tier`` "auto" or "default" (there is one tier); other tiers are refused.
- ``parallel_tool_calls``: allows several calls in one turn; the embedded engine makes at
  most one, which both values allow; remote engines get it as sent.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from civicllm.errors import InputError
from civicllm.surrogates import replace_surrogates_in

__all__ = [
    "ChatCompletionRequest",
    "ChatMessage",
    "CivicOptions",
    "ResponseFormat",
    "Tool",
    "new_completion_id",
]

# OpenAI parameters civicllm knows and cannot honour, with what to do instead.
UNSUPPORTED: dict[str, str] = {
    "logit_bias": "civicllm does not bias token logits; leave out logit_bias.",
    "audio": "civicllm answers in text only; leave out audio.",
    "prediction": "civicllm has no predicted outputs; leave out prediction.",
    "web_search_options": "civicllm does not search the web; leave out web_search_options.",
    "functions": "functions is deprecated: send tools instead.",
    "function_call": "function_call is deprecated: send tool_choice instead.",
    "reasoning_effort": "civicllm's models are not reasoning models; leave out reasoning_effort.",
    "verbosity": "civicllm's models have no verbosity setting; leave out verbosity.",
    "prompt_cache_key": "civicllm has no prompt cache routing; leave out prompt_cache_key.",
}
# What an assistant message may carry besides role and content: what the official clients
# send back when a returned message is appended to the conversation. They are history, so
# the model sees only role and content (and tool calls).
ASSISTANT_ECHOED = {"refusal", "annotations", "audio", "function_call"}


class TextPart(BaseModel):
    """One text part of a message given as a list of parts."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["text"]
    text: str


class FunctionCall(BaseModel):
    """The function a tool call names, with its arguments as a JSON string."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    arguments: str


class ToolCall(BaseModel):
    """A tool call an assistant message made (sent back in the conversation)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class ChatMessage(BaseModel):
    """One chat message; list-of-parts content is joined into text."""

    model_config = ConfigDict(extra="allow", strict=True)  # check_supported names each extra
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None

    def text(self) -> str:
        """Return the message's text."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)

    def to_engine(self) -> dict[str, Any]:
        """Return the message as an engine receives it (OpenAI's shape, text content)."""
        message: dict[str, Any] = {"role": self.role, "content": self.text()}
        if self.name is not None:
            message["name"] = self.name
        if self.tool_calls:
            message["tool_calls"] = [call.model_dump() for call in self.tool_calls]
            message["content"] = self.text() or None
        if self.tool_call_id is not None:
            message["tool_call_id"] = self.tool_call_id
        return message


class JsonSchemaFormat(BaseModel):
    """The json_schema member of response_format."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str = "output"
    description: str | None = None
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")
    strict: bool | None = None


class ResponseFormat(BaseModel):
    """Constrain the output: plain text, any JSON object, or a JSON schema."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: JsonSchemaFormat | None = None


class StreamOptions(BaseModel):
    """Streaming options; include_usage adds a last chunk with token counts."""

    model_config = ConfigDict(extra="forbid", strict=True)
    include_usage: bool = False


class FunctionDefinition(BaseModel):
    """A function the model may call: its name, what it does and its JSON-schema parameters."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class Tool(BaseModel):
    """One entry of ``tools``: a function."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["function"]
    function: FunctionDefinition


class NamedFunction(BaseModel):
    """The function a named ``tool_choice`` forces."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str


class NamedToolChoice(BaseModel):
    """``tool_choice`` forcing one function: ``{"type": "function", "function": {"name"}}``."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["function"]
    function: NamedFunction


class CivicOptions(BaseModel):
    """civicllm's own options (the ``civicllm`` member of the request).

    ``sources``: append the numbered sources block to an assistant's ``content`` (default
    true); url_citation annotations and the ``civicllm`` extension are sent either way.
    """

    model_config = ConfigDict(extra="forbid", strict=True)
    sources: StrictBool = True


class ChatCompletionRequest(BaseModel):
    """POST /v1/chat/completions: OpenAI's parameters, and civicllm's ``language``/``civicllm``."""

    # Strict: OpenAI refuses "stream": "yes" or "temperature": "0.5", and so do we.
    model_config = ConfigDict(
        extra="allow", strict=True, json_schema_extra={"additionalProperties": False}
    )
    model: str = Field(min_length=1)
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    frequency_penalty: float = Field(0.0, ge=-2.0, le=2.0)
    presence_penalty: float = Field(0.0, ge=-2.0, le=2.0)
    seed: int | None = None
    stop: str | list[str] | None = None
    n: int = Field(1, ge=1, le=1)
    response_format: ResponseFormat | None = None
    logprobs: bool = False
    top_logprobs: int | None = Field(None, ge=0, le=20)
    tools: list[Tool] | None = None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: bool | None = None
    user: str | None = None
    safety_identifier: str | None = None
    store: bool | None = None
    metadata: dict[str, str] | None = None
    service_tier: str | None = None
    modalities: list[str] | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{2}$")  # civicllm: answer language
    civicllm: CivicOptions | None = None

    @model_validator(mode="before")
    @classmethod
    def _replace_surrogates(cls, data: Any) -> Any:
        # Half an emoji ("\\ud800") from a broken client: the user meant some character, so
        # answer with U+FFFD in its place; such text could not be audited, searched or sent.
        return replace_surrogates_in(data)

    @field_validator("stop")
    @classmethod
    def _at_most_four(cls, value: str | list[str] | None) -> str | list[str] | None:
        if isinstance(value, list) and len(value) > 4:
            raise ValueError("at most 4 stop sequences are allowed")
        return value

    def stop_list(self) -> list[str]:
        """Return the stop sequences as a list."""
        if self.stop is None:
            return []
        return [self.stop] if isinstance(self.stop, str) else list(self.stop)

    def json_schema(self) -> dict[str, Any] | None:
        """Return the JSON schema the output must follow, if any."""
        if self.response_format is None or self.response_format.type == "text":
            return None
        if self.response_format.type == "json_object":
            return {"type": "object"}
        found = self.response_format.json_schema
        return found.schema_ if found and found.schema_ else {"type": "object"}

    def tool_list(self) -> tuple[dict[str, Any], ...]:
        """Return the tools as engines receive them (OpenAI's shape)."""
        return tuple(tool.model_dump(exclude_none=True) for tool in self.tools or ())

    def tool_choice_value(self) -> str | dict[str, Any] | None:
        """Return tool_choice as engines receive it."""
        if isinstance(self.tool_choice, NamedToolChoice):
            return self.tool_choice.model_dump()
        return self.tool_choice

    def sources_block(self) -> bool:
        """Return True when an assistant's content should end with its sources block."""
        return self.civicllm.sources if self.civicllm is not None else True

    def check_supported(self, *, assistant: bool) -> None:
        """Raise InputError naming every parameter this request cannot be answered with."""
        problems = self._unknown() + self._inconsistent()
        problems += self._assistant_only() if assistant else self._raw_only()
        if problems:
            raise InputError.from_details(problems, code="unsupported_parameter")

    def _unknown(self) -> list[tuple[str | None, str]]:
        problems: list[tuple[str | None, str]] = []
        for name in self.model_extra or {}:
            reason = UNSUPPORTED.get(name, "it is not a chat completions parameter; remove it.")
            problems.append((name, f"'{name}' is not supported: {reason}"))
        for index, message in enumerate(self.messages):
            for name, value in (message.model_extra or {}).items():
                where = f"messages.{index}.{name}"
                echoed = message.role == "assistant" and name in ASSISTANT_ECHOED
                if echoed and (value is None or name in ("refusal", "annotations")):
                    continue  # a returned message sent back as history
                problems.append((where, f"'{where}' is not a field of a {message.role} message."))
        return problems

    def _inconsistent(self) -> list[tuple[str | None, str]]:
        problems: list[tuple[str | None, str]] = []
        for index, message in enumerate(self.messages):
            if message.role == "tool" and not message.tool_call_id:
                where = f"messages.{index}.tool_call_id"
                problems.append((where, f"'{where}': a tool message names the call it answers."))
            if message.tool_call_id is not None and message.role != "tool":
                where = f"messages.{index}.tool_call_id"
                problems.append((where, f"'{where}' belongs on tool messages only."))
            if message.tool_calls is not None and message.role != "assistant":
                where = f"messages.{index}.tool_calls"
                problems.append((where, f"'{where}' belongs on assistant messages only."))
        if self.top_logprobs is not None and not self.logprobs:
            problems.append(("top_logprobs", "top_logprobs needs logprobs: true."))
        if self.store:
            problems.append(
                (
                    "store",
                    "civicllm does not store completions for later retrieval: leave out "
                    "store, or set it to false.",
                )
            )
        if self.metadata is not None:
            problems.append(
                (
                    "metadata",
                    "metadata is kept only with stored completions, "
                    "which civicllm does not offer: leave out metadata.",
                )
            )
        if self.service_tier not in (None, "auto", "default"):
            problems.append(
                (
                    "service_tier",
                    "civicllm has one service tier: use 'auto' or "
                    "'default', or leave out service_tier.",
                )
            )
        if self.modalities is not None and self.modalities != ["text"]:
            problems.append(
                ("modalities", 'civicllm answers in text only: modalities may only be ["text"].')
            )
        if not self.tools:
            for name in ("tool_choice", "parallel_tool_calls"):
                if getattr(self, name) is not None:
                    problems.append((name, f"{name} is allowed only when tools are given."))
        elif isinstance(self.tool_choice, NamedToolChoice):
            names = [tool.function.name for tool in self.tools]
            if self.tool_choice.function.name not in names:
                problems.append(
                    (
                        "tool_choice",
                        f"tool_choice names '{self.tool_choice.function.name}', "
                        f"which is not in tools ({', '.join(names)}).",
                    )
                )
        return problems

    def _assistant_only(self) -> list[tuple[str | None, str]]:
        # An assistant's answer is verified sentence by sentence and rewritten from its
        # sources, so what constrains or reports a model's raw tokens does not apply.
        problems: list[tuple[str | None, str]] = []
        if self.tools is not None:
            problems.append(
                (
                    "tools",
                    "An assistant calls its own pack's tools and routes "
                    "questions to them itself: leave out tools, or send them to a raw "
                    "model (GET /v1/models lists both).",
                )
            )
        for index, message in enumerate(self.messages):
            if message.role == "tool" or message.tool_calls:
                where = f"messages.{index}"
                problems.append(
                    (
                        where,
                        f"'{where}': an assistant takes no tool messages or "
                        "tool calls; send them to a raw model.",
                    )
                )
        if self.logprobs:
            problems.append(
                (
                    "logprobs",
                    "An assistant's text is verified and rewritten from "
                    "its sources, so model token logprobs would not match it: leave "
                    "out logprobs, or ask a raw model.",
                )
            )
        if self.response_format is not None and self.response_format.type != "text":
            problems.append(
                (
                    "response_format",
                    "An assistant answers in verified text with "
                    "cited sources, never JSON: leave out response_format (the "
                    "civicllm extension carries citations as JSON), or ask a raw "
                    "model.",
                )
            )
        for name in ("frequency_penalty", "presence_penalty"):
            if getattr(self, name):
                problems.append(
                    (
                        name,
                        f"An assistant's draft is sampled by its pack's own "
                        f"settings: leave out {name}, or ask a raw model.",
                    )
                )
        return problems

    def _raw_only(self) -> list[tuple[str | None, str]]:
        if self.civicllm is not None:
            return [
                (
                    "civicllm",
                    "civicllm options (sources) apply to assistants only: leave "
                    "them out for a raw model.",
                )
            ]
        return []


def new_completion_id() -> str:
    """Return a fresh chat completion id."""
    return "chatcmpl-" + uuid.uuid4().hex[:24]


def now() -> int:
    """Return the current Unix time in seconds."""
    return int(time.time())
