"""Answer a question from a pack's tools: route it, run the tool, state only its numbers.

Small models cannot be trusted with numbers, so a question a pack's tool can answer is
answered by the tool, not by the model. Each tool of the pack that has a ``route`` is asked,
in the pack's order, whether the question is for it (``route(question, language)`` returns
the tool's input, or None); the first that says yes runs, and its view's sentences are the
answer. Each sentence is checked again here: every number it states must be one of the
result's ``data`` values (as given, or rounded half-up or half-even to one decimal or a
whole number, the rule the tools document), or a year of those rows, or a number of the
question's own input (the year or the count asked for), or a number of a ``missing`` or
``notes`` entry (so "no value for 1960" and a coverage note can be said). A sentence that
states any other number is dropped and never reaches the reader.

What this trades away: the answer says what the tool's view says, in its words; a question
no route recognizes goes the retrieval path even when a tool could have answered it, unless
a model trusted to generate calls the tool itself (``civicllm.answer.tool_choice``), whose
answer is then made here exactly as a routed one (``tool_choice_by`` says which chose).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from civicllm.answer.extractive import LABELS
from civicllm.answer.verify import DroppedSentence
from civicllm.errors import InputError
from civicllm.language import base_language
from civicllm.packs.loader import Pack
from civicllm.tools.base import Tool
from civicllm.tools.view import SourceRef, ToolView

__all__ = [
    "ToolAnswer",
    "ToolRoute",
    "answer_routed",
    "csv_url",
    "numbers_in",
    "pack_tools",
    "route_question",
    "stated_numbers",
    "tool_from_csv_name",
]

# What a reader is told when a routed question names something the tool does not know.
NOT_UNDERSTOOD: Mapping[str, Mapping[str, str]] = {
    "en": {
        "named": "I could not find “{value}” in the data ({what}). Please check the "
        "spelling, or use the English name or the three-letter ISO code.",
        "plain": "I could not understand the {what} in your question. Please ask again "
        "with a different wording.",
        "unchecked": "I could not check the figures for this question against the data, "
        "so I am not stating them.",
    },
    "es": {
        "named": "No encontré «{value}» en los datos ({what}). Revise la ortografía o use "
        "el nombre en inglés o el código ISO de tres letras.",
        "plain": "No entendí {what} de su pregunta. Pregunte de nuevo con otras palabras.",
        "unchecked": "No pude comprobar las cifras de esta pregunta con los datos, así que "
        "no las indico.",
    },
    "fr": {
        "named": "Je n'ai pas trouvé « {value} » dans les données ({what}). Vérifiez "
        "l'orthographe ou utilisez le nom anglais ou le code ISO à trois lettres.",
        "plain": "Je n'ai pas compris {what} de votre question. Reformulez-la, s'il vous plaît.",
        "unchecked": "Je n'ai pas pu vérifier les chiffres de cette question dans les "
        "données ; je ne les donne donc pas.",
    },
    "de": {
        "named": "„{value}“ habe ich in den Daten nicht gefunden ({what}). Bitte prüfen Sie "
        "die Schreibweise oder nutzen Sie den englischen Namen oder den dreistelligen "
        "ISO-Code.",
        "plain": "Ich habe {what} in Ihrer Frage nicht verstanden. Bitte fragen Sie noch "
        "einmal mit anderen Worten.",
        "unchecked": "Ich konnte die Zahlen zu dieser Frage nicht mit den Daten abgleichen "
        "und nenne sie deshalb nicht.",
    },
}
# The input field a tool's InputError names, as a reader would say it.
FIELDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "place": "place",
        "places": "place",
        "name": "place",
        "group": "group",
        "indicator": "indicator",
        "year": "year",
        "start": "year",
        "end": "year",
        "": "request",
    },
    "es": {
        "place": "lugar",
        "places": "lugar",
        "name": "lugar",
        "group": "grupo",
        "indicator": "el indicador",
        "year": "el año",
        "start": "el año",
        "end": "el año",
        "": "la petición",
    },
    "fr": {
        "place": "lieu",
        "places": "lieu",
        "name": "lieu",
        "group": "groupe",
        "indicator": "l'indicateur",
        "year": "l'année",
        "start": "l'année",
        "end": "l'année",
        "": "la demande",
    },
    "de": {
        "place": "Ort",
        "places": "Ort",
        "name": "Ort",
        "group": "Gruppe",
        "indicator": "den Indikator",
        "year": "das Jahr",
        "start": "das Jahr",
        "end": "das Jahr",
        "": "die Anfrage",
    },
}


@dataclass(frozen=True)
class ToolRoute:
    """A question routed to a tool: the tool and the input its ``route`` read."""

    tool: Tool
    input: Mapping[str, Any]
    error: InputError | None = None  # the route read the question but could not finish
    # Who chose the tool: its ``route`` ("route") or the model's tool call ("model").
    chosen_by: Literal["route", "model"] = "route"
    # The tool's result when it already ran on this input (a model's call is checked so).
    result: Mapping[str, Any] | None = None


@dataclass
class ToolAnswer:
    """A tool's answer: the text, its url_citation annotations and the civicllm extension."""

    text: str
    annotations: list[dict[str, Any]] = field(default_factory=list)
    extension: dict[str, Any] = field(default_factory=dict)


def pack_tools(pack: Pack, registry: Mapping[str, Tool]) -> list[Tool]:
    """Return the pack's tools that can answer questions (route and view), in the pack's order."""
    tools = [registry.get(name) for name in pack.tools]
    return [t for t in tools if t is not None and t.route is not None and t.view is not None]


def route_question(tools: Iterable[Tool], question: str, language: str) -> ToolRoute | None:
    """Return the first tool whose ``route`` reads an input from the question, or None.

    A route that raises InputError (it read the question as its own but could not finish)
    still claims it: the reader is told what was not understood.
    """
    for tool in tools:
        if tool.route is None:
            continue
        try:
            found = tool.route(question, language)
        except InputError as exc:
            return ToolRoute(tool, {}, exc)
        if found is not None:
            return ToolRoute(tool, dict(found))
    return None


# A number as the language writes it: thousands grouped ("1,234,567" in English, "1.234.567"
# or "1 234 567" elsewhere) or not, with a decimal part after "." or ",".
_GROUPS = {
    "en": ",\u00a0\u202f",
    "es": ".\u00a0\u202f ",
    "fr": "\u00a0\u202f .",
    "de": ".\u00a0\u202f'",
}


def _number_pattern(language: str) -> re.Pattern[str]:
    group = re.escape(_GROUPS[language])
    decimal = "." if language == "en" else ","
    return re.compile(
        rf"(?<![\w.,])(?P<sign>[-−])?(?P<num>\d{{1,3}}(?:[{group}]\d{{3}})+(?:{re.escape(decimal)}\d+)?"
        rf"|\d+(?:[.,]\d+)?)(?![\w])"
    )


_PATTERNS = {language: _number_pattern(language) for language in _GROUPS}


def numbers_in(text: str, language: str) -> list[Decimal]:
    """Return the numbers a text states, read as the language writes them (signs kept)."""
    lang = base_language(language)
    found: list[Decimal] = []
    decimal = "." if lang == "en" else ","
    for match in _PATTERNS[lang].finditer(text):
        raw = match.group("num")
        if re.fullmatch(r"\d+(?:[.,]\d+)?", raw) and not re.fullmatch(
            rf"\d{{1,3}}[{re.escape(_GROUPS[lang])}]\d{{3}}", raw
        ):
            plain = raw.replace(",", ".")  # a lone separator: the decimal point
        else:
            whole, _, fraction = raw.partition(decimal) if decimal in raw else (raw, "", "")
            whole = re.sub(rf"[{re.escape(_GROUPS[lang])}]", "", whole)
            plain = f"{whole}.{fraction}" if fraction else whole
        try:
            value = Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
        found.append(-value if match.group("sign") else value)
    return found


def _forms(value: Any) -> set[Decimal]:
    """Return a value and the roundings a tool may state it with."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return set()
    if isinstance(value, float) and value != value:  # NaN
        return set()
    exact = Decimal(str(value))
    forms = {exact}
    for places in (Decimal("0.1"), Decimal(1)):
        for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
            forms.add(exact.quantize(places, rounding=rounding))
    if isinstance(value, float):
        forms.update({Decimal(str(round(value, 1))), Decimal(str(round(value)))})
    return forms


def stated_numbers(
    result: Mapping[str, Any], tool_input: Mapping[str, Any], view: ToolView | None = None
) -> set[Decimal]:
    """Return every number an answer from this result may state (see the module docstring).

    Those are the result's ``data`` values and years, the numbers of its ``missing`` and
    ``notes`` entries, the question's own whole-number inputs, and the numbers the tool's
    view shows (its figures, table cells and chart points: a tool without ``data`` entries,
    like a unit converter, states its view's figures).
    """
    allowed: set[Decimal] = set()
    if view is not None:
        for number in view.numbers():
            allowed |= _forms(number)
    for entry in result.get("data") or []:
        if isinstance(entry, Mapping):
            allowed |= _forms(entry.get("value"))
            allowed |= _forms(entry.get("year"))
    for key in ("missing", "notes"):
        for entry in result.get(key) or []:
            if isinstance(entry, Mapping):
                for member, value in entry.items():
                    if member != "text":
                        allowed |= _forms(value)
    for value in tool_input.values():
        if isinstance(value, int) and not isinstance(value, bool):
            allowed |= _forms(value)
    return allowed


def _supported(number: Decimal, allowed: set[Decimal]) -> bool:
    # A change or a gap is stated as a size ("fell by 3.4 points"), its sign in words.
    return number in allowed or (number >= 0 and -number in allowed)


@dataclass(frozen=True)
class _Source:
    title: str
    url: str
    dataset: str
    release: str
    licence: str
    entries: tuple[int, ...]


def _page(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _sources(data: Sequence[Mapping[str, Any]], view: ToolView) -> list[_Source]:
    """Group the rows used by the publisher's page they come from: one citation each."""
    licences = {_page(ref.url): ref for ref in view.sources}
    groups: dict[str, list[int]] = {}
    for i, entry in enumerate(data):
        url = str(entry.get("source_url") or "")
        if url:
            groups.setdefault(_page(url), []).append(i)
    sources: list[_Source] = []
    for page, indices in groups.items():
        first = data[indices[0]]
        urls = {str(data[i].get("source_url")) for i in indices}
        ref: SourceRef | None = licences.get(page)
        dataset = str(first.get("dataset") or (ref.title if ref else ""))
        name = str(first.get("indicator_name") or "")
        sources.append(
            _Source(
                title=f"{dataset}: {name}" if name and dataset else (dataset or name or page),
                url=urls.pop() if len(urls) == 1 else page,
                dataset=dataset,
                release=str(first.get("release") or (ref.release if ref else "")),
                licence=ref.licence if ref else "",
                entries=tuple(indices),
            )
        )
    if not sources:  # nothing found to state: still point at where one would look
        for ref in view.sources:
            sources.append(_Source(ref.title, ref.url, ref.title, ref.release, ref.licence, ()))
    return sources


def csv_url(tool: Tool, tool_input: Mapping[str, Any], language: str) -> str:
    """Return the URL that serves the rows a tool's chart plots, for this input."""
    name = tool.id.replace("/", "--")
    query = urlencode(
        {
            "input": json.dumps(tool_input, sort_keys=True, separators=(",", ":"), default=str),
            "lang": base_language(language),
        }
    )
    return f"/v1/data/{name}.csv?{query}"


def tool_from_csv_name(name: str) -> str:
    """Return the tool id a CSV name stands for (``a--b`` is ``a/b``)."""
    return name.removesuffix(".csv").replace("--", "/")


def _not_understood(exc: InputError, tool_input: Mapping[str, Any], language: str) -> str:
    texts = NOT_UNDERSTOOD[language]
    param = (exc.param or "").split(".")[0]
    what = FIELDS[language].get(param, FIELDS[language][""])
    value = tool_input.get(param)
    if isinstance(value, list) and value:
        value = None  # which of several places failed is in the tool's message alone
    if isinstance(value, str) and value.strip():
        return texts["named"].format(value=value.strip()[:80], what=what)
    return texts["plain"].format(what=what)


def answer_routed(route: ToolRoute, language: str) -> ToolAnswer:
    """Run the routed tool and return its verified answer (call it off the event loop)."""
    from civicllm.charts import render_svg

    lang = base_language(language)
    tool = route.tool
    base: dict[str, Any] = {
        "grounding": "tool",
        "tool_choice_by": route.chosen_by,
        "language": lang,
        "tool": {"id": tool.id, "version": tool.version, "input": dict(route.input)},
        "data": [],
        "citations": [],
        "dropped": [],
        "removed": [],
    }
    try:
        if route.error is not None:
            raise route.error
        result = route.result if route.result is not None else tool.run(route.input)
    except InputError as exc:
        base["tool"]["error"] = {"message": exc.message, "param": exc.param}
        base["found"] = False
        return ToolAnswer(text=_not_understood(exc, route.input, lang), extension=base)
    assert tool.view is not None, "pack_tools keeps only tools with a view"
    view = tool.view(result, lang)
    data: list[dict[str, Any]] = [dict(e) for e in result.get("data") or []]
    allowed = stated_numbers(result, route.input, view)
    sources = _sources(data, view)
    kept: list[str] = []
    dropped: list[DroppedSentence] = []
    said = list(view.sentences) + [n for n in view.notes if n not in view.sentences]
    for sentence in said:
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        unsupported = [n for n in numbers_in(sentence, lang) if not _supported(n, allowed)]
        if unsupported:
            detail = "not in the tool's data: " + ", ".join(str(n) for n in unsupported)
            dropped.append(DroppedSentence(sentence, "number-not-in-sources", detail))
            continue
        kept.append(_with_markers(sentence, lang, data, sources))
    body = " ".join(kept) if kept else NOT_UNDERSTOOD[lang]["unchecked"]
    text, annotations, citations = _references(body, sources, lang)
    base.update(
        # A data tool found nothing when it returns no rows; a tool without a ``data``
        # member (a calculator, a screener) found its answer when a sentence survived.
        found=bool(kept) and (bool(data) or "data" not in result),
        data=data,
        citations=citations,
        dropped=[{"text": d.text, "reason": d.reason, "detail": d.detail} for d in dropped],
        missing=list(result.get("missing") or []),
        notes=list(result.get("notes") or []),
        view=view.to_json(),
    )
    if view.chart is not None and kept:
        base["chart"] = {
            "kind": view.chart.kind,
            "title": view.chart.title,
            "svg": render_svg(view.chart, lang, view.sources),
            "csv_url": csv_url(tool, route.input, lang),
        }
    return ToolAnswer(text=text, annotations=annotations, extension=base)


def _with_markers(
    sentence: str, language: str, data: Sequence[Mapping[str, Any]], sources: Sequence[_Source]
) -> str:
    """Return the sentence with the [n] of each source whose rows it states.

    A derived figure (a change, a gap) has no source of its own: it cites its inputs'.
    """
    stated = set(numbers_in(sentence, language))
    stated |= {-n for n in stated}
    rows: set[int] = set()
    for i, entry in enumerate(data):
        if _forms(entry.get("value")) & stated:
            rows.add(i)
            derived = entry.get("derived")
            if isinstance(derived, Mapping):
                rows.update(j for j in derived.get("inputs") or [] if isinstance(j, int))
    numbers = [n for n, source in enumerate(sources, start=1) if rows & set(source.entries)]
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    if sentence[-1:] in ".!?":
        return f"{sentence[:-1]} {marks}{sentence[-1]}"
    return f"{sentence} {marks}"


def _references(
    body: str, sources: Sequence[_Source], language: str
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the text with its reference list, one annotation per source, the extension."""
    if not sources:
        return body, [], []
    heading = LABELS[language].sources
    text = f"{body}\n\n{heading}:"
    annotations: list[dict[str, Any]] = []
    citations: list[dict[str, Any]] = []
    for number, source in enumerate(sources, start=1):
        details = ", ".join(b for b in (source.title, source.release, source.licence) if b)
        line = f"[{number}] {details}. {source.url}"
        start = len(text) + 1
        text += "\n" + line
        annotations.append(
            {
                "type": "url_citation",
                "url_citation": {
                    "url": source.url,
                    "title": source.title,
                    "start_index": start,
                    "end_index": start + len(line),
                },
            }
        )
        citations.append(
            {
                "number": number,
                "title": source.title,
                "url": source.url,
                "dataset": source.dataset,
                "release": source.release,
                "licence": source.licence,
                "data": list(source.entries),
                "start_index": start,
                "end_index": start + len(line),
            }
        )
    return text, annotations, citations
