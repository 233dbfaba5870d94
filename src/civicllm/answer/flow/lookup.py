"""Lookup steps: the options of a question come from a tool called on the user's reply.

A ``lookup`` step is asked in two turns. First its question takes free text (a description,
a name, a code); the engine calls the step's tool with that text and offers the items of the
tool's output as options. Then the reply picks one option, and the option's ``fields`` are
filled from that item: fields of the flow's tool input, and ``flow.`` fields that later
``when`` conditions read. The step's own field (a ``flow.`` field) holds the choice.

The step's ``lookup`` block, all data::

    lookup:
      tool: directory/search              # any installed tool
      input: {query: "{reply}", limit: 5}  # "{reply}" and "{language}" are filled in
      options:
        each: results                     # a list in the tool's output
        as: office                        # the item's name in the templates below
        value: "{office.id}"
        label: {en: "{office.name}", es: "{office.name}"}
        detail:                           # optional; a text, or a list of {when, text}
          - when: {field: office.open, equals: true}
            text: {en: "Open today"}
        fields: {office_id: office.id, flow.kind: office.kind, region: null}
        then:                             # optional: options listed right after each item
          each: office.desks              # a list inside the item
          as: desk
          value: "{office.id}-{desk.number}"
          ...

Templates take dotted paths of the items (``{office.address.city}``), optionally formatted
as ``{path|money}`` (dollars) or ``{path|number}`` (a grouped whole number) in the user's
language. The fields an option fills are read from the tool's output when the user chooses,
never from the client; the state keeps only the text searched for, and the options are
computed again from it when needed (the lookup tool must be deterministic).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from civicllm.answer.flow.conditions import holds
from civicllm.answer.flow.definition import LOCAL_PREFIX, Flow, ToolRun
from civicllm.answer.flow.replies import format_money
from civicllm.answer.flow.texts import message, text_in
from civicllm.errors import ConfigError, InputError
from civicllm.language import fold

__all__ = [
    "MAX_QUERY",
    "check_lookup",
    "check_lookup_answer",
    "choose_option",
    "fill_template",
    "lookup_options",
    "lookup_targets",
]

MAX_QUERY = 500
# More options than this are a list nobody reads; the tool's limit should keep it shorter.
MAX_OPTIONS = 30
TEMPLATE = re.compile(r"\{([A-Za-z0-9_.]+)(?:\|([a-z]+))?\}")
FORMATS: dict[str, Callable[[Any, str], str]] = {
    "money": lambda v, lang: format_money(v, lang),
    "number": lambda v, lang: format_money(v, lang, symbol=False),
}


def check_lookup(step: Mapping[str, Any], where: str) -> None:
    """Raise ConfigError unless a lookup step's definition is complete."""
    spec = step.get("lookup")
    if not str(step["field"]).startswith(LOCAL_PREFIX):
        raise ConfigError(
            f"The lookup step {step['id']} in {where} must fill a '{LOCAL_PREFIX}' field "
            "(its choice); the tool's input is filled by its options' fields."
        )
    if not isinstance(spec, Mapping) or not isinstance(spec.get("tool"), str):
        raise ConfigError(f"The lookup step {step['id']} in {where} needs lookup.tool.")
    if not isinstance(spec.get("input"), Mapping):
        raise ConfigError(f"The lookup step {step['id']} in {where} needs a lookup.input map.")
    for option in _option_specs(spec.get("options")):
        missing = {"each", "as", "value", "label", "fields"} - set(option)
        if missing:
            raise ConfigError(
                f"The options of lookup step {step['id']} in {where} lack {sorted(missing)}."
            )
        if not isinstance(option["fields"], Mapping):
            raise ConfigError(f"The option fields of step {step['id']} in {where} must be a map.")


def lookup_targets(step: Mapping[str, Any]) -> list[str]:
    """Return every field a lookup step's options may fill, in the order first named."""
    specs = _option_specs(step["lookup"]["options"])
    return list(dict.fromkeys(str(target) for spec in specs for target in spec["fields"]))


def lookup_options(
    flow: Flow, step: Mapping[str, Any], query: str, language: str, run: ToolRun
) -> list[dict[str, Any]]:
    """Call the step's tool on ``query``; return its options with the fields each fills.

    Each option is ``{value, label, detail, fields}``; a tool's InputError passes through.
    """
    spec = step["lookup"]
    request = {
        key: _fill_input(value, {"reply": query, "language": language})
        for key, value in spec["input"].items()
    }
    output = run(request)
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    _collect(flow, spec["options"], output, {}, language, options, seen)
    return options[:MAX_OPTIONS]


def choose_option(
    flow: Flow, step: Mapping[str, Any], options: list[dict[str, Any]], reply: str, language: str
) -> dict[str, Any] | None:
    """Return the option a reply picks (its value, label or number), or None for a new search.

    A short number that is no option's number is a slip, not a search: InputError.
    """
    folded = fold(reply).strip()
    for option in options:
        if folded in (fold(option["value"]).strip(), fold(option["label"]).strip()):
            return option
    if re.fullmatch(r"[0-9]{1,3}", folded):
        if 1 <= int(folded) <= len(options):
            return options[int(folded) - 1]
        raise InputError(message(flow, "invalid_choice", language), param=step["field"])
    return None


def check_lookup_answer(step: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """Return a clean copy of a stored lookup choice; raise InputError if it is malformed."""
    targets = lookup_targets(step)
    if not isinstance(value, Mapping) or not isinstance(value.get("fields"), Mapping):
        raise InputError(f"The flow state has a bad answer for '{step['field']}'.", param="state")
    texts = {k: value.get(k, "") for k in ("value", "label", "query")}
    fields = dict(value["fields"])
    if (
        not all(isinstance(t, str) and len(t) <= MAX_QUERY for t in texts.values())
        or not set(fields) <= set(targets)
        or not all(_is_scalar(v) for v in fields.values())
    ):
        raise InputError(f"The flow state has a bad answer for '{step['field']}'.", param="state")
    return {**texts, "fields": fields}


def fill_template(flow: Flow, texts: Any, context: Mapping[str, Any], language: str) -> str:
    """Fill a localized template (or the first ``{when, text}`` that holds) from ``context``."""
    if isinstance(texts, list):
        chosen = next(
            (t for t in texts if "when" not in t or holds(flow, t["when"], context)), None
        )
        texts = chosen["text"] if chosen else ""
    if isinstance(texts, str) and texts in flow.messages:
        texts = flow.messages[texts]
    template = text_in(texts, language)

    def fill(match: re.Match[str]) -> str:
        value = context.get(match.group(1))
        if value is None:
            return "—"
        form = FORMATS.get(match.group(2) or "")
        if form is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            return form(value, language)
        return str(value)

    return TEMPLATE.sub(fill, template)


def _option_specs(spec: Any) -> list[Mapping[str, Any]]:
    """Return an options block and every block nested under its ``then``, flattened."""
    specs = spec if isinstance(spec, list) else [spec]
    found: list[Mapping[str, Any]] = []
    for item in specs:
        if not isinstance(item, Mapping):
            raise ConfigError(f"A lookup options block is not a mapping: {item!r}")
        found.append(item)
        if "then" in item:
            found.extend(_option_specs(item["then"]))
    return found


def _collect(
    flow: Flow,
    spec: Any,
    output: Any,
    bound: Mapping[str, Any],
    language: str,
    options: list[dict[str, Any]],
    seen: set[str],
) -> None:
    """Append the options an options block makes, each followed by its ``then`` options."""
    for block in spec if isinstance(spec, list) else [spec]:
        items = _at(output, str(block["each"]), bound)
        for item in items if isinstance(items, list) else []:
            inner = {**bound, str(block["as"]): item}
            context = {k: v for name, node in inner.items() for k, v in _flatten(name, node)}
            value = fill_template(flow, block["value"], context, language)
            if value not in seen:
                seen.add(value)
                detail = fill_template(flow, block.get("detail", ""), context, language)
                options.append(
                    {
                        "value": value,
                        "label": fill_template(flow, block["label"], context, language),
                        "detail": detail or None,
                        "fields": {
                            str(target): None if source is None else context.get(str(source))
                            for target, source in block["fields"].items()
                        },
                    }
                )
            if "then" in block:
                _collect(flow, block["then"], output, inner, language, options, seen)


def _at(output: Any, path: str, bound: Mapping[str, Any]) -> Any:
    """Return the value at ``path``: under an item an outer block named, else in the output."""
    head, _, rest = path.partition(".")
    node, keys = (bound[head], rest) if head in bound else (output, path)
    for key in keys.split(".") if keys else []:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _flatten(prefix: str, node: Any) -> list[tuple[str, Any]]:
    """Return a nested item's scalars as dotted paths (``office.address.city``)."""
    if isinstance(node, Mapping):
        return [pair for k, v in node.items() for pair in _flatten(f"{prefix}.{k}", v)]
    return [(prefix, node)] if _is_scalar(node) else []


def _fill_input(value: Any, fill: Mapping[str, str]) -> Any:
    """Fill ``{reply}`` and ``{language}`` into the strings of a lookup tool's input."""
    if isinstance(value, str):
        return TEMPLATE.sub(lambda m: str(fill.get(m.group(1), m.group(0))), value)
    if isinstance(value, Mapping):
        return {k: _fill_input(v, fill) for k, v in value.items()}
    return value


def _is_scalar(value: Any) -> bool:
    """Tell whether a value may be kept in a field: text, a finite number, a bool or null."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))
