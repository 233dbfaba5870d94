"""POST /v1/flows/{pack}/{flow}: one turn of a guided flow, with the state held by the client.

The server keeps nothing between calls: the client sends the state it got last time, the
server validates it, reads the reply (or applies a correction) and answers with the new
state and either the next question or the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from civicllm.answer.flow import (
    Flow,
    FlowTurn,
    ToolRun,
    advance_flow,
    correct_answer,
    load_flow,
    start_flow,
)
from civicllm.errors import ConfigError, NotFoundError
from civicllm.packs.loader import BUILTIN_PACKS_DIR
from civicllm.safety.audit import AuditRecord
from civicllm.server.errors import error_responses
from civicllm.server.state import Admission, Admit
from civicllm.surrogates import replace_surrogates_in
from civicllm.tools.base import load_tools

__all__ = ["FlowCorrection", "FlowRequest", "router"]

router = APIRouter()

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_REPLY = 500


class FlowCorrection(BaseModel):
    """A changed answer: the field path of a step and its new value."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(max_length=200)
    value: Any


class FlowRequest(BaseModel):
    """The body of one flow turn."""

    model_config = ConfigDict(extra="forbid")

    state: dict[str, Any] | None = None
    reply: str | None = Field(default=None, max_length=MAX_REPLY)
    language: str | None = Field(default=None, max_length=16)
    correct: FlowCorrection | None = None

    @model_validator(mode="before")
    @classmethod
    def _replace_surrogates(cls, data: Any) -> Any:
        # Half a surrogate pair becomes U+FFFD, as in chat and tool bodies.
        return replace_surrogates_in(data)


@router.post("/v1/flows/{pack}/{flow}", responses=error_responses(400, 401, 404, 413, 429))
def run_flow_turn(
    pack: str,
    flow: str,
    body: FlowRequest,
    request: Request,
    admission: Annotated[Admission, Depends(Admit("flow"))],
) -> dict[str, Any]:
    """Start a flow, answer its current question, or correct an earlier answer."""
    # The completed audit record (written by the app's middleware, whatever the outcome)
    # holds the turn: what the client sent, the step reached, the tool's result; redacted.
    record = admission.record
    record.assistant = pack
    record.flow = {"id": f"{pack}/{flow}", "reply": body.reply, "state": body.state}
    if body.correct is not None:
        record.flow["correct"] = {"field": body.correct.field, "value": body.correct.value}
    definition = find_flow(request, pack, flow)
    run_tool = find_tool(request, definition, record)
    language = body.language or None
    turn: FlowTurn
    if body.state is None:
        turn = start_flow(definition, language or "en")
        if body.reply:
            turn = advance_flow(definition, turn.state, body.reply, run_tool=run_tool)
    elif body.correct is not None:
        turn = correct_answer(
            definition,
            body.state,
            body.correct.field,
            body.correct.value,
            language=language,
            run_tool=run_tool,
        )
    else:
        turn = advance_flow(
            definition, body.state, body.reply, language=language, run_tool=run_tool
        )
    record.flow["step"] = turn.step.id if turn.step else "result"
    return {
        "state": turn.state,
        "step": turn.step.to_dict() if turn.step else None,
        "result": turn.result,
        "title": definition.title.get(turn.state["language"]) or definition.title.get("en"),
        "intro": definition.intro.get(turn.state["language"]) or definition.intro.get("en"),
    }


def find_flow(request: Request, pack: str, flow: str) -> Flow:
    """Load a pack's flow definition, or raise NotFoundError."""
    if not NAME.match(pack) or not NAME.match(flow):
        raise NotFoundError(f"There is no flow '{pack}/{flow}'.", param="flow")
    packs = getattr(request.app.state, "packs", None)
    folder: Path
    if packs:
        if pack not in packs:
            raise NotFoundError(
                f"There is no assistant '{pack}'. GET /v1/models lists them.", param="pack"
            )
        folder = Path(packs[pack].dir)
    else:
        folder = BUILTIN_PACKS_DIR / pack
    path = folder / "flows" / f"{flow}.yaml"
    if not path.is_file():
        raise NotFoundError(f"The assistant '{pack}' has no flow '{flow}'.", param="flow")
    # Parsed flows are kept on the app (keyed by file and modification time), so an edited
    # flow file is picked up without a restart.
    cache: dict[tuple[str, int], Flow] | None = getattr(request.app.state, "flow_cache", None)
    if cache is None:
        cache = {}
        request.app.state.flow_cache = cache
    key = (str(path), path.stat().st_mtime_ns)
    if key not in cache:
        cache[key] = load_flow(path)
    return cache[key]


def find_tool(request: Request, definition: Flow, record: AuditRecord) -> ToolRun:
    """Return the flow's tool (the app's instance, else the registry's), audited when run."""
    civic = getattr(request.app.state, "civic", None)
    tools = getattr(civic, "tools", None) or {}

    def run_and_record(tool_input: Mapping[str, Any]) -> dict[str, Any]:
        tool = tools.get(definition.tool) or load_tools().get(definition.tool)
        if tool is None:
            raise ConfigError(
                f"The flow '{definition.id}' needs the tool '{definition.tool}', which is not "
                "installed. Install the package that provides it and restart the server."
            )
        record.tool = {"id": tool.id, "version": tool.version, "input": dict(tool_input)}
        output = tool.run(tool_input)
        record.tool["output"] = output
        return output

    return run_and_record
