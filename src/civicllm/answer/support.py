"""Decide whether one passage states a claim, contradicts it, or says nothing about it.

A claim is supported only by one *unit* of one passage: a single sentence, or two adjacent
sentences of the same section. Against a unit in the claim's language the claim must pass
every check below; against a unit in another language (a Spanish answer citing an English
source) the word checks are replaced by embedding agreement, and the checks that work across
languages (numbers, the lexicon's qualifiers, units, negations) still apply.

1. Words: every content word of the claim appears in the unit or its heading (after the
   lexicon maps synonyms and the four languages' qualifiers to one key). Light words that
   change no fact ("get", "can", "also") are free; a new word is not: "in cash", "unlimited"
   or "the question of" fail here.
2. Numbers: every number of the claim appears in the unit (or a tool result), with the same
   unit of measure ("600 percent" is not "600 semesters").
3. Binding: each number keeps its qualifiers (day, month, maximum/minimum, household or
   customer type, dependent/independent, full/part time, opens/closes...) and, in the same
   language, the words next to it. "On Saturdays ... 9:00" fails against "on weekdays ... 9:00
   ... On Saturdays ... 10:00", because in the passage 9:00 is bound to weekdays.
4. Polarity: each stretch of the claim between commas has the same negation as the stretch of
   the unit it matches best; "free", "closed" and "unlimited" count as negated words, so
   "not free" contradicts "free" and "does not open on Sundays" agrees with "closed on Sundays".

A unit that matches the claim's words but fails 2-4 *contradicts* it, and is reported.

What this trades away: it is deliberately literal. A faithful paraphrase that uses a synonym
the lexicon does not know is dropped (retention over recall of facts: a dropped true sentence
costs the citizen a fact, a kept false one costs their trust); the answer loop then quotes
the source instead. Across languages there are no word checks, so a claim that adds an
unlisted thing ("with cryptocurrency") rests on the embedding threshold alone, which separates
such claims from true ones less sharply than words do. Negation is read as a yes/no per
stretch of text, so double negations and negation scope over "and" are approximations. It does
not resolve pronouns across units (the heading may name the subject of a claim of four or
more words, never its predicate), and it does not reason: a claim that follows from two
passages together is dropped. The weakest case is a claim with no number: nothing then ties
its words together, so words a long sentence holds far apart ("pays" ... "FAFSA") can pass
the word checks; an embedding agreement of ``same_threshold`` is the only guard there, and
checking one sentence against a whole pack's sections (not the few cited passages) finds such
coincidences more often.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from civicllm.answer.claims import (
    STOPWORDS,
    locate_numbers,
    looks_like_instruction,
    split_sentences,
    strip_markers,
)
from civicllm.answer.lexicon import (
    GENERIC,
    NEGATED_WORDS,
    NEGATIONS,
    PHRASES,
    PREFIXES,
    WORDS,
    category,
)
from civicllm.language import fold
from civicllm.retrieval.passage import Passage

__all__ = [
    "Reading",
    "Support",
    "Verdict",
    "check_support",
    "read_evidence",
    "read_text",
    "unwrap_lines",
]

Verdict = Literal["supported", "contradicted", "unsupported", "number-not-in-sources"]
Similarity = Callable[[str, str], float]

# Categories whose value a number must keep.
QUALIFIERS = frozenset(
    {
        "day",
        "month",
        "extent",
        "compare",
        "status",
        "level",
        "load",
        "customer",
        "age",
        "bound",
        "size",
    }
)
# Negative concord: "ne ... pas", "no ... nada" are one negation, not two.
_CONCORD = {
    "ne": frozenset("pas jamais rien aucun aucune plus personne ni".split()),
    "no": frozenset("nada nunca nadie ningun ninguna ninguno tampoco ni jamas".split()),
}
# Keys that must be matched like words but are not "the thing next to a number".
_MARKED = QUALIFIERS | {"unit", "all", "only", "wh"}
_SCALE_WORDS = frozenset(
    "thousand million millions billion billions mil millon millones milliard milliards "
    "milliarde milliarden millionen mio mrd tausend mille k m bn".split()
)
_CONJUNCTIONS = frozenset("and but or y e pero o et mais ou und aber oder sondern".split())
# Words that open a subordinate clause: negation does not reach across them.
_SUBORDINATORS = frozenset(
    "if unless because when whenever si cuando porque salvo quand lorsque parce sauf wenn "
    "falls weil sobald".split()
)
# "students who...", "12 semesters, which...": a relative pronoun, not a question word.
_RELATIVES = frozenset("who which whom whose quien quienes".split())
_TOKEN = re.compile(
    r"(?P<time>\b\d{1,2}\s*(?::|h)\s*\d{2}\b|\b\d{1,2}\s*[ap]\.?\s?m\b\.?|\b\d{1,2}\s*h\b)"
    r"|(?P<num>\d+(?:[.,'\u00a0\u202f\u2009 ]\d+)*)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<sym>[$€%])"
    r"|(?P<punct>[,;:()!?])"
)


@dataclass(frozen=True)
class Token:
    """One word or number of a reading, with the clause and segment it belongs to.

    ``key`` is the canonical word ("day:sat", "cost:cost", or a six-letter stem; "" for
    words that carry nothing); ``values`` is non-empty for a number; ``segment`` counts
    stretches between punctuation, ``clause`` also splits at conjunctions.
    """

    key: str
    values: frozenset[Decimal] = frozenset()
    unit: str = ""
    clause: int = 0
    segment: int = 0
    negation: bool = False
    negated: bool = False
    word: str = ""


@dataclass(frozen=True)
class Reading:
    """A sentence (or claim) read into tokens."""

    text: str
    tokens: tuple[Token, ...]
    acronyms: frozenset[str] = frozenset()

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        """Return every non-empty key (the words a supporting unit must also hold)."""
        return frozenset(t.key for t in self.tokens if t.key and not t.values)

    @property
    def numbers(self) -> list[tuple[int, Token]]:
        """Return the number tokens with their positions."""
        return [(i, t) for i, t in enumerate(self.tokens) if t.values]


@dataclass(frozen=True)
class Support:
    """The verdict on one claim against one passage, and the sentence(s) behind it."""

    verdict: Verdict
    quote: str = ""
    detail: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class Evidence:
    """A passage read for checking: its sentences, its heading and its numbers."""

    passage: Passage
    sentences: tuple[Reading, ...]
    heading: Reading
    numbers: frozenset[Decimal]
    keys: frozenset[str]


_SIZE = re.compile(
    r"\b(?:households?|famil(?:y|ies)|hogar(?:es)?|familias?|foyers?|menages?|familles?"
    r"|haushalt(?:e|en)?)\s+(?:of|de|mit|with)\s+(\d{1,2})(?:\s+(?:people|persons?|personas?"
    r"|personnes?|personen))?\b"
    r"|\b(\d{1,2})[\s-]+(?:people|persons?|personen)[\s-]+(?:households?|haushalte?n?)\b"
)
_LETTERS = "abcdefghij"


def _size_word(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    return " household hhsz" + "".join(_LETTERS[int(d)] for d in digits) + " "


_MONTHS = {w: int(k.partition(":")[2]) for w, k in WORDS.items() if k.startswith("month:")}
_MONTHS.update({"march": 3, "may": 5, "august": 8, "mai": 5})
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DATES = (
    # June 30, 2027 / 1 de marzo de 2026 / 1er mars 2026 / 1. März 2026
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"), (1, 2, 3)),
    (
        re.compile(rf"\b(\d{{1,2}})(?:er|\.)?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(\d{{4}})\b"),
        (2, 1, 3),
    ),
)


def _dates(text: str) -> str:
    """Add the whole date as one number, so "June 30, 2026" is not "June 30" plus "2026"."""
    for pattern, (m, d, y) in _DATES:

        def whole(match: re.Match[str], m: int = m, d: int = d, y: int = y) -> str:
            month, day, year = _MONTHS[match.group(m)], int(match.group(d)), match.group(y)
            return f"{match.group(0)} of {year}{month:02d}{day:02d} "

        text = pattern.sub(whole, text)
    return text


def read_text(text: str) -> Reading:
    """Read ``text`` (one sentence) into canonical tokens."""
    norm = _dates(fold(strip_markers(text)))
    # "household of 4" is a qualifier (size:4), so the amount next to it must keep it.
    norm = _SIZE.sub(_size_word, norm)
    for pattern, replacement in PHRASES:
        norm = pattern.sub(replacement, norm)
    by_start: dict[int, list[frozenset[Decimal]]] = {}
    for start, _, mention in locate_numbers(norm):
        by_start.setdefault(start, []).append(mention.values)
    raw: list[Token] = []
    clause = segment = 0
    for match in _TOKEN.finditer(norm):
        kind = match.lastgroup
        value = match.group(0)
        if kind == "punct":
            clause += 1
            segment += 1
            continue
        if kind == "time":
            raw.append(Token("", _clock(value), clause=clause, segment=segment, word=value))
        elif kind == "num":
            for values in by_start.get(match.start(), [frozenset({Decimal(0)})]):
                raw.append(Token("", values, clause=clause, segment=segment, word=value))
        elif kind == "sym":
            raw.append(Token(WORDS.get(value, ""), clause=clause, segment=segment))
        else:
            if value in _CONJUNCTIONS:
                clause += 1
                continue
            if value in _SUBORDINATORS:
                clause += 1
                segment += 1
            if value in _RELATIVES and raw and (raw[-1].key or raw[-1].values):
                raw.append(Token("", clause=clause, segment=segment))
                continue
            raw.append(_word(value, clause, segment))
    acronyms = frozenset(_root(fold(a)) for a in _ACRONYM.findall(strip_markers(text)))
    return Reading(text, tuple(_attach_units(_closing_days(raw))), acronyms)


# FAFSA, SAI, LEU: names that no translation changes, so they must match across languages.
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


def _closing_days(tokens: list[Token]) -> list[Token]:
    """Read "closes on Sundays" (no hour in the clause) as "closed on Sundays"."""
    timed = {t.clause for t in tokens if t.values}
    return [
        Token("bound:start", clause=t.clause, segment=t.segment, negated=True)
        if t.key == "bound:end" and t.clause not in timed
        else t
        for t in tokens
    ]


_WRAPPED = re.compile(r"(?<!\n)[ \t]*\n(?![ \t]*(?:\n|[-*•][ \t]|\d{1,2}[.)][ \t]|#))[ \t]*")


def unwrap_lines(text: str) -> str:
    """Join lines wrapped inside a paragraph; keep blank lines, list items and headings."""
    return _WRAPPED.sub(" ", text)


def _verbatim(sentence: str, text: str) -> str:
    """Return ``sentence`` as the passage spells it (line breaks and all), for quoting."""
    if sentence in text:
        return sentence
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    found = re.search(pattern, text)
    return found.group(0) if found else sentence


@functools.lru_cache(maxsize=4096)
def read_evidence(passage: Passage) -> Evidence:
    """Read a passage's sentences (never those addressed to an assistant) and heading.

    Cached: the same retrieved passages are read for every sentence of an answer and every
    sentence sent to /v1/verify, and the steering screen over each sentence is the cost.
    """
    sentences = tuple(
        read_text(_verbatim(s.raw, passage.text))
        for s in split_sentences(unwrap_lines(passage.text))
        if not looks_like_instruction(s.raw)
    )
    heading = read_text(f"{passage.title}: {passage.section}")
    numbers = frozenset(v for r in (*sentences, heading) for t in r.tokens for v in t.values)
    keys = frozenset().union(*(r.keys for r in (*sentences, heading)))
    return Evidence(passage, sentences, heading, numbers, keys)


# A claim without a number must hold at least this many content words (a subject and what
# is said of it); fewer is vacuous, not evidence of anything.
MIN_CLAIM_KEYS = 2


def check_support(
    claim: Reading,
    evidence: Evidence,
    *,
    claim_language: str,
    similarity: Similarity | None = None,
    tool_numbers: frozenset[Decimal] = frozenset(),
    cross_threshold: float = 0.89,
    same_threshold: float = 0.84,
) -> Support:
    """Return whether one unit of ``evidence`` states ``claim``, contradicts it, or neither."""
    if not claim.tokens or not (claim.keys or claim.numbers):
        return Support("unsupported", detail="the sentence states nothing")
    if not claim.numbers and len(claim.keys) < MIN_CLAIM_KEYS:
        # "La FAFSA es la FAFSA de la FAFSA": one content word says nothing a passage states,
        # however often the passage holds that word.
        return Support(
            "unsupported", detail="the sentence names a subject but states nothing of it"
        )
    own_numbers = [t for _, t in claim.numbers if not t.values & tool_numbers]
    missing = [t for t in own_numbers if not t.values & evidence.numbers]
    cross = evidence.passage.language.split("-")[0] != claim_language and similarity is not None
    units = _units(evidence.sentences)
    best_conflict: Support | None = None
    # A heading may name the subject or the day, never the claim's predicate ("never pay").
    heading_keys = frozenset(
        k for k in evidence.heading.keys if ":" not in k or category(k) in QUALIFIERS | {"unit"}
    )
    if not cross:
        required = claim.keys
        coverage = len(required & evidence.keys) / len(required) if required else 1.0
        for unit in units:
            own = frozenset().union(*(r.keys for r in unit))
            found = own | heading_keys
            novel = required - found
            # The heading may name the subject, but the sentence itself says the rest.
            lent = len(required - own)
            if not novel and lent and (2 * lent > len(required) or len(required) < 4):
                continue
            if novel:
                if best_conflict is None and _swapped_qualifiers(novel, found):
                    best_conflict = Support(
                        "contradicted",
                        _quote(unit),
                        "the passage states it for another " + _categories(novel),
                    )
                continue
            problem = _check_unit(claim, unit, evidence.heading, tool_numbers, local=True)
            if problem is None and similarity is not None and not claim.numbers:
                # Without numbers to bind, words alone cannot order a claim ("pay to file"
                # from "the return that was filed ... paid"): its meaning must agree too.
                agreement = similarity(claim.text, _quote(unit))
                if agreement < same_threshold:
                    continue
            if problem is None:
                return Support("supported", _quote(unit), score=1.0)
            # Report the sentence closest to the claim: most shared words, then the shortest.
            closeness = len(required & found) - 0.5 * len(unit)
            if problem[0] and (best_conflict is None or closeness > best_conflict.score):
                best_conflict = Support("contradicted", _quote(unit), problem[1], closeness)
        if best_conflict is not None:
            return best_conflict
        if missing and coverage >= 0.5:
            return Support(
                "number-not-in-sources",
                detail=f"{', '.join(_show(t) for t in missing)} appears in no cited passage "
                "or tool result",
            )
        shown = ", ".join(sorted(k for k in required - evidence.keys if ":" not in k)[:4])
        return Support(
            "unsupported",
            detail=f"the cited passage does not state it (not in it: {shown or 'the claim'})",
        )
    assert similarity is not None
    if missing:
        return Support(
            "number-not-in-sources",
            detail=f"{', '.join(_show(t) for t in missing)} appears in no cited passage or "
            "tool result",
        )
    # Embedding is the cost: only units that pass (or contradict on) the checks are embedded.
    # Units of measure are compared through the numbers they follow ("12 años" is an age);
    # every other lexicon key (qualifiers, "only", "cost", "limit", "repay"...) must be there.
    marked = {k for k in claim.keys if ":" in k and category(k) != "unit"}
    judged: list[tuple[tuple[Reading, ...], tuple[bool, str] | None]] = []
    for unit in _candidates(claim, units):
        problem = _check_unit(
            claim, unit, evidence.heading, tool_numbers, local=False, known=evidence.keys
        )
        found = frozenset().union(*(r.keys for r in unit)) | heading_keys
        if problem is None and claim.acronyms - found:
            problem = (False, "")
        if problem is None and marked - found:
            swapped = _swapped_qualifiers(marked - found, found)
            problem = (swapped, "the passage states it for another " + _categories(marked - found))
        if problem is None or problem[0]:
            judged.append((unit, problem))
    scored = sorted(
        ((similarity(claim.text, _quote(unit)), unit, problem) for unit, problem in judged),
        key=lambda item: item[0],
        reverse=True,
    )
    # A claim anchored by numbers and by lexicon words that all bind (checked above) needs
    # a little less agreement: e5 scores an English sentence against its own translation
    # lower when the sentence is long, and the anchors already pin down what it says.
    anchors = [k for k in claim.keys if ":" in k and category(k) != "unit"]
    anchored = bool(claim.numbers) and len(anchors) >= 1
    needed = cross_threshold - (0.04 if anchored else 0.0)
    for score, unit, problem in scored:
        if problem is None and score >= needed:
            return Support("supported", _quote(unit), score=score)
        if problem is not None and score >= cross_threshold - 0.03 and best_conflict is None:
            best_conflict = Support("contradicted", _quote(unit), problem[1], score)
    if best_conflict is not None:
        return best_conflict
    if not scored:
        return Support(
            "unsupported", detail="no sentence of the cited passage has its numbers and qualifiers"
        )
    return Support(
        "unsupported",
        detail=f"no sentence of the cited passage agrees in meaning (best {scored[0][0]:.2f})",
        score=scored[0][0],
    )


def _word(value: str, clause: int, segment: int) -> Token:
    if value.startswith("hhsz") and len(value) > 4:
        size = "".join(str(_LETTERS.index(c)) for c in value[4:] if c in _LETTERS)
        return Token(f"size:{size}", clause=clause, segment=segment)
    if value in NEGATIONS:
        return Token("", clause=clause, segment=segment, negation=True, word=value)
    if value in NEGATED_WORDS:
        return Token(NEGATED_WORDS[value], clause=clause, segment=segment, negated=True)
    if value in WORDS:
        return Token(WORDS[value], clause=clause, segment=segment)
    if len(value) <= 1 or value in STOPWORDS or value in GENERIC or value in _SCALE_WORDS:
        return Token("", clause=clause, segment=segment)
    for prefix, key in PREFIXES:
        if value.startswith(prefix):
            return Token(key, clause=clause, segment=segment)
    return Token(_root(value), clause=clause, segment=segment)


_ENDINGS = ("ing", "ed", "es", "s", "e")


def _root(word: str) -> str:
    """Return a crude stem: common endings cut, then five letters ("renewed" is "renew")."""
    for ending in _ENDINGS:
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            word = word[: -len(ending)]
            break
    return word[:5]


def _clock(text: str) -> frozenset[Decimal]:
    digits = [int(d) for d in re.findall(r"\d+", text)]
    hours = digits[0]
    minutes = digits[1] if len(digits) > 1 else 0
    if "p" in text and hours < 12:
        hours += 12
    return frozenset({Decimal(hours) + (Decimal(minutes) / 60).quantize(Decimal("0.01"))})


def _attach_units(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for i, token in enumerate(tokens):
        if token.values:
            unit = ""
            following = next(
                (t for t in tokens[i + 1 : i + 3] if t.key or t.values or t.negation), None
            )
            # A currency sign before the number wins over a word after it: "$40 an hour".
            if i and tokens[i - 1].key in ("unit:dollar", "unit:euro"):
                unit = tokens[i - 1].key
            elif following is not None and category(following.key) == "unit":
                unit = following.key
            token = Token(
                token.key, token.values, unit, token.clause, token.segment, word=token.word
            )
        out.append(token)
    return out


def _units(sentences: Sequence[Reading]) -> list[tuple[Reading, ...]]:
    singles = [(s,) for s in sentences]
    pairs = list(itertools.pairwise(sentences))
    return [*singles, *pairs]


def _candidates(claim: Reading, units: Sequence[tuple[Reading, ...]]) -> list[tuple[Reading, ...]]:
    """Return at most four units worth embedding: they hold the claim's numbers and keys."""
    wanted = claim.keys
    values = [t.values for _, t in claim.numbers]

    def rank(unit: tuple[Reading, ...]) -> tuple[int, int, int]:
        numbers = frozenset(v for r in unit for t in r.tokens for v in t.values)
        keys = frozenset().union(*(r.keys for r in unit))
        return (sum(1 for v in values if v & numbers), len(wanted & keys), -len(unit))

    ranked = sorted(units, key=rank, reverse=True)
    return ranked[:4]


def _check_unit(
    claim: Reading,
    unit: tuple[Reading, ...],
    heading: Reading,
    tool_numbers: frozenset[Decimal],
    *,
    local: bool,
    known: frozenset[str] = frozenset(),
) -> tuple[bool, str] | None:
    """Return None when the unit states the claim, else (is it a contradiction, why)."""
    if len(unit) > 1 and not _clauses_fit(claim, unit, heading):
        return (False, "no one sentence states each part of it")
    counted = _qualifier_counts(claim)
    theirs = Counter(
        t.key for r in unit for t in r.tokens if category(t.key) in QUALIFIERS
    ) + _qualifier_counts(heading)
    for key, count in counted.items():
        if theirs[key] < count:
            other = any(category(k) == category(key) and k != key for k in theirs)
            return (other, f"the passage states it for another {category(key)}")
    for index, number in claim.numbers:
        if number.values & tool_numbers:
            continue
        occurrences = [
            (sentence, j)
            for sentence in unit
            for j, t in enumerate(sentence.tokens)
            if t.values & number.values
        ]
        if not occurrences:
            return (False, f"{_show(number)} is not in this sentence")
        reasons = [
            _binding(claim, index, sentence, j, heading, local, known)
            for sentence, j in occurrences
        ]
        if all(r is not None for r in reasons):
            conflict = next((r for r in reasons if r is not None and r[0]), None)
            return conflict or next(r for r in reasons if r is not None)
    return _polarity(claim, unit, local)


def _qualifier_counts(reading: Reading) -> Counter[str]:
    return Counter(t.key for t in reading.tokens if category(t.key) in QUALIFIERS)


def _clauses_fit(claim: Reading, unit: tuple[Reading, ...], heading: Reading) -> bool:
    """Return True when one sentence of the unit carries each clause of the claim.

    That sentence must hold the clause's numbers and qualifiers (what a fact turns on may
    not be recombined from two sentences) and at least half of its other words; the rest may
    come from the neighbour ("a FAFSA Submission Summary. The summary shows...").
    """
    marked: dict[int, set[str]] = {}
    plain: dict[int, set[str]] = {}
    for token in claim.tokens:
        if token.key:
            (plain if _plain(token.key) else marked).setdefault(token.clause, set()).add(token.key)
        for value in token.values:
            marked.setdefault(token.clause, set()).add(f"#{value}")
    own = [r.keys | {f"#{v}" for t in r.tokens for v in t.values} for r in unit]
    held = [keys | heading.keys for keys in own]
    previous: set[int] = set(range(len(held)))
    for clause in sorted(set(marked) | set(plain)):
        need, words = marked.get(clause, set()), plain.get(clause, set())
        # The heading may name the subject; the carrying sentence says at least half itself.
        carriers = {
            i for i, h in enumerate(held) if need <= h and 2 * len(words & own[i]) >= len(words)
        }
        # "reports their own information and their parents' information": a clause with no
        # number or qualifier of its own continues the one before, from the same sentence.
        if not need and clause != min(set(marked) | set(plain)):
            carriers = {i for i in previous if words <= held[i]}
        if not carriers:
            return False
        previous = carriers
    return True


def _binding(
    claim: Reading,
    index: int,
    sentence: Reading,
    j: int,
    heading: Reading,
    local: bool,
    known: frozenset[str],
) -> tuple[bool, str] | None:
    number = claim.tokens[index]
    found = sentence.tokens[j]
    if number.unit and found.unit and number.unit != found.unit:
        return (True, f"{_show(number)} is a number of {_label(found.unit)} in the passage")
    # "from 10:00 to 14:00" holds both ends of a range: opens/closes binds neither alone.
    ranged = sum(1 for t in claim.tokens if t.values and t.clause == number.clause) > 1
    wanted = _qualifiers(claim, index)
    own = _qualifiers(claim, index, wide=False)
    have = _qualifiers(sentence, j, heading)
    for cat, keys in wanted.items():
        if cat == "bound" and ranged:
            continue
        there = have.get(cat, frozenset())
        if keys <= there:
            continue
        if there and not keys & there:
            return (True, f"in the passage {_show(number)} is for another {cat}")
        if cat in own:  # a qualifier from another clause of the claim need only not clash
            return (False, f"the passage does not bind {_show(number)} to that {cat}")
    near = _near(claim, index)
    if not local:
        near &= known
    scope = _scope(sentence, j) | heading.keys
    missing = near - scope
    if missing:
        # "Books are lent for 21 days and DVDs for 7 days": the clause of 7 shares "DVDs"
        # with the claim's clause, and the verb comes from the sentence.
        mine = frozenset(t.key for t in claim.tokens if t.clause == number.clause and _plain(t.key))
        whole = frozenset(
            t.key for t in sentence.tokens if t.clause < found.clause and _plain(t.key)
        )
        if not (_scope(sentence, j) & mine and missing <= whole):
            return (True, f"in the passage {_show(number)} belongs to something else")
    return None


def _qualifiers(
    reading: Reading, index: int, heading: Reading | None = None, *, wide: bool = True
) -> dict[str, frozenset[str]]:
    clause = reading.tokens[index].clause
    found: dict[str, set[str]] = {}
    for token in reading.tokens:
        if token.clause == clause and category(token.key) in QUALIFIERS:
            found.setdefault(category(token.key), set()).add(token.key)
    # A month names the day number right next to it: "1 de marzo al 30 de abril".
    month = _nearest(reading, index, "month")
    if month:
        found["month"] = {month}
    # A qualifier elsewhere in the sentence binds too when the clause has none of its kind.
    for extra in (reading, heading) if wide else ():
        if extra is None:
            continue
        wider: dict[str, set[str]] = {}
        for token in extra.tokens:
            cat = category(token.key)
            if cat in QUALIFIERS and cat not in found:
                wider.setdefault(cat, set()).add(token.key)
        found.update(wider)
    return {cat: frozenset(keys) for cat, keys in found.items()}


def _nearest(reading: Reading, index: int, cat: str, reach: int = 3) -> str:
    tokens = reading.tokens
    for distance in range(1, reach + 1):
        for k in (index + distance, index - distance):
            if 0 <= k < len(tokens) and category(tokens[k].key) == cat:
                return tokens[k].key
            if 0 <= k < len(tokens) and tokens[k].values and distance > 1:
                break
    return ""


def _plain(key: str) -> bool:
    return bool(key) and category(key) not in _MARKED


def _near(reading: Reading, index: int, reach: int = 2) -> frozenset[str]:
    clause = reading.tokens[index].clause
    before = [t.key for t in reading.tokens[:index] if t.clause == clause and _plain(t.key)]
    after = [t.key for t in reading.tokens[index + 1 :] if t.clause == clause and _plain(t.key)]
    return frozenset(before[-reach:] + after[:reach])


def _scope(reading: Reading, index: int) -> frozenset[str]:
    clause = reading.tokens[index].clause
    keys = frozenset(t.key for t in reading.tokens if t.clause == clause and _plain(t.key))
    return keys or frozenset(t.key for t in reading.tokens if _plain(t.key))


def _segments(reading: Reading) -> list[tuple[frozenset[str], bool]]:
    grouped: dict[int, list[Token]] = {}
    for token in reading.tokens:
        grouped.setdefault(token.segment, []).append(token)
    out: list[tuple[frozenset[str], bool]] = []
    for tokens in grouped.values():
        keys = frozenset(t.key for t in tokens if t.key)
        cues = [t.word for t in tokens if t.negation]
        heads = [c for c in cues if c in _CONCORD]
        count = len(cues) - sum(
            1 for c in cues if any(c in _CONCORD[h] for h in heads) and c not in _CONCORD
        )
        count += sum(t.negated for t in tokens)
        out.append((keys, count % 2 == 1))
    return out


_POLAR = frozenset(NEGATED_WORDS.values())


def _polarity(
    claim: Reading, unit: tuple[Reading, ...], local: bool = True
) -> tuple[bool, str] | None:
    theirs = [segment for sentence in unit for segment in _segments(sentence)]
    mine = _segments(claim)
    if not local and max((len(k & m) for k, _ in theirs for m, _ in mine), default=0) < 2:
        # Across languages few words are shared: compare the sentences' polarity whole.
        if sum(n for _, n in mine) % 2 != sum(n for _, n in theirs) % 2:
            return (True, "the sentence and the passage differ in negation")
        return None
    for keys, negative in mine:
        if not keys:
            continue
        why = (
            "the sentence negates what the passage states"
            if negative
            else ("the passage states the opposite")
        )
        overlap = [len(keys & k) for k, _ in theirs]
        best = max(overlap, default=0)
        if best == 0:
            if negative and not any(n for _, n in theirs):
                return (True, why)
            continue
        if not any(n == negative for (_, n), o in zip(theirs, overlap, strict=True) if o == best):
            return (True, why)
        # "free", "closed", "unlimited": the stretch that holds such a word decides the polarity.
        for key in keys & _POLAR:
            holding = [n for k, n in theirs if key in k]
            if holding and negative not in holding:
                return (True, why)
        # A stretch of the passage that the claim restates whole must keep its polarity too.
        for (their_keys, their_negative), o in zip(theirs, overlap, strict=True):
            restated = their_keys and o >= 2 and o * 3 >= len(their_keys) * 2
            if restated and their_negative != negative:
                return (True, why)
    return None


def _swapped_qualifiers(novel: frozenset[str] | set[str], found: frozenset[str]) -> bool:
    """Return True when every unmatched key is a qualifier the unit has another value of."""
    cats = {category(k) for k in found}
    return bool(novel) and all(category(k) in QUALIFIERS and category(k) in cats for k in novel)


def _categories(keys: frozenset[str] | set[str]) -> str:
    return " or ".join(sorted({category(k) for k in keys}))


def _label(unit: str) -> str:
    return unit.partition(":")[2]


def _show(token: Token) -> str:
    word = token.word
    if len(word) == 8 and word.isdigit():  # a whole date added by _dates
        return f"{word[:4]}-{word[4:6]}-{word[6:]}"
    return word or format(min(token.values).normalize(), "f")


def _quote(unit: tuple[Reading, ...]) -> str:
    return " ".join(r.text for r in unit)
