"""Guided flows over HTTP: list a pack's flows, and play one turn of a flow.

- ``GET /v1/flows/{pack}?language=es``: the pack's flows, with titles in that language.
- ``POST /v1/flows/{pack}/{flow}``: one turn, with the state held by the client. The server
  keeps nothing between calls: the client sends the state it got last time, the server
  validates it, reads the reply (or applies a correction) and answers with the new state
  and either the next question or the result (the tool's output and its ``view``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from civicllm.answer.flow import (
    Flow,
    FlowTurn,
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
from civicllm.tools.base import Tool, load_tools

__all__ = ["FlowCorrection", "FlowRequest", "installed_tools", "list_pack_flows", "router"]

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


@router.get(
    "/v1/flows/{pack}",
    dependencies=[Depends(Admit("list", audited=False))],
    responses=error_responses(401, 404, 429),
)
def list_flows(pack: str, request: Request, language: str = "en") -> dict[str, Any]:
    """List a pack's guided flows, with their titles in ``language``."""
    code = (language or "en").lower()[:2]
    return {"object": "list", "data": list_pack_flows(request, pack, code)}


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
    # Lookup steps (a search on the reply) call their tools from the same registry.
    tools = installed_tools(request)
    language = body.language or None
    turn: FlowTurn
    if body.state is None:
        turn = start_flow(definition, language or "en")
        if body.reply:
            turn = advance_flow(definition, turn.state, body.reply, run_tool=run_tool, tools=tools)
    elif body.correct is not None:
        turn = correct_answer(
            definition,
            body.state,
            body.correct.field,
            body.correct.value,
            language=language,
            run_tool=run_tool,
            tools=tools,
        )
    else:
        turn = advance_flow(
            definition, body.state, body.reply, language=language, run_tool=run_tool, tools=tools
        )
    record.flow["step"] = turn.step.id if turn.step else "result"
    return {
        "state": turn.state,
        "step": turn.step.to_dict() if turn.step else None,
        "result": turn.result,
        "title": definition.title_in(turn.state["language"]),
        "intro": definition.intro_in(turn.state["language"]) or None,
    }


def pack_folder(request: Request, pack: str) -> Path:
    """Return the folder of a served pack, or raise NotFoundError."""
    if not NAME.match(pack):
        raise NotFoundError(f"There is no assistant '{pack}'.", param="pack")
    packs = getattr(request.app.state, "packs", None)
    if packs:
        if pack not in packs:
            raise NotFoundError(
                f"There is no assistant '{pack}'. GET /v1/models lists them.", param="pack"
            )
        return Path(packs[pack].dir)
    return BUILTIN_PACKS_DIR / pack


def read_flow(request: Request, path: Path) -> Flow:
    """Return the parsed flow at ``path``, kept on the app until the file changes."""
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


def find_flow(request: Request, pack: str, flow: str) -> Flow:
    """Load a pack's flow definition, or raise NotFoundError."""
    if not NAME.match(pack) or not NAME.match(flow):
        raise NotFoundError(f"There is no flow '{pack}/{flow}'.", param="flow")
    path = pack_folder(request, pack) / "flows" / f"{flow}.yaml"
    if not path.is_file():
        raise NotFoundError(f"The assistant '{pack}' has no flow '{flow}'.", param="flow")
    return read_flow(request, path)


def list_pack_flows(request: Request, pack: str, language: str) -> list[dict[str, Any]]:
    """Return a pack's flows (id, title, intro, tool, languages), titles in ``language``."""
    folder = pack_folder(request, pack) / "flows"
    flows = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if not NAME.match(path.stem):
            continue
        definition = read_flow(request, path)
        lang = language if language in definition.languages else "en"
        flows.append(
            {
                "id": path.stem,
                "object": "flow",
                "pack": pack,
                "title": definition.title_in(lang),
                "intro": definition.intro_in(lang),
                "tool": definition.tool,
                "languages": list(definition.languages),
                "url": f"/v1/flows/{pack}/{path.stem}",
            }
        )
    return flows


def installed_tools(request: Request) -> Mapping[str, Tool]:
    """Return the tools of the app's runtime (the registry's, where the app has none)."""
    civic = getattr(request.app.state, "civic", None)
    tools: Mapping[str, Tool] | None = getattr(civic, "tools", None)
    return tools if tools else load_tools()


def find_tool(request: Request, definition: Flow, record: AuditRecord) -> Tool:
    """Return the flow's tool (the app's instance, else the registry's), audited when run."""
    tool = installed_tools(request).get(definition.tool) or load_tools().get(definition.tool)
    if tool is None:
        raise ConfigError(
            f"The flow '{definition.id}' needs the tool '{definition.tool}', which is not "
            "installed. Install the package that provides it and restart the server."
        )
    run = tool.run

    def run_and_record(tool_input: Mapping[str, Any]) -> dict[str, Any]:
        record.tool = {"id": tool.id, "version": tool.version, "input": dict(tool_input)}
        output = run(tool_input)
        record.tool["output"] = output
        return output

    return dataclasses.replace(tool, run=run_and_record)
