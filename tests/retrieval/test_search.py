"""Hybrid search: filters, modes, passage fields, and questions across languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicllm.errors import ConfigError, InputError
from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.index import Index, fuse_ranks, open_index
from civicllm.retrieval.ingest import ingest_paths


@pytest.fixture
def city(corpus: Path, index: Index) -> Index:
    """Return the index holding the fixture corpus as pack 'city'."""
    report = ingest_paths([corpus], "city", index)
    assert report.ok
    return index


@pytest.mark.parametrize(
    ("question", "document", "section"),
    [
        # Spanish, French and German questions answered only by English passages.
        ("¿Cuánto cuesta la licencia para un perro?", "en/dog-license.md", "License requirement"),
        ("Quand dois-je payer l'impôt foncier ?", "en/property-tax.md", "Due dates"),
        (
            "Wie kann ich ein altes Sofa abholen lassen?",
            "en/trash-pickup.md",
            "Bulky items",
        ),
        (
            "Gibt es eine Steuerermäßigung für Rentner, die ein Haus besitzen?",
            "en/property-tax.md",
            "Senior exemption",
        ),
        # And the other way: English questions answered only by a Spanish passage.
        (
            "Will the city warn me before shutting off my water?",
            "es/water-shutoff.md",
            "Aviso antes del corte",
        ),
        (
            "Can I pay my overdue water bill in monthly installments?",
            "es/water-shutoff.md",
            "Plan de pagos",
        ),
    ],
)
@pytest.mark.parametrize("mode", ["hybrid", "vector"])
def test_cross_lingual_question_finds_the_answering_passage(
    city: Index, question: str, document: str, section: str, mode: str
) -> None:
    language = document.split("/")[0]
    found = city.search(question, k=3, language=language, mode=mode)  # type: ignore[arg-type]
    assert (found[0].document, found[0].section) == (document, section)


def test_hybrid_without_language_filter_ranks_the_answer_first(city: Index) -> None:
    found = city.search("¿Cuánto cuesta la licencia para un perro?", k=5)
    assert found[0].document == "en/dog-license.md"


def test_passage_carries_its_metadata(city: Index) -> None:
    passage = city.search("senior exemption homeowners 65", k=1, mode="bm25")[0]
    assert passage.pack == "city"
    assert passage.document == "en/property-tax.md"
    assert passage.id.startswith("city:en/property-tax.md#")
    assert passage.title == "Paying property tax"
    assert passage.section == "Senior exemption"
    assert passage.source_url == "https://example.gov/tax/property"
    assert passage.effective_date == "2026-27"
    assert passage.language == "en"
    assert "$45,000" in passage.text
    assert passage.score > 0


def test_language_filter(city: Index) -> None:
    found = city.search("library card", k=10, language="es")
    assert found and {p.language for p in found} == {"es"}


def test_document_filter(city: Index) -> None:
    found = city.search("what does it cost", k=10, document="en/dog-license.md")
    assert found and {p.document for p in found} == {"en/dog-license.md"}


def test_pack_filter(city: Index, corpus: Path) -> None:
    ingest_paths([corpus / "en/library-card.md"], "library", city)
    for mode in ("hybrid", "bm25", "vector"):
        found = city.search("library card", k=10, pack="library", mode=mode)  # type: ignore[arg-type]
        assert found and {p.pack for p in found} == {"library"}
    assert city.search("library card", pack="nobody") == []


def test_effective_date_filter(city: Index) -> None:
    everything = {p.document for p in city.search("trash collection days", k=20)}
    assert "en/trash-pickup-2027.md" in everything
    in_2026 = {
        p.document for p in city.search("trash collection days", k=20, effective_on="2026-06-01")
    }
    # Not yet in effect: the 2027 rules and the 2026-27 award-year document (from July 1).
    assert "en/trash-pickup-2027.md" not in in_2026
    assert "en/property-tax.md" not in in_2026
    # In effect, or with no date at all (never filtered out).
    assert {"en/trash-pickup.md", "en/dog-license.md"} <= in_2026
    in_2027 = {
        p.document for p in city.search("trash collection days", k=20, effective_on="2027-02")
    }
    assert "en/trash-pickup-2027.md" in in_2027


def test_modes_differ_and_bm25_needs_words(city: Index) -> None:
    lexical = city.search("mattresses appliances", k=5, mode="bm25")
    assert [p.section for p in lexical] == ["Bulky items"]
    assert len(city.search("mattresses appliances", k=5, mode="vector")) == 5
    # Only stop words: nothing for BM25, but the vector side still answers.
    assert city.search("what is the", mode="bm25") == []
    assert len(city.search("what is the", k=3)) == 3


def test_bad_search_arguments(city: Index) -> None:
    for kwargs, param in (
        ({"k": 0}, "k"),
        ({"mode": "fuzzy"}, "mode"),
        ({"effective_on": "next spring"}, "effective_on"),
    ):
        with pytest.raises(InputError) as caught:
            city.search("library", **kwargs)  # type: ignore[arg-type]
        assert caught.value.param == param


def test_query_syntax_is_not_fts_syntax(city: Index) -> None:
    for query in ('"unbalanced', "NEAR(a b", "title:card", "a AND OR NOT *", "-)("):
        city.search(query, mode="bm25")  # must not raise


def test_empty_index_returns_nothing(index: Index) -> None:
    assert index.search("library card") == []


def test_index_refuses_other_embedder(tmp_path: Path, embedder: Embedder) -> None:
    open_index(tmp_path / "i.db", embedder).close()

    class OtherModel(Embedder):
        model_id = "some-other-model"

    with pytest.raises(ConfigError, match="some-other-model"):
        open_index(tmp_path / "i.db", OtherModel(model=object()))


def test_not_an_index_file(tmp_path: Path, embedder: Embedder) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not a database, just text " * 100)
    with pytest.raises(ConfigError):
        open_index(path, embedder)


def test_index_embed_exposes_the_embedder(city: Index) -> None:
    vectors = city.embed(["one", "two"])
    assert vectors.shape == (2, city.embedder.dim)
    query = city.embed(["one"], query=True)
    assert abs(float(vectors[0] @ query[0])) <= 1.0001


def test_fuse_ranks_rewards_agreement() -> None:
    fused = fuse_ranks([(1.0, [1, 2, 3]), (1.0, [2, 4, 5])], k=3)
    assert [item for item, _ in fused] == [2, 1, 4]
    # A light second list only breaks ties; at full weight it reorders.
    assert [i for i, _ in fuse_ranks([(1.0, [1, 2]), (0.1, [5, 1])], k=3)] == [1, 2, 5]
    assert [i for i, _ in fuse_ranks([(1.0, [1, 2]), (1.0, [5, 1])], k=3)] == [1, 5, 2]


def test_common_words_are_left_out_at_scale(city: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    from civicllm.retrieval import sqlite_index

    both = city.search("library mattresses", k=10, mode="bm25")
    assert {p.section for p in both} >= {"Bulky items", "Who can get a card"}
    # Pretend the corpus is large: "library" (in 2 of 12 passages) is then too common.
    monkeypatch.setattr(sqlite_index, "PRUNE_FROM_CHUNKS", 1)
    monkeypatch.setattr(sqlite_index, "MAX_DOC_SHARE", 0.1)
    assert [p.section for p in city.search("library mattresses", k=10, mode="bm25")] == [
        "Bulky items"
    ]


def test_vector_mode_matches_exact_cosine_ranking(city: Index) -> None:
    import numpy as np

    db = city._db  # type: ignore[attr-defined]
    rows = db.execute(
        "select d.pack || ':' || d.document || '#' || c.ord, c.vector from chunks c"
        " join documents d on d.id = c.document_id"
    ).fetchall()
    ids = [r[0] for r in rows]
    matrix = np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
    for question in ("When is property tax due?", "¿Qué necesito para la tarjeta?"):
        scores = matrix @ city.embed([question], query=True)[0]
        exact = [ids[i] for i in np.argsort(-scores)[:5]]
        found = city.search(question, k=5, mode="vector")
        assert [p.id for p in found] == exact
        assert found[0].score == pytest.approx(float(scores.max()), abs=1e-5)
