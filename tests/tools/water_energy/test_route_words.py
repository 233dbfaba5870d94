"""Routing of the wordings the first patterns missed: peoples' names, region adjectives,
negations, counted rankings, set phrases ("at least", "most recent"), German cases.

Each row is a question written for this test (not an eval question) and the tool input it
names; the expected inputs say what the question says, not numbers from the data.
"""

from __future__ import annotations

from typing import Any

import pytest

from civicllm.tools.water_energy import route_question
from civicllm.tools.water_energy.demonyms import DEMONYMS, declensions

Row = tuple[str, str, tuple[str, dict[str, Any]] | None]

ROWS: list[Row] = [
    # A people's name is its country.
    (
        "en",
        "What share of Ghanaians had electricity in 2019?",
        ("value", {"indicator": "electricity_access", "place": "GHA", "year": 2019}),
    ),
    (
        "es",
        "¿Qué porcentaje de los peruanos usaba agua potable básica en 2018?",
        ("value", {"indicator": "water_basic", "place": "PER", "year": 2018}),
    ),
    (
        "fr",
        "Quelle part des Sénégalaises avait l'électricité en 2016 ?",
        ("value", {"indicator": "electricity_access", "place": "SEN", "year": 2016}),
    ),
    (
        "de",
        "Wie viel Prozent der Kenianer hatten 2012 Strom?",
        ("value", {"indicator": "electricity_access", "place": "KEN", "year": 2012}),
    ),
    # Niger and Nigeria keep apart in every language.
    (
        "fr",
        "Quelle part des Nigériens avait l'électricité en 2020 ?",
        ("value", {"indicator": "electricity_access", "place": "NER", "year": 2020}),
    ),
    (
        "es",
        "¿Qué porcentaje de nigerianos tenía electricidad en 2020?",
        ("value", {"indicator": "electricity_access", "place": "NGA", "year": 2020}),
    ),
    # "How many <people>" with a negation is a head count.
    (
        "en",
        "How many Tanzanians had no electricity in 2021?",
        ("without-access", {"indicator": "electricity_access", "place": "TZA", "year": 2021}),
    ),
    (
        "es",
        "¿Cuántos bolivianos no tenían agua potable gestionada de forma segura en 2020?",
        ("without-access", {"indicator": "water_safely_managed", "place": "BOL", "year": 2020}),
    ),
    (
        "es",
        "¿Cuántas personas en Chad carecen de electricidad?",
        ("without-access", {"indicator": "electricity_access", "place": "TCD"}),
    ),
    (
        "fr",
        "Combien de Maliens ne disposaient pas de l'électricité en 2019 ?",
        ("without-access", {"indicator": "electricity_access", "place": "MLI", "year": 2019}),
    ),
    (
        "de",
        "Wie viele Menschen in Uganda hatten 2020 keine Stromversorgung?",
        ("without-access", {"indicator": "electricity_access", "place": "UGA", "year": 2020}),
    ),
    # "at least basic" is the indicator's name, not a ranking's "least".
    (
        "en",
        "How many people in Kenya lacked at least basic drinking water in 2020?",
        ("without-access", {"indicator": "water_basic", "place": "KEN", "year": 2020}),
    ),
    (
        "en",
        "Which low-income countries had the highest share using at least basic water in 2022?",
        ("rank", {"indicator": "water_basic", "group": "LIC", "order": "highest", "year": 2022}),
    ),
    # "most recent" asks for the latest value, it ranks nothing.
    (
        "en",
        "What is the most recent electricity access figure for South Asia?",
        ("value", {"indicator": "electricity_access", "place": "SAS"}),
    ),
    (
        "es",
        "¿Cuál es el dato más reciente de acceso a la electricidad en América Latina?",
        ("value", {"indicator": "electricity_access", "place": "LCN"}),
    ),
    # Region adjectives.
    (
        "en",
        "Which Latin American countries had the lowest T&D losses in 2021?",
        ("rank", {"indicator": "td_losses", "group": "LCN", "order": "lowest", "year": 2021}),
    ),
    (
        "en",
        "Which five sub-Saharan African countries have the most access to electricity?",
        (
            "rank",
            {"indicator": "electricity_access", "group": "SSF", "order": "highest", "limit": 5},
        ),
    ),
    (
        "es",
        "¿Qué países latinoamericanos tienen las pérdidas eléctricas más bajas?",
        ("rank", {"indicator": "td_losses", "group": "LCN", "order": "lowest"}),
    ),
    (
        "fr",
        "Quels pays subsahariens ont l'accès à l'électricité le plus faible ?",
        ("rank", {"indicator": "electricity_access", "group": "SSF", "order": "lowest"}),
    ),
    (
        "de",
        "Welche südasiatischen Länder haben die höchsten Netzverluste?",
        ("rank", {"indicator": "td_losses", "group": "SAS", "order": "highest"}),
    ),
    # A count of countries, or "con más / con menos", is a ranking.
    (
        "es",
        "¿Cuáles son los cinco países de África subsahariana con menos acceso a la electricidad?",
        (
            "rank",
            {"indicator": "electricity_access", "group": "SSF", "order": "lowest", "limit": 5},
        ),
    ),
    (
        "en",
        "Name ten high-income countries by electricity losses in 2020.",
        (
            "rank",
            {
                "indicator": "td_losses",
                "group": "HIC",
                "order": "highest",
                "limit": 10,
                "year": 2020,
            },
        ),
    ),
    # Losses named by their verb or by the network's parts.
    (
        "es",
        "¿Cuánta energía perdía Colombia en la red en 2015?",
        ("value", {"indicator": "td_losses", "place": "COL", "year": 2015}),
    ),
    (
        "fr",
        "Quelle part de l'électricité a été perdue au Ghana en 2018 ?",
        ("value", {"indicator": "td_losses", "place": "GHA", "year": 2018}),
    ),
    (
        "en",
        "How much power was lost in Brazil's grid in 2019?",
        ("value", {"indicator": "td_losses", "place": "BRA", "year": 2019}),
    ),
    # German cases and wordings of groups and of urban and rural.
    (
        "de",
        "Wie hoch waren die Stromverluste in den Ländern mit hohem Einkommen 2021?",
        ("value", {"indicator": "td_losses", "place": "HIC", "year": 2021}),
    ),
    (
        "de",
        "Zugang zu Strom in Ländern mit oberem mittlerem Einkommen im Jahr 2015?",
        ("value", {"indicator": "electricity_access", "place": "UMC", "year": 2015}),
    ),
    (
        "de",
        "Wie hoch war der Stromzugang in Ostasien und dem Pazifik 2010?",
        ("value", {"indicator": "electricity_access", "place": "EAS", "year": 2010}),
    ),
    (
        "de",
        "Strom in Kenia 2019: wie groß ist der Abstand zwischen Land und Stadt?",
        ("urban-rural", {"place": "KEN", "year": 2019}),
    ),
    (
        "es",
        "¿Cómo era el acceso a la electricidad en los países de ingreso medio bajo en 2020?",
        ("value", {"indicator": "electricity_access", "place": "LMC", "year": 2020}),
    ),
    # Language names are not peoples: "in French" names no place.
    (
        "en",
        "In French please: electricity access in Kenya in 2020?",
        ("value", {"indicator": "electricity_access", "place": "KEN", "year": 2020}),
    ),
]


def _expected(row: Row) -> tuple[str, dict[str, Any]] | None:
    found = row[2]
    return None if found is None else (f"water-energy/{found[0]}", found[1])


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}:{r[1][:45]}" for r in ROWS])
def test_question_routes(row: Row) -> None:
    assert route_question(row[1], row[0]) == _expected(row)


@pytest.mark.parametrize(
    ("word", "language", "forms"),
    [
        ("Ethiopian", "en", {"ethiopian", "ethiopians"}),
        ("mexicano", "es", {"mexicano", "mexicana", "mexicanos", "mexicanas"}),
        ("senegalés", "es", {"senegales", "senegalesa", "senegalesas", "senegaleses"}),
        ("éthiopien", "fr", {"ethiopien", "ethiopienne", "ethiopiens", "ethiopiennes"}),
        ("sénégalais", "fr", {"senegalais", "senegalaise", "senegalaises"}),
        ("Äthiopier", "de", {"athiopier", "athiopiern", "athiopierin", "athiopierinnen"}),
        ("südasiatisch", "de", {"sudasiatisch", "sudasiatische", "sudasiatischen"}),
    ],
)
def test_declensions(word: str, language: str, forms: set[str]) -> None:
    assert forms <= declensions(word, language)


def test_language_names_are_not_peoples() -> None:
    for word in ("french", "spanish", "german", "chinese", "frances", "allemand", "espanol"):
        assert word not in DEMONYMS
