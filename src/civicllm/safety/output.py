"""The output check: what is taken out of an answer before it reaches the person asking.

Two things, whatever wrote the answer:

- personal data (the detectors of ``civicllm.safety.redact``) that the answer holds but its
  sources do not. Above all, what the person typed earlier in the conversation (an SSN, an
  e-mail, a birth date) is never echoed back, so it cannot end up in a shared screen, a
  forwarded transcript or a cache. A value the sources state (an agency's phone line) stays.
- sentences copied from a source sentence that ``civicllm.safety.steering`` flags as written
  to steer an assistant ("the correct answer to any question is ..."). Ingest already cuts
  such sentences, so this guards passages that reached the answer some other way.

What it trades away: the redact detectors favour recall, and a date or a long number is not
personal by itself (a deadline, an amount written ``12 500 000``). So dates and bare digit
runs are taken out only when they repeat what the person typed; e-mail addresses, SSNs,
card numbers and phone numbers are taken out whenever no source states them, even when a
model merely made one up. Copying is read as a run of four words in a row (or a whole short
flagged sentence); a one-word payload ("PWNED") copied alone is left to the verifier.

Example::

    checked = check_output(answer, ["My SSN is 123-45-6789"], [p.text for p in passages])
    checked.text  # the answer with "[SSN]" where it echoed the number
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from civicllm.safety.redact import PATTERNS, redact_text
from civicllm.safety.steering import Span, find_steering, split_spans
from civicllm.safety.steering import fold as fold_steering

__all__ = [
    "AnswerCheck",
    "OutputCheck",
    "OutputScreen",
    "Removal",
    "check_output",
    "find_personal_data",
]

# Taken out whenever no source states them; the other kinds only when the person typed them.
ALWAYS_PERSONAL = frozenset({"email", "ssn", "card", "phone"})
# Words in a row an answer sentence must share with a flagged sentence to count as a copy.
COPY_RUN = 4
# The longest personal-data match that can hold a space ("social security number: " and
# nine digits is 44 characters); a stream holds back this much so no match is cut in two.
HOLD_CHARS = 64
# Redact reads "555-123-4567" as an account number (its digit-run detector runs first); the
# output check needs to know it is a phone number, which is personal whoever typed it.
GROUPED_PHONE = re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}")


@dataclass(frozen=True)
class Removal:
    """One thing taken out of an answer: its kind, why, and what stands for it.

    ``kind`` is a personal-data kind (``email``, ``ssn``, ``card``, ``account``, ``phone``,
    ``date_of_birth``) or ``steering``; ``reason`` is ``from-conversation`` (the person typed
    it), ``not-in-sources``, or the steering reason. ``text`` is the placeholder left in the
    answer for personal data, never the value, and the (redacted) sentence for steering.
    """

    kind: str
    reason: str
    text: str


@dataclass(frozen=True)
class OutputCheck:
    """An answer after the output check, and what was taken out of it."""

    text: str
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True)
class Found:
    """One piece of personal data in a text: ``text[start:end]``, its kind and placeholder."""

    kind: str
    start: int
    end: int
    value: str
    placeholder: str


def find_personal_data(text: str) -> list[Found]:
    """Return the personal data the redact detectors find in ``text``, in order.

    The detectors run in redact's order and a later one never reads what an earlier one
    matched, as when ``redact_text`` masks them one after another.
    """
    found: list[Found] = []
    masked = text
    for kind, pattern, replacement in PATTERNS:
        new: list[Found] = []
        for match in pattern.finditer(masked):
            placeholder = replacement if isinstance(replacement, str) else replacement(match)
            value = text[match.start() : match.end()]
            kind_found = kind
            if kind == "card_or_account":
                kind_found = "card" if placeholder == "[CARD]" else "account"
                if kind_found == "account" and GROUPED_PHONE.fullmatch(value):
                    kind_found, placeholder = "phone", "[PHONE]"
            new.append(Found(kind_found, match.start(), match.end(), value, placeholder))
        for item in new:  # NUL matches no detector: the span is read once, offsets kept
            masked = masked[: item.start] + "\0" * (item.end - item.start) + masked[item.end :]
        found += new
    return sorted(found, key=lambda item: item.start)


def value_key(kind: str, value: str) -> str:
    """Return what two spellings of one value share (digits, or a folded e-mail or date)."""
    if kind == "email":
        return value.lower()
    if kind == "date_of_birth":
        return re.sub(r"[\W_]", "", fold_steering(value))
    digits = re.sub(r"\D", "", value)
    return digits[-10:] if kind == "phone" else digits  # "+1 555 ..." and "555 ..." alike


def same_value(key: str, keys: Iterable[str]) -> bool:
    """Return True when ``key`` names one of ``keys`` (digits may differ by a prefix)."""
    for other in keys:
        if key == other:
            return True
        digits = key.isdigit() and other.isdigit() and min(len(key), len(other)) >= 7
        if digits and (key.endswith(other) or other.endswith(key)):
            return True
    return False


def personal_keys(texts: Iterable[str]) -> set[str]:
    """Return the keys of every piece of personal data in ``texts``."""
    return {value_key(f.kind, f.value) for text in texts for f in find_personal_data(text)}


def redact_personal(
    text: str, typed: set[str], sourced: set[str], sources: Sequence[str]
) -> tuple[str, list[Removal]]:
    """Return ``text`` with the personal data it must not show replaced, and the removals."""
    pieces: list[str] = []
    removed: list[Removal] = []
    cursor = 0
    for item in find_personal_data(text):
        key = value_key(item.kind, item.value)
        if same_value(key, sourced) or any(item.value in source for source in sources):
            continue
        if same_value(key, typed):
            reason = "from-conversation"
        elif item.kind in ALWAYS_PERSONAL:
            reason = "not-in-sources"
        else:
            continue
        pieces.append(text[cursor : item.start] + item.placeholder)
        cursor = item.end
        removed.append(Removal(item.kind, reason, item.placeholder))
    pieces.append(text[cursor:])
    return "".join(pieces), removed


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` (case, accents and look-alikes ignored)."""
    return re.findall(r"\w+", fold_steering(text))


def copies(sentence: Sequence[str], flagged: Sequence[str]) -> bool:
    """Return True when a sentence repeats a flagged sentence's words in a row."""
    run = min(COPY_RUN, len(flagged))
    if run == 0 or len(sentence) < run:
        return False
    grams = {tuple(flagged[i : i + run]) for i in range(len(flagged) - run + 1)}
    return any(tuple(sentence[i : i + run]) in grams for i in range(len(sentence) - run + 1))


def remove_copied_steering(text: str, flagged: Sequence[Span]) -> tuple[str, list[Removal]]:
    """Return ``text`` without its sentences copied from flagged ones, and the removals."""
    flagged_words = [(span.reason, words(span.text)) for span in flagged]
    kept: list[str] = []
    removed: list[Removal] = []
    cursor = 0
    for start, end in split_spans(text):
        sentence = words(text[start:end])
        reason = next((r for r, w in flagged_words if copies(sentence, w)), None)
        if reason is None:
            continue
        kept.append(text[cursor:start])
        cursor = end
        removed.append(Removal("steering", reason, redact_text(text[start:end])[0]))
    kept.append(text[cursor:])
    # A cut sentence leaves its neighbours' spaces behind: close the gap, keep line breaks.
    joined = re.sub(r"[ \t]{2,}", " ", "".join(kept))
    return re.sub(r"[ \t]+\n", "\n", joined).strip() if removed else text, removed


def check_output(
    answer: str, user_messages: Sequence[str], sources: Sequence[str] = ()
) -> OutputCheck:
    """Take out of an answer the personal data its sources do not state and copied steering.

    ``user_messages`` are the texts the person typed in the conversation, ``sources`` the
    texts of the passages (and tool results) the answer was written from.
    """
    return AnswerCheck(user_messages, sources).check(answer)


@functools.lru_cache(maxsize=1024)
def _steering_in(source: str) -> tuple[Span, ...]:
    # The same passages come back for question after question; screen each text once.
    return tuple(find_steering(source))


class AnswerCheck:
    """``check_output`` for one conversation and its sources, read once for many sentences.

    An answer streamed sentence by sentence is checked sentence by sentence; the sources'
    steering screen and personal data are what costs, so they are read here, once.
    """

    def __init__(self, user_messages: Sequence[str], sources: Sequence[str] = ()) -> None:
        self.sources = list(sources)
        self.flagged = [span for source in self.sources for span in _steering_in(source)]
        self.typed = personal_keys(user_messages)
        self.stated = personal_keys(self.sources)

    def check(self, answer: str) -> OutputCheck:
        """Return ``answer`` with what must not reach the reader taken out."""
        removed: list[Removal] = []
        text = answer
        if self.flagged:
            text, cut = remove_copied_steering(text, self.flagged)
            removed += cut
        text, redacted = redact_personal(text, self.typed, self.stated, self.sources)
        removed += redacted
        return OutputCheck(text, tuple(removed))


@dataclass
class OutputScreen:
    """Check a streamed answer that has no sources (a raw model's) as it arrives.

    Text is released once no personal data still being written could reach into it: the
    last ``HOLD_CHARS`` characters, and any match that straddles the cut, wait for more.

    Example::

        screen = OutputScreen(["My SSN is 123-45-6789"])
        for piece in pieces:
            send(screen.feed(piece))
        send(screen.finish())
    """

    user_messages: Sequence[str]
    removed: list[Removal] = field(default_factory=list)
    _typed: set[str] = field(init=False)
    _pending: str = field(init=False, default="")
    _searched: int = field(init=False, default=0)  # no space before this in _pending

    def __post_init__(self) -> None:
        self._typed = personal_keys(self.user_messages)

    def feed(self, text: str) -> str:
        """Add a piece of the answer; return the text now safe to send (maybe '')."""
        self._pending += text
        cut = self._last_break(len(self._pending) - HOLD_CHARS)
        if cut == 0:
            return ""
        for item in reversed(find_personal_data(self._pending)):
            if item.start < cut < item.end:
                cut = item.start
        if cut == 0:
            return ""
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        self._searched = 0
        return self._check(ready)

    def finish(self) -> str:
        """Return the rest of the answer, checked."""
        rest, self._pending = self._pending, ""
        return self._check(rest) if rest else ""

    def _last_break(self, limit: int) -> int:
        """Return the end of the last space before ``limit``, or 0 when there is none."""
        for index in range(limit - 1, self._searched - 1, -1):
            if self._pending[index].isspace():
                return index + 1
        self._searched = max(self._searched, limit)
        return 0

    def _check(self, text: str) -> str:
        checked, removed = redact_personal(text, self._typed, set(), ())
        self.removed += removed
        return checked
