"""The programs view in four languages and the route from questions to the screener."""

from __future__ import annotations

from decimal import Decimal

import pytest

from civicllm.answer.tool_route import numbers_in
from civicllm.tools.small_business import programs_route
from civicllm.tools.small_business.programs import PROGRAMS, screen
from civicllm.tools.small_business.programs_view import format_value, view_programs

LANGS = ("en", "es", "fr", "de")
CASE = {
    "for_profit": True,
    "us_based": True,
    "is_small": True,
    "loan_amount": 6000000,
    "loan_purpose": "real_estate",
    "programs": ["7a", "504", "microloan"],
}


def allowed(view_numbers: list[float]) -> set[Decimal]:
    return {Decimal(str(n)).normalize() for n in view_numbers}


@pytest.mark.parametrize("lang", LANGS)
def test_each_program_has_a_line_and_every_number_said_is_a_figure(lang: str) -> None:
    view = view_programs(screen(CASE), lang)
    assert len(view.sentences) == 3
    assert view.tables[0].rows and len(view.tables[0].rows) == 3
    figures = allowed(view.numbers())
    for sentence in [*view.sentences, *view.notes]:
        for number in numbers_in(sentence, lang):
            assert number.normalize() in figures, (lang, sentence, number)
    assert any("ecfr.gov" in s.url for s in view.sources)


def test_the_languages_say_it_in_their_own_words() -> None:
    lines = {lang: view_programs(screen(CASE), lang).sentences[0] for lang in LANGS}
    assert "not eligible because" in lines["en"] and "$5,000,000" in lines["en"]
    assert "no elegible porque" in lines["es"] and "5.000.000\u00a0$" in lines["es"]
    assert "non admissible parce que" in lines["fr"] and "5\u202f000\u202f000\u00a0$" in lines["fr"]
    assert "nicht berechtigt, weil" in lines["de"] and "5.000.000\u00a0$" in lines["de"]
    assert len(set(lines.values())) == 4


def test_likely_eligible_and_check_lines() -> None:
    ok = screen({**CASE, "loan_amount": 40000, "loan_purpose": "equipment"})
    said = view_programs(ok, "en").sentences
    assert said[0].startswith("7(a) loan: likely eligible") and "Lender Match" in said[0]
    missing = view_programs(screen({"loan_amount": 40000, "programs": ["7a"]}), "de")
    assert "zu prüfen" in missing.sentences[0] and "gewinnorientiert" in missing.sentences[0]


def test_format_value_per_language() -> None:
    assert format_value(850000, "USD", "en") == "$850,000"
    assert format_value(51, "percent", "fr") == "51\u00a0%"
    assert format_value(500, "employees", "de") == "500 Beschäftigte"


QUESTIONS = [
    ("Can SBA give me a grant to start my business?", "en", ["grants"]),
    ("What is the largest SBA microloan?", "en", ["microloan"]),
    ("¿Cuál es el préstamo máximo 7(a)?", "es", ["7a"]),
    ("Mon entreprise peut-elle obtenir la certification HUBZone ?", "fr", ["hubzone"]),
    ("Welche SBA-Programme gibt es für Veteranen?", "de", ["vosb", "sdvosb"]),
    ("¿Puede la SBA darme una subvención para abrir mi negocio?", "es", ["grants"]),
    ("La SBA accorde-t-elle des subventions pour créer une entreprise ?", "fr", ["grants"]),
    ("Gibt die SBA Zuschüsse für die Gründung eines Unternehmens?", "de", ["grants"]),
    ("How much can a 504 loan from SBA be?", "en", ["504"]),
    ("Who qualifies for SBIR or STTR?", "en", ["sbir", "sttr"]),
    ("Wie viel kann ich mit einem Mikrokredit leihen?", "de", ["microloan"]),
    ("¿Quién otorga los préstamos 504 para edificios?", "es", ["504"]),
    ("Qui accorde les prêts 504 pour le matériel ?", "fr", ["504"]),
]


@pytest.mark.parametrize(("question", "lang", "programs"), QUESTIONS)
def test_route_positives(question: str, lang: str, programs: list[str]) -> None:
    routed = programs_route.route_programs(question, lang)
    assert routed is not None
    assert routed["programs"] == programs
    assert PROGRAMS.route is not None and PROGRAMS.route(question, lang) == routed


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("How do I write a business plan?", "en"),
        ("What is a NAICS code?", "en"),
        ("Is my bakery a small business?", "en"),
        ("Why does the site show a 504 gateway timeout?", "en"),
        ("¿Cómo registro mi empresa?", "es"),
        ("Quelle est la taille maximale pour une PME ?", "fr"),
        ("Wie viele Veteranen leben in Texas?", "de"),
        ("What grants did the university receive?", "en"),
        ("Our server returned error 504 twice today.", "en"),
        ("Is a micro brewery a small business?", "en"),
    ],
)
def test_route_negatives(question: str, lang: str) -> None:
    assert programs_route.route_programs(question, lang) is None


@pytest.mark.parametrize(
    ("question", "lang", "expect"),
    [
        ("What is the largest SBA microloan?", "en", "$50,000"),
        ("¿Cuál es el préstamo máximo 7(a)?", "es", "5.000.000\u00a0$"),
        ("Mon entreprise peut-elle obtenir la certification HUBZone ?", "fr", "35\u00a0%"),
        ("Welche SBA-Programme gibt es für Veteranen?", "de", "51\u00a0%"),
        ("Can SBA give me a grant to start my business?", "en", "does not give grants"),
        ("¿Puede la SBA darme una subvención para abrir mi negocio?", "es", "no da subvenciones"),
    ],
)
def test_a_routed_question_shows_the_asked_figure(question: str, lang: str, expect: str) -> None:
    routed = programs_route.route_programs(question, lang)
    assert routed is not None
    view = view_programs(screen(routed), lang)
    assert any(expect in s for s in view.sentences), view.sentences


@pytest.mark.parametrize("lang", LANGS)
def test_rules_no_number_settles_are_notes_with_their_sources(lang: str) -> None:
    result = screen({"programs": ["7a", "8a"]})
    assert [n["fact"] for n in result["programs"][1]["notes"]] == ["eighta_social_disadvantage"]
    view = view_programs(result, lang)
    assert len(view.notes) >= 3  # screening, credit elsewhere, social disadvantage
    assert any("federalregister.gov" in s.url for s in view.sources)


def test_a_limits_answer_says_where_to_apply() -> None:
    routed = programs_route.route_programs("Who makes 504 loans for buildings?", "en")
    assert routed == {"programs": ["504"]}
    said = view_programs(screen(routed), "en").sentences
    assert said[-1] == "504 loan: to apply, ask a Certified Development Company (CDC)."
