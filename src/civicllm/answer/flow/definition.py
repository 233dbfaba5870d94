"""A flow definition (``flows/<name>.yaml``), the step shown next, and one turn's answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from civicllm.errors import ConfigError

__all__ = [
    "LOCAL_PREFIX",
    "MAX_MONEY",
    "STATE_VERSION",
    "STEP_TYPES",
    "Flow",
    "FlowStep",
    "FlowTurn",
    "ToolRun",
    "load_flow",
]

STATE_VERSION = 1
STEP_TYPES = ("date", "money", "integer", "integer_list", "yes_no", "choice", "copy", "lookup")
# Fields under this prefix steer the flow only; they are never sent to the tool.
LOCAL_PREFIX = "flow."
# The largest amount a money step takes unless it sets its own ``max``: no household figure
# comes near a trillion, and a longer reply is a typing slip to ask about again.
MAX_MONEY = 999_999_999_999

ToolRun = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Flow:
    """A parsed flow definition; build it with ``load_flow``.

    ``tool`` is the id of the tool the answers are sent to; each step's ``field`` is a
    dotted path of that tool's JSON input. ``placeholders`` are values the step texts may
    use, computed from answers (``{name: {year_of: field, add: n}}``).
    """

    id: str
    tool: str
    languages: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    conditions: Mapping[str, Any]
    messages: Mapping[str, Mapping[str, str]]
    vocabulary: Mapping[str, Any]
    result: Mapping[str, Any]
    title: Mapping[str, str] = field(default_factory=dict)
    intro: Mapping[str, str] = field(default_factory=dict)
    placeholders: Mapping[str, Any] = field(default_factory=dict)

    def step_for(self, field_path: str) -> dict[str, Any] | None:
        """Return the step that fills ``field_path``, or None."""
        return next((s for s in self.steps if s["field"] == field_path), None)

    def title_in(self, language: str) -> str:
        """Return the flow's title in ``language``, falling back to English, then its id."""
        return str(self.title.get(language) or self.title.get("en") or self.id)

    def intro_in(self, language: str) -> str:
        """Return the flow's introduction in ``language``, falling back to English."""
        return str(self.intro.get(language) or self.intro.get("en") or "")


@dataclass(frozen=True)
class FlowStep:
    """The question to show next, already in the user's language."""

    id: str
    field: str
    type: str
    question: str
    why: str
    where_to_find: str
    options: list[dict[str, Any]] | None = None
    error: str | None = None
    hint: str | None = None
    allow_unknown: bool = True
    number: int = 1
    # A lookup step offering options: the text they were found for (None: asking for it).
    query: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the step as the JSON object the API sends."""
        return {
            "id": self.id,
            "field": self.field,
            "type": self.type,
            "question": self.question,
            "why": self.why,
            "where_to_find": self.where_to_find,
            "options": self.options,
            "error": self.error,
            "hint": self.hint,
            "allow_unknown": self.allow_unknown,
            "number": self.number,
            "query": self.query,
        }


@dataclass(frozen=True)
class FlowTurn:
    """What one call returns: the new state, and either the next step or the result."""

    state: dict[str, Any]
    step: FlowStep | None
    result: dict[str, Any] | None


def load_flow(path: Path) -> Flow:
    """Read and check a flow definition from a YAML file."""
    try:
        # The C loader, where libyaml is present, reads the flow about ten times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the flow file {path}: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
        raise ConfigError(f"The flow file {path} needs a mapping with a list of steps.")
    if not isinstance(raw.get("tool"), str) or not raw["tool"]:
        raise ConfigError(f"The flow file {path} must name the tool it calls (tool: pack/action).")
    languages = tuple(raw.get("languages", ["en"]))
    seen: set[str] = set()
    messages = raw.get("messages", {})
    for step in raw["steps"]:
        if not isinstance(step, dict) or not {"id", "field", "type"} <= step.keys():
            raise ConfigError(f"Each step in {path} needs id, field and type: {step!r}")
        if step["type"] not in STEP_TYPES:
            raise ConfigError(f"Step {step['id']} in {path} has an unknown type {step['type']}.")
        if step["field"] in seen:
            raise ConfigError(f"Two steps in {path} fill the field {step['field']}.")
        seen.add(step["field"])
        question = step.get("question", {})
        if isinstance(question, str):
            question = messages.get(question, {})
        if isinstance(question, list):  # worded by condition: every wording needs English
            wordings = [q.get("text", {}) if isinstance(q, dict) else {} for q in question]
            wordings = [messages.get(w, {}) if isinstance(w, str) else w for w in wordings]
            question = {"en": ""} if all("en" in w for w in wordings) else {}
        if step["type"] != "copy" and "en" not in question:
            raise ConfigError(f"Step {step['id']} in {path} needs an English question.")
        if step["type"] == "lookup":
            # Imported here: the lookup module reads flows, so it imports this one.
            from civicllm.answer.flow.lookup import check_lookup

            check_lookup(step, str(path))
    placeholders = raw.get("placeholders", {})
    if not isinstance(placeholders, dict) or not all(
        isinstance(spec, dict) and "year_of" in spec for spec in placeholders.values()
    ):
        raise ConfigError(
            f"The placeholders of {path} must map a name to {{year_of: field, add: n}}."
        )
    return Flow(
        id=str(raw.get("id", path.stem)),
        tool=str(raw["tool"]),
        languages=languages,
        steps=tuple(raw["steps"]),
        conditions=raw.get("conditions", {}),
        messages=messages,
        vocabulary=raw.get("vocabulary", {}),
        result=raw.get("result", {}),
        title=raw.get("title", {}),
        intro=raw.get("intro", {}),
        placeholders=placeholders,
    )
