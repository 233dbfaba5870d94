"""How a NAICS search result shows itself: ``view_naics(result, language)`` returns a ToolView.

One sentence per strong result (the first, and those scoring at least half as well) in the
asked language ("311812 Commercial Bakeries: small if it has at most 1,000 employees."), a
table of code, title, size standard and limit, the notes (a
code without a standard, the matched exception) and the two sources. Titles stay SBA's
official English ones. Numbers are written as each language writes them: "$41.5 million",
"41,5 millones de dólares", "41,5 millions de dollars", "41,5 Mio. US-Dollar"; the table's
limit cells hold the same numbers, so an answer's number check finds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from civicllm.language import base_language
from civicllm.tools.view import SourceRef, Table, ToolView

__all__ = ["format_limit", "view_naics"]

CENSUS_URL = "https://www.census.gov/naics/"

_GROUP = {"en": ",", "es": ".", "fr": "\u202f", "de": "."}
_DECIMAL = {"en": ".", "es": ",", "fr": ",", "de": ","}

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "no_standard": "{code} has no SBA size standard; the closest codes that have one follow.",
        "unknown_code": "No 2022 NAICS code with a size standard matches "
        "{code}; the closest codes follow.",
        "title": "NAICS codes for “{query}”",
        "title_code": "NAICS codes for {query}",
        "line": "{code} {title}: small if {standard}.",
        "receipts": "its average annual receipts are at most {amount}",
        "employees": "it has at most {count} employees on average",
        "assets": "its average assets are at most {amount}",
        "exception": "Exception {number} of {code} ({title}) has its own standard: small if "
        "{standard}.",
        "exceptions": "{code} also has {count} exception(s) with their own standards: {list}.",
        "none": "No NAICS code with a size standard was found for “{query}”.",
        "english_titles": "Titles are SBA's official English NAICS 2022 titles; the ranking "
        "reads descriptions in English, Spanish, French and German.",
        "footnote": "{code}: SBA footnote(s) {keys} add conditions; the size check shows them.",
        "col_code": "NAICS code",
        "col_title": "Title",
        "col_standard": "Size standard",
        "col_limit": "Receipts or assets ($ million)",
        "col_unit": "Employees",
        "caption": "Best codes, best first ({table})",
        "usd": "USD",
        "people": "employees",
        "census": "U.S. Census Bureau, North American Industry Classification System 2022",
        "sba": "SBA Table of Size Standards",
    },
    "es": {
        "no_standard": "{code} no tiene norma de tamaño de la SBA; siguen los "
        "códigos más cercanos que sí la tienen.",
        "unknown_code": "{code} no es un código NAICS 2022 con norma de "
        "tamaño; siguen los más cercanos.",
        "title": "Códigos NAICS para «{query}»",
        "title_code": "Códigos NAICS para {query}",
        "line": "{code} {title}: es pequeña si {standard}.",
        "receipts": "sus ingresos anuales promedio no superan {amount}",
        "employees": "tiene en promedio como máximo {count} empleados",
        "assets": "sus activos promedio no superan {amount}",
        "exception": "La excepción {number} de {code} ({title}) tiene su propia norma: es "
        "pequeña si {standard}.",
        "exceptions": "{code} tiene además {count} excepción(es) con normas propias: {list}.",
        "none": "No se encontró ningún código NAICS con norma de tamaño para «{query}».",
        "english_titles": "Los títulos son los oficiales de la SBA, en inglés (NAICS 2022); la "
        "búsqueda entiende descripciones en español, inglés, francés y alemán.",
        "footnote": "{code}: las notas {keys} de la SBA añaden condiciones; la comprobación "
        "de tamaño las muestra.",
        "col_code": "Código NAICS",
        "col_title": "Título",
        "col_standard": "Norma de tamaño",
        "col_limit": "Ingresos o activos (millones de $)",
        "col_unit": "Empleados",
        "caption": "Mejores códigos, el mejor primero ({table})",
        "usd": "USD",
        "people": "empleados",
        "census": "Oficina del Censo de EE. UU., Sistema de Clasificación Industrial de "
        "América del Norte 2022",
        "sba": "Tabla de normas de tamaño de la SBA",
    },
    "fr": {
        "no_standard": "{code} n'a pas de norme de taille de la SBA ; suivent les "
        "codes les plus proches qui en ont une.",
        "unknown_code": "{code} n'est pas un code NAICS 2022 avec une norme de "
        "taille ; suivent les plus proches.",
        "title": "Codes NAICS pour « {query} »",
        "title_code": "Codes NAICS pour {query}",
        "line": "{code} {title} : petite entreprise si {standard}.",
        "receipts": "ses recettes annuelles moyennes ne dépassent pas {amount}",
        "employees": "elle compte en moyenne au plus {count} salariés",
        "assets": "ses actifs moyens ne dépassent pas {amount}",
        "exception": "L'exception {number} du code {code} ({title}) a sa propre norme : petite "
        "entreprise si {standard}.",
        "exceptions": "{code} a aussi {count} exception(s) avec leur propre norme : {list}.",
        "none": "Aucun code NAICS avec une norme de taille n'a été trouvé pour « {query} ».",
        "english_titles": "Les intitulés sont ceux, officiels et en anglais, de la SBA (NAICS "
        "2022) ; la recherche comprend les descriptions en français, anglais, espagnol et "
        "allemand.",
        "footnote": "{code} : les notes {keys} de la SBA ajoutent des conditions ; la "
        "vérification de taille les affiche.",
        "col_code": "Code NAICS",
        "col_title": "Intitulé",
        "col_standard": "Norme de taille",
        "col_limit": "Recettes ou actifs (millions de $)",
        "col_unit": "Salariés",
        "caption": "Meilleurs codes, le meilleur d'abord ({table})",
        "usd": "USD",
        "people": "salariés",
        "census": "U.S. Census Bureau, Système de classification des industries de l'Amérique "
        "du Nord 2022",
        "sba": "Table des normes de taille de la SBA",
    },
    "de": {
        "no_standard": "{code} hat keinen SBA-Größenstandard; es folgen "
        "die nächsten Codes mit einem.",
        "unknown_code": "{code} ist kein NAICS-2022-Code mit "
        "Größenstandard; es folgen die nächsten.",
        "title": "NAICS-Codes für „{query}“",
        "title_code": "NAICS-Codes für {query}",
        "line": "{code} {title}: klein, wenn {standard}.",
        "receipts": "der durchschnittliche Jahresumsatz höchstens {amount} beträgt",
        "employees": "das Unternehmen im Durchschnitt höchstens {count} Beschäftigte hat",
        "assets": "die durchschnittliche Bilanzsumme höchstens {amount} beträgt",
        "exception": "Ausnahme {number} von {code} ({title}) hat einen eigenen Standard: klein, "
        "wenn {standard}.",
        "exceptions": "{code} hat außerdem {count} Ausnahme(n) mit eigenem Standard: {list}.",
        "none": "Für „{query}“ wurde kein NAICS-Code mit Größenstandard gefunden.",
        "english_titles": "Die Bezeichnungen sind die amtlichen englischen NAICS-2022-Titel der "
        "SBA; die Suche versteht Beschreibungen auf Deutsch, Englisch, Spanisch und "
        "Französisch.",
        "footnote": "{code}: Die SBA-Fußnoten {keys} nennen weitere Bedingungen; die "
        "Größenprüfung zeigt sie.",
        "col_code": "NAICS-Code",
        "col_title": "Bezeichnung",
        "col_standard": "Größenstandard",
        "col_limit": "Umsatz oder Bilanzsumme (Mio. $)",
        "col_unit": "Beschäftigte",
        "caption": "Beste Codes, der beste zuerst ({table})",
        "usd": "USD",
        "people": "Beschäftigte",
        "census": "U.S. Census Bureau, Nordamerikanisches Klassifikationssystem der "
        "Wirtschaftszweige 2022",
        "sba": "SBA-Tabelle der Größenstandards",
    },
}

_SAY_SHARE = 0.5
_MILLION = {"en": "million", "es": "millones", "fr": "millions", "de": "Mio."}


def _number(value: Decimal, language: str) -> str:
    text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
    if language == "es" and value < 10_000 and value == value.to_integral_value():
        text = text.replace(",", "")  # Spanish writes 1500, not 1.500
    group, decimal = _GROUP[language], _DECIMAL[language]
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def format_limit(measure: str, limit: int, language: str) -> str:
    """Return a limit as the language writes it: dollars in millions, or a head count."""
    lang = base_language(language) if base_language(language) in _TEXTS else "en"
    if measure == "employees":
        return _number(Decimal(limit), lang)
    millions = Decimal(limit) / Decimal(1_000_000)
    amount = _number(millions, lang)
    if lang == "en":
        return f"${amount} million"
    if lang == "de":
        return f"{amount} Mio. US-Dollar"
    return f"{amount} {_MILLION[lang]} de {'dólares' if lang == 'es' else 'dollars'}"


def _limit_of(standard: Mapping[str, Any], lang: str) -> str:
    return format_limit(str(standard["measure"]), int(standard["limit"]), lang)


def _limit_cells(standard: Mapping[str, Any]) -> tuple[Decimal | None, int | None]:
    """Return the table's (dollars in millions, employees) cells, as SBA's table has them."""
    limit = int(standard["limit"])
    if standard["measure"] == "employees":
        return None, limit
    return Decimal(limit) / Decimal(1_000_000), None


def _standard_words(standard: Mapping[str, Any], texts: Mapping[str, str], lang: str) -> str:
    measure, limit = str(standard["measure"]), int(standard["limit"])
    if measure == "employees":
        return texts["employees"].format(count=format_limit(measure, limit, lang))
    return texts[measure].format(amount=format_limit(measure, limit, lang))


def view_naics(result: Mapping[str, Any], language: str) -> ToolView:
    """Return the view of a naics-search result in English, Spanish, French or German."""
    lang = base_language(language) if base_language(language) in _TEXTS else "en"
    t = _TEXTS[lang]
    query = str(result.get("query") or "")
    table_info: Mapping[str, Any] = result.get("table") or {}
    table_title = str(table_info.get("title") or "")
    results: list[Mapping[str, Any]] = list(result.get("results") or [])
    title_key = "title_code" if result.get("kind") == "code" else "title"
    sentences: list[str] = []
    notes: list[str] = []
    rows = []
    best = float(results[0]["score"]) if results else 0.0
    for rank, entry in enumerate(results):
        code, name = str(entry["code"]), str(entry["title"])
        standard = entry["size_standard"]
        # A sentence for the first result and those scoring at least half as well; weaker
        # ones (found by meaning alone, often loosely) are in the table only.
        said = rank == 0 or float(entry["score"]) >= _SAY_SHARE * best
        if said:
            words = _standard_words(standard, t, lang)
            sentences.append(t["line"].format(code=code, title=name, standard=words))
        rows.append((code, name, _limit_of(standard, lang), *_limit_cells(standard)))
        matched = entry.get("matched") or {}
        exceptions = list(entry.get("exceptions") or [])
        number = matched.get("exception")
        for row in exceptions:
            if said and row["number"] == number:
                sentences.append(
                    t["exception"].format(
                        number=row["number"],
                        code=code,
                        title=row["title"],
                        standard=_standard_words(row["size_standard"], t, lang),
                    )
                )
        if exceptions and number is None:
            listed = "; ".join(
                f"{row['number']} {row['title']} ({_limit_of(row['size_standard'], lang)})"
                for row in exceptions
            )
            notes.append(t["exceptions"].format(code=code, count=len(exceptions), list=listed))
        for row in exceptions:
            limit = row["size_standard"]
            label = f"{code} ({row['number']})"
            rows.append((label, str(row["title"]), _limit_of(limit, lang), *_limit_cells(limit)))
        if entry.get("footnotes"):
            notes.append(t["footnote"].format(code=code, keys=", ".join(entry["footnotes"])))
    if not results:
        sentences.append(t["none"].format(query=query))
    for note in result.get("notes") or []:
        if note.get("kind") in ("no_standard", "unknown_code"):
            notes.insert(0, t[str(note["kind"])].format(code=note.get("code", query)))
    notes.append(t["english_titles"])
    columns = (t["col_code"], t["col_title"], t["col_standard"], t["col_limit"], t["col_unit"])
    table = Table(columns=columns, rows=tuple(rows), caption=t["caption"].format(table=table_title))
    return ToolView(
        title=t[title_key].format(query=query),
        tables=(table,) if rows else (),
        notes=tuple(notes),
        sources=(
            SourceRef(title=t["census"], url=CENSUS_URL, licence="public domain", release="2022"),
            SourceRef(
                title=t["sba"],
                url=str(table_info.get("url") or ""),
                licence="public domain",
                release=str(table_info.get("effective") or ""),
            ),
        ),
        sentences=tuple(sentences),
    )
