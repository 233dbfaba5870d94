"""Let a model trusted to generate choose a pack's tool for a question no route reads.

Deterministic routes (``civicllm.answer.tool_route``) cover the questions their patterns
know; a model that passed the pack's eval gate may recognise more. Such a question is sent
to the model once, with the pack's tools as OpenAI functions, ``tool_choice`` "auto",
temperature 0 and a short instruction in the reader's language: call a tool only when the
question asks for a figure that tool computes. The model never states a number here: when it
calls a tool, its arguments are checked by running the tool, and the answer is the tool's
view made exactly as a routed answer is (numbers verified against the result's ``data``),
marked ``tool_choice_by: "model"``. When it answers in words, or its call names no tool of
the pack, or the tool refuses the arguments, or the engine fails, nothing is answered here
and the question goes the retrieval path; ``ModelChoice.note()`` says why.

The trade-off: one more model call before retrieval for every question no route reads
(its words are discarded), and the model sees the question alone, not the conversation.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from civicllm.answer.tool_route import ToolRoute
from civicllm.engines.base import Engine, GenerationRequest, Usage, collect_stream
from civicllm.errors import EngineError, InputError
from civicllm.language import base_language
from civicllm.packs.loader import Pack
from civicllm.tools.base import Tool

__all__ = ["INSTRUCTIONS", "ModelChoice", "choosable_tools", "choose_tool_by_model"]

# What the model is told, in the reader's language.
INSTRUCTIONS: Mapping[str, str] = {
    "en": "You decide whether one of the tools answers the user's question. Call a tool only "
    "when the question asks for a figure that tool computes, and take its arguments from the "
    "question. Otherwise answer briefly in words.",
    "es": "Decides si una de las herramientas responde a la pregunta del usuario. Llama a una "
    "herramienta solo cuando la pregunta pide una cifra que esa herramienta calcula, y toma "
    "sus argumentos de la pregunta. Si no, responde brevemente con palabras.",
    "fr": "Tu décides si l'un des outils répond à la question de l'utilisateur. N'appelle un "
    "outil que si la question demande un chiffre que cet outil calcule, et prends ses "
    "arguments dans la question. Sinon, réponds brièvement par des mots.",
    "de": "Du entscheidest, ob eines der Werkzeuge die Frage des Nutzers beantwortet. Rufe ein "
    "Werkzeug nur auf, wenn die Frage nach einer Zahl fragt, die dieses Werkzeug berechnet, "
    "und nimm seine Argumente aus der Frage. Sonst antworte kurz in Worten.",
}
# Room for one call's arguments; words beyond it are discarded anyway.
MAX_TOKENS = 256

Outcome = Literal[
    "called", "words", "unknown-function", "bad-arguments", "invalid-input", "engine-error"
]


@dataclass(frozen=True)
class ModelChoice:
    """What the model did with the pack's tools.

    ``route`` is set only when it called a tool and the tool accepted the arguments (the
    tool's result rides along in ``route.result``); otherwise ``outcome`` and ``error`` say
    why the question goes the retrieval path.
    """

    outcome: Outcome
    route: ToolRoute | None = None
    function: str = ""  # the function the model called, as it named it
    arguments: Any = None  # the arguments it gave (parsed when they were JSON)
    error: dict[str, Any] | None = None  # {"message", "param"} of the refusal
    usage: Usage = field(default_factory=Usage)

    def note(self) -> dict[str, Any]:
        """Return the ``tool_choice`` member of a retrieval answer's civicllm extension."""
        note: dict[str, Any] = {"by": "model", "outcome": self.outcome}
        if self.function:
            note["function"] = self.function
            note["arguments"] = self.arguments
        if self.error is not None:
            note["error"] = self.error
        return note


def choosable_tools(pack: Pack, registry: Mapping[str, Tool]) -> list[Tool]:
    """Return the pack's tools a model may call for an answer, in the pack's order.

    Those are the question-answering tools: a view to answer with, and a ``route`` (a tool
    without one, like a calculator over a whole household form, is reached through a flow;
    offering it for every question would cost a model call per answer for nothing).
    """
    tools = [registry.get(name) for name in pack.tools]
    return [t for t in tools if t is not None and t.view is not None and t.route is not None]


async def choose_tool_by_model(
    engine: Engine,
    tools: Sequence[Tool],
    question: str,
    language: str,
    *,
    model: str = "",
    seed: int | None = None,
) -> ModelChoice | None:
    """Ask the model once whether a tool answers ``question``; None when there is no tool.

    The tool is run here on the model's arguments (off the event loop), so a call the tool
    refuses never becomes an answer.
    """
    if not tools or not question.strip():
        return None
    by_name = {tool.function_spec()["function"]["name"]: tool for tool in tools}
    request = GenerationRequest(
        messages=[
            {"role": "system", "content": INSTRUCTIONS[base_language(language)]},
            {"role": "user", "content": question},
        ],
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        seed=seed,
        model=model,
        tools=[tool.function_spec() for tool in tools],
        tool_choice="auto",
        parallel_tool_calls=False,
    )
    try:
        reply = await collect_stream(engine.stream(request))
    except (InputError, EngineError) as exc:  # e.g. the question did not fit the context
        return ModelChoice("engine-error", error={"message": exc.message, "param": exc.param})
    calls = [c for c in reply.tool_calls if (c.get("function") or {}).get("name")]
    if not calls:
        return ModelChoice("words", usage=reply.usage)
    function = calls[0]["function"]
    name = str(function["name"])
    raw = function.get("arguments") or "{}"
    try:
        arguments = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        arguments = None
    tool = by_name.get(name)
    if tool is None:
        return ModelChoice("unknown-function", function=name, arguments=raw, usage=reply.usage)
    if not isinstance(arguments, dict):
        error = {"message": "The arguments are not a JSON object.", "param": None}
        return ModelChoice("bad-arguments", None, name, raw, error, reply.usage)
    try:
        result = await asyncio.to_thread(tool.run, arguments)
    except InputError as exc:
        error = {"message": exc.message, "param": exc.param}
        return ModelChoice("invalid-input", None, name, arguments, error, reply.usage)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # The tool's own checks let through a value of the wrong shape: still a refusal.
        error = {"message": f"{type(exc).__name__}: {exc}", "param": None}
        return ModelChoice("invalid-input", None, name, arguments, error, reply.usage)
    route = ToolRoute(tool, arguments, chosen_by="model", result=result)
    return ModelChoice("called", route, name, arguments, usage=reply.usage)
