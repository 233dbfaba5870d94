"""Read PDF, HTML, DOCX, Markdown and plain-text files into titled sections.

Each reader keeps the structure an official document already has (headings, pages) so
that chunks follow it, and raises ``IngestError`` naming the file and the reason when the
file cannot be read: corrupt, empty, encrypted, without a text layer, or unsupported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from civicllm.errors import IngestError
from civicllm.language import detect_language
from civicllm.retrieval.metadata import DocumentMeta, parse_meta, read_sidecar


@dataclass(frozen=True)
class Section:
    """A heading and the text under it; ``page`` is set for PDF pages."""

    heading: str
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """A file read into metadata and sections, ready to chunk."""

    meta: DocumentMeta
    sections: tuple[Section, ...]


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def read_document(path: Path) -> Document:
    """Read ``path`` with the reader for its extension and fill in missing metadata."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise IngestError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; "
            f"convert it to one of {supported}.",
            path=str(path),
        )
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: the file is empty.", path=str(path))
    try:
        document = reader(path)
    except IngestError:
        raise
    except Exception as exc:  # every parser has its own error types for a broken file
        raise IngestError(
            f"{path.name}: the file is corrupt or not a valid {path.suffix.lstrip('.')} "
            f"file ({exc.__class__.__name__}: {str(exc)[:120]}).",
            path=str(path),
        ) from exc
    sections = tuple(s for s in document.sections if s.text.strip())
    if not sections:
        raise IngestError(
            f"{path.name}: no text found (empty, or a scanned document without a text "
            "layer; run OCR first).",
            path=str(path),
        )
    # A sidecar file wins over what the document says about itself.
    meta = read_sidecar(path).merged(document.meta)
    if not meta.title:
        meta = meta.merged(DocumentMeta(title=path.stem.replace("-", " ").replace("_", " ")))
    if not meta.language:
        sample = " ".join(s.text for s in sections[:20])
        meta = meta.merged(DocumentMeta(language=detect_language(sample)))
    return Document(meta=meta, sections=sections)


def read_text_file(path: Path) -> str:
    """Return the text of a UTF-8 (or Latin-1) file, refusing binary content."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise IngestError(
            f"{path.name}: the file holds binary data, not text; check its type.",
            path=str(path),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older agency exports are often Latin-1; every byte string decodes as Latin-1.
        return data.decode("latin-1")


def split_markdown(text: str) -> tuple[dict[str, Any], str]:
    """Return the YAML front matter of Markdown ``text`` and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    raw = yaml.safe_load(match.group(1))
    if raw is not None and not isinstance(raw, dict):
        raise ValueError("front matter is not a mapping")
    return raw or {}, text[match.end() :]


def read_markdown(path: Path) -> Document:
    """Read a Markdown file: front matter, then one section per heading."""
    front, body = split_markdown(read_text_file(path))
    meta = parse_meta(front, path)
    sections: list[Section] = []
    heading, in_code = "", False
    lines: list[str] = []
    first_h1 = ""
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            sections.append(Section(heading, "\n".join(lines).strip()))
            heading, lines = match.group(2).strip(), []
            if len(match.group(1)) == 1 and not first_h1:
                first_h1 = heading
            continue
        lines.append(line)
    sections.append(Section(heading, "\n".join(lines).strip()))
    return Document(meta=meta.merged(DocumentMeta(title=first_h1)), sections=tuple(sections))


def read_plain_text(path: Path) -> Document:
    """Read a plain-text file as one section (long ones split later at paragraphs)."""
    text = read_text_file(path).strip()
    first_line = text.splitlines()[0].strip() if text else ""
    # A short first line followed by a blank line reads as a title, as in most notices.
    title = first_line if len(first_line) <= 120 and "\n\n" in text[:200] else ""
    return Document(meta=DocumentMeta(title=title), sections=(Section("", text),))


class _HtmlSections(HTMLParser):
    """Collect the title, language and heading-delimited sections of an HTML page."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer"})
    _BLOCK = frozenset(
        {"p", "div", "li", "tr", "br", "section", "article", "table", "ul", "ol", "dd", "dt"}
    )
    _HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.language = ""
        self.sections: list[Section] = []
        self._heading = ""
        self._parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._in_heading = False
        self._heading_parts: list[str] = []
        self._first_h1 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.language = (dict(attrs).get("lang") or "").split("-")[0].lower()
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._HEADINGS:
            self._flush()
            self._in_heading, self._heading_parts = True, []
        elif tag in self._BLOCK:
            self._parts.append("\n\n" if tag in {"p", "div", "section", "article"} else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self._HEADINGS and self._in_heading:
            self._in_heading = False
            self._heading = " ".join("".join(self._heading_parts).split())
            if tag == "h1" and not self._first_h1:
                self._first_h1 = self._heading

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title += data
        elif self._in_heading:
            self._heading_parts.append(data)
        else:
            self._parts.append(data)

    def _flush(self) -> None:
        paragraphs = re.split(r"\n\s*\n", "".join(self._parts))
        text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
        self.sections.append(Section(self._heading, text))
        self._parts = []

    def finish(self) -> Document:
        """Return the page read so far as a Document."""
        self.close()
        self._flush()
        title = " ".join(self.title.split()) or self._first_h1
        meta = DocumentMeta(title=title, language=self.language)
        return Document(meta=meta, sections=tuple(self.sections))


def read_html(path: Path) -> Document:
    """Read an HTML page: title, language, one section per heading."""
    parser = _HtmlSections()
    parser.feed(read_text_file(path))
    return parser.finish()


def read_docx(path: Path) -> Document:
    """Read a Word file: one section per paragraph styled as a heading."""
    import docx  # imported here: python-docx is slow to import and only needed for .docx

    word = docx.Document(str(path))
    sections: list[Section] = []
    heading = ""
    paragraphs: list[str] = []
    title = ""
    for paragraph in word.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if style == "Title":
            title = title or text
        elif style.startswith("Heading") and text:
            sections.append(Section(heading, "\n\n".join(paragraphs)))
            heading, paragraphs = text, []
        elif text:
            paragraphs.append(text)
    for table in word.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text.strip() for cell in row.cells))
    sections.append(Section(heading, "\n\n".join(paragraphs)))
    core = word.core_properties
    meta = DocumentMeta(
        title=title or (core.title or ""),
        language=(core.language or "").split("-")[0].lower(),
    )
    return Document(meta=meta, sections=tuple(sections))


def read_pdf(path: Path) -> Document:
    """Read a PDF's text layer: one section per page, numbered from 1."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    # pypdf logs its own warnings about broken files; the ingest report already names the
    # file and the reason, so keep them off the user's terminal.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(str(path))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # pypdf raises several types for unsupported ciphers
            raise _encrypted(path) from exc
        if not opened:
            raise _encrypted(path)
    sections = []
    try:
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            paragraphs = re.split(r"\n\s*\n", text)
            sections.append(Section("", "\n\n".join(p.strip() for p in paragraphs), number))
    except FileNotDecryptedError as exc:
        raise _encrypted(path) from exc
    info = reader.metadata
    title = str(info.title).strip() if info is not None and info.title else ""
    return Document(meta=DocumentMeta(title=title), sections=tuple(sections))


def _encrypted(path: Path) -> IngestError:
    return IngestError(
        f"{path.name}: the PDF is encrypted with a password; ingest an unencrypted copy.",
        path=str(path),
    )


READERS: Mapping[str, Callable[[Path], Document]] = MappingProxyType(
    {
        ".md": read_markdown,
        ".markdown": read_markdown,
        ".txt": read_plain_text,
        ".text": read_plain_text,
        ".html": read_html,
        ".htm": read_html,
        ".docx": read_docx,
        ".pdf": read_pdf,
    }
)
