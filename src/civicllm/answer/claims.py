"""Read text as claims: sentences, their citation markers, content words and numbers.

Shared by the verifier and the extractive fallback. Everything here is language-light on
purpose (en, es, fr, de): accents are folded, words are cut to a six-letter prefix instead of
stemmed, and a number is compared by every value its spelling can mean (``7.395`` is seven
thousand in Spanish and seven point four in English), so a wrong reading can only make the
verifier keep a number that a source spells the other way, never invent one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np

from civicllm.answer.lexicon import NEGATIONS
from civicllm.language import ALL_STOP_WORDS, fold

__all__ = [
    "MARKER_PATTERN",
    "DraftSentence",
    "NumberMention",
    "content_terms",
    "extract_numbers",
    "locate_numbers",
    "looks_like_instruction",
    "numbers_in_value",
    "read_tool_results",
    "similarity_from_embedder",
    "split_sentences",
    "strip_markers",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(text).split())


# Words a claim is read without: the languages' function words, less negations and limits
# ("not eligible" must not match "eligible", nor "nur" / "plus" / "bis" / "vor", only / more /
# until / before, be read past), plus words of degree and obligation that a search keeps
# but the word checks leave to numbers and the lexicon ("once", "every", "must").
_MEANINGFUL = NEGATIONS | _words("mas plus nur noch bis vor")
_LIGHT = _words(
    "again all any both each either every many much once over under up out per some "
    "should must may might shall entre debe deben sous doit doivent uber unter jede jeder "
    "muss mussen"
)
STOPWORDS = (ALL_STOP_WORDS - _MEANINGFUL) | _LIGHT

# Words of greeting and framing: a sentence made only of these needs no source.
CONNECTIVES = _words(
    "hello hi hey welcome thanks thank please sure certainly course glad happy helps helpful "
    "hope here found following answer summary summarize question questions great let know "
    "below note "
    "hola bienvenido bienvenida gracias claro aqui respuesta encontre espero ayude siguiente "
    "resumen pregunta "
    "bonjour bienvenue salut merci voici voila reponse trouve espere suivant suivante resume "
    "question "
    "hallo willkommen danke gerne hier antwort gefunden hoffe hilft folgende folgenden "
    "zusammenfassung frage"
)

_WORD = re.compile(r"[^\W\d_]+")
# "[1]", "[1, 2]", and the "[Source 1]" / "[Fuente 2]" that small models write instead.
MARKER_PATTERN = (
    r"\[\s*(?:(?:sources?|fuentes?|quellen?|ref)\.?\s*:?\s*)?(\d+(?:\s*[,;]\s*\d+)*)\s*\]"
)
_MARKER = re.compile(MARKER_PATTERN, re.IGNORECASE)
_SPACED_MARKER = re.compile(r"[ \t]*" + MARKER_PATTERN, re.IGNORECASE)
_TAIL = re.compile(r"(?:\s*" + MARKER_PATTERN + r")*", re.IGNORECASE)
_END = re.compile(r"[.!?…。]+[\"'”’»)]*")
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[\s.!?…。:;]+$")
_ABBREVIATIONS = _words(
    "e g i mr mrs ms dr st no nr vs etc approx sr sra srta art bzw ca cf fig p pp dept inc "
    "ee uu"  # EE. UU.: Estados Unidos
)
# German ordinals ("seit Ihrem 13. Lebensjahr", "am 1. Juli"): a day or rank after one of
# these words ends no sentence.
_ORDINAL = re.compile(
    r"\b(?:dem|den|der|des|am|im|vom|zum|zur|bis|ab|ihrem|ihres|seinem|seines|ihrer)\s+\d{1,2}$",
    re.IGNORECASE,
)


def content_terms(text: str) -> frozenset[str]:
    """Return the normalized content words of ``text`` (no function words, no numbers)."""
    words = _WORD.findall(fold(strip_markers(text)))
    return frozenset(
        _stem(w) for w in words if len(w) > 1 and w not in STOPWORDS and w not in CONNECTIVES
    )


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    return word[:6]


def strip_markers(text: str) -> str:
    """Return ``text`` without ``[n]`` citation markers."""
    return _SPACED_MARKER.sub("", text)


@dataclass(frozen=True)
class DraftSentence:
    """One sentence of a draft: the claim split from its citations and its layout."""

    raw: str
    body: str
    terminal: str
    prefix: str
    citations: tuple[int, ...]
    paragraph: int
    separator: str


def split_sentences(text: str) -> list[DraftSentence]:
    """Split ``text`` into sentences, attaching ``[n]`` markers to the sentence they follow."""
    drafts: list[DraftSentence] = []
    paragraph = -1
    blank = False
    for line in text.splitlines():
        if not line.strip():
            blank = True
            continue
        paragraph += 1
        separator = "\n\n" if blank else "\n"
        blank = False
        prefix_match = _LIST_PREFIX.match(line)
        prefix = prefix_match.group(0).lstrip() if prefix_match else ""
        rest = line[prefix_match.end() :] if prefix_match else line.strip()
        for i, raw in enumerate(_split_line(rest)):
            drafts.append(_draft(raw, prefix if i == 0 else "", paragraph, separator))
    return drafts


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _END.finditer(line):
        tail = _TAIL.match(line, match.end())
        cut = tail.end() if tail else match.end()
        following = line[cut:].lstrip()
        if cut < len(line) and not line[cut].isspace():
            continue  # "7.395" or "U.S.A": not a sentence end
        if following and following[0].islower():
            continue  # "e.g. the form"
        word = re.search(r"([^\W\d_]+)$", line[start : match.start()])
        if (
            match.group(0).startswith(".")
            and word
            and (len(word.group(1)) == 1 or fold(word.group(1)) in _ABBREVIATIONS)
        ):
            continue
        if match.group(0) == "." and _ORDINAL.search(line[start : match.start()]):
            continue
        pieces.append(line[start:cut].strip())
        start = cut
    if line[start:].strip():
        pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def _draft(raw: str, prefix: str, paragraph: int, separator: str) -> DraftSentence:
    citations: list[int] = []
    for match in _MARKER.finditer(raw):
        for number in re.split(r"\s*[,;]\s*", match.group(1)):
            if int(number) not in citations:
                citations.append(int(number))
    claim = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(strip_markers(raw).split()))
    terminal_match = _TERMINAL.search(claim)
    terminal = terminal_match.group(0).strip() if terminal_match else ""
    body = claim[: terminal_match.start()] if terminal_match else claim
    return DraftSentence(raw, body, terminal, prefix, tuple(citations), paragraph, separator)


@dataclass(frozen=True)
class NumberMention:
    """A number as written (``text``) and every value that spelling can mean."""

    text: str
    values: frozenset[Decimal]


_NUMBER = re.compile(r"\d+(?:[.,'\u00a0\u202f\u2009 ]\d+)*")
_SEPARATOR = re.compile(r"[.,'\u00a0\u202f\u2009 ]")
_SCALE = re.compile(
    r"\s*(mil millones|thousand|million|millions|billion|billions|millon|millones|"
    r"milliards?|milliarden?|millionen|mio|mrd|tausend|mille|mil)\b|(k|m|bn)\b",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": 3, "mil": 3, "mille": 3, "tausend": 3, "k": 3,
    "million": 6, "millions": 6, "millon": 6, "millones": 6, "millionen": 6, "mio": 6, "m": 6,
    "billion": 9, "billions": 9, "mil millones": 9, "milliard": 9, "milliards": 9,
    "milliarde": 9, "milliarden": 9, "mrd": 9, "bn": 9,
}  # fmt: skip
_PERCENT = re.compile(r"\s*(%|percent\b|per cent\b|por ciento\b|pour cent\b|prozent\b)", re.I)
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-–/]\s*$")


def extract_numbers(text: str) -> list[NumberMention]:
    """Return the numbers written in ``text``, ignoring citation markers and list numbers."""
    return [mention for _, _, mention in locate_numbers(text)]


def locate_numbers(text: str) -> list[tuple[int, int, NumberMention]]:
    """Return each number of ``text`` with its character span (markers and list numbers skipped).

    A run like "2023 15" that cannot be one number yields one mention per group, all sharing
    the run's span.
    """
    text = _MARKER.sub(lambda m: " " * len(m.group(0)), text)
    text = "\n".join(
        _LIST_PREFIX.sub(lambda m: " " * len(m.group(0)), line) for line in text.split("\n")
    )
    mentions: list[tuple[int, int, NumberMention]] = []
    for match in _NUMBER.finditer(text):
        span = match.start(), match.end()
        token = match.group(0)
        whole = _readings(token)
        if whole is None:  # "2023 15" or "1.2.3": several numbers side by side
            for group in _SEPARATOR.split(token):
                if group:
                    mentions.append((*span, NumberMention(group, frozenset({Decimal(group)}))))
            continue
        values = set(whole)
        after = text[match.end() :]
        scale = _SCALE.match(after)
        if scale:
            word = (scale.group(1) or scale.group(2)).casefold()
            values |= {v.scaleb(_SCALES[word]) for v in whole}
        if _PERCENT.match(after):
            values |= {v.scaleb(-2) for v in whole}
        year = _YEAR_RANGE.search(text[max(0, match.start() - 8) : match.start()])
        if year and len(token) == 2:  # "2025-26" also means 2026
            values.add(Decimal(year.group(1)[:2] + token))
        mentions.append((*span, NumberMention(token, frozenset(values))))
    return mentions


def _readings(token: str) -> set[Decimal] | None:
    groups = _SEPARATOR.split(token)
    seps = _SEPARATOR.findall(token)
    if not seps:
        return {Decimal(token)}
    values: set[Decimal] = set()
    if _grouped(groups) and len(set(seps)) == 1:
        values.add(Decimal("".join(groups)))
    head_seps = seps[:-1]
    if seps[-1] in ".," and (
        not head_seps
        or (_grouped(groups[:-1]) and len(set(head_seps)) == 1 and head_seps[0] != seps[-1])
    ):
        values.add(Decimal("".join(groups[:-1]) + "." + groups[-1]))
    return values or None


def _grouped(groups: list[str]) -> bool:
    return len(groups) >= 2 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def numbers_in_value(value: int | float | Decimal) -> set[Decimal]:
    """Return a computed number and its usual roundings (a tool's 1234.567 reads as 1,234.57)."""
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return set()
    if not exact.is_finite():
        return set()
    values = {exact}
    for places in (Decimal(1), Decimal("0.1"), Decimal("0.01")):
        values.add(exact.quantize(places, rounding=ROUND_HALF_UP))
    return values


def read_tool_results(
    tool_results: Sequence[Mapping[str, Any]],
) -> tuple[frozenset[str], frozenset[Decimal]]:
    """Return the content words and the numbers (with usual roundings) of tool results."""
    words: list[str] = []
    numbers: set[Decimal] = set()
    for result in tool_results:
        _walk(result, words, numbers)
    return content_terms(" ".join(words)), frozenset(numbers)


def _walk(value: object, words: list[str], numbers: set[Decimal]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            words.append(str(key).replace("_", " ").replace("-", " "))
            _walk(item, words, numbers)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, words, numbers)
    elif isinstance(value, bool):
        words.append("yes true" if value else "no not false")
    elif isinstance(value, int | float | Decimal):
        numbers.update(numbers_in_value(value))
    elif isinstance(value, str):
        words.append(value)
        for mention in extract_numbers(value):
            numbers.update(mention.values)
    elif value is not None:
        try:
            numbers.update(numbers_in_value(Decimal(str(value))))
        except InvalidOperation:
            words.append(str(value))


def looks_like_instruction(text: str) -> bool:
    """Return True when ``text`` addresses an assistant ("ignore your instructions...")."""
    from civicllm.safety.steering import steering_reason  # the one detector, also used at ingest

    return steering_reason(text) is not None


def similarity_from_embedder(
    embed: Callable[[list[str]], Any], cache_size: int = 512
) -> Callable[[str, str], float]:
    """Return a cosine similarity over ``embed`` (texts -> one vector per row), with a cache.

    The verifier compares one sentence with several passages, and the fallback one question
    with several passages, so each text is embedded once.
    """

    @functools.lru_cache(maxsize=cache_size)
    def vector(text: str) -> Any:
        row = np.asarray(embed([text]), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(row))
        return row / norm if norm else row

    def similarity(first: str, second: str) -> float:
        return float(np.dot(vector(first), vector(second)))

    return similarity
