"""Screen a business for SBA programs: 7(a), 504, Microloan, 8(a), WOSB/EDWOSB, HUBZone,
VOSB/SDVOSB (the Veteran Small Business Certification) and SBIR/STTR basics.

``screen(request)`` checks the facts given (one InputError naming every bad field) and
returns, for each program, a status (``likely_eligible``, ``not_eligible`` or ``check``),
the reasons (each rule with its figure, the value given and the source), what to do next
and the program's key figures. Every figure comes from ``files/programs.yaml`` in the
version in force on ``as_of``.

What it trades away: it screens only the rules a number or a yes/no can settle. Character,
control, social disadvantage, credit elsewhere and a lender's judgement are left to the
"next steps"; ``likely_eligible`` means no rule it can check says no, never an approval. A
rule whose fact was not given makes the program ``check`` (with what is missing), never a
guess.

Example::

    screen({"for_profit": True, "us_based": True, "is_small": True, "loan_amount": 6000000,
            "programs": ["7a"]})["programs"][0]["status"]  # "not_eligible"
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from civicllm.tools.base import Tool
from civicllm.tools.small_business.programs_facts import Fact, load_facts
from civicllm.tools.small_business.programs_input import INPUT_SCHEMA, PROGRAM_IDS, parse_request
from civicllm.tools.small_business.programs_rules import (
    COMMON_STEPS,
    LIMITS,
    NAMES,
    NEXT_STEPS,
    NOTES,
    RULES,
    Rule,
)

__all__ = ["INPUT_SCHEMA", "NAMES", "OUTPUT_SCHEMA", "PROGRAMS", "PROGRAM_IDS", "screen"]

VERSION = "1.0.0"
TOOL_ID = "small-business/programs"


def _given(request: Mapping[str, Any], field: str) -> Any:
    if field == "as_of":
        return None  # the authority fact is checked by date, below
    if field == "is_small":
        if request.get("is_small") is not None:
            return request["is_small"]
        size = request.get("size_check")
        return size.get("small") if isinstance(size, Mapping) else None
    if field == "us_owner_share":  # SBIR: citizens and permanent residents together
        citizens = request.get("us_citizen_share")
        residents = request.get("permanent_resident_share")
        if citizens is None and residents is None:
            return None
        if citizens is not None and residents is not None:
            return citizens + residents
        known = float(citizens if citizens is not None else residents or 0)
        return known if known > 50 else None  # the other part could still make it pass
    return request.get(field)


def _reason(rule: Rule, fact: Fact | None, given: Any, as_of: date) -> dict[str, Any] | None:
    base: dict[str, Any] = {"rule": rule.fact, "field": rule.field}
    if fact is None:
        said = f"This screener holds no figure for this rule in force on {as_of.isoformat()}."
        return base | {"met": None, "text": said, **({} if given is None else {"value": given})}
    base |= {
        "threshold": list(fact.value) if isinstance(fact.value, tuple) else fact.value,
        "unit": fact.unit,
        "comparison": fact.comparison,
        "source": fact.source_json(),
    }
    met: bool | None
    if rule.field == "as_of":
        met = bool(fact.value)
        text = fact.rule if met else "No new awards can be made on that date: " + fact.rule
        return base | {"met": met, "value": as_of.isoformat(), "text": text}
    if given is None:
        if not rule.required:
            return None
        return base | {"met": None, "text": f"Not known: {fact.rule} Give '{rule.field}' to check."}
    met = fact.passes(given)
    text = ("Met: " if met else "Not met: ") + fact.rule
    if fact.comparison == "one_of" and not met and given in ("refinance", "acquisition", "other"):
        met, text = None, f"To check: {fact.rule} Ask the lender whether your purpose counts."
    if rule.fact == "eighta_years_in_business" and not met:
        met, text = None, f"To check: {fact.rule} Fewer than two years needs SBA's waiver."
    if rule.fact == "loan_504_max" and not met:
        special = load_facts().on(as_of).get("loan_504_max_special")
        if special is not None and special.passes(given):
            met, text = None, "To check: " + special.rule
    return base | {"met": met, "value": given, "text": text}


def _status(reasons: list[dict[str, Any]]) -> str:
    if any(r["met"] is False for r in reasons):
        return "not_eligible"
    if any(r["met"] is None for r in reasons):
        return "check"
    return "likely_eligible"


def _program(program: str, request: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    facts = load_facts().on(as_of)
    reasons = []
    for rule in RULES[program]:
        reason = _reason(rule, facts.get(rule.fact), _given(request, rule.field), as_of)
        if reason is not None:
            reasons.append(reason)
    if program == "microloan" and request.get("for_profit") is False:
        for reason in reasons:
            if reason["rule"] == "loan_basic_for_profit":
                reason["met"] = None
                reason["text"] = (
                    "To check: only a nonprofit child care business may borrow a microloan "
                    "without being organized for profit."
                )
    status = _status(reasons)
    missing = [r["field"] for r in reasons if r["met"] is None and "value" not in r]
    limits = [
        {
            "fact": key,
            "value": list(fact.value) if isinstance(fact.value, tuple) else fact.value,
            "unit": fact.unit,
            "comparison": fact.comparison,
            "rule": fact.rule,
            "source": fact.source_json(),
        }
        for key in LIMITS[program]
        if (fact := facts.get(key)) is not None
    ]
    steps = [{"step": s, "text": t, "url": u} for s, t, u in (*NEXT_STEPS[program], *COMMON_STEPS)]
    notes = [
        {"fact": key, "rule": fact.rule, "source": fact.source_json()}
        for key in NOTES.get(program, ())
        if (fact := facts.get(key)) is not None
    ]
    return {
        "program": program,
        "name": NAMES[program],
        "status": status,
        "reasons": reasons,
        "missing": list(dict.fromkeys(missing)),
        "next_steps": steps,
        "limits": limits,
        "notes": notes,
    }


def _grants(as_of: date) -> dict[str, Any]:
    fact = load_facts().on(as_of).get("no_start_up_grants")
    if fact is None:
        return {
            "sba_gives_start_up_grants": None,
            "text": f"This screener holds no statement on SBA grants for {as_of.isoformat()}.",
        }
    return {"sba_gives_start_up_grants": False, "text": fact.rule, "source": fact.source_json()}


def screen(request: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the facts about a business and return each asked program's screening."""
    parsed = parse_request(request)
    as_of: date = parsed["as_of"]
    asked: list[str] = parsed.get("programs") or list(PROGRAM_IDS)
    result: dict[str, Any] = {
        "tool": TOOL_ID,
        "as_of": as_of.isoformat(),
        "checked": load_facts().checked.isoformat(),
        "programs": [_program(p, parsed, as_of) for p in asked if p != "grants"],
    }
    if "grants" in asked or parsed.get("wants_grant"):
        result["grants"] = _grants(as_of)
    result["given"] = sorted(k for k in parsed if k not in ("programs", "as_of", "wants_grant"))
    return result


_SOURCE = {"type": "object", "additionalProperties": True}
OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["tool", "as_of", "checked", "programs"],
    "properties": {
        "tool": {"const": TOOL_ID},
        "as_of": {"type": "string", "format": "date"},
        "checked": {"type": "string", "format": "date"},
        "given": {"type": "array", "items": {"type": "string"}},
        "programs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["program", "status", "reasons", "missing", "next_steps", "limits"],
                "properties": {
                    "program": {"enum": list(PROGRAM_IDS)},
                    "name": {"type": "string"},
                    "status": {"enum": ["likely_eligible", "not_eligible", "check"]},
                    "reasons": {"type": "array", "items": _SOURCE},
                    "missing": {"type": "array", "items": {"type": "string"}},
                    "next_steps": {"type": "array", "items": _SOURCE},
                    "limits": {"type": "array", "items": _SOURCE},
                    "notes": {"type": "array", "items": _SOURCE},
                },
            },
        },
        "grants": _SOURCE,
    },
}


def _view(result: Mapping[str, Any], language: str) -> Any:
    from civicllm.tools.small_business.programs_view import view_programs

    return view_programs(result, language)


def _route(question: str, language: str) -> Mapping[str, Any] | None:
    from civicllm.tools.small_business.programs_route import route_programs

    return route_programs(question, language)


PROGRAMS = Tool(
    id=TOOL_ID,
    version=VERSION,
    description=(
        "Screen a US business for SBA programs (7(a), 504 and Microloan loans; 8(a), WOSB/"
        "EDWOSB, HUBZone and VOSB/SDVOSB certifications; SBIR/STTR research awards): for each, "
        "likely eligible, not eligible or what to check, with the rule, figure and source "
        "behind every reason, the next steps and the program's limits. Says that SBA does not "
        "give grants to start a business. Every fact is optional; ask for some programs with "
        "'programs'."
    ),
    input_schema=INPUT_SCHEMA,
    run=screen,
    output_schema=OUTPUT_SCHEMA,
    view=_view,
    route=_route,
)
