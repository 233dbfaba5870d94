"""Route a question to small-business/programs: deterministic, conservative, four languages.

A question goes to the screener when it names an SBA program unmistakably (7(a), 8(a), a
504 loan, a microloan, HUBZone, WOSB, SBIR...), or names SBA together with "504" or a group
of owners (veterans, women), or asks SBA (or about a business) for a grant. The input it
returns asks only for those programs, so the view states their figures and where to apply
(or the grants fact). Anything else (how to write a business plan, what a NAICS code is)
returns None: the pack's articles answer it.

What it trades away: word lists, not understanding; "SBA" must be written for the loose
cases, so "Are there loans for veterans?" goes unrouted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from civicllm.language import fold

__all__ = ["route_programs"]

# Unmistakable names: enough alone.
_NAMED = (
    ("7a", r"\b7\s*\(\s*a\s*\)|\bsba\s*7a\b|\b7a\s+(?:loan|pr[eé]stamo|pret|darlehen|kredit)"),
    ("8a", r"\b8\s*\(\s*a\s*\)"),
    ("504", r"\b504\s*-?\s*(?:loans?|kredite?|darlehen)\b|\b(?:prestamos?|prets?)\s+504\b"),
    ("microloan", r"\bmi[ck]ro\s*-?\s*(?:loans?|prestamos?|credits?|prets?|kredite?|darlehen)\b"),
    ("edwosb", r"\bedwosb\b"),
    ("wosb", r"\bwosb\b"),
    ("hubzone", r"\bhub\s*-?\s*zones?\b"),
    ("sdvosb", r"\bsdvosbs?\b"),
    ("vosb", r"\bvosbs?\b"),
    ("sbir", r"\bsbir\b"),
    ("sttr", r"\bsttr\b"),
)
_SBA = r"\bsba\b|small business administration|administracion de pequenos negocios"
# Need SBA (or a named program) in the question too.
_LOOSE = (
    ("504", r"\b504\b"),
    (
        "vosb",
        r"\bveterans?\b|\bveteranos?\b|\bveteran(?:e|en|in|innen)\b|\bveterans\b|"
        r"\banciens? combattants?\b|\bvétérans?\b|\bveterans?\b",
    ),
    (
        "sdvosb",
        r"\bservice-?disabled\b|\bdiscapacidad\b|\bhandicap\w*\b|\bbeschadigt\w*\b|"
        r"\bversehrt\w*\b",
    ),
    ("wosb", r"\bwom[ae]n\b|\bmujer(?:es)?\b|\bfemmes?\b|\bfrauen\b"),
)
_GRANT = (
    r"\bgrants?\b|\bsubvenci\w*\b|\bsubventions?\b|\bzuschuss\w*\b|\bzuschusse\b|\bfordergeld\w*\b"
)
_BUSINESS = (
    r"\bbusiness\w*\b|\bstart\b|\bstartup\b|\bnegocio\w*\b|\bempresa\w*\b|\bentreprise\w*\b|"
    r"\bunternehmen\w*\b|\bfirma\b|\bgrund\w*\b|\bcreer\b|\babrir\b"
)


def _found(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def route_programs(question: str, language: str) -> Mapping[str, Any] | None:
    """Return the screener input a question asks for, or None when it is not about SBA programs."""
    text = fold(question)
    asked: list[str] = []
    for program, pattern in _NAMED:
        if _found(pattern, text) and program not in asked:
            asked.append(program)
    if (
        "edwosb" in asked
        and "wosb" in asked
        and not _found(r"\bwosb\b", text.replace("edwosb", ""))
    ):
        asked.remove("wosb")
    sba = _found(_SBA, text) or bool(asked)
    if sba:
        for program, pattern in _LOOSE:
            if _found(pattern, text) and program not in asked:
                asked.append(program)
    if "vosb" in asked and "sdvosb" not in asked and not _found(dict(_NAMED)["vosb"], text):
        asked.append("sdvosb")  # "veterans": one certification covers both
    grant = _found(_GRANT, text) and (_found(_SBA, text) or _found(_BUSINESS, text))
    if grant:
        return {"programs": [*asked, "grants"], "wants_grant": True}
    if asked:
        return {"programs": asked}
    return None
