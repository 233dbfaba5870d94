"""GET /v1/tools and POST /v1/tools/{id}: the typed tools, callable without a model.

A tool with a view answers ``{...result, "view": ToolView.to_json()}``; the view's language
is ``?language=`` (en, es, fr, de), else the first ``Accept-Language``, else English.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from civicllm.errors import InputError
from civicllm.language import SUPPORTED_LANGUAGES, base_language
from civicllm.server.errors import error_responses
from civicllm.server.state import Admission, Admit, get_state
from civicllm.surrogates import replace_surrogates_in

__all__ = ["parse_json_object", "router", "view_language"]

router = APIRouter()


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Parse a request body as a JSON object; raise InputError for anything else."""
    try:
        payload = json.loads(raw or b"null")
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad JSON, bad UTF-8 and integers of thousands of digits.
        message = "The request body is not valid JSON."
        if isinstance(exc, RecursionError):
            message = "The request body is nested too deeply; send a flatter JSON object."
        raise InputError(message, param="body", code="invalid_json") from None
    if not isinstance(payload, dict):
        raise InputError(
            "The request body must be a JSON object.", param="body", code="invalid_json"
        )
    # Lone surrogates ("\\ud800") cannot be stored, searched or sent back: replace them here.
    cleaned: dict[str, Any] = replace_surrogates_in(payload)
    return cleaned


def view_language(request: Request) -> str:
    """Return the language a tool's view is asked in: the query, the header, else English."""
    asked = request.query_params.get("language")
    if asked is not None:
        if asked.strip().lower() not in SUPPORTED_LANGUAGES:
            raise InputError(
                f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}.", param="language"
            )
        return asked.strip().lower()
    header = request.headers.get("accept-language", "")
    return base_language(header.split(",")[0].split(";")[0])


@router.get(
    "/v1/tools",
    dependencies=[Depends(Admit("list", audited=False))],
    responses=error_responses(401, 429),
)
async def list_tools(request: Request) -> dict[str, Any]:
    """List the tools with their versions and JSON schemas."""
    state = get_state(request)
    return {
        "object": "list",
        "data": [
            {
                "id": tool.id,
                "object": "tool",
                "version": tool.version,
                "description": tool.description,
                "input_schema": tool.input_schema,
                "function": tool.function_spec()["function"],
                "has_view": tool.view is not None,
            }
            for tool in state.tools.values()
        ],
    }


# The body is read by hand (each tool has its own schema, listed by GET /v1/tools); the
# OpenAPI document still says a JSON object is expected, so clients and fuzzers send one.
TOOL_BODY = {
    "requestBody": {
        "required": True,
        "description": "The tool's input: an object matching its input_schema (GET /v1/tools).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/v1/tools/{tool_id:path}",
    responses=error_responses(400, 401, 404, 413, 429),
    openapi_extra=TOOL_BODY,
)
async def run_tool(
    request: Request, tool_id: str, admission: Annotated[Admission, Depends(Admit("tool"))]
) -> JSONResponse:
    """Run a tool on the JSON body; return its JSON result, and its view when it has one."""
    state = get_state(request)
    language = view_language(request)
    tool = state.runtime.tool(tool_id)
    # The completed audit record (written by the app's middleware, whatever the outcome)
    # carries the tool's id, version, input and output, redacted.
    admission.record.tool = {"id": tool.id, "version": tool.version}
    payload = parse_json_object(await request.body())
    admission.record.tool["input"] = payload
    result = tool.run(payload)
    admission.record.tool["output"] = result
    if tool.view is None:
        return JSONResponse(result)
    return JSONResponse({**result, "view": tool.view(result, language).to_json()})
