"""How an estimate shows itself: the SAI, Pell Grant and dependency status, and the worksheet.

The worksheet's line labels and the calculator's notes are in English (they come from the
formula code); the figure labels, headings and sentences are in the asked language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from civicllm.tools.view import Figure, SourceRef, Table, ToolView

__all__ = ["view_estimate"]

LANGUAGES = ("en", "es", "fr", "de")

TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Your estimate for {year}",
        "es": "Su estimación para {year}",
        "fr": "Votre estimation pour {year}",
        "de": "Ihre Schätzung für {year}",
    },
    "sai": {
        "en": "Student Aid Index (SAI)",
        "es": "Índice de Ayuda Estudiantil (SAI)",
        "fr": "Student Aid Index (SAI)",
        "de": "Student Aid Index (SAI)",
    },
    "pell_grant": {
        "en": "Estimated Pell Grant per year",
        "es": "Beca Pell estimada por año",
        "fr": "Bourse Pell estimée par an",
        "de": "Geschätztes Pell-Stipendium pro Jahr",
    },
    "dependency_status": {
        "en": "Dependency status",
        "es": "Situación de dependencia",
        "fr": "Statut de dépendance",
        "de": "Abhängigkeitsstatus",
    },
    "caption": {
        "en": "How the SAI was calculated, line by line ({year})",
        "es": "Cómo se calculó el SAI, línea por línea ({year})",
        "fr": "Comment le SAI a été calculé, ligne par ligne ({year})",
        "de": "So wurde der SAI berechnet, Zeile für Zeile ({year})",
    },
    "line": {"en": "Line", "es": "Línea", "fr": "Ligne", "de": "Zeile"},
    "label": {"en": "Description", "es": "Descripción", "fr": "Description", "de": "Beschreibung"},
    "amount": {"en": "Amount", "es": "Cantidad", "fr": "Montant", "de": "Betrag"},
    "say_sai": {
        "en": "Your estimated Student Aid Index (SAI) is {sai}.",
        "es": "Su Índice de Ayuda Estudiantil (SAI) estimado es {sai}.",
        "fr": "Votre Student Aid Index (SAI) estimé est de {sai}.",
        "de": "Ihr geschätzter Student Aid Index (SAI) ist {sai}.",
    },
    "say_pell": {
        "en": "Your estimated Pell Grant is {pell} for the year.",
        "es": "Su Beca Pell estimada es de {pell} al año.",
        "fr": "Votre bourse Pell estimée est de {pell} pour l'année.",
        "de": "Ihr geschätztes Pell-Stipendium beträgt {pell} im Jahr.",
    },
}

STATUS: dict[str, dict[str, str]] = {
    "dependent": {"en": "dependent", "es": "dependiente", "fr": "dépendant", "de": "abhängig"},
    "independent": {
        "en": "independent",
        "es": "independiente",
        "fr": "indépendant",
        "de": "unabhängig",
    },
    "provisionally_independent": {
        "en": "provisionally independent",
        "es": "independiente de forma provisional",
        "fr": "provisoirement indépendant",
        "de": "vorläufig unabhängig",
    },
}

# "Title (...) <https://...>" entries of the result's tables_version.
SOURCE = re.compile(r"(?:^|;\s*)(?:[\w\s-]+:\s*)?([^;<]+?)\s*<(https://[^>\s]+)>")


def _text(key: str, language: str, **fill: Any) -> str:
    texts = TEXTS[key]
    return texts.get(language, texts["en"]).format(**fill)


def _dollars(amount: int, language: str, *, symbol: bool) -> str:
    digits = f"{abs(amount):,}"
    if language != "en":
        digits = digits.replace(",", {"fr": "\u202f"}.get(language, "."))
    sign = "-" if amount < 0 else ""
    if not symbol:
        return sign + digits
    return f"{sign}${digits}" if language == "en" else f"{sign}{digits} $"


def view_estimate(result: Mapping[str, Any], language: str) -> ToolView:
    """Return the view of a student-aid/estimate result in ``language``."""
    lang = language if language in LANGUAGES else "en"
    year = str(result.get("award_year", ""))
    status = str(result.get("dependency_status", ""))
    sai, pell = result.get("sai"), result.get("pell_grant")
    figures = (
        Figure(key="sai", label=_text("sai", lang), value=sai),
        Figure(key="pell_grant", label=_text("pell_grant", lang), value=pell, unit="USD"),
        Figure(
            key="dependency_status",
            label=_text("dependency_status", lang),
            value=STATUS.get(status, {}).get(lang, status),
        ),
    )
    rows = tuple(
        (str(row.get("line", "")), str(row.get("label", "")), row.get("amount"))
        for row in result.get("worksheet", [])
    )
    worksheet = Table(
        columns=(_text("line", lang), _text("label", lang), _text("amount", lang)),
        rows=rows,
        caption=_text("caption", lang, year=year),
    )
    sentences = []
    if isinstance(sai, int):
        sentences.append(_text("say_sai", lang, sai=_dollars(sai, lang, symbol=False)))
    if isinstance(pell, int) and pell > 0:
        sentences.append(_text("say_pell", lang, pell=_dollars(pell, lang, symbol=True)))
    sources = tuple(
        SourceRef(title=title.strip(), url=url)
        for title, url in SOURCE.findall(str(result.get("tables_version", "")))
    )
    return ToolView(
        title=_text("title", lang, year=year),
        figures=figures,
        tables=(worksheet,) if rows else (),
        notes=tuple(str(n) for n in result.get("notes", [])),
        sources=sources,
        sentences=tuple(sentences),
    )
