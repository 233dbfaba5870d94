"""What a country's or region's people are called, in EN/ES/FR/DE: "Nigerians", "éthiopiens".

A question often names a place by its people ("How many Ethiopians ...", "¿Qué porcentaje de
mexicanos ...?") or a group by its adjective ("South Asian countries", "pays
subsahariens", "lateinamerikanische Länder"). ``DEMONYMS`` maps each folded form (singular,
plural, feminine, as the language declines it) to a place code.

What it trades away: a hand-written list. It covers the countries most asked about in this
data (those with low access and the large ones), not all; names shared by two countries
("Congolese", "Guinean") are left out rather than guessed, and so are words that also name a
language ("French", "español": "answer in French" names no place) or a continent
("American", "African", "European").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from civicllm.language import fold

__all__ = ["DEMONYMS", "declensions"]

# code: (English, Spanish, French, German) singular masculine forms; "|" separates several.
_COUNTRIES: dict[str, tuple[str, str, str, str]] = {
    "AFG": ("Afghan", "afgano", "afghan", "Afghane"),
    "AGO": ("Angolan", "angoleño", "angolais", "Angolaner"),
    "ARG": ("Argentine|Argentinian", "argentino", "argentin", "Argentinier"),
    "BDI": ("Burundian", "burundés", "burundais", "Burundier"),
    "BEN": ("Beninese", "beninés", "béninois", "Beniner"),
    "BFA": ("Burkinabe|Burkinabè", "burkinés", "burkinabè|burkinabé", "Burkiner"),
    "BGD": ("Bangladeshi", "bangladesí", "bangladais", "Bangladescher"),
    "BOL": ("Bolivian", "boliviano", "bolivien", "Bolivianer"),
    "BRA": ("Brazilian", "brasileño", "brésilien", "Brasilianer"),
    "BWA": ("Botswanan", "botsuano", "botswanais", "Botswaner"),
    "CAF": ("Central African", "centroafricano", "centrafricain", "Zentralafrikaner"),
    "CHL": ("Chilean", "chileno", "chilien", "Chilene"),
    "CIV": ("Ivorian", "marfileño", "ivoirien", "Ivorer"),
    "CMR": ("Cameroonian", "camerunés", "camerounais", "Kameruner"),
    "COL": ("Colombian", "colombiano", "colombien", "Kolumbianer"),
    "DEU": ("", "", "", "Deutsche"),  # the others also name a language
    "EGY": ("Egyptian", "egipcio", "égyptien", "Ägypter"),
    "ERI": ("Eritrean", "eritreo", "érythréen", "Eritreer"),
    "ESP": ("Spaniard", "", "", "Spanier"),
    "ETH": ("Ethiopian", "etíope", "éthiopien", "Äthiopier"),
    "FRA": ("", "", "", "Franzose"),
    "GHA": ("Ghanaian", "ghanés", "ghanéen", "Ghanaer"),
    "GTM": ("Guatemalan", "guatemalteco", "guatémaltèque", "Guatemalteke"),
    "HND": ("Honduran", "hondureño", "hondurien", "Honduraner"),
    "HTI": ("Haitian", "haitiano", "haïtien", "Haitianer"),
    "IDN": ("Indonesian", "indonesio", "indonésien", "Indonesier"),
    "IND": ("Indian", "indio|hindú", "indien", "Inder"),
    "IRQ": ("Iraqi", "iraquí", "irakien", "Iraker"),
    "KEN": ("Kenyan", "keniano|keniata", "kényan|kenyan", "Kenianer"),
    "KHM": ("Cambodian", "camboyano", "cambodgien", "Kambodschaner"),
    "LBR": ("Liberian", "liberiano", "libérien", "Liberianer"),
    "LSO": ("Basotho|Mosotho", "lesotense", "lesothan", "Lesother"),
    "MAR": ("Moroccan", "marroquí", "marocain", "Marokkaner"),
    "MDG": ("Malagasy", "malgache", "malgache", "Madagasse"),
    "MEX": ("Mexican", "mexicano", "mexicain", "Mexikaner"),
    "MLI": ("Malian", "maliense", "malien", "Malier"),
    "MMR": ("Burmese", "birmano", "birman", "Myanmare"),
    "MOZ": ("Mozambican", "mozambiqueño", "mozambicain", "Mosambikaner"),
    "MWI": ("Malawian", "malauí", "malawite|malawien", "Malawier"),
    "NER": ("Nigerien", "nigerino", "nigérien", "Nigrer"),
    "NGA": ("Nigerian", "nigeriano", "nigérian", "Nigerianer"),
    "NIC": ("Nicaraguan", "nicaragüense", "nicaraguayen", "Nicaraguaner"),
    "NPL": ("Nepali|Nepalese", "nepalí|nepalés", "népalais", "Nepalese"),
    "PAK": ("Pakistani", "pakistaní", "pakistanais", "Pakistaner"),
    "PER": ("Peruvian", "peruano", "péruvien", "Peruaner"),
    "PHL": ("Filipino", "filipino", "philippin", "Philippiner"),
    "PNG": ("Papua New Guinean", "papú", "papouan-néo-guinéen", "Papua-Neuguineer"),
    "RWA": ("Rwandan", "ruandés", "rwandais", "Ruander"),
    "SDN": ("Sudanese", "sudanés", "soudanais", "Sudanese"),
    "SEN": ("Senegalese", "senegalés", "sénégalais", "Senegalese"),
    "SLE": ("Sierra Leonean", "sierraleonés", "sierra-léonais", "Sierra-Leoner"),
    "SOM": ("Somali", "somalí", "somalien", "Somalier"),
    "SSD": ("South Sudanese", "sursudanés", "sud-soudanais", "Südsudanese"),
    "TCD": ("Chadian", "chadiano", "tchadien", "Tschader"),
    "TGO": ("Togolese", "togolés", "togolais", "Togoer"),
    "TZA": ("Tanzanian", "tanzano", "tanzanien", "Tansanier"),
    "UGA": ("Ugandan", "ugandés", "ougandais", "Ugander"),
    "VNM": ("Vietnamese", "vietnamita", "vietnamien", "Vietnamese"),
    "YEM": ("Yemeni", "yemení", "yéménite", "Jemenit"),
    "ZAF": ("South African", "sudafricano", "sud-africain", "Südafrikaner"),
    "ZMB": ("Zambian", "zambiano", "zambien", "Sambier"),
    "ZWE": ("Zimbabwean", "zimbabuense", "zimbabwéen", "Simbabwer"),
}

# The adjectives of the World Bank's regions ("South Asian countries"), same layout.
_REGIONS: dict[str, tuple[str, str, str, str]] = {
    "SAS": ("South Asian", "surasiático|sudasiático", "sud-asiatique", "südasiatisch"),
    "SSF": (
        "Sub-Saharan|Subsaharan|Sub-Saharan African|Subsaharan African",
        "subsahariano|africano subsahariano",
        "subsaharien|africain subsaharien|sub-saharien",
        "subsaharisch",
    ),
    "LCN": (
        "Latin American|Latin American and Caribbean",
        "latinoamericano",
        "latino-américain|latinoaméricain",
        "lateinamerikanisch",
    ),
    "EAS": (
        "East Asian|East Asian and Pacific",
        "asiático oriental",
        "est-asiatique",
        "ostasiatisch",
    ),
    "MEA": ("Middle Eastern|Middle Eastern and North African", "", "", "nahöstlich"),
    # The World Bank's two halves of Sub-Saharan Africa. "Central African" alone is the
    # Central African Republic; "Central African countries" is an alias in ``words``.
    "AFW": (
        "West African|Western African|West and Central African|Western and Central African",
        "",
        "ouest-africain|africain de l'ouest",
        "westafrikanisch|zentralafrikanisch",
    ),
    "AFE": (
        "East African|Eastern African|Southern African|East and Southern African",
        "",
        "est-africain|africain de l'est",
        "ostafrikanisch",
    ),
}


def declensions(word: str, language: str) -> set[str]:
    """Return the folded forms of a demonym or adjective: plural, feminine, case endings."""
    x = fold(word)
    last = x.split()[-1]
    if language == "en":
        return {x, x + "s"}
    if language == "es":
        if last.endswith("o"):
            return {x, x + "s", x[:-1] + "a", x[:-1] + "as"}
        if last.endswith(("es", "an")):  # senegalés, alemán
            return {x, x + "a", x + "as", x + "es"}
        if last.endswith("i"):  # marroquí
            return {x, x + "s", x + "es"}
        return {x, x + "s"}
    if language == "fr":
        if last.endswith("en"):  # éthiopien(ne)(s)
            return {x, x + "s", x + "ne", x + "nes"}
        if last.endswith(("ais", "ois")):
            return {x, x + "e", x + "es"}
        if last.endswith("e"):
            return {x, x + "s"}
        return {x, x + "s", x + "e", x + "es"}
    if last.endswith(("isch", "lich")):  # südasiatisch(e/en/er/es/em)
        return {x, *(x + end for end in ("e", "en", "er", "es", "em"))}
    if last.endswith("er"):  # Äthiopier, -n, -in, -innen
        return {x, x + "n", x + "in", x + "innen"}
    if last.endswith("e"):  # Senegalese, -n, Senegalesin
        return {x, x + "n", x[:-1] + "in", x[:-1] + "innen"}
    return {x, x + "en", x + "in", x + "innen"}


def _table(*groups: Mapping[str, tuple[str, str, str, str]]) -> Iterable[tuple[str, str]]:
    for group in groups:
        for code, words in group.items():
            for language, names in zip(("en", "es", "fr", "de"), words, strict=True):
                for name in filter(None, names.split("|")):
                    for form in declensions(name, language):
                        yield form, code


def _build() -> Mapping[str, str]:
    found: dict[str, str] = {}
    for form, code in _table(_COUNTRIES, _REGIONS):
        found.setdefault(form, code)
    return MappingProxyType(found)


DEMONYMS: Mapping[str, str] = _build()
