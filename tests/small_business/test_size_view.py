"""The size-check view in four languages, and the conservative route from a question."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from civicllm.answer.tool_route import numbers_in
from civicllm.tools.small_business.size import check_size
from civicllm.tools.small_business.size_route import route_size_check
from civicllm.tools.small_business.size_view import format_amount, view_size_check

M = 1_000_000
LANGUAGES = ("en", "es", "fr", "de")


@pytest.fixture(scope="module")
def size_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("size-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, size_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CIVICLLM_HOME", str(size_home))
    yield


def affiliated_result() -> dict[str, Any]:
    return check_size(
        {
            "naics": "541511",
            "receipts": {"fiscal_years": [30 * M, 31 * M, 33 * M, 34 * M, 36 * M]},
            "affiliates": [{"receipts": {"fiscal_years": [M] * 5}}],
        }
    )


@pytest.mark.parametrize(
    ("language", "money"),
    [
        ("en", "$33,800,000"),
        ("es", "33.800.000 $"),
        ("fr", "33\u202f800\u202f000 $"),
        ("de", "33.800.000 $"),
    ],
)
def test_the_verdict_states_the_figures_in_the_language(language: str, money: str) -> None:
    view = view_size_check(affiliated_result(), language)
    assert money in view.sentences[0]
    assert [f.key for f in view.figures] == ["small", "limit", "measured", "margin"]
    assert [f.value for f in view.figures][1:] == [34 * M, 33_800_000, 200_000]
    # Every number a sentence states is one of the view's numbers (what the verifier checks).
    shown = {Decimal(str(n)) for n in view.numbers()}
    for sentence in view.sentences:
        for number in numbers_in(sentence, language):
            assert abs(number) in shown, (sentence, number)


def test_worksheet_labels_are_translated_and_amounts_stay_numbers() -> None:
    result = affiliated_result()
    english = view_size_check(result, "en").tables[0]
    german = view_size_check(result, "de").tables[0]
    assert english.rows[0][1] == "Your concern: receipts, fiscal year 1 of 5"
    assert german.rows[0][1] == "Ihr Unternehmen: Einnahmen, Geschäftsjahr 1 von 5"
    assert str(german.rows[7][1]).startswith("Verbundenes Unternehmen 1:")
    assert [row[2] for row in german.rows] == [row["amount"] for row in result["worksheet"]]
    assert len({view_size_check(result, lang).tables[0].columns for lang in LANGUAGES}) == 4


def test_a_large_concern_is_said_over_by_the_margin() -> None:
    result = check_size({"naics": "324110", "employees": {"pay_periods": [1600, 1700]}})
    view = view_size_check(result, "en")
    assert view.sentences[0].startswith("Not small")
    assert "1,650 employees" in view.sentences[0] and "by 150 employees" in view.sentences[0]
    assert any(note.startswith("SBA footnote 4:") for note in view.notes)
    assert any("footnotes" in sentence for sentence in view.sentences)


def test_sources_are_the_sba_table_and_the_ecfr_sections() -> None:
    view = view_size_check(affiliated_result(), "fr")
    urls = [source.url for source in view.sources]
    assert urls[0] == "https://www.sba.gov/document/support-table-size-standards"
    assert "https://www.ecfr.gov/current/title-13/section-121.104" in urls


def test_money_and_employees_are_written_per_language() -> None:
    assert format_amount(-1500, "employees", "de") == "-1.500 Beschäftigte"
    assert format_amount(1, "employees", "en") == "1 employee"
    assert format_amount(850 * M, "assets", "fr") == "850\u202f000\u202f000 $"


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        (
            "Is NAICS 541511 with average annual receipts of $30 million small?",
            "en",
            {"naics": "541511", "receipts": {"fiscal_years": [30 * M]}},
        ),
        (
            "¿Es pequeña una empresa del código 238220 con ingresos de 12,5 millones de dólares?",
            "es",
            {"naics": "238220", "receipts": {"fiscal_years": [12_500_000]}},
        ),
        (
            "Notre entreprise (code 324110) compte 1 400 salariés : est-elle petite ?",
            "fr",
            {"naics": "324110", "employees": {"pay_periods": [1400]}},
        ),
        (
            "Ist ein Betrieb mit NAICS 336411 und 1.400 Mitarbeitern klein?",
            "de",
            {"naics": "336411", "employees": {"pay_periods": [1400]}},
        ),
    ],
)
def test_a_question_with_code_and_figure_is_routed(
    question: str, language: str, expected: dict[str, Any]
) -> None:
    assert route_size_check(question, language) == expected


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿Es pequeña una empresa del código 238220 con 80 empleados?", "es"),  # receipts code
        ("What is NAICS 541511?", "en"),
        ("Is a software firm with $30 million in receipts small?", "en"),  # no code
        ("Is NAICS 999999 with receipts of $1 million small?", "en"),  # not in the table
        ("Compare NAICS 541511 and 541512 with receipts of $5 million", "en"),  # two codes
        ("My zip code is 541511 and I earn 30", "en"),  # no money, no size question
    ],
)
def test_anything_less_is_not_routed(question: str, language: str) -> None:
    assert route_size_check(question, language) is None
