"""verify_text's parts: sentence spans over the original text, and reasons as the API names them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicllm.answer import check_text
from civicllm.answer import verify as verifier
from civicllm.answer.check_text import judge_claim, split_spans
from civicllm.answer.verify import DroppedSentence, VerifiedAnswer
from civicllm.retrieval.passage import Passage

FREE = Passage(
    id="p:1",
    pack="p",
    document="en/fafsa-basics.md",
    title="FAFSA basics",
    section="What the FAFSA is",
    text="The FAFSA is free. It asks about income.",
    source_url="https://studentaid.gov/fafsa",
)


def assert_covers(text: str, spans: list[tuple[int, int]]) -> None:
    pos = 0
    for start, end in spans:
        assert pos <= start < end <= len(text)
        assert text[pos:start].strip() == ""
        assert text[start:end] == text[start:end].strip()
        pos = end
    assert text[pos:].strip() == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One is here. Two is there.", ["One is here.", "Two is there."]),
        ("  Lead space.\n\nNext paragraph!  ", ["Lead space.", "Next paragraph!"]),
        ("- First item.\n- Second item.", ["- First item.", "- Second item."]),
        ("It costs 7.395 dollars. Done.", ["It costs 7.395 dollars.", "Done."]),
        ("The grant [1]. Then more [2, 3].", ["The grant [1].", "Then more [2, 3]."]),
        ("¿Es gratis? 🎓 Sí, es gratis.", ["¿Es gratis?", "🎓 Sí, es gratis."]),
        ("no end mark", ["no end mark"]),
        ("- ", ["-"]),
        (
            "The FAFSA is free: no\none may charge you. Yes.",
            ["The FAFSA is free: no\none may charge you.", "Yes."],
        ),
        (
            "# Heading\nBody text.\n1. Item\n   wraps on.",
            ["# Heading", "Body text.", "1. Item\n   wraps on."],
        ),
        ("Windows line\r\nwraps too.", ["Windows line\r\nwraps too."]),
    ],
)
def test_spans_are_the_verifiers_sentences_in_the_original_text(
    text: str, expected: list[str]
) -> None:
    spans = split_spans(text)
    assert [text[s:e] for s, e in spans] == expected
    assert_covers(text, spans)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_spans_cover_any_text_in_order(text: str) -> None:
    assert_covers(text, split_spans(text))


def dropped_as(
    text: str, reason: str, detail: str, evidence: Passage | None = None, quote: str = ""
) -> DroppedSentence:
    """Return a dropped sentence; ``reason`` may be a code the verifier adds later."""
    return DroppedSentence(text, reason, detail, evidence, quote)  # type: ignore[arg-type]


def fake_verifier(*verdicts: Any) -> Any:
    """Return a verify_answer that answers the given dropped sentences, one per call."""
    calls: list[tuple[str, dict[str, Any]]] = []
    queue = list(verdicts)

    def verify_answer(answer: str, passages: Any, *args: Any, **kwargs: Any) -> VerifiedAnswer:
        calls.append((answer, kwargs))
        dropped = queue.pop(0)
        return VerifiedAnswer(text="", sentences=(), passages=(), dropped=(dropped,))

    verify_answer.calls = calls  # type: ignore[attr-defined]
    return verify_answer


def test_contradicted_cites_the_passage_that_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = fake_verifier(
        dropped_as("x", "contradicted", "says free", evidence=FREE, quote="The FAFSA is free.")
    )
    monkeypatch.setattr(verifier, "verify_answer", fake)
    reason, supported, citations, _ = judge_claim("You must pay.", [FREE], None, "en")
    assert (reason, supported) == ("contradicted", False)
    [citation] = citations
    assert citation.passage == FREE and citation.quote == "The FAFSA is free."
    assert citation.to_dict()["url"] == "https://studentaid.gov/fafsa"
    assert fake.calls[0][1]["attribute_uncited"] is True


def test_why_unsupported_is_asked_with_every_passage_cited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = fake_verifier(
        dropped_as("x", "no-citation", "no passage"),
        dropped_as("x", "number-not-in-sources", "9 is in no passage", evidence=FREE),
    )
    monkeypatch.setattr(verifier, "verify_answer", fake)
    reason, supported, citations, _ = judge_claim("It costs 9.", [FREE, FREE], None, "en")
    assert (reason, supported, citations) == ("number-mismatch", False, ())
    probe, kwargs = fake.calls[1]
    assert probe == "It costs 9. [1, 2]" and not kwargs.get("attribute_uncited")


@pytest.mark.parametrize(
    ("first", "probe", "expected"),
    [
        ("no-citation", "unsupported", "unsupported"),
        ("no-citation", "citation-not-retrieved", "unsupported"),
        ("unsupported", "unsupported", "unsupported"),
        ("number-not-in-sources", None, "number-mismatch"),
        ("no-citation", "wrong-year", "wrong-year"),
        ("no-citation", "Not A Code", "unsupported"),
    ],
)
def test_reasons_are_lowercase_hyphen_codes(
    monkeypatch: pytest.MonkeyPatch, first: str, probe: str | None, expected: str
) -> None:
    verdicts = [dropped_as("x", first, "")]
    if probe is not None:
        verdicts.append(dropped_as("x", probe, ""))
    monkeypatch.setattr(verifier, "verify_answer", fake_verifier(*verdicts))
    reason, supported, citations, _ = judge_claim("A claim.", [FREE], None, "en")
    assert (reason, supported, citations) == (expected, False, ())


def test_a_greeting_is_not_supported(monkeypatch: pytest.MonkeyPatch) -> None:
    reason, supported, _, _ = judge_claim("Hello!", [FREE], None, "en")
    assert (reason, supported) == ("no-claim", False)
    assert check_text.REASONS["number-not-in-sources"] == "number-mismatch"


ONE_LINE = Passage(
    id="p:2",
    pack="p",
    document="en/fafsa-basics.md",
    title="FAFSA basics",
    section="What the FAFSA is",
    text="The FAFSA is free: no one may charge you a fee to file it. It asks about income.",
    source_url="https://studentaid.gov/fafsa",
)


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        ("The FAFSA is free.", "supported"),
        ("The FAFSA is not free.", "contradicted"),
        ("You must pay a fee to file the FAFSA.", "contradicted"),
    ],
)
def test_the_real_verifier_cites_what_supports_or_contradicts(claim: str, reason: str) -> None:
    found, supported, citations, _ = judge_claim(claim, [ONE_LINE], None, "en")
    assert (found, supported) == (reason, reason == "supported")
    [citation] = citations
    assert citation.passage == ONE_LINE
    assert citation.quote == "The FAFSA is free: no one may charge you a fee to file it."
