"""One turn of a flow: start, read a reply, correct an answer, or run the tool at the end.

The state is a JSON-serializable dict held by the client, so the server keeps no personal
data between calls; it is validated again on every call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.answer.flow.conditions import walk
from civicllm.answer.flow.definition import LOCAL_PREFIX, STATE_VERSION, Flow, FlowTurn, ToolRun
from civicllm.answer.flow.replies import canonical_text, is_unknown, parse_reply
from civicllm.answer.flow.result import ViewFn, build_result
from civicllm.answer.flow.steps import render_step
from civicllm.answer.flow.texts import localized, message, pick_language, step_fill
from civicllm.errors import ConfigError, InputError
from civicllm.tools.base import Tool

__all__ = [
    "FlowTool",
    "advance_flow",
    "correct_answer",
    "play_request",
    "start_flow",
    "validate_state",
]

# What runs at the end of a flow: a Tool (its ``run`` and ``view``), or a bare run function
# (then the view is the registered tool's, if any).
FlowTool = Tool | ToolRun


def start_flow(flow: Flow, language: str) -> FlowTurn:
    """Begin a flow in ``language`` and return its first question."""
    state = {
        "version": STATE_VERSION,
        "flow": flow.id,
        "language": pick_language(flow, language),
        "answers": {},
        "unknown": [],
        "assumed": [],
    }
    return _next_turn(flow, state, run_tool=None)


def advance_flow(
    flow: Flow,
    state: Mapping[str, Any],
    reply: str | None,
    *,
    language: str | None = None,
    run_tool: FlowTool | None = None,
) -> FlowTurn:
    """Read ``reply`` as the answer to the current question and return the next turn."""
    new = validate_state(flow, state)
    if language:
        new["language"] = pick_language(flow, language)
    lang = new["language"]
    _, current = walk(flow, new["answers"])
    if current is None or reply is None or not reply.strip():
        return _next_turn(flow, new, run_tool=run_tool)
    if is_unknown(flow, reply):
        return _handle_unknown(flow, new, current, run_tool)
    try:
        value = parse_reply(flow, current, reply, lang)
    except InputError as exc:
        return FlowTurn(new, render_step(flow, new, current, error=exc.message), None)
    _set_answer(new, current["field"], value)
    return _next_turn(flow, new, run_tool=run_tool)


def correct_answer(
    flow: Flow,
    state: Mapping[str, Any],
    field_path: str,
    value: Any,
    *,
    language: str | None = None,
    run_tool: FlowTool | None = None,
) -> FlowTurn:
    """Replace the answer for ``field_path`` and return the next turn, recomputed."""
    new = validate_state(flow, state)
    if language:
        new["language"] = pick_language(flow, language)
    step = flow.step_for(field_path)
    if step is None or step["type"] == "copy":
        raise InputError(
            f"There is no question for '{field_path}' in this flow; choose one of the "
            "answers listed in the summary.",
            param="correct.field",
        )
    text = value if isinstance(value, str) else canonical_text(value)
    try:
        parsed = parse_reply(flow, step, text, new["language"])
    except InputError as exc:
        return FlowTurn(new, render_step(flow, new, step, error=exc.message), None)
    _set_answer(new, field_path, parsed)
    return _next_turn(flow, new, run_tool=run_tool)


def play_request(
    flow: Flow,
    request: Mapping[str, Any],
    language: str = "en",
    *,
    run_tool: FlowTool | None = None,
    limit: int = 500,
) -> FlowTurn:
    """Play the whole conversation from a tool request, as a user who knows every figure.

    Each question is answered with the request's value for its field. A missing yes/no or
    amount is answered "no" or 0, other missing answers "I don't know" (which the flow
    turns into its labelled assumption); a gate question (a ``flow.`` field) is answered
    yes when any field it ``gates`` has a value. Evaluation suites use this to check that
    the flow asks for everything the tool needs.
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
        spec = flow.step_for(turn.step.field) or {}
        value = _lookup(request, turn.step.field)
        if turn.step.field.startswith(LOCAL_PREFIX):
            gated = [_lookup(request, f) for f in spec.get("gates", [])]
            reply = "true" if any(v not in (None, 0, False) for v in gated) else "false"
        elif value is not None:
            reply = canonical_text(value)
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
            clean[key] = parse_reply(flow, step, canonical_text(value), "en")
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
        "language": pick_language(flow, str(state.get("language", "en"))),
        "answers": clean,
        "unknown": marks["unknown"],
        "assumed": marks["assumed"],
    }


def _lookup(request: Mapping[str, Any], path: str) -> Any:
    """Return the value at a dotted path of a nested request, or None."""
    node: Any = request
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _set_answer(state: dict[str, Any], field_path: str, value: Any) -> None:
    """Store an answer the user gave, clearing any earlier "I don't know" marks for it."""
    state["answers"][field_path] = value
    state["unknown"] = [f for f in state["unknown"] if f != field_path]
    state["assumed"] = [f for f in state["assumed"] if f != field_path]


def _handle_unknown(
    flow: Flow, state: dict[str, Any], step: dict[str, Any], run_tool: FlowTool | None
) -> FlowTurn:
    """Explain where to find the answer; on a second "I don't know", use the assumption."""
    lang = state["language"]
    rule = step.get("unknown")
    fill = step_fill(flow, step, walk(flow, state["answers"])[0], lang)
    where = localized(flow, step.get("where", {}), lang, fill)
    if step["field"] not in state["unknown"] or not rule:
        if rule:
            assumption = localized(flow, rule.get("note", {}), lang, fill)
            hint = message(flow, "unknown_explain", lang, where=where, assumption=assumption)
        else:
            hint = message(flow, "unknown_required", lang, where=where)
        state["unknown"] = sorted({*state["unknown"], step["field"]})
        return FlowTurn(state, render_step(flow, state, step, hint=hint), None)
    value = None if rule.get("omit") else rule["assume"]
    state["answers"][step["field"]] = value
    state["unknown"] = [f for f in state["unknown"] if f != step["field"]]
    state["assumed"] = sorted({*state["assumed"], step["field"]})
    return _next_turn(flow, state, run_tool=run_tool)


def _next_turn(flow: Flow, state: dict[str, Any], *, run_tool: FlowTool | None) -> FlowTurn:
    """Return the next unanswered question, or run the tool when every answer is in."""
    values, current = walk(flow, state["answers"])
    if current is not None:
        return FlowTurn(state, render_step(flow, state, current), None)
    run, view = _resolve_tool(flow, run_tool)
    request = _build_request(values)
    try:
        output = run(request)
    except InputError as exc:
        step = _step_for_param(flow, exc.param)
        if step is None or step["field"] not in state["answers"]:
            raise
        state["answers"].pop(step["field"])
        detail = message(flow, "tool_rejected", state["language"], detail=exc.message)
        return FlowTurn(state, render_step(flow, state, step, error=detail), None)
    return FlowTurn(state, None, build_result(flow, state, values, request, output, view))


def _resolve_tool(flow: Flow, given: FlowTool | None) -> tuple[ToolRun, ViewFn | None]:
    """Return the run function and view of the flow's tool (the given one, else the registry's)."""
    if isinstance(given, Tool):
        return given.run, given.view
    from civicllm.tools.base import load_tools

    registered = load_tools().get(flow.tool)
    if given is not None:
        return given, registered.view if registered is not None else None
    if registered is None:
        raise ConfigError(f"The tool '{flow.tool}' that flow {flow.id} needs is not installed.")
    return registered.run, registered.view


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
