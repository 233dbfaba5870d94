"""Answer as an assistant: retrieve, then generate and verify, or quote the sources.

In ``generate`` mode each sentence of the model's draft is verified as soon as the model
finishes it and streamed at once when kept, so a citizen reads the first verified sentence
while the model still writes; a sentence the sources do not state never reaches them. When
the kept sentences do not carry what the question asks for (no amount for "how much"), or
nothing is kept, the answer goes on with quotes of the sentences that do. In ``extract`` mode
(a model that has not passed the pack's eval gate) the model is not called and the answer
is the quotes alone.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from civicllm.answer.citations import build_message
from civicllm.answer.claims import DraftSentence, similarity_from_embedder, split_sentences
from civicllm.answer.extractive import (
    answer_extractively,
    carries_answer,
    read_question,
)
from civicllm.answer.loop import ReplyEvent
from civicllm.answer.prompt import build_messages, fit_passages
from civicllm.answer.tool_choice import choosable_tools, choose_tool_by_model
from civicllm.answer.tool_route import answer_routed, pack_tools, route_question
from civicllm.answer.verify import (
    DroppedSentence,
    SentenceVerifier,
    VerifiedAnswer,
    compose_answer,
)
from civicllm.engines.base import Engine, GenerationRequest, Usage
from civicllm.errors import InputError
from civicllm.evals.gate import AnswerMode, GateRecord
from civicllm.language import detect_language
from civicllm.packs.loader import Pack
from civicllm.retrieval.passage import Passage
from civicllm.safety.output import AnswerCheck, Removal
from civicllm.safety.policy import check_input
from civicllm.tools.base import Tool, load_tools

__all__ = ["GroundedAnswerer"]

CHUNK = re.compile(r"\S+\s*|\s+")
# What can end a sentence (``split_sentences`` decides whether it does).
SENTENCE_END = re.compile(r"[.!?…。\n]")


@dataclass
class GroundedAnswerer:
    """Ground an assistant's answers in its pack's sources.

    Example::

        answerer = GroundedAnswerer(engine, open_index(home / "index.sqlite"))
        async for event in answerer.stream(pack, messages, options):
            print(event.text, end="")
    """

    engine: Engine
    index: Any  # civicllm.retrieval.index.Index
    k: int = 5
    max_passage_chars: int = 3000
    # How each assistant answers (pack id -> mode); an assistant not named generates.
    modes: Mapping[str, AnswerMode] = field(default_factory=dict)
    # The eval gate record each mode rests on (None: the model was never evaluated).
    gates: Mapping[str, GateRecord | None] = field(default_factory=dict)
    _synced: set[str] = field(default_factory=set)
    # The tools routed questions are answered from (id -> Tool); None: the installed ones.
    tools: Mapping[str, Tool] | None = None
    _lock: asyncio.Lock | None = None

    def __post_init__(self) -> None:
        self.similarity = similarity_from_embedder(
            lambda texts: self.index.embed(texts, query=True)
        )

    async def warm(self, packs: Sequence[Pack]) -> None:
        """Index every pack's sources ahead of the first question (runs at server start)."""
        if self.tools is None:
            self.tools = load_tools()
        for pack in packs:
            # A routed question should not wait for a tool's first-use work either.
            for tool in pack_tools(pack, self.tools):
                if tool.prepare is not None:
                    await asyncio.to_thread(tool.prepare)
            await self.retrieve(pack, "")

    def sync_pack(self, pack: Pack) -> None:
        """Ingest the pack's sources into the index (incremental: unchanged files skipped)."""
        from civicllm.retrieval.ingest import ingest_paths

        if pack.id in self._synced:
            return
        if pack.sources_dir.is_dir() and any(pack.sources_dir.iterdir()):
            ingest_paths([pack.sources_dir], pack.id, self.index)
        self._synced.add(pack.id)

    def mode(self, pack: Pack) -> AnswerMode:
        """Return how ``pack`` answers: by verified generation, or by quotes alone."""
        return self.modes.get(pack.id, "generate")

    def gate(self, pack: Pack) -> GateRecord | None:
        """Return the eval gate record behind ``pack``'s answer mode, if there is one."""
        return self.gates.get(pack.id)

    async def retrieve(
        self, pack: Pack, question: str, *, language: str | None = None
    ) -> list[Passage]:
        """Return the passages of the pack that best answer the question.

        With ``language``, only passages in it when the pack has sources in that language.
        """
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # one ingest at a time; later calls find the pack synced
            if pack.id not in self._synced:
                await asyncio.to_thread(self.sync_pack, pack)
        if not question.strip():
            return []
        only = language if language in pack.languages else None
        found: list[Passage] = await asyncio.to_thread(
            self.index.search, question, k=self.k, pack=pack.id, language=only
        )
        return found

    async def stream(
        self,
        pack: Pack,
        messages: Sequence[Mapping[str, Any]],
        options: GenerationRequest,
        *,
        language: str | None = None,
        tool_results: Sequence[Mapping[str, Any]] = (),
    ) -> AsyncIterator[ReplyEvent]:
        """Yield the verified answer sentence by sentence, then the citations."""
        question = next(
            (str(m.get("content", "")) for m in reversed(messages) if m.get("role") == "user"), ""
        )
        lang = language or detect_language(question)
        history = [m for m in messages[:-1] if m.get("role") in ("user", "assistant")]
        mode = self.mode(pack)
        redirect = check_input(question, lang, pack)
        if redirect is not None:
            async for event in stream_text(
                redirect.text,
                Usage(),
                {
                    "grounding": "policy",
                    "policy_action": redirect.action,
                    "policy": redirect.reason,
                    "answer_mode": mode,
                    "language": lang,
                    "citations": [],
                },
                [],
            ):
                yield event
            return
        # A question one of the pack's tools reads is answered by the tool, numbers and all.
        if self.tools is None:
            self.tools = load_tools()
        routable = pack_tools(pack, self.tools)
        routed = (
            await asyncio.to_thread(route_question, routable, question, lang) if routable else None
        )
        # No route reads it: a model trusted to generate may call one of the tools itself.
        choice = None
        if routed is None and mode == "generate":
            tools = choosable_tools(pack, self.tools)
            choice = await choose_tool_by_model(
                self.engine, tools, question, lang, model=options.model, seed=options.seed
            )
            routed = choice.route if choice is not None else None
        if routed is not None:
            answer = await asyncio.to_thread(answer_routed, routed, lang)
            extension = {**answer.extension, "answer_mode": mode}
            used = choice.usage if choice is not None else Usage()
            async for event in stream_text(answer.text, used, extension, answer.annotations):
                yield event
            return
        # The verifier must see exactly the passages the prompt numbered, no more.
        passages = fit_passages(
            await self.retrieve(pack, question, language=lang), self.max_passage_chars
        )
        usage = Usage()
        sent = ""
        grounding = "extractive"
        removed: list[Removal] = []
        if mode == "extract" or not passages:
            verified = await self.quote(pack, question, passages, lang)
        else:
            verifier = SentenceVerifier(
                passages,
                tool_results,
                similarity=self.similarity,
                language=lang,
                attribute_uncited=True,  # small models rarely write [n] markers
            )
            request = GenerationRequest(
                messages=build_messages(
                    pack.system_prompt_for(lang),
                    question,
                    passages,
                    tool_results,
                    history,
                    lang,
                    max_chars=self.max_passage_chars,
                ),
                max_tokens=options.max_tokens,
                temperature=options.temperature,
                top_p=options.top_p,
                seed=options.seed,
                stop=options.stop,
                model=options.model,
            )
            draft: list[str] = []
            screen = AnswerCheck(
                [str(m.get("content") or "") for m in messages if m.get("role") == "user"],
                [p.text for p in passages] + [json.dumps(r, default=str) for r in tool_results],
            )
            sentences = self._verified_sentences(request, verifier, screen, removed, draft)
            async for piece, piece_usage in sentences:
                usage = piece_usage or usage
                if piece:
                    sent += piece
                    yield ReplyEvent(text=piece)
            verified = verifier.result("".join(draft))
            grounding = "generated"
            if not self.answers(question, verified):
                quotes = await self.quote(pack, question, passages, lang, verified)
                if not sent:
                    verified, grounding = quotes, "extractive"
                elif quotes.found:
                    verified, grounding = _append(verified, quotes), "generated+quoted"
        message = build_message(verified)
        extension = {
            "grounding": grounding,
            "answer_mode": mode,
            "found": verified.found,
            "language": lang,
            "citations": message["civicllm_citations"],
            "dropped": [
                {"text": d.text, "reason": d.reason, "detail": d.detail} for d in verified.dropped
            ],
            "removed": [{"kind": r.kind, "reason": r.reason, "text": r.text} for r in removed],
        }
        if choice is not None:  # the model was asked for a tool and chose none that worked
            extension["tool_choice"] = choice.note()
        content = message["content"]
        # Every streamed sentence is a prefix of the final text, so offsets hold for both.
        assert content.startswith(sent), "streamed text must be a prefix of the answer"
        # After the answer's own text comes its sources block, which a request may leave out.
        body_end = len(verified.text)
        capped = grounding.startswith("generated") and usage.completion_tokens >= options.max_tokens
        async for event in stream_text(
            content[len(sent) : body_end],
            usage,
            extension,
            message["annotations"],
            sources=content[body_end:],
            finish_reason="length" if capped else "stop",  # the draft hit the token cap
        ):
            yield event

    async def _verified_sentences(
        self,
        request: GenerationRequest,
        verifier: SentenceVerifier,
        screen: AnswerCheck,
        removed: list[Removal],
        draft: list[str],
    ) -> AsyncIterator[tuple[str, Usage | None]]:
        """Yield the text of each kept sentence as soon as the model finishes it.

        A sentence is finished once the next one begins (or the draft ends). Each goes
        through the output check (what it takes out is added to ``removed``), then the
        verifier. The draft is collected into ``draft``; a looping draft is cut short.
        """
        seen: set[str] = set()

        async def judge(sentence: DraftSentence) -> str:
            """Check one finished sentence; return the text it adds ("" when dropped)."""
            checked = screen.check(sentence.raw)
            if checked.removed:
                removed.extend(checked.removed)
                cleaned = split_sentences(checked.text)
                if not cleaned:
                    return ""
                sentence = replace(
                    cleaned[0],
                    prefix=sentence.prefix,
                    paragraph=sentence.paragraph,
                    separator=sentence.separator,
                )
            said = " ".join(sentence.body.casefold().split())
            if said and said in seen:  # small models repeat themselves
                verifier.dropped.append(
                    DroppedSentence(sentence.raw, "unsupported", "repeats an earlier sentence")
                )
                return ""
            seen.add(said)
            part = await asyncio.to_thread(verifier.add, sentence)
            return verifier.render(part) if part else ""

        buffer = ""
        done = 0
        usage: Usage | None = None
        try:
            stream = self.engine.stream(request)
            try:
                ended = False  # a sentence may have ended since the last split
                async for chunk in stream:
                    buffer += chunk.text
                    usage = chunk.usage or usage
                    ended = ended or bool(SENTENCE_END.search(chunk.text))
                    if not ended:
                        continue  # most tokens end no sentence: nothing to split or check
                    sentences = split_sentences(buffer)
                    finished = sentences[done : len(sentences) - 1]
                    for sentence in finished:
                        yield await judge(sentence), None
                    if finished:
                        done += len(finished)
                        ended = False
                        if is_degenerate(buffer):
                            break
            finally:
                close = getattr(stream, "aclose", None)
                if close is not None:  # a loop cut short stops the model at once
                    await close()
        except InputError as exc:
            if exc.code != "context_length_exceeded":
                raise
            # The passages did not fit this model's context: the answer quotes them instead.
        for sentence in split_sentences(buffer)[done:]:
            yield await judge(sentence), None
        draft.append(buffer)
        yield "", usage

    def answers(self, question: str, verified: VerifiedAnswer) -> bool:
        """Return True when a kept, grounded sentence carries what the question asks for."""
        asked = read_question(question)
        grounded = [
            verified.text[s.claim_start : s.claim_end]
            for s in verified.sentences
            if s.basis in ("passage", "attributed", "tool")
        ]
        return any(carries_answer(asked, sentence) for sentence in grounded)

    async def quote(
        self,
        pack: Pack,
        question: str,
        passages: Sequence[Passage],
        language: str,
        verified: VerifiedAnswer | None = None,
    ) -> VerifiedAnswer:
        """Answer with quotes; search the pack's other languages when the reader's has none.

        ``verified`` (the dropped draft) is carried through for the audit log.
        """
        quote = functools.partial(
            answer_extractively,
            language=language,
            similarity=self.similarity,
            dropped=verified.dropped if verified else (),
            draft=verified.draft if verified else "",
        )
        answer = await asyncio.to_thread(quote, question, passages)
        if answer.found or language not in pack.languages:
            return answer
        # Nothing in the reader's language: look in every language (the answer says so).
        anywhere = fit_passages(await self.retrieve(pack, question), self.max_passage_chars)
        return await asyncio.to_thread(quote, question, anywhere)

    def close(self) -> None:
        """Close the index."""
        self.index.close()


def _append(verified: VerifiedAnswer, quotes: VerifiedAnswer) -> VerifiedAnswer:
    """Return the verified sentences followed, in a new paragraph, by the quotes."""
    passages = list(verified.passages)
    parts = list(verified.parts)
    last = max((p.paragraph for p in parts), default=0)
    for part in quotes.parts:
        numbers: list[int] = []
        for n in part.citations:
            passage = quotes.passages[n - 1]
            if passage not in passages:
                passages.append(passage)
            numbers.append(passages.index(passage) + 1)
        parts.append(
            replace(
                part,
                citations=tuple(numbers),
                paragraph=last + 1 + part.paragraph,
                separator="\n\n",
            )
        )
    return compose_answer(
        parts,
        passages,
        language=verified.language,
        dropped=verified.dropped,
        draft=verified.draft,
    )


def is_degenerate(draft: str, n: int = 4, min_unique: float = 0.6) -> bool:
    """Return True when a draft loops: most of its word n-grams repeat.

    Small models fall into loops ("the Pell Grant is the largest of the Pell Grant...") whose
    sentences each overlap a passage well enough to pass the verifier; quoting the passages
    serves the reader better than a looping answer.
    """
    words = draft.lower().split()
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    return len(grams) >= 12 and len(set(grams)) / len(grams) < min_unique


async def stream_text(
    text: str,
    usage: Usage,
    extension: dict[str, Any],
    annotations: list[dict[str, Any]],
    *,
    sources: str = "",
    finish_reason: str = "stop",
) -> AsyncIterator[ReplyEvent]:
    """Yield a finished text word by word, its sources block, then the closing event."""
    for piece in CHUNK.findall(text):
        yield ReplyEvent(text=piece)
    for piece in CHUNK.findall(sources):
        yield ReplyEvent(text=piece, is_sources=True)
    yield ReplyEvent(
        finish_reason=finish_reason, usage=usage, annotations=annotations, extension=extension
    )
