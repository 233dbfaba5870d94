"""The Tool record and the registry of built-in tools."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from civicllm.tools.view import ToolView

# Modules that define built-in tools; each exposes ``TOOLS: list[Tool]``.
# A module that cannot be imported (an optional part not yet installed) is skipped.
BUILTIN_TOOL_MODULES = ("civicllm.tools.student_aid",)


@dataclass(frozen=True)
class Tool:
    """A pure, typed tool callable from the API, the CLI, the web page and the model.

    ``id`` is lowercase-hyphen with a slash for the action, e.g. ``student-aid/estimate``;
    the API serves it at ``POST /v1/tools/{id}``. ``run`` takes the JSON request as a dict
    and returns the JSON result as a dict; it raises ``civicllm.errors.InputError`` (with
    ``param`` naming the field) for bad input.
    """

    id: str
    version: str
    description: str
    input_schema: Mapping[str, Any]
    run: Callable[[Mapping[str, Any]], dict[str, Any]]
    output_schema: Mapping[str, Any] = field(default_factory=dict)
    # How a result shows itself: (result, language) -> ToolView. None: a generic view of
    # the result's top-level numbers.
    view: Callable[[Mapping[str, Any], str], ToolView] | None = None
    # Deterministic routing for small models: (question, language) -> this tool's input,
    # or None when the question is not for this tool.
    route: Callable[[str, str], Mapping[str, Any] | None] | None = None

    def function_spec(self) -> dict[str, Any]:
        """Return the OpenAI function-calling description of this tool."""
        return {
            "type": "function",
            "function": {
                "name": self.id.replace("/", "__"),
                "description": self.description,
                "parameters": dict(self.input_schema),
            },
        }


def load_tools() -> dict[str, Tool]:
    """Return every built-in tool, keyed by id."""
    tools: dict[str, Tool] = {}
    for name in BUILTIN_TOOL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        for tool in getattr(module, "TOOLS", []):
            tools[tool.id] = tool
    return tools
