"""Places whose names hold another country's name: the whole name must win (table-driven).

Each row is (language, question, the place codes it names, in order). The questions are
routed whole, so they also check that the longest name in the question is the one read,
not a shorter country inside it ("Republik Kongo" inside "Demokratischen Republik Kongo").
"""

from __future__ import annotations

import pytest

from civicllm.data.places import loose_key
from civicllm.tools.water_energy import route_question
from civicllm.tools.water_energy.access import current_snapshot
from civicllm.tools.water_energy.route import find_places

Row = tuple[str, str, tuple[str, ...]]

CONGO: list[Row] = [
    ("en", "How many people in the Democratic Republic of the Congo lack electricity?", ("COD",)),
    ("en", "Electricity access in Democratic Republic of Congo in 2019", ("COD",)),
    ("en", "What share of people in DR Congo have power?", ("COD",)),
    ("en", "Electricity access in the DRC", ("COD",)),
    ("en", "What is electricity access in Congo-Kinshasa?", ("COD",)),
    ("en", "Electricity access in the Republic of the Congo", ("COG",)),
    ("en", "Electricity access in Republic of Congo", ("COG",)),
    ("en", "What is electricity access in Congo-Brazzaville?", ("COG",)),
    ("es", "¿Qué porcentaje de la República Democrática del Congo tiene electricidad?", ("COD",)),
    ("es", "Acceso a la electricidad en la RD Congo en 2018", ("COD",)),
    ("es", "Acceso a la electricidad en la RDC", ("COD",)),
    ("es", "Acceso a la electricidad en la República del Congo", ("COG",)),
    ("fr", "Quel est l'accès à l'électricité en République démocratique du Congo ?", ("COD",)),
    ("fr", "Accès à l'électricité en RDC en 2021", ("COD",)),
    ("fr", "Accès à l'électricité en RD Congo", ("COD",)),
    ("fr", "Accès à l'électricité en République du Congo", ("COG",)),
    ("fr", "Accès à l'électricité au Congo-Brazzaville", ("COG",)),
    ("de", "Wie viele Einwohner der Demokratischen Republik Kongo haben keinen Strom?", ("COD",)),
    ("de", "Die Demokratische Republik Kongo: wie hoch ist der Stromzugang?", ("COD",)),
    ("de", "Stromzugang in der DR Kongo", ("COD",)),
    ("de", "Stromzugang in der Republik Kongo", ("COG",)),
]

PAIRS: list[Row] = [
    ("en", "Electricity access in Niger versus Nigeria", ("NER", "NGA")),
    ("es", "Acceso a la electricidad en Nigeria frente a Níger", ("NGA", "NER")),
    ("fr", "Accès à l'électricité au Niger et au Nigéria", ("NER", "NGA")),
    ("de", "Stromzugang in Nigeria und Niger", ("NGA", "NER")),
    (
        "en",
        "Electricity access in Papua New Guinea, Guinea-Bissau, Guinea and Equatorial Guinea",
        ("PNG", "GNB", "GIN", "GNQ"),
    ),
    (
        "es",
        "Acceso a la electricidad en Guinea Ecuatorial, Guinea, Papúa Nueva Guinea y Guinea-Bisáu",
        ("GNQ", "GIN", "PNG", "GNB"),
    ),
    (
        "fr",
        "Accès à l'électricité en Guinée équatoriale, en Guinée-Bissau, en Guinée et en "
        "Papouasie-Nouvelle-Guinée",
        ("GNQ", "GNB", "GIN", "PNG"),
    ),
    (
        "de",
        "Stromzugang in Guinea-Bissau, Äquatorialguinea, Papua-Neuguinea und Guinea",
        ("GNB", "GNQ", "PNG", "GIN"),
    ),
    ("en", "Electricity access in South Sudan and Sudan", ("SSD", "SDN")),
    ("es", "Acceso a la electricidad en Sudán del Sur y en Sudán", ("SSD", "SDN")),
    ("fr", "Accès à l'électricité au Soudan et au Soudan du Sud", ("SDN", "SSD")),
    ("de", "Stromzugang im Südsudan und im Sudan", ("SSD", "SDN")),
    ("en", "Electricity access in the Dominican Republic and Dominica", ("DOM", "DMA")),
    ("es", "Acceso a la electricidad en Dominica y la República Dominicana", ("DMA", "DOM")),
    ("fr", "Accès à l'électricité en République dominicaine et à la Dominique", ("DOM", "DMA")),
    ("de", "Stromzugang in der Dominikanischen Republik und in Dominica", ("DOM", "DMA")),
    ("en", "Electricity access in South Korea and North Korea", ("KOR", "PRK")),
    ("es", "Acceso a la electricidad en Corea del Norte y Corea del Sur", ("PRK", "KOR")),
    ("fr", "Accès à l'électricité en Corée du Sud et en Corée du Nord", ("KOR", "PRK")),
    ("de", "Stromzugang in Nordkorea und Südkorea", ("PRK", "KOR")),
]


def _codes(question: str, language: str) -> tuple[str, ...]:
    resolve = current_snapshot().resolve
    return tuple(p.code for _, _, _, p in find_places(question, language, resolve))


@pytest.mark.parametrize("row", CONGO + PAIRS, ids=lambda r: f"{r[0]}:{r[1][:40]}")
def test_the_whole_name_wins(row: Row) -> None:
    language, question, codes = row
    assert _codes(question, language) == codes


@pytest.mark.parametrize("row", CONGO, ids=lambda r: f"{r[0]}:{r[1][:40]}")
def test_congo_questions_route_to_the_right_congo(row: Row) -> None:
    language, question, codes = row
    found = route_question(question, language)
    assert found is not None
    assert found[1]["place"] == codes[0]


def test_the_tables_cover_four_languages() -> None:
    for table in (CONGO, PAIRS):
        assert {r[0] for r in table} == {"en", "es", "fr", "de"}


def test_loose_key_drops_articles_and_german_endings() -> None:
    assert loose_key("Demokratischen Republik Kongo") == loose_key("Demokratische Republik Kongo")
    assert loose_key("Democratic Republic of Congo") == loose_key(
        "Democratic Republic of the Congo"
    )
    assert loose_key("Republic of the Congo") != loose_key("Democratic Republic of the Congo")
    assert loose_key("Niger") != loose_key("Nigeria")
