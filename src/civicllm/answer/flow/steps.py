"""Showing steps: a question in the user's language, its choices, and the answers so far."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.answer.flow.conditions import walk
from civicllm.answer.flow.definition import Flow, FlowStep
from civicllm.answer.flow.replies import format_money
from civicllm.answer.flow.texts import localized, message, step_fill

__all__ = ["display_answer", "render_step", "step_options", "summarize_answers"]


def render_step(
    flow: Flow,
    state: Mapping[str, Any],
    step: Mapping[str, Any],
    *,
    error: str | None = None,
    hint: str | None = None,
    found: tuple[str, list[dict[str, Any]]] | None = None,
) -> FlowStep:
    """Return a step in the state's language, ready to show.

    ``found`` is a lookup step's search text and the options found for it: the step then
    asks to choose (its ``choose`` text) instead of asking for the text.
    """
    lang = state["language"]
    values = walk(flow, state["answers"])[0]
    fill = step_fill(flow, step, values, lang)
    asked = {s["field"] for s in flow.steps if s["type"] != "copy"}
    number = len([f for f in values if f in asked and f != step["field"]]) + 1
    question = step.get("question", {})
    options = step_options(flow, step, lang, fill)
    if found is not None:
        fill["query"] = found[0]
        question = step.get("choose", question)
        options = [{k: o[k] for k in ("value", "label", "detail")} for o in found[1]]
    return FlowStep(
        id=step["id"],
        field=step["field"],
        type=step["type"],
        question=localized(flow, question, lang, fill, values),
        why=localized(flow, step.get("why", {}), lang, fill, values),
        where_to_find=localized(flow, step.get("where", {}), lang, fill, values),
        options=options,
        error=error,
        hint=hint,
        allow_unknown=True,
        number=number,
        query=found[0] if found is not None else None,
    )


def step_options(
    flow: Flow, step: Mapping[str, Any], lang: str, fill: Mapping[str, Any]
) -> list[dict[str, Any]] | None:
    """Return a step's choices in ``lang``; yes/no questions get two."""
    if step["type"] == "choice":
        return [
            {
                "value": o["value"],
                "label": localized(flow, o.get("label", str(o["value"])), lang, fill),
            }
            for o in step.get("options", [])
        ]
    if step["type"] == "yes_no":
        return [
            {"value": True, "label": message(flow, "yes", lang)},
            {"value": False, "label": message(flow, "no", lang)},
        ]
    return None


def display_answer(flow: Flow, step: Mapping[str, Any], value: Any, lang: str) -> str:
    """Return an answer as the user would read it."""
    if value is None:
        return "—"
    if step["type"] == "money":
        return format_money(value, lang)
    if step["type"] == "yes_no":
        return message(flow, "yes" if value else "no", lang)
    if step["type"] == "choice":
        for option in step.get("options", []):
            if option["value"] == value:
                return localized(flow, option.get("label", str(value)), lang, {})
    if step["type"] == "lookup" and isinstance(value, Mapping):
        return str(value.get("label") or value.get("value") or "—")
    if step["type"] == "integer_list" and isinstance(value, list):
        return "; ".join(format_money(v, lang, symbol=False) for v in value)
    return str(value)


def summarize_answers(
    flow: Flow, state: Mapping[str, Any], values: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """List the applicable answers with a short label and a display value, for corrections."""
    lang = state["language"]
    rows = []
    for step in flow.steps:
        if step["type"] == "copy" or step["field"] not in values:
            continue
        fill = step_fill(flow, step, values, lang)
        value = values[step["field"]]
        if step["type"] == "lookup" and isinstance(value, Mapping):
            value = value.get("query", "")  # a correction searches again
        rows.append(
            {
                "field": step["field"],
                "label": localized(
                    flow, step.get("label", step.get("question", {})), lang, fill, values
                ),
                "value": value,
                "display": display_answer(flow, step, values[step["field"]], lang),
                "type": step["type"],
                "options": step_options(flow, step, lang, fill),
                "assumed": step["field"] in state["assumed"],
            }
        )
    return rows
