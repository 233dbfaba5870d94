"""Answer without generating: quote the best passages, or say honestly that none matched.

Used when nothing of a drafted answer survives verification, or when retrieval found nothing
relevant. Every word of the answer is either a fixed, localized label or a verbatim quote from
a passage, so there is nothing to verify and nothing to invent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from civicllm.answer.claims import (
    content_terms,
    looks_like_instruction,
    split_sentences,
)
from civicllm.answer.verify import (
    AnswerPart,
    DroppedSentence,
    Similarity,
    VerifiedAnswer,
    compose_answer,
)
from civicllm.retrieval.passage import Passage

__all__ = ["LABELS", "Labels", "answer_extractively", "base_language", "rank_passages"]


@dataclass(frozen=True)
class Labels:
    """The fixed wording of an extractive answer in one language."""

    intro: str
    not_found: str
    sources: str
    open_quote: str
    close_quote: str


LABELS: Mapping[str, Labels] = MappingProxyType(
    {
        "en": Labels(
            intro="Here is what the official sources say, quoted word for word:",
            not_found=(
                "I could not find this in the official sources. Try asking in other words, "
                "or contact the agency directly."
            ),
            sources="Sources",
            open_quote="“",
            close_quote="”",
        ),
        "es": Labels(
            intro="Esto es lo que dicen las fuentes oficiales, citado textualmente:",
            not_found=(
                "No encontré esto en las fuentes oficiales. Intente preguntar con otras "
                "palabras o comuníquese directamente con la agencia."
            ),
            sources="Fuentes",
            open_quote="«",
            close_quote="»",
        ),
        "fr": Labels(
            intro="Voici ce que disent les sources officielles, cité mot pour mot :",
            not_found=(
                "Je n'ai pas trouvé cette information dans les sources officielles. "
                "Reformulez votre question ou contactez directement l'organisme."
            ),
            sources="Sources",
            open_quote="« ",
            close_quote=" »",
        ),
        "de": Labels(
            intro="Das sagen die offiziellen Quellen, wörtlich zitiert:",
            not_found=(
                "Ich konnte dies in den offiziellen Quellen nicht finden. Formulieren Sie die "
                "Frage bitte anders oder wenden Sie sich direkt an die Behörde."
            ),
            sources="Quellen",
            open_quote="„",
            close_quote="“",
        ),
    }
)


def base_language(language: str) -> str:
    """Return the supported language for a code like ``es-MX``; English when unsupported."""
    code = language.replace("_", "-").split("-")[0].lower()
    return code if code in LABELS else "en"


def rank_passages(
    question: str,
    passages: Sequence[Passage],
    *,
    similarity: Similarity | None = None,
    lexical_threshold: float = 0.34,
    semantic_threshold: float = 0.83,
) -> list[Passage]:
    """Return the passages relevant to ``question``, most relevant first.

    Relevant means the passage holds at least ``lexical_threshold`` of the question's
    content words, or ``similarity`` rates it at least ``semantic_threshold``.
    """
    terms = content_terms(question)
    scored: list[tuple[float, int, Passage]] = []
    for order, passage in enumerate(passages):
        text = _statements(passage)
        found = content_terms(f"{passage.title} {passage.section} {text}")
        lexical = len(terms & found) / len(terms) if terms else 0.0
        semantic = similarity(question, text) if similarity is not None and text else 0.0
        if lexical >= lexical_threshold or semantic >= semantic_threshold:
            scored.append((max(lexical, semantic), -order, passage))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [passage for _, _, passage in scored]


def answer_extractively(
    question: str,
    passages: Sequence[Passage],
    language: str = "en",
    *,
    similarity: Similarity | None = None,
    max_quotes: int = 2,
    max_quote_chars: int = 400,
    dropped: Sequence[DroppedSentence] = (),
    draft: str = "",
) -> VerifiedAnswer:
    """Quote the passages that best answer ``question``, or say none of the sources does.

    ``dropped`` and ``draft`` carry the verifier's record through to the audit log.
    """
    lang = base_language(language)
    labels = LABELS[lang]
    chosen = rank_passages(question, passages, similarity=similarity)[:max_quotes]
    quotes = [(p, _quote(question, p, max_quote_chars)) for p in chosen]
    quotes = [(p, q) for p, q in quotes if q]
    if not quotes:
        return compose_answer(
            [AnswerPart(body=labels.not_found, basis="label")],
            [],
            language=lang,
            dropped=dropped,
            extractive=True,
            found=False,
            draft=draft,
        )
    parts = [AnswerPart(body=labels.intro, basis="label")]
    for number, (_, quote) in enumerate(quotes, start=1):
        parts.append(
            AnswerPart(
                body=f"{labels.open_quote}{quote}{labels.close_quote}",
                basis="quote",
                citations=(number,),
                quotes=(quote,),
                paragraph=number,
            )
        )
    return compose_answer(
        parts,
        [p for p, _ in quotes],
        language=lang,
        dropped=dropped,
        extractive=True,
        draft=draft,
    )


def _statements(passage: Passage) -> str:
    # Text that addresses the assistant is never official wording: not ranked, not quoted.
    return " ".join(
        s.raw for s in split_sentences(passage.text) if not looks_like_instruction(s.raw)
    )


def _quote(question: str, passage: Passage, limit: int) -> str:
    """Return the passage's sentences around its best match for the question, verbatim."""
    sentences = [s.raw for s in split_sentences(passage.text) if not looks_like_instruction(s.raw)]
    if not sentences:
        return ""
    terms = content_terms(question)
    scores = [len(terms & content_terms(s)) for s in sentences]
    best = scores.index(max(scores))
    chosen = [sentences[best]]
    for sentence in sentences[best + 1 :]:
        if len(" ".join([*chosen, sentence])) > limit:
            break
        chosen.append(sentence)
    quote = " ".join(chosen)
    if len(quote) > limit:
        cut = quote[: limit - 1]
        quote = cut[: cut.rfind(" ")] if " " in cut else cut
        quote = quote.rstrip() + "…"
    return quote
