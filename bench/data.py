"""Benchmark the data snapshot: import time per file, and query latency per query kind.

    python bench/data.py [--queries 300] [--repeat 3]

Measures, on this machine:
  - import time of each shipped publisher file into a fresh snapshot (median of --repeat
    runs, each in a new DuckDB file), the first ``open_snapshot`` (every file) and a reopen;
  - latency p50/p95 of each query kind the water-energy tools run, on the full snapshot:
    value (latest year), series (2000-2023), compare of 5 countries, rank within a region,
    urban-rural (two values of one year), without-access (share and population of one
    year), resolve (a name in EN/ES/FR/DE);
  - the same queries answered by the baseline in the same run: the publisher CSVs parsed
    once with Python's csv module (parse time reported, not counted per query) and every
    query answered by scanning those rows in Python. The baseline's resolve knows only the
    names written in the files (English), so it misses names in other languages; both
    sides must agree on every other answer, or the run fails.
Prints a table and writes ``bench/results/data.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from civicllm.data import Snapshot, open_snapshot
from civicllm.data.places import load_place_table, name_key
from civicllm.data.shipped import load_manifest, shipped_dir
from civicllm.data.snapshot import Snapshot as _Snapshot
from civicllm.data.store import connect

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "data.json"
Answer = Any


def bench_imports(repeat: int) -> dict[str, Any]:
    """Time each shipped file's import into a fresh snapshot, and open_snapshot itself."""
    manifest = load_manifest()
    times: dict[str, list[float]] = {item.path.name: [] for item in manifest.files}
    rows: dict[str, int] = {}
    first, reopen = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "snapshot.duckdb"
            snap = _Snapshot(connect(path), load_place_table(), manifest.aliases, path)
            for item in manifest.files:
                result = snap.import_file(item.path, item.overrides)
                times[item.path.name].append(result.seconds)
                rows[item.path.name] = result.rows
            snap.close()
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            open_snapshot(Path(tmp)).close()
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            open_snapshot(Path(tmp)).close()
            reopen.append(time.perf_counter() - start)
    return {
        "files": [
            {
                "file": name,
                "rows": rows[name],
                "seconds_median": statistics.median(t),
                "bytes": (shipped_dir() / name).stat().st_size,
            }
            for name, t in times.items()
        ],
        "open_snapshot_first_s": statistics.median(first),
        "open_snapshot_again_s": statistics.median(reopen),
    }


class CsvScan:
    """The baseline: the publisher CSVs parsed once; each query scans the rows in Python."""

    def __init__(self, folder: Path, aliases: dict[str, str]) -> None:
        start = time.perf_counter()
        self.wide: dict[str, tuple[list[str], list[list[str]]]] = {}  # code -> header, rows
        self.long: dict[str, list[list[str]]] = {}  # OWID code -> rows
        self.meta: list[list[str]] = []
        for item in load_manifest().files:
            with item.path.open(encoding="utf-8-sig", newline="") as handle:
                records = list(csv.reader(handle))
            name = item.path.name
            if name.startswith("API_"):
                self.wide[records[5][3]] = (records[4], records[5:])
            elif name.startswith("WDI_DataBank"):
                header = [h[:4] for h in records[0]]
                for code in ("EG.ELC.ACCS.UR.ZS", "EG.ELC.ACCS.RU.ZS"):
                    self.wide[code] = (header, [r for r in records[1:] if r and r[3] == code])
            elif name.startswith("Metadata_Country"):
                self.meta = records[1:]
            elif not name.startswith("Metadata_"):
                code = item.overrides.indicator or ""
                self.long[code] = records[1:]
        self.aliases = aliases
        self.load_seconds = time.perf_counter() - start

    def _year_values(self, indicator: str, place: str) -> list[tuple[int, float]]:
        code = self.aliases[indicator]
        if code in self.wide:
            header, rows = self.wide[code]
            for row in rows:
                if row and row[1] == place:
                    return [
                        (int(y), float(v))
                        for y, v in zip(header[4:], row[4:], strict=False)
                        if y and v and v != ".."
                    ]
            return []
        owid = {"WLD": "OWID_WRL", "XKX": "OWID_KOS", "CHI": "OWID_CIS"}.get(place, place)
        return [(int(r[2]), float(r[3])) for r in self.long[code] if r[1] == owid]

    def value(self, indicator: str, place: str, year: int | None = None) -> Answer:
        found = self._year_values(indicator, place)
        if year is None:
            return max(found) if found else None
        return next(((y, v) for y, v in found if y == year), None)

    def series(self, indicator: str, place: str, start: int, end: int) -> Answer:
        return [(y, v) for y, v in self._year_values(indicator, place) if start <= y <= end]

    def compare(self, indicator: str, places: list[str]) -> Answer:
        return [self.value(indicator, p) for p in places]

    def rank(self, indicator: str, region: str) -> Answer:
        members = [r[0] for r in self.meta if r[1] == REGIONS[region]]
        latest = {p: self.value(indicator, p) for p in members}
        year = max((v[0] for v in latest.values() if v), default=None)
        scored = [(p, self.value(indicator, p, year)) for p in members]
        return sorted(((v[1], p) for p, v in scored if v), reverse=True)

    def urban_rural(self, place: str) -> Answer:
        urban = self.value("electricity_access_urban", place)
        if urban is None:
            return None
        return urban, self.value("electricity_access_rural", place, urban[0])

    def without_access(self, place: str) -> Answer:
        share = self.value("electricity_access", place)
        return None if share is None else (share, self.value("population", place, share[0]))

    def resolve(self, name: str) -> Answer:
        key = name_key(name)
        for _header, rows in self.wide.values():
            for row in rows:
                if row and (name_key(row[0]) == key or row[1].lower() == key):
                    return row[1]
        return None


class SnapshotQueries:
    """The same queries through the snapshot API, as the tools make them."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap

    @staticmethod
    def _pair(obs: Any) -> Answer:
        return None if obs is None else (obs.year, obs.value)

    def value(self, indicator: str, place: str, year: int | None = None) -> Answer:
        return self._pair(self.snap.value(indicator, place, year))

    def series(self, indicator: str, place: str, start: int, end: int) -> Answer:
        return [(o.year, o.value) for o in self.snap.series(indicator, place, start, end)]

    def compare(self, indicator: str, places: list[str]) -> Answer:
        return [self.value(indicator, p) for p in places]

    def rank(self, indicator: str, region: str) -> Answer:
        group = self.snap.place(region)
        assert group is not None
        members = [p.code for p in self.snap.members(group)]
        year = self.snap.latest_year(indicator, members)
        found = self.snap.values(indicator, year, members) if year else {}
        return sorted(((o.value, p) for p, o in found.items()), reverse=True)

    def urban_rural(self, place: str) -> Answer:
        urban = self.snap.value("electricity_access_urban", place)
        if urban is None:
            return None
        rural = self.snap.value("electricity_access_rural", place, urban.year)
        return self._pair(urban), self._pair(rural)

    def without_access(self, place: str) -> Answer:
        share = self.snap.value("electricity_access", place)
        if share is None:
            return None
        return self._pair(share), self._pair(self.snap.value("population", place, share.year))

    def resolve(self, name: str) -> Answer:
        place = self.snap.resolve(name)
        return place.code if place else None


NAMES = ["Kenya", "Kenia", "Tchad", "Tschad", "Côte d'Ivoire", "Elfenbeinküste", "Brazil",
         "Brasil", "Allemagne", "India", "KEN", "Sub-Saharan Africa", "Afrique subsaharienne",
         "ingreso bajo", "Welt", "Nigeria", "Viet Nam", "Indonésie", "Perú", "Ägypten"]  # fmt: skip
# The baseline's own knowledge of region codes: the names the country metadata file uses.
REGIONS = {
    "SSF": "Sub-Saharan Africa", "EAS": "East Asia & Pacific", "ECS": "Europe & Central Asia",
    "LCN": "Latin America & Caribbean", "MEA": "Middle East & North Africa",
    "SAS": "South Asia", "NAC": "North America",
}  # fmt: skip
KINDS = ("value", "series", "compare_5", "rank_region", "urban_rural", "without_access", "resolve")


def workload(snap: Snapshot, n: int, seed: int = 7) -> dict[str, list[Callable[[Any], Answer]]]:
    """Return n calls per query kind (each a function of a query object)."""
    rng = random.Random(seed)
    countries = [p.code for p in snap.places("country") if p.region]
    inds = ["electricity_access", "td_losses", "population", "water_basic"]
    out: dict[str, list[Callable[[Any], Answer]]] = {k: [] for k in KINDS}
    for _ in range(n):
        c, i = rng.choice(countries), rng.choice(inds)
        five, reg, name = rng.sample(countries, 5), rng.choice(list(REGIONS)), rng.choice(NAMES)
        out["value"].append(lambda q, c=c, i=i: q.value(i, c))
        out["series"].append(lambda q, c=c, i=i: q.series(i, c, 2000, 2023))
        out["compare_5"].append(lambda q, f=five, i=i: q.compare(i, f))
        out["rank_region"].append(lambda q, r=reg, i=i: q.rank(i, r))
        out["urban_rural"].append(lambda q, c=c: q.urban_rural(c))
        out["without_access"].append(lambda q, c=c: q.without_access(c))
        out["resolve"].append(lambda q, m=name: q.resolve(m))
    return out


def measure(calls: list[Callable[[Any], Answer]], target: Any) -> tuple[list[float], list[Answer]]:
    """Run each call on a target; return latencies in ms and the answers."""
    ms, answers = [], []
    for call in calls:
        start = time.perf_counter()
        answers.append(call(target))
        ms.append((time.perf_counter() - start) * 1000)
    return ms, answers


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--queries", type=int, default=300, help="queries per kind")
    parser.add_argument("--repeat", type=int, default=3, help="import runs per file")
    args = parser.parse_args()
    imports = bench_imports(args.repeat)
    print("## Import (fresh snapshot, median of", args.repeat, "runs)\n")
    print("| file | rows | seconds |\n|---|---:|---:|")
    for f in imports["files"]:
        print(f"| {f['file']} | {f['rows']} | {f['seconds_median']:.3f} |")
    print(f"\nopen_snapshot first use: {imports['open_snapshot_first_s']:.2f} s; "
          f"again: {imports['open_snapshot_again_s']:.3f} s")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        snap = open_snapshot(Path(tmp))
        ours = SnapshotQueries(snap)
        ours.resolve("Kenya")  # builds the name index once (counted below as warm-up)
        baseline = CsvScan(shipped_dir(), load_manifest().aliases)
        kinds = workload(snap, args.queries)
        queries: dict[str, Any] = {}
        for kind, calls in kinds.items():
            ms_ours, got = measure(calls, ours)
            ms_base, expected = measure(calls, baseline)
            agree = sum(a == b for a, b in zip(got, expected, strict=True))
            if kind != "resolve" and agree != len(calls):
                raise SystemExit(f"{kind}: snapshot and csv scan disagree on {len(calls) - agree}")
            queries[kind] = {
                "snapshot_ms_p50": pct(ms_ours, 0.5), "snapshot_ms_p95": pct(ms_ours, 0.95),
                "csv_scan_ms_p50": pct(ms_base, 0.5), "csv_scan_ms_p95": pct(ms_base, 0.95),
                "answers_found_snapshot": sum(a is not None for a in got),
                "answers_found_csv_scan": sum(b is not None for b in expected),
                "agree": agree, "queries": len(calls),
            }  # fmt: skip
        snap.close()
    print(f"\n## Query latency, ms ({args.queries} per kind; baseline: csv rows scanned in "
          f"Python, parsed once in {baseline.load_seconds:.2f} s)\n")  # fmt: skip
    print("| query | snapshot p50 | p95 | csv scan p50 | p95 | found (snapshot / csv) |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, r in queries.items():
        print(f"| {kind} | {r['snapshot_ms_p50']:.2f} | {r['snapshot_ms_p95']:.2f} | "
              f"{r['csv_scan_ms_p50']:.2f} | {r['csv_scan_ms_p95']:.2f} | "
              f"{r['answers_found_snapshot']} / {r['answers_found_csv_scan']} |")  # fmt: skip
    report = {
        "machine": {"python": platform.python_version(), "processor": platform.processor(),
                    "system": platform.platform()},
        "imports": imports,
        "baseline": "csv-scan: publisher CSVs parsed once with the csv module, each query "
                    "answered by scanning the rows in Python; resolve knows the files' names only",
        "baseline_load_s": baseline.load_seconds,
        "queries": queries,
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
