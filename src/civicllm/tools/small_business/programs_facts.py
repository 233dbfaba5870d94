"""The figures of SBA's programs, read from ``files/programs.yaml`` (one version per date).

Each figure carries the page it comes from and the date of its version; ``facts_on(as_of)``
picks, for every figure, the version in force on that date (or none, when the data holds no
version that early). The file is checked on load: a figure without a source URL, an
effective date or a rule is a ConfigError naming it.

Example::

    facts = load_facts()
    facts.on(date(2026, 12, 2))["eighta_net_worth"].value  # 850000
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from civicllm.errors import ConfigError

__all__ = ["FACTS_FILE", "Fact", "Facts", "load_facts"]

FACTS_FILE = Path(__file__).with_name("files") / "programs.yaml"
COMPARISONS = ("at_most", "less_than", "at_least", "more_than", "is_true", "one_of")
REQUIRED = ("value", "rule", "source", "url", "effective_date", "verified")

FactValue = int | float | bool | tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """One figure or condition of a program, in one version."""

    key: str
    value: FactValue
    unit: str
    comparison: str | None
    rule: str
    source: str
    url: str
    effective_date: date
    date_basis: str
    verified: bool
    unsure: str = ""

    def passes(self, given: Any) -> bool:
        """Return whether a business's figure meets this rule."""
        value = self.value
        if self.comparison == "is_true":
            return given is True
        if self.comparison == "one_of":
            return isinstance(value, tuple) and given in value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"Fact '{self.key}' has no number to compare with.")
        if self.comparison == "at_most":
            return bool(given <= value)
        if self.comparison == "less_than":
            return bool(given < value)
        if self.comparison == "at_least":
            return bool(given >= value)
        if self.comparison == "more_than":
            return bool(given > value)
        raise ConfigError(f"Fact '{self.key}' has no comparison.")

    def source_json(self) -> dict[str, Any]:
        """Return where the figure comes from, as JSON."""
        return {
            "title": self.source,
            "url": self.url,
            "effective_date": self.effective_date.isoformat(),
            "date_basis": self.date_basis,
            "verified": self.verified,
            **({"unsure": self.unsure} if self.unsure else {}),
        }


@dataclass(frozen=True)
class Facts:
    """Every figure of the file, each with its versions (newest first)."""

    checked: date
    versions: Mapping[str, tuple[Fact, ...]]

    def on(self, as_of: date) -> dict[str, Fact]:
        """Return the version of each figure in force on ``as_of`` (those without one left out)."""
        found: dict[str, Fact] = {}
        for key, versions in self.versions.items():
            for fact in versions:
                if fact.effective_date <= as_of:
                    found[key] = fact
                    break
        return found


def _value(key: str, raw: Any) -> FactValue:
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    if isinstance(raw, bool | int | float):
        return raw
    raise ConfigError(
        f"Fact '{key}' in programs.yaml: 'value' must be a number, true/false or a list."
    )


def _fact(key: str, raw: Mapping[str, Any], base: Mapping[str, Any]) -> Fact:
    merged = {**base, **raw}
    missing = [name for name in REQUIRED if merged.get(name) in (None, "")]
    if missing:
        raise ConfigError(f"Fact '{key}' in programs.yaml lacks {', '.join(missing)}.")
    when = merged["effective_date"]
    if not isinstance(when, date):
        raise ConfigError(f"Fact '{key}' in programs.yaml: 'effective_date' must be a date.")
    comparison = merged.get("comparison")
    if comparison is not None and comparison not in COMPARISONS:
        raise ConfigError(f"Fact '{key}' in programs.yaml: unknown comparison '{comparison}'.")
    if not str(merged["url"]).startswith("https://"):
        raise ConfigError(f"Fact '{key}' in programs.yaml: 'url' must be an https address.")
    return Fact(
        key=key,
        value=_value(key, merged["value"]),
        unit=str(merged.get("unit") or ""),
        comparison=comparison,
        rule=" ".join(str(merged["rule"]).split()),
        source=str(merged["source"]),
        url=str(merged["url"]),
        effective_date=when,
        date_basis=str(merged.get("date_basis") or ""),
        verified=bool(merged["verified"]),
        unsure=" ".join(str(merged.get("unsure") or "").split()),
    )


def parse_facts(document: Mapping[str, Any]) -> Facts:
    """Return the facts of a parsed programs.yaml (ConfigError naming what is wrong)."""
    checked = document.get("checked")
    raw_facts = document.get("facts")
    if not isinstance(checked, date) or not isinstance(raw_facts, Mapping):
        raise ConfigError("programs.yaml needs 'checked' (a date) and 'facts' (a mapping).")
    versions: dict[str, tuple[Fact, ...]] = {}
    for key, raw in raw_facts.items():
        current = _fact(str(key), raw, {})
        # An earlier version inherits the rule text, unit and comparison of the current one.
        inherit = {name: raw.get(name) for name in ("rule", "unit", "comparison", "date_basis")}
        inherit["verified"] = raw.get("verified")
        earlier = [_fact(str(key), old, inherit) for old in raw.get("earlier") or []]
        ordered = sorted([current, *earlier], key=lambda f: f.effective_date, reverse=True)
        versions[str(key)] = tuple(ordered)
    return Facts(checked=checked, versions=versions)


@cache
def load_facts(path: Path = FACTS_FILE) -> Facts:
    """Read and check programs.yaml once per process (the result is immutable)."""
    with path.open(encoding="utf-8") as handle:
        return parse_facts(yaml.safe_load(handle))
