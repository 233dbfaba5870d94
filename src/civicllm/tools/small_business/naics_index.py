"""The NAICS search index: SBA/Census titles, exceptions and our synonyms, by words and meaning.

One passage per thing a person might type: each 6-digit industry of the size table (SBA's
description, and the Census 2022 title where it differs), each exception row ("Engineering
Services: Military and Aerospace Equipment and Military Weapons"), and each everyday phrase
of ``synonyms/{en,es,fr,de}.yaml`` ("plombier", "Bäckerei", "food truck"). Two rankings of
the industries are fused with ``civicllm.retrieval.index.fuse_ranks``:

- words: BM25 (``bm25s``) over the passages, accents and case folded and a light suffix rule
  applied to both sides (plural -s, -ies/-y, German -en), so "Bäckereien" meets "Bäckerei";
  a query word the index lacks stands for index words it contains or that contain it
  ("Gebäudereinigungsunternehmen" -> "gebaudereinigung"), German compounds mostly;
- meaning: multilingual-e5-small vectors (``Embedder``), cosine of the query with each
  passage, so "je répare des tuyaux" can reach a plumbing passage with no word in common.

An industry's rank in each list is that of its best passage. Vectors of the shipped table's
passages ship in ``vectors/naics_e5.npy`` (float16) with ``naics_e5.json`` holding the hash
of (model id, passage texts); at load the hash is checked, and on a mismatch (another
table, edited synonyms, another embedder) the vectors are computed once into
``<home>/cache/small-business/naics-<hash>.npy`` and read from there afterwards. Rebuild the
shipped file after editing synonyms with ``python -m civicllm.tools.small_business.naics_vectors``.

What this trades away: indexes are kept in memory per table (a few MB each) for the life of
the process; building one with vectors already computed takes well under a second, and
computing the vectors of ~4,000 passages about half a minute on two cores.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

import bm25s
import numpy as np
import yaml
from numpy.typing import NDArray

from civicllm.retrieval.index import fuse_ranks
from civicllm.tools.small_business.table import SizeTable

__all__ = [
    "LANGUAGES",
    "Hit",
    "NaicsIndex",
    "NaicsPassage",
    "TextEmbedder",
    "build_index",
    "build_passages",
    "fold_tokens",
    "index_for",
    "load_synonyms",
    "passage_hash",
    "write_shipped_vectors",
]

LANGUAGES = ("en", "es", "fr", "de")
Kind = Literal["title", "naics_title", "exception", "synonym"]

# How many industries of each ranking take part in the fusion, and each ranking's weight.
_DEPTH = 60
_WORDS_WEIGHT = 1.0
_MEANING_WEIGHT = 1.0
_COVERAGE_POWER = 2.0
# The reciprocal-rank constant (the one civicllm.retrieval uses).
_RRF = 10

# Words that say nothing about an activity, in the four languages (folded: no accents).
_STOPWORDS = frozenset(
    """
    a an and are as at be by do does for from i in is it its my of on or our the to we with
    what which who how company business firm shop store services service small own run make
    de del la las el los un una unos unas y o en con por para que mi mis su sus es soy tengo
    nuestra nuestro empresa negocio hacemos hago
    le les des du d l un une et ou au aux en avec pour par que qui mon ma mes notre nos je
    nous suis fais faisons entreprise societe
    der die das den dem des ein eine einen einem einer und oder in im mit fur von zu zum zur
    ich wir mein meine unser unsere bin ist habe haben machen mache firma betrieb unternehmen
    client clients customer customers cliente clientes kunde kunden kund people gente gens leute
    operate offer provide little tiny ofrecemos ofrezco operamos pequeno pequena artisanal
    artisanale artisanales artesanal artesanales handmade handgemacht handwerklich
    petit petite proposons propose offrons exploite exploitons betreiben betreibe betreib
    betreibt klein kleine kleines kleiner kleinen bieten biete anbieten
    """.split()
)
_TOKEN = re.compile(r"[a-z0-9]+")


class TextEmbedder(Protocol):
    """What the index needs of an embedder (``civicllm.retrieval.embed.Embedder`` is one)."""

    model_id: str
    dim: int

    def embed_query(self, text: str) -> NDArray[np.float32]: ...

    def embed_passages(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


@dataclass(frozen=True)
class NaicsPassage:
    """One searchable text of an industry: a title, an exception's title or a synonym."""

    code: str
    text: str
    kind: Kind
    language: str  # the synonym list's language; "en" for SBA and Census titles
    exception: int | None = None  # the exception number, for kind "exception"


@dataclass(frozen=True)
class Hit:
    """An industry found: its fused score in [0, 1] and the passage that matched best."""

    code: str
    score: float
    passage: NaicsPassage


def _fold(text: str) -> str:
    text = text.casefold().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 5 and token.endswith("en"):
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def fold_tokens(text: str) -> list[str]:
    """Return the BM25 tokens of a text: folded, split, stop words dropped, suffixes cut."""
    stems = (_stem(t) for t in _TOKEN.findall(_fold(text)) if t not in _STOPWORDS)
    return [t for t in stems if t not in _STOPWORDS and (len(t) > 1 or t.isdigit())]


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _synonyms_dir() -> Path:
    return Path(str(resources.files("civicllm.tools.small_business").joinpath("synonyms")))


def load_synonyms(folder: Path | None = None) -> dict[str, dict[str, list[str]]]:
    """Return language -> code -> everyday phrases, read from ``synonyms/<lang>.yaml``."""
    folder = folder or _synonyms_dir()
    found: dict[str, dict[str, list[str]]] = {}
    for language in LANGUAGES:
        path = folder / f"{language}.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        # YAML keeps the last of two equal keys: a code listed twice would lose phrases.
        listed = re.findall(r'^"(\d{6})":', path.read_text(encoding="utf-8"), re.M)
        twice = sorted({code for code in listed if listed.count(code) > 1})
        if twice:
            raise ValueError(f"{path}: codes listed twice: {', '.join(twice)}")
        found[language] = {str(code): [str(p) for p in phrases] for code, phrases in raw.items()}
    return found


def build_passages(
    table: SizeTable, synonyms: Mapping[str, Mapping[str, Sequence[str]]]
) -> list[NaicsPassage]:
    """Return the passages of every industry of a table with a size standard, in code order.

    A synonym of a code the table lacks is skipped (a later table may drop or renumber it).
    """
    passages: list[NaicsPassage] = []
    for code in sorted(table.industries):
        industry = table.industries[code]
        passages.append(NaicsPassage(code, industry.title, "title", "en"))
        if industry.naics_title and _fold(industry.naics_title) != _fold(industry.title):
            passages.append(NaicsPassage(code, industry.naics_title, "naics_title", "en"))
        for row in industry.exceptions:
            text = f"{industry.title}: {row.title}"
            passages.append(NaicsPassage(code, text, "exception", "en", row.number))
        for language in LANGUAGES:
            for phrase in synonyms.get(language, {}).get(code, ()):
                passages.append(NaicsPassage(code, phrase, "synonym", language))
    return passages


def _unique_texts(passages: Iterable[NaicsPassage]) -> list[str]:
    return list(dict.fromkeys(p.text for p in passages))


def passage_hash(model_id: str, texts: Sequence[str]) -> str:
    """Return the sha256 of an embedder's model id and the passage texts, in order."""
    digest = hashlib.sha256(model_id.encode("utf-8"))
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()


def _vectors_dir() -> Path:
    return Path(str(resources.files("civicllm.tools.small_business").joinpath("vectors")))


SHIPPED_VECTORS = "naics_e5.npy"
SHIPPED_META = "naics_e5.json"


def _read_matrix(path: Path, rows: int, dim: int) -> NDArray[np.float32] | None:
    try:
        matrix = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if matrix.shape != (rows, dim):
        return None
    return np.asarray(matrix, dtype=np.float32)


def load_vectors(
    texts: Sequence[str], embedder: TextEmbedder, cache_dir: Path | None
) -> tuple[NDArray[np.float32], str]:
    """Return the vectors of texts and where they came from ("shipped", "cache", "computed").

    The shipped file is used when its stored hash is that of (model id, texts); else the
    cache file named by the hash; else the vectors are computed and written to the cache.
    """
    key = passage_hash(embedder.model_id, texts)
    meta_path = _vectors_dir() / SHIPPED_META
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("hash") == key:
            found = _read_matrix(_vectors_dir() / SHIPPED_VECTORS, len(texts), embedder.dim)
            if found is not None:
                return found, "shipped"
    cache = cache_dir / f"naics-{key[:32]}.npy" if cache_dir is not None else None
    if cache is not None and cache.is_file():
        found = _read_matrix(cache, len(texts), embedder.dim)
        if found is not None:
            return found, "cache"
    vectors = np.asarray(embedder.embed_passages(list(texts)), dtype=np.float32)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".tmp.npy")
        np.save(partial, vectors.astype(np.float16), allow_pickle=False)
        partial.replace(cache)  # atomic: a second process never reads half a file
    return vectors, "computed"


class NaicsIndex:
    """Search one size table's industries by words and by meaning. Example::

    index = index_for(table_for())
    [hit.code for hit in index.search("plombier", 3)]   # ['238220', ...]
    """

    def __init__(
        self,
        table: SizeTable,
        passages: Sequence[NaicsPassage],
        vectors: NDArray[np.float32],
        embedder: TextEmbedder,
        source: str = "",
    ) -> None:
        self.table = table
        self.passages = tuple(passages)
        self.vectors_source = source  # "shipped", "cache" or "computed"
        self._embedder = embedder
        self._embed_lock = threading.Lock()
        texts = _unique_texts(self.passages)
        row_of = {text: i for i, text in enumerate(texts)}
        self._rows = np.array([row_of[p.text] for p in self.passages], dtype=np.int64)
        self._vectors = vectors
        self._codes = sorted({p.code for p in self.passages})
        code_number = {code: i for i, code in enumerate(self._codes)}
        self._code_of = np.array([code_number[p.code] for p in self.passages], dtype=np.int64)
        self._bm25 = bm25s.BM25()
        corpus = [fold_tokens(p.text) or ["\x00"] for p in self.passages]
        self._tokens = corpus
        self._bm25.index(corpus, show_progress=False)
        self._vocabulary = set(self._bm25.vocab_dict)
        self._long_words = sorted(w for w in self._vocabulary if len(w) >= 5)
        self._by_prefix: dict[str, list[str]] = {}
        for word in self._long_words:
            if len(word) >= 6:
                self._by_prefix.setdefault(word[:6], []).append(word)

    def _expand(self, token: str) -> tuple[str, ...]:
        """Return the index words a query word matches: itself, or up to 3 related words."""
        if token in self._vocabulary:
            return (token,)
        if len(token) < 6:
            return ()
        related = [
            word
            for word in self._long_words
            if word != token
            and (token.startswith(word) or token.endswith(word) or word.startswith(token))
        ]
        for word in self._by_prefix.get(token[:6], ()):
            shorter = min(len(word), len(token))
            if word not in related and _shared_prefix(word, token) >= 0.8 * shorter:
                related.append(word)
        related.sort(key=lambda w: (-len(w), w))
        return tuple(related[:3])

    def _best_per_code(self, scores: NDArray[np.float32]) -> tuple[list[int], dict[int, int]]:
        """Return codes ranked by their best passage's score, and each code's best passage."""
        order = np.argsort(-scores, kind="stable")
        ranked: list[int] = []
        best: dict[int, int] = {}
        for passage in order:
            if scores[passage] <= 0:
                break
            code = int(self._code_of[passage])
            if code not in best:
                best[code] = int(passage)
                ranked.append(code)
                if len(ranked) >= _DEPTH:
                    break
        return ranked, best

    def search(
        self, query: str, limit: int, *, words: bool = True, meaning: bool = True
    ) -> list[Hit]:
        """Return up to ``limit`` industries for a description, best first.

        The word ranking counts as far as its best passage covers the query's words (its
        weight is the covered share, squared): "food truck" matching the synonym "food
        truck" counts fully, "keep rats out of restaurants" matching "restaurant" barely, so
        the meaning ranking decides sentences that share one stray word with a title.

        The score is the fused reciprocal-rank score divided by the score of an industry
        ranked first by both searches with every query word covered: 1.0 means that; a code
        only the meaning search found scores at most 0.5. It orders the results of one query
        and is not a probability. ``words=False`` or ``meaning=False`` leaves one ranking out
        (the benchmark compares them).
        """
        content = list(dict.fromkeys(fold_tokens(query)))
        # Each query word stands for itself, or for the index words it contains, that
        # contain it, or that share most of its beginning (compounds, inflections).
        meant = {t: self._expand(t) for t in content} if words else {}
        tokens = [w for t in content for w in meant.get(t, ())]
        rankings: list[tuple[float, Sequence[int]]] = []
        best: dict[int, int] = {}
        meaning_best: dict[int, int] = {}
        if tokens:
            word_scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
            ranked, best = self._best_per_code(word_scores)
            weight = _WORDS_WEIGHT
            if ranked and _COVERAGE_POWER:
                # Trust the words as far as the best passage covers the query's words.
                have = set(self._tokens[best[ranked[0]]])
                covered = sum(1 for t in content if have & set(meant[t]))
                weight *= (covered / len(content)) ** _COVERAGE_POWER
            rankings.append((weight, ranked))
        if meaning:
            with self._embed_lock:  # one embedding at a time: the model is not shared safely
                query_vector = np.asarray(self._embedder.embed_query(query), dtype=np.float32)
            cosine = (self._vectors @ query_vector)[self._rows]
            # Shift so every passage scores above zero: the meaning ranking covers all codes.
            meaning_ranked, meaning_best = self._best_per_code(cosine - cosine.min() + 1e-6)
            rankings.append((_MEANING_WEIGHT, meaning_ranked))
        # Relative to the channels asked for: a query no passage word matches scores at
        # most 0.5, which says only its meaning matched.
        asked = (_WORDS_WEIGHT if words else 0.0) + (_MEANING_WEIGHT if meaning else 0.0)
        top = max(asked, 1e-9) / (_RRF + 1)
        hits = []
        for code, fused in fuse_ranks(rankings, k=limit, constant=_RRF):
            passage = best.get(code, meaning_best.get(code))
            assert passage is not None  # every fused code came from one of the rankings
            score = round(min(1.0, fused / top), 4)
            hits.append(Hit(self._codes[code], score, self.passages[passage]))
        return hits


def build_index(
    table: SizeTable,
    embedder: TextEmbedder,
    *,
    cache_dir: Path | None = None,
    synonyms: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> NaicsIndex:
    """Build the index of a table: passages, BM25, and vectors (shipped, cached or computed)."""
    passages = build_passages(table, load_synonyms() if synonyms is None else synonyms)
    vectors, source = load_vectors(_unique_texts(passages), embedder, cache_dir)
    return NaicsIndex(table, passages, vectors, embedder, source)


class _Indexes:
    """The indexes built so far in this process, one per table (thread-safe, built once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[tuple[str, str, str], NaicsIndex] = {}
        self._embedder: TextEmbedder | None = None

    def get(
        self,
        table: SizeTable,
        embedder: TextEmbedder | None,
        cache_dir: Callable[[], Path | None],
    ) -> NaicsIndex:
        with self._lock:
            if embedder is None:
                if self._embedder is None:
                    from civicllm.retrieval.embed import Embedder

                    self._embedder = Embedder()
                embedder = self._embedder
            key = (table.title, table.sha256, f"{embedder.model_id}@{id(embedder)}")
            if key not in self._built:
                self._built[key] = build_index(table, embedder, cache_dir=cache_dir())
            return self._built[key]


_INDEXES = _Indexes()


def _home_cache() -> Path | None:
    from civicllm.tools.small_business.store import current_home

    return current_home() / "cache" / "small-business"


def index_for(table: SizeTable, embedder: TextEmbedder | None = None) -> NaicsIndex:
    """Return the index of a table, built on first use and kept for the process."""
    return _INDEXES.get(table, embedder, _home_cache)


def write_shipped_vectors(table: SizeTable, embedder: TextEmbedder) -> dict[str, Any]:
    """Compute the vectors of a table's passages into the package's ``vectors/`` folder."""
    texts = _unique_texts(build_passages(table, load_synonyms()))
    vectors = np.asarray(embedder.embed_passages(texts), dtype=np.float32)
    folder = _vectors_dir()
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / SHIPPED_VECTORS, vectors.astype(np.float16), allow_pickle=False)
    meta = {
        "model_id": embedder.model_id,
        "hash": passage_hash(embedder.model_id, texts),
        "passages": len(texts),
        "table": table.title,
        "dtype": "float16",
    }
    (folder / SHIPPED_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
