"""The words a question uses for each indicator, category and place group, in EN/ES/FR/DE.

Every pattern is matched against ``civicllm.language.fold`` of the question (lower case,
no accents), with the places already found blanked out, so "least developed countries"
never reads as "least" and "Land" (a country) is not "ländlich" (rural). The patterns of all
four languages are tried whatever language is named: a question's language is often guessed
from a few words, and the words of one language rarely mean something else in another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ALIASES",
    "CATEGORY",
    "INDICATOR",
    "NUMBER_WORDS",
    "ORDER_LOWEST",
    "REGION_WORDS",
    "RURAL",
    "SET_PHRASES",
    "URBAN",
]


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


INDICATOR: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        # The reliability indicator available: losses between plant and consumer.
        "td_losses": _any(
            r"\blosse?s?\b",
            r"\blost\b",
            r"transmission and distribution",
            r"\btransmision y (la )?distribucion\b",
            r"\btransporte y (la )?distribucion\b",
            r"\btransport et (de )?(la )?distribution\b",
            r"\bubertragungs\w*",
            r"\bt ?& ?d\b",
            r"\bperdidas?\b",
            r"\bperd(io|ieron|ido|ian|ia)\b",
            r"\bpertes?\b",
            r"\bperdu\w*",
            r"\bverloren\b",
            r"verlust\w*",
            r"reliab\w*",
            r"\b(con)?fiabilidad\b",
            r"\bfiabilite\b",
            r"zuverlassig\w*",
            r"versorgungssicherheit",
        ),
        "water_safely_managed": _any(
            r"safely[ -]managed",
            r"\bsafe (drinking )?water\b",
            r"gestionad[oa]s? de (forma|manera) segura",
            r"\bgestion segura\b",
            r"\bagua (potable )?segura\b",
            r"geree?s? en toute securite",
            r"\beau (potable )?(salubre|sure)\b",
            r"sicher\w* (verwaltet|bewirtschaftet)\w*",
            r"\bsicher\w* trinkwasser\w*",
        ),
        "water_basic": _any(
            r"\bwater\b",
            r"\bdrinking\b",
            r"\bagua\b",
            r"\beau\b",
            r"\w*wasser\w*",
        ),
        "electricity_access": _any(
            r"\belectric\w*",
            r"\belectrific\w*",
            r"\bpower\b",
            r"\belectricidad\b",
            r"\belectrificacion\b",
            r"\belectricite\b",
            r"\bstrom\w*",
            r"\w*elektri\w*",
        ),
        "population": _any(
            r"\bpopulation\b",
            r"\bpoblacion\b",
            r"\bhabitantes\b",
            r"\bhabitants\b",
            r"\binhabitants\b",
            r"\bpeople live\b",
            r"\bbevolkerung\b",
            r"\beinwohner\w*",
        ),
    }
)

URBAN = _any(
    r"\burban\w*",
    r"\bcit(y|ies)\b",
    r"\btowns?\b",
    r"\bciudad(es)?\b",
    r"\burbain\w*",
    r"\bvilles?\b",
    r"\bstadt\w*",
    r"\bstadte\w*",
    r"\bstadtisch\w*",
)
RURAL = _any(
    r"\brural\w*",
    r"\bcountryside\b",
    r"\bcampo\b",
    r"\bcampagnes?\b",
    r"\blandlich\w*",
    r"\bauf dem lande?\b",
    r"\blandbevolkerung\b",
    r"\bstadt und (dem )?land\b",
    r"\bland und (der )?stadt\b",
)

CATEGORY: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        # Questions about what a word means: the pack's articles answer them.
        "definition": _any(
            r"\bwhat (does|do|is meant by)\b.*\bmean",
            r"\bmeaning of\b",
            r"\bdefin\w*",
            r"\bwhat counts as\b",
            r"\bhow is .* (measured|defined)\b",
            r"\bque (significa|quiere decir)\b",
            r"\bsignifica\b",
            r"\bque signifie\b",
            r"\bveut dire\b",
            r"\bqu'est-ce (que|qu')",
            r"\bwas (bedeutet|heisst|versteht man)\b",
            r"\bbedeutet\b",
        ),
        "resolve": _any(
            r"\biso ?3?\b.*\bcode\b",
            r"\bcode iso\b",
            r"\bcodigo iso\b",
            r"\biso-code\b",
            r"\b(which|what) region\b",
            r"\b(which|what) income group\b",
            r"\bque region\b",
            r"\bgrupo de ingresos?\b",
            r"\bquelle region\b",
            r"\bgroupe de revenus?\b",
            r"\bwelche[rm]? region\b",
            r"\beinkommensgruppe\b",
        ),
        "without": _any(
            r"\b(how many|number of) (people|persons|inhabitants)\b",
            r"\bcuant[ao]s? (personas|gente|habitantes)\b",
            r"\bnumero de (personas|habitantes)\b",
            r"\bcombien de (personnes|gens|habitants)\b",
            r"\bnombre de (personnes|gens|habitants)\b",
            r"\bwie viele (menschen|personen|leute|einwohner)\b",
            r"\banzahl der (menschen|personen)\b",
            # "how many Ethiopians": a people's name is read as its place, blanked to "_".
            r"\bhow many _",
            r"\bcuant[ao]s _",
            r"\bcombien d(e |')_",
            r"\bwie viele _",
        ),
        "lack": _any(
            r"\bwithout\b",
            r"\black\w*",
            r"\b(do|does|did) not have\b",
            r"\b(don't|doesn't|didn't) have\b",
            r"\bno access\b",
            r"\bno\b",  # "no tenían", "have no electricity": asked only after "how many"
            r"\bsin\b",
            r"\bcarec\w*",
            r"\bsans\b",
            r"\bn'\w+ pas\b",
            r"\bne \w+ pas\b",
            r"\bprive(e|s|es)?\b",
            r"\bohne\b",
            r"\bkein\w*",
            r"\bnicht\b",
        ),
        "rank": _any(
            r"\bhighest\b",
            r"\blowest\b",
            r"\btop\b",
            r"\bbottom\b",
            r"\bmost\b",
            r"\bleast\b",
            r"\bbest\b",
            r"\bworst\b",
            r"\brank\w*",
            r"\bwhich countr(y|ies)\b",
            # "three low-income countries": a count of countries, or of a group ("_").
            r"\b(\d{1,2}|three|five|ten|tres|cinco|diez|trois|cinq|dix|drei|funf|zehn)"
            r" (_|countries|paises|pays|lander)",
            r"\bmas (alt|baj)[oa]s?\b",
            r"\b(con|tienen|tenian|tuvieron|tuvo|tiene) (el |la )?(mas|menos)\b",
            r"\b(el|la|los|las) (mayor|menor)(es)?\b",
            r"\bclasificacion\b",
            r"\bque pais(es)?\b",
            r"\bplus (eleve|haut|bas|faible)\w*",
            r"\b(le|la|les) (plus|moins)\b",
            r"\bclassement\b",
            r"\bquels? pays\b",
            r"\b(hochste|niedrigste|geringste|meiste|wenigste|schlechteste)\w*",
            r"\bbeste[nmrs]?\b",
            r"\bam (hochsten|niedrigsten|meisten|wenigsten)\b",
            r"\brangliste\b",
            r"\bwelche[sn]? (land|lander)\b",
        ),
        "compare": _any(
            r"\bcompar\w*",
            r"\bvs\.?\b",
            r"\bversus\b",
            r"\bvergleich\w*",
            r"\bgegenuber\b",
        ),
        "series": _any(
            r"\bchang\w*",
            r"\btrend\w*",
            r"\bover time\b",
            r"\bevol\w*",
            r"\b(increas|decreas|grow|grew|fall|fell|improv|rise|rose)\w*",
            r"\bsince\b",
            r"\bcambi\w*",
            r"\btendencia\b",
            r"\bdesde\b",
            r"\b(aument|disminu|mejor)\w*",
            r"\bdepuis\b",
            r"\b(progress|augment|diminu|recul)\w*",
            r"\bveranderung\w*",
            r"\bverandert\w*",
            r"\bentwick\w*",
            r"\bseit\b",
            r"\b(gestiegen|gesunken|zugenommen|abgenommen)\b",
        ),
    }
)

ORDER_LOWEST = _any(
    r"\blowest\b",
    r"\bbottom\b",
    r"\bleast\b",
    r"\bworst\b",
    r"\bfewest\b",
    r"\bmas baj[oa]s?\b",
    r"\b(con|tienen|tenian|tuvieron|tuvo|tiene) (el |la )?menos\b",
    r"\b(le|la|les) moins\b",
    r"\b(el|la|los|las) menor(es)?\b",
    r"\bpeor(es)?\b",
    r"\bplus (bas|faible)\w*",
    r"\bpires?\b",
    r"\b(niedrigst|geringst|wenigst|schlechtest)\w*",
    r"\bam (niedrigsten|wenigsten)\b",
)

# Blanked before the category and order are read: their "least" and "most" rank nothing.
SET_PHRASES = _any(
    r"\bat least\b",
    r"\bal menos\b",
    r"\bpor lo menos\b",
    r"\bau moins\b",
    r"\bmost (recent|current|up[- ]to[- ]date)\b",
    r"\b(el|la|los|las) (dato|cifra|valor|datos|cifras|valores)? ?mas (recientes?|actual\w*)\b",
    r"\bmas (recientes?|actual\w*)\b",
    r"\b(le|la|les) plus (recente?s?|actuel\w*)\b",
)

# Words of a part of the world. Left over after the places are found, they name a region
# the data does not know ("North African", "Scandinavia", "Asie"): such a ranking is not
# ranked over the World instead.
REGION_WORDS = _any(
    r"\b(?:sud|nord|ost|west|zentral|mittel|sudost|nordost|sudwest|nordwest|centro|-)*"
    r"(afri|asia|asie|asien|asiat|europ|americ|amerik|carib|caraib|karib|pacif|pazif)\w*",
    r"\b(arab|nordic|nordisch|scandinav|skandinav|balkan|baltic|balte|baltique|baltikum)\w*",
    r"\b(sahel|mediterran|mittelmeer|ocean[ií]a|oceanie|ozeanien|levant|andean|andin)\w*",
    r"\b(middle east|moyen[- ]orient|oriente (medio|proximo)|nahost|naher osten|gulf states)\b",
)

NUMBER_WORDS: Mapping[str, int] = MappingProxyType(
    {
        "three": 3,
        "five": 5,
        "ten": 10,
        "tres": 3,
        "cinco": 5,
        "diez": 10,
        "trois": 3,
        "cinq": 5,
        "dix": 10,
        "drei": 3,
        "funf": 5,
        "zehn": 10,
    }
)

# Names of places the question may use that the snapshot's resolver may not know; folded.
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "world": "WLD",
        "the world": "WLD",
        "worldwide": "WLD",
        "globally": "WLD",
        "mundo": "WLD",
        "el mundo": "WLD",
        "monde": "WLD",
        "le monde": "WLD",
        "welt": "WLD",
        "weltweit": "WLD",
        "sub-saharan africa": "SSF",
        "subsaharan africa": "SSF",
        "africa subsahariana": "SSF",
        "afrique subsaharienne": "SSF",
        "subsahara-afrika": "SSF",
        "afrika sudlich der sahara": "SSF",
        "south asia": "SAS",
        "asia meridional": "SAS",
        "asie du sud": "SAS",
        "sudasien": "SAS",
        "latin america": "LCN",
        "america latina": "LCN",
        "amerique latine": "LCN",
        "lateinamerika": "LCN",
        "east asia": "EAS",
        "ostasien und dem pazifik": "EAS",
        "ostasien und dem pazifikraum": "EAS",
        "ostasien und der pazifikraum": "EAS",
        "ostasien und pazifikraum": "EAS",
        "ostasien-pazifik": "EAS",
        "sudlich der sahara": "SSF",
        "lateinamerika und der karibik": "LCN",
        "north america": "NAC",
        "central african countries": "AFW",
        "central african nations": "AFW",
        "central african states": "AFW",
        "africanos occidentales": "AFW",
        "paises africanos occidentales": "AFW",
        "africanos del oeste": "AFW",
        "africanos orientales": "AFE",
        "paises africanos orientales": "AFE",
        "low-income countries": "LIC",
        "low income countries": "LIC",
        "paises de ingreso bajo": "LIC",
        "paises de bajos ingresos": "LIC",
        "pays a faible revenu": "LIC",
        "lander mit niedrigem einkommen": "LIC",
        "high-income countries": "HIC",
        "high income countries": "HIC",
        "paises de ingreso alto": "HIC",
        "pays a revenu eleve": "HIC",
        "lander mit hohem einkommen": "HIC",
        "lower middle income countries": "LMC",
        "lower-middle-income countries": "LMC",
        "lower-middle income countries": "LMC",
        "paises de ingreso medio bajo": "LMC",
        "paises de renta media baja": "LMC",
        "pays a revenu intermediaire inferieur": "LMC",
        "pays a revenu moyen inferieur": "LMC",
        "lander mit unterem mittlerem einkommen": "LMC",
        "lander mit unterem mittleren einkommen": "LMC",
        "lander mit niedrigem mittleren einkommen": "LMC",
        "lander mit mittlerem einkommen der unteren kategorie": "LMC",
        "lander mit mittlerem einkommen der unteren stufe": "LMC",
        "lander mit mittlerem einkommen im unteren bereich": "LMC",
        "upper middle income countries": "UMC",
        "upper-middle-income countries": "UMC",
        "upper-middle income countries": "UMC",
        "paises de ingreso medio alto": "UMC",
        "paises de renta media alta": "UMC",
        "pays a revenu intermediaire superieur": "UMC",
        "pays a revenu moyen superieur": "UMC",
        "lander mit oberem mittlerem einkommen": "UMC",
        "lander mit oberem mittleren einkommen": "UMC",
        "lander mit gehobenem mittleren einkommen": "UMC",
        "lander mit mittlerem einkommen der oberen kategorie": "UMC",
        "lander mit mittlerem einkommen der oberen stufe": "UMC",
        "lander mit mittlerem einkommen im oberen bereich": "UMC",
        "middle-income countries": "MIC",
        "middle income countries": "MIC",
    }
)
