"""The exact numeric scorer: numbers in four languages' formats, right and wrong answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from civicllm.evals.numeric import parse_numbers, score_answer


def values(text: str, language: str = "en") -> list[list[Decimal]]:
    return [[r.value for r in n.readings] for n in parse_numbers(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("76.2%", "en", [[Decimal("76.2")]]),
        ("76,2 %", "fr", [[Decimal("76.2")]]),
        ("1,234,567 people", "en", [[Decimal(1234567)]]),
        ("1.234.567 Menschen", "de", [[Decimal(1234567)]]),
        ("1 234 567 personnes", "fr", [[Decimal(1234567)]]),
        ("1\u00a0234\u00a0567", "fr", [[Decimal(1234567)]]),
        ("1\u202f234\u202f567", "fr", [[Decimal(1234567)]]),
        ("1\u2009234\u2009567", "fr", [[Decimal(1234567)]]),
        ("1,234.5", "en", [[Decimal("1234.5")]]),
        ("1.234,5", "es", [[Decimal("1234.5")]]),
        ("12.3 million", "en", [[Decimal("12300000")]]),
        ("12,3 millones", "es", [[Decimal("12300000")]]),
        ("12,3 millions", "fr", [[Decimal("12300000")]]),
        ("12,3 Millionen", "de", [[Decimal("12300000")]]),
        ("8,1 mil millones", "es", [[Decimal("8100000000")]]),
        ("−3.4", "en", [[Decimal("-3.4")]]),
        # A lone separator before three digits: both readings, the language's habit first.
        ("1,234", "en", [[Decimal(1234), Decimal("1.234")]]),
        ("1. South Sudan (5.4%); 2. Burundi (11.6%)", "en", [[Decimal("5.4")], [Decimal("11.6")]]),
        ("1,234", "de", [[Decimal("1.234"), Decimal(1234)]]),
        ("1.234", "es", [[Decimal(1234), Decimal("1.234")]]),
        # Not numbers of the answer: codes, licences, dates, links, citation markers.
        ("SDG 6.1.1 (EG.ELC.ACCS.ZS), CC BY 4.0, 2026-07-01, https://a.org/x?y=2 [3]", "en", []),
    ],
)
def test_numbers_are_read_in_each_language(
    text: str, language: str, expected: list[list[Decimal]]
) -> None:
    assert values(text, language) == expected


# Items shaped as bench/make_water_evals.py writes them.
SHARE: dict[str, Any] = {
    "language": "en",
    "question": "What share of Kenya's population had access to electricity in 2023?",
    "places": ["KEN"],
    "years": [2023],
    "expect": {
        "numbers": [{"what": "KEN 2023", "value": 76.2, "raw": 76.2, "rule": "percent"}],
        "allowed": [76.2],
    },
}
PEOPLE: dict[str, Any] = {
    "language": "es",
    "question": "¿Cuántas personas en Nigeria no tenían electricidad en 2023?",
    "places": ["NGA"],
    "years": [2023],
    "expect": {
        "numbers": [{"what": "NGA", "value": 88418583, "raw": 88418582.66, "rule": "people"}],
        "allowed": [38.8, 61.2, 227882945.0],
    },
}
CHANGE: dict[str, Any] = {
    "language": "de",
    "question": "Wie hat sich der Zugang in Kenia zwischen 2000 und 2023 verändert?",
    "places": ["KEN"],
    "years": [2000, 2023],
    "expect": {
        "numbers": [
            {"what": "2000", "value": 15.2, "raw": 15.2, "rule": "percent"},
            {"what": "2023", "value": 76.2, "raw": 76.2, "rule": "percent"},
            {"what": "change", "value": 61.0, "raw": 61.0, "rule": "points"},
        ],
        "allowed": [15.2, 19.2, 76.2],
    },
}
MISSING: dict[str, Any] = {
    "language": "fr",
    "question": "Quel était l'accès à l'électricité au Tchad en 1992 ?",
    "places": ["TCD"],
    "years": [1992],
    "expect": {"no_value": True},
}


@pytest.mark.parametrize(
    ("item", "text", "correct"),
    [
        (SHARE, "In 2023, 76.2% of people in Kenya had access to electricity [1].", True),
        (SHARE, "In 2023, 76,2 % of people in Kenya had access.", True),
        (SHARE, "In 2023, 76.20% had access.", True),
        (SHARE, "In 2023, 72.6% of people in Kenya had access.", False),  # wrong digit
        (SHARE, "In 2023, 76% of people in Kenya had access.", False),  # rounded too far
        (SHARE, "In 2023, 76.3% of people in Kenya had access.", False),  # rounded wrongly
        (SHARE, "76.2% had access in 2023, up from 81.5%.", False),  # a contradicting number
        (SHARE, "Kenya had access to electricity in 2023.", False),  # no number at all
        (PEOPLE, "88.418.583 personas no tenían electricidad en 2023.", True),
        (PEOPLE, "Unos 88,4 millones de personas no tenían electricidad en 2023.", True),
        (PEOPLE, "88.418.582 personas (38,8 % de 227.882.945) en 2023.", True),
        (PEOPLE, "Unos 88 millones de personas.", False),  # 2 significant figures
        (PEOPLE, "88,5 millones de personas.", False),  # rounded wrongly
        (PEOPLE, "88.481.583 personas.", False),  # transposed digits
        (CHANGE, "Von 15,2 % (2000) auf 76,2 % (2023): ein Plus von 61,0 Prozentpunkten.", True),
        (CHANGE, "Von 15,2 % auf 76,2 %, also 61 Punkte mehr.", True),  # 61.0 is whole
        (CHANGE, "Von 15,2 % auf 76,2 %, also 16,1 Punkte mehr.", False),
        (CHANGE, "Von 15,2 % auf 76,2 %.", False),  # the change is missing
        (MISSING, "Les données n'ont pas de valeur pour le Tchad en 1992.", True),
        (MISSING, "En 1992, 2,1 % de la population du Tchad avait l'électricité.", False),
        (MISSING, "Les données n'ont pas de valeur pour 1992 ; en 1997, 2,1 %.", False),
        (MISSING, "Le Tchad en 1992.", False),  # never says there is no value
    ],
)
def test_answers_are_scored_exactly(item: dict[str, Any], text: str, correct: bool) -> None:
    verdict = score_answer(item, text, {})
    assert verdict.correct is correct, verdict


def test_a_filled_in_missing_value_in_the_data_is_wrong() -> None:
    data = [{"country_code": "TCD", "year": 1992, "value": 2.1, "derived": None}]
    verdict = score_answer(MISSING, "Pas de valeur en 1992.", {"data": data})
    assert not verdict.correct
    assert verdict.problems == ("civicllm.data has TCD 1992",)


def test_latest_answers_must_name_the_year() -> None:
    item = {
        "language": "en",
        "question": "What is the latest figure for Ethiopia?",
        "expect": {
            "numbers": [
                {"what": "ETH", "value": 55.6, "raw": 55.59607, "rule": "percent"},
                {"what": "year", "value": 2024, "raw": 2024, "rule": "year"},
            ],
            "allowed": [55.59607],
        },
    }
    assert score_answer(item, "In 2024, 55.6% did.", {}).correct
    assert score_answer(item, "55.6% did.", {}).missing == ("year",)
    assert not score_answer(item, "In 2023, 55.6% did.", {}).correct


def test_coverage_must_be_flagged() -> None:
    item = {
        "language": "de",
        "question": "T&D-Verluste in Afrika südlich der Sahara 2023?",
        "expect": {
            "numbers": [{"what": "SSF", "value": 24.2, "raw": 24.159647327403, "rule": "percent"}],
            "allowed": [4, 48, 24.159647327403],
            "coverage_note": True,
        },
    }
    assert score_answer(item, "2023: 24,2 %, nur 4 von 48 Ländern haben Werte.", {}).correct
    verdict = score_answer(item, "2023: 24,2 %.", {})
    assert verdict.problems == ("does not say the aggregate rests on few countries",)


def test_definitions_cite_the_article_and_carry_its_key_words() -> None:
    item = {
        "language": "en",
        "question": "What does safely managed mean?",
        "expect": {"cite": "water-ladder", "keywords": [["premises"], ["contamina"]]},
    }
    cited = {"citations": [{"document": "en/water-ladder.md"}]}
    text = "Water on the premises, available when needed and free from contamination (SDG 6.1.1)."
    assert score_answer(item, text, cited).correct
    assert not score_answer(item, text, {"citations": []}).correct
    assert score_answer(item, "Water on the premises.", cited).missing == ("contamina",)


def test_out_of_scope_needs_the_policy_action() -> None:
    item = {"language": "en", "question": "Pay my bill", "expect": {"policy": ["redirect"]}}
    assert score_answer(item, "Please ask your provider.", {"policy_action": "redirect"}).correct
    assert not score_answer(item, "Sure, here is how.", {}).correct


def test_traced_says_whether_the_numbers_came_from_the_data() -> None:
    entry = {"country_code": "KEN", "year": 2023, "value": 76.2}
    assert score_answer(SHARE, "76.2% in 2023.", {"data": [entry]}).traced is True
    assert (
        score_answer(SHARE, "76.2% in 2023.", {"data": [{**entry, "value": 70.0}]}).traced is False
    )
    assert score_answer(SHARE, "76.2% in 2023.", {}).traced is None
