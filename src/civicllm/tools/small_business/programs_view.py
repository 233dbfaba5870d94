"""How a programs screening shows itself in EN/ES/FR/DE: one line per program, a table, sources.

A program's line says its status and why: the rules not met ("not eligible because ..."),
what is missing or left to check, or, when every rule checked is met, the next step. When
no fact about the business was given (a question such as "what is the largest microloan?"),
the lines state the program's figures instead. Every number a line states is among the
view's figures (the program's limits and the facts given), so the answer verifier can check
it; the program names that hold digits (7(a), 504, 8(a)) are figures of their own kind too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from civicllm.language import base_language
from civicllm.tools.small_business.programs_words import (
    COMPARE,
    FIELDS,
    LABELS,
    NAMES,
    NOTES,
    PURPOSES,
    STATUS,
    STEPS,
    TEXTS,
)
from civicllm.tools.view import Figure, SourceRef, Table, ToolView

__all__ = ["format_value", "view_programs"]

LANGUAGES = ("en", "es", "fr", "de")
# The digits in program names, so a line naming "7(a)" or "504" states no unchecked number.
NAME_NUMBERS = {"7a": 7, "504": 504, "8a": 8}


def _lang(language: str) -> str:
    lang = base_language(language)
    return lang if lang in LANGUAGES else "en"


def _group(lang: str) -> str:
    return {"en": ",", "fr": "\u202f"}.get(lang, ".")


def _digits(value: float, lang: str) -> str:
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "en":
        return text
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", _group(lang))
    return f"{whole},{fraction}" if fraction else whole


def format_value(value: Any, unit: str, lang: str) -> str:
    """Return a figure as the language writes it ($5,000,000; 5.000.000 $; 51 %)."""
    if isinstance(value, bool):
        return TEXTS["yes" if value else "no"][lang]
    if not isinstance(value, int | float):
        return str(value)
    digits = _digits(value, lang)
    if unit == "USD":
        if lang == "en":
            return f"-${digits[1:]}" if digits.startswith("-") else f"${digits}"
        return f"{digits}\u00a0$"
    if unit == "percent":
        return f"{digits}%" if lang == "en" else f"{digits}\u00a0%"
    if unit == "employees":
        return TEXTS["employees"][lang].format(value=digits)
    if unit == "years":
        return TEXTS["years"][lang].format(value=digits)
    return digits


def _why_not(reason: Mapping[str, Any], lang: str) -> str:
    label = LABELS.get(str(reason["rule"]), {}).get(lang, str(reason["rule"]))
    comparison = reason.get("comparison")
    if comparison in COMPARE:
        said = TEXTS["must"][lang].format(
            label=label,
            cmp=COMPARE[str(comparison)][lang],
            threshold=format_value(reason["threshold"], str(reason.get("unit") or ""), lang),
        )
    else:
        said = label
    if "value" in reason and not isinstance(reason["value"], bool) and reason["field"] != "as_of":
        value = reason["value"]
        shown = format_value(value, str(reason.get("unit") or ""), lang)
        if isinstance(value, str):
            shown = PURPOSES.get(value, {}).get(lang, value.replace("_", " "))
        said += TEXTS["given"][lang].format(value=shown)
    return said


def _first_step(program: Mapping[str, Any], lang: str) -> str:
    steps = [s["step"] for s in program.get("next_steps") or [] if s["step"] in STEPS]
    return STEPS[steps[0]][lang] if steps else ""


def _line(program: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """Return the program's sentence and its table reason."""
    name = NAMES[str(program["program"])][lang]
    reasons: Sequence[Mapping[str, Any]] = program.get("reasons") or []
    status = str(program["status"])
    if status == "not_eligible":
        why = "; ".join(_why_not(r, lang) for r in reasons if r["met"] is False)
        return TEXTS["not"][lang].format(name=name, why=why), why
    if status == "check":
        parts = []
        missing = [FIELDS.get(f, {}).get(lang, f) for f in program.get("missing") or []]
        if missing:
            parts.append(TEXTS["missing"][lang].format(fields=", ".join(missing)))
        parts += [_why_not(r, lang) for r in reasons if r["met"] is None and "value" in r]
        why = "; ".join(parts)
        return TEXTS["check"][lang].format(name=name, why=why), why
    step = _first_step(program, lang)
    return TEXTS["likely"][lang].format(name=name, step=step), TEXTS["all_met"][lang]


def _limit_line(program: Mapping[str, Any], limit: Mapping[str, Any], lang: str) -> str:
    name = NAMES[str(program["program"])][lang]
    label = LABELS.get(str(limit["fact"]), {}).get(lang, str(limit["fact"]))
    value = format_value(limit["value"], str(limit.get("unit") or ""), lang)
    comparison = limit.get("comparison")
    if comparison in COMPARE:
        return TEXTS["limit"][lang].format(
            name=name, label=label, cmp=COMPARE[str(comparison)][lang], value=value
        )
    return TEXTS["figure"][lang].format(name=name, label=label, value=value)


def _figures(result: Mapping[str, Any], lang: str) -> list[Figure]:
    figures: dict[str, Figure] = {}
    for program in result.get("programs") or []:
        pid = str(program["program"])
        if pid in NAME_NUMBERS:
            figures[f"name:{pid}"] = Figure(
                key=f"program_name_{pid}", label=NAMES[pid][lang], value=NAME_NUMBERS[pid]
            )
        for limit in program.get("limits") or []:
            value = limit["value"]
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            key = str(limit["fact"])
            figures.setdefault(
                key,
                Figure(
                    key=key,
                    label=LABELS.get(key, {}).get(lang, key),
                    value=value,
                    unit=str(limit.get("unit") or ""),
                    note=str(limit["source"]["title"]),
                ),
            )
        for reason in program.get("reasons") or []:
            value = reason.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            field = str(reason["field"])
            figures.setdefault(
                f"given:{field}",
                Figure(
                    key=f"given_{field}",
                    label=FIELDS.get(field, {}).get(lang, field),
                    value=value,
                    unit=str(reason.get("unit") or ""),
                ),
            )
    return list(figures.values())


def _sources(result: Mapping[str, Any], limits_only: bool) -> list[SourceRef]:
    """Return the pages of the figures the lines state (the limits alone when only they are)."""
    seen: dict[str, SourceRef] = {}
    entries: list[Mapping[str, Any]] = []
    for program in result.get("programs") or []:
        if not limits_only:
            entries += [r["source"] for r in program.get("reasons") or [] if "source" in r]
        entries += [limit["source"] for limit in program.get("limits") or []]
        entries += [note["source"] for note in program.get("notes") or []]
    if result.get("grants", {}).get("source"):
        entries.append(result["grants"]["source"])
    for source in entries:
        url = str(source["url"])
        seen.setdefault(
            url,
            SourceRef(
                title=str(source["title"]),
                url=url,
                licence="US government work (public domain)",
                release=str(source.get("effective_date") or ""),
            ),
        )
    return list(seen.values())


def view_programs(result: Mapping[str, Any], language: str) -> ToolView:
    """Return the view of a small-business/programs result in ``language``."""
    lang = _lang(language)
    programs = list(result.get("programs") or [])
    limits_only = not result.get("given")
    sentences: list[str] = []
    if result.get("grants", {}).get("sba_gives_start_up_grants") is False:
        sentences.append(TEXTS["grants"][lang])
    rows = []
    for program in programs:
        line, why = _line(program, lang)
        rows.append(
            (NAMES[str(program["program"])][lang], STATUS[str(program["status"])][lang], why)
        )
        if limits_only:
            sentences += [_limit_line(program, limit, lang) for limit in program["limits"]]
            step = _first_step(program, lang)
            if step:
                name = NAMES[str(program["program"])][lang]
                sentences.append(TEXTS["apply"][lang].format(name=name, step=step))
        else:
            sentences.append(line)
    unverified = any(
        not source.get("verified", True)
        for program in programs
        for source in [
            *(r.get("source", {}) for r in program["reasons"]),
            *(x["source"] for x in program["limits"]),
        ]
    )
    notes = [TEXTS["screening"][lang]] if programs else []
    for program in programs:
        for note in program.get("notes") or []:
            said = NOTES.get(str(note["fact"]), {}).get(lang)
            if said and said not in notes:
                notes.append(said)
    grant_source = result.get("grants", {}).get("source") or {}
    if unverified or grant_source.get("verified") is False:
        notes.append(TEXTS["unverified"][lang])
    table = Table(
        columns=(TEXTS["program"][lang], TEXTS["status"][lang], TEXTS["reason"][lang]),
        rows=tuple(rows),
        caption=TEXTS["caption"][lang],
    )
    return ToolView(
        title=TEXTS["title"][lang],
        figures=tuple(_figures(result, lang)),
        tables=(table,) if rows else (),
        notes=tuple(notes),
        sources=tuple(_sources(result, limits_only)),
        sentences=tuple(sentences),
    )
