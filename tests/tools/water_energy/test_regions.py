"""Regions by name: West/Central and East/Southern Africa are the World Bank's AFW and AFE,
and a region the data does not know is not ranked as the World (table-driven, 4 languages).
"""

from __future__ import annotations

import pytest

from civicllm.tools.water_energy import TOOLS_BY_ID, route_question
from civicllm.tools.water_energy.access import current_snapshot, group_members
from tests.tools.water_energy.conftest import PublisherFiles

RANKED: list[tuple[str, str, str]] = [
    ("en", "Which West African countries have the lowest electricity access?", "AFW"),
    ("en", "Rank the countries of Western Africa by access to electricity", "AFW"),
    ("en", "Which countries in West and Central Africa have the most electricity?", "AFW"),
    ("en", "Which Central African countries have the least access to electricity?", "AFW"),
    ("en", "Which East African countries have the lowest access to basic water?", "AFE"),
    ("en", "Top 3 countries in Southern Africa for access to electricity", "AFE"),
    ("es", "¿Qué países de África occidental tienen el menor acceso a la electricidad?", "AFW"),
    ("es", "¿Qué países de África del Este tienen más acceso a la electricidad?", "AFE"),
    ("fr", "Quels pays d'Afrique de l'Ouest ont le plus faible accès à l'électricité ?", "AFW"),
    ("fr", "Quels pays d'Afrique centrale ont le moins accès à l'électricité ?", "AFW"),
    ("fr", "Quels pays d'Afrique australe ont le plus d'accès à l'électricité ?", "AFE"),
    ("de", "Welche Länder in Westafrika haben den niedrigsten Stromzugang?", "AFW"),
    ("de", "Welche ostafrikanischen Länder haben den geringsten Stromzugang?", "AFE"),
    ("de", "Welche Länder im südlichen Afrika haben den höchsten Stromzugang?", "AFE"),
]

UNKNOWN_REGION: list[tuple[str, str]] = [
    ("en", "Which North African countries have the lowest electricity access?"),
    ("en", "Which Scandinavian countries have the highest access to electricity?"),
    ("en", "Which countries in South America have the lowest access to basic water?"),
    ("es", "¿Qué países de Sudamérica tienen el menor acceso a la electricidad?"),
    ("es", "¿Qué países asiáticos tienen el mayor acceso a la electricidad?"),
    ("fr", "Quels pays d'Europe ont le plus faible accès à l'électricité ?"),
    ("fr", "Quels pays d'Afrique du Nord ont le plus faible accès à l'électricité ?"),
    ("de", "Welche Länder in Südamerika haben den niedrigsten Stromzugang?"),
    ("de", "Welche asiatischen Länder haben den höchsten Stromzugang?"),
]


@pytest.mark.parametrize(("language", "question", "group"), RANKED)
def test_african_halves_are_ranked_as_their_world_bank_group(
    language: str, question: str, group: str
) -> None:
    found = route_question(question, language)
    assert found is not None and found[0] == "water-energy/rank"
    assert found[1]["group"] == group


@pytest.mark.parametrize(("language", "question"), UNKNOWN_REGION)
def test_a_region_the_data_lacks_is_not_ranked_as_the_world(language: str, question: str) -> None:
    assert route_question(question, language) is None


def test_a_ranking_that_names_no_region_is_still_the_world() -> None:
    found = route_question("Which countries have the lowest access to electricity?", "en")
    assert found is not None and found[1]["group"] == "WLD"


def test_the_tables_cover_four_languages() -> None:
    assert {r[0] for r in RANKED} == {r[0] for r in UNKNOWN_REGION} == {"en", "es", "fr", "de"}


@pytest.mark.parametrize("code", ["AFW", "AFE"])
def test_listed_members_add_up_to_the_groups_population(code: str, files: PublisherFiles) -> None:
    snap = current_snapshot()
    group = snap.place(code)
    assert group is not None
    members = [m.code for m in group_members(snap, group)]
    # Every member is a Sub-Saharan African country of the metadata file.
    assert set(members) <= set(files.members("Sub-Saharan Africa"))
    population = files.values["population"]
    for year in (1990, 2005, 2020):
        total = sum(population[m][year] for m in members)
        assert total == pytest.approx(population[code][year], rel=1e-9)


def test_the_two_halves_make_sub_saharan_africa(files: PublisherFiles) -> None:
    snap = current_snapshot()
    halves = [group_members(snap, snap.place(c)) for c in ("AFW", "AFE")]  # type: ignore[arg-type]
    west, east = ({p.code for p in half} for half in halves)
    assert not west & east
    assert west | east == set(files.members("Sub-Saharan Africa"))


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_the_answer_names_the_world_bank_group_used(language: str, files: PublisherFiles) -> None:
    tool = TOOLS_BY_ID["water-energy/rank"]
    result = tool.run({"indicator": "electricity_access", "group": "AFW", "order": "lowest"})
    assert result["group"]["code"] == "AFW" and result["ranked"] > 0
    assert tool.view is not None
    view = tool.view(result, language)
    name = current_snapshot().localized_name("AFW", language)
    assert any(name in sentence for sentence in view.sentences)
    assert result["group"]["name"] == files.names["AFW"]  # the World Bank's own name


def test_resolve_lists_the_members() -> None:
    result = TOOLS_BY_ID["water-energy/resolve"].run({"name": "Eastern and Southern Africa"})
    assert result["place"]["code"] == "AFE"
    assert "KEN" in result["members"] and "NGA" not in result["members"]
