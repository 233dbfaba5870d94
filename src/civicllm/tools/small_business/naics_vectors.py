"""Rebuild the shipped NAICS search vectors (``python -m`` this module).

Run it after editing ``synonyms/*.yaml`` (or when a new shipped table changes the titles):
it embeds every passage of today's table with the packaged e5 model (about two minutes on
two cores) into ``vectors/naics_e5.npy`` and writes their hash beside it. A test fails while
the shipped vectors do not match the synonym lists.
"""

from __future__ import annotations

import json
import time


def main() -> None:
    """Embed the passages of today's table and write them into the package."""
    from civicllm.retrieval.embed import Embedder
    from civicllm.tools.small_business.naics_index import write_shipped_vectors
    from civicllm.tools.small_business.table import table_for

    started = time.perf_counter()
    written = write_shipped_vectors(table_for(), Embedder())
    print(json.dumps({**written, "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
