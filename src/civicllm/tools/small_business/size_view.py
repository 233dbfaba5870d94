"""How a size check shows itself: the verdict, the figures, the worksheet, SBA's footnotes.

Headings, labels, the verdict sentence and the worksheet's line labels are in the asked
language (English, Spanish, French or German; anything else reads as English). The notes of
the computation and SBA's footnotes stay in English, as the publisher and the rules write
them; a footnote note says so. Money is written the way each language groups digits
(``$34,000,000``, ``34.000.000 $``, ``34 000 000 $``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.tools.view import Figure, Scalar, SourceRef, Table, ToolView

__all__ = ["format_amount", "view_size_check"]

LANGUAGES = ("en", "es", "fr", "de")

TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Size check: NAICS {code}, {title}",
        "es": "Verificación de tamaño: NAICS {code}, {title}",
        "fr": "Vérification de taille : SCIAN/NAICS {code}, {title}",
        "de": "Größenprüfung: NAICS {code}, {title}",
    },
    "small": {
        "en": "Small business under SBA's standard",
        "es": "Pequeña empresa según la norma de la SBA",
        "fr": "Petite entreprise selon la norme de la SBA",
        "de": "Kleinunternehmen nach dem SBA-Standard",
    },
    "yes": {"en": "yes", "es": "sí", "fr": "oui", "de": "ja"},
    "no": {"en": "no", "es": "no", "fr": "non", "de": "nein"},
    "limit": {
        "en": "SBA size standard ({what})",
        "es": "Límite de tamaño de la SBA ({what})",
        "fr": "Norme de taille de la SBA ({what})",
        "de": "SBA-Größengrenze ({what})",
    },
    "measured": {
        "en": "Measured size (concern and affiliates)",
        "es": "Tamaño medido (empresa y afiliadas)",
        "fr": "Taille mesurée (entreprise et sociétés affiliées)",
        "de": "Gemessene Größe (Unternehmen und verbundene Unternehmen)",
    },
    "margin": {
        "en": "Margin (standard − measured size)",
        "es": "Margen (límite − tamaño medido)",
        "fr": "Marge (norme − taille mesurée)",
        "de": "Spielraum (Grenze − gemessene Größe)",
    },
    "say_small": {
        "en": "Small: the measured size ({what}), {value}, is at or below SBA's size standard "
        "of {limit} for this industry, with {margin} to spare.",
        "es": "Es pequeña: la cifra medida ({what}), {value}, no supera el límite de tamaño de "
        "la SBA de {limit} para esta industria; el margen es de {margin}.",
        "fr": "Petite entreprise : la valeur mesurée ({what}), {value}, ne dépasse pas la "
        "norme de taille de la SBA de {limit} pour ce secteur ; la marge est de {margin}.",
        "de": "Klein: der gemessene Wert ({what}), {value}, liegt nicht über der "
        "SBA-Größengrenze für diese Branche ({limit}); der Spielraum beträgt {margin}.",
    },
    "say_large": {
        "en": "Not small: the measured size ({what}), {value}, is above SBA's size standard "
        "of {limit} for this industry, by {over}.",
        "es": "No es pequeña: la cifra medida ({what}), {value}, supera el límite de tamaño "
        "de la SBA de {limit} para esta industria, por {over}.",
        "fr": "Pas une petite entreprise : la valeur mesurée ({what}), {value}, dépasse la "
        "norme de taille de la SBA de {limit} pour ce secteur, de {over}.",
        "de": "Nicht klein: der gemessene Wert ({what}), {value}, liegt um {over} über der "
        "SBA-Größengrenze für diese Branche ({limit}).",
    },
    "say_exception": {
        "en": "The standard used is that of SBA's exception “{title}”.",
        "es": "Se aplica el límite de la excepción de la SBA «{title}».",
        "fr": "La norme appliquée est celle de l'exception de la SBA « {title} ».",
        "de": "Es gilt die Grenze der SBA-Ausnahme „{title}“.",
    },
    "say_footnotes": {
        "en": "SBA's table adds conditions for this industry that the figures alone cannot "
        "settle: read the footnotes below.",
        "es": "La tabla de la SBA añade condiciones para esta industria que las cifras no "
        "resuelven por sí solas: lea las notas al pie.",
        "fr": "Le tableau de la SBA ajoute pour ce secteur des conditions que les chiffres "
        "seuls ne tranchent pas : lisez les notes de bas de page.",
        "de": "SBAs Tabelle nennt für diese Branche Bedingungen, die die Zahlen allein nicht "
        "klären: lesen Sie die Fußnoten unten.",
    },
    "footnote": {
        "en": "SBA footnote {number}: {text}",
        "es": "Nota al pie {number} de la SBA (en inglés): {text}",
        "fr": "Note {number} de la SBA (en anglais) : {text}",
        "de": "SBA-Fußnote {number} (auf Englisch): {text}",
    },
    "caption": {
        "en": "How the size was measured, line by line",
        "es": "Cómo se midió el tamaño, línea por línea",
        "fr": "Comment la taille a été mesurée, ligne par ligne",
        "de": "So wurde die Größe ermittelt, Zeile für Zeile",
    },
    "line": {"en": "Line", "es": "Línea", "fr": "Ligne", "de": "Zeile"},
    "label": {"en": "Description", "es": "Descripción", "fr": "Description", "de": "Beschreibung"},
    "amount": {"en": "Amount", "es": "Cantidad", "fr": "Montant", "de": "Betrag"},
    "source": {"en": "Source", "es": "Fuente", "fr": "Source", "de": "Quelle"},
    "your figure": {
        "en": "your figure",
        "es": "su cifra",
        "fr": "votre chiffre",
        "de": "Ihre Angabe",
    },
    "sum": {"en": "sum", "es": "suma", "fr": "somme", "de": "Summe"},
    "computed": {"en": "computed", "es": "calculado", "fr": "calculé", "de": "berechnet"},
    "ecfr": {
        "en": "Electronic Code of Federal Regulations",
        "es": "Código Electrónico de Regulaciones Federales (eCFR)",
        "fr": "Code électronique des règlements fédéraux (eCFR)",
        "de": "Elektronisches Bundesverordnungsverzeichnis (eCFR)",
    },
}

WHAT: dict[str, dict[str, str]] = {
    "receipts": {
        "en": "average annual receipts",
        "es": "ingresos anuales promedio",
        "fr": "recettes annuelles moyennes",
        "de": "durchschnittliche Jahreseinnahmen",
    },
    "employees": {
        "en": "average number of employees",
        "es": "número promedio de empleados",
        "fr": "effectif moyen",
        "de": "durchschnittliche Zahl der Beschäftigten",
    },
    "assets": {
        "en": "average total assets",
        "es": "activos totales promedio",
        "fr": "actif total moyen",
        "de": "durchschnittliche Bilanzsumme",
    },
}

PEOPLE = {"en": "employees", "es": "empleados", "fr": "salariés", "de": "Beschäftigte"}
ONE_PERSON = {"en": "employee", "es": "empleado", "fr": "salarié", "de": "Beschäftigter"}

# Worksheet line labels by item; ``{who}`` is the concern's prefix ("Affiliate 2: ").
ITEMS: dict[str, dict[str, str]] = {
    "fiscal_year": {
        "en": "{who}receipts, fiscal year {year} of {of}",
        "es": "{who}ingresos, ejercicio {year} de {of}",
        "fr": "{who}recettes, exercice {year} sur {of}",
        "de": "{who}Einnahmen, Geschäftsjahr {year} von {of}",
    },
    "most_recent": {
        "en": " (most recent)",
        "es": " (el más reciente)",
        "fr": " (le plus récent)",
        "de": " (das letzte)",
    },
    "receipts_total": {
        "en": "{who}total receipts, {years} fiscal years",
        "es": "{who}ingresos totales, {years} ejercicios",
        "fr": "{who}recettes totales, {years} exercices",
        "de": "{who}Einnahmen insgesamt, {years} Geschäftsjahre",
    },
    "receipts_weeks_total": {
        "en": "{who}total receipts over {weeks} weeks in business",
        "es": "{who}ingresos totales en {weeks} semanas de actividad",
        "fr": "{who}recettes totales sur {weeks} semaines d'activité",
        "de": "{who}Einnahmen insgesamt in {weeks} Wochen Geschäftstätigkeit",
    },
    "receipts_average": {
        "en": "{who}average annual receipts (total ÷ {years})",
        "es": "{who}ingresos anuales promedio (total ÷ {years})",
        "fr": "{who}recettes annuelles moyennes (total ÷ {years})",
        "de": "{who}durchschnittliche Jahreseinnahmen (Summe ÷ {years})",
    },
    "receipts_annualized": {
        "en": "{who}annualized receipts (total ÷ {weeks} weeks × 52)",
        "es": "{who}ingresos anualizados (total ÷ {weeks} semanas × 52)",
        "fr": "{who}recettes annualisées (total ÷ {weeks} semaines × 52)",
        "de": "{who}auf ein Jahr hochgerechnete Einnahmen (Summe ÷ {weeks} Wochen × 52)",
    },
    "pay_period": {
        "en": "{who}employees, pay period {period} of {of}",
        "es": "{who}empleados, período de pago {period} de {of}",
        "fr": "{who}salariés, période de paie {period} sur {of}",
        "de": "{who}Beschäftigte, Lohnperiode {period} von {of}",
    },
    "employees_average": {
        "en": "{who}average employees (sum ÷ {periods} pay periods)",
        "es": "{who}empleados promedio (suma ÷ {periods} períodos de pago)",
        "fr": "{who}effectif moyen (somme ÷ {periods} périodes de paie)",
        "de": "{who}durchschnittlich Beschäftigte (Summe ÷ {periods} Lohnperioden)",
    },
    "quarter": {
        "en": "{who}total assets, quarter {quarter}",
        "es": "{who}activos totales, trimestre {quarter}",
        "fr": "{who}actif total, trimestre {quarter}",
        "de": "{who}Bilanzsumme, Quartal {quarter}",
    },
    "assets_average": {
        "en": "{who}average assets (sum ÷ 4 quarters)",
        "es": "{who}activos promedio (suma ÷ 4 trimestres)",
        "fr": "{who}actif moyen (somme ÷ 4 trimestres)",
        "de": "{who}durchschnittliche Bilanzsumme (Summe ÷ 4 Quartale)",
    },
    "affiliate_share": {
        "en": "Affiliates' share (sum of their averages)",
        "es": "Parte de las afiliadas (suma de sus promedios)",
        "fr": "Part des sociétés affiliées (somme de leurs moyennes)",
        "de": "Anteil der verbundenen Unternehmen (Summe ihrer Durchschnitte)",
    },
    "measured": {
        "en": "Measured size, rounded up to a whole {unit}",
        "es": "Tamaño medido, redondeado al alza a un {unit} entero",
        "fr": "Taille mesurée, arrondie à l'unité supérieure ({unit})",
        "de": "Gemessene Größe, aufgerundet auf ganze {unit}",
    },
    "limit": {
        "en": "Size standard ({what})",
        "es": "Límite de tamaño ({what})",
        "fr": "Norme de taille ({what})",
        "de": "Größengrenze ({what})",
    },
    "margin": {
        "en": "Margin (size standard − measured size)",
        "es": "Margen (límite − tamaño medido)",
        "fr": "Marge (norme − taille mesurée)",
        "de": "Spielraum (Grenze − gemessene Größe)",
    },
}

AVERAGES = ("receipts_average", "receipts_annualized", "employees_average", "assets_average")
WHO = {
    "own": {
        "en": "Your concern: ",
        "es": "Su empresa: ",
        "fr": "Votre entreprise : ",
        "de": "Ihr Unternehmen: ",
    },
    "affiliate": {
        "en": "Affiliate {n}: ",
        "es": "Afiliada {n}: ",
        "fr": "Société affiliée {n} : ",
        "de": "Verbundenes Unternehmen {n}: ",
    },
}
UNIT_WORD = {
    "dollar": {"en": "dollar", "es": "dólar", "fr": "dollar", "de": "Dollar"},
    "employee": {"en": "employee", "es": "empleado", "fr": "salarié", "de": "Beschäftigte"},
}


def _text(table: Mapping[str, Mapping[str, str]], name: str, lang: str, **fill: Any) -> str:
    texts = table[name]
    return texts.get(lang, texts["en"]).format(**fill)


def format_amount(amount: int | float, measure: str, language: str) -> str:
    """Return dollars (``$34,000,000``, ``34.000.000 $``) or employees (``1.500 Beschäftigte``)."""
    lang = language if language in LANGUAGES else "en"
    digits = f"{abs(round(amount)):,}"
    if lang != "en":
        digits = digits.replace(",", {"fr": "\u202f"}.get(lang, "."))
    sign = "-" if amount < 0 else ""
    if measure == "employees":
        word = ONE_PERSON[lang] if abs(round(amount)) == 1 else PEOPLE[lang]
        return f"{sign}{digits} {word}"
    return f"{sign}${digits}" if lang == "en" else f"{sign}{digits} $"


def _label(row: Mapping[str, Any], measure: str, affiliated: bool, lang: str) -> str:
    item = str(row.get("item", ""))
    args = {k: v for k, v in dict(row.get("args") or {}).items() if isinstance(k, str)}
    concern = row.get("concern")
    who = ""
    if isinstance(concern, int) and concern > 0:
        who = _text(WHO, "affiliate", lang, n=concern)
    elif concern == 0 and affiliated:
        who = WHO["own"].get(lang, WHO["own"]["en"])
    if item == "receipts_total" and args.get("weeks"):
        item = "receipts_weeks_total"
    if item not in ITEMS:
        return str(row.get("label", ""))
    fill: dict[str, Any] = {
        "year": "",
        "of": "",
        "years": "",
        "weeks": "",
        "period": "",
        "periods": "",
        "quarter": "",
    }
    fill.update(args)
    fill["who"] = who
    fill["what"] = WHAT[measure].get(lang, WHAT[measure]["en"]) if measure in WHAT else ""
    unit = "employee" if measure == "employees" else "dollar"
    fill["unit"] = UNIT_WORD[unit][lang]
    label = _text(ITEMS, item, lang, **fill)
    if item == "fiscal_year" and args.get("year") == args.get("of"):
        label += ITEMS["most_recent"][lang]
    # A label that starts a line starts with a capital, whatever its prefix left.
    return label[:1].upper() + label[1:]


def view_size_check(result: Mapping[str, Any], language: str) -> ToolView:
    """Return the view of a small-business/size-check result in ``language``."""
    lang = language if language in LANGUAGES else "en"
    naics = result.get("naics") or {}
    standard = result.get("size_standard") or {}
    measured = result.get("measured") or {}
    measure = str(standard.get("measure", "receipts"))
    unit = "employees" if measure == "employees" else "USD"
    what = WHAT.get(measure, WHAT["receipts"])[lang]
    limit, value, margin = standard.get("limit"), measured.get("value"), result.get("margin")
    small = result.get("small") is True
    rows_in = [r for r in result.get("worksheet") or [] if isinstance(r, Mapping)]
    affiliated = any(isinstance(r.get("concern"), int) and r["concern"] > 0 for r in rows_in)
    # How the concern's own figure was averaged, in the asked language (the result's
    # ``method`` is English).
    method = next(
        (
            _label({**row, "concern": None}, measure, False, lang)
            for row in rows_in
            if row.get("concern") == 0 and str(row.get("item", "")) in AVERAGES
        ),
        str(measured.get("method", "")),
    )
    figures = (
        Figure(
            key="small", label=TEXTS["small"][lang], value=TEXTS["yes" if small else "no"][lang]
        ),
        Figure(key="limit", label=_text(TEXTS, "limit", lang, what=what), value=limit, unit=unit),
        Figure(
            key="measured",
            label=TEXTS["measured"][lang],
            value=value,
            unit=unit,
            note=method,
        ),
        Figure(key="margin", label=TEXTS["margin"][lang], value=margin, unit=unit),
    )
    sentences: list[str] = []
    if isinstance(limit, int) and isinstance(value, int) and isinstance(margin, int):
        fill = {
            "what": what,
            "value": format_amount(value, measure, lang),
            "limit": format_amount(limit, measure, lang),
            "margin": format_amount(margin, measure, lang),
            "over": format_amount(-margin, measure, lang),
        }
        sentences.append(_text(TEXTS, "say_small" if small else "say_large", lang, **fill))
    exception = naics.get("exception")
    if isinstance(exception, Mapping) and exception.get("title"):
        sentences.append(_text(TEXTS, "say_exception", lang, title=exception["title"]))
    footnotes = [f for f in result.get("footnotes") or [] if isinstance(f, Mapping)]
    if footnotes:
        sentences.append(TEXTS["say_footnotes"][lang])
    rows: tuple[tuple[Scalar, ...], ...] = tuple(
        (
            str(row.get("line", "")),
            _label(row, measure, affiliated, lang),
            row.get("amount"),
            TEXTS[str(row["source"])][lang]
            if str(row.get("source")) in TEXTS
            else str(row.get("source", "")),
        )
        for row in rows_in
    )
    worksheet = Table(
        columns=tuple(TEXTS[key][lang] for key in ("line", "label", "amount", "source")),
        rows=rows,
        caption=TEXTS["caption"][lang],
    )
    notes = [
        _text(TEXTS, "footnote", lang, number=f.get("footnote", ""), text=f.get("text", ""))
        for f in footnotes
    ]
    notes += [str(note) for note in result.get("notes") or []]
    sources = []
    for citation in result.get("citations") or []:
        if not isinstance(citation, Mapping):
            continue
        url, title = str(citation.get("url", "")), str(citation.get("title", ""))
        if "ecfr.gov" in url:
            sources.append(
                SourceRef(title=f"{title}, {TEXTS['ecfr'][lang]}", url=url, licence="public domain")
            )
        else:
            # The table's title ends in its effective date: that is the release.
            release = str(standard.get("table", "")).rpartition("effective ")[2]
            sources.append(
                SourceRef(title=title, url=url, licence="public domain", release=release)
            )
    return ToolView(
        title=_text(TEXTS, "title", lang, code=naics.get("code", ""), title=naics.get("title", "")),
        figures=figures,
        tables=(worksheet,) if rows else (),
        notes=tuple(notes),
        sources=tuple(sources),
        sentences=tuple(sentences),
    )
