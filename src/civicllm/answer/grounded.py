"""Answer as an assistant: retrieve, prompt, generate, verify, and fall back to quotes.

The draft is generated whole and verified before any of it reaches the citizen, so the
stream a client receives is already the verified answer: time to first token is the time
to a verified answer. That is slower to start than streaming raw tokens, and it is the
price of never showing a sentence the sources do not support.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from civicllm.answer.citations import build_message
from civicllm.answer.claims import similarity_from_embedder
from civicllm.answer.extractive import answer_extractively
from civicllm.answer.language import detect_language
from civicllm.answer.loop import ReplyEvent
from civicllm.answer.prompt import build_messages, fit_passages
from civicllm.answer.verify import VerifiedAnswer, verify_answer
from civicllm.engines.base import Engine, GenerationRequest, Usage, collect_stream
from civicllm.errors import InputError
from civicllm.packs.loader import Pack
from civicllm.retrieval.passage import Passage
from civicllm.safety.policy import check_input

__all__ = ["GroundedAnswerer"]

CHUNK = re.compile(r"\S+\s*|\s+")


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
    _synced: set[str] = field(default_factory=set)
    _lock: asyncio.Lock | None = None

    def __post_init__(self) -> None:
        self.similarity = similarity_from_embedder(
            lambda texts: self.index.embed(texts, query=True)
        )

    async def warm(self, packs: Sequence[Pack]) -> None:
        """Index every pack's sources ahead of the first question (runs at server start)."""
        for pack in packs:
            await self.retrieve(pack, "")

    def sync_pack(self, pack: Pack) -> None:
        """Ingest the pack's sources into the index (incremental: unchanged files skipped)."""
        from civicllm.retrieval.ingest import ingest_paths

        if pack.id in self._synced:
            return
        if pack.sources_dir.is_dir() and any(pack.sources_dir.iterdir()):
            ingest_paths([pack.sources_dir], pack.id, self.index)
        self._synced.add(pack.id)

    async def retrieve(self, pack: Pack, question: str) -> list[Passage]:
        """Return the passages of the pack that best answer the question."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # one ingest at a time; later calls find the pack synced
            if pack.id not in self._synced:
                await asyncio.to_thread(self.sync_pack, pack)
        if not question.strip():
            return []
        found: list[Passage] = await asyncio.to_thread(
            self.index.search, question, k=self.k, pack=pack.id
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
        """Yield the verified answer in pieces, then the citations."""
        question = next(
            (str(m.get("content", "")) for m in reversed(messages) if m.get("role") == "user"), ""
        )
        lang = language or detect_language(question)
        history = [m for m in messages[:-1] if m.get("role") in ("user", "assistant")]
        redirect = check_input(question, lang, pack)
        if redirect is not None:
            async for event in stream_text(
                redirect.text,
                Usage(),
                {
                    "grounding": "policy",
                    "policy_action": redirect.action,
                    "policy": redirect.reason,
                    "language": lang,
                    "citations": [],
                },
                [],
            ):
                yield event
            return
        # The verifier must see exactly the passages the prompt numbered, no more.
        passages = fit_passages(await self.retrieve(pack, question), self.max_passage_chars)
        usage = Usage()
        draft = ""
        if passages:
            prompt = build_messages(
                pack.system_prompt_for(lang),
                question,
                passages,
                tool_results,
                history,
                lang,
                max_chars=self.max_passage_chars,
            )
            request = GenerationRequest(
                messages=prompt,
                max_tokens=options.max_tokens,
                temperature=options.temperature,
                top_p=options.top_p,
                seed=options.seed,
                stop=options.stop,
                model=options.model,
            )
            try:
                result = await collect_stream(self.engine.stream(request))
                draft, usage = result.text, result.usage
            except InputError as exc:
                if exc.code != "context_length_exceeded":
                    raise
                draft = ""  # the passages did not fit this model's context: quote them instead
        verified = await asyncio.to_thread(
            self.verify, question, draft, passages, tool_results, lang
        )
        message = build_message(verified)
        extension = {
            "grounding": "extractive" if verified.extractive else "generated",
            "found": verified.found,
            "language": lang,
            "citations": message["civicllm_citations"],
            "dropped": [{"text": d.text, "reason": d.reason} for d in verified.dropped],
        }
        async for event in stream_text(
            message["content"], usage, extension, message["annotations"]
        ):
            yield event

    def verify(
        self,
        question: str,
        draft: str,
        passages: Sequence[Passage],
        tool_results: Sequence[Mapping[str, Any]],
        language: str,
    ) -> VerifiedAnswer:
        """Verify the draft; answer from quotes when nothing grounded survives."""
        # Small models rarely write [n] markers; an uncited sentence is still kept when one
        # retrieved passage holds nearly all its content words and every number in it.
        verified = verify_answer(
            draft,
            passages,
            tool_results,
            similarity=self.similarity,
            language=language,
            attribute_uncited=True,
        )
        if verified.has_content and not is_degenerate(draft):
            return verified
        return answer_extractively(
            question,
            passages,
            language,
            similarity=self.similarity,
            dropped=verified.dropped,
            draft=draft,
        )

    def close(self) -> None:
        """Close the index."""
        self.index.close()


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
    text: str, usage: Usage, extension: dict[str, Any], annotations: list[dict[str, Any]]
) -> AsyncIterator[ReplyEvent]:
    """Yield a finished text word by word, then the closing event with citations."""
    for piece in CHUNK.findall(text):
        yield ReplyEvent(text=piece)
    yield ReplyEvent(
        finish_reason="stop", usage=usage, annotations=annotations, extension=extension
    )
