"""The answer loop for one chat request: a raw model, or an assistant (a pack).

Everything is a stream of ReplyEvents; the non-streaming API joins them.

An assistant's reply is shaped last (``shape_reply``): cut at the first ``stop`` sequence
with nothing after it, and its sources block left out when the request asks.

The input policy runs exactly once per request: here for a raw model (its general rules
only) and for an assistant served without grounding, inside ``Answerer.stream`` for a
grounded assistant (which the evaluation runner also calls directly). A model's own text,
which no verifier checks on these paths, goes through the output check as it streams.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from civicllm.engines.base import Engine, GenerationRequest, Usage
from civicllm.evals.gate import AnswerMode, GateRecord
from civicllm.language import detect_language
from civicllm.packs.loader import Pack
from civicllm.retrieval.passage import Passage
from civicllm.safety.output import OutputScreen
from civicllm.safety.policy import check_input

__all__ = ["Answerer", "ReplyEvent", "shape_reply", "stream_reply"]


@dataclass
class ReplyEvent:
    """A piece of a reply: text, and at the end finish_reason, usage and citations.

    ``tool_calls`` holds OpenAI ``delta.tool_calls`` entries, ``logprobs`` the
    ``logprobs.content`` entries of ``text``; ``refusal`` is text that refuses the request
    (sent where JSON was asked for, as OpenAI does); ``is_sources`` marks the text of an
    assistant's sources block, which a request may leave out.
    """

    text: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    extension: dict[str, Any] = field(default_factory=dict)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    logprobs: list[dict[str, Any]] = field(default_factory=list)
    refusal: str = ""
    is_sources: bool = False


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
    sources: bool = True,
) -> AsyncGenerator[ReplyEvent, None]:
    """Yield the reply to a conversation, grounded in the pack when one is named.

    ``sources`` False leaves an assistant's sources block out of its text (its citations
    are still sent).
    """
    if pack is not None:
        # The stop sequences apply to what the reader sees, not to the model's draft.
        events = assistant_reply(
            engine, messages, replace(options, stop=()), pack, language, answerer
        )
        async for event in shape_reply(events, options.stop, sources=sources):
            yield event
        return
    async for event in raw_reply(engine, messages, options, language):
        yield event


async def assistant_reply(
    engine: Engine,
    messages: Sequence[dict[str, Any]],
    options: GenerationRequest,
    pack: Pack,
    language: str | None,
    answerer: Answerer | None,
) -> AsyncIterator[ReplyEvent]:
    """Yield an assistant's reply: grounded by the answerer, or the model's own text."""
    if answerer is not None:
        async for event in answerer.stream(pack, messages, options, language=language):
            yield event
        return
    async for event in raw_reply(engine, messages, options, language, pack):
        yield event


async def raw_reply(
    engine: Engine,
    messages: Sequence[dict[str, Any]],
    options: GenerationRequest,
    language: str | None,
    pack: Pack | None = None,
) -> AsyncIterator[ReplyEvent]:
    """Yield a model's own reply after the input policy, through the output check."""
    typed = [str(m.get("content") or "") for m in messages if m.get("role") == "user"]
    question = typed[-1] if typed else ""
    lang = language or detect_language(question)
    decision = check_input(question, lang, pack)
    if decision is not None:
        # Under a JSON response_format the policy's words are a refusal, as OpenAI sends
        # them, so the content is never text that is not JSON.
        refused = options.json_schema is not None
        yield ReplyEvent(
            text="" if refused else decision.text,
            refusal=decision.text if refused else "",
            finish_reason="stop",
            usage=Usage(),
            extension={"policy_action": decision.action, "policy": decision.reason},
        )
        return
    if pack is not None:
        system = {"role": "system", "content": pack.system_prompt_for(lang)}
        messages = [system, *[m for m in messages if m["role"] not in ("system", "developer")]]
    request = replace(options, messages=list(messages))
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
    Token logprobs go out with the text they belong to; once the check has taken something
    out, the rest are withheld (their tokens would show what it took out).
    Tool calls are addressed to the client's code, not read by a person, and pass as sent.
    """
    screen = OutputScreen(typed)
    finish_reason: str | None = None
    usage: Usage | None = None
    started = False
    tokens = LogprobQueue()
    async for chunk in engine.stream(request):
        finish_reason = chunk.finish_reason or finish_reason
        usage = chunk.usage or usage
        tokens.add(chunk.text, chunk.logprobs)
        text = screen.feed(chunk.text) if chunk.text else ""
        logprobs = tokens.release(text, bool(screen.removed))
        if text or chunk.tool_calls or not started:
            started = True
            yield ReplyEvent(text=text, tool_calls=list(chunk.tool_calls), logprobs=logprobs)
    rest = screen.finish()
    logprobs = tokens.release(rest, bool(screen.removed), final=True)
    extension: dict[str, Any] = {}
    if screen.removed:
        extension["removed"] = [
            {"kind": r.kind, "reason": r.reason, "text": r.text} for r in screen.removed
        ]
    yield ReplyEvent(
        text=rest,
        finish_reason=finish_reason,
        usage=usage,
        extension=extension,
        logprobs=logprobs,
    )


@dataclass
class LogprobQueue:
    """Token logprobs waiting for the output check to release the text they cover."""

    pending: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (end, entry)
    produced: int = 0  # characters the model has written
    released: int = 0  # characters the check has let through
    stopped: bool = False

    def add(self, text: str, entries: Sequence[Mapping[str, Any]]) -> None:
        """Queue the entries of one chunk; they end where its text ends."""
        self.produced += len(text)
        if not self.stopped:
            self.pending += [(self.produced, dict(entry)) for entry in entries]

    def release(self, text: str, removed: bool, *, final: bool = False) -> list[dict[str, Any]]:
        """Return the entries whose tokens ``text`` (just released) completes."""
        self.released += len(text)
        if removed:
            self.stopped, self.pending = True, []
            return []
        ready = [e for end, e in self.pending if final or end <= self.released]
        self.pending = [(end, e) for end, e in self.pending if not final and end > self.released]
        return ready


async def shape_reply(
    events: AsyncIterator[ReplyEvent], stop: Sequence[str], *, sources: bool = True
) -> AsyncIterator[ReplyEvent]:
    """Cut a reply at its first stop sequence, nothing after it; drop sources if asked.

    Text that may be the start of a stop sequence is held back until the next piece shows
    whether it is. Annotations past a cut are dropped; offsets before it are unchanged.
    """
    stops = [s for s in stop if s]
    held = ""
    sent = 0
    cut = False
    async for event in events:
        text = "" if cut or (event.is_sources and not sources) else event.text
        out = ""
        if text and stops:
            held += text
            found = [i for i in (held.find(s) for s in stops) if i >= 0]
            if found:
                out, held, cut = held[: min(found)], "", True
            else:
                keep = max(
                    (n for s in stops for n in range(1, len(s)) if held.endswith(s[:n])), default=0
                )
                out, held = held[: len(held) - keep], held[len(held) - keep :]
        else:
            out = text
        if event.finish_reason is not None:
            out, held = out + held, ""
        sent += len(out)
        shaped = replace(event, text=out)
        if cut:
            shaped.finish_reason = "stop" if event.finish_reason is not None else None
            shaped.annotations = [a for a in event.annotations if annotation_end(a) <= sent]
        if out or event.finish_reason is not None or not cut:
            yield shaped


def annotation_end(annotation: Mapping[str, Any]) -> int:
    """Return where in the content an annotation's span ends."""
    found = annotation.get("url_citation") or {}
    return int(found.get("end_index", 0))
