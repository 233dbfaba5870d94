"""Clean water and reliable electricity: tools over the World Bank and OWID/JMP snapshot.

The public API::

    from civicllm.tools.water_energy import TOOLS, route_question
    tool_id, tool_input = route_question("Access to electricity in Kenya in 2020?", "en")
    result = TOOLS_BY_ID[tool_id].run(tool_input)   # {"data", "missing", "notes", "chart", ...}
    view = TOOLS_BY_ID[tool_id].view(result, "fr")  # sentences, figures, table, chart, sources

Tools (inputs take the short indicator names of ``access.INDICATORS``; a place is a name in
English, Spanish, French or German, or an ISO3 / World Bank code): ``water-energy/value``,
``series``, ``compare``, ``rank``, ``urban-rural``, ``without-access``, ``resolve``. Each
tool's ``route`` returns its input for a question meant for it, else None; the routes all
read the question the same way (``route.read_question``), once per question (cached).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from civicllm.language import base_language
from civicllm.tools.base import Tool
from civicllm.tools.water_energy import tools as _run
from civicllm.tools.water_energy.access import (
    INDICATORS,
    SHARE_INDICATORS,
    current_home,
    current_snapshot,
    snapshot_at,
)
from civicllm.tools.water_energy.rank import run_rank
from civicllm.tools.water_energy.route import read_question
from civicllm.tools.water_energy.show import show

__all__ = ["INDICATORS", "TOOLS", "TOOLS_BY_ID", "VERSION", "route_question", "show"]

VERSION = "1.0.0"

_YEAR = {
    "type": "integer",
    "minimum": 1960,
    "maximum": 2100,
    "description": "A year, e.g. 2020, written as a JSON number: a whole number such as 2020.0 "
    'is read as 2020, a string such as "2020" is an error.',
}
_PLACE = {
    "type": "string",
    "description": "A country, region or income group: its name in English, Spanish, French "
    "or German, or its ISO3 / World Bank code (e.g. 'Kenya', 'Tchad', 'SSF').",
}


def _indicator(allowed: tuple[str, ...] = INDICATORS) -> dict[str, Any]:
    return {"type": "string", "enum": list(allowed), "description": "The indicator's short name."}


def _schema(properties: Mapping[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": required,
        "additionalProperties": False,
    }


_ENTRY = {
    "type": "object",
    "required": ["country_code", "country", "indicator", "year", "value", "unit", "derived"],
}
_OUTPUT = {
    "type": "object",
    "required": ["tool", "data", "missing", "notes", "chart", "names", "sources"],
    "properties": {
        "data": {"type": "array", "items": _ENTRY},
        "missing": {
            "type": "array",
            "items": {"type": "object", "required": ["place", "indicator", "year", "reason"]},
        },
        "notes": {"type": "array", "items": {"type": "object", "required": ["kind", "text"]}},
        "chart": {"type": ["object", "null"]},
    },
}


@lru_cache(maxsize=512)
def _read(question: str, language: str, home: Path) -> tuple[str, Mapping[str, Any]] | None:
    return read_question(question, language, snapshot_at(home).resolve)


def route_question(question: str, language: str) -> tuple[str, Mapping[str, Any]] | None:
    """Return (tool id, input) of the water-energy tool a question is for, or None."""
    found = _read(question, base_language(language), current_home())
    return (found[0], dict(found[1])) if found else None


def _route_for(tool_id: str) -> Callable[[str, str], Mapping[str, Any] | None]:
    def route(question: str, language: str) -> Mapping[str, Any] | None:
        found = route_question(question, language)
        return found[1] if found and found[0] == tool_id else None

    route.__doc__ = f"Return the input of {tool_id} for a question meant for it, or None."
    return route


def _tool(
    name: str,
    description: str,
    run: Callable[[Mapping[str, Any]], dict[str, Any]],
    properties: Mapping[str, Any],
    required: list[str],
) -> Tool:
    tool_id = f"water-energy/{name}"
    return Tool(
        id=tool_id,
        version=VERSION,
        description=description,
        input_schema=_schema(properties, required),
        run=run,
        output_schema=_OUTPUT,
        view=show,
        route=_route_for(tool_id),
        # The server imports the shipped publisher files at start, not at the first question.
        prepare=current_snapshot,
    )


TOOLS: list[Tool] = [
    _tool(
        "value",
        "One value from the World Bank or WHO/UNICEF JMP data: a country's, region's or income "
        "group's access to electricity (total, urban, rural), electricity transmission and "
        "distribution losses (the reliability indicator available), basic or safely managed "
        "drinking water, or population, in a year or the latest year with a value.",
        _run.run_value,
        {"indicator": _indicator(), "place": _PLACE, "year": _YEAR},
        ["indicator", "place"],
    ),
    _tool(
        "series",
        "A place's values of an indicator between two years, and the change from the first "
        "year with a value to the last.",
        _run.run_series,
        {"indicator": _indicator(), "place": _PLACE, "start": _YEAR, "end": _YEAR},
        ["indicator", "place"],
    ),
    _tool(
        "compare",
        "Compare 2 to 10 places on one indicator in one year (the latest year they all have "
        "when none is given).",
        _run.run_compare,
        {
            "indicator": _indicator(),
            "places": {"type": "array", "items": _PLACE, "minItems": 2, "maxItems": 10},
            "year": _YEAR,
        },
        ["indicator", "places"],
    ),
    _tool(
        "rank",
        "The countries of a region or income group (or the world) with the highest or lowest "
        "values of an indicator in a year, with coverage notes.",
        run_rank,
        {
            "indicator": _indicator(),
            "group": {**_PLACE, "description": "A region or income group; default World."},
            "year": _YEAR,
            "order": {"type": "string", "enum": ["highest", "lowest"], "default": "highest"},
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": 50,
                "default": 5,
                "description": 'How many countries to list, a JSON number (5, not "5").',
            },
        },
        ["indicator"],
    ),
    _tool(
        "urban-rural",
        "Urban and rural access to electricity in a country in one year and the gap between "
        "them (urban minus rural), from the World Bank DataBank export.",
        _run.run_urban_rural,
        {"place": _PLACE, "year": _YEAR},
        ["place"],
    ),
    _tool(
        "without-access",
        "How many people lack access to electricity or drinking water: (100 - share) / 100 x "
        "population of the same year.",
        _run.run_without_access,
        {"indicator": _indicator(SHARE_INDICATORS), "place": _PLACE, "year": _YEAR},
        ["indicator", "place"],
    ),
    _tool(
        "resolve",
        "Find a country, region or income group from its name in English, Spanish, French or "
        "German, or its ISO3 code: its code, kind, region, income group and names.",
        _run.run_resolve,
        {"name": _PLACE},
        ["name"],
    ),
]

TOOLS_BY_ID: Mapping[str, Tool] = {tool.id: tool for tool in TOOLS}
