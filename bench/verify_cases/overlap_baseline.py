"""The overlap verifier as it was before issue 9 (baseline for bench/verify.py only).

The model drafts and phrases; it is never the source of a fact or a number. Each sentence must
cite passages that were retrieved and that support it, and every number in it must appear in a
cited passage or a tool result; anything else is dropped and recorded with the reason, for the
audit log. Support is content-word overlap after light normalization (accents folded, plurals
and endings cut to a six-letter prefix) and, when a ``similarity`` function is given, embedding
agreement, which is what lets a Spanish sentence cite an English passage. Sentences inside a
passage that address the assistant ("ignore your instructions...") never count as support.

What this trades away: overlap cannot see word order, so a sentence that rearranges a passage's
words into a different claim can pass; the number check and the quoted sources shown to the
reader are the backstop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from civicllm.answer.claims import (
    DraftSentence,
    NumberMention,
    content_terms,
    extract_numbers,
    looks_like_instruction,
    read_tool_results,
    split_sentences,
)
from civicllm.retrieval.passage import Passage

__all__ = [
    "AnswerPart",
    "Basis",
    "Citation",
    "DropReason",
    "DroppedSentence",
    "Sentence",
    "Similarity",
    "VerifiedAnswer",
    "compose_answer",
    "verify_answer",
]

Similarity = Callable[[str, str], float]
Basis = Literal["passage", "attributed", "tool", "connective", "quote", "label"]
DropReason = Literal[
    "no-citation", "citation-not-retrieved", "unsupported", "number-not-in-sources"
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
    """A sentence the verifier removed, with the reason code and a readable detail."""

    text: str
    reason: DropReason
    detail: str


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


@dataclass(frozen=True)
class _Evidence:
    text: str
    terms: frozenset[str]
    numbers: frozenset[Decimal]
    sentences: tuple[str, ...]


def verify_answer(
    answer: str,
    passages: Sequence[Passage],
    tool_results: Sequence[Mapping[str, Any]] = (),
    *,
    similarity: Similarity | None = None,
    lexical_threshold: float = 0.6,
    semantic_threshold: float = 0.85,
    attribute_uncited: bool = False,
    attribution_threshold: float = 0.8,
    language: str = "en",
) -> VerifiedAnswer:
    """Keep only the sentences of ``answer`` that its cited passages or tool results support.

    ``passages`` must be the list numbered [1], [2], ... in the prompt. A sentence is kept
    when it cites only given passages, at least one of them supports it (content-word
    coverage >= ``lexical_threshold``, or ``similarity`` >= ``semantic_threshold``) and every
    number in it appears in a cited passage or a tool result. A sentence without citations is
    kept only if it is pure connective text or restates a tool result, or, with
    ``attribute_uncited`` (for small models that do not cite), if one passage holds at least
    ``attribution_threshold`` of its content words (or agrees in meaning) and all its numbers;
    that passage is then cited for it. Citations are renumbered in order of first use.
    """
    evidence = [_read_passage(p) for p in passages]
    tool_terms, tool_numbers = read_tool_results(tool_results)
    parts: list[tuple[AnswerPart, tuple[int, ...]]] = []
    dropped: list[DroppedSentence] = []
    for draft in split_sentences(answer):
        claim = draft.body + draft.terminal
        terms = content_terms(claim)
        mentions = extract_numbers(claim)

        def drop(reason: DropReason, detail: str, text: str = draft.raw) -> None:
            dropped.append(DroppedSentence(text=text, reason=reason, detail=detail))

        if not draft.citations:
            if not terms and not mentions:
                parts.append((_part(draft, "connective"), ()))
            elif tool_results and _restates_tools(
                terms, mentions, tool_terms, tool_numbers, lexical_threshold
            ):
                parts.append((_part(draft, "tool"), ()))
            elif attribute_uncited and (
                found := _attribute(
                    claim,
                    terms,
                    mentions,
                    evidence,
                    tool_numbers,
                    similarity,
                    max(attribution_threshold, lexical_threshold),
                    semantic_threshold,
                )
            ):
                quote = _best_quote(evidence[found - 1], terms, mentions)
                parts.append((_part(draft, "attributed", quotes=(quote,)), (found,)))
            else:
                drop("no-citation", "the sentence cites no source and restates no tool result")
            continue
        unknown = [n for n in draft.citations if not 1 <= n <= len(passages)]
        if unknown:
            shown = ", ".join(f"[{n}]" for n in unknown)
            drop(
                "citation-not-retrieved",
                f"cites {shown}, but only {len(passages)} passage(s) were given",
            )
            continue
        strong: list[int] = []
        best_cover = 0.0
        for n in draft.citations:
            ev = evidence[n - 1]
            cover = _coverage(terms, ev.terms)
            best_cover = max(best_cover, cover)
            agrees = cover >= lexical_threshold
            if not agrees and similarity is not None and ev.text:
                agrees = similarity(claim, ev.text) >= semantic_threshold
            if agrees:
                strong.append(n)
        if not strong:
            drop(
                "unsupported",
                f"the cited passage(s) share at most {best_cover:.0%} of its content words"
                + (" and do not agree in meaning" if similarity is not None else ""),
            )
            continue
        # A cited passage that supplies one of the sentence's numbers also backs it.
        backing = [
            n
            for n in draft.citations
            if n in strong or any(m.values & evidence[n - 1].numbers for m in mentions)
        ]
        allowed = tool_numbers.union(*(evidence[n - 1].numbers for n in backing))
        missing = [m.text for m in mentions if not m.values & allowed]
        if missing:
            drop(
                "number-not-in-sources",
                f"{', '.join(missing)} appears in no cited passage or tool result",
            )
            continue
        quotes = tuple(_best_quote(evidence[n - 1], terms, mentions) for n in backing)
        parts.append((_part(draft, "passage", quotes=quotes), tuple(backing)))
    return _renumber(parts, passages, dropped, language=language, draft=answer)


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
        if previous is not None:
            sep = " " if part.paragraph == previous else part.separator
            chunks.append(sep)
            pos += len(sep)
        previous = part.paragraph
        start = pos
        body = part.body.rstrip()
        claim_start = start + len(part.prefix)
        claim_end = claim_start + len(body)
        piece = part.prefix + body
        cites: list[Citation] = []
        if part.citations:
            piece += " "
            for i, number in enumerate(part.citations):
                marker = f"[{number}]"
                at = start + len(piece)
                quote = part.quotes[i] if i < len(part.quotes) else ""
                cites.append(Citation(number, passages[number - 1], quote, at, at + len(marker)))
                piece += marker
        piece += part.terminal
        chunks.append(piece)
        pos += len(piece)
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
    )


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


def _renumber(
    parts: Sequence[tuple[AnswerPart, tuple[int, ...]]],
    passages: Sequence[Passage],
    dropped: Sequence[DroppedSentence],
    *,
    language: str,
    draft: str,
) -> VerifiedAnswer:
    compact: dict[int, int] = {}
    for _, original in parts:
        for n in original:
            compact.setdefault(n, len(compact) + 1)
    cited = [passages[n - 1] for n in sorted(compact, key=compact.__getitem__)]
    rendered = [
        AnswerPart(
            body=p.body,
            basis=p.basis,
            citations=tuple(compact[n] for n in original),
            quotes=p.quotes,
            terminal=p.terminal,
            prefix=p.prefix,
            paragraph=p.paragraph,
            separator=p.separator,
        )
        for p, original in parts
    ]
    return compose_answer(rendered, cited, language=language, dropped=dropped, draft=draft)


def _read_passage(passage: Passage) -> _Evidence:
    # Text that addresses the assistant is data about an attack, not a statement of fact.
    sentences = tuple(
        s.raw for s in split_sentences(passage.text) if not looks_like_instruction(s.raw)
    )
    body = " ".join(sentences)
    heading = f"{passage.title} {passage.section}"
    numbers = frozenset(v for m in extract_numbers(f"{heading}\n{body}") for v in m.values)
    return _Evidence(body, content_terms(f"{heading}\n{body}"), numbers, sentences)


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


def _attribute(
    claim: str,
    terms: frozenset[str],
    mentions: Sequence[NumberMention],
    evidence: Sequence[_Evidence],
    tool_numbers: frozenset[Decimal],
    similarity: Similarity | None,
    lexical_threshold: float,
    semantic_threshold: float,
) -> int | None:
    """Return the number of the passage that best supports an uncited claim, if one does."""
    best: tuple[float, int] | None = None
    for number, ev in enumerate(evidence, start=1):
        allowed = ev.numbers | tool_numbers
        if not terms or any(not m.values & allowed for m in mentions):
            continue
        score = _coverage(terms, ev.terms)
        if score < lexical_threshold:
            if similarity is None or not ev.text:
                continue
            score = similarity(claim, ev.text)
            if score < semantic_threshold:
                continue
        if best is None or score > best[0]:
            best = (score, number)
    return best[1] if best else None


def _coverage(terms: frozenset[str], evidence: frozenset[str]) -> float:
    if not terms:
        return 0.0
    return len(terms & evidence) / len(terms)


def _best_quote(ev: _Evidence, terms: frozenset[str], mentions: Sequence[NumberMention]) -> str:
    best, best_score = "", -1.0
    for sentence in ev.sentences:
        values = frozenset(v for m in extract_numbers(sentence) for v in m.values)
        score = len(terms & content_terms(sentence)) + 2.0 * sum(
            1 for m in mentions if m.values & values
        )
        if score > best_score:
            best, best_score = sentence, score
    return best
