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
) -> FlowStep:
    """Return a step in the state's language, ready to show."""
    lang = state["language"]
    values = walk(flow, state["answers"])[0]
    fill = step_fill(flow, step, values, lang)
    copies = {s["field"] for s in flow.steps if s["type"] == "copy"}
    number = len([f for f in values if f not in copies and f != step["field"]]) + 1
    return FlowStep(
        id=step["id"],
        field=step["field"],
        type=step["type"],
        question=localized(flow, step.get("question", {}), lang, fill),
        why=localized(flow, step.get("why", {}), lang, fill),
        where_to_find=localized(flow, step.get("where", {}), lang, fill),
        options=step_options(flow, step, lang, fill),
        error=error,
        hint=hint,
        allow_unknown=True,
        number=number,
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
        rows.append(
            {
                "field": step["field"],
                "label": localized(flow, step.get("label", step.get("question", {})), lang, fill),
                "value": values[step["field"]],
                "display": display_answer(flow, step, values[step["field"]], lang),
                "type": step["type"],
                "options": step_options(flow, step, lang, fill),
                "assumed": step["field"] in state["assumed"],
            }
        )
    return rows
