"""The plug-in registry: tools and engines found through Python entry points.

A package adds tools or an engine by declaring entry points; civicllm's own are declared the
same way in its ``pyproject.toml``, so the core names no tool module and no engine class::

    [project.entry-points."civicllm.tools"]
    hello = "civicllm_hello:TOOLS"        # a list of Tool, or a function returning one

    [project.entry-points."civicllm.engines"]
    my-engine = "my_engine:make_engine"   # Callable[[Settings], Engine]; the name is its id

The registry is read when a runtime opens (not at import): a package installed afterwards is
found by the next ``civicllm`` process. A broken plug-in is a ``ConfigError`` that names the
entry point and the distribution to fix or uninstall; nothing is skipped silently.

Example::

    registry = load_registry()
    registry.tools["student-aid/estimate"].run({...})
    engine = registry.load_engine(Settings(engine="echo"))
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from civicllm.errors import ConfigError, NotFoundError
from civicllm.tools.base import Tool

if TYPE_CHECKING:
    from civicllm.config import Settings
    from civicllm.engines.base import Engine

__all__ = [
    "ENGINE_GROUP",
    "TOOL_GROUP",
    "EngineFactory",
    "Registry",
    "engine_names",
    "load_registry",
    "load_tool_plugins",
]

TOOL_GROUP = "civicllm.tools"
ENGINE_GROUP = "civicllm.engines"
# Lowercase-hyphen words joined by slashes: "student-aid/estimate", "units/convert".
TOOL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+$")

EngineFactory = Callable[["Settings"], "Engine"]


def describe_entry_point(entry: importlib.metadata.EntryPoint) -> str:
    """Return 'entry point NAME = VALUE in group G (distribution D VERSION)' for messages."""
    dist = entry.dist
    origin = f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"
    return f"entry point '{entry.name} = {entry.value}' in group {entry.group} ({origin})"


def distribution_name(entry: importlib.metadata.EntryPoint) -> str:
    """Return the name of the distribution that declares an entry point."""
    return entry.dist.name if entry.dist is not None else "its package"


def load_entry_point(entry: importlib.metadata.EntryPoint) -> Any:
    """Import the object an entry point names; a failure is a ConfigError naming it."""
    try:
        return entry.load()
    except Exception as exc:  # any import-time failure of third-party code
        raise ConfigError(
            f"The plug-in {describe_entry_point(entry)} cannot be loaded "
            f"({type(exc).__name__}: {exc}). Fix or uninstall {distribution_name(entry)}."
        ) from exc


def tools_of(entry: importlib.metadata.EntryPoint) -> list[Tool]:
    """Return the tools one ``civicllm.tools`` entry point provides, checked."""
    provided = load_entry_point(entry)
    if callable(provided) and not isinstance(provided, list | tuple):
        try:
            provided = provided()
        except Exception as exc:
            raise ConfigError(
                f"The plug-in {describe_entry_point(entry)} failed while listing its tools "
                f"({type(exc).__name__}: {exc}). Fix or uninstall {distribution_name(entry)}."
            ) from exc
    if not isinstance(provided, list | tuple):
        raise ConfigError(
            f"The plug-in {describe_entry_point(entry)} gives an object of type "
            f"{type(provided).__name__}, not a list of civicllm.tools.Tool (or a function "
            f"returning one). Fix or uninstall {distribution_name(entry)}."
        )
    tools: list[Tool] = []
    for item in provided:
        if not isinstance(item, Tool):
            raise ConfigError(
                f"The plug-in {describe_entry_point(entry)} lists an object of type "
                f"{type(item).__name__}, not a civicllm.tools.Tool. Fix or uninstall "
                f"{distribution_name(entry)}."
            )
        if not TOOL_ID.match(item.id):
            raise ConfigError(
                f"The plug-in {describe_entry_point(entry)} has a tool id {item.id!r}: use "
                "lowercase-hyphen words joined by a slash, like 'units/convert'."
            )
        tools.append(item)
    return tools


def load_tool_plugins(
    entries: Iterable[importlib.metadata.EntryPoint] | None = None,
) -> tuple[dict[str, Tool], dict[str, str]]:
    """Return every registered tool by id, and for each id the entry point that gave it."""
    if entries is None:
        entries = importlib.metadata.entry_points(group=TOOL_GROUP)
    tools: dict[str, Tool] = {}
    providers: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: (e.name, e.value)):
        for tool in tools_of(entry):
            existing = tools.get(tool.id)
            if existing is not None and existing is not tool:
                raise ConfigError(
                    f"Two plug-ins provide the tool '{tool.id}': {providers[tool.id]} and "
                    f"{describe_entry_point(entry)}. Uninstall one of them."
                )
            tools[tool.id] = tool
            providers[tool.id] = describe_entry_point(entry)
    return tools, providers


def engine_entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    """Return the ``civicllm.engines`` entry points by engine id (none loaded yet)."""
    found: dict[str, importlib.metadata.EntryPoint] = {}
    for entry in importlib.metadata.entry_points(group=ENGINE_GROUP):
        other = found.get(entry.name)
        if other is not None and other.value != entry.value:
            raise ConfigError(
                f"Two plug-ins register the engine '{entry.name}': {describe_entry_point(other)} "
                f"and {describe_entry_point(entry)}. Uninstall one of them."
            )
        found[entry.name] = entry
    return found


def engine_names() -> list[str]:
    """Return the ids of the registered engines, sorted (their code is not imported)."""
    return sorted(engine_entry_points())


@dataclass(frozen=True)
class Registry:
    """The installed tools (loaded) and engines (loaded only when one is opened)."""

    tools: dict[str, Tool]
    providers: Mapping[str, str]  # tool id -> the entry point (and distribution) giving it
    engines: Mapping[str, importlib.metadata.EntryPoint]

    def tool(self, tool_id: str, *, param: str = "tool") -> Tool:
        """Return a tool by id; NotFoundError (naming ``param``) listing the installed ones."""
        tool = self.tools.get(tool_id)
        if tool is None:
            raise NotFoundError(
                f"There is no tool '{tool_id}'. Installed tools: {self.tool_list()}.",
                param=param,
                code="tool_not_found",
            )
        return tool

    def tool_list(self) -> str:
        """Return the installed tool ids as one comma-separated phrase."""
        return ", ".join(sorted(self.tools)) or "none"

    def engine_factory(self, name: str) -> EngineFactory:
        """Return the factory of a registered engine, imported now."""
        entry = self.engines.get(name)
        if entry is None:
            raise ConfigError(
                f"Unknown engine {name!r}: the registered engines are "
                f"{', '.join(sorted(self.engines)) or 'none'}.",
                param="engine",
            )
        factory = load_entry_point(entry)
        if not callable(factory):
            raise ConfigError(
                f"The plug-in {describe_entry_point(entry)} gives an object of type "
                f"{type(factory).__name__}, not a function Settings -> Engine. Fix or uninstall "
                f"{distribution_name(entry)}."
            )
        checked: EngineFactory = factory
        return checked

    def load_engine(self, settings: Settings) -> Engine:
        """Create the engine the settings name."""
        return self.engine_factory(settings.engine)(settings)


def load_registry() -> Registry:
    """Read the installed plug-ins: load every tool, find every engine."""
    tools, providers = load_tool_plugins()
    return Registry(tools=tools, providers=providers, engines=engine_entry_points())
