"""The ``small-business/size-check`` tool record: schemas, run, view, route and prepare."""

from __future__ import annotations

from typing import Any

from civicllm.tools.base import Tool
from civicllm.tools.small_business.size import check_size
from civicllm.tools.small_business.size_request import (
    MAX_AFFILIATES,
    MAX_AMOUNT,
    MAX_EMPLOYEES,
    MAX_ENTRIES,
    MAX_WEEKS,
)
from civicllm.tools.small_business.size_route import route_size_check
from civicllm.tools.small_business.size_view import view_size_check
from civicllm.tools.small_business.store import prepare

__all__ = ["INPUT_SCHEMA", "OUTPUT_SCHEMA", "SIZE_CHECK", "VERSION"]

VERSION = "1.0.0"


def _amounts(description: str, largest: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "array",
        "description": description,
        "items": {"type": "integer", "minimum": 0, "maximum": largest - 1},
        "minItems": 1,
        "maxItems": MAX_ENTRIES,
        **extra,
    }


def _blocks() -> dict[str, Any]:
    return {
        "receipts": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "description": "Receipts (13 CFR 121.104): total income plus cost of goods sold.",
            "properties": {
                "fiscal_years": _amounts(
                    "Whole-dollar receipts of each completed fiscal year, most recent last "
                    "(the last 5 are used); or, with weeks_in_business, the total over those "
                    "weeks as a single entry.",
                    MAX_AMOUNT,
                ),
                "weeks_in_business": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "maximum": MAX_WEEKS,
                    "description": "For a concern in business less than 5 fiscal years: the "
                    "weeks the receipts cover (receipts ÷ weeks × 52).",
                },
            },
        },
        "employees": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "description": "Employees (13 CFR 121.106).",
            "properties": {
                "pay_periods": _amounts(
                    "Employees in each pay period of the last 24 months (or of the time in "
                    "business): full-time, part-time and temporary alike.",
                    MAX_EMPLOYEES,
                )
            },
        },
        "assets": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "description": "Total assets, for the asset-based standards (banking, footnote 8).",
            "properties": {
                "quarters": _amounts(
                    "Whole-dollar total assets on the 4 quarterly statements of the "
                    "preceding year.",
                    MAX_AMOUNT,
                    minItems=4,
                    maxItems=4,
                )
            },
        },
    }


INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["naics"],
    "properties": {
        "naics": {
            "type": "string",
            "pattern": "^[0-9]{6}$",
            "description": 'A 6-digit 2022 NAICS code, such as "541511".',
        },
        "exception": {
            "type": ["integer", "null"],
            "minimum": 1,
            "description": "The number of an exception row of SBA's table for the code "
            "(e.g. 1 for 541330 Military and Aerospace Equipment), or null.",
        },
        **_blocks(),
        "affiliates": {
            "type": ["array", "null"],
            "maxItems": MAX_AFFILIATES,
            "description": "Each affiliate's figures (13 CFR 121.103); they are added in.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": _blocks(),
            },
        },
        "as_of": {
            "type": ["string", "null"],
            "format": "date",
            "description": "The date whose size table applies (default today), YYYY-MM-DD.",
        },
    },
}

_STANDARD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["measure", "limit", "table"],
    "properties": {
        "measure": {"enum": ["receipts", "employees", "assets"]},
        "limit": {"type": "integer"},
        "table": {"type": "string"},
    },
}

OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "small",
        "naics",
        "size_standard",
        "measured",
        "margin",
        "notes",
        "footnotes",
        "citations",
        "worksheet",
    ],
    "properties": {
        "small": {"type": "boolean", "description": "At or below the limit."},
        "naics": {
            "type": "object",
            "required": ["code", "title", "exception"],
            "properties": {
                "code": {"type": "string"},
                "title": {"type": "string"},
                "exception": {
                    "type": ["object", "null"],
                    "required": ["number", "title"],
                    "properties": {"number": {"type": "integer"}, "title": {"type": "string"}},
                },
            },
        },
        "size_standard": _STANDARD,
        "measured": {
            "type": "object",
            "required": ["value", "method"],
            "properties": {
                "value": {
                    "type": "integer",
                    "description": "The exact average rounded up to a whole dollar/employee.",
                },
                "method": {"type": "string"},
            },
        },
        "margin": {"type": "integer", "description": "limit - measured.value; negative: over."},
        "notes": {"type": "array", "items": {"type": "string"}},
        "footnotes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["footnote", "text"],
                "properties": {"footnote": {"type": "string"}, "text": {"type": "string"}},
            },
        },
        "citations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "url"],
                "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
            },
        },
        "worksheet": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["line", "label", "amount", "source", "item", "concern", "args"],
                "properties": {
                    "line": {"type": "string"},
                    "label": {"type": "string"},
                    "amount": {"type": "number"},
                    "source": {"type": "string"},
                    "item": {"type": "string"},
                    "concern": {
                        "type": ["integer", "null"],
                        "description": "0 the concern, n affiliate n, null a total.",
                    },
                    "args": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
            },
        },
    },
}

SIZE_CHECK = Tool(
    id="small-business/size-check",
    version=VERSION,
    description=(
        "Check whether a US business is small under SBA's size standard for its 6-digit "
        "NAICS code (13 CFR 121.201, table in force on as_of): receipts averaged over 5 "
        "fiscal years or weeks in business, employees over the pay periods of 24 months, "
        "bank assets over 4 quarters, affiliates added in, exceptions and footnotes, with "
        "a worksheet."
    ),
    input_schema=INPUT_SCHEMA,
    run=check_size,
    output_schema=OUTPUT_SCHEMA,
    view=view_size_check,
    route=route_size_check,
    prepare=prepare,
)
