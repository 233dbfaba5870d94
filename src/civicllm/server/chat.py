"""POST /v1/chat/completions and GET /v1/models: the OpenAI-compatible surface."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse

from civicllm.answer.loop import ReplyEvent, stream_reply
from civicllm.engines.base import GenerationRequest, Usage, merge_tool_calls
from civicllm.errors import CivicError, InputError, NotFoundError, PayloadTooLargeError
from civicllm.packs.loader import Pack
from civicllm.server.errors import error_responses
from civicllm.server.protocol import ChatCompletionRequest, new_completion_id, now
from civicllm.server.state import Admission, Admit, AppState, finish_admission, get_state
from civicllm.surrogates import replace_surrogates

__all__ = ["router"]

router = APIRouter()

# The audit status of a streamed answer whose client disconnected (nginx's convention).
CLIENT_CLOSED = 499


@router.get(
    "/v1/models",
    dependencies=[Depends(Admit("list", audited=False))],
    responses=error_responses(401, 429),
)
async def list_models(request: Request) -> dict[str, Any]:
    """List the raw models and the assistants (packs) this server answers as."""
    state = get_state(request)
    created = int(state.started)
    data = [
        {"id": name, "object": "model", "created": created, "owned_by": "civicllm"}
        for name in state.engine.model_names()
    ]
    for pack in state.packs.values():
        data.append(
            {
                "id": pack.id,
                "object": "model",
                "created": created,
                "owned_by": "civicllm-assistant",
                "civicllm": {
                    "kind": "assistant",
                    "name": pack.name,
                    "description": pack.description,
                    "languages": list(pack.languages),
                    "tools": list(pack.tools),
                    **answer_mode_of(state, pack),
                },
            }
        )
    return {"object": "list", "data": data}


def answer_mode_of(state: AppState, pack: Pack) -> dict[str, Any]:
    """Return how an assistant answers and the eval gate record that decided it."""
    if state.answerer is None:
        return {"answer_mode": "ungrounded", "gate": None}
    record = state.answerer.gate(pack)
    gate = None
    if record is not None:
        gate = {
            "passed": record.passed,
            "pack_version": record.pack_version,
            "model": record.model,
            "recorded_at": record.recorded_at,
        }
    return {
        "answer_mode": state.answerer.mode(pack),
        "answer_mode_setting": state.settings.answer_mode,
        "gate": gate,
    }


def check_request(state: AppState, body: ChatCompletionRequest) -> None:
    """Reject requests the server will not run, naming the field."""
    known = set(state.engine.model_names()) | set(state.packs)
    if body.model not in known:
        raise NotFoundError(
            f"The model '{body.model}' does not exist. Available: {', '.join(sorted(known))}.",
            param="model",
            code="model_not_found",
        )
    limit = state.settings.max_message_chars
    for index, message in enumerate(body.messages):
        if len(message.text()) > limit:
            raise PayloadTooLargeError(
                f"Message {index} is longer than {limit} characters: shorten it.",
                param=f"messages.{index}.content",
            )
    body.check_supported(assistant=body.model in state.packs)
    wanted = body.max_completion_tokens or body.max_tokens
    if wanted is not None and wanted > state.settings.max_tokens_limit:
        raise InputError(
            f"max_tokens may be at most {state.settings.max_tokens_limit}.", param="max_tokens"
        )


def completion_chunk(
    cid: str,
    model: str,
    delta: dict[str, Any],
    finish: str | None,
    logprobs: dict[str, Any] | None = None,
) -> str:
    """Return one SSE event carrying a chat.completion.chunk."""
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": now(),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": logprobs}],
    }
    # An engine's text is not trusted to be encodable: a chunk that fails to encode would
    # end the stream with no error event and no [DONE].
    return "data: " + replace_surrogates(json.dumps(body, ensure_ascii=False)) + "\n\n"


def usage_body(usage: Usage) -> dict[str, int]:
    """Return the OpenAI usage object."""
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


@router.post(
    "/v1/chat/completions",
    response_model=None,
    responses=error_responses(400, 401, 404, 413, 429, 503),
)
async def chat_completions(
    request: Request,
    body: ChatCompletionRequest,
    admission: Annotated[Admission, Depends(Admit("chat"))],
) -> JSONResponse | StreamingResponse:
    """Answer a conversation as a raw model or as an assistant, streamed or whole.

    Every OpenAI parameter either works as OpenAI documents it or is refused with a 400
    naming it (see ``civicllm.server.protocol``). Raw models take ``tools``/``tool_choice``
    (the reply is ``message.tool_calls`` with finish_reason "tool_calls"), ``logprobs``,
    ``frequency_penalty`` and ``presence_penalty``. An assistant (a pack) refuses those and
    a JSON ``response_format``: its text is verified and rewritten from its sources. Its
    ``stop`` sequences cut the text the reader sees, with nothing after the cut. civicllm's
    own options, for assistants: ``"language": "es"`` (the answer's language) and
    ``"civicllm": {"sources": false}`` to leave the numbered sources block out of
    ``content`` (url_citation annotations and the ``civicllm`` extension are always sent).
    ``finish_reason`` is "length" when the reply (an assistant's: its draft) hit the token
    cap.
    """
    state = get_state(request)
    check_request(state, body)
    pack = state.packs.get(body.model)
    messages = [m.to_engine() for m in body.messages]
    options = GenerationRequest(
        messages=messages,
        max_tokens=body.max_completion_tokens
        or body.max_tokens
        or state.settings.default_max_tokens,
        temperature=body.temperature,
        top_p=body.top_p,
        seed=body.seed,
        stop=tuple(body.stop_list()),
        json_schema=body.json_schema(),
        model=body.model,
        frequency_penalty=body.frequency_penalty,
        presence_penalty=body.presence_penalty,
        logprobs=body.logprobs,
        top_logprobs=body.top_logprobs,
        tools=body.tool_list(),
        tool_choice=body.tool_choice_value(),
        parallel_tool_calls=body.parallel_tool_calls,
    )
    started = time.perf_counter()
    record = admission.record  # completed by finish_audit, or by the middleware on an error
    record.assistant = pack.id if pack else ""
    record.model = body.model
    record.messages = [audited_message(m) for m in messages]
    stack = AsyncExitStack()
    await stack.enter_async_context(state.queue.slot())
    state.metrics.active.inc()
    stack.callback(state.metrics.active.dec)
    try:
        events = stream_reply(
            state.engine,
            messages,
            options,
            pack=pack,
            language=body.language,
            answerer=state.answerer,
            sources=body.sources_block(),
        )
        stack.push_async_callback(events.aclose)
        # Pull the first event before answering so early failures get a real HTTP status.
        first = await anext(events)
    except BaseException:
        await stack.aclose()
        raise
    state.metrics.first_token.observe(time.perf_counter() - started)
    cid = new_completion_id()
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        admission.deferred = True  # the stream writes the completed record when it ends
        return StreamingResponse(
            stream_events(
                state,
                cid,
                body.model,
                first,
                events,
                stack,
                admission,
                include_usage,
                body.logprobs,
            ),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    async with stack:
        reply = JoinedReply()
        reply.add(first)
        async for event in events:
            reply.add(event)
    text = replace_surrogates("".join(reply.parts))
    final = reply.final
    usage = final.usage or Usage()
    finish_audit(state, admission, text or reply.audit_extra(), usage, 200)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": text if text or not (reply.tool_calls or reply.refusal) else None,
        "refusal": reply.refusal or None,
    }
    if reply.tool_calls:
        message["tool_calls"] = reply.tool_calls
    message["annotations"] = final.annotations
    result: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion",
        "created": now(),
        "model": body.model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish_of(final, reply.tool_calls),
                "logprobs": {"content": reply.logprobs, "refusal": None} if body.logprobs else None,
            }
        ],
        "usage": usage_body(usage),
    }
    if final.extension:
        result["civicllm"] = final.extension
    return JSONResponse(result)


@dataclass
class JoinedReply:
    """A whole reply joined from its events (non-streaming answers are built from the stream)."""

    parts: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    logprobs: list[dict[str, Any]] = field(default_factory=list)
    refusal: str = ""
    final: ReplyEvent = field(default_factory=ReplyEvent)

    def add(self, event: ReplyEvent) -> None:
        """Add one event's text, tool call pieces, logprobs and closing fields."""
        self.parts.append(event.text)
        merge_tool_calls(self.tool_calls, event.tool_calls)
        self.logprobs.extend(event.logprobs)
        self.refusal += event.refusal
        self.final = merge_final(self.final, event)

    def audit_extra(self) -> str:
        """Return what the audit keeps of a reply without text: its refusal or tool calls."""
        if self.refusal:
            return self.refusal
        return json.dumps(self.tool_calls, ensure_ascii=False) if self.tool_calls else ""


def finish_of(final: ReplyEvent, tool_calls: list[dict[str, Any]]) -> str:
    """Return the reply's finish_reason: "tool_calls" when it made any, else the engine's."""
    if tool_calls and final.finish_reason in (None, "stop", "tool_calls"):
        return "tool_calls"
    return final.finish_reason or "stop"


def audited_message(message: dict[str, Any]) -> dict[str, str]:
    """Return what the audit log keeps of a message: its role and its text (or calls)."""
    content = message.get("content") or ""
    if message.get("tool_calls"):
        content = json.dumps(message["tool_calls"], ensure_ascii=False)
    return {"role": str(message["role"]), "content": str(content)}


def merge_final(final: ReplyEvent, event: ReplyEvent) -> ReplyEvent:
    """Keep the closing fields (finish, usage, citations) seen so far."""
    return ReplyEvent(
        finish_reason=event.finish_reason or final.finish_reason,
        usage=event.usage or final.usage,
        annotations=event.annotations or final.annotations,
        extension=event.extension or final.extension,
    )


async def stream_events(
    state: AppState,
    cid: str,
    model: str,
    first: ReplyEvent,
    events: AsyncIterator[ReplyEvent],
    stack: AsyncExitStack,
    admission: Admission,
    include_usage: bool,
    logprobs_on: bool = False,
) -> AsyncIterator[str]:
    """Yield the SSE events of a streamed answer, ending with [DONE] or one error event."""
    parts: list[str] = []
    final = ReplyEvent()
    status = 200
    calls: list[dict[str, Any]] = []
    try:
        async with stack:
            yield completion_chunk(cid, model, {"role": "assistant", "content": ""}, None)
            event: ReplyEvent | None = first
            while event is not None:
                final = merge_final(final, event)
                delta: dict[str, Any] = {}
                if event.text:
                    parts.append(event.text)
                    delta["content"] = event.text
                if event.refusal:
                    parts.append(event.refusal)
                    delta["refusal"] = event.refusal
                if event.tool_calls:
                    merge_tool_calls(calls, event.tool_calls)
                    delta["tool_calls"] = event.tool_calls
                logprobs = {"content": event.logprobs, "refusal": None} if logprobs_on else None
                if delta or (logprobs_on and event.logprobs):
                    yield completion_chunk(cid, model, delta, None, logprobs)
                event = await anext(events, None)
            delta = {}
            if final.annotations:
                delta["annotations"] = final.annotations
            if final.extension:
                delta["civicllm"] = final.extension
            yield completion_chunk(cid, model, delta, finish_of(final, calls))
            if include_usage:
                body = {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": now(),
                    "model": model,
                    "choices": [],
                    "usage": usage_body(final.usage or Usage()),
                }
                yield "data: " + json.dumps(body) + "\n\n"
            yield "data: [DONE]\n\n"
    except CivicError as exc:
        status = exc.status
        yield "data: " + json.dumps(exc.to_body()) + "\n\n"
    except Exception:
        status = 500
        rid = admission.record.request_id
        error = CivicError(f"The answer failed (request {rid}). Please try again.")
        yield "data: " + json.dumps(error.to_body()) + "\n\n"
    except BaseException:
        # The client went away (the server cancels the stream, or closes it at a yield):
        # the record says so rather than claim a delivered answer; generation stops with it.
        status = CLIENT_CLOSED
        raise
    finally:
        text = replace_surrogates("".join(parts))
        finish_audit(state, admission, text, final.usage or Usage(), status)


def finish_audit(
    state: AppState, admission: Admission, text: str, usage: Usage, status: int
) -> None:
    """Count tokens and write the exchange's completed audit record."""
    record = admission.record
    record.answer = text
    record.prompt_tokens = usage.prompt_tokens
    record.completion_tokens = usage.completion_tokens
    state.metrics.tokens.labels("prompt").inc(usage.prompt_tokens)
    state.metrics.tokens.labels("completion").inc(usage.completion_tokens)
    finish_admission(state, admission, status)
