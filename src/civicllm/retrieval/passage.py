"""The Passage record shared by retrieval, prompting and verification."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """One chunk of an ingested document, as retrieved for a question.

    Example::

        Passage(id="student-aid:en/fafsa-basics.md#2", pack="student-aid",
                document="en/fafsa-basics.md", title="What the FAFSA is",
                section="Who should file", page=None, language="en",
                source_url="https://studentaid.gov/h/apply-for-aid/fafsa",
                effective_date="2026-27", text="...", score=0.031)
    """

    id: str
    pack: str
    document: str
    title: str
    section: str
    text: str
    language: str = "en"
    source_url: str = ""
    effective_date: str = ""
    page: int | None = None
    score: float = 0.0
