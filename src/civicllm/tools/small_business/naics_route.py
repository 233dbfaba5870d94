"""Which questions are for ``small-business/naics-search``, and what activity they name.

A question is for the search when it asks for a NAICS code ("What is the NAICS code for a
bakery?", "¿Qué código NAICS tiene un fontanero?", "Quel est le code NAICS d'un
plombier ?", "Welcher NAICS-Code passt zu einer Bäckerei?"; SCIAN, the Spanish and French
name of NAICS, counts too) or for the size standard of an activity ("What is the size
standard for plumbers?"). The activity is what is left once the question's frame words are
dropped; it must contain a word the index knows (a title or synonym word), so "How is the
size standard calculated?" is not a search. A question with an amount or a head count
("... if we made $5 million?") is a size check, not a search, and is left to that tool; a
question about NAICS or the rules themselves ("What does NAICS stand for?", "Over what period
are employees averaged?") is left to the articles.
A 6-digit code in the question is searched as the code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from civicllm.tools.small_business.naics_index import (
    build_passages,
    fold_tokens,
    load_synonyms,
)

__all__ = ["activity_words", "route_naics"]

_TRIGGERS = re.compile(
    r"\bnaics\b|\bscian\b|industry code|classification code|branchencode|branchenschl"
    r"|size standards?\b|norma de tamano|normas de tamano|estandar de tamano|norme de taille"
    r"|normes de taille|grossenstandard|codigo de (?:actividad|industria)|code d'activite"
)
# Numbers that make it a size check: an amount, a count of employees, a share.
_FIGURE = re.compile(
    r"[$€]\s*\d|\d[\d.,]*\s*(?:million|millones|millions|mio|dollars?|dolares|usd|k\b|"
    r"employees|empleados|salaries|employes|beschaftigte|mitarbeiter|%)"
)
# Words of a question about NAICS or the size rules themselves (what it stands for, which
# edition, over what period or how a figure is averaged): the articles answer those.
_ABOUT_RULES = re.compile(
    r"\bstands? for\b|\bmeans?\b|\bmeaning\b|\beditions?\b|\bversions?\b|\bperiods?\b"
    r"|\baverag|\bcalculat|\bmeasur|\bcounted\b|\bsignifica|\bedicion|\bversion|\bperiodo"
    r"|\bpromedi|\bcalcul|\bmide\b|\bsignifie|\bperiode|\bmoyenne|\bsteht\b|\bbedeutet"
    r"|\bausgabe|\bzeitraum|\bgemittelt|\bdurchschnitt|\bberechn"
)
_CODE = re.compile(r"\b(\d{6})\b")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")

# Frame words of a question about codes or standards, folded (no accents, lower case).
_FRAME = frozenset(
    """
    what whats which is are the a an for of my our your to in on at by with as be do does did
    i we you me us need needed use used should fits fit match matches apply applies applied
    code codes naics scian size standard standards industry industries sba number numbers
    classification classify classified business businesses company companies firm am running
    run runs own owns have has get find tell please look up would could can it this that there
    category sector right correct best kind type under fall falls belong belongs into like and
    or if so who work working how
    que cual cuales es son el la los las un una unos unas de del para codigo codigos tiene
    tienen tengo mi mis nuestro nuestra negocio empresa norma normas estandar tamano
    corresponde corresponden usa uso usar debo debe se aplica a al en como por favor soy somos
    tenemos con numero actividad clasificacion sector industria pequena mas
    quel quelle quels quelles est sont le les une du des d l pour code mon ma mes notre nos
    entreprise societe norme normes taille correspond correspondent au aux je suis nous
    avons ai dois doit utiliser s applique qu ce quoi c numero activite secteur industrie
    petite ou y
    welcher welche welches welchen was ist sind der die das den dem des ein eine einen einem
    einer fur zu zur zum passt passen gilt gelten mein meine meinen meiner unser unsere firma
    betrieb unternehmen grossenstandard grossenstandards standard ich wir habe haben bin
    brauche nummer branche branchencode als mit von bei gehort hat naics-code naics-codes
    """.split()
)


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _vocabulary() -> frozenset[str]:
    """Return the words of the shipped table's passages (titles, exceptions, synonyms)."""
    from civicllm.tools.small_business.table import table_for

    passages = build_passages(table_for(), load_synonyms())
    return frozenset(token for p in passages for token in fold_tokens(p.text))


def activity_words(question: str) -> str:
    """Return the question's words that are not frame words, in order ("" when none)."""
    kept = []
    for word in _WORD.findall(question):
        folded = _fold(word)
        parts = [p for p in re.split(r"['-]", folded) if p]
        if folded in _FRAME or all(p in _FRAME for p in parts):
            continue
        # French and Spanish elisions: "d'un plombier" keeps "plombier".
        if "'" in word and parts and parts[0] in _FRAME:
            word = word.split("'", 1)[1]
        kept.append(word)
    return " ".join(kept)


def route_naics(question: str, language: str) -> Mapping[str, str] | None:
    """Return {"query": activity} for a question asking a NAICS code or size standard."""
    folded = _fold(question)
    if not _TRIGGERS.search(folded) or len(question) > 500:
        return None
    if _FIGURE.search(folded) or _ABOUT_RULES.search(folded):
        return None
    code = _CODE.search(folded)
    if code is not None:
        return {"query": code.group(1)}
    activity = activity_words(question)
    if not activity or not set(fold_tokens(activity)) & _vocabulary():
        return None
    return {"query": activity}
