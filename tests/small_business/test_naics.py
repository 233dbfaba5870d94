"""small-business/naics-search: plain descriptions in four languages, codes, errors, shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from civicllm.errors import InputError
from civicllm.tools.small_business.naics import NAICS_SEARCH, run_naics_search


@pytest.fixture(scope="module")
def naics_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("naics-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, naics_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    # One home for the module: the shipped table is imported once, not once per test.
    monkeypatch.setenv("CIVICLLM_HOME", str(naics_home))
    yield


def codes(query: str, limit: int = 5) -> list[str]:
    return [r["code"] for r in run_naics_search({"query": query, "limit": limit})["results"]]


@pytest.mark.parametrize(
    ("query", "right"),
    [
        ("plombier", {"238220"}),
        ("Bäckerei", {"311811", "311812"}),
        ("food truck", {"722330"}),
        ("software consulting", {"541511", "541512"}),
    ],
)
def test_the_named_queries_find_a_sensible_code_first(query: str, right: set[str]) -> None:
    assert codes(query)[0] in right


@pytest.mark.parametrize(
    ("query", "right"),
    [
        ("we bake bread for supermarkets", "311812"),
        ("¿Dónde registro mi taller de carrocería y pintura?", "811121"),
        ("je répare des voitures dans mon garage", "811111"),
        ("Ich betreibe ein Nagelstudio", "812113"),
        ("dentista", "621210"),
        ("Steuerberatung für Privatleute", "541213"),
    ],
)
def test_descriptions_in_each_language_find_their_code_in_the_top_five(
    query: str, right: str
) -> None:
    assert right in codes(query)


def test_a_bakery_in_german_lists_both_bakery_codes() -> None:
    assert {"311811", "311812"} <= set(codes("Bäckerei", 5))


def test_an_exception_is_searchable_and_listed_with_its_standard() -> None:
    result = run_naics_search({"query": "military aircraft engineering"})
    first = result["results"][0]
    assert first["code"] == "541330"
    assert first["matched"]["kind"] == "exception" and first["matched"]["exception"] == 1
    numbers = [e["number"] for e in first["exceptions"]]
    assert numbers == [1, 2, 3]
    assert first["exceptions"][0]["size_standard"]["limit"] == 47_000_000
    assert first["size_standard"]["limit"] == 25_500_000


def test_an_exact_code_comes_first_then_its_neighbours() -> None:
    result = run_naics_search({"query": "541511", "limit": 4})
    assert result["kind"] == "code"
    found = result["results"]
    assert found[0]["code"] == "541511" and found[0]["score"] == 1.0
    assert found[0]["title"] == "Custom Computer Programming Services"
    assert [r["code"][:5] for r in found[1:]] == ["54151"] * 3
    assert all(r["score"] < 1.0 for r in found[1:])
    assert codes("NAICS 541511", 1) == ["541511"]


def test_a_prefix_lists_the_codes_under_it_in_code_order() -> None:
    found = codes("5415", 4)
    assert found == ["541511", "541512", "541513", "541519"]
    assert codes("722", 20)[:6] == ["722310", "722320", "722330", "722410", "722511", "722513"]


def test_a_code_without_a_standard_says_so() -> None:
    result = run_naics_search({"query": "921110"})
    assert result["results"] == []
    assert result["notes"][0]["kind"] == "no_standard"
    assert "921110" in result["notes"][0]["text"]


def test_result_shape_follows_the_spec() -> None:
    result = NAICS_SEARCH.run({"query": "hair salon", "limit": 7, "as_of": "2026-12-01"})
    assert set(result) >= {"results", "query", "table", "notes"}
    assert result["table"]["effective"] == "2023-03-17"
    found: list[dict[str, Any]] = result["results"]
    assert len(found) == 7
    scores = [r["score"] for r in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert len({r["code"] for r in found}) == 7
    for r in found:
        assert len(r["code"]) == 6 and r["code"].isdigit()
        assert set(r["size_standard"]) == {"measure", "limit", "table"}
        assert r["size_standard"]["measure"] in ("receipts", "employees", "assets")
        assert isinstance(r["size_standard"]["limit"], int)
        assert r["size_standard"]["table"] == "SBA Table of Size Standards, effective 2023-03-17"
        assert isinstance(r["exceptions"], list) and isinstance(r["title"], str)
    assert found[0]["code"] == "812112"
    assert found[0]["size_standard"] == {
        "measure": "receipts",
        "limit": 9_500_000,
        "table": "SBA Table of Size Standards, effective 2023-03-17",
    }
    # Each listed code is also a number in the notes, so an answer may state it.
    assert {n["code"] for n in result["notes"] if n["kind"] == "listed"} == {
        int(r["code"]) for r in found
    }


def test_the_default_limit_is_five_and_banks_have_an_asset_standard() -> None:
    result = run_naics_search({"query": "community bank"})
    assert len(result["results"]) == 5
    assert result["results"][0]["code"] == "522110"
    assert result["results"][0]["size_standard"]["measure"] == "assets"
    assert result["results"][0]["size_standard"]["limit"] == 850_000_000


@pytest.mark.parametrize(
    ("request_", "param"),
    [
        ({}, "query"),
        ({"query": ""}, "query"),
        ({"query": "   \n\t"}, "query"),
        ({"query": 541511}, "query"),
        ({"query": "bakery " * 80}, "query"),
        ({"query": "bakery", "limit": 0}, "limit"),
        ({"query": "bakery", "limit": 21}, "limit"),
        ({"query": "bakery", "limit": "5"}, "limit"),
        ({"query": "bakery", "limit": True}, "limit"),
        ({"query": "bakery", "limit": 2.5}, "limit"),
        ({"query": "bakery", "as_of": "12/01/2026"}, "as_of"),
        ({"query": "bakery", "as_of": "2020-01-01"}, "as_of"),
        ({"query": "bakery", "language": "en"}, "language"),
    ],
)
def test_bad_input_names_the_field(request_: dict[str, Any], param: str) -> None:
    with pytest.raises(InputError) as caught:
        run_naics_search(request_)
    assert caught.value.param == param


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InputError) as caught:
        run_naics_search({"query": " ", "limit": 99, "as_of": "soon", "lang": "fr"})
    assert {param for param, _ in caught.value.details} == {"query", "limit", "as_of", "lang"}


def test_a_whole_float_limit_is_read_as_a_number() -> None:
    assert len(run_naics_search({"query": "florist", "limit": 3.0})["results"]) == 3


def test_the_tool_record_is_registered_with_its_schema() -> None:
    from civicllm.tools.small_business import TOOLS

    assert NAICS_SEARCH in TOOLS
    assert NAICS_SEARCH.id == "small-business/naics-search"
    assert NAICS_SEARCH.input_schema["additionalProperties"] is False
    assert NAICS_SEARCH.input_schema["required"] == ["query"]
    assert NAICS_SEARCH.prepare is not None and NAICS_SEARCH.route is not None


def test_a_german_compound_finds_the_word_it_contains() -> None:
    assert codes("Gebäudereinigungsunternehmen", 1) == ["561720"]


def test_one_stray_title_word_does_not_outvote_the_meaning_of_a_sentence() -> None:
    # "car" alone matches car dealers and mechanics; the sentence means a driving school.
    assert codes("I teach teenagers how to drive a car", 1) == ["611692"]


def test_a_text_only_the_meaning_search_matches_scores_at_most_half() -> None:
    result = run_naics_search({"query": "xyzzy qwerty"})
    assert result["results"] and all(r["score"] <= 0.5 for r in result["results"])
