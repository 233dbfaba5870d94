"""Check a drafted answer against the passages and tool results it was given.

The model drafts and phrases; it is never the source of a fact or a number. Each sentence must
cite passages that were retrieved, and one of them must *state* it: one sentence, or two
adjacent sentences of the section, with the same words (up to the lexicon's synonyms), the
same numbers bound to the same things and qualifiers, and the same polarity
(``civicllm.answer.support`` holds the rules and what they trade away). Overlap alone never
suffices. A sentence a passage states otherwise is dropped as ``contradicted``, with that
passage and sentence. A ``similarity`` function (embeddings) is what lets a Spanish sentence
cite an English passage. Sentences inside a passage that address the assistant ("ignore your
instructions...") never count as support. Anything dropped is recorded with the reason, for
the audit log and for ``POST /v1/verify``.

What this trades away: a true paraphrase with words the passage and the lexicon do not share
is dropped, and the answer loop falls back to quoting; see ``support.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from civicllm.answer.claims import (
    DraftSentence,
    NumberMention,
    content_terms,
    extract_numbers,
    read_tool_results,
    split_sentences,
)
from civicllm.answer.support import Evidence, Support, check_support, read_evidence, read_text
from civicllm.language import detect_language
from civicllm.retrieval.passage import Passage

__all__ = [
    "AnswerPart",
    "Basis",
    "Citation",
    "DropReason",
    "DroppedSentence",
    "Sentence",
    "SentenceCheck",
    "SentenceVerifier",
    "Similarity",
    "VerifiedAnswer",
    "check_sentence",
    "compose_answer",
    "verify_answer",
]

Similarity = Callable[[str, str], float]
Basis = Literal["passage", "attributed", "tool", "connective", "quote", "label"]
DropReason = Literal[
    "no-citation",
    "citation-not-retrieved",
    "unsupported",
    "number-not-in-sources",
    "contradicted",
]


@dataclass(frozen=True)
class Citation:
    """One ``[n]`` marker in the final text and the passage it points to.

    ``start``/``end`` are the marker's character offsets in ``VerifiedAnswer.text``;
    ``quote`` is the verbatim span of the passage that supports the sentence.
    """

    number: int
    passage: Passage
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A kept sentence; ``text[claim_start:claim_end]`` of the answer is its claim."""

    text: str
    start: int
    end: int
    claim_start: int
    claim_end: int
    basis: Basis
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class DroppedSentence:
    """A sentence the verifier removed, with the reason code and a readable detail.

    For ``contradicted`` (and, when one was found, ``number-not-in-sources``), ``evidence``
    is the passage that states otherwise and ``quote`` its sentence(s).
    """

    text: str
    reason: DropReason
    detail: str
    evidence: Passage | None = None
    quote: str = ""


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one sentence against the passages it was checked with.

    ``passages`` holds the 1-based numbers of the supporting passages (kept sentences) or
    of the contradicting one; ``quotes`` the matching sentence(s) of each.
    """

    supported: bool
    reason: DropReason | Literal["supported"]
    detail: str = ""
    passages: tuple[int, ...] = ()
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifiedAnswer:
    """The answer that survived verification, with its compactly numbered sources.

    ``passages[i]`` is the source cited as ``[i + 1]`` in ``text``. ``extractive`` is true
    for an answer made of quotes (no generated text); ``found`` is false for the honest
    "not found" answer.
    """

    text: str
    sentences: tuple[Sentence, ...]
    passages: tuple[Passage, ...]
    dropped: tuple[DroppedSentence, ...] = ()
    language: str = "en"
    extractive: bool = False
    found: bool = True
    draft: str = ""
    parts: tuple[AnswerPart, ...] = ()  # what ``text`` was rendered from

    @property
    def has_content(self) -> bool:
        """Return True when some sentence states something grounded (not just connectives)."""
        return any(s.basis in ("passage", "attributed", "tool", "quote") for s in self.sentences)


@dataclass(frozen=True)
class AnswerPart:
    """A sentence ready to render: body, its citations (compact numbers) and layout."""

    body: str
    basis: Basis
    citations: tuple[int, ...] = ()
    quotes: tuple[str, ...] = ()
    terminal: str = ""
    prefix: str = ""
    paragraph: int = 0
    separator: str = "\n\n"


# Share of an uncited sentence's words that must come from tool results for it to restate one.
TOOL_RESTATEMENT = 0.6

_RANK = {"contradicted": 0, "number-not-in-sources": 1, "unsupported": 2}


def verify_answer(
    answer: str,
    passages: Sequence[Passage],
    tool_results: Sequence[Mapping[str, Any]] = (),
    *,
    similarity: Similarity | None = None,
    semantic_threshold: float = 0.89,
    attribute_uncited: bool = False,
    language: str = "en",
) -> VerifiedAnswer:
    """Keep only the sentences of ``answer`` that one of its cited passages states.

    ``passages`` must be the list numbered [1], [2], ... in the prompt. A sentence is kept
    when it cites only given passages and one of them states it (see ``check_sentence``);
    numbers may also come from tool results. A sentence without citations is kept only if it
    is pure connective text or restates a tool result, or, with ``attribute_uncited`` (for
    small models that do not cite, and for checking any text), if one passage states it;
    that passage is then cited for it. Citations are renumbered in order of first use.
    ``semantic_threshold`` is the embedding agreement a sentence needs with a passage in
    another language.
    """
    verifier = SentenceVerifier(
        passages,
        tool_results,
        similarity=similarity,
        semantic_threshold=semantic_threshold,
        attribute_uncited=attribute_uncited,
        language=language,
    )
    for draft in split_sentences(answer):
        verifier.add(draft)
    return verifier.result(answer)


class SentenceVerifier:
    """Verify a draft one sentence at a time, as a model writes it (see ``verify_answer``).

    ``add`` returns each kept sentence already renumbered and ``render`` gives the text it
    adds to the answer, so a stream of kept sentences joins into exactly
    ``result().text``. Example::

        verifier = SentenceVerifier(passages, language="es")
        for draft in split_sentences(text):
            if (part := verifier.add(draft)) is not None:
                print(verifier.render(part), end="")
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        tool_results: Sequence[Mapping[str, Any]] = (),
        *,
        similarity: Similarity | None = None,
        semantic_threshold: float = 0.89,
        attribute_uncited: bool = False,
        language: str = "en",
    ) -> None:
        self.passages = list(passages)
        self.tool_results = list(tool_results)
        self.evidence = [read_evidence(p) for p in passages]
        self.tool_terms, self.tool_numbers = read_tool_results(tool_results)
        self.similarity = similarity
        self.threshold = semantic_threshold
        self.attribute_uncited = attribute_uncited
        self.language = language
        self.kept: list[AnswerPart] = []
        self.dropped: list[DroppedSentence] = []
        self.compact: dict[int, int] = {}
        self._previous: int | None = None

    def add(self, draft: DraftSentence) -> AnswerPart | None:
        """Judge one sentence; return it renumbered when kept, else record why it was not."""
        judged = self._judge(draft)
        if isinstance(judged, DroppedSentence):
            self.dropped.append(judged)
            return None
        part, original = judged
        for n in original:
            self.compact.setdefault(n, len(self.compact) + 1)
        kept = replace(part, citations=tuple(self.compact[n] for n in original))
        self.kept.append(kept)
        return kept

    def render(self, part: AnswerPart) -> str:
        """Return the text ``part`` adds to the answer after the parts rendered before it."""
        separator, piece = _render(part, self._previous)
        self._previous = part.paragraph
        return separator + piece

    @property
    def cited(self) -> list[Passage]:
        """Return the cited passages in their compact order: ``cited[i]`` is ``[i + 1]``."""
        return [self.passages[n - 1] for n in sorted(self.compact, key=self.compact.__getitem__)]

    def result(self, draft: str) -> VerifiedAnswer:
        """Return the verified answer of every sentence added so far."""
        return compose_answer(
            self.kept, self.cited, language=self.language, dropped=self.dropped, draft=draft
        )

    def _judge(self, draft: DraftSentence) -> tuple[AnswerPart, tuple[int, ...]] | DroppedSentence:
        claim = draft.body + draft.terminal
        terms = content_terms(claim)
        mentions = extract_numbers(claim)
        passages = self.passages

        def drop(
            reason: DropReason, detail: str, found: SentenceCheck | None = None
        ) -> DroppedSentence:
            passage, quote = None, ""
            if found is not None and found.passages:
                passage, quote = passages[found.passages[0] - 1], found.quotes[0]
            return DroppedSentence(draft.raw, reason, detail, passage, quote)

        def check(numbers: Sequence[int] | range) -> SentenceCheck:
            return _check(
                claim,
                self.evidence,
                numbers,
                self.tool_numbers,
                self.similarity,
                self.threshold,
                self.language,
            )

        if draft.terminal == "?" and (terms or mentions):
            # A question asserts nothing; a draft that asks one back restates the question.
            return drop("unsupported", "a question states nothing a source could support")
        if not draft.citations:
            if not terms and not mentions:
                if _is_stray_markup(draft.raw):
                    return drop("unsupported", "stray symbols or markup, not a sentence")
                return _part(draft, "connective"), ()
            if self.tool_results and _restates_tools(
                terms, mentions, self.tool_terms, self.tool_numbers, TOOL_RESTATEMENT
            ):
                return _part(draft, "tool"), ()
            if self.attribute_uncited:
                found = check(range(1, len(self.evidence) + 1))
                if found.supported:
                    number, quote = found.passages[0], found.quotes[0]
                    return _part(draft, "attributed", quotes=(quote,)), (number,)
                if found.reason == "contradicted":
                    return drop("contradicted", found.detail, found)
            return drop("no-citation", "the sentence cites no source and restates no tool result")
        unknown = [n for n in draft.citations if not 1 <= n <= len(passages)]
        if unknown:
            shown = ", ".join(f"[{n}]" for n in unknown)
            return drop(
                "citation-not-retrieved",
                f"cites {shown}, but only {len(passages)} passage(s) were given",
            )
        found = check(draft.citations)
        if not found.supported:
            assert found.reason != "supported"
            return drop(found.reason, found.detail, found)
        return _part(draft, "passage", quotes=found.quotes), found.passages


def check_sentence(
    sentence: str,
    passages: Sequence[Passage],
    tool_results: Sequence[Mapping[str, Any]] = (),
    *,
    cited: Sequence[int] | None = None,
    similarity: Similarity | None = None,
    semantic_threshold: float = 0.89,
    language: str = "en",
) -> SentenceCheck:
    """Return whether one of ``passages`` (or of the ``cited`` 1-based numbers) states it."""
    evidence = [read_evidence(p) for p in passages]
    _, tool_numbers = read_tool_results(tool_results)
    numbers = cited if cited is not None else range(1, len(passages) + 1)
    return _check(
        sentence, evidence, numbers, tool_numbers, similarity, semantic_threshold, language
    )


def _check(
    claim: str,
    evidence: Sequence[Evidence],
    numbers: Sequence[int] | range,
    tool_numbers: frozenset[Decimal],
    similarity: Similarity | None,
    threshold: float,
    language: str,
) -> SentenceCheck:
    reading = read_text(claim)
    claim_language = detect_language(claim, default=language)
    best: tuple[int, Support] | None = None
    supported: list[tuple[int, Support]] = []
    for n in numbers:
        if not 1 <= n <= len(evidence):
            continue
        verdict = check_support(
            reading,
            evidence[n - 1],
            claim_language=claim_language,
            similarity=similarity,
            tool_numbers=tool_numbers,
            cross_threshold=threshold,
        )
        if verdict.verdict == "supported":
            supported.append((n, verdict))
        elif best is None or _RANK[verdict.verdict] < _RANK[best[1].verdict]:
            best = (n, verdict)
    if supported:
        supported.sort(key=lambda item: -item[1].score)
        return SentenceCheck(
            True,
            "supported",
            passages=tuple(n for n, _ in supported[:1]),
            quotes=tuple(v.quote for _, v in supported[:1]),
        )
    if best is None:
        return SentenceCheck(False, "unsupported", "no passage to check it against")
    n, verdict = best
    reason: DropReason = (
        "contradicted"
        if verdict.verdict == "contradicted"
        else "number-not-in-sources"
        if verdict.verdict == "number-not-in-sources"
        else "unsupported"
    )
    detail = verdict.detail
    if reason == "contradicted":
        detail = f"[{n}] says otherwise: {detail}"
    return SentenceCheck(
        False,
        reason,
        detail,
        passages=(n,) if verdict.quote else (),
        quotes=(verdict.quote,) if verdict.quote else (),
    )


def compose_answer(
    parts: Sequence[AnswerPart],
    passages: Sequence[Passage],
    *,
    language: str = "en",
    dropped: Sequence[DroppedSentence] = (),
    extractive: bool = False,
    found: bool = True,
    draft: str = "",
) -> VerifiedAnswer:
    """Render parts into the final text, recording each sentence's and marker's offsets.

    ``passages[i]`` is the source that a part's citation ``i + 1`` points to.
    """
    chunks: list[str] = []
    pos = 0
    sentences: list[Sentence] = []
    previous: int | None = None
    for part in parts:
        separator, piece = _render(part, previous)
        previous = part.paragraph
        chunks.append(separator)
        start = pos + len(separator)
        claim_start = start + len(part.prefix)
        claim_end = claim_start + len(part.body.rstrip())
        cites: list[Citation] = []
        at = claim_end + 1
        for i, number in enumerate(part.citations):
            marker = f"[{number}]"
            quote = part.quotes[i] if i < len(part.quotes) else ""
            cites.append(Citation(number, passages[number - 1], quote, at, at + len(marker)))
            at += len(marker)
        chunks.append(piece)
        pos = start + len(piece)
        sentences.append(
            Sentence(piece, start, pos, claim_start, claim_end, part.basis, tuple(cites))
        )
    return VerifiedAnswer(
        text="".join(chunks),
        sentences=tuple(sentences),
        passages=tuple(passages),
        dropped=tuple(dropped),
        language=language,
        extractive=extractive,
        found=found,
        draft=draft,
        parts=tuple(parts),
    )


_MARKUP = re.compile(r"[{}<>\\`|]|\$\$")
_LETTER = re.compile(r"[^\W\d_]")


def _is_stray_markup(text: str) -> bool:
    """Return True for a draft line that is symbols or markup ("$${", "</p>"), not words."""
    return not _LETTER.search(text) or bool(_MARKUP.search(text))


def _part(draft: DraftSentence, basis: Basis, quotes: tuple[str, ...] = ()) -> AnswerPart:
    return AnswerPart(
        body=draft.body,
        basis=basis,
        quotes=quotes,
        terminal=draft.terminal,
        prefix=draft.prefix,
        paragraph=draft.paragraph,
        separator=draft.separator,
    )


def _render(part: AnswerPart, previous: int | None) -> tuple[str, str]:
    """Return the separator before ``part`` and its text: prefix, body, markers, terminal."""
    separator = "" if previous is None else " " if part.paragraph == previous else part.separator
    piece = part.prefix + part.body.rstrip()
    if part.citations:
        piece += " " + "".join(f"[{n}]" for n in part.citations)
    return separator, piece + part.terminal


def _restates_tools(
    terms: frozenset[str],
    mentions: Sequence[NumberMention],
    tool_terms: frozenset[str],
    tool_numbers: frozenset[Decimal],
    threshold: float,
) -> bool:
    if mentions:
        return all(m.values & tool_numbers for m in mentions)
    return _coverage(terms, tool_terms) >= threshold


def _coverage(terms: frozenset[str], evidence: frozenset[str]) -> float:
    if not terms:
        return 0.0
    return len(terms & evidence) / len(terms)
