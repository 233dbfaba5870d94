"""The assistant's answer: verified sentence by sentence as the model writes, or quotes alone.

The engine and index here are small fakes, so each test controls exactly what the model
writes and what retrieval finds.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from civicllm.answer.grounded import GroundedAnswerer
from civicllm.answer.loop import ReplyEvent
from civicllm.engines.base import Chunk, GenerationRequest, Usage
from civicllm.evals.gate import AnswerMode
from civicllm.packs.loader import Pack
from civicllm.retrieval.passage import Passage

HOURS = Passage(
    id="library:en/hours.md#1",
    pack="library",
    document="en/hours.md",
    title="Lantern Street Library",
    section="Opening hours",
    text=(
        "On weekdays the library opens at 9:00 and closes at 18:00. "
        "On Saturdays the library opens at 10:00 and closes at 14:00. "
        "The library is closed on Sundays."
    ),
    source_url="https://example.gov/library/hours",
)
FEES = Passage(
    id="library:en/fees.md#1",
    pack="library",
    document="en/fees.md",
    title="Lantern Street Library",
    section="Late fees",
    text="The late fee for a book is $2 per day. Children's books have no late fee.",
    source_url="https://example.gov/library/fees",
)
HORARIO = Passage(
    id="library:es/hours.md#1",
    pack="library",
    document="es/hours.md",
    title="Biblioteca de Lantern Street",
    section="Horario",
    text=(
        "De lunes a viernes la biblioteca abre a las 9:00 y cierra a las 18:00. "
        "Los sábados la biblioteca abre a las 10:00 y cierra a las 14:00."
    ),
    language="es",
    source_url="https://example.gov/biblioteca/horario",
)
WORD = re.compile(r"\w+")
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeIndex:
    """Returns the given passages (of the asked language, when one is asked)."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.searches: list[str | None] = []

    def search(
        self, query: str, *, k: int = 5, pack: str | None = None, language: str | None = None
    ) -> list[Passage]:
        self.searches.append(language)
        return [p for p in self.passages if language is None or p.language == language][:k]

    def embed(self, texts: Sequence[str], *, query: bool = False) -> Any:
        # Every text agrees fully: the choice between sentences rests on their words alone,
        # which these tests control.
        return np.ones((len(texts), 8), dtype=np.float32)

    def close(self) -> None:
        pass


class ScriptedEngine:
    """Writes ``draft`` word by word; after ``pause_after`` words, waits for ``go``."""

    name = "scripted"

    def __init__(self, draft: str, pause_after: int | None = None, repeat: bool = False):
        self.draft = draft
        self.pause_after = pause_after
        self.repeat = repeat
        self.go = asyncio.Event()
        self.calls = 0
        self.closed = False

    def model_names(self) -> list[str]:
        return ["scripted"]

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        self.calls += 1
        words = re.findall(r"\S+\s*", self.draft)
        try:
            sent = 0
            while True:
                for word in words:
                    if sent == self.pause_after:
                        await self.go.wait()
                    sent += 1
                    yield Chunk(text=word)
                if not self.repeat:
                    break
            yield Chunk(text="", finish_reason="stop", usage=Usage(10, sent))
        finally:
            self.closed = True

    async def close(self) -> None:
        pass


def library(tmp_path: Path) -> Pack:
    return Pack(
        id="library",
        name="Library",
        description="Library hours and fees",
        dir=tmp_path,
        languages=("en", "es"),
    )


def answerer(
    engine: Any, passages: Sequence[Passage], mode: AnswerMode = "generate"
) -> GroundedAnswerer:
    return GroundedAnswerer(engine, FakeIndex(passages), modes={"library": mode})


async def collect(stream: AsyncIterator[ReplyEvent]) -> list[ReplyEvent]:
    return [event async for event in stream]


def ask(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


SATURDAY_ES = "¿A qué hora abre la biblioteca los sábados?"
OPTIONS = GenerationRequest(messages=[], max_tokens=200, temperature=0.0, seed=1)


async def test_first_verified_sentence_arrives_before_the_model_finishes(tmp_path: Path) -> None:
    draft = (
        "On Saturdays the library opens at 10:00 and closes at 14:00 [1]. "
        "The library is closed on Sundays [1]. More words follow here."
    )
    engine = ScriptedEngine(draft, pause_after=16)  # waits after the second sentence begins
    stream = answerer(engine, [HOURS]).stream(
        library(tmp_path), ask("When is the library open on Saturdays?"), OPTIONS, language="en"
    )
    first = await asyncio.wait_for(anext(stream), timeout=10)
    assert first.text.startswith("On Saturdays the library opens at 10:00")
    assert not engine.go.is_set() and engine.calls == 1  # the model is still writing
    engine.go.set()
    rest = await collect(stream)
    text = first.text + "".join(e.text for e in rest)
    final = rest[-1]
    assert final.extension["grounding"] == "generated"
    assert final.extension["answer_mode"] == "generate"
    for annotation in final.annotations:
        cite = annotation["url_citation"]
        assert re.fullmatch(r"\[\d\]", text[cite["start_index"] : cite["end_index"]])


async def test_false_sentence_is_never_streamed(tmp_path: Path) -> None:
    draft = (
        "The library is open on Saturdays from 9:00 to 18:00 [1]. "
        "On Saturdays the library opens at 10:00 and closes at 14:00 [1]."
    )
    events = await collect(
        answerer(ScriptedEngine(draft), [HOURS]).stream(
            library(tmp_path), ask("When is the library open on Saturdays?"), OPTIONS
        )
    )
    text = "".join(e.text for e in events)
    assert "9:00 to 18:00" not in text
    assert "10:00 and closes at 14:00" in text
    dropped = events[-1].extension["dropped"]
    assert [d["reason"] for d in dropped] == ["contradicted"]


async def test_answer_without_the_asked_fact_goes_on_with_quotes(tmp_path: Path) -> None:
    # True, but says nothing about how much the fee is: the quote with $2 must follow.
    draft = "The library is closed on Sundays [1]."
    events = await collect(
        answerer(ScriptedEngine(draft), [HOURS, FEES]).stream(
            library(tmp_path), ask("How much is the late fee for a book?"), OPTIONS
        )
    )
    text = "".join(e.text for e in events)
    assert text.startswith("The library is closed on Sundays [1].")
    assert "“The late fee for a book is $2 per day.” [2]" in text
    assert events[-1].extension["grounding"] == "generated+quoted"
    urls = [a["url_citation"]["url"] for a in events[-1].annotations]
    assert urls == [HOURS.source_url, FEES.source_url, FEES.source_url][: len(urls)]
    assert FEES.source_url in urls


async def test_nothing_kept_answers_with_quotes_alone(tmp_path: Path) -> None:
    draft = "The late fee is unlimited [1]."
    events = await collect(
        answerer(ScriptedEngine(draft), [HOURS, FEES]).stream(
            library(tmp_path), ask("How much is the late fee for a book?"), OPTIONS
        )
    )
    text = "".join(e.text for e in events)
    assert "unlimited" not in text
    assert text.startswith("Here is what the official sources say")
    assert "$2 per day" in text
    assert events[-1].extension["grounding"] == "extractive"


async def test_extract_mode_never_calls_the_model(tmp_path: Path) -> None:
    engine = ScriptedEngine("The late fee is $5 [1].")
    events = await collect(
        answerer(engine, [FEES], mode="extract").stream(
            library(tmp_path), ask("How much is the late fee for a book?"), OPTIONS
        )
    )
    assert engine.calls == 0
    text = "".join(e.text for e in events)
    assert "$2 per day" in text and "$5" not in text
    assert events[-1].extension["answer_mode"] == "extract"
    assert events[-1].extension["grounding"] == "extractive"


async def test_quotes_come_from_the_readers_language(tmp_path: Path) -> None:
    index_passages = [HOURS, HORARIO]
    answer = answerer(ScriptedEngine(""), index_passages, mode="extract")
    events = await collect(answer.stream(library(tmp_path), ask(SATURDAY_ES), OPTIONS))
    text = "".join(e.text for e in events)
    assert "Los sábados la biblioteca abre a las 10:00" in text
    assert "On Saturdays" not in text
    assert answer.index.searches[0] == "es"


async def test_no_source_in_the_readers_language_is_said_first(tmp_path: Path) -> None:
    answer = answerer(ScriptedEngine(""), [HOURS], mode="extract")
    events = await collect(answer.stream(library(tmp_path), ask(SATURDAY_ES), OPTIONS))
    text = "".join(e.text for e in events)
    assert text.startswith("Las fuentes oficiales no tratan esto en español")
    assert "On Saturdays the library opens at 10:00" in text
    assert answer.index.searches == ["es", None]  # then every language of the pack


@pytest.mark.parametrize("mode", ["generate", "extract"])
async def test_streamed_text_is_the_final_content(tmp_path: Path, mode: AnswerMode) -> None:
    draft = "On Saturdays the library opens at 10:00 and closes at 14:00 [1]."
    events = await collect(
        answerer(ScriptedEngine(draft), [HOURS], mode=mode).stream(
            library(tmp_path), ask("When is the library open on Saturdays?"), OPTIONS
        )
    )
    text = "".join(e.text for e in events)
    assert text.rstrip().endswith(HOURS.source_url)  # the reference list closes the answer
    assert sum(1 for e in events if e.finish_reason) == 1


async def test_a_looping_draft_is_cut_short_and_quoted(tmp_path: Path) -> None:
    engine = ScriptedEngine("The library is the library of the library. ", repeat=True)
    events = await asyncio.wait_for(
        collect(
            answerer(engine, [HOURS]).stream(
                library(tmp_path), ask("When is the library open on Saturdays?"), OPTIONS
            )
        ),
        timeout=20,
    )
    assert engine.closed
    assert "10:00" in "".join(e.text for e in events)


async def test_personal_data_the_person_typed_is_taken_out_before_verifying(
    tmp_path: Path,
) -> None:
    draft = (
        "On Saturdays the library opens at 10:00 and closes at 14:00 [1]. "
        "Your number 123-45-6789 is on file [1]."
    )
    question = "My SSN is 123-45-6789. When is the library open on Saturdays?"
    events = await collect(
        answerer(ScriptedEngine(draft), [HOURS]).stream(library(tmp_path), ask(question), OPTIONS)
    )
    text = "".join(e.text for e in events)
    assert "123-45-6789" not in text
    assert "10:00 and closes at 14:00" in text
    removed = events[-1].extension["removed"]
    assert [(r["kind"], r["reason"]) for r in removed] == [("ssn", "from-conversation")]
    assert all("123-45-6789" not in d["text"] for d in events[-1].extension["dropped"])
