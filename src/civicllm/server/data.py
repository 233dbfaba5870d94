"""GET /v1/data/{name}.csv: the rows a chart plots, as CSV, re-computed from the tool.

Stateless and auditable: the URL names the tool (``a--b`` for ``a/b``) and carries its input
as JSON (``?input=...&lang=...``), exactly as the chat answer's ``civicllm.chart.csv_url``
gives it; the route runs the tool again and writes its chart's points, a header and the
source and licence line. Nothing is cached between the answer and the download, so the
file always shows what the tool says now about that input, and anyone can re-run it.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from civicllm.answer.tool_route import tool_from_csv_name
from civicllm.charts import render_csv
from civicllm.errors import InputError
from civicllm.language import SUPPORTED_LANGUAGES, base_language
from civicllm.server.errors import error_responses
from civicllm.server.state import Admission, Admit, get_state
from civicllm.server.tools import parse_json_object

__all__ = ["router"]

router = APIRouter()


@router.get(
    "/v1/data/{name}.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The plotted rows as CSV."},
        **error_responses(400, 401, 404, 429),
    },
)
async def chart_csv(
    request: Request,
    name: str,
    admission: Annotated[Admission, Depends(Admit("tool"))],
    input: Annotated[str, Query(description="The tool's input, as a JSON object.")] = "",
    lang: Annotated[
        str, Query(description="The language of the headings: en, es, fr or de.")
    ] = "en",
) -> Response:
    """Run the named tool on the input and return the rows its chart plots, as CSV."""
    state = get_state(request)
    tool_id = tool_from_csv_name(name)
    tool = state.runtime.tool(tool_id, param="name")
    if not input:
        raise InputError("Give the tool's input as ?input={...} (a JSON object).", param="input")
    try:
        payload = parse_json_object(input.encode("utf-8", "surrogatepass"))
    except InputError as exc:
        # The input comes in the query string here, not the body: say so.
        message = exc.message.replace("The request body", "The 'input' query parameter")
        raise InputError(message, param="input", code=exc.code) from None
    if lang.split("-")[0].lower() not in SUPPORTED_LANGUAGES:
        raise InputError(
            f"lang '{lang}' is not served: use one of {', '.join(SUPPORTED_LANGUAGES)}.",
            param="lang",
        )
    admission.record.tool = {"id": tool.id, "version": tool.version, "input": payload}
    result = await asyncio.to_thread(tool.run, payload)
    admission.record.tool["output"] = result
    view = tool.view(result, base_language(lang)) if tool.view is not None else None
    if view is None or view.chart is None:
        raise InputError(
            f"The tool '{tool.id}' draws no chart for this input, so there are no rows to give.",
            param="input",
        )
    body = render_csv(view.chart, view.sources, base_language(lang))
    filename = name if name.endswith(".csv") else f"{name}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
