"""The language module: folding, detection, base codes and stop words in en, es, fr, de."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

import civicllm.language
from civicllm.language import (
    ALL_STOP_WORDS,
    STOP_WORDS,
    SUPPORTED_LANGUAGES,
    base_language,
    detect_language,
    fold,
)


def test_public_api_is_listed() -> None:
    assert sorted(civicllm.language.__all__) == [
        "ALL_STOP_WORDS",
        "STOP_WORDS",
        "SUPPORTED_LANGUAGES",
        "base_language",
        "detect_language",
        "fold",
    ]
    assert SUPPORTED_LANGUAGES == ("en", "es", "fr", "de")


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(civicllm.language)
    assert result.attempted >= 3 and result.failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Élève à l'école, garçon", "eleve a l'ecole, garcon"),
        ("Año, niño, ¿cuánto?", "ano, nino, ¿cuanto?"),
        ("Größe, Übung", "grosse, ubung"),
        ("Straße", "strasse"),
        ("STRAẞE", "strasse"),  # capital sharp s
        ("don’t, l’aide, ‘quoted’", "don't, l'aide, 'quoted'"),
        ("ﬁnancial aid", "financial aid"),  # ligature
        ("𝐈𝐆𝐍𝐎𝐑𝐄 ℍere", "ignore here"),  # compatibility capitals end in lower case
        ("e\u0301te\u0301", "ete"),  # already decomposed accents
        ("FAFSA 2026-27: $7,395", "fafsa 2026-27: $7,395"),
    ],
)
def test_fold_removes_case_accents_and_typographic_apostrophes(text: str, expected: str) -> None:
    assert fold(text) == expected


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_leaves_no_combining_marks_or_capitals(text: str) -> None:
    folded = fold(text)
    assert folded == folded.casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is the FAFSA?", "en"),
        ("How much can I borrow?", "en"),
        ("Do I have to pay the Pell Grant back?", "en"),
        ("¿Qué es la FAFSA?", "es"),
        ("¿Cuánto dinero puedo recibir?", "es"),
        ("¿Estar bajo tutela legal me hace independiente?", "es"),
        ("Normalmente no hay que devolver la beca Pell.", "es"),
        ("Qu'est-ce que le Federal Work-Study ?", "fr"),
        ("Faut-il rembourser la bourse Pell ?", "fr"),
        ("La FAFSA n'est pas gratuite.", "fr"),
        ("Un SAI négatif veut-il dire que le gouvernement me paie ?", "fr"),
        ("Was ist die FAFSA?", "de"),
        ("Wie viel kann ich leihen?", "de"),
        ("Muss ich den Pell Grant zurückzahlen?", "de"),
    ],
)
def test_detect_language_of_short_sentences(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    # The default only decides when the text does not.
    for default in SUPPORTED_LANGUAGES:
        assert detect_language(text, default=default) == expected


@pytest.mark.parametrize("text", ["FAFSA?", "Pell Grant", "", "2026-27", "la de"])
def test_detect_language_without_a_clear_signal_gives_the_default(text: str) -> None:
    # "la de" is as Spanish as it is French: a tie is not a signal.
    assert detect_language(text) == "en"
    assert detect_language(text, default="de") == "de"
    assert detect_language(text, default="es-MX") == "es"
    assert detect_language(text, default="pt") == "en"


def test_detect_language_reads_accents_as_half_a_word() -> None:
    assert detect_language("Größe") == "de"  # ö and ß
    assert detect_language("¿Señal?") == "es"  # ¿ and ñ
    assert detect_language("Ça coûte") == "fr"  # ç and û
    # One letter is not enough for the stop-word count; the n-gram model then reads it.
    assert detect_language("señal", default="de") == "es"


def test_detect_language_of_a_document_reads_its_beginning() -> None:
    german = "Die Frist ist der 30. Juni und der Antrag ist kostenlos. " * 400
    assert len(german) > 20_000
    assert detect_language(german + "The deadline is in June and it is free. " * 2000) == "de"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("es-MX", "es"),
        ("fr_CA", "fr"),
        ("DE-at", "de"),
        (" es ", "es"),
        ("pt-BR", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_base_language(code: str | None, expected: str) -> None:
    assert base_language(code) == expected


def test_stop_words_are_folded_and_cover_every_language() -> None:
    assert set(STOP_WORDS) == set(SUPPORTED_LANGUAGES)
    assert frozenset().union(*STOP_WORDS.values()) == ALL_STOP_WORDS
    for words in STOP_WORDS.values():
        assert all(fold(w) == w and w.strip() == w and w for w in words)
    # Each language has words of its own, or detection could never tell them apart.
    for language, words in STOP_WORDS.items():
        others = frozenset().union(*(w for k, w in STOP_WORDS.items() if k != language))
        assert len(words - others) >= 20, language
    assert {"the", "que", "est", "nicht", "fur", "ou"} <= ALL_STOP_WORDS
    assert "fafsa" not in ALL_STOP_WORDS


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # No stop word, or a tie: the n-gram model decides.
        ("Was bedeutet sicher verwaltetes Trinkwasser?", "de"),
        ("Qué significa agua gestionada de forma segura?", "es"),
        ("Que signifie eau potable gérée en toute sécurité ?", "fr"),
        ("Stromzugang Kenia Entwicklung", "de"),
    ],
)
def test_sentences_the_stop_words_leave_unsure_are_read_by_the_model(
    text: str, language: str
) -> None:
    assert civicllm.language.detect_language(text, default="en") == language


@pytest.mark.parametrize("text", ["FAFSA?", "Pell Grant", "12345", ""])
def test_a_word_or_two_with_no_signal_gets_the_default(text: str) -> None:
    assert civicllm.language.detect_language(text, default="es") == "es"
