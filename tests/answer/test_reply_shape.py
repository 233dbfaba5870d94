"""shape_reply: an assistant's text cut at its stop sequence, and its optional sources."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from hypothesis import given
from hypothesis import strategies as st

from civicllm.answer.loop import ReplyEvent, shape_reply


async def events_of(
    pieces: Sequence[str], sources: Sequence[str] = ()
) -> AsyncIterator[ReplyEvent]:
    for piece in pieces:
        yield ReplyEvent(text=piece)
    for piece in sources:
        yield ReplyEvent(text=piece, is_sources=True)
    yield ReplyEvent(
        finish_reason="length",
        annotations=[{"type": "url_citation", "url_citation": {"start_index": 2, "end_index": 5}}],
    )


def shaped(
    pieces: Sequence[str], stop: Sequence[str], sources: Sequence[str] = (), show: bool = True
) -> list[ReplyEvent]:
    async def collect() -> list[ReplyEvent]:
        return [e async for e in shape_reply(events_of(pieces, sources), stop, sources=show)]

    return asyncio.run(collect())


@given(
    st.lists(st.text(alphabet="ab S", max_size=5), max_size=8), st.sampled_from(["S", "ab", "b S"])
)
def test_the_text_ends_right_before_the_first_stop(pieces: list[str], stop: str) -> None:
    text = "".join(pieces)
    out = shaped(pieces, [stop])
    joined = "".join(e.text for e in out)
    cut = text.find(stop)
    assert joined == (text if cut < 0 else text[:cut])
    assert out[-1].finish_reason == ("length" if cut < 0 else "stop")


def test_nothing_follows_a_stop_not_even_the_sources() -> None:
    out = shaped(["The answer ", "[1] is 4.", " More."], ["is"], sources=["\n\nSources: x"])
    assert "".join(e.text for e in out) == "The answer [1] "
    assert out[-1].finish_reason == "stop"
    assert out[-1].annotations  # the [1] before the cut keeps its citation
    early = shaped(["The answer [1]"], ["The"])
    assert "".join(e.text for e in early) == "" and early[-1].annotations == []


def test_the_sources_block_can_be_left_out() -> None:
    pieces, sources = ["An answer [1]."], ["\n\nSources:", " [1] x"]
    assert (
        "".join(e.text for e in shaped(pieces, [], sources)) == "An answer [1].\n\nSources: [1] x"
    )
    hidden = shaped(pieces, [], sources, show=False)
    assert "".join(e.text for e in hidden) == "An answer [1]."
    assert hidden[-1].annotations and hidden[-1].finish_reason == "length"
