"""Request and response shapes of the OpenAI-compatible API."""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from civicllm.surrogates import replace_surrogates_in

__all__ = ["ChatCompletionRequest", "ChatMessage", "ResponseFormat", "new_completion_id"]


class TextPart(BaseModel):
    """One text part of a message given as a list of parts."""

    model_config = ConfigDict(extra="ignore")
    type: Literal["text"]
    text: str


class ChatMessage(BaseModel):
    """One chat message; list-of-parts content is joined into text."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None
    name: str | None = None

    def text(self) -> str:
        """Return the message's text."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)


class JsonSchemaFormat(BaseModel):
    """The json_schema member of response_format."""

    model_config = ConfigDict(extra="ignore")
    name: str = "output"
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")
    strict: bool | None = None


class ResponseFormat(BaseModel):
    """Constrain the output: plain text, any JSON object, or a JSON schema."""

    model_config = ConfigDict(extra="ignore")
    type: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: JsonSchemaFormat | None = None


class StreamOptions(BaseModel):
    """Streaming options; include_usage adds a last chunk with token counts."""

    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """POST /v1/chat/completions. Fields OpenAI defines that civicllm does not use are ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1)
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    seed: int | None = None
    stop: str | list[str] | None = None
    n: int = Field(1, ge=1, le=1)
    response_format: ResponseFormat | None = None
    user: str | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{2}$")  # civicllm: answer language

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


def new_completion_id() -> str:
    """Return a fresh chat completion id."""
    return "chatcmpl-" + uuid.uuid4().hex[:24]


def now() -> int:
    """Return the current Unix time in seconds."""
    return int(time.time())
