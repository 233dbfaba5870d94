"""Check any text, sentence by sentence, against an assistant's sources.

This is the verifier of the answer loop offered on its own (``POST /v1/verify``,
``civicllm verify``): each sentence is searched for in the pack's index exactly as the
answer loop searches for a question (``answerer.retrieve``, so the same effective-date
rules apply), and judged by the same ``verify_answer`` with the same settings the loop uses
for a draft (``attribute_uncited``, the answerer's similarity, the default thresholds). No
model is called, so instructions inside the text are only ever words to check.

A submitted text's own ``[n]`` markers point to someone else's sources: they are left in the
reported sentence but ignored when checking it, so every sentence must be stated by one of
the passages found for it. When no passage states a sentence, the verifier is asked once
more with every found passage cited, only to learn why (a number that differs, a passage
that says otherwise); that second answer never makes a sentence supported.

What this trades away: each sentence is checked alone, so a sentence that only makes sense
after the one before it ("It is free.") is judged without that context, and one search per
sentence costs more than the answer loop's one search per question.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from civicllm.answer import verify as verifier
from civicllm.answer.claims import split_sentences, strip_markers
from civicllm.answer.prompt import fit_passages
from civicllm.answer.verify import DroppedSentence, Similarity, VerifiedAnswer
from civicllm.language import detect_language
from civicllm.packs.loader import Pack
from civicllm.retrieval.passage import Passage

__all__ = [
    "CheckedSentence",
    "TextCitation",
    "TextVerification",
    "judge_claim",
    "split_spans",
    "unwrap_lines",
    "verify_text",
]

# The verifier's drop reasons as the response names them; unknown codes pass through.
REASONS = {
    "no-citation": "unsupported",
    "citation-not-retrieved": "unsupported",
    "unsupported": "unsupported",
    "number-not-in-sources": "number-mismatch",
    "number-mismatch": "number-mismatch",
    "contradicted": "contradicted",
}
CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")
GROUNDED = ("passage", "attributed", "quote")
_NEWLINE = re.compile(r"\r?\n")
# A line that starts its own block: a list item, a heading, a quote or a table row.
_BLOCK = re.compile(r"[ \t]*(?:[-*•>#|]|\d{1,2}[.)])(?:\s|$)")


@dataclass(frozen=True)
class TextCitation:
    """A passage that supports (or contradicts) a sentence, and its quoted span."""

    passage: Passage
    quote: str

    def to_dict(self) -> dict[str, Any]:
        """Return the citation as the API shows it."""
        p = self.passage
        return {
            "url": p.source_url or p.document,
            "title": p.title,
            "document": p.document,
            "section": p.section,
            "effective_date": p.effective_date,
            "language": p.language,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of the text: ``text == original[start:end]`` and the verdict."""

    text: str
    start: int
    end: int
    supported: bool
    reason: str
    citations: tuple[TextCitation, ...] = ()
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the sentence as the API shows it."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "supported": self.supported,
            "reason": self.reason,
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True)
class TextVerification:
    """Every sentence of a text with its verdict, and the supported ones joined."""

    pack: str
    language: str
    sentences: tuple[CheckedSentence, ...]

    @property
    def supported_text(self) -> str:
        """Return the supported sentences joined, as the answer loop would keep them."""
        return " ".join(s.text for s in self.sentences if s.supported)

    @property
    def all_supported(self) -> bool:
        """Return True when every sentence is supported."""
        return all(s.supported for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        """Return the ``POST /v1/verify`` response body."""
        return {
            "object": "verification",
            "model": self.pack,
            "language": self.language,
            "sentences": [s.to_dict() for s in self.sentences],
            "supported_text": self.supported_text,
        }


def unwrap_lines(text: str) -> str:
    """Return ``text`` with the line breaks inside a paragraph made spaces (same length).

    Pasted letters and web pages wrap lines mid-sentence; the verifier's splitter reads each
    line on its own, which would cut "free: no / one may charge you" in two. Blank lines,
    list items, headings and table rows still start a new block.
    """
    chars = list(text)
    for match in _NEWLINE.finditer(text):
        before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        following = text.find("\n", match.end())
        after = text[match.end() : following if following >= 0 else len(text)]
        heading = before.lstrip().startswith(("#", "|"))
        if before.strip() and after.strip() and not _BLOCK.match(after) and not heading:
            chars[match.start() : match.end()] = " " * (match.end() - match.start())
    return "".join(chars)


def split_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each sentence, in order, covering every non-space character.

    The sentences are the verifier's own (``claims.split_sentences``, over the text with its
    wrapped lines joined); a list marker or any character the splitter leaves out belongs to
    the sentence that follows it (or, at the end, the one before it).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    text = unwrap_lines(text)
    for draft in split_sentences(text):
        found = text.find(draft.raw, pos)
        if found < 0:  # not expected: the splitter only strips; keep what it said in order
            continue
        start = _skip_space(text, pos)
        end = found + len(draft.raw)
        spans.append((min(start, found), end))
        pos = end
    rest = _skip_space(text, pos)
    if rest < len(text):
        end = len(text.rstrip())
        if spans:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((rest, end))
    return spans


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


async def verify_text(
    answerer: Any, pack: Pack, text: str, *, language: str | None = None
) -> TextVerification:
    """Check each sentence of ``text`` against the pack's passages that are in effect.

    ``answerer`` is the grounded answerer of the server or the CLI runtime: its
    ``retrieve`` finds the passages and its ``similarity`` is the one its answers use.
    """
    lang = language or detect_language(text)
    checked: list[CheckedSentence] = []
    flowing = unwrap_lines(text)
    for start, end in split_spans(text):
        sentence = text[start:end]
        claim = strip_markers(flowing[start:end])
        passages = fit_passages(
            await answerer.retrieve(pack, claim), getattr(answerer, "max_passage_chars", 3000)
        )
        verdict = await asyncio.to_thread(
            judge_claim, claim, passages, getattr(answerer, "similarity", None), lang
        )
        reason, supported, citations, detail = verdict
        checked.append(CheckedSentence(sentence, start, end, supported, reason, citations, detail))
    return TextVerification(pack=pack.id, language=lang, sentences=tuple(checked))


def judge_claim(
    claim: str, passages: Sequence[Passage], similarity: Similarity | None, language: str
) -> tuple[str, bool, tuple[TextCitation, ...], str]:
    """Return (reason, supported, citations, detail) for one claim, as the answer loop judges it."""
    # The settings the answer loop gives its SentenceVerifier: keep the two in step.
    verified = verifier.verify_answer(
        claim, passages, similarity=similarity, language=language, attribute_uncited=True
    )
    if verified.dropped:
        dropped = verified.dropped[0]
        reason = _reason(dropped)
        if reason == "unsupported" and passages:
            # Why did no passage state it? Ask with every passage cited; never to keep it.
            markers = ", ".join(str(n) for n in range(1, len(passages) + 1))
            probe = verifier.verify_answer(
                f"{claim} [{markers}]", passages, similarity=similarity, language=language
            )
            if probe.dropped and _reason(probe.dropped[0]) != "unsupported":
                dropped = probe.dropped[0]
                reason = _reason(dropped)
        citations = _evidence(dropped) if reason == "contradicted" else ()
        return reason, False, citations, dropped.detail
    grounded = [s for s in verified.sentences if s.basis in GROUNDED]
    if not grounded:
        # Greetings and framing state nothing a passage could support.
        return "no-claim", False, (), "the sentence states nothing to check"
    return "supported", True, _citations(verified), ""


def _reason(dropped: DroppedSentence) -> str:
    code = str(dropped.reason)
    if code in REASONS:
        return REASONS[code]
    return code if CODE.fullmatch(code) else "unsupported"


def _citations(verified: VerifiedAnswer) -> tuple[TextCitation, ...]:
    found: list[TextCitation] = []
    for sentence in verified.sentences:
        for citation in sentence.citations:
            cite = TextCitation(citation.passage, citation.quote)
            if cite not in found:
                found.append(cite)
    return tuple(found)


def _evidence(dropped: DroppedSentence) -> tuple[TextCitation, ...]:
    """Return the passage the verifier names as contradicting a sentence, with its quote."""
    if dropped.evidence is None:
        return ()
    return (TextCitation(dropped.evidence, dropped.quote or dropped.evidence.text),)
