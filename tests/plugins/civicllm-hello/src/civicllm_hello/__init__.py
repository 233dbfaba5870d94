"""units/convert: convert lengths and masses between metric and US customary units.

A third-party civicllm tool: it imports only civicllm's public tool types, and civicllm
finds it through this distribution's ``civicllm.tools`` entry point.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from civicllm.errors import InputError
from civicllm.tools import Tool
from civicllm.tools.view import Figure, SourceRef, Table, ToolView

__all__ = ["TOOLS", "convert", "list_tools"]

VERSION = "0.1.0"

# Each unit in its base unit (metre or kilogram). The yard and the pound are exact since
# the international agreement of 1959: 1 ft = 0.3048 m, 1 lb = 0.45359237 kg.
UNITS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0),
    "km": ("length", 1000.0),
    "ft": ("length", 0.3048),
    "mi": ("length", 1609.344),
    "kg": ("mass", 1.0),
    "g": ("mass", 0.001),
    "lb": ("mass", 0.45359237),
}

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "from", "to"],
    "properties": {
        "value": {"type": "number", "description": "The amount to convert."},
        "from": {"type": "string", "enum": sorted(UNITS)},
        "to": {"type": "string", "enum": sorted(UNITS)},
    },
}

SOURCE = SourceRef(
    title="NIST Special Publication 811, Guide for the Use of the SI",
    url="https://www.nist.gov/pml/special-publication-811",
    licence="public domain (US government work)",
)

TEXTS = {
    "en": ("Unit conversion", "{value} {unit_from} is {converted} {unit_to}."),
    "es": ("Conversión de unidades", "{value} {unit_from} son {converted} {unit_to}."),
}


def convert(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Convert ``value`` from one unit to another; InputError names every bad field."""
    problems: list[tuple[str | None, str]] = []
    for name in sorted(set(payload) - {"value", "from", "to"}):
        problems.append((name, f"Unknown field '{name}': use value, from and to."))
    value = payload.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(("value", "Field 'value' must be a number."))
    units = {}
    for name in ("from", "to"):
        unit = payload.get(name)
        if unit not in UNITS:
            problems.append((name, f"Field '{name}' must be one of {', '.join(sorted(UNITS))}."))
        else:
            units[name] = UNITS[unit]
    if len(units) == 2 and units["from"][0] != units["to"][0]:
        problems.append(
            (
                "to",
                f"Cannot convert {units['from'][0]} ({payload['from']}) to "
                f"{units['to'][0]} ({payload['to']}).",
            )
        )
    if problems:
        raise InputError.from_details(problems)
    factor = units["from"][1] / units["to"][1]
    assert isinstance(value, int | float)
    return {
        "value": value,
        "from": payload["from"],
        "to": payload["to"],
        "factor": factor,
        "converted": round(value * factor, 6),
        "tool_version": VERSION,
    }


def view(result: Mapping[str, Any], language: str) -> ToolView:
    """Show a conversion: the two amounts, a table of both, the source of the factors."""
    title, sentence = TEXTS.get(language, TEXTS["en"])
    return ToolView(
        title=title,
        figures=(
            Figure(key="value", label="Given", value=result["value"], unit=result["from"]),
            Figure(
                key="converted", label="Converted", value=result["converted"], unit=result["to"]
            ),
        ),
        tables=(
            Table(
                columns=("unit", "amount"),
                rows=((result["from"], result["value"]), (result["to"], result["converted"])),
                caption="Both amounts",
            ),
        ),
        notes=("Factors are exact (international yard and pound, 1959).",),
        sources=(SOURCE,),
        sentences=(
            sentence.format(
                value=result["value"],
                unit_from=result["from"],
                converted=result["converted"],
                unit_to=result["to"],
            ),
        ),
    )


QUESTION = re.compile(
    r"(?:convert|convierte|convertir)\s+(?P<value>\d+(?:\.\d+)?)\s*(?P<from>[a-z]+)\s+"
    r"(?:to|in|into|a|en)\s+(?P<to>[a-z]+)",
    re.IGNORECASE,
)


def route(question: str, language: str) -> Mapping[str, Any] | None:
    """Return the input for 'convert 5 km to mi' (or 'convierte 5 km a mi'), else None."""
    found = QUESTION.search(question)
    if found is None or found["from"].lower() not in UNITS or found["to"].lower() not in UNITS:
        return None
    return {
        "value": float(found["value"]),
        "from": found["from"].lower(),
        "to": found["to"].lower(),
    }


TOOLS = [
    Tool(
        id="units/convert",
        version=VERSION,
        description="Convert a length or a mass between metric and US customary units.",
        input_schema=INPUT_SCHEMA,
        run=convert,
        view=view,
        route=route,
    )
]


def list_tools() -> list[Tool]:
    """Return this package's tools (the ``civicllm.tools`` entry point)."""
    return TOOLS
