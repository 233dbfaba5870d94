"""The naics-search view in four languages, and the route from a question to a search."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from civicllm.answer.tool_route import numbers_in, stated_numbers
from civicllm.tools.small_business.naics import run_naics_search
from civicllm.tools.small_business.naics_route import route_naics
from civicllm.tools.small_business.naics_view import format_limit, view_naics

LANGUAGES = ("en", "es", "fr", "de")


@pytest.fixture(scope="module")
def naics_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("naics-view-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, naics_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CIVICLLM_HOME", str(naics_home))
    yield


@pytest.mark.parametrize(
    ("language", "words", "money"),
    [
        ("en", "small if", "$41.5 million"),
        ("es", "es pequeña si", "41,5 millones de dólares"),
        ("fr", "petite entreprise si", "41,5 millions de dollars"),
        ("de", "klein, wenn", "41,5 Mio. US-Dollar"),
    ],
)
def test_one_sentence_per_result_in_the_language(language: str, words: str, money: str) -> None:
    request = {"query": "311812", "limit": 3}
    result = run_naics_search(request)
    view = view_naics(result, language)
    assert len(view.sentences) == 3
    assert view.sentences[0].startswith("311812 Commercial Bakeries")
    assert all(words in s for s in view.sentences)
    assert format_limit("receipts", 41_500_000, language) == money
    # Every number a sentence states is one the answer checker accepts.
    allowed = stated_numbers(result, request, view)
    for sentence in view.sentences:
        for number in numbers_in(sentence, language):
            assert abs(number) in allowed, (sentence, number)


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_of_every_kind_of_standard_are_accepted(language: str) -> None:
    for query in ("military aircraft engineering", "bank", "aircraft engine manufacturing"):
        request = {"query": query, "limit": 5}
        result = run_naics_search(request)
        view = view_naics(result, language)
        allowed = stated_numbers(result, request, view)
        for sentence in view.sentences:
            for number in numbers_in(sentence, language):
                assert abs(number) in allowed, (sentence, number)


def test_the_table_lists_codes_titles_and_limits_as_numbers() -> None:
    result = run_naics_search({"query": "541330", "limit": 2})
    table = view_naics(result, "en").tables[0]
    assert table.columns[0] == "NAICS code"
    assert table.rows[0][:2] == ("541330", "Engineering Services")
    assert table.rows[0][3] == Decimal("25.5") and table.rows[0][4] is None
    assert [row[0] for row in table.rows[1:4]] == ["541330 (1)", "541330 (2)", "541330 (3)"]
    assert len({view_naics(result, lang).tables[0].columns for lang in LANGUAGES}) == 4


def test_a_matched_exception_gets_its_own_sentence() -> None:
    result = run_naics_search({"query": "military aircraft engineering", "limit": 1})
    sentences = view_naics(result, "de").sentences
    assert sentences[1].startswith("Ausnahme 1 von 541330")
    assert "47 Mio. US-Dollar" in sentences[1]


def test_employee_counts_are_grouped_as_each_language_writes_them() -> None:
    assert format_limit("employees", 1500, "en") == "1,500"
    assert format_limit("employees", 1500, "es") == "1500"
    assert format_limit("employees", 1500, "fr") == "1\u202f500"
    assert format_limit("employees", 1500, "de") == "1.500"
    assert format_limit("assets", 850_000_000, "en") == "$850 million"
    assert format_limit("receipts", 2_250_000, "fr") == "2,25 millions de dollars"


def test_sources_and_titles() -> None:
    result = run_naics_search({"query": "Blumenladen", "limit": 2})
    view = view_naics(result, "de")
    assert view.title == "NAICS-Codes für „Blumenladen“"
    assert [s.url for s in view.sources] == [
        "https://www.census.gov/naics/",
        "https://www.sba.gov/document/support-table-size-standards",
    ]
    assert view.sources[1].release == "2023-03-17"
    assert view_naics(result, "fr").title == "Codes NAICS pour « Blumenladen »"


def test_a_code_without_a_standard_is_said_in_the_language() -> None:
    result = run_naics_search({"query": "921110"})
    assert view_naics(result, "es").notes[0].startswith("921110 no tiene norma de tamaño")
    assert "921110" in view_naics(result, "en").sentences[0]


@pytest.mark.parametrize(
    ("question", "language", "query"),
    [
        ("What is the NAICS code for a bakery?", "en", "bakery"),
        ("¿Qué código NAICS tiene un fontanero?", "es", "fontanero"),
        ("Quel est le code NAICS d'un plombier ?", "fr", "plombier"),
        ("Welcher NAICS-Code passt zu einer Bäckerei?", "de", "Bäckerei"),
        ("What is the size standard for plumbers?", "en", "plumbers"),
        ("Which NAICS code fits a food truck business?", "en", "food truck"),
        ("¿Cuál es la norma de tamaño para restaurantes?", "es", "restaurantes"),
        ("Quel code SCIAN pour une boulangerie ?", "fr", "boulangerie"),
        ("Welchen Größenstandard hat ein Dachdecker?", "de", "Dachdecker"),
        ("What is the size standard for NAICS 541511?", "en", "541511"),
    ],
)
def test_questions_for_a_code_route_to_the_search(question: str, language: str, query: str) -> None:
    assert route_naics(question, language) == {"query": query}


@pytest.mark.parametrize(
    "question",
    [
        "What is a NAICS code?",
        "How is the size standard calculated?",
        "Am I small under the size standard if my receipts were $5 million as a plumber?",
        "We have 120 employees: what is our size standard as a bakery?",
        "What is an SBA 7(a) loan?",
        "¿Cómo solicito un préstamo de la SBA?",
        "Où trouver un conseiller SCORE ?",
        "Wie bekomme ich einen Mikrokredit?",
        "I want to open a bakery, can SBA give me a grant?",
        "Is my NAICS 541511 firm small with $30 million in receipts?",
        # About NAICS or the rules themselves: the articles answer.
        "What does NAICS stand for?",
        "Which edition of NAICS do the current SBA size standards use?",
        "Over what period is the number of employees averaged for a size standard?",
        "¿Qué edición del NAICS usan las normas de tamaño actuales de la SBA?",
        "Sur quelle période le nombre de salariés est-il calculé en moyenne pour une norme ?",
        "Über welchen Zeitraum wird die Zahl der Beschäftigten für einen Größenstandard gemittelt?",
    ],
)
def test_other_questions_are_not_routed(question: str) -> None:
    assert route_naics(question, "en") is None


def test_a_routed_question_finds_its_code() -> None:
    tool_input = route_naics("Quel est le code NAICS d'un plombier ?", "fr")
    assert tool_input is not None
    assert run_naics_search(tool_input)["results"][0]["code"] == "238220"


def test_weak_results_are_in_the_table_but_not_said() -> None:
    result = run_naics_search({"query": "plombier", "limit": 5})
    scores = [r["score"] for r in result["results"]]
    view = view_naics(result, "fr")
    said = 1 + sum(1 for s in scores[1:] if s >= 0.5 * scores[0])
    assert len(view.sentences) == said < 5
    assert view.sentences[0].startswith("238220 Plumbing, Heating, and Air-Conditioning")
    assert [row[0] for row in view.tables[0].rows if "(" not in str(row[0])] == [
        r["code"] for r in result["results"]
    ]
