"""The Tool record, and load_tools: every tool the installed plug-ins register."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from civicllm.tools.view import ToolView


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
    # Work to do once before the first call, at server start (e.g. import shipped data).
    prepare: Callable[[], object] | None = None

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
    """Return every tool the ``civicllm.tools`` entry points register, keyed by id.

    Built-in tools are registered there exactly as a third-party package's are (see
    ``civicllm.tools.registry``); a broken plug-in is a ConfigError naming it.
    """
    from civicllm.tools.registry import load_tool_plugins

    tools, _ = load_tool_plugins()
    return tools
