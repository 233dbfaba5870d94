"""Fixtures: one snapshot for the session, and the publisher files read with ``csv``.

Expected numbers are always read here from the publisher files themselves (the copies in
``../shared/data/water_energy``, or the ones civicllm ships when that folder is absent),
never typed into a test.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from civicllm.data import Snapshot, open_snapshot

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "water_energy"


def data_dir() -> Path:
    """Return the folder of the publisher files."""
    if SHARED.is_dir():
        return SHARED
    from civicllm.data import shipped_dir

    return shipped_dir()


class PublisherFiles:
    """The publisher files, read with the csv module: values by (indicator, place, year)."""

    WB: ClassVar[dict[str, str]] = {
        "electricity_access": "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv",
        "td_losses": "API_EG.ELC.LOSS.ZS_DS2_en_csv_v2_5973.csv",
        "population": "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv",
    }
    OWID: ClassVar[dict[str, str]] = {
        "water_basic": "population-using-at-least-basic-drinking-water.csv",
        "water_safely_managed": "proportion-using-safely-managed-drinking-water.csv",
    }
    DATABANK = "WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv"
    DATABANK_SERIES: ClassVar[dict[str, str]] = {
        "electricity_access_urban": "EG.ELC.ACCS.UR.ZS",
        "electricity_access_rural": "EG.ELC.ACCS.RU.ZS",
    }
    METADATA = "Metadata_Country_API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.values: dict[str, dict[str, dict[int, float]]] = {}
        for indicator, name in self.WB.items():
            self.values[indicator] = self._wb(folder / name)
        for indicator, name in self.OWID.items():
            self.values[indicator] = self._owid(folder / name)
        for indicator, code in self.DATABANK_SERIES.items():
            self.values[indicator] = self._databank(folder / self.DATABANK, code)
        self.region: dict[str, str] = {}
        self.income: dict[str, str] = {}
        self.names: dict[str, str] = {}
        with (folder / self.METADATA).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Region"]:
                    self.region[row["Country Code"]] = row["Region"]
                    self.income[row["Country Code"]] = row["IncomeGroup"]
                self.names[row["Country Code"]] = row["TableName"]

    @staticmethod
    def _wb(path: Path) -> dict[str, dict[int, float]]:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        header = next(
            i for i, row in enumerate(rows) if row[:2] == ["Country Name", "Country Code"]
        )
        years = rows[header][4:]
        out: dict[str, dict[int, float]] = {}
        for row in rows[header + 1 :]:
            if len(row) < 4:
                continue
            out[row[1]] = {
                int(y): float(v) for y, v in zip(years, row[4:], strict=False) if y and v
            }
        return out

    @staticmethod
    def _owid(path: Path) -> dict[str, dict[int, float]]:
        out: dict[str, dict[int, float]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for _entity, code, year, value in reader:
                if code and value:
                    out.setdefault(code, {})[int(year)] = float(value)
        return out

    @staticmethod
    def _databank(path: Path, series: str) -> dict[str, dict[int, float]]:
        out: dict[str, dict[int, float]] = {}
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("Series Code") != series:
                    continue
                out[row["Country Code"]] = {
                    int(k[:4]): float(v)
                    for k, v in row.items()
                    if k and k[:4].isdigit() and v not in ("", "..")
                }
        return out

    def get(self, indicator: str, code: str, year: int) -> float | None:
        """Return the file's value, or None when the file has none."""
        return self.values[indicator].get(code, {}).get(year)

    def latest(self, indicator: str, code: str) -> tuple[int, float]:
        """Return (year, value) of the latest year with a value."""
        series = self.values[indicator][code]
        year = max(series)
        return year, series[year]

    def members(self, region_or_income: str) -> list[str]:
        """Return the country codes whose Region or IncomeGroup is this English name."""
        return sorted(
            code
            for code in self.region
            if region_or_income in (self.region[code], self.income[code])
        )


@pytest.fixture(scope="session")
def files() -> PublisherFiles:
    """The publisher files, read once."""
    return PublisherFiles(data_dir())


@pytest.fixture(scope="session")
def snapshot_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home directory whose snapshot is imported once for the session."""
    home = tmp_path_factory.mktemp("water-energy-home")
    open_snapshot(home)
    return home


@pytest.fixture(autouse=True)
def use_snapshot_home(
    isolated_environment: None, snapshot_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point the tools at the session's snapshot (after the environment is cleaned)."""
    monkeypatch.setenv("CIVICLLM_HOME", str(snapshot_home))
    yield


@pytest.fixture
def snapshot(snapshot_home: Path) -> Snapshot:
    """The session's snapshot, as the tools see it."""
    from civicllm.tools.water_energy.access import snapshot_at

    return snapshot_at(snapshot_home.resolve())
