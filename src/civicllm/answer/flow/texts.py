"""A flow's texts in the user's language: step texts, shared messages and placeholders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicllm.answer.flow.definition import Flow

__all__ = ["localized", "message", "pick_language", "step_fill", "text_in"]


def pick_language(flow: Flow, language: str) -> str:
    """Return the flow language closest to ``language`` (its two letters), else English."""
    code = (language or "en").lower()[:2]
    return code if code in flow.languages else "en"


def text_in(texts: Any, language: str) -> str:
    """Return the text in ``language``, falling back to English."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, Mapping):
        return ""
    return str(texts.get(language) or texts.get("en") or "")


def localized(
    flow: Flow,
    texts: Any,
    language: str,
    fill: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
) -> str:
    """Return a step text; a plain string names a shared text in the flow's messages.

    A list of ``{when, text}`` gives the first text whose condition holds for ``values``
    (the answers so far), so one question can be worded for the answers before it.
    """
    if isinstance(texts, list):
        from civicllm.answer.flow.conditions import holds  # conditions reads flows too

        chosen = next(
            (t for t in texts if "when" not in t or holds(flow, t["when"], values or {})), None
        )
        texts = chosen["text"] if chosen is not None else {}
    if isinstance(texts, str) and texts in flow.messages:
        texts = flow.messages[texts]
    return text_in(texts, language).format_map(_Fill(fill))


class _Fill(dict[str, Any]):
    """A format mapping that leaves unknown placeholders as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def step_fill(
    flow: Flow, step: Mapping[str, Any], values: Mapping[str, Any], language: str
) -> dict[str, Any]:
    """Return the placeholders a step's texts may use: the flow's, then the step's vars."""
    fill: dict[str, Any] = {}
    for name, spec in flow.placeholders.items():
        base = str(values.get(spec["year_of"], ""))[:4]
        fill[name] = int(base) + int(spec.get("add", 0)) if base.isdigit() else "—"
    for name, text in step.get("vars", {}).items():
        fill[name] = localized(flow, text, language, fill)
    return fill


def message(flow: Flow, key: str, language: str, **fill: Any) -> str:
    """Return one of the flow's localized engine messages, filled in."""
    template = text_in(flow.messages.get(key, {}), language) or key
    return template.format(**fill) if fill else template
