"""The NAICS index's vectors: shipped ones are used only when their hash matches."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from civicllm.retrieval.embed import Embedder
from civicllm.tools.small_business import naics_index
from civicllm.tools.small_business.naics_index import (
    build_index,
    build_passages,
    fold_tokens,
    load_synonyms,
    passage_hash,
)
from civicllm.tools.small_business.store import load_tables


class FakeEmbedder:
    """Eight dimensions from letter counts: fast, deterministic, and not the shipped model."""

    dim = 8

    def __init__(self, model_id: str = "fake-letters") -> None:
        self.model_id = model_id
        self.passages_embedded = 0

    def _vector(self, text: str) -> NDArray[np.float32]:
        v = np.zeros(self.dim, dtype=np.float32)
        for ch in text.lower():
            v[ord(ch) % self.dim] += 1.0
        return v / (np.linalg.norm(v) or 1.0)

    def embed_query(self, text: str) -> NDArray[np.float32]:
        return self._vector(text)

    def embed_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.passages_embedded += len(texts)
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_tables(tmp_path_factory.mktemp("naics-index-home"))[-1]


def unique_texts(table, synonyms) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(p.text for p in build_passages(table, synonyms)))


def test_the_shipped_vectors_match_the_shipped_table_and_synonyms(table) -> None:  # type: ignore[no-untyped-def]
    # Fails when the synonyms or titles change without rebuilding the vectors
    # (python -m civicllm.tools.small_business.naics_vectors).
    meta_path = Path(str(naics_index._vectors_dir())) / naics_index.SHIPPED_META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    texts = unique_texts(table, load_synonyms())
    assert meta["model_id"] == Embedder.model_id
    assert meta["hash"] == passage_hash(Embedder.model_id, texts)
    assert meta["passages"] == len(texts)


def test_a_hash_mismatch_computes_vectors_into_the_cache_once(table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = FakeEmbedder()
    first = build_index(table, fake, cache_dir=tmp_path)
    assert first.vectors_source == "computed"
    assert fake.passages_embedded == len(unique_texts(table, load_synonyms()))
    assert len(list(tmp_path.glob("naics-*.npy"))) == 1
    again = build_index(table, fake, cache_dir=tmp_path)
    assert again.vectors_source == "cache"
    assert fake.passages_embedded == len(unique_texts(table, load_synonyms()))  # not again
    assert again.search("plombier", 3)[0].code == "238220"  # BM25 still finds it


def test_edited_texts_with_the_shipped_model_id_are_recomputed(table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Same model id as the shipped file, other passages (one synonym list emptied): the
    # shipped vectors do not fit, so they are not used.
    synonyms = load_synonyms()
    synonyms["de"] = {}
    fake = FakeEmbedder(Embedder.model_id)
    index = build_index(table, fake, cache_dir=tmp_path, synonyms=synonyms)
    assert index.vectors_source == "computed"
    assert fake.passages_embedded == len(unique_texts(table, synonyms))


def test_a_corrupt_cache_file_is_recomputed(table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = FakeEmbedder()
    build_index(table, fake, cache_dir=tmp_path)
    cache = next(tmp_path.glob("naics-*.npy"))
    cache.write_bytes(b"not a numpy file")
    assert build_index(table, fake, cache_dir=tmp_path).vectors_source == "computed"


def test_the_real_index_uses_the_shipped_vectors(table) -> None:  # type: ignore[no-untyped-def]
    index = naics_index.index_for(table)
    assert index.vectors_source == "shipped"
    assert naics_index.index_for(table) is index  # built once per process


def test_tokens_fold_accents_case_and_plurals() -> None:
    assert fold_tokens("Bäckereien") == fold_tokens("BÄCKEREI") == ["backerei"]
    assert fold_tokens("Plombiers") == ["plombier"]
    assert fold_tokens("bakeries") == fold_tokens("bakery")
    assert fold_tokens("la panadería de mi barrio") == ["panaderia", "barrio"]
    assert fold_tokens("Straße") == ["strasse"]


def test_every_synonym_code_has_a_size_standard(table) -> None:  # type: ignore[no-untyped-def]
    synonyms = load_synonyms()
    for language, by_code in synonyms.items():
        unknown = [code for code in by_code if code not in table.industries]
        assert unknown == [], language
        assert len(by_code) >= 250, language


def test_threads_asking_at_once_build_one_index(table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    indexes = naics_index._Indexes()
    fake = FakeEmbedder()
    with ThreadPoolExecutor(max_workers=4) as pool:
        built = list(pool.map(lambda _: indexes.get(table, fake, lambda: tmp_path), range(4)))
    assert all(index is built[0] for index in built)
    assert fake.passages_embedded == len(unique_texts(table, load_synonyms()))


def test_a_code_listed_twice_in_a_synonym_list_is_refused(tmp_path: Path) -> None:
    for language in ("en", "es", "fr", "de"):
        (tmp_path / f"{language}.yaml").write_text('"722330": [food truck]\n', encoding="utf-8")
    (tmp_path / "fr.yaml").write_text(
        '"722330": [food truck]\n"722330": [camion restaurant]\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="722330"):
        load_synonyms(tmp_path)
    (tmp_path / "fr.yaml").write_text('"722330": [food truck, camion restaurant]\n')
    assert load_synonyms(tmp_path)["fr"] == {"722330": ["food truck", "camion restaurant"]}
