"""The answer loop for one chat request: a raw model, or an assistant (a pack).

Everything is a stream of ReplyEvents; the non-streaming API joins them.

The input policy runs exactly once per request: here for a raw model (its general rules
only) and for an assistant served without grounding, inside ``Answerer.stream`` for a
grounded assistant (which the evaluation runner also calls directly). A model's own text,
which no verifier checks on these paths, goes through the output check as it streams.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from civicllm.engines.base import Engine, GenerationRequest, Usage
from civicllm.evals.gate import AnswerMode, GateRecord
from civicllm.language import detect_language
from civicllm.packs.loader import Pack
from civicllm.retrieval.passage import Passage
from civicllm.safety.output import OutputScreen
from civicllm.safety.policy import check_input

__all__ = ["Answerer", "ReplyEvent", "stream_reply"]


@dataclass
class ReplyEvent:
    """A piece of a reply: text, and at the end finish_reason, usage and citations."""

    text: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    extension: dict[str, Any] = field(default_factory=dict)


class Answerer(Protocol):
    """What answers as an assistant from its pack's sources (``GroundedAnswerer`` does).

    ``stream`` applies the input policy itself, so whoever calls it directly gets it too.
    """

    @property
    def max_passage_chars(self) -> int:
        """The most characters of passages a prompt holds."""
        ...

    @property
    def similarity(self) -> Callable[[str, str], float]:
        """The sentence similarity its verifier uses."""
        ...

    def stream(
        self,
        pack: Pack,
        messages: Sequence[Mapping[str, Any]],
        options: GenerationRequest,
        *,
        language: str | None = None,
        tool_results: Sequence[Mapping[str, Any]] = (),
    ) -> AsyncIterator[ReplyEvent]:
        """Yield the verified answer in pieces, then the citations."""
        ...

    async def retrieve(
        self, pack: Pack, question: str, *, language: str | None = None
    ) -> list[Passage]:
        """Return the passages of the pack that best answer the question."""
        ...

    def mode(self, pack: Pack) -> AnswerMode:
        """Return how the pack answers: verified generation, or quotes of its sources."""
        ...

    def gate(self, pack: Pack) -> GateRecord | None:
        """Return the eval gate record behind the pack's answer mode, if any."""
        ...

    async def warm(self, packs: Sequence[Pack]) -> None:
        """Index every pack's sources ahead of the first question."""
        ...

    def close(self) -> None:
        """Release the index."""
        ...


async def stream_reply(
    engine: Engine,
    messages: Sequence[dict[str, Any]],
    options: GenerationRequest,
    *,
    pack: Pack | None = None,
    language: str | None = None,
    answerer: Answerer | None = None,
) -> AsyncGenerator[ReplyEvent, None]:
    """Yield the reply to a conversation, grounded in the pack when one is named."""
    if pack is not None and answerer is not None:
        async for event in answerer.stream(pack, messages, options, language=language):
            yield event
        return
    typed = [str(m.get("content") or "") for m in messages if m.get("role") == "user"]
    question = typed[-1] if typed else ""
    lang = language or detect_language(question)
    decision = check_input(question, lang, pack)
    if decision is not None:
        yield ReplyEvent(
            text=decision.text,
            finish_reason="stop",
            usage=Usage(),
            extension={"policy_action": decision.action, "policy": decision.reason},
        )
        return
    if pack is not None:
        system = {"role": "system", "content": pack.system_prompt_for(lang)}
        messages = [system, *[m for m in messages if m["role"] not in ("system", "developer")]]
    request = GenerationRequest(
        messages=list(messages),
        max_tokens=options.max_tokens,
        temperature=options.temperature,
        top_p=options.top_p,
        seed=options.seed,
        stop=options.stop,
        json_schema=options.json_schema,
        model=options.model,
    )
    async for event in screen_stream(engine, request, typed):
        yield event


async def screen_stream(
    engine: Engine, request: GenerationRequest, typed: Sequence[str]
) -> AsyncIterator[ReplyEvent]:
    """Yield the engine's answer through the output check, closing with one final event.

    A piece is sent once no personal data still being written could reach into it, so the
    text arrives a few words behind the engine. The first event comes with the engine's
    first chunk all the same, empty if need be: the server starts a stream on it, so an
    engine that fails later still ends the stream with an error event, as it did unscreened.
    """
    screen = OutputScreen(typed)
    finish_reason: str | None = None
    usage: Usage | None = None
    started = False
    async for chunk in engine.stream(request):
        finish_reason = chunk.finish_reason or finish_reason
        usage = chunk.usage or usage
        text = screen.feed(chunk.text) if chunk.text else ""
        if text or not started:
            started = True
            yield ReplyEvent(text=text)
    rest = screen.finish()
    extension: dict[str, Any] = {}
    if screen.removed:
        extension["removed"] = [
            {"kind": r.kind, "reason": r.reason, "text": r.text} for r in screen.removed
        ]
    yield ReplyEvent(text=rest, finish_reason=finish_reason, usage=usage, extension=extension)
