"""Find and read packs (pack.yaml) from the package and the home directory."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from civicllm.config import Settings
from civicllm.errors import ConfigError, InputError
from civicllm.safety.policy import POLICY_REASONS, read_policy_patterns

if TYPE_CHECKING:
    from civicllm.tools.base import Tool

__all__ = [
    "BUILTIN_PACKS_DIR",
    "Pack",
    "check_pack_tools",
    "create_pack",
    "load_pack",
    "load_packs",
    "read_policy_texts",
]

BUILTIN_PACKS_DIR = Path(__file__).parent
PACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful assistant of a public agency. Answer only from the numbered official "
    "passages and tool results you are given, cite them like [1], and say so plainly when "
    "they do not answer the question."
)


@dataclass(frozen=True)
class Pack:
    """One assistant: its description, prompts, tools and folders.

    Example::

        pack = load_pack(Path("src/civicllm/packs/student-aid"))
        pack.system_prompt_for("es")
    """

    id: str
    name: str
    description: str
    dir: Path
    languages: tuple[str, ...] = ("en",)
    system_prompt: dict[str, str] = field(default_factory=dict)
    tools: tuple[str, ...] = ()
    scope: dict[str, Any] = field(default_factory=dict)
    # What the input policy says, by reason then language; see civicllm.safety.policy.
    policy_texts: dict[str, dict[str, str]] = field(default_factory=dict)
    # The pack's own input-policy patterns, by reason (joined); see civicllm.safety.policy.
    policy_patterns: dict[str, str] = field(default_factory=dict)
    builtin: bool = False

    @property
    def sources_dir(self) -> Path:
        """Return the folder of documents the assistant answers from."""
        return self.dir / "sources"

    def system_prompt_for(self, language: str) -> str:
        """Return the system prompt in a language, falling back to English."""
        return (
            self.system_prompt.get(language)
            or self.system_prompt.get("en")
            or next(iter(self.system_prompt.values()), DEFAULT_SYSTEM_PROMPT)
        )


def load_pack(
    folder: Path, *, builtin: bool = False, tools: Mapping[str, Tool] | None = None
) -> Pack:
    """Read one pack folder's pack.yaml; with ``tools``, check the tools it names exist."""
    path = folder / "pack.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping.")
    pack_id = str(data.get("id") or folder.name)
    if not PACK_ID.match(pack_id):
        raise ConfigError(f"{path}: id {pack_id!r} must be lowercase letters, digits and hyphens.")
    prompt = data.get("system_prompt") or {}
    if isinstance(prompt, str):
        prompt = {"en": prompt}
    named = data.get("tools") or ()
    if not isinstance(named, list | tuple) or not all(isinstance(t, str) for t in named):
        raise ConfigError(f"{path}: tools must be a list of tool ids, like [units/convert].")
    pack = Pack(
        id=pack_id,
        name=str(data.get("name") or pack_id),
        description=str(data.get("description") or ""),
        dir=folder,
        languages=tuple(data.get("languages") or ("en",)),
        system_prompt={str(k): str(v).strip() for k, v in prompt.items()},
        tools=tuple(named),
        scope=dict(data.get("scope") or {}),
        policy_texts=read_policy_texts(path, data.get("policy_texts")),
        policy_patterns=read_policy_patterns(path, data.get("policy_patterns")),
        builtin=builtin,
    )
    if tools is not None:
        check_pack_tools(pack, tools)
    return pack


def check_pack_tools(pack: Pack, tools: Mapping[str, Tool]) -> None:
    """Raise ConfigError when the pack names a tool no installed package provides."""
    for name in pack.tools:
        if name not in tools:
            installed = ", ".join(sorted(tools)) or "none"
            raise ConfigError(
                f"Pack {pack.id} ({pack.dir / 'pack.yaml'}) names tool {name}, which no "
                f"installed package provides; installed: {installed}. Install the package "
                "that provides it, or remove it from the pack's tools.",
                param="tools",
            )


def read_policy_texts(path: Path, value: Any) -> dict[str, dict[str, str]]:
    """Return a pack's ``policy_texts`` (reason -> language -> text), checked."""
    if value is None:
        return {}
    known = ", ".join(POLICY_REASONS)
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: policy_texts must map a reason ({known}) to texts.")
    texts: dict[str, dict[str, str]] = {}
    for reason, by_language in value.items():
        if reason not in POLICY_REASONS:
            raise ConfigError(
                f"{path}: policy_texts has an unknown reason {reason!r}. Use one of: {known}."
            )
        if not isinstance(by_language, dict):
            raise ConfigError(
                f"{path}: policy_texts.{reason} must map a language (en, es, ...) to a text."
            )
        texts[reason] = {}
        for language, text in by_language.items():
            if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
                raise ConfigError(
                    f"{path}: policy_texts.{reason} has {language!r}, not a language code "
                    "like en or es."
                )
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"{path}: policy_texts.{reason}.{language} must be a text.")
            texts[reason][language] = text.strip()
    return texts


def load_packs(settings: Settings, tools: Mapping[str, Tool] | None = None) -> dict[str, Pack]:
    """Return every pack: built-in ones, then the user's (which may replace a built-in).

    Each pack's ``tools`` are checked against ``tools`` (default: every installed tool, read
    from the registry), so a pack naming a missing tool fails here, not at its first question.
    """
    if tools is None:
        from civicllm.tools.base import load_tools

        tools = load_tools()
    packs: dict[str, Pack] = {}
    for folder, builtin in [(BUILTIN_PACKS_DIR, True), (settings.home / "packs", False)]:
        if not folder.is_dir():
            continue
        for pack_yaml in sorted(folder.glob("*/pack.yaml")):
            pack = load_pack(pack_yaml.parent, builtin=builtin, tools=tools)
            packs[pack.id] = pack
    return packs


def create_pack(settings: Settings, pack_id: str, *, name: str = "", description: str = "") -> Pack:
    """Create a plain grounded assistant under the home directory and return it."""
    if not PACK_ID.match(pack_id):
        raise InputError(
            f"Pack name {pack_id!r}: use lowercase letters, digits and hyphens (city-water).",
            param="pack",
        )
    folder = settings.path("packs", pack_id)
    for sub in ("sources", "flows", "evals"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    pack_yaml = folder / "pack.yaml"
    if not pack_yaml.exists():
        data = {
            "id": pack_id,
            "name": name or pack_id.replace("-", " ").title(),
            "description": description or f"Answers from the documents ingested into {pack_id}.",
            "languages": ["en", "es", "fr", "de"],
            "system_prompt": {"en": DEFAULT_SYSTEM_PROMPT},
            "tools": [],
        }
        pack_yaml.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_pack(folder)
