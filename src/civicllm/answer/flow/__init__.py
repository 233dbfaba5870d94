"""Guided flows: one plain-language question at a time, then a deterministic tool call.

A flow is data (a pack's ``flows/<name>.yaml``): the ``tool`` it calls, and steps that each
fill one field of that tool's JSON input, with localized question, "why we ask" and "where
to find it" texts, a type that says how a reply is read, and an optional ``when``
condition. A field path's digit segments are list indexes (``years.0``). A ``lookup``
step takes its options from a tool called on the user's reply (a search), and the option
chosen fills several fields at once. The engine needs no model: it reads replies with
fixed rules, so the smallest model (or none) gives the same answers. The result is the
tool's output and its view (:class:`civicllm.tools.view.ToolView`), with the flow's own
explanation and next steps; the engine never reads a particular tool's fields.

Example::

    flow = load_flow(Path("packs/city-water/flows/meter.yaml"))
    turn = start_flow(flow, "es")
    turn = advance_flow(flow, turn.state, "2025-26", run_tool=tool)
    print(turn.step.question if turn.step else turn.result["view"]["figures"])

The parts: ``definition`` (the YAML, a step, a turn), ``conditions`` (which steps apply),
``replies`` (reading typed replies), ``texts`` (localized texts), ``lookup`` (options a
tool finds), ``steps`` (showing a step and the answers), ``result`` (the tool's result and
view) and ``turns`` (one call).
"""

from civicllm.answer.flow.definition import (
    LOCAL_PREFIX,
    MAX_MONEY,
    STATE_VERSION,
    Flow,
    FlowStep,
    FlowTurn,
    ToolRun,
    load_flow,
)
from civicllm.answer.flow.replies import format_money, parse_reply
from civicllm.answer.flow.result import default_view, format_figure
from civicllm.answer.flow.turns import (
    FlowTool,
    LookupTools,
    advance_flow,
    correct_answer,
    play_request,
    start_flow,
    validate_state,
)

__all__ = [
    "LOCAL_PREFIX",
    "MAX_MONEY",
    "STATE_VERSION",
    "Flow",
    "FlowStep",
    "FlowTool",
    "FlowTurn",
    "LookupTools",
    "ToolRun",
    "advance_flow",
    "correct_answer",
    "default_view",
    "format_figure",
    "format_money",
    "load_flow",
    "parse_reply",
    "play_request",
    "start_flow",
    "validate_state",
]
