"""Document metadata: front matter and sidecar files, and effective dates as sortable keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from civicllm.errors import IngestError

META_KEYS = ("title", "source_url", "effective_date", "language")
SIDECAR_SUFFIX = ".meta.yaml"

_AWARD_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class DocumentMeta:
    """The metadata every indexed document carries; empty strings mean unknown."""

    title: str = ""
    source_url: str = ""
    effective_date: str = ""
    language: str = ""

    def merged(self, other: DocumentMeta) -> DocumentMeta:
        """Return this metadata with blanks filled from ``other``."""
        return replace(
            self,
            title=self.title or other.title,
            source_url=self.source_url or other.source_url,
            effective_date=self.effective_date or other.effective_date,
            language=self.language or other.language,
        )


def parse_meta(raw: Mapping[str, Any], path: Path) -> DocumentMeta:
    """Return the metadata keys of a front-matter or sidecar mapping."""
    values: dict[str, str] = {}
    for key in META_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        # YAML reads 2026-07-01 as a date and 2026 as an int; keep them as text.
        values[key] = str(value).strip()
    language = values.get("language", "").lower()
    if language and not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)?", language):
        raise IngestError(
            f"{path.name}: language {language!r} is not a language code such as 'en' or 'es'; "
            "fix the metadata and ingest again.",
            path=str(path),
        )
    values["language"] = language.split("-")[0] if language else ""
    return DocumentMeta(**values)


def read_sidecar(path: Path) -> DocumentMeta:
    """Return the metadata of ``FILE.meta.yaml`` next to ``path``, or empty metadata."""
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return DocumentMeta()
    try:
        raw = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise IngestError(
            f"{sidecar.name}: the metadata file is not valid YAML ({exc.__class__.__name__}); "
            "fix it and ingest again.",
            path=str(path),
        ) from exc
    if raw is None:
        return DocumentMeta()
    if not isinstance(raw, dict):
        raise IngestError(
            f"{sidecar.name}: the metadata file must be a mapping of keys {', '.join(META_KEYS)}.",
            path=str(path),
        )
    return parse_meta(raw, path)


def sidecar_path(path: Path) -> Path:
    """Return where the sidecar metadata file of ``path`` lives."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def effective_from(effective_date: str) -> str:
    """Return an ISO date (YYYY-MM-DD) from which a document is in effect, or ''.

    An award year such as ``2026-27`` starts on July 1 of its first year, the way federal
    student aid counts it; a bare year starts on January 1; a month on its first day.
    Anything else is unknown, and an unknown date never filters a document out.
    """
    text = effective_date.strip()
    award = _AWARD_YEAR.match(text)
    if award and int(award.group(2)) > 12:
        return f"{award.group(1)}-07-01"
    match = _DATE.match(text)
    if not match:
        return ""
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return f"{year}-{month}-{day}"
