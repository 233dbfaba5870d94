"""POST /v1/verify: check any text, sentence by sentence, against an assistant's sources."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from civicllm.answer.check_text import verify_text
from civicllm.errors import ConfigError, InputError, NotFoundError, PayloadTooLargeError
from civicllm.packs.loader import Pack
from civicllm.server.errors import error_responses
from civicllm.server.state import Admission, Admit, AppState, get_state
from civicllm.surrogates import replace_surrogates_in

__all__ = ["VerifyRequest", "router"]

router = APIRouter()


class GroundingOffError(ConfigError):
    """The server runs without retrieval, so there are no sources to check text against."""

    status = 503
    code = "grounding_off"


class VerifyRequest(BaseModel):
    """POST /v1/verify: an assistant id, the text to check, and optionally its language."""

    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, description="An assistant id from GET /v1/models.")
    text: str = Field(min_length=1, description="The text to check (1 to max_message_chars).")
    language: Literal["en", "es", "fr", "de"] | None = Field(
        None, description="The text's language; detected when absent."
    )

    @model_validator(mode="before")
    @classmethod
    def _replace_surrogates(cls, data: Any) -> Any:
        # A lone surrogate becomes U+FFFD: one character for one, so offsets still hold.
        return replace_surrogates_in(data)


def find_assistant(state: AppState, model: str) -> Pack:
    """Return the pack named ``model``; a raw model or an unknown id is a 404 on ``model``."""
    pack = state.packs.get(model)
    if pack is not None:
        return pack
    assistants = ", ".join(sorted(state.packs)) or "none"
    if model in state.engine.model_names():
        message = (
            f"'{model}' is a raw model; text is checked against an assistant's sources. "
            f"Use one of: {assistants}."
        )
    else:
        message = f"There is no assistant '{model}'. Available: {assistants}."
    raise NotFoundError(message, param="model", code="model_not_found")


@router.post("/v1/verify", responses=error_responses(400, 401, 404, 413, 429, 503))
async def verify(
    request: Request,
    body: VerifyRequest,
    admission: Annotated[Admission, Depends(Admit("verify"))],
) -> JSONResponse:
    """Say which sentences of a text the assistant's sources support, with the passages."""
    state = get_state(request)
    pack = find_assistant(state, body.model)
    limit = state.settings.max_message_chars
    if len(body.text) > limit:
        raise PayloadTooLargeError(
            f"The text is longer than {limit} characters: send it in parts.", param="text"
        )
    if not body.text.strip():
        raise InputError("The text has only spaces: send sentences to check.", param="text")
    if state.answerer is None:
        raise GroundingOffError(
            "This server answers without sources (grounding is off), so it cannot check "
            "text; the operator can turn grounding on."
        )
    record = admission.record  # completed by the app's middleware with the final status
    record.assistant = pack.id
    record.model = body.model
    record.messages = [{"role": "user", "content": body.text}]
    async with state.queue.slot():  # searching and embedding are bounded like answers
        result = await verify_text(state.answerer, pack, body.text, language=body.language)
    record.answer = result.supported_text
    return JSONResponse(result.to_dict())
