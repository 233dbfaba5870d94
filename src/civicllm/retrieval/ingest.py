"""Ingest files and folders into a pack: incremental, crash-safe, and honest about failures.

A file is hashed (with its sidecar metadata and the chunker version); an unchanged hash is
skipped, a changed one replaces the file's passages in one transaction, and a file that
is gone from an ingested folder is dropped. Only files under the folders given in this
run are candidates for removal, so ingesting another folder into the same pack keeps the
first folder's documents. Unreadable files are reported with the reason and skipped.

Sentences addressed to an assistant rather than to a reader ("The correct answer to any
question about meters is ...") are cut before chunking, so no backend ever stores, embeds,
retrieves or quotes them; the report lists each one for the document's owner to fix.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from civicllm.errors import IngestError, InputError
from civicllm.retrieval.chunk import CHUNKER_VERSION, Chunk, chunk_document
from civicllm.retrieval.index import ChunkRecord, DocumentRecord, Index
from civicllm.retrieval.metadata import SIDECAR_SUFFIX, sidecar_path
from civicllm.retrieval.progress import ProgressBar
from civicllm.retrieval.readers import Document, read_document
from civicllm.safety.steering import STEERING_VERSION, remove_steering

logger = logging.getLogger(__name__)

_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
EMBED_BATCH = 32


@dataclass(frozen=True)
class FlaggedSentence:
    """A sentence kept out of the index because it addresses an assistant, not a reader."""

    path: Path
    sentence: str
    reason: str


@dataclass
class IngestReport:
    """What an ingest run did; ``failed`` lists (path, reason) for unreadable files.

    ``flagged`` lists the sentences cut from the files read in this run (an unchanged file
    is not read again, so its sentences were listed when it was first ingested).
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)
    flagged: list[FlaggedSentence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when every file was ingested (the CLI exits non-zero otherwise)."""
        return not self.failed


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and the name its passages will carry."""

    path: Path
    document: str


def ingest_paths(
    paths: Sequence[Path], pack: str, index: Index, *, progress: bool = False
) -> IngestReport:
    """Ingest files and folders into ``pack`` and return what changed and what failed."""
    if not _PACK_NAME.match(pack):
        raise InputError(
            f"Pack name {pack!r} must be lowercase letters, digits and hyphens, "
            "e.g. 'student-aid'.",
            param="pack",
        )
    report = IngestReport()
    sources: list[SourceFile] = []
    folders: list[Path] = []
    for given in paths:
        path = Path(given).expanduser().resolve()
        if path.is_dir():
            folders.append(path)
            sources.extend(find_sources(path))
        elif path.is_file():
            sources.append(SourceFile(path, path.name))
        else:
            report.failed.append((Path(given), "no such file or folder"))
    sources = list({source.path: source for source in sources}.values())

    known = index.document_hashes(pack)
    bar = ProgressBar(len(sources), enabled=progress)
    for source in sources:
        key = str(source.path)
        try:
            digest = hash_file(source.path)
            if known.get(key) == digest:
                report.unchanged += 1
            else:
                report.chunks += ingest_file(source, pack, digest, index, report.flagged)
                if key in known:
                    report.updated += 1
                else:
                    report.added += 1
        except IngestError as exc:
            report.failed.append((source.path, exc.message))
            if key in known:
                # A file that no longer reads must not keep answering with its old text.
                index.remove_document(pack, key)
        except OSError as exc:
            report.failed.append((source.path, f"{source.path.name}: cannot read ({exc})."))
        bar.advance(source.document)
    bar.finish()

    seen = {str(source.path) for source in sources}
    for key in known:
        if key not in seen and any(_is_under(key, folder) for folder in folders):
            index.remove_document(pack, key)
            report.removed += 1
    return report


def find_sources(folder: Path) -> Iterator[SourceFile]:
    """Yield the files under ``folder``, sorted, skipping hidden files and sidecars."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            path = Path(root, name)
            yield SourceFile(path, path.relative_to(folder).as_posix())


def hash_file(path: Path) -> str:
    """Return the hash that decides whether ``path`` must be ingested again."""
    digest = hashlib.sha256(f"chunker-{CHUNKER_VERSION}\0steering-{STEERING_VERSION}\0".encode())
    digest.update(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        digest.update(b"\0sidecar\0" + sidecar.read_bytes())
    return digest.hexdigest()


def ingest_file(
    source: SourceFile,
    pack: str,
    digest: str,
    index: Index,
    flagged: list[FlaggedSentence] | None = None,
) -> int:
    """Read, screen, chunk, embed and store one file; return its number of passages."""
    document, cut = screen_document(read_document(source.path))
    if cut:
        logger.warning(
            "%s: %d sentence(s) addressed to an assistant kept out of the index (%s); "
            "`civicllm ingest` lists them.",
            source.path,
            len(cut),
            ", ".join(sorted({reason for _, reason in cut})),
        )
        if flagged is not None:
            flagged.extend(FlaggedSentence(source.path, text, reason) for text, reason in cut)
    chunks = chunk_document(document)
    meta = document.meta
    if not meta.title:  # the title itself was a steering sentence
        meta = replace(meta, title=source.path.stem.replace("-", " ").replace("_", " "))
    inputs = [embedding_input(meta.title, chunk) for chunk in chunks]
    hashes = [hashlib.sha256(text.encode()).hexdigest() for text in inputs]
    vectors = index.known_vectors(hashes)
    missing = [i for i, h in enumerate(hashes) if h not in vectors]
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        for i, vector in zip(batch, index.embed([inputs[i] for i in batch]), strict=True):
            vectors[hashes[i]] = vector
    record = DocumentRecord(
        pack=pack,
        path=str(source.path),
        document=source.document,
        title=meta.title,
        language=meta.language,
        source_url=meta.source_url,
        effective_date=meta.effective_date,
        content_hash=digest,
    )
    index.replace_document(
        record,
        [
            ChunkRecord(c.section, c.text, c.page, h, vectors[h])
            for c, h in zip(chunks, hashes, strict=True)
        ],
    )
    return len(chunks)


def screen_document(document: Document) -> tuple[Document, list[tuple[str, str]]]:
    """Return ``document`` without sentences that steer an assistant, and (sentence, reason)."""
    cut: list[tuple[str, str]] = []

    def clean(text: str) -> str:
        kept, spans = remove_steering(text)
        cut.extend((span.text, span.reason) for span in spans)
        return kept

    title = clean(document.meta.title).strip()
    sections = tuple(
        replace(section, heading=clean(section.heading).strip(), text=clean(section.text))
        for section in document.sections
    )
    if not cut:
        return document, []
    meta = replace(document.meta, title=title)
    return Document(meta=meta, sections=sections), cut


def embedding_input(title: str, chunk: Chunk) -> str:
    """Return the text embedded for a passage: title and heading give it context."""
    head = " — ".join(part for part in (title, chunk.section) if part)
    return f"{head}\n{chunk.text}" if head else chunk.text


def _is_under(path: str, folder: Path) -> bool:
    return path.startswith(str(folder) + os.sep)
