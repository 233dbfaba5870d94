"""Tool calls from any model that can follow a JSON schema (llama.cpp's grammars).

Small models rarely have a chat template that knows tools, so the engine does what
llama.cpp's generic handler does, in a form every GGUF can follow: the functions are
described in a system message and the output is constrained to a JSON schema made from
them. ``tool_choice`` "required" or a named function constrains the output to
``{"name": ..., "arguments": {...}}`` of one of the (or the named) functions; "auto" to
``{"tool_call": {...}}`` or ``{"response": "..."}`` so the model may also answer in words.
The trade-off: the reply is only known once the JSON is complete, so it is sent whole at
the end rather than token by token, and at most one call is made per turn.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ToolPlan",
    "function_of",
    "parse_tool_output",
    "plan_tool_calls",
    "tool_call_deltas",
]


@dataclass(frozen=True)
class ToolPlan:
    """How one request calls tools: the schema, the instructions, and whether words may follow."""

    schema: dict[str, Any]
    instructions: str
    may_answer: bool  # "auto": {"response": ...} is allowed next to {"tool_call": ...}
    names: tuple[str, ...] = field(default=())


def function_of(tool: dict[str, Any]) -> dict[str, Any]:
    """Return the ``function`` member of an OpenAI tool."""
    found = tool.get("function")
    return found if isinstance(found, dict) else {}


def call_schema(function: dict[str, Any]) -> dict[str, Any]:
    """Return the schema of one call of ``function``: its name and its arguments."""
    parameters = function.get("parameters") or {"type": "object"}
    return {
        "type": "object",
        "properties": {"name": {"const": function.get("name", "")}, "arguments": parameters},
        "required": ["name", "arguments"],
        "additionalProperties": False,
    }


def plan_tool_calls(
    tools: Sequence[dict[str, Any]], tool_choice: str | dict[str, Any] | None
) -> ToolPlan | None:
    """Return how to call the tools, or None when the model answers in words only."""
    if not tools or tool_choice == "none":
        return None
    functions = [function_of(tool) for tool in tools]
    if isinstance(tool_choice, dict):
        wanted = function_of(tool_choice).get("name")
        functions = [f for f in functions if f.get("name") == wanted]
    calls = [call_schema(f) for f in functions]
    one_call: dict[str, Any] = calls[0] if len(calls) == 1 else {"anyOf": calls}
    listed = json.dumps(
        [{k: f[k] for k in ("name", "description", "parameters") if k in f} for f in functions],
        ensure_ascii=False,
    )
    names = tuple(str(f.get("name", "")) for f in functions)
    if tool_choice in (None, "auto"):
        schema = {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {"tool_call": one_call},
                    "required": ["tool_call"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"response": {"type": "string"}},
                    "required": ["response"],
                    "additionalProperties": False,
                },
            ]
        }
        instructions = (
            "You can call these functions: " + listed + "\n"
            'Reply with a JSON object: {"tool_call": {"name": ..., "arguments": {...}}} to call '
            'one of them, or {"response": "..."} to answer the user directly.'
        )
        return ToolPlan(schema, instructions, may_answer=True, names=names)
    instructions = (
        "Call one of these functions: " + listed + "\n"
        'Reply with a JSON object: {"name": ..., "arguments": {...}}.'
    )
    return ToolPlan(one_call, instructions, may_answer=False, names=names)


def parse_tool_output(text: str, plan: ToolPlan) -> tuple[str, dict[str, Any] | None]:
    """Return the words and the one call in a schema-constrained reply.

    A reply that is not the JSON the schema asks for (cut at the token cap) comes back as
    words, unchanged, so nothing the model wrote is lost.
    """
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        return text, None
    if not isinstance(found, dict):
        return text, None
    if plan.may_answer:
        if isinstance(found.get("response"), str) and "tool_call" not in found:
            return found["response"], None
        found = found.get("tool_call")
        if not isinstance(found, dict):
            return text, None
    name, arguments = found.get("name"), found.get("arguments")
    if not isinstance(name, str) or name not in plan.names:
        return text, None
    return "", {"name": name, "arguments": arguments if arguments is not None else {}}


def tool_call_deltas(call: dict[str, Any], index: int = 0) -> list[dict[str, Any]]:
    """Return the streamed ``delta.tool_calls`` entries of one whole call, OpenAI-shaped."""
    arguments = call["arguments"]
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    return [
        {
            "index": index,
            "id": "call_" + uuid.uuid4().hex[:24],
            "type": "function",
            "function": {"name": call["name"], "arguments": ""},
        },
        {"index": index, "function": {"arguments": arguments}},
    ]
