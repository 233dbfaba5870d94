"""The end of a flow: the tool's result, its view, and the flow's own texts around them.

The flow engine never reads a particular tool's result fields. The result texts of a flow
(``result.explanation`` and ``result.next_steps``, each with an optional ``when``) are
filled from the view's figures (``{key}`` is the figure's value as the reader sees it) and
the result's top-level text and number members; their conditions see the answers and the
result's members as ``result.<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from civicllm.answer.flow.conditions import holds
from civicllm.answer.flow.definition import Flow
from civicllm.answer.flow.replies import format_money
from civicllm.answer.flow.steps import summarize_answers
from civicllm.answer.flow.texts import localized, message, step_fill
from civicllm.tools.view import Figure, ToolView

__all__ = ["ViewFn", "build_result", "default_view", "format_figure"]

ViewFn = Callable[[Mapping[str, Any], str], ToolView]


def build_result(
    flow: Flow,
    state: Mapping[str, Any],
    values: Mapping[str, Any],
    request: dict[str, Any],
    output: dict[str, Any],
    view: ViewFn | None,
) -> dict[str, Any]:
    """Return the flow's result: the tool's output and view, with the flow's texts."""
    lang = state["language"]
    shown = view(output, lang) if view is not None else default_view(flow, output, lang)
    fill = {k: v for k, v in output.items() if isinstance(v, (str, int, float))}
    fill |= {f.key: format_figure(f, lang) for f in shown.figures}
    context = dict(values) | {f"result.{k}": v for k, v in output.items()}
    texts = {
        part: [
            localized(flow, item["text"], lang, fill)
            for item in flow.result.get(part, [])
            if "when" not in item or holds(flow, item["when"], context)
        ]
        for part in ("explanation", "next_steps")
    }
    return {
        "tool": flow.tool,
        "view": shown.to_json(),
        "explanation": texts["explanation"],
        "next_steps": texts["next_steps"],
        # What the flow assumed for "I don't know", then what the tool notes.
        "notes": _assumption_notes(flow, state, values) + list(shown.notes),
        "answers": summarize_answers(flow, state, values),
        "request": request,
        "output": output,
    }


def _assumption_notes(flow: Flow, state: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    """Return one labelled note per answer the flow assumed."""
    lang = state["language"]
    notes = []
    for field_path in state["assumed"]:
        step = flow.step_for(field_path)
        if step is None or field_path not in values:
            continue
        fill = step_fill(flow, step, values, lang)
        notes.append(
            message(
                flow,
                "assumption_note",
                lang,
                label=localized(flow, step.get("label", {}), lang, fill, values),
                assumption=localized(flow, step.get("unknown", {}).get("note", {}), lang, fill),
            )
        )
    return notes


def format_figure(figure: Figure, language: str) -> str:
    """Return a figure's value as the reader sees it (dollars, percent or a plain number)."""
    value = figure.value
    if value is None:
        return "—"
    if isinstance(value, (str, bool)):
        return str(value)
    number = float(value) if isinstance(value, Decimal) else value
    if figure.unit == "USD":
        return format_money(number, language)
    whole = float(number).is_integer()
    text = format_money(number, language, symbol=False) if whole else _decimal(number, language)
    if figure.unit == "%":
        return f"{text}%" if language == "en" else f"{text} %"
    return f"{text} {figure.unit}" if figure.unit else text


def _decimal(number: float, language: str) -> str:
    text = f"{number:,.1f}"
    if language == "en":
        return text
    thousands = {"fr": "\u202f"}.get(language, ".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", thousands)


def default_view(flow: Flow, output: Mapping[str, Any], language: str) -> ToolView:
    """Return a plain view of a result whose tool has none: its top-level numbers and notes."""
    figures = tuple(
        Figure(key=str(k), label=str(k).replace("_", " "), value=v)
        for k, v in output.items()
        if isinstance(v, (int, float, str)) and not isinstance(v, bool) and k != "notes"
    )
    notes = tuple(str(n) for n in output.get("notes", []) if isinstance(n, str))
    return ToolView(title=flow.title_in(language), figures=figures, notes=notes)
