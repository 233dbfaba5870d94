"""The plug-in registry: built-ins come through entry points; broken plug-ins are named."""

from __future__ import annotations

import sys
import types
from importlib.metadata import EntryPoint

import pytest

from civicllm.config import Settings
from civicllm.engines.echo import EchoEngine
from civicllm.errors import ConfigError, NotFoundError
from civicllm.tools.base import Tool, load_tools
from civicllm.tools.registry import (
    ENGINE_GROUP,
    TOOL_GROUP,
    engine_names,
    load_registry,
    load_tool_plugins,
)


def make_tool(tool_id: str) -> Tool:
    """Return a tool that echoes its input."""
    return Tool(
        id=tool_id,
        version="0.1.0",
        description="Echo the input.",
        input_schema={"type": "object"},
        run=lambda payload: dict(payload),
    )


@pytest.fixture
def fake_module(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Return an importable module ``civic_fake_plugin`` holding objects entry points name."""
    module = types.ModuleType("civic_fake_plugin")
    module.TOOLS = [make_tool("fake/one"), make_tool("fake/two")]  # type: ignore[attr-defined]
    module.OTHER = [make_tool("fake/one")]  # type: ignore[attr-defined]
    module.list_tools = lambda: [make_tool("fake/three")]  # type: ignore[attr-defined]
    module.NOT_A_LIST = 42  # type: ignore[attr-defined]
    module.NOT_TOOLS = ["fake/one"]  # type: ignore[attr-defined]
    module.BAD_ID = [make_tool("Fake One")]  # type: ignore[attr-defined]

    def failing() -> list[Tool]:
        raise RuntimeError("the data file is missing")

    module.failing = failing  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "civic_fake_plugin", module)
    return module


def entry(name: str, value: str) -> EntryPoint:
    """Return a civicllm.tools entry point."""
    return EntryPoint(name=name, value=value, group=TOOL_GROUP)


def test_builtin_tools_and_engines_come_from_civicllms_own_entry_points() -> None:
    registry = load_registry()
    assert "student-aid/estimate" in registry.tools
    assert "(civicllm " in registry.providers["student-aid/estimate"]
    assert {"llama-cpp", "openai", "echo"} <= set(engine_names())
    assert all(e.dist is not None and e.dist.name == "civicllm" for e in registry.engines.values())
    assert load_tools().keys() == registry.tools.keys()


def test_echo_engine_is_created_through_its_entry_point() -> None:
    engine = load_registry().load_engine(Settings(engine="echo"))
    assert isinstance(engine, EchoEngine)


def test_a_list_and_a_function_returning_tools_are_both_accepted(
    fake_module: types.ModuleType,
) -> None:
    tools, providers = load_tool_plugins(
        [entry("a", "civic_fake_plugin:TOOLS"), entry("b", "civic_fake_plugin:list_tools")]
    )
    assert sorted(tools) == ["fake/one", "fake/three", "fake/two"]
    assert tools["fake/one"] is fake_module.TOOLS[0]
    assert "'b = civic_fake_plugin:list_tools'" in providers["fake/three"]


def test_duplicate_tool_ids_name_both_plug_ins(fake_module: types.ModuleType) -> None:
    with pytest.raises(ConfigError) as caught:
        load_tool_plugins(
            [entry("a", "civic_fake_plugin:TOOLS"), entry("b", "civic_fake_plugin:OTHER")]
        )
    message = caught.value.message
    assert "Two plug-ins provide the tool 'fake/one'" in message
    assert "'a = civic_fake_plugin:TOOLS'" in message and "'b = civic_fake_plugin:OTHER'" in message


def test_the_same_entry_point_seen_twice_is_not_a_duplicate(
    fake_module: types.ModuleType,
) -> None:
    tools, _ = load_tool_plugins(
        [entry("a", "civic_fake_plugin:TOOLS"), entry("a2", "civic_fake_plugin:TOOLS")]
    )
    assert sorted(tools) == ["fake/one", "fake/two"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("civic_no_such_module:TOOLS", "cannot be loaded (ModuleNotFoundError"),
        ("civic_fake_plugin:MISSING", "cannot be loaded (AttributeError"),
        (
            "civic_fake_plugin:NOT_A_LIST",
            "gives an object of type int, not a list of civicllm.tools.Tool",
        ),
        ("civic_fake_plugin:NOT_TOOLS", "lists an object of type str, not a civicllm.tools.Tool"),
        ("civic_fake_plugin:BAD_ID", "has a tool id 'Fake One'"),
        ("civic_fake_plugin:failing", "failed while listing its tools (RuntimeError: the data"),
    ],
)
def test_a_broken_plug_in_is_a_config_error_naming_its_entry_point(
    fake_module: types.ModuleType, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_tool_plugins([entry("broken", value)])
    message = caught.value.message
    assert expected in message
    assert f"'broken = {value}' in group civicllm.tools" in message


def test_unknown_engine_lists_the_registered_ones() -> None:
    registry = load_registry()
    with pytest.raises(ConfigError) as caught:
        registry.engine_factory("gpt")
    assert "Unknown engine 'gpt'" in caught.value.message
    assert "echo, llama-cpp, openai" in caught.value.message


def test_a_settings_engine_must_be_registered() -> None:
    from civicllm.config import load_settings

    with pytest.raises(ConfigError) as caught:
        load_settings({"engine": "gpt"}, environ={})
    assert caught.value.param == "engine"
    assert "echo" in caught.value.message


def test_unknown_tool_lists_the_installed_ones() -> None:
    with pytest.raises(NotFoundError) as caught:
        load_registry().tool("no-such/tool")
    assert "Installed tools:" in caught.value.message
    assert "student-aid/estimate" in caught.value.message


def test_an_engine_entry_point_that_is_not_callable_is_named(
    fake_module: types.ModuleType,
) -> None:
    from civicllm.tools.registry import Registry

    bad = EntryPoint(name="numbers", value="civic_fake_plugin:NOT_A_LIST", group=ENGINE_GROUP)
    registry = Registry(tools={}, providers={}, engines={"numbers": bad})
    with pytest.raises(
        ConfigError, match="gives an object of type int, not a function Settings -> Engine"
    ):
        registry.engine_factory("numbers")
