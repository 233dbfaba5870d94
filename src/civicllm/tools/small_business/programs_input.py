"""The input of small-business/programs: its JSON schema and one check naming every bad field.

All facts are optional. Amounts are US dollars; shares are percentages (0 to 100) of the
business held by a group of owners. Net worth and income may be negative (a loss is a real
figure); loan amounts, assets, employees and years may not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from civicllm.errors import InputError

__all__ = ["INPUT_SCHEMA", "LOAN_PURPOSES", "PROGRAM_IDS", "parse_request"]

PROGRAM_IDS = (
    "7a",
    "504",
    "microloan",
    "8a",
    "wosb",
    "edwosb",
    "hubzone",
    "vosb",
    "sdvosb",
    "sbir",
    "sttr",
)
LOAN_PURPOSES = (
    "working_capital",
    "inventory",
    "equipment",
    "real_estate",
    "construction",
    "refinance",
    "acquisition",
    "other",
)

_BOOL = {"type": "boolean"}
_AMOUNT = {"type": "number", "minimum": 0}
_SIGNED = {"type": "number"}
_SHARE = {"type": "number", "minimum": 0, "maximum": 100}

FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "for_profit": ("Organized for profit.", _BOOL),
    "us_based": ("Located (and operating) in the United States.", _BOOL),
    "is_small": ("Small under SBA's size standard for its NAICS code, affiliates included.", _BOOL),
    "size_check": (
        "A small-business/size-check result (its 'small' member is used when is_small is absent).",
        {"type": "object", "properties": {"small": _BOOL}, "required": ["small"]},
    ),
    "years_in_business": ("Full years in business in the primary industry.", _AMOUNT),
    "employees": ("Employees, affiliates included (SBIR/STTR count).", _AMOUNT),
    "loan_amount": ("The loan asked for, in US dollars.", _AMOUNT),
    "loan_purpose": ("What the loan pays for.", {"enum": list(LOAN_PURPOSES)}),
    "women_share": ("Percent owned and controlled by women who are US citizens.", _SHARE),
    "veteran_share": ("Percent owned and controlled by veterans.", _SHARE),
    "service_disabled_veteran_share": (
        "Percent owned and controlled by service-disabled veterans.",
        _SHARE,
    ),
    "disadvantaged_share": (
        "Percent owned and controlled by socially and economically disadvantaged US citizens.",
        _SHARE,
    ),
    "us_citizen_share": ("Percent owned and controlled by US citizens.", _SHARE),
    "permanent_resident_share": (
        "Percent owned and controlled by US permanent residents (counts for SBIR/STTR).",
        _SHARE,
    ),
    "personal_net_worth": (
        "The qualifying owner's personal net worth, without home equity, the business and "
        "retirement accounts (US dollars; may be negative).",
        _SIGNED,
    ),
    "average_agi": (
        "The qualifying owner's adjusted gross income averaged over the last 3 years "
        "(US dollars; may be negative).",
        _SIGNED,
    ),
    "total_assets": (
        "Fair market value of all the qualifying owner's assets, home and business included.",
        _AMOUNT,
    ),
    "hubzone_principal_office": ("The principal office is in a HUBZone.", _BOOL),
    "hubzone_employee_share": ("Percent of employees who live in a HUBZone.", _SHARE),
    "does_research": ("The business does research and development.", _BOOL),
    "research_institution_partner": (
        "The business works with a US research institution (for STTR).",
        _BOOL,
    ),
    "sttr_small_business_work_share": ("Percent of the STTR work the business does.", _SHARE),
    "sttr_institution_work_share": (
        "Percent of the STTR work the research institution does.",
        _SHARE,
    ),
    "wants_grant": ("The user asks about a grant (adds the grants fact).", _BOOL),
    "programs": (
        "Screen only these programs ('grants' for the grants fact alone); default: all.",
        {
            "type": "array",
            "items": {"enum": [*PROGRAM_IDS, "grants"]},
            "minItems": 1,
            "uniqueItems": True,
        },
    ),
    "as_of": (
        "The date whose rules apply (YYYY-MM-DD); default: today.",
        {"type": "string", "format": "date"},
    ),
}

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        name: {**schema, "description": text} for name, (text, schema) in FIELDS.items()
    },
}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _check(name: str, value: Any, schema: Mapping[str, Any]) -> tuple[Any, str | None]:
    """Return the parsed value, or an error message for the field."""
    kind = schema.get("type")
    if name == "as_of":
        if not isinstance(value, str):
            return (
                None,
                (
                    f"Field 'as_of' must be a date written YYYY-MM-DD, e.g. "
                    f"'{date.today().isoformat()}'."
                ),
            )
        try:
            return date.fromisoformat(value), None
        except ValueError:
            return None, f"Field 'as_of': '{value}' is not a date written YYYY-MM-DD."
    if kind == "boolean":
        return (
            (value, None)
            if isinstance(value, bool)
            else (None, f"Field '{name}' must be true or false.")
        )
    if kind == "number":
        if not _number(value):
            return None, f"Field '{name}' must be a number."
        if "minimum" in schema and value < schema["minimum"]:
            return None, f"Field '{name}' must not be negative (got {value})."
        if "maximum" in schema and value > schema["maximum"]:
            return (
                None,
                f"Field '{name}' is a percentage: it must be between 0 and 100 (got {value}).",
            )
        return value, None
    if "enum" in schema:
        if value in schema["enum"]:
            return value, None
        return None, f"Field '{name}': '{value}' is not one of {', '.join(schema['enum'])}."
    if name == "size_check":
        if isinstance(value, Mapping) and isinstance(value.get("small"), bool):
            return dict(value), None
        return None, "Field 'size_check' must be a size-check result with 'small': true or false."
    return value, None


def _check_programs(value: Any, details: list[tuple[str | None, str]]) -> list[str] | None:
    allowed = (*PROGRAM_IDS, "grants")
    if not isinstance(value, list) or not value:
        details.append(
            ("programs", f"Field 'programs' must list one or more of {', '.join(allowed)}.")
        )
        return None
    good: list[str] = []
    for i, item in enumerate(value):
        if item not in allowed:
            details.append(
                (
                    f"programs.{i}",
                    f"Field 'programs.{i}': unknown program '{item}'; use one of "
                    + ", ".join(allowed)
                    + ".",
                )
            )
        elif item not in good:
            good.append(item)
    return good


def parse_request(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return the checked request (as_of a date); raise one InputError naming every bad field."""
    if not isinstance(request, Mapping):
        raise InputError("The request must be a JSON object.", param=None)
    details: list[tuple[str | None, str]] = []
    parsed: dict[str, Any] = {}
    for name, value in request.items():
        if name not in FIELDS:
            details.append(
                (
                    name,
                    f"Unknown field '{name}': remove it (see the small-business/programs schema).",
                )
            )
            continue
        if value is None:
            continue  # an unanswered question is the same as a missing one
        if name == "programs":
            parsed[name] = _check_programs(value, details)
            continue
        checked, error = _check(name, value, FIELDS[name][1])
        if error is not None:
            details.append((name, error))
        else:
            parsed[name] = checked
    if details:
        raise InputError.from_details(details)
    parsed.setdefault("as_of", date.today())
    return parsed
