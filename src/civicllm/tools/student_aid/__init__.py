"""Student Aid Index (SAI), Pell Grant and dependency status, exactly as ED's formula.

The public API::

    from civicllm.tools.student_aid import estimate, format_worksheet
    result = estimate({"award_year": "2025-26", "student": {...}, "parents": {...}})
    print(result["sai"], result["pell_grant"])
    print(format_worksheet(result))

``estimate`` validates the request (one ``InputError`` naming every bad field) and runs the
formula of ``calculator.compute_estimate`` over the award year's data tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from civicllm.errors import InputError
from civicllm.tools.base import Tool
from civicllm.tools.student_aid.calculator import compute_estimate
from civicllm.tools.student_aid.household import Household, to_household
from civicllm.tools.student_aid.models import EstimateRequest, EstimateResult
from civicllm.tools.student_aid.tables import YearTables, load_tables
from civicllm.tools.student_aid.view import view_estimate
from civicllm.tools.student_aid.worksheet import format_worksheet

__all__ = [
    "INPUT_SCHEMA",
    "TABLES",
    "TOOLS",
    "VERSION",
    "EstimateRequest",
    "EstimateResult",
    "Household",
    "YearTables",
    "compute_estimate",
    "estimate",
    "format_worksheet",
    "parse_request",
    "to_household",
    "view_estimate",
]

VERSION = "1.0.0"

# Read once at import; immutable (a read-only mapping of frozen dataclasses).
TABLES: Mapping[str, YearTables] = load_tables()


def _describe_error(error: Mapping[str, Any]) -> tuple[str, str]:
    param = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return param, f"Unknown field '{param}': remove it (see the student-aid/estimate schema)."
    if kind == "missing":
        return param, f"Field '{param}' is required."
    message = str(error["msg"]).removeprefix("Value error, ")
    return param, f"Field '{param}': {message}."


def parse_request(request: Mapping[str, Any]) -> EstimateRequest:
    """Validate a JSON request; raise one ``InputError`` naming every bad field."""
    if not isinstance(request, Mapping):
        raise InputError("The request must be a JSON object.", param=None)
    try:
        return EstimateRequest.model_validate(dict(request), context={"award_years": tuple(TABLES)})
    except ValidationError as exc:
        # Every problem at once, in the order of the form, so it is fixed in one pass.
        details = [_describe_error(error) for error in exc.errors()]
        raise InputError.from_details(details) from None


def estimate(request: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a request and return the SAI, Pell estimate and worksheet (spec JSON)."""
    return compute_estimate(to_household(parse_request(request)), TABLES)


def _input_schema() -> dict[str, Any]:
    schema = EstimateRequest.model_json_schema()
    schema["properties"]["award_year"]["enum"] = list(TABLES)
    for model in schema.get("$defs", {}).values():
        for field in model.get("properties", {}).values():
            # Decimal defaults are written as strings ("0"); the field takes a JSON number.
            if field.get("type") == "number" and isinstance(field.get("default"), str):
                field["default"] = int(Decimal(field["default"]))
    return schema


INPUT_SCHEMA: dict[str, Any] = _input_schema()

TOOLS = [
    Tool(
        id="student-aid/estimate",
        version=VERSION,
        description=(
            "Compute a US student's Student Aid Index (SAI), dependency status and estimated "
            "Federal Pell Grant for an award year, exactly by the Department of Education's "
            "formula, with every worksheet line."
        ),
        input_schema=INPUT_SCHEMA,
        run=estimate,
        output_schema=EstimateResult.model_json_schema(),
        view=view_estimate,
    )
]
