"""Place names in English, Spanish, French and German, and the World Bank's groupings.

Country names come from the ISO 3166 list shipped with ``pycountry`` and its gettext
translations (offline), the names the publishers' files use, and a few common names from
``places.yaml``; the World Bank's ~49 aggregates (regions, income groups, ...) are named in
the four languages by ``places.yaml`` alone. Lookups ignore case, accents and punctuation.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from civicllm.language import fold

__all__ = ["AggregateInfo", "NameIndex", "PlaceTable", "load_place_table", "loose_key", "name_key"]

LANGUAGES = ("en", "es", "fr", "de")
_ARTICLES = ("the ", "la ", "le ", "el ", "los ", "las ", "les ", "die ", "der ", "das ", "l ")
# Words a name may carry or drop ("Republic of (the) Congo", "République du Congo").
_FILLERS = frozenset(
    "the of la le les el los las l d de del du des der die das den dem von".split()
)
_DECLINED = ("en", "em", "er", "es")  # German adjective endings: "Demokratischen" -> "-e"


def name_key(text: str) -> str:
    """Return the lookup key of a place name: folded, '&' as 'and', punctuation as spaces."""
    folded = fold(text).replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


def loose_key(text: str) -> str:
    """Return a looser key: articles and 'of' dropped, German adjective endings as '-e'.

    "Demokratischen Republik Kongo" and "Demokratische Republik Kongo" share one, and so do
    "Democratic Republic of Congo" and "Democratic Republic of the Congo". Names and
    questions are both read this way, so a word changed here changes it on both sides.
    """
    out = []
    for word in name_key(text).split():
        if word in _FILLERS:
            continue
        if len(word) >= 6 and word.endswith(_DECLINED) and word[-2] == "e":
            word = word[:-1]
        out.append(word)
    return " ".join(out)


@dataclass(frozen=True)
class AggregateInfo:
    """A World Bank grouping: its kind, two-character code, names and composite members."""

    code: str
    kind: str
    iso2: str
    names: Mapping[str, tuple[str, ...]]
    members_of: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # members listed in places.yaml (none in the files)


@dataclass(frozen=True)
class PlaceTable:
    """The aggregates and extra country names from ``places.yaml``."""

    aggregates: Mapping[str, AggregateInfo]
    countries: Mapping[str, Mapping[str, tuple[str, ...]]]
    iso2: Mapping[str, str] = field(default_factory=dict)
    group_keys: Mapping[str, str] = field(default_factory=dict)  # English name key -> code

    def region_code(self, name: str) -> str:
        """Return the code of a region or income group named in English, or ''."""
        return self.group_keys.get(name_key(name), "")


def _names(entry: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(str(n) for n in entry.get(lang, ())) for lang in LANGUAGES}


@cache
def load_place_table() -> PlaceTable:
    """Load ``places.yaml`` (once per process; it is read-only package data)."""
    text = resources.files("civicllm.data").joinpath("places.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    aggregates: dict[str, AggregateInfo] = {}
    for code, entry in raw["aggregates"].items():
        aggregates[code] = AggregateInfo(
            code,
            entry.get("kind", "aggregate"),
            str(entry.get("iso2", "")),
            _names(entry),
            tuple(entry.get("members_of", ())),
            tuple(str(c) for c in entry.get("countries", ())),
        )
    for code, (base, suffix) in raw["derived"].items():
        base_names = aggregates[base].names
        endings = raw["suffixes"][suffix]
        names = {
            lang: tuple(f"{b} {e}" for b in base_names[lang][:1] for e in endings[lang])
            for lang in LANGUAGES
        }
        aggregates[code] = AggregateInfo(code, "aggregate", "", names)
    countries = {code: _names(entry) for code, entry in raw["countries"].items()}
    iso2 = {code: info.iso2 for code, info in aggregates.items() if info.iso2}
    iso2.update({c: str(e["iso2"]) for c, e in raw["countries"].items() if "iso2" in e})
    groups = {
        name_key(name): info.code
        for info in aggregates.values()
        if info.kind in ("region", "income_group")
        for name in info.names.get("en", ())
    }
    return PlaceTable(aggregates, countries, iso2, groups)


@cache
def _translations(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # a pycountry without its locale files: English names only
        return gettext.NullTranslations()


def _iso_names(alpha3: str) -> dict[str, list[str]]:
    """Return the ISO names of a country in each language (common name first)."""
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return {}
    english = [
        str(n)
        for n in (
            getattr(country, "common_name", None),
            country.name,
            getattr(country, "official_name", None),
        )
        if n
    ]
    out = {"en": english}
    for lang in LANGUAGES[1:]:
        table = _translations(lang)
        out[lang] = [table.gettext(n) for n in english]
    return out


def iso2_of(code: str, table: PlaceTable) -> str:
    """Return the two-letter code the World Bank site uses for a place, or ''."""
    if code in table.iso2:
        return table.iso2[code]
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return str(country.alpha_2) if country is not None else ""


class NameIndex:
    """Find a place code from a name in EN/ES/FR/DE or a code; give localized names.

    Example::

        index = NameIndex({"KEN": "Kenya"}, [("KEN", "Kenya")], load_place_table())
        index.lookup("Kenia")  # "KEN"
    """

    def __init__(
        self,
        places: Mapping[str, str],
        file_names: Iterable[tuple[str, str]],
        table: PlaceTable,
    ) -> None:
        self._places = dict(places)  # code -> display name from the files
        self._table = table
        self._keys: dict[str, str] = {}
        self._loose: dict[str, str | None] = {}  # None: a key two places share
        self._local: dict[tuple[str, str], str] = {}
        known = self._places
        for code in known:
            self._add(code, code)
        for code, info in table.aggregates.items():
            if code in known:
                for lang in LANGUAGES:
                    for name in info.names.get(lang, ()):
                        self._add(name, code)
                    if info.names.get(lang):
                        self._local.setdefault((code, lang), info.names[lang][0])
        # Publisher names; OWID's code-less aggregates last so WB groups win a shared name.
        for code, name in sorted(file_names, key=lambda item: item[0].startswith("OWID:")):
            if code in known:
                self._add(name, code)
        iso = {code: _iso_names(code) for code in known if code not in table.aggregates}
        for code, names in iso.items():
            for name in names.get("en", ()):
                self._add(name, code)
        for code, by_lang in table.countries.items():
            if code in known:
                for lang in LANGUAGES:
                    for name in by_lang.get(lang, ()):
                        self._add(name, code)
        for code, by_lang in table.countries.items():
            for lang in LANGUAGES[1:]:
                if code in known and by_lang.get(lang):
                    self._local.setdefault((code, lang), by_lang[lang][0])
        for code, names in iso.items():
            for lang in LANGUAGES[1:]:
                for name in names.get(lang, ()):
                    self._add(name, code)
                if names.get(lang):
                    self._local.setdefault((code, lang), names[lang][0])

    def _add(self, name: str, code: str) -> None:
        key = name_key(name)
        if key:
            self._keys.setdefault(key, code)
        loose = loose_key(name)
        if loose:
            self._loose[loose] = code if self._loose.get(loose, code) == code else None

    def lookup(self, text: str) -> str | None:
        """Return the code for a name or code, or None when nothing matches."""
        key = name_key(text)
        if not key:
            return None
        found = self._keys.get(key)
        bare = key
        for article in _ARTICLES:
            if key.startswith(article):
                bare = key[len(article) :]
                break
        if found is None:
            found = self._keys.get(bare)
        words = bare.split()
        if found is None and words and words[0] not in _FILLERS and words[-1] not in _FILLERS:
            # Read loosely, and only a name no other place shares: a question's "of Chad"
            # is not a longer name for Chad.
            found = self._loose.get(loose_key(bare))
        return found

    def localized(self, code: str, language: str) -> str:
        """Return a place's name in a language (the publisher's name in English)."""
        if language == "en" or (code, language) not in self._local:
            return self._places.get(code, code)
        return self._local[(code, language)]
