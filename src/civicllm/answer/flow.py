"""Guided flows: one plain-language question at a time, then a deterministic tool call.

A flow is data (a pack's ``flows/<name>.yaml``): steps that each fill one field of a tool's
JSON input, with localized question, "why we ask" and "where to find it" texts, a type that
says how a reply is read, and an optional ``when`` condition. The engine needs no model: it
reads replies with fixed rules, so the smallest model (or none) gives the same answers.

The state is a JSON-serializable dict held by the client, so the server keeps no personal
data between calls; it is validated again on every call.

Example::

    flow = load_flow(Path("packs/student-aid/flows/estimator.yaml"))
    turn = start_flow(flow, "es")
    turn = advance_flow(flow, turn.state, "2025-26", run_tool=estimate)
    print(turn.step.question if turn.step else turn.result["sai"])

Conditions (``when``, and the ``when`` of result texts) are small dicts, evaluated against
the answers of the steps *before* the one being considered, so a step's own answer never
decides whether it applies:
``{field: path, equals|in|gt|gte|lt|lte|date_before: value}``, ``{all: [...]}``,
``{any: [...]}``, ``{not: cond}``, ``{ref: name}`` (a named condition of the flow).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from civicllm.errors import ConfigError, InputError
from civicllm.language import fold

__all__ = [
    "Flow",
    "FlowStep",
    "FlowTurn",
    "ToolRun",
    "advance_flow",
    "correct_answer",
    "format_money",
    "load_flow",
    "parse_reply",
    "play_request",
    "start_flow",
    "validate_state",
]

STATE_VERSION = 1
STEP_TYPES = ("date", "money", "integer", "yes_no", "choice", "copy")
# Fields under this prefix steer the flow only; they are never sent to the tool.
LOCAL_PREFIX = "flow."
# The largest amount a money step takes unless it sets its own ``max``: no household figure
# comes near a trillion, and a longer reply is a typing slip to ask about again.
MAX_MONEY = 999_999_999_999

ToolRun = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Flow:
    """A parsed flow definition; build it with ``load_flow``."""

    id: str
    tool: str
    languages: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    conditions: Mapping[str, Any]
    messages: Mapping[str, Mapping[str, str]]
    vocabulary: Mapping[str, Any]
    result: Mapping[str, Any]
    title: Mapping[str, str] = field(default_factory=dict)
    intro: Mapping[str, str] = field(default_factory=dict)

    def step_for(self, field_path: str) -> dict[str, Any] | None:
        """Return the step that fills ``field_path``, or None."""
        return next((s for s in self.steps if s["field"] == field_path), None)


@dataclass(frozen=True)
class FlowStep:
    """The question to show next, already in the user's language."""

    id: str
    field: str
    type: str
    question: str
    why: str
    where_to_find: str
    options: list[dict[str, Any]] | None = None
    error: str | None = None
    hint: str | None = None
    allow_unknown: bool = True
    number: int = 1

    def to_dict(self) -> dict[str, Any]:
        """Return the step as the JSON object the API sends."""
        return {
            "id": self.id,
            "field": self.field,
            "type": self.type,
            "question": self.question,
            "why": self.why,
            "where_to_find": self.where_to_find,
            "options": self.options,
            "error": self.error,
            "hint": self.hint,
            "allow_unknown": self.allow_unknown,
            "number": self.number,
        }


@dataclass(frozen=True)
class FlowTurn:
    """What one call returns: the new state, and either the next step or the result."""

    state: dict[str, Any]
    step: FlowStep | None
    result: dict[str, Any] | None


def load_flow(path: Path) -> Flow:
    """Read and check a flow definition from a YAML file."""
    try:
        # The C loader, where libyaml is present, reads the flow about ten times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the flow file {path}: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
        raise ConfigError(f"The flow file {path} needs a mapping with a list of steps.")
    languages = tuple(raw.get("languages", ["en"]))
    seen: set[str] = set()
    messages = raw.get("messages", {})
    for step in raw["steps"]:
        if not isinstance(step, dict) or not {"id", "field", "type"} <= step.keys():
            raise ConfigError(f"Each step in {path} needs id, field and type: {step!r}")
        if step["type"] not in STEP_TYPES:
            raise ConfigError(f"Step {step['id']} in {path} has an unknown type {step['type']}.")
        if step["field"] in seen:
            raise ConfigError(f"Two steps in {path} fill the field {step['field']}.")
        seen.add(step["field"])
        question = step.get("question", {})
        if isinstance(question, str):
            question = messages.get(question, {})
        if step["type"] != "copy" and "en" not in question:
            raise ConfigError(f"Step {step['id']} in {path} needs an English question.")
    return Flow(
        id=str(raw.get("id", path.stem)),
        tool=str(raw.get("tool", "")),
        languages=languages,
        steps=tuple(raw["steps"]),
        conditions=raw.get("conditions", {}),
        messages=raw.get("messages", {}),
        vocabulary=raw.get("vocabulary", {}),
        result=raw.get("result", {}),
        title=raw.get("title", {}),
        intro=raw.get("intro", {}),
    )


def start_flow(flow: Flow, language: str) -> FlowTurn:
    """Begin a flow in ``language`` and return its first question."""
    state = {
        "version": STATE_VERSION,
        "flow": flow.id,
        "language": _pick_language(flow, language),
        "answers": {},
        "unknown": [],
        "assumed": [],
    }
    return _next_turn(flow, state, run_tool=None, error=None)


def advance_flow(
    flow: Flow,
    state: Mapping[str, Any],
    reply: str | None,
    *,
    language: str | None = None,
    run_tool: ToolRun | None = None,
) -> FlowTurn:
    """Read ``reply`` as the answer to the current question and return the next turn."""
    new = validate_state(flow, state)
    if language:
        new["language"] = _pick_language(flow, language)
    lang = new["language"]
    _, current = _walk(flow, new["answers"])
    if current is None or reply is None or not reply.strip():
        return _next_turn(flow, new, run_tool=run_tool, error=None)
    if _is_unknown(flow, reply):
        return _handle_unknown(flow, new, current, run_tool)
    try:
        value = parse_reply(flow, current, reply, lang)
    except InputError as exc:
        return FlowTurn(new, _render_step(flow, new, current, error=exc.message), None)
    _set_answer(new, current["field"], value)
    return _next_turn(flow, new, run_tool=run_tool, error=None)


def correct_answer(
    flow: Flow,
    state: Mapping[str, Any],
    field_path: str,
    value: Any,
    *,
    language: str | None = None,
    run_tool: ToolRun | None = None,
) -> FlowTurn:
    """Replace the answer for ``field_path`` and return the next turn, recomputed."""
    new = validate_state(flow, state)
    if language:
        new["language"] = _pick_language(flow, language)
    step = flow.step_for(field_path)
    if step is None or step["type"] == "copy":
        raise InputError(
            f"There is no question for '{field_path}' in this flow; choose one of the "
            "answers listed in the summary.",
            param="correct.field",
        )
    text = value if isinstance(value, str) else _canonical_text(value)
    try:
        parsed = parse_reply(flow, step, text, new["language"])
    except InputError as exc:
        return FlowTurn(new, _render_step(flow, new, step, error=exc.message), None)
    _set_answer(new, field_path, parsed)
    return _next_turn(flow, new, run_tool=run_tool, error=None)


def play_request(
    flow: Flow,
    request: Mapping[str, Any],
    language: str = "en",
    *,
    run_tool: ToolRun | None = None,
    limit: int = 500,
) -> FlowTurn:
    """Play the whole conversation from a tool request, as a user who knows every figure.

    Each question is answered with the request's value for its field. A missing yes/no or
    amount is answered "no" or 0 (the spec's defaults), other missing answers "I don't
    know" (which the flow turns into its labelled assumption); a gate question (a
    ``flow.`` field) is answered yes when any field it ``gates`` has a value. Evaluation
    suites use this to check that the flow asks for everything the tool needs.
    """
    unknown = str((flow.vocabulary.get("unknown") or ["?"])[0])
    turn = start_flow(flow, language)
    for _ in range(limit):
        if turn.step is None:
            return turn
        if turn.step.error:
            raise InputError(
                f"The flow refused the request's value for {turn.step.field}: {turn.step.error}",
                param=turn.step.field,
            )
        spec = _step(flow, turn.step.field)
        value = _lookup(request, turn.step.field)
        if turn.step.field.startswith(LOCAL_PREFIX):
            gated = [_lookup(request, f) for f in spec.get("gates", [])]
            reply = "true" if any(v not in (None, 0, False) for v in gated) else "false"
        elif value is not None:
            reply = _canonical_text(value)
        elif spec.get("unknown", {}).get("omit"):
            reply = unknown
        elif spec["type"] == "yes_no":
            reply = "false"
        elif spec["type"] == "money":
            reply = "0"
        elif spec.get("unknown"):
            reply = unknown
        else:
            raise InputError(
                f"The request has no value for {turn.step.field}, which this flow needs.",
                param=turn.step.field,
            )
        turn = advance_flow(flow, turn.state, reply, run_tool=run_tool)
    raise ConfigError(f"Flow {flow.id} asked more than {limit} questions; check its conditions.")


def _lookup(request: Mapping[str, Any], path: str) -> Any:
    """Return the value at a dotted path of a nested request, or None."""
    node: Any = request
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def validate_state(flow: Flow, state: Mapping[str, Any]) -> dict[str, Any]:
    """Check a client-held state and return a clean copy; raise InputError if it is bad."""
    if not isinstance(state, Mapping):
        raise InputError("The flow state must be a JSON object; start again.", param="state")
    if state.get("version") != STATE_VERSION or state.get("flow") != flow.id:
        raise InputError(
            f"This state does not belong to the flow '{flow.id}'; start again.", param="state"
        )
    answers = state.get("answers")
    if not isinstance(answers, Mapping):
        raise InputError("The flow state has no answers object; start again.", param="state")
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        step = flow.step_for(str(key))
        if step is None or step["type"] == "copy":
            raise InputError(f"The flow state has an unknown answer '{key}'.", param="state")
        if value is None and step.get("unknown", {}).get("omit"):
            clean[key] = None
            continue
        try:
            clean[key] = parse_reply(flow, step, _canonical_text(value), "en")
        except InputError as exc:
            raise InputError(
                f"The flow state has a bad answer for '{key}': {exc.message}", param="state"
            ) from exc
    marks = {}
    for name in ("unknown", "assumed"):
        items = state.get(name, [])
        if not isinstance(items, list) or not all(
            isinstance(i, str) and flow.step_for(i) for i in items
        ):
            raise InputError(f"The flow state has a bad '{name}' list.", param="state")
        marks[name] = sorted(set(items))
    return {
        "version": STATE_VERSION,
        "flow": flow.id,
        "language": _pick_language(flow, str(state.get("language", "en"))),
        "answers": clean,
        "unknown": marks["unknown"],
        "assumed": marks["assumed"],
    }


def parse_reply(flow: Flow, step: Mapping[str, Any], reply: str, language: str) -> Any:
    """Read a free-text reply as the step's type; raise InputError with a localized message."""
    text = reply.strip()
    kind = step["type"]
    if kind == "money":
        return _read_money(flow, step, text, language)
    if kind == "integer":
        digits = re.sub(r"[\s,._]", "", text)
        if not re.fullmatch(r"\d{1,6}", digits):
            raise InputError(_message(flow, "invalid_integer", language), param=step["field"])
        number = int(digits)
        low, high = int(step.get("min", 0)), int(step.get("max", 999999))
        if not low <= number <= high:
            message = _message(flow, "out_of_range", language, min=low, max=high)
            raise InputError(message, param=step["field"])
        return number
    if kind == "yes_no":
        word = fold(text).strip()
        if word in {fold(w).strip() for w in flow.vocabulary.get("yes", [])} | {"true"}:
            return True
        if word in {fold(w).strip() for w in flow.vocabulary.get("no", [])} | {"false"}:
            return False
        raise InputError(_message(flow, "invalid_yes_no", language), param=step["field"])
    if kind == "choice":
        return _parse_choice(flow, step, text, language)
    if kind == "date":
        return _parse_date(flow, step, text, language)
    raise ConfigError(f"Step {step['id']} of type {kind} takes no reply.")


def format_money(amount: int | float, language: str, *, symbol: bool = True) -> str:
    """Format whole dollars the way readers of ``language`` expect."""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(round(amount)):,}"
    if language != "en":
        digits = digits.replace(",", {"fr": "\u202f"}.get(language, "."))
    if not symbol:
        return f"{sign}{digits}"
    return f"{sign}${digits}" if language == "en" else f"{sign}{digits} $"


# --- walking the steps -------------------------------------------------------------------


def _walk(flow: Flow, answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Return the answers that apply, in order, and the first step still unanswered."""
    values: dict[str, Any] = {}
    current: dict[str, Any] | None = None
    for step in flow.steps:
        if current is not None:
            break
        if "when" in step and not _holds(flow, step["when"], values):
            continue
        if step["type"] == "copy":
            if step["from"] in values:
                values[step["field"]] = values[step["from"]]
        elif step["field"] in answers:
            values[step["field"]] = answers[step["field"]]
        else:
            current = step
    return values, current


def _holds(flow: Flow, cond: Any, values: Mapping[str, Any], depth: int = 0) -> bool:
    """Evaluate a condition against the values known so far."""
    if depth > 20:
        raise ConfigError(f"The conditions of flow {flow.id} refer to each other in a loop.")
    if not isinstance(cond, Mapping):
        raise ConfigError(f"A condition in flow {flow.id} is not a mapping: {cond!r}")
    if "all" in cond:
        return all(_holds(flow, c, values, depth + 1) for c in cond["all"])
    if "any" in cond:
        return any(_holds(flow, c, values, depth + 1) for c in cond["any"])
    if "not" in cond:
        return not _holds(flow, cond["not"], values, depth + 1)
    if "ref" in cond:
        if cond["ref"] not in flow.conditions:
            raise ConfigError(f"Flow {flow.id} has no condition named {cond['ref']}.")
        return _holds(flow, flow.conditions[cond["ref"]], values, depth + 1)
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
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "gt": operator.gt,
        "gte": operator.ge,
        "lt": operator.lt,
        "lte": operator.le,
    }
    for op, test in comparisons.items():
        if op in cond:
            return bool(test(value, cond[op]))
    if "date_before" in cond:
        return str(value) < _cutoff_date(cond["date_before"], values)
    raise ConfigError(f"A condition in flow {flow.id} has no known test: {cond!r}")


def _cutoff_date(spec: Any, values: Mapping[str, Any]) -> str:
    """Return an ISO date from a literal or ``{year_of, add, month_day}`` (e.g. an award year)."""
    if isinstance(spec, str):
        return spec
    base = str(values.get(spec["year_of"], ""))[:4]
    if not base.isdigit():
        return "0000-00-00"
    return f"{int(base) + int(spec.get('add', 0)):04d}-{spec.get('month_day', '01-01')}"


def _set_answer(state: dict[str, Any], field_path: str, value: Any) -> None:
    """Store an answer the user gave, clearing any earlier "I don't know" marks for it."""
    state["answers"][field_path] = value
    state["unknown"] = [f for f in state["unknown"] if f != field_path]
    state["assumed"] = [f for f in state["assumed"] if f != field_path]


def _handle_unknown(
    flow: Flow, state: dict[str, Any], step: dict[str, Any], run_tool: ToolRun | None
) -> FlowTurn:
    """Explain where to find the answer; on a second "I don't know", use the assumption."""
    lang = state["language"]
    rule = step.get("unknown")
    fill = _step_fill(flow, step, _walk(flow, state["answers"])[0], lang)
    where = _localized(flow, step.get("where", {}), lang, fill)
    if step["field"] not in state["unknown"] or not rule:
        if rule:
            assumption = _localized(flow, rule.get("note", {}), lang, fill)
            hint = _message(flow, "unknown_explain", lang, where=where, assumption=assumption)
        else:
            hint = _message(flow, "unknown_required", lang, where=where)
        state["unknown"] = sorted({*state["unknown"], step["field"]})
        return FlowTurn(state, _render_step(flow, state, step, hint=hint), None)
    value = None if rule.get("omit") else rule["assume"]
    state["answers"][step["field"]] = value
    state["unknown"] = [f for f in state["unknown"] if f != step["field"]]
    state["assumed"] = sorted({*state["assumed"], step["field"]})
    return _next_turn(flow, state, run_tool=run_tool, error=None)


def _next_turn(
    flow: Flow, state: dict[str, Any], *, run_tool: ToolRun | None, error: str | None
) -> FlowTurn:
    """Return the next unanswered question, or run the tool when every answer is in."""
    values, current = _walk(flow, state["answers"])
    if current is not None:
        return FlowTurn(state, _render_step(flow, state, current, error=error), None)
    run = run_tool or _find_tool(flow)
    request = _build_request(values)
    try:
        output = run(request)
    except InputError as exc:
        step = _step_for_param(flow, exc.param)
        if step is None or step["field"] not in state["answers"]:
            raise
        state["answers"].pop(step["field"])
        message = _message(flow, "tool_rejected", state["language"], detail=exc.message)
        return FlowTurn(state, _render_step(flow, state, step, error=message), None)
    return FlowTurn(state, None, _build_result(flow, state, values, request, output))


def _find_tool(flow: Flow) -> ToolRun:
    """Return the run function of the flow's tool from the built-in registry."""
    from civicllm.tools.base import load_tools

    tool = load_tools().get(flow.tool)
    if tool is None:
        raise ConfigError(f"The tool '{flow.tool}' that flow {flow.id} needs is not installed.")
    return tool.run


def _step_for_param(flow: Flow, param: str | None) -> dict[str, Any] | None:
    """Return the asked step that best matches a tool error's field path."""
    if not param:
        return None
    asked = [s for s in flow.steps if s["type"] != "copy"]
    for test in (
        lambda f: f == param,
        lambda f: f.startswith(param + "."),
        lambda f: param.startswith(f + "."),
    ):
        match = next((s for s in asked if test(s["field"])), None)
        if match is not None:
            return match
    return None


def _build_request(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn applicable answers into the tool's nested JSON input."""
    request: dict[str, Any] = {}
    for path, value in values.items():
        if path.startswith(LOCAL_PREFIX) or value is None:
            continue
        node = request
        *parents, leaf = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return request


def _build_result(
    flow: Flow,
    state: Mapping[str, Any],
    values: Mapping[str, Any],
    request: dict[str, Any],
    output: dict[str, Any],
) -> dict[str, Any]:
    """Combine the tool output with localized explanation, next steps and notes."""
    lang = state["language"]
    spec = flow.result
    status_labels = spec.get("dependency_status", {}).get(output.get("dependency_status"), {})
    fill = {
        "sai": format_money(int(output.get("sai", 0)), lang, symbol=False),
        "pell_grant": format_money(int(output.get("pell_grant", 0)), lang),
        "award_year": output.get("award_year", values.get("award_year", "")),
        "dependency_status": _text(status_labels, lang) or output.get("dependency_status", ""),
    }
    context = dict(values) | {f"result.{k}": v for k, v in output.items()}
    explanation = [
        _text(item["text"], lang).format_map(fill)
        for item in spec.get("explanation", [])
        if "when" not in item or _holds(flow, item["when"], context)
    ]
    next_steps = [
        _text(item["text"], lang).format_map(fill)
        for item in spec.get("next_steps", [])
        if "when" not in item or _holds(flow, item["when"], context)
    ]
    notes = [
        _message(
            flow,
            "assumption_note",
            lang,
            label=_localized(
                flow,
                _step(flow, f).get("label", {}),
                lang,
                _step_fill(flow, _step(flow, f), values, lang),
            ),
            assumption=_localized(
                flow,
                _step(flow, f).get("unknown", {}).get("note", {}),
                lang,
                _step_fill(flow, _step(flow, f), values, lang),
            ),
        )
        for f in state["assumed"]
        if f in values
    ]
    notes += [str(n) for n in output.get("notes", [])]
    return {
        "tool": flow.tool,
        "sai": output.get("sai"),
        "pell_grant": output.get("pell_grant"),
        "dependency_status": output.get("dependency_status"),
        "dependency_status_label": fill["dependency_status"],
        "award_year": fill["award_year"],
        "explanation": explanation,
        "next_steps": next_steps,
        "notes": notes,
        "worksheet": output.get("worksheet", []),
        "answers": _summarize(flow, state, values),
        "request": request,
        "output": output,
    }


def _summarize(
    flow: Flow, state: Mapping[str, Any], values: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """List the applicable answers with a short label and a display value, for corrections."""
    lang = state["language"]
    rows = []
    for step in flow.steps:
        if step["type"] == "copy" or step["field"] not in values:
            continue
        fill = _step_fill(flow, step, values, lang)
        rows.append(
            {
                "field": step["field"],
                "label": _localized(flow, step.get("label", step.get("question", {})), lang, fill),
                "value": values[step["field"]],
                "display": _display(flow, step, values[step["field"]], lang),
                "type": step["type"],
                "options": _options(flow, step, lang, fill),
                "assumed": step["field"] in state["assumed"],
            }
        )
    return rows


def _step(flow: Flow, field_path: str) -> dict[str, Any]:
    return flow.step_for(field_path) or {}


def _display(flow: Flow, step: Mapping[str, Any], value: Any, lang: str) -> str:
    """Return an answer as the user would read it."""
    if value is None:
        return "—"
    if step["type"] == "money":
        return format_money(value, lang)
    if step["type"] == "yes_no":
        return _message(flow, "yes" if value else "no", lang)
    if step["type"] == "choice":
        for option in step.get("options", []):
            if option["value"] == value:
                return _localized(flow, option.get("label", str(value)), lang, {})
    return str(value)


def _options(
    flow: Flow, step: Mapping[str, Any], lang: str, fill: Mapping[str, Any]
) -> list[dict[str, Any]] | None:
    """Return a step's choices in ``lang``; yes/no questions get two."""
    if step["type"] == "choice":
        return [
            {
                "value": o["value"],
                "label": _localized(flow, o.get("label", str(o["value"])), lang, fill),
            }
            for o in step.get("options", [])
        ]
    if step["type"] == "yes_no":
        return [
            {"value": True, "label": _message(flow, "yes", lang)},
            {"value": False, "label": _message(flow, "no", lang)},
        ]
    return None


def _render_step(
    flow: Flow,
    state: Mapping[str, Any],
    step: Mapping[str, Any],
    *,
    error: str | None = None,
    hint: str | None = None,
) -> FlowStep:
    """Return a step in the state's language, ready to show."""
    lang = state["language"]
    values = _walk(flow, state["answers"])[0]
    fill = _step_fill(flow, step, values, lang)
    options = _options(flow, step, lang, fill)
    copies = {s["field"] for s in flow.steps if s["type"] == "copy"}
    number = len([f for f in values if f not in copies and f != step["field"]]) + 1
    return FlowStep(
        id=step["id"],
        field=step["field"],
        type=step["type"],
        question=_localized(flow, step.get("question", {}), lang, fill),
        why=_localized(flow, step.get("why", {}), lang, fill),
        where_to_find=_localized(flow, step.get("where", {}), lang, fill),
        options=options,
        error=error,
        hint=hint,
        allow_unknown=True,
        number=number,
    )


# --- reading replies -----------------------------------------------------------------------


def _read_money(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> int:
    """Read a money reply as whole dollars within the step's range, or raise InputError."""
    amount = _parse_money(text)
    if amount is None:
        raise InputError(_message(flow, "invalid_money", language), param=step["field"])
    negative_allowed = bool(step.get("allow_negative", False))
    limit = int(step.get("max", MAX_MONEY))
    if abs(amount) <= limit:
        # Round half away from zero, as the FAFSA asks for whole dollars; within the limit
        # the quantize cannot overflow the Decimal context.
        dollars = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if dollars >= 0 or negative_allowed:
            return dollars
    elif amount > 0 or negative_allowed:
        low = format_money(-limit if negative_allowed else 0, language, symbol=False)
        high = format_money(limit, language, symbol=False)
        message = _message(flow, "out_of_range", language, min=low, max=high)
        raise InputError(message, param=step["field"])
    raise InputError(_message(flow, "negative_money", language), param=step["field"])


def _parse_money(text: str) -> Decimal | None:
    """Read "$52,000", "52.000", "52 000,50", "-1,200" or "52k" as an exact amount."""
    cleaned = fold(text).replace("usd", "").replace("us$", "").replace("dollars", "")
    cleaned = re.sub(r"[$\s\u00a0\u202f']", "", cleaned)
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("-()+")
    scale = 1
    if cleaned.endswith("k"):
        scale, cleaned = 1000, cleaned[:-1]
    if not re.fullmatch(r"\d[\d.,]*", cleaned or "x"):
        return None
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = max(last_dot, last_comma)
        whole, cents = cleaned[:decimal], cleaned[decimal + 1 :]
    else:
        sep = "." if last_dot >= 0 else ","
        parts = cleaned.split(sep)
        # One separator followed by exactly three digits is a thousands separator
        # ("52.000" in Spanish, French and German); one to two digits are cents.
        if len(parts) == 2 and len(parts[1]) in (1, 2):
            whole, cents = parts[0], parts[1]
        else:
            whole, cents = cleaned, ""
    whole = re.sub(r"[.,]", "", whole)
    # ASCII digits only: "²" and "٣" pass isdigit() but are no amount anyone types.
    if not re.fullmatch(r"[0-9]+", whole) or not re.fullmatch(r"[0-9]*", cents):
        return None
    # Decimal keeps every digit of the reply (a float turns 31 digits into 1e30 and 400 into
    # infinity); cents beyond 20 places cannot change the rounding to dollars.
    amount = Decimal(f"{whole}.{cents[:20] or '0'}") * scale
    return -amount if negative else amount


def _parse_date(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> str:
    """Read an ISO, US (month first, English) or day-first date; return it as ISO."""
    year = month = day = 0
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    other = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif other:
        first, second, year = (int(g) for g in other.groups())
        month_first = language == "en" and "." not in text
        month, day = (first, second) if month_first else (second, first)
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise InputError(_message(flow, "invalid_date", language), param=step["field"]) from None
    if parsed > date.today() or parsed.year < 1900:
        raise InputError(_message(flow, "impossible_date", language), param=step["field"])
    return parsed.isoformat()


def _parse_choice(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> Any:
    """Match a reply to an option by value, label in any language, or its number."""
    options = step.get("options", [])
    folded = fold(text).strip()
    if (
        re.fullmatch(r"[0-9]{1,3}", folded)
        and 1 <= int(folded) <= len(options)
        and not any(fold(str(o["value"])).strip() == folded for o in options)
    ):
        return options[int(folded) - 1]["value"]
    for option in options:
        labels = option.get("label", {})
        names = [str(option["value"])] + (
            list(labels.values()) if isinstance(labels, Mapping) else [str(labels)]
        )
        names += [str(a) for a in option.get("aliases", [])]
        if folded in {fold(n).strip() for n in names}:
            return option["value"]
    raise InputError(_message(flow, "invalid_choice", language), param=step["field"])


def _is_unknown(flow: Flow, reply: str) -> bool:
    """Tell whether a reply means "I don't know" in any of the flow's languages."""
    folded = fold(reply).strip().strip(" .!?¿¡")
    return reply.strip() == "?" or folded in {
        fold(w).strip() for w in flow.vocabulary.get("unknown", [])
    }


def _canonical_text(value: Any) -> str:
    """Return a stored answer as a reply the parser reads back to the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "inf", "nan": read back as a bad answer, never an overflow
    if isinstance(value, (int, float)) and value < 0:
        return f"-{abs(int(value))}"
    if isinstance(value, (list, dict)):
        return ""  # no step takes a list or an object (and a deep one would not print)
    return str(value)


def _pick_language(flow: Flow, language: str) -> str:
    code = (language or "en").lower()[:2]
    return code if code in flow.languages else "en"


def _text(texts: Any, language: str) -> str:
    """Return the text in ``language``, falling back to English."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, Mapping):
        return ""
    return str(texts.get(language) or texts.get("en") or "")


def _localized(flow: Flow, texts: Any, language: str, fill: Mapping[str, Any]) -> str:
    """Return a step text; a plain string names a shared text in the flow's messages."""
    if isinstance(texts, str) and texts in flow.messages:
        texts = flow.messages[texts]
    return _text(texts, language).format_map(_Fill(fill))


class _Fill(dict[str, Any]):
    """A format mapping that leaves unknown placeholders as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _step_fill(
    flow: Flow, step: Mapping[str, Any], values: Mapping[str, Any], language: str
) -> dict[str, Any]:
    """Return the placeholders a step's texts may use: the tax year, and the step's vars."""
    year = str(values.get("award_year", ""))[:4]
    fill: dict[str, Any] = {"tax_year": int(year) - 2 if year.isdigit() else "—"}
    for name, text in step.get("vars", {}).items():
        fill[name] = _localized(flow, text, language, fill)
    return fill


def _message(flow: Flow, key: str, language: str, **fill: Any) -> str:
    """Return one of the flow's localized engine messages, filled in."""
    template = _text(flow.messages.get(key, {}), language) or key
    return template.format(**fill) if fill else template
