"""One turn of a flow: start, read a reply, correct an answer, or run the tool at the end.

The state is a JSON-serializable dict held by the client, so the server keeps no personal
data between calls; it is validated again on every call. A lookup step waiting for a
choice keeps the text searched for under ``queries`` (see ``civicllm.answer.flow.lookup``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.answer.flow.conditions import walk
from civicllm.answer.flow.definition import (
    LOCAL_PREFIX,
    STATE_VERSION,
    Flow,
    FlowStep,
    FlowTurn,
    ToolRun,
)
from civicllm.answer.flow.lookup import (
    MAX_QUERY,
    check_lookup_answer,
    choose_option,
    lookup_options,
    lookup_targets,
)
from civicllm.answer.flow.replies import canonical_text, is_unknown, parse_reply
from civicllm.answer.flow.result import ViewFn, build_result
from civicllm.answer.flow.steps import render_step
from civicllm.answer.flow.texts import localized, message, pick_language, step_fill
from civicllm.errors import ConfigError, InputError
from civicllm.tools.base import Tool

__all__ = [
    "FlowTool",
    "LookupTools",
    "advance_flow",
    "correct_answer",
    "play_request",
    "start_flow",
    "validate_state",
]

# What runs at the end of a flow: a Tool (its ``run`` and ``view``), or a bare run function
# (then the view is the registered tool's, if any).
FlowTool = Tool | ToolRun
# The tools a flow's lookup steps call, by id: Tools or bare run functions. None: the
# installed ones (``load_tools()``).
LookupTools = Mapping[str, FlowTool]


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
    tools: LookupTools | None = None,
) -> FlowTurn:
    """Read ``reply`` as the answer to the current question and return the next turn.

    ``tools`` are the tools lookup steps call, by id (default: the installed ones).
    """
    new = validate_state(flow, state)
    if language:
        new["language"] = pick_language(flow, language)
    lang = new["language"]
    _, current = walk(flow, new["answers"])
    if current is None or reply is None or not reply.strip():
        return _next_turn(flow, new, run_tool=run_tool, tools=tools)
    if is_unknown(flow, reply):
        return _handle_unknown(flow, new, current, run_tool, tools)
    if current["type"] == "lookup":
        return _answer_lookup(flow, new, current, reply.strip(), run_tool, tools)
    try:
        value = parse_reply(flow, current, reply, lang)
    except InputError as exc:
        return FlowTurn(new, _show(flow, new, current, tools, error=exc.message), None)
    _set_answer(new, current["field"], value)
    return _next_turn(flow, new, run_tool=run_tool, tools=tools)


def correct_answer(
    flow: Flow,
    state: Mapping[str, Any],
    field_path: str,
    value: Any,
    *,
    language: str | None = None,
    run_tool: FlowTool | None = None,
    tools: LookupTools | None = None,
) -> FlowTurn:
    """Replace the answer for ``field_path`` and return the next turn, recomputed.

    For a lookup step the value is a new text to search for: its options are offered
    again, and the answers that no longer apply to the new choice drop out of the request.
    """
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
    if step["type"] == "lookup":
        new["answers"].pop(field_path, None)
        if not text.strip():
            return FlowTurn(new, _show(flow, new, step, tools), None)
        return _answer_lookup(flow, new, step, text.strip(), run_tool, tools)
    try:
        parsed = parse_reply(flow, step, text, new["language"])
    except InputError as exc:
        return FlowTurn(new, _show(flow, new, step, tools, error=exc.message), None)
    _set_answer(new, field_path, parsed)
    return _next_turn(flow, new, run_tool=run_tool, tools=tools)


def play_request(
    flow: Flow,
    request: Mapping[str, Any],
    language: str = "en",
    *,
    run_tool: FlowTool | None = None,
    tools: LookupTools | None = None,
    limit: int = 500,
) -> FlowTurn:
    """Play the whole conversation from a tool request, as a user who knows every figure.

    Each question is answered with the request's value for its field. A missing yes/no or
    amount is answered "no" or 0, other missing answers "I don't know" (which the flow
    turns into its labelled assumption); a gate question (a ``flow.`` field) is answered
    yes when any field it ``gates`` has a value. A lookup step searches for the request's
    value of the first tool field its options fill, and chooses the option whose fields
    all match the request. Evaluation suites use this to check that the flow asks for
    everything the tool needs.
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
        if spec.get("type") == "lookup":
            found = None
            if turn.step.query is not None:
                run = _lookup_run(flow, spec, tools)
                found = lookup_options(flow, spec, turn.step.query, turn.state["language"], run)
            reply = _play_lookup(spec, found, request)
        elif turn.step.field.startswith(LOCAL_PREFIX):
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
        turn = advance_flow(flow, turn.state, reply, run_tool=run_tool, tools=tools)
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
        if step["type"] == "lookup":
            clean[key] = check_lookup_answer(step, value)
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
    clean_state = {
        "version": STATE_VERSION,
        "flow": flow.id,
        "language": pick_language(flow, str(state.get("language", "en"))),
        "answers": clean,
        "unknown": marks["unknown"],
        "assumed": marks["assumed"],
    }
    queries = state.get("queries", {})
    if not isinstance(queries, Mapping) or not all(
        isinstance(text, str)
        and 0 < len(text) <= MAX_QUERY
        and (flow.step_for(str(f)) or {}).get("type") == "lookup"
        for f, text in queries.items()
    ):
        raise InputError("The flow state has a bad 'queries' object.", param="state")
    if queries:
        clean_state["queries"] = dict(queries)
    return clean_state


def _lookup(request: Mapping[str, Any], path: str) -> Any:
    """Return the value at a dotted path of a nested request, or None."""
    node: Any = request
    for key in path.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, Mapping) and key in node:
            node = node[key]
        else:
            return None
    return node


def _set_answer(state: dict[str, Any], field_path: str, value: Any) -> None:
    """Store an answer the user gave, clearing any earlier "I don't know" marks for it."""
    state["answers"][field_path] = value
    state.get("queries", {}).pop(field_path, None)
    if not state.get("queries", True):
        state.pop("queries")
    state["unknown"] = [f for f in state["unknown"] if f != field_path]
    state["assumed"] = [f for f in state["assumed"] if f != field_path]


def _handle_unknown(
    flow: Flow,
    state: dict[str, Any],
    step: dict[str, Any],
    run_tool: FlowTool | None,
    tools: LookupTools | None,
) -> FlowTurn:
    """Explain where to find the answer; on a second "I don't know", use the assumption."""
    lang = state["language"]
    rule = step.get("unknown")
    values = walk(flow, state["answers"])[0]
    fill = step_fill(flow, step, values, lang)
    where = localized(flow, step.get("where", {}), lang, fill, values)
    if step["field"] not in state["unknown"] or not rule:
        if rule:
            assumption = localized(flow, rule.get("note", {}), lang, fill)
            hint = message(flow, "unknown_explain", lang, where=where, assumption=assumption)
        else:
            hint = message(flow, "unknown_required", lang, where=where)
        state["unknown"] = sorted({*state["unknown"], step["field"]})
        return FlowTurn(state, _show(flow, state, step, tools, hint=hint), None)
    value = None if rule.get("omit") else rule["assume"]
    state["answers"][step["field"]] = value
    state["unknown"] = [f for f in state["unknown"] if f != step["field"]]
    state["assumed"] = sorted({*state["assumed"], step["field"]})
    return _next_turn(flow, state, run_tool=run_tool, tools=tools)


def _next_turn(
    flow: Flow,
    state: dict[str, Any],
    *,
    run_tool: FlowTool | None,
    tools: LookupTools | None = None,
) -> FlowTurn:
    """Return the next unanswered question, or run the tool when every answer is in."""
    values, current = walk(flow, state["answers"])
    if current is not None:
        return FlowTurn(state, _show(flow, state, current, tools), None)
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
        return FlowTurn(state, _show(flow, state, step, tools, error=detail), None)
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
    """Turn applicable answers into the tool's nested JSON input.

    A path segment of digits is a list index: ``years.0`` and ``years.1`` build the list
    ``years``, in index order (an index with no answer leaves no gap).
    """
    request: dict[str, Any] = {}
    for path, value in values.items():
        if path.startswith(LOCAL_PREFIX) or value is None:
            continue
        node = request
        *parents, leaf = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    built: dict[str, Any] = _lists_from_indexes(request)
    return built


def _lists_from_indexes(node: Any) -> Any:
    """Turn every mapping whose keys are all digits into a list ordered by them."""
    if not isinstance(node, dict):
        return node
    items = {key: _lists_from_indexes(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def _show(
    flow: Flow,
    state: dict[str, Any],
    step: dict[str, Any],
    tools: LookupTools | None,
    *,
    error: str | None = None,
    hint: str | None = None,
) -> FlowStep:
    """Render a step; a lookup step with a text searched for shows the options found."""
    query = state.get("queries", {}).get(step["field"])
    if step["type"] != "lookup" or query is None:
        return render_step(flow, state, step, error=error, hint=hint)
    run = _lookup_run(flow, step, tools)
    try:
        options = lookup_options(flow, step, query, state["language"], run)
    except InputError as exc:
        options = []
        error = error or message(flow, "tool_rejected", state["language"], detail=exc.message)
    if not options:
        # Nothing to choose from (any more): ask for the text again.
        state["queries"].pop(step["field"], None)
        if not state["queries"]:
            state.pop("queries")
        error = error or message(flow, "no_matches", state["language"], query=query)
        return render_step(flow, state, step, error=error, hint=hint)
    return render_step(flow, state, step, error=error, hint=hint, found=(query, options))


def _answer_lookup(
    flow: Flow,
    state: dict[str, Any],
    step: dict[str, Any],
    reply: str,
    run_tool: FlowTool | None,
    tools: LookupTools | None,
) -> FlowTurn:
    """Choose one of a lookup's options, or search for the reply and offer what it finds."""
    lang = state["language"]
    query = state.get("queries", {}).get(step["field"])
    if query is not None:
        run = _lookup_run(flow, step, tools)
        try:
            options = lookup_options(flow, step, query, lang, run)
            chosen = choose_option(flow, step, options, reply, lang)
        except InputError as exc:
            return FlowTurn(state, _show(flow, state, step, tools, error=exc.message), None)
        if chosen is not None:
            answer = {k: chosen[k] for k in ("value", "label", "fields")} | {"query": query}
            _set_answer(state, step["field"], answer)
            return _next_turn(flow, state, run_tool=run_tool, tools=tools)
    if len(reply) > MAX_QUERY:
        problem = message(flow, "query_too_long", lang, max=MAX_QUERY)
        return FlowTurn(state, _show(flow, state, step, tools, error=problem), None)
    state.setdefault("queries", {})[step["field"]] = reply
    return FlowTurn(state, _show(flow, state, step, tools), None)


def _lookup_run(flow: Flow, step: Mapping[str, Any], tools: LookupTools | None) -> ToolRun:
    """Return the run function of a lookup step's tool (the given one, else the registry's)."""
    tool_id = str(step["lookup"]["tool"])
    if tools is None:
        from civicllm.tools.base import load_tools

        tools = load_tools()
    tool = tools.get(tool_id)
    if tool is None:
        raise ConfigError(
            f"The tool '{tool_id}' that step {step['id']} of flow {flow.id} calls is not installed."
        )
    return tool.run if isinstance(tool, Tool) else tool


def _play_lookup(
    step: Mapping[str, Any], options: list[dict[str, Any]] | None, request: Mapping[str, Any]
) -> str:
    """Return the reply a lookup step gets from a request: a search, then the matching option."""
    wanted = [t for t in lookup_targets(step) if not t.startswith(LOCAL_PREFIX)]
    if options is None:
        for target in wanted:
            value = _lookup(request, target)
            if value is not None:
                return canonical_text(value)
        raise InputError(
            f"The request has no value for {', '.join(wanted)}, which this flow searches for.",
            param=wanted[0] if wanted else None,
        )
    for number, option in enumerate(options, start=1):
        if all(option["fields"].get(t) == _lookup(request, t) for t in wanted):
            return str(number)
    raise InputError(
        f"No option of step {step['id']} matches the request's "
        + ", ".join(f"{t}={_lookup(request, t)!r}" for t in wanted),
        param=wanted[0] if wanted else None,
    )
