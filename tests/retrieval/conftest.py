"""Fixtures for retrieval tests: one embedder per session and a small multilingual corpus."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from civicllm.retrieval.embed import Embedder, Vector
from civicllm.retrieval.index import Index, open_index

# A small corpus of our own: English articles, two of them also in Spanish, and one
# article only in Spanish, so that retrieval must cross languages both ways.
CORPUS: dict[str, str] = {
    "en/library-card.md": """---
title: Getting a library card
source_url: https://example.gov/library/card
effective_date: 2026-01-01
language: en
---
# Getting a library card

## Who can get a card
Anyone who lives, works or studies in the county can get a free library card. Children
under 13 need a parent or guardian to sign the application.

## What to bring
Bring a photo ID and proof of your current address, such as a utility bill or a lease
dated within the last 60 days.
""",
    "es/library-card.md": """---
title: Cómo obtener una tarjeta de biblioteca
source_url: https://example.gov/es/biblioteca/tarjeta
effective_date: 2026-01-01
language: es
---
## Quién puede obtener una tarjeta
Cualquier persona que viva, trabaje o estudie en el condado puede obtener una tarjeta de
biblioteca gratuita. Los menores de 13 años necesitan la firma de un padre o tutor.

## Qué traer
Traiga una identificación con foto y un comprobante de su domicilio actual.
""",
    "en/trash-pickup.md": """---
title: Trash and recycling pickup
source_url: https://example.gov/trash
effective_date: 2025-07-01
language: en
---
## Collection days
Trash is collected once a week on your neighborhood's assigned day. Put carts at the curb
by 6 a.m. and bring them back in by 8 p.m.

## Bulky items
Sofas, mattresses and appliances are picked up by appointment. Schedule up to four bulky
items per month at no charge.
""",
    "en/trash-pickup-2027.md": """---
title: Trash and recycling pickup (2027 rules)
source_url: https://example.gov/trash/2027
effective_date: 2027-01-01
language: en
---
## Collection days in 2027
Starting in 2027, trash is collected every other week and recycling every week.
""",
    "en/property-tax.md": """---
title: Paying property tax
source_url: https://example.gov/tax/property
effective_date: 2026-27
language: en
---
## Due dates
Property tax is paid in two installments: the first is due November 1 and the second is
due February 1. A late payment adds a penalty of 10 percent.

## Senior exemption
Homeowners aged 65 or older with household income under $45,000 can apply for an
exemption that lowers the assessed value of their home.
""",
    "en/dog-license.md": """---
title: Licensing your dog
source_url: https://example.gov/pets/dog-license
language: en
---
## License requirement
Every dog older than four months must have a county license and a current rabies
vaccination. A license costs $20 for a spayed or neutered dog and $60 otherwise.
""",
    "es/water-shutoff.md": """---
title: Corte del servicio de agua
source_url: https://example.gov/es/agua/corte
effective_date: 2026-03-01
language: es
---
## Aviso antes del corte
Si una factura de agua queda sin pagar durante 60 días, la ciudad envía un aviso por
escrito al menos diez días antes de cortar el servicio.

## Plan de pagos
Los hogares con dificultades económicas pueden pedir un plan de pagos de hasta doce meses
para evitar el corte del agua.
""",
}


class CachingEmbedder(Embedder):
    """The real e5 embedder with a per-session memo, so each text is embedded once."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[tuple[bool, str], Vector] = {}

    def embed_queries(self, texts: Sequence[str]) -> Vector:
        return self._cached(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        return self._cached(texts, query=False)

    def _cached(self, texts: Sequence[str], *, query: bool) -> Vector:
        todo = [t for t in dict.fromkeys(texts) if (query, t) not in self._memo]
        if todo:
            fresh = super().embed_queries(todo) if query else super().embed_passages(todo)
            for text, vector in zip(todo, fresh, strict=True):
                self._memo[(query, text)] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[(query, t)] for t in texts])


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """Return one e5 embedder for the whole test session."""
    return CachingEmbedder()


def write_corpus(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the fixture corpus (or ``files``) under ``folder`` and return it."""
    for name, text in (CORPUS if files is None else files).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Return a folder holding the fixture corpus."""
    return write_corpus(tmp_path / "sources")


@pytest.fixture
def index(tmp_path: Path, embedder: Embedder) -> Iterator[Index]:
    """Return an empty index in a temporary file, closed after the test."""
    opened = open_index(tmp_path / "index.db", embedder)
    yield opened
    opened.close()
