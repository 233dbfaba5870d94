"""``small-business/naics-search``: a plain description (EN/ES/FR/DE) to 6-digit NAICS 2022 codes.

Request ``{"query": "we bake bread for supermarkets", "limit": 5, "as_of": "2026-12-01"}``
(``limit`` 1-20, default 5; ``as_of`` picks the SBA table in force, default today). The
query may also be a code: a 6-digit code comes first, then its neighbours by shared digits;
a 2-5 digit prefix lists the codes under it in code order. Response::

    {"query": "...", "kind": "text" | "code",
     "table": {"title", "effective", "url"},
     "results": [{"code", "title", "naics_title", "size_standard": {"measure", "limit",
                  "table"}, "exceptions": [{"number", "title", "size_standard"}],
                  "footnotes": ["8"], "score", "matched": {"text", "kind", "language",
                  "exception"}}],
     "notes": [{"kind", "text", ...}]}

Only industries with an SBA size standard are found (978 in the 2023 table). ``score`` is in
[0, 1], best first: for a description, the fused rank score of the word and meaning
searches relative to an industry both rank first (``naics_index.NaicsIndex.search``); for a
code, the share of the query's digits the code starts with (1.0: it is the code, or under
the prefix). Each result's code is also in a ``notes`` entry of kind ``listed`` (as a
number), so an answer may state it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from civicllm.errors import InputError
from civicllm.tools.base import Tool
from civicllm.tools.small_business.naics_index import Hit, NaicsPassage, index_for
from civicllm.tools.small_business.table import (
    ExceptionRow,
    Industry,
    SizeTable,
    Standard,
    naics_titles,
    table_for,
)

__all__ = ["MAX_QUERY", "NAICS_SEARCH", "VERSION", "prepare", "run_naics_search"]

VERSION = "1.0.0"
MAX_QUERY = 500
DEFAULT_LIMIT = 5
MAX_LIMIT = 20
_FIELDS = ("query", "limit", "as_of")
_CODE = re.compile(r"^(?:naics\s*[:#-]?\s*)?(\d{2,6})$", re.IGNORECASE)


def _check(request: Mapping[str, Any]) -> tuple[str, int, date | None]:
    """Return (query, limit, as_of) or raise one InputError naming every bad field."""
    if not isinstance(request, Mapping):
        raise InputError("The request must be a JSON object.", param=None)
    details: list[tuple[str | None, str]] = []
    for name in request:
        if name not in _FIELDS:
            details.append(
                (str(name), f"Unknown field '{name}': the fields are {', '.join(_FIELDS)}.")
            )
    query = request.get("query")
    if not isinstance(query, str) or not query.strip():
        details.append(
            ("query", "Field 'query' is required: describe the business in a few words, "
             "e.g. 'food truck', or give a NAICS code such as 541511.")
        )  # fmt: skip
        query = ""
    elif len(query.strip()) > MAX_QUERY:
        details.append(
            ("query", f"Field 'query' is {len(query.strip())} characters long: describe the "
             f"business in at most {MAX_QUERY}.")
        )  # fmt: skip
    limit: Any = request.get("limit", DEFAULT_LIMIT)
    if limit is None:
        limit = DEFAULT_LIMIT
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        details.append(
            ("limit", f"Field 'limit' must be a whole JSON number from 1 to {MAX_LIMIT}, "
             f"e.g. 5 (got {request.get('limit')!r}).")
        )  # fmt: skip
        limit = DEFAULT_LIMIT
    as_of = request.get("as_of")
    day: date | None = None
    if as_of is not None:
        try:
            if not isinstance(as_of, str):
                raise ValueError
            day = date.fromisoformat(as_of.strip())
        except ValueError:
            details.append(
                ("as_of", f"Field 'as_of' must be a date written YYYY-MM-DD, e.g. "
                 f"'2026-12-01' (got {as_of!r}).")
            )  # fmt: skip
    if details:
        raise InputError.from_details(details)
    return query.strip(), int(limit), day


def _standard(standard: Standard, table: SizeTable) -> dict[str, Any]:
    return {"measure": standard.measure, "limit": standard.limit, "table": table.title}


def _exception(row: ExceptionRow, table: SizeTable) -> dict[str, Any]:
    return {
        "number": row.number,
        "title": row.title,
        "size_standard": _standard(row.standard, table),
    }


def _result(
    industry: Industry, table: SizeTable, score: float, passage: NaicsPassage | None
) -> dict[str, Any]:
    matched = None
    if passage is not None:
        matched = {
            "text": passage.text,
            "kind": passage.kind,
            "language": passage.language,
            "exception": passage.exception,
        }
    return {
        "code": industry.code,
        "title": industry.title,
        "naics_title": industry.naics_title,
        "size_standard": _standard(industry.standard, table),
        "exceptions": [_exception(row, table) for row in industry.exceptions],
        "footnotes": list(industry.footnotes),
        "score": score,
        "matched": matched,
    }


def _search_code(digits: str, table: SizeTable, limit: int) -> tuple[list[Any], list[Any]]:
    """Return (results, notes) of a code query: the code or prefix first, then neighbours."""
    notes: list[dict[str, Any]] = []
    if len(digits) == 6 and digits not in table.industries:
        title = naics_titles().get(digits)
        if title is not None:
            notes.append(
                {
                    "kind": "no_standard",
                    "code": int(digits),
                    "text": f"{digits} {title} has no SBA size standard in {table.title}; "
                    "the closest codes that have one follow.",
                }
            )
        else:
            notes.append(
                {
                    "kind": "unknown_code",
                    "code": int(digits),
                    "text": f"{digits} is not a 2022 NAICS code; the closest codes follow.",
                }
            )

    def shared(code: str) -> int:
        n = 0
        while n < len(digits) and code[n] == digits[n]:
            n += 1
        return n

    ranked = sorted(table.industries, key=lambda code: (-shared(code), code))
    results = []
    for code in ranked[:limit]:
        overlap = shared(code)
        if overlap < 2:  # not even the sector: no neighbour worth listing
            break
        score = round(overlap / len(digits), 4)
        results.append(_result(table.industries[code], table, score, None))
    if not results and not notes:
        notes.append(
            {
                "kind": "unknown_code",
                "code": int(digits),
                "text": f"No NAICS code with a size standard starts with {digits}.",
            }
        )
    return results, notes


def _listed(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a note per listed code and exception, their numbers as numbers.

    An answer built from the view states codes ("311812 Commercial Bakeries") and exception
    numbers; the answer checker accepts a number only when the result or view holds it as a
    number, and a code is a string in ``results``.
    """
    listed: list[dict[str, Any]] = []
    for r in results:
        listed.append(
            {"kind": "listed", "code": int(r["code"]), "text": f"{r['code']} {r['title']}"}
        )
        for row in r["exceptions"]:
            listed.append(
                {
                    "kind": "listed_exception",
                    "code": int(r["code"]),
                    "number": row["number"],
                    "text": f"{r['code']} exception {row['number']}: {row['title']}",
                }
            )
    return listed


def run_naics_search(request: Mapping[str, Any]) -> dict[str, Any]:
    """Return the 6-digit NAICS codes that best fit a description, with size standards."""
    query, limit, day = _check(request)
    table = table_for(day)
    code = _CODE.match(re.sub(r"\s+", "", query))
    if code is not None:
        results, notes = _search_code(code.group(1), table, limit)
        kind = "code"
    else:
        hits: list[Hit] = index_for(table).search(query, limit)
        results = [_result(table.industries[h.code], table, h.score, h.passage) for h in hits]
        notes, kind = [], "text"
    return {
        "query": query,
        "kind": kind,
        "table": {
            "title": table.title,
            "effective": table.effective.isoformat(),
            "url": table.url,
        },
        "results": results,
        "notes": notes + _listed(results),
    }


def prepare() -> object:
    """Load today's table and its search index (vectors included), at server start."""
    return index_for(table_for())


_STANDARD_SCHEMA = {
    "type": "object",
    "required": ["measure", "limit", "table"],
    "properties": {
        "measure": {"type": "string", "enum": ["receipts", "employees", "assets"]},
        "limit": {"type": "integer"},
        "table": {"type": "string"},
    },
}
_OUTPUT = {
    "type": "object",
    "required": ["query", "kind", "table", "results", "notes"],
    "properties": {
        "kind": {"type": "string", "enum": ["text", "code"]},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title", "size_standard", "exceptions", "score"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[0-9]{6}$"},
                    "title": {"type": "string"},
                    "size_standard": _STANDARD_SCHEMA,
                    "exceptions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["number", "title", "size_standard"],
                            "properties": {"size_standard": _STANDARD_SCHEMA},
                        },
                    },
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
        },
        "notes": {"type": "array", "items": {"type": "object", "required": ["kind", "text"]}},
    },
}


def _build_tool() -> Tool:
    from civicllm.tools.small_business.naics_route import route_naics
    from civicllm.tools.small_business.naics_view import view_naics

    return Tool(
        id="small-business/naics-search",
        version=VERSION,
        description="Find the 6-digit NAICS 2022 codes that fit a business described in plain "
        "words (English, Spanish, French or German), with each code's SBA size standard "
        "(average annual receipts, employees or assets) and exceptions. The query may also be "
        "a 6-digit code or a 2-5 digit prefix.",
        input_schema={
            "type": "object",
            "properties": {
                "query": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_QUERY,
                    "description": "What the business does, in a few words (e.g. 'food "
                    "truck', 'plombier', 'Bäckerei'), or a NAICS code or prefix.",
                },
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                    "description": 'How many codes to return, a JSON number (5, not "5").',
                },
                "as_of": {
                    "type": "string",
                    "format": "date",
                    "description": "The date whose SBA table applies, YYYY-MM-DD; default today.",
                },
            },
            "required": ["query"],
            "additionalProperties": False,
        },
        run=run_naics_search,
        output_schema=_OUTPUT,
        view=view_naics,
        route=route_naics,
        prepare=prepare,
    )


NAICS_SEARCH: Tool = _build_tool()
