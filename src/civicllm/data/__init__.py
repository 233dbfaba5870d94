"""Statistical data: publisher files imported into a versioned local snapshot, and queries.

    from civicllm.data import open_snapshot
    snap = open_snapshot(settings.home)
    place = snap.resolve("Tchad")
    snap.value("electricity_access", place.code)       # Observation | None
    snap.coverage("td_losses", "SSF", 2023)             # (countries with a value, members)

See ``importers`` (formats), ``store`` (the DuckDB file), ``snapshot`` (queries),
``places`` (names in EN/ES/FR/DE) and ``shipped`` (the files that come with civicllm).
"""

from civicllm.data.shipped import open_snapshot, shipped_dir
from civicllm.data.snapshot import IndicatorInfo, Observation, Place, ReleaseInfo, Snapshot
from civicllm.data.store import FileOverrides, ImportResult

__all__ = [
    "FileOverrides",
    "ImportResult",
    "IndicatorInfo",
    "Observation",
    "Place",
    "ReleaseInfo",
    "Snapshot",
    "open_snapshot",
    "shipped_dir",
]
