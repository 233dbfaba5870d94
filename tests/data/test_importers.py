"""Each importer on the real publisher files, checked against the same files read with csv."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from civicllm.data.importers import parse_file

from .conftest import read_rows

WB_FILES = [
    "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv",
    "API_EG.ELC.LOSS.ZS_DS2_en_csv_v2_5973.csv",
    "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv",
]


@pytest.mark.parametrize("name", WB_FILES)
def test_world_bank_api_csv(files: Path, name: str) -> None:
    rows = read_rows(files / name)
    header, body = rows[4], [r for r in rows[5:] if r]
    stated = next(r[1] for r in rows[:4] if r and r[0] == "Last Updated Date")
    cells = [
        (r[3], r[1], int(y), float(v))
        for r in body
        for y, v in zip(header[4:], r[4:], strict=True)
        if y and v
    ]
    parsed = parse_file(files / name)
    assert parsed.format == "wb-api" and parsed.release == stated
    assert parsed.rows == len(cells)
    assert {p.code for p in parsed.places} == {r[1] for r in body}
    got = list(
        zip(parsed.obs_indicator, parsed.obs_place, parsed.obs_year, parsed.obs_value, strict=True)
    )
    assert got == cells
    assert [i.code for i in parsed.indicators] == sorted({r[3] for r in body})


def test_databank_export(files: Path) -> None:
    path = files / "WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv"
    rows = read_rows(path)
    header = rows[0]
    data = [r for r in rows[1:] if r and r[1]]
    values = [
        (r[3], r[1], int(h[:4]), float(v))
        for r in data
        for h, v in zip(header[4:], r[4:], strict=True)
        if v != ".."
    ]
    parsed = parse_file(path)
    assert parsed.format == "wb-databank"
    assert parsed.release == "2025-01-28"  # from the footer "Last Updated: 01/28/2025"
    assert any(r and r[0] == "Last Updated: 01/28/2025" for r in rows)
    assert parsed.rows == len(values)
    assert sorted(
        zip(parsed.obs_indicator, parsed.obs_place, parsed.obs_year, parsed.obs_value, strict=True)
    ) == sorted(values)
    assert {i.code for i in parsed.indicators} == {r[3] for r in data}
    urban = next(i for i in parsed.indicators if i.code == "EG.ELC.ACCS.UR.ZS")
    assert urban.unit == "%"


def test_country_metadata(files: Path) -> None:
    path = files / "Metadata_Country_API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"
    rows = read_rows(path)[1:]
    parsed = parse_file(path)
    assert parsed.format == "wb-country" and parsed.release is None
    assert parsed.rows == len(rows)
    by_code = {p.code: p for p in parsed.places}
    for row in rows[:: len(rows) // 10]:
        place = by_code[row[0]]
        assert (place.region, place.income_group, place.name) == (row[1], row[2], row[4])
        assert place.kind == ("country" if row[1] else "")


def test_indicator_metadata(files: Path) -> None:
    path = files / "Metadata_Indicator_API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv"
    row = read_rows(path)[1]
    parsed = parse_file(path)
    assert parsed.format == "wb-indicator"
    [meta] = parsed.indicators
    assert (meta.code, meta.name, meta.source_note, meta.source_org) == tuple(row[:4])


def test_owid_grapher_with_metadata(files: Path) -> None:
    path = files / "population-using-at-least-basic-drinking-water.csv"
    rows = read_rows(path)
    meta = json.loads(path.with_name(path.stem + ".metadata.json").read_text())
    column = meta["columns"][rows[0][3]]
    parsed = parse_file(path)
    assert parsed.format == "owid"
    assert parsed.release == column["lastUpdated"]
    assert parsed.indicators[0].code == column["shortName"]
    assert parsed.source_url == meta["chart"]["originalChartUrl"].split("?")[0]
    assert parsed.rows == len(rows) - 1
    assert parsed.obs_value == [float(r[3]) for r in rows[1:]]
    # OWID's own world code is the World Bank's; places without a code are aggregates.
    assert "WLD" in parsed.obs_place and "OWID_WRL" not in parsed.obs_place
    codeless = {r[0] for r in rows[1:] if not r[1]}
    assert codeless and {p.name for p in parsed.places if p.kind == "aggregate"} >= codeless


def test_owid_grapher_without_metadata_states_no_release(files: Path) -> None:
    parsed = parse_file(files / "proportion-using-safely-managed-drinking-water.csv")
    assert parsed.format == "owid" and parsed.release is None
    assert (
        parsed.rows
        == len(read_rows(files / "proportion-using-safely-managed-drinking-water.csv")) - 1
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        (WB_FILES[0], "wb-api"),
        ("WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv", "wb-databank"),
        ("Metadata_Country_API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv", "wb-country"),
        ("proportion-using-safely-managed-drinking-water.csv", "owid"),
    ],
)
def test_format_comes_from_the_content_not_the_name(
    files: Path, tmp_path: Path, name: str, kind: str
) -> None:
    copy = tmp_path / "download.txt"
    shutil.copyfile(files / name, copy)
    assert parse_file(copy).format == kind
