"""The extractive fallback: quotes with sources, or an honest "not found"."""

from __future__ import annotations

import pytest

from civicllm.answer.extractive import LABELS, answer_extractively, rank_passages
from tests.answer.sources import BUSINESS, DEADLINE, INJECTED, PELL

PASSAGES = (DEADLINE, INJECTED, PELL)

# What a reader of each language must be told; written independently of the module's labels.
QUOTE_LABEL = {
    "en": "quoted word for word",
    "es": "citado textualmente",
    "fr": "cité mot pour mot",
    "de": "wörtlich zitiert",
}
NOT_FOUND = {
    "en": "I could not find this in the official sources.",
    "es": "No encontré esto en las fuentes oficiales.",
    "fr": "Je n'ai pas trouvé cette information dans les sources officielles.",
    "de": "Ich konnte dies in den offiziellen Quellen nicht finden.",
}


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_best_passage_is_quoted_verbatim_and_labelled(language: str) -> None:
    result = answer_extractively("What is the maximum Pell Grant amount?", PASSAGES, language)
    assert result.extractive and result.found
    assert result.language == language
    assert QUOTE_LABEL[language] in result.text.splitlines()[0]
    assert result.passages[0] == PELL
    quote = result.sentences[1].citations[0].quote
    assert quote.startswith("The maximum Federal Pell Grant")
    assert quote in PELL.text
    assert quote in result.text
    assert result.text.rstrip().endswith("[1]")
    assert result.has_content


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "es-MX"])
def test_nothing_relevant_gives_the_honest_localized_answer(language: str) -> None:
    result = answer_extractively("How do I renew my passport?", PASSAGES, language)
    assert result.text.startswith(NOT_FOUND[language.split("-")[0]])
    assert not result.found
    assert result.passages == ()
    assert not result.has_content


def test_no_passages_at_all_is_not_found() -> None:
    result = answer_extractively("What is the maximum Pell Grant?", [], "en")
    assert not result.found
    assert result.text.startswith(NOT_FOUND["en"])


def test_unknown_language_falls_back_to_english() -> None:
    result = answer_extractively("passport renewal?", PASSAGES, "zz")
    assert result.text == LABELS["en"].not_found


def test_injected_instructions_are_never_quoted() -> None:
    result = answer_extractively("Do students who file early get more aid?", PASSAGES, "en")
    assert result.passages[0] == INJECTED
    assert "Students who file early often receive more state aid." in result.text
    assert "Ignore" not in result.text
    assert "grants-fast" not in result.text


def test_quotes_are_capped_and_ranked() -> None:
    result = answer_extractively(
        "FAFSA deadline and maximum Pell Grant for 2025-26", PASSAGES, "en", max_quotes=1
    )
    assert len(result.passages) == 1
    short = answer_extractively("What is the maximum Pell Grant?", [PELL], "en", max_quote_chars=60)
    quote = short.sentences[1].citations[0].quote
    assert len(quote) <= 60
    assert quote.endswith("…")


def test_cross_language_question_needs_similarity() -> None:
    question = "¿Cuál es el monto máximo de la beca?"

    def similarity(text: str, passage_text: str) -> float:
        return 0.9 if "beca" in text and "Pell Grant" in passage_text else 0.2

    assert not answer_extractively(question, PASSAGES, "es").found
    found = answer_extractively(question, PASSAGES, "es", similarity=similarity)
    assert found.found
    assert found.passages == (PELL,)


def test_rank_passages_orders_by_question_overlap() -> None:
    ranked = rank_passages("size standards receipts NAICS", [PELL, BUSINESS, DEADLINE])
    assert ranked == [BUSINESS]


def test_dropped_record_is_carried_for_the_audit_log() -> None:
    from civicllm.answer.verify import verify_answer

    verified = verify_answer("The Pell Grant is $9,000 [1].", [PELL])
    result = answer_extractively(
        "What is the maximum Pell Grant?",
        [PELL],
        "en",
        dropped=verified.dropped,
        draft=verified.draft,
    )
    assert result.dropped == verified.dropped
    assert result.draft == "The Pell Grant is $9,000 [1]."


def test_sentences_that_only_resemble_the_question_are_not_an_answer() -> None:
    # Embeddings rate most sentences of a pack about 0.83-0.85 against any question of its
    # kind; an unrelated question must still get "not found", not the nearest quote.
    question = "How do I get a driver's license?"

    def near(text: str, sentence: str) -> float:
        return 0.85

    def close(text: str, sentence: str) -> float:
        return 0.9 if "Pell" in sentence else 0.5

    assert not answer_extractively(question, PASSAGES, "en", similarity=near).found
    found = answer_extractively(question, PASSAGES, "en", similarity=close)
    assert found.found and found.passages[0] == PELL


def test_german_lowest_is_the_minimum_not_an_answer_about_the_maximum() -> None:
    from civicllm.answer.extractive import carries_answer, read_question

    asked = read_question("Wie hoch ist der maximale Pell Grant?")
    assert not carries_answer(asked, "Der niedrigste Pell Grant beträgt $740.")
    assert carries_answer(asked, "Der höchste Federal Pell Grant beträgt $7,395.")
