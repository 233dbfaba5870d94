"""Answer without generating: quote the best passages, or say honestly that none matched.

Used when nothing of a drafted answer survives verification, or when retrieval found nothing
relevant. Every word of the answer is either a fixed, localized label or a verbatim quote from
a passage, so there is nothing to verify and nothing to invent.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from civicllm.answer.lexicon import GENERIC, category
from civicllm.answer.support import QUALIFIERS, Reading, read_evidence, read_text
from civicllm.answer.verify import (
    AnswerPart,
    DroppedSentence,
    Similarity,
    VerifiedAnswer,
    compose_answer,
)
from civicllm.language import base_language, fold
from civicllm.retrieval.passage import Passage

__all__ = [
    "LABELS",
    "Candidate",
    "Labels",
    "Question",
    "Quotes",
    "answer_extractively",
    "carries_answer",
    "quote_sentences",
    "rank_passages",
    "read_question",
    "score_sentences",
]


@dataclass(frozen=True)
class Labels:
    """The fixed wording of an extractive answer in one language."""

    intro: str
    not_found: str
    sources: str
    open_quote: str
    close_quote: str
    other_language: str


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
            other_language=(
                "The official sources do not cover this in English. Here is what they say in "
                "{language}, quoted word for word:"
            ),
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
            other_language=(
                "Las fuentes oficiales no tratan esto en español. Esto es lo que dicen en "
                "{language}, citado textualmente:"
            ),
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
            other_language=(
                "Les sources officielles ne traitent pas ce point en français. Voici ce "
                "qu'elles disent en {language}, cité mot pour mot :"
            ),
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
            other_language=(
                "Die offiziellen Quellen behandeln dies nicht auf Deutsch. Das sagen sie auf "
                "{language}, wörtlich zitiert:"
            ),
        ),
    }
)


# How each language names the languages a source may be in, for the other-language notice.
LANGUAGE_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": {"en": "English", "es": "Spanish", "fr": "French", "de": "German"},
        "es": {"en": "inglés", "es": "español", "fr": "francés", "de": "alemán"},
        "fr": {"en": "anglais", "es": "espagnol", "fr": "français", "de": "allemand"},
        "de": {"en": "Englisch", "es": "Spanisch", "fr": "Französisch", "de": "Deutsch"},
    }
)

# What a question asks for, read from its wording (accents and case folded). A question that
# asks "how much", "when" or for a maximum is answered by a sentence holding a number.
_ASKS_NUMBER = re.compile(
    r"\b(?:how (?:much|many|old|long|high|big|large)|maximum|minimum|max|min|amount|limit"
    r"|cuant[oa]s?|monto|cantidad|maxim[oa]|minim[oa]|limite|tope|edad"
    r"|combien|montant|plafond|maximale?|minimale?|age"
    r"|wie ?(?:viel|viele|hoch|alt|lange|gross)|wieviel|hochst\w*|mindest\w*|betrag|grenze"
    r"|obergrenze|alter)\b"
)
_ASKS_DATE = re.compile(
    r"\b(?:when|deadline|what date|cuando|fecha|plazo|quand|date|delai|wann|frist|stichtag"
    r"|bis wann)\b"
)

# Words that frame a question ("what does FAFSA mean?") and are no part of its answer.
_FRAME_WORDS = fold(
    "mean means meaning stand stands called significa significan significado signifie "
    "signifient veut dire bedeutet bedeuten bedeutung steht heisst"
).split()

# A sentence is relevant when it (or its section heading) holds this share of the question's
# words, or the embeddings rate it this close to the question.
LEXICAL_THRESHOLD = 0.34
SEMANTIC_THRESHOLD = 0.83
# Something in the sources answers the question only when its best sentence is this close to
# it by the embeddings, or scores this well: sentences of an unrelated question ("how do I
# get a driver's license?") still share words and reach 0.83 against a pack's sentences, so
# relevance alone would quote them instead of saying the sources do not cover it.
ANSWER_SIMILARITY = 0.86
ANSWER_SCORE = 0.6
# Further sentences are quoted only when they score this close to the best one.
RUNNER_UP = 0.8


@dataclass(frozen=True)
class Question:
    """What a question asks: its words (lexicon keys), numbers, and the kind of answer."""

    text: str
    keys: frozenset[str]
    numbers: frozenset[Decimal]
    qualifiers: frozenset[str]
    wants_number: bool


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, scored against the question."""

    passage: int
    sentence: str
    score: float
    relevant: bool
    position: int = 0
    similarity: float | None = None  # the embeddings' agreement with the question, if known
    conflicts: bool = False  # holds another value of a qualifier the question names
    qualifiers: frozenset[str] = frozenset()  # its qualifier keys ("customer:commercial")


@functools.lru_cache(maxsize=256)
def read_question(question: str) -> Question:
    """Read what ``question`` asks for (cached: scoring, choosing and the answer loop ask)."""
    reading = read_text(question)
    folded = fold(question)
    frame = _frame_keys()
    keys = frozenset(
        k for k in reading.keys if k not in GENERIC and k not in frame and category(k) != "wh"
    )
    numbers = frozenset(v for _, t in reading.numbers for v in t.values)
    qualifiers = frozenset(k for k in keys if category(k) in QUALIFIERS)
    wants = bool(
        _ASKS_NUMBER.search(folded)
        or _ASKS_DATE.search(folded)
        or any(category(k) == "extent" for k in keys)
    )
    return Question(question, keys, numbers, qualifiers, wants)


@functools.cache
def _frame_keys() -> frozenset[str]:
    return read_text(" ".join(_FRAME_WORDS)).keys


def carries_answer(question: Question, sentence: str) -> bool:
    """Return True when ``sentence`` could hold what the question asks for.

    It must hold a share of the question's words (``LEXICAL_THRESHOLD``: more than the
    subject alone), a number when the question asks for an amount, a limit or a date, and
    no other value of a qualifier the question names.
    """
    reading = read_text(sentence)
    if question.wants_number and not reading.numbers:
        return False
    if _conflicts(question, reading):
        return False
    if not question.keys:
        return True
    return len(question.keys & reading.keys) / len(question.keys) >= LEXICAL_THRESHOLD


def score_sentences(
    question: str,
    passages: Sequence[Passage],
    *,
    similarity: Similarity | None = None,
) -> list[Candidate]:
    """Score every quotable sentence of ``passages`` against ``question``, best first.

    The score adds the question's words the sentence holds (rare words weigh more, words
    only in the section heading half), the embedding agreement, whether it holds the kind of
    answer asked for (a number for "how much"), and the question's own numbers and
    qualifiers ("2025-26", "maximum"); a sentence with the opposite qualifier ("minimum" for
    "maximum") scores low. Fragments cut at a passage's edge are never candidates.
    """
    asked = read_question(question)
    found: list[tuple[int, int, Reading, Reading]] = []
    for number, passage in enumerate(passages):
        evidence = read_evidence(passage)
        for position, reading in enumerate(_whole_sentences(passage, evidence.sentences)):
            found.append((number, position, reading, evidence.heading))
    if not found:
        return []
    weight = _weights(asked.keys, [reading.keys for _, _, reading, _ in found])
    total = sum(weight.values())
    scored: list[Candidate] = []
    for number, position, reading, heading in found:
        held = asked.keys & reading.keys
        headed = (asked.keys & heading.keys) - held
        lexical = (sum(weight[k] for k in held) + 0.5 * sum(weight[k] for k in headed)) / total
        plain = len(held | headed) / len(asked.keys) if asked.keys else 0.0
        semantic = similarity(question, reading.text) if similarity is not None else 0.0
        relevant = plain >= LEXICAL_THRESHOLD or semantic >= SEMANTIC_THRESHOLD
        score = 0.55 * lexical + 0.45 * _spread(semantic) if similarity else lexical
        if asked.wants_number and not reading.numbers:
            score *= 0.75  # "how much does it cost?" may be answered by "it is free"
        sentence_numbers = {v for _, t in reading.numbers for v in t.values}
        if asked.numbers & sentence_numbers:
            score += 0.15
        if _conflicts(asked, reading):
            score -= 0.3
        score -= 0.01 * number  # retrieval order breaks ties
        text = " ".join(reading.text.split())
        scored.append(
            Candidate(
                number,
                text,
                score,
                relevant,
                position,
                semantic if similarity is not None else None,
                _conflicts(asked, reading),
                frozenset(k for k in reading.keys if category(k) in QUALIFIERS),
            )
        )
    scored.sort(key=lambda c: c.score, reverse=True)
    return scored


def rank_passages(
    question: str,
    passages: Sequence[Passage],
    *,
    similarity: Similarity | None = None,
) -> list[Passage]:
    """Return the passages holding a sentence relevant to ``question``, most relevant first."""
    order: list[int] = []
    for candidate in score_sentences(question, passages, similarity=similarity):
        if candidate.relevant and candidate.passage not in order:
            order.append(candidate.passage)
    return [passages[n] for n in order]


@dataclass(frozen=True)
class Quotes:
    """An extractive answer before rendering: its parts, and ``passages[i]`` cited ``[i+1]``."""

    parts: tuple[AnswerPart, ...]
    passages: tuple[Passage, ...]
    found: bool


def quote_sentences(
    question: str,
    passages: Sequence[Passage],
    language: str = "en",
    *,
    similarity: Similarity | None = None,
    max_quotes: int = 3,
    max_quote_chars: int = 400,
) -> Quotes:
    """Return the 1 to ``max_quotes`` sentences that best answer ``question``, best first.

    Sentences come from passages in the reader's language when one of those is relevant;
    otherwise from another language, and the introduction says so. With no relevant sentence
    the only part is the honest "not found".
    """
    lang = base_language(language)
    labels = LABELS[lang]
    every = score_sentences(question, passages, similarity=similarity)
    candidates = [c for c in every if c.relevant]
    if not _answered(candidates):
        candidates = []
    own = [c for c in candidates if base_language(passages[c.passage].language) == lang]
    intro = labels.intro
    if not own and candidates:
        source_language = base_language(passages[candidates[0].passage].language)
        intro = labels.other_language.format(language=LANGUAGE_NAMES[lang][source_language])
    chosen = _choose(own or candidates, max_quotes)
    if not chosen:
        return Quotes((AnswerPart(body=labels.not_found, basis="label"),), (), found=False)
    chosen = _with_next(chosen, every, max_quotes, read_question(question))
    cited: list[int] = []
    parts = [AnswerPart(body=intro, basis="label")]
    for candidate in chosen:
        if candidate.passage not in cited:
            cited.append(candidate.passage)
        quote = _shorten(candidate.sentence, max_quote_chars)
        parts.append(
            AnswerPart(
                body=f"{labels.open_quote}{quote}{labels.close_quote}",
                basis="quote",
                citations=(cited.index(candidate.passage) + 1,),
                quotes=(quote,),
                paragraph=len(parts),
            )
        )
    return Quotes(tuple(parts), tuple(passages[n] for n in cited), found=True)


def answer_extractively(
    question: str,
    passages: Sequence[Passage],
    language: str = "en",
    *,
    similarity: Similarity | None = None,
    max_quotes: int = 3,
    max_quote_chars: int = 400,
    dropped: Sequence[DroppedSentence] = (),
    draft: str = "",
) -> VerifiedAnswer:
    """Answer with ``quote_sentences``: quotes with their sources, or an honest "not found".

    ``dropped`` and ``draft`` carry the verifier's record through to the audit log.
    """
    quotes = quote_sentences(
        question,
        passages,
        language,
        similarity=similarity,
        max_quotes=max_quotes,
        max_quote_chars=max_quote_chars,
    )
    return compose_answer(
        quotes.parts,
        quotes.passages,
        language=base_language(language),
        dropped=dropped,
        extractive=True,
        found=quotes.found,
        draft=draft,
    )


def _answered(candidates: Sequence[Candidate]) -> bool:
    """Return True when some relevant sentence is close enough to answer the question."""
    return any(
        c.similarity is None or c.similarity >= ANSWER_SIMILARITY or c.score >= ANSWER_SCORE
        for c in candidates
    )


def _choose(candidates: Sequence[Candidate], limit: int) -> list[Candidate]:
    """Return the best sentence and the runners-up that score nearly as well."""
    chosen: list[Candidate] = []
    for candidate in candidates:
        if len(chosen) == limit:
            break
        if chosen and candidate.score < RUNNER_UP * chosen[0].score:
            break
        if all(candidate.sentence != c.sentence for c in chosen):
            chosen.append(candidate)
    return chosen


def _with_next(
    chosen: list[Candidate], every: Sequence[Candidate], limit: int, asked: Question
) -> list[Candidate]:
    """Complete the best sentence from its own passage, then add the runners-up.

    First its parallel neighbours: when the best sentence is bound to a qualifier the
    question leaves open ("Commercial customers ... 3 months" for "how long can a payment
    plan be?"), the sentences beside it that state the other values ("Residential customers
    ... 6 months"). Then the sentences right after it, which often finish its thought; never
    one that states another value of a qualifier the question names (the minimum, when the
    maximum was asked).
    """
    best = chosen[0]
    siblings = sorted(
        (c for c in every if c.passage == best.passage and c.sentence != best.sentence),
        key=lambda c: c.position,
    )
    open_categories = {category(k) for k in best.qualifiers} - {
        category(k) for k in asked.qualifiers
    }
    result = [best]
    for candidate in siblings:
        near = abs(candidate.position - best.position) <= 2
        parallel = {category(k) for k in candidate.qualifiers - best.qualifiers}
        if len(result) < limit and near and not candidate.conflicts and parallel & open_categories:
            result.append(candidate)
    last = best.position
    for candidate in siblings:
        if candidate.position <= best.position:
            continue
        if len(result) == limit or candidate.position != last + 1 or candidate.conflicts:
            break
        last = candidate.position
        if candidate not in result:
            result.append(candidate)
    for candidate in chosen[1:]:
        if len(result) < limit and all(candidate.sentence != c.sentence for c in result):
            result.append(candidate)
    return result


def _whole_sentences(passage: Passage, sentences: Sequence[Reading]) -> list[Reading]:
    """Return the passage's sentences, less the fragments its chunk edges cut."""
    kept = list(sentences)
    if kept and not _starts_sentence(passage.text):
        kept = kept[1:]
    if kept and not _ENDS.search(passage.text.rstrip()):
        kept = kept[:-1]
    return [r for r in kept if len(r.keys) >= 2 or r.numbers]


_ENDS = re.compile(r"[.!?:)\"”»]$")


def _starts_sentence(text: str) -> bool:
    first = text.lstrip().lstrip('-*•#>¿¡«„“"( ')
    return not first or not first[0].islower()


def _weights(keys: frozenset[str], sentences: Sequence[frozenset[str]]) -> dict[str, float]:
    """Return an inverse-document-frequency weight per question key over the candidates."""
    count = len(sentences)
    return {k: math.log(1 + count / (1 + sum(k in s for s in sentences))) for k in keys} or {
        "": 1.0
    }


def _spread(similarity: float) -> float:
    """Map the embedding's useful range (0.75 unrelated .. 0.9 same) onto 0..1."""
    return min(1.0, max(0.0, (similarity - 0.75) / 0.15))


def _conflicts(question: Question, reading: Reading) -> bool:
    """Return True when the sentence holds another value of a qualifier the question names
    ("minimum" where "maximum" was asked) and not the asked one."""
    for key in question.qualifiers:
        head = category(key)
        others = {k for k in reading.keys if category(k) == head and k != key}
        if others and key not in reading.keys:
            return True
    return False


def _shorten(sentence: str, limit: int) -> str:
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut
    return cut.rstrip() + "…"
