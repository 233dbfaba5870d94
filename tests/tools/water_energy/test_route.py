"""Routing: questions in EN/ES/FR/DE to the right tool and input (table-driven).

TUNED are the questions the patterns were written against; HELD_OUT were written before
they were ever run and kept aside (never tuned on), so their accuracy is the honest one.
Expected inputs name tools, indicators, place codes and years: what the question says,
not numbers from the data.
"""

from __future__ import annotations

from typing import Any

import pytest

from civicllm.tools.water_energy import TOOLS_BY_ID, route_question

Row = tuple[str, str, tuple[str, dict[str, Any]] | None]

TUNED: list[Row] = [
    (
        "en",
        "What share of people in Kenya had access to electricity in 2015?",
        ("value", {"indicator": "electricity_access", "place": "KEN", "year": 2015}),
    ),
    (
        "en",
        "What is the access to electricity in Chad?",
        ("value", {"indicator": "electricity_access", "place": "TCD"}),
    ),
    (
        "en",
        "How has access to electricity in India changed since 2000?",
        ("series", {"indicator": "electricity_access", "place": "IND", "start": 2000}),
    ),
    (
        "en",
        "Compare access to electricity in Kenya and Nigeria in 2020.",
        ("compare", {"indicator": "electricity_access", "places": ["KEN", "NGA"], "year": 2020}),
    ),
    (
        "en",
        "Which 5 countries in Sub-Saharan Africa have the lowest access to electricity?",
        (
            "rank",
            {"indicator": "electricity_access", "group": "SSF", "order": "lowest", "limit": 5},
        ),
    ),
    (
        "en",
        "What is the urban-rural gap in electricity access in Kenya?",
        ("urban-rural", {"place": "KEN"}),
    ),
    (
        "en",
        "How many people in Nigeria lack access to electricity?",
        ("without-access", {"indicator": "electricity_access", "place": "NGA"}),
    ),
    ("en", "What does safely managed drinking water mean?", None),
    (
        "en",
        "What were T&D losses in Sub-Saharan Africa in 2023?",
        ("value", {"indicator": "td_losses", "place": "SSF", "year": 2023}),
    ),
    (
        "en",
        "How reliable is electricity in Ghana?",
        ("value", {"indicator": "td_losses", "place": "GHA"}),
    ),
    (
        "en",
        "What is the population of Kenya?",
        ("value", {"indicator": "population", "place": "KEN"}),
    ),
    (
        "en",
        "Kenya vs Chad safely managed drinking water",
        ("compare", {"indicator": "water_safely_managed", "places": ["KEN", "TCD"]}),
    ),
    (
        "en",
        "Which low income countries have the highest share of basic drinking water?",
        ("rank", {"indicator": "water_basic", "group": "LIC", "order": "highest"}),
    ),
    ("en", "What is the ISO code of Côte d'Ivoire?", ("resolve", {"name": "Côte d'Ivoire"})),
    (
        "es",
        "¿Qué porcentaje de la población de Kenia tenía acceso a la electricidad en 2015?",
        ("value", {"indicator": "electricity_access", "place": "KEN", "year": 2015}),
    ),
    (
        "es",
        "¿Cómo ha cambiado el acceso al agua potable gestionada de forma segura en Perú "
        "entre 2000 y 2020?",
        (
            "series",
            {"indicator": "water_safely_managed", "place": "PER", "start": 2000, "end": 2020},
        ),
    ),
    (
        "es",
        "¿Cuántas personas no tienen electricidad en Chad?",
        ("without-access", {"indicator": "electricity_access", "place": "TCD"}),
    ),
    (
        "es",
        "Compara el acceso a la electricidad de México y Colombia.",
        ("compare", {"indicator": "electricity_access", "places": ["MEX", "COL"]}),
    ),
    (
        "es",
        "¿Qué países de América Latina y el Caribe tienen las pérdidas de electricidad más altas?",
        ("rank", {"indicator": "td_losses", "group": "LCN", "order": "highest"}),
    ),
    (
        "es",
        "¿Cuál es la diferencia entre el acceso urbano y rural a la electricidad en Bolivia?",
        ("urban-rural", {"place": "BOL"}),
    ),
    ("es", "¿Qué significa agua potable gestionada de forma segura?", None),
    (
        "fr",
        "Quelle part de la population du Tchad avait accès à l'électricité en 2020 ?",
        ("value", {"indicator": "electricity_access", "place": "TCD", "year": 2020}),
    ),
    (
        "fr",
        "Comment l'accès à l'électricité a-t-il évolué au Sénégal de 2000 à 2020 ?",
        ("series", {"indicator": "electricity_access", "place": "SEN", "start": 2000, "end": 2020}),
    ),
    (
        "fr",
        "Combien de personnes n'ont pas accès à l'eau potable au Niger ?",
        ("without-access", {"indicator": "water_basic", "place": "NER"}),
    ),
    (
        "fr",
        "Comparer l'accès à l'électricité en France et en Allemagne.",
        ("compare", {"indicator": "electricity_access", "places": ["FRA", "DEU"]}),
    ),
    (
        "fr",
        "Quels pays d'Afrique subsaharienne ont les pertes d'électricité les plus élevées ?",
        ("rank", {"indicator": "td_losses", "group": "SSF", "order": "highest"}),
    ),
    (
        "fr",
        "Quel est l'écart entre l'accès urbain et rural à l'électricité au Mali ?",
        ("urban-rural", {"place": "MLI"}),
    ),
    ("fr", "Que signifie eau potable gérée en toute sécurité ?", None),
    (
        "fr",
        "Quelle est la population de l'Inde en 2010 ?",
        ("value", {"indicator": "population", "place": "IND", "year": 2010}),
    ),
    (
        "de",
        "Wie hoch war der Zugang zu Strom in Kenia im Jahr 2015?",
        ("value", {"indicator": "electricity_access", "place": "KEN", "year": 2015}),
    ),
    (
        "de",
        "Wie hat sich der Zugang zu Strom in Tschad seit 2010 verändert?",
        ("series", {"indicator": "electricity_access", "place": "TCD", "start": 2010}),
    ),
    (
        "de",
        "Wie viele Menschen haben in Äthiopien keinen Zugang zu Strom?",
        ("without-access", {"indicator": "electricity_access", "place": "ETH"}),
    ),
    (
        "de",
        "Vergleiche den Zugang zu sicher verwaltetem Trinkwasser in Deutschland und Frankreich.",
        ("compare", {"indicator": "water_safely_managed", "places": ["DEU", "FRA"]}),
    ),
    (
        "de",
        "Welche Länder in Südasien haben die niedrigsten Netzverluste?",
        ("rank", {"indicator": "td_losses", "group": "SAS", "order": "lowest"}),
    ),
    (
        "de",
        "Wie groß ist der Unterschied zwischen städtischem und ländlichem Stromzugang in Nigeria?",
        ("urban-rural", {"place": "NGA"}),
    ),
    ("de", "Was bedeutet sicher verwaltetes Trinkwasser?", None),
    (
        "de",
        "Wie hoch waren die Übertragungsverluste in Subsahara-Afrika 2023?",
        ("value", {"indicator": "td_losses", "place": "SSF", "year": 2023}),
    ),
    (
        "en",
        "Access to electricity in PER in 2010",
        ("value", {"indicator": "electricity_access", "place": "PER", "year": 2010}),
    ),
    (
        "en",
        "Electricity access per person in Kenya",
        ("value", {"indicator": "electricity_access", "place": "KEN"}),
    ),
    ("en", "What is the capital of Kenya?", None),
    (
        "en",
        "Which country has the highest access to electricity in the world?",
        ("rank", {"indicator": "electricity_access", "group": "WLD", "order": "highest"}),
    ),
    (
        "fr",
        "Accès à l'électricité au Kenya comparé au Tchad",
        ("compare", {"indicator": "electricity_access", "places": ["KEN", "TCD"]}),
    ),
    (
        "en",
        "Access to electricity in Kenya between 2000 and 2010",
        ("series", {"indicator": "electricity_access", "place": "KEN", "start": 2000, "end": 2010}),
    ),
]

HELD_OUT: list[Row] = [
    (
        "en",
        "Show me the trend in safely managed drinking water in Bangladesh from 2005 to 2020",
        (
            "series",
            {"indicator": "water_safely_managed", "place": "BGD", "start": 2005, "end": 2020},
        ),
    ),
    (
        "en",
        "Top 3 countries in South Asia for access to electricity in 2021",
        (
            "rank",
            {
                "indicator": "electricity_access",
                "group": "SAS",
                "order": "highest",
                "limit": 3,
                "year": 2021,
            },
        ),
    ),
    (
        "es",
        "¿Cuál era la población de Brasil en 2000?",
        ("value", {"indicator": "population", "place": "BRA", "year": 2000}),
    ),
    (
        "es",
        "¿Cuántas personas carecen de agua potable básica en Etiopía?",
        ("without-access", {"indicator": "water_basic", "place": "ETH"}),
    ),
    (
        "fr",
        "Quel est le taux d'accès à l'électricité en milieu rural au Burkina Faso ?",
        ("value", {"indicator": "electricity_access_rural", "place": "BFA"}),
    ),
    (
        "fr",
        "Comparez l'eau potable de base au Ghana, au Togo et au Bénin en 2020.",
        ("compare", {"indicator": "water_basic", "places": ["GHA", "TGO", "BEN"], "year": 2020}),
    ),
    (
        "de",
        "Wie hoch sind die Stromverluste in Indien?",
        ("value", {"indicator": "td_losses", "place": "IND"}),
    ),
    (
        "de",
        "Welches Land in Lateinamerika hat den höchsten Zugang zu Strom?",
        ("rank", {"indicator": "electricity_access", "group": "LCN", "order": "highest"}),
    ),
    ("en", "What does 'access to electricity' measure?", None),
    (
        "de",
        "Wie hat sich die Grundversorgung mit Trinkwasser in Kenia zwischen 2000 und 2022 "
        "entwickelt?",
        ("series", {"indicator": "water_basic", "place": "KEN", "start": 2000, "end": 2022}),
    ),
]


def _expected(row: Row) -> tuple[str, dict[str, Any]] | None:
    found = row[2]
    return None if found is None else (f"water-energy/{found[0]}", found[1])


@pytest.mark.parametrize("row", TUNED, ids=[f"{r[0]}:{r[1][:40]}" for r in TUNED])
def test_tuned_questions_route(row: Row) -> None:
    assert route_question(row[1], row[0]) == _expected(row)


def test_held_out_accuracy() -> None:
    right = [route_question(r[1], r[0]) == _expected(r) for r in HELD_OUT]
    assert sum(right) >= 8, [r[1] for r, ok in zip(HELD_OUT, right, strict=True) if not ok]


def test_the_table_covers_every_language_and_tool() -> None:
    rows = TUNED + HELD_OUT
    assert len(TUNED) >= 40 and len(HELD_OUT) == 10
    assert {r[0] for r in rows} == {"en", "es", "fr", "de"}
    tools = {f"water-energy/{r[2][0]}" for r in rows if r[2]}
    assert tools == set(TOOLS_BY_ID)
    assert any(r[2] is None for r in rows)


@pytest.mark.parametrize("row", [r for r in TUNED if r[2]][:12])
def test_each_tool_route_claims_only_its_own_questions(row: Row) -> None:
    expected = _expected(row)
    assert expected is not None
    for tool_id, tool in TOOLS_BY_ID.items():
        assert tool.route is not None
        found = tool.route(row[1], row[0])
        assert found == (expected[1] if tool_id == expected[0] else None)


def test_routed_inputs_run() -> None:
    for row in TUNED + HELD_OUT:
        expected = _expected(row)
        if expected is not None:
            result = TOOLS_BY_ID[expected[0]].run(expected[1])
            assert result["data"] or result["missing"] or result.get("place"), row[1]
