"""Which steps apply: ``when`` conditions evaluated against the answers given so far.

A condition is a small dict: ``{field: path, equals|in|gt|gte|lt|lte|date_before: value}``,
``{all: [...]}``, ``{any: [...]}``, ``{not: cond}`` or ``{ref: name}`` (a named condition
of the flow). A step's condition sees only the answers of the steps before it, so a step's
own answer never decides whether it applies; a lookup step's answer adds the fields its
chosen option fills.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from civicllm.answer.flow.definition import Flow
from civicllm.errors import ConfigError

__all__ = ["holds", "walk"]

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def walk(flow: Flow, answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Return the answers that apply, in order, and the first step still unanswered."""
    values: dict[str, Any] = {}
    current: dict[str, Any] | None = None
    for step in flow.steps:
        if current is not None:
            break
        if "when" in step and not holds(flow, step["when"], values):
            continue
        if step["type"] == "copy":
            if step["from"] in values:
                values[step["field"]] = values[step["from"]]
        elif step["field"] in answers:
            values[step["field"]] = answers[step["field"]]
            if step["type"] == "lookup":
                # A lookup's choice fills the fields of the option chosen.
                values.update(answers[step["field"]].get("fields", {}))
        else:
            current = step
    return values, current


def holds(flow: Flow, cond: Any, values: Mapping[str, Any], depth: int = 0) -> bool:
    """Evaluate a condition against the values known so far."""
    if depth > 20:
        raise ConfigError(f"The conditions of flow {flow.id} refer to each other in a loop.")
    if not isinstance(cond, Mapping):
        raise ConfigError(f"A condition in flow {flow.id} is not a mapping: {cond!r}")
    if "all" in cond:
        return all(holds(flow, c, values, depth + 1) for c in cond["all"])
    if "any" in cond:
        return any(holds(flow, c, values, depth + 1) for c in cond["any"])
    if "not" in cond:
        return not holds(flow, cond["not"], values, depth + 1)
    if "ref" in cond:
        if cond["ref"] not in flow.conditions:
            raise ConfigError(f"Flow {flow.id} has no condition named {cond['ref']}.")
        return holds(flow, flow.conditions[cond["ref"]], values, depth + 1)
    if "field" not in cond:
        raise ConfigError(f"A condition in flow {flow.id} names no field: {cond!r}")
    # An unanswered (or omitted) field satisfies no comparison, so questions that depend
    # on it stay hidden until it is answered.
    value = values.get(cond["field"])
    if value is None:
        return False
    if "equals" in cond:
        return bool(value == cond["equals"])
    if "in" in cond:
        return value in cond["in"]
    for op, test in COMPARISONS.items():
        if op in cond:
            return bool(test(value, cond[op]))
    if "date_before" in cond:
        return str(value) < _cutoff_date(cond["date_before"], values)
    raise ConfigError(f"A condition in flow {flow.id} has no known test: {cond!r}")


def _cutoff_date(spec: Any, values: Mapping[str, Any]) -> str:
    """Return an ISO date from a literal or ``{year_of, add, month_day}`` (e.g. a year field)."""
    if isinstance(spec, str):
        return spec
    base = str(values.get(spec["year_of"], ""))[:4]
    if not base.isdigit():
        return "0000-00-00"
    return f"{int(base) + int(spec.get('add', 0)):04d}-{spec.get('month_day', '01-01')}"
