"""GET /v1/tools and POST /v1/tools/{id}: the typed tools, callable without a model."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from civicllm.errors import InputError, NotFoundError
from civicllm.safety.audit import AuditRecord
from civicllm.server.state import admit, get_state

__all__ = ["router"]

router = APIRouter()


@router.get("/v1/tools")
async def list_tools(request: Request) -> dict[str, Any]:
    """List the tools with their versions and JSON schemas."""
    state = get_state(request)
    admit(request)
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
            }
            for tool in state.tools.values()
        ],
    }


@router.post("/v1/tools/{tool_id:path}")
async def run_tool(request: Request, tool_id: str) -> JSONResponse:
    """Run a tool on the JSON body and return its JSON result."""
    state = get_state(request)
    identity = admit(request)
    tool = state.tools.get(tool_id)
    if tool is None:
        raise NotFoundError(
            f"There is no tool '{tool_id}'. See GET /v1/tools.", param="tool", code="tool_not_found"
        )
    raw = await request.body()
    try:
        payload = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError("The request body is not valid JSON.", code="invalid_json") from exc
    if not isinstance(payload, dict):
        raise InputError("The request body must be a JSON object.", code="invalid_json")
    started = time.perf_counter()
    result = tool.run(payload)
    state.audit.append(
        AuditRecord(
            request_id=request.state.request_id,
            kind="tool",
            key_id=identity,
            tool={"id": tool.id, "version": tool.version, "input": payload, "output": result},
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )
    )
    return JSONResponse(result)
