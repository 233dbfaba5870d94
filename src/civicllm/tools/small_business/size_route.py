"""Deterministic routing of a size question to ``small-business/size-check``.

A question is routed only when it names a 6-digit NAICS code of SBA's table (after a word
such as "NAICS" or "code", or in a question about being small) and states the figure that
code's standard is measured by: receipts, employees or assets. Anything less returns None
and the answer loop goes on without the tool; a wrong guess would be worse than none.

    route_size_check("Is NAICS 541511 with average annual receipts of $30 million small?", "en")
    # {"naics": "541511", "receipts": {"fiscal_years": [30000000]}}
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from civicllm.errors import CivicError
from civicllm.tools.small_business.table import table_for

__all__ = ["route_size_check"]

CODE = re.compile(r"(?<![\d$€.,])(\d{6})(?![\d.,]?\d)")
NAICS_WORD = re.compile(
    r"\b(?:naics|scian|sciaN|c[oó]digo|code|kennziffer|branchencode|nummer)\b", re.I
)
SIZE_WORD = re.compile(
    r"\b(?:small|size|pequeñ[oa]s?|tamaño|petite?s?|taille|pme|klein\w*|größe\w*|kmu)\b", re.I
)
RECEIPTS_WORD = re.compile(
    r"\b(?:receipts|revenues?|sales|turnover|ingresos|ventas|facturaci[oó]n|recettes|"
    r"chiffre d.affaires|revenus?|umsatz\w*|einnahmen|erl[öo]se?)\b",
    re.I,
)
EMPLOYEE_WORD = re.compile(
    r"(\d[\d.,\u00a0\u202f ]*)\s*(?:full[- ]time\s+)?(?:employees|workers|staff|people|"
    r"empleados|trabajadores|personas|salariés|employés|personnes|"
    r"mitarbeiter\w*|beschäftigte\w*|angestellte\w*|arbeitnehmer\w*)\b",
    re.I,
)
ASSETS_WORD = re.compile(r"\b(?:assets|activos|actifs?|vermögen\w*|bilanzsumme)\b", re.I)
SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "mil": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "millón": 10**6,
    "millon": 10**6,
    "millones": 10**6,
    "millionen": 10**6,
    "mio": 10**6,
    "m": 10**6,
    "mm": 10**6,
    "billion": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "milliarde": 10**9,
    "milliarden": 10**9,
    "mrd": 10**9,
}
MONEY = re.compile(
    r"(?P<dollar>(?:US)?\$\s*)?(?P<num>\d[\d.,\u00a0\u202f ]*\d|\d)\s*"
    r"(?P<scale>mil millones|thousand|millions?|millón|millon|millones|millionen|mio\.?|"
    r"milliards?|milliarden?|mrd\.?|billion|mm|k|m)?\b\.?\s*"
    r"(?P<currency>(?:de\s+)?(?:dollars?|dólares|dolares|dollar|usd|us-dollar|\$))?",
    re.I,
)


def _number(text: str, language: str) -> Decimal | None:
    """Read a number as ``language`` writes it ("30,5" in es/fr/de; "1,500" in en)."""
    raw = re.sub(r"[\u00a0\u202f ]", "", text)
    decimal = "." if language == "en" else ","
    group = "," if language == "en" else "."
    if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+(?:{re.escape(decimal)}\d+)?", raw):
        raw = raw.replace(group, "")
    raw = raw.replace(decimal, ".")
    if raw.count(".") > 1:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _money(question: str, language: str, skip: str) -> list[int]:
    """Return the dollar amounts a question states, in order (the code itself skipped)."""
    found: list[int] = []
    for match in MONEY.finditer(question):
        num = match.group("num").strip()
        if num == skip:
            continue
        scale_word = (match.group("scale") or "").lower().rstrip(".")
        scale = 10**9 if scale_word == "mil millones" else SCALES.get(scale_word, 1)
        if not (match.group("dollar") or match.group("currency") or scale > 1):
            continue  # a bare number is not money
        value = _number(num, language)
        if value is None:
            continue
        amount = value * scale
        if amount != amount.to_integral_value() or amount < 0:
            continue
        found.append(int(amount))
    return found


def _employees(question: str, language: str) -> list[int]:
    counts: list[int] = []
    for match in EMPLOYEE_WORD.finditer(question):
        value = _number(match.group(1).strip(), language)
        if value is not None and value == value.to_integral_value():
            counts.append(int(value))
    return counts


def route_size_check(question: str, language: str) -> dict[str, Any] | None:
    """Return the size-check input a question states in full, or None."""
    lang = language if language in ("en", "es", "fr", "de") else "en"
    codes = CODE.findall(question)
    if len(set(codes)) != 1:
        return None
    code = codes[0]
    if not (NAICS_WORD.search(question) or SIZE_WORD.search(question)):
        return None
    try:
        industry = table_for(None).industry(code)
    except CivicError:
        return None
    if industry is None:
        return None
    request: dict[str, Any] = {"naics": code}
    measure = industry.standard.measure
    rest = question.replace(code, " ")
    if measure == "employees":
        counts = _employees(rest, lang)
        if not counts:
            return None
        request["employees"] = {"pay_periods": counts}
        return request
    amounts = _money(rest, lang, code)
    word = RECEIPTS_WORD if measure == "receipts" else ASSETS_WORD
    if not amounts or not word.search(question):
        return None
    if measure == "receipts":
        request["receipts"] = {"fiscal_years": amounts[-5:] if len(amounts) > 5 else amounts}
    else:
        if len(amounts) == 1:
            amounts = amounts * 4  # one figure stated as the average of the four quarters
        if len(amounts) != 4:
            return None
        request["assets"] = {"quarters": amounts}
    return request
