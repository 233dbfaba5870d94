"""The query API over the shipped snapshot: names, values, series, coverage, releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicllm.data import Snapshot
from civicllm.errors import InputError

from .conftest import read_rows


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kenya", "KEN"),
        ("Kenia", "KEN"),
        ("KEN", "KEN"),
        ("ken", "KEN"),
        ("Chad", "TCD"),
        ("Tchad", "TCD"),
        ("Tschad", "TCD"),
        ("le Tchad", "TCD"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("CÔTE D’IVOIRE", "CIV"),
        ("Elfenbeinküste", "CIV"),
        ("Costa de Marfil", "CIV"),
        ("Sub-Saharan Africa", "SSF"),
        ("Afrique subsaharienne", "SSF"),
        ("África subsahariana", "SSF"),
        ("Africa subsahariana", "SSF"),
        ("Subsahara-Afrika", "SSF"),
        ("Low income", "LIC"),
        ("ingreso bajo", "LIC"),
        ("faible revenu", "LIC"),
        ("niedriges Einkommen", "LIC"),
        ("World", "WLD"),
        ("Mundo", "WLD"),
        ("Monde", "WLD"),
        ("Welt", "WLD"),
        ("Deutschland", "DEU"),
        ("Allemagne", "DEU"),
        ("Alemania", "DEU"),
        ("Yemen, Rep.", "YEM"),
        ("Yemen", "YEM"),
        ("Estados Unidos", "USA"),
        ("Kosovo", "XKX"),
        ("Europe & Central Asia", "ECS"),
        ("Europe and Central Asia", "ECS"),
        ("Middle East & North Africa", "MEA"),
    ],
)
def test_resolve_names_in_four_languages(snapshot: Snapshot, name: str, code: str) -> None:
    place = snapshot.resolve(name)
    assert place is not None, name
    assert place.code == code


def test_resolve_unknown_is_none(snapshot: Snapshot) -> None:
    assert snapshot.resolve("Atlantis") is None
    assert snapshot.resolve("") is None


def test_place_kinds_and_groups(snapshot: Snapshot) -> None:
    kenya = snapshot.resolve("Kenya")
    assert kenya is not None and kenya.kind == "country"
    assert (kenya.region, kenya.income_group) == ("SSF", "LMC")
    assert snapshot.resolve("Sub-Saharan Africa").kind == "region"  # type: ignore[union-attr]
    assert snapshot.resolve("Low income").kind == "income_group"  # type: ignore[union-attr]
    owid = snapshot.resolve("Sub-Saharan Africa (UN)")
    assert owid is not None and owid.kind == "aggregate"
    assert owid.name == "Sub-Saharan Africa (UN)"


def test_members_follow_the_country_metadata(snapshot: Snapshot, files: Path) -> None:
    meta = read_rows(files / "Metadata_Country_API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv")
    ssa = {r[0] for r in meta[1:] if r[1] == "Sub-Saharan Africa"}
    low = {r[0] for r in meta[1:] if r[2] == "Low income"}
    middle = {r[0] for r in meta[1:] if r[2] in ("Lower middle income", "Upper middle income")}
    group = snapshot.resolve("SSF")
    assert group is not None
    assert {p.code for p in snapshot.members(group)} == ssa
    assert {p.code for p in snapshot.members(snapshot.resolve("LIC"))} == low  # type: ignore[arg-type]
    assert {p.code for p in snapshot.members(snapshot.resolve("MIC"))} == middle  # type: ignore[arg-type]
    assert snapshot.members(snapshot.resolve("Euro area")) == []  # type: ignore[arg-type]


def _wb_value(path: Path, code: str, year: int) -> str:
    rows = read_rows(path)
    header = rows[4]
    row = next(r for r in rows[5:] if r and r[1] == code)
    return row[header.index(str(year))]


def test_latest_year_is_the_last_year_with_a_value(snapshot: Snapshot, files: Path) -> None:
    path = files / "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"
    rows = read_rows(path)
    header = rows[4]
    kenya = next(r for r in rows[5:] if r and r[1] == "KEN")
    filled = [(int(y), v) for y, v in zip(header[4:], kenya[4:], strict=True) if y and v]
    year, text = filled[-1]
    obs = snapshot.value("electricity_access", "KEN")
    assert obs is not None
    assert (obs.year, obs.value) == (year, float(text))
    assert obs.release == "2026-07-01"
    assert obs.source_url == "https://data.worldbank.org/indicator/EG.ELC.ACCS.ZS?locations=KE"


def test_a_year_without_a_value_is_none(snapshot: Snapshot, files: Path) -> None:
    path = files / "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"
    assert _wb_value(path, "KEN", 1980) == ""  # the file has no value that year
    assert snapshot.value("electricity_access", "KEN", 1980) is None
    assert _wb_value(path, "KEN", 2024) == ""
    assert snapshot.value("electricity_access", "KEN", 2024) is None
    assert snapshot.value("electricity_access", "ZZZ") is None


def test_series_is_ordered_and_bounded(snapshot: Snapshot, files: Path) -> None:
    path = files / "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv"
    series = snapshot.series("electricity_access", "TCD", 2010, 2015)
    assert [o.year for o in series] == list(range(2010, 2016))
    assert [o.value for o in series] == [
        float(_wb_value(path, "TCD", y)) for y in range(2010, 2016)
    ]


def test_to_data_matches_the_spec_entry(snapshot: Snapshot) -> None:
    obs = snapshot.value("population", "KEN", 2020)
    assert obs is not None
    data = obs.to_data()
    assert set(data) == {
        "country_code", "country", "indicator", "indicator_name", "year", "value", "unit",
        "dataset", "release", "source_url", "derived",
    }  # fmt: skip
    assert data["indicator"] == "SP.POP.TOTL" and data["unit"] == "people"
    assert isinstance(data["value"], int) and data["derived"] is None


def test_owid_values_and_links(snapshot: Snapshot, files: Path) -> None:
    rows = read_rows(files / "proportion-using-safely-managed-drinking-water.csv")
    assert not any(r[1] == "KEN" for r in rows[1:])  # no JMP safely-managed estimate
    assert snapshot.value("water_safely_managed", "KEN") is None
    last = max((r for r in rows[1:] if r[1] == "GHA"), key=lambda r: int(r[2]))
    obs = snapshot.value("water_safely_managed", "GHA")
    assert obs is not None
    assert (obs.year, obs.value) == (int(last[2]), float(last[3]))
    assert obs.source_url.endswith("/proportion-using-safely-managed-drinking-water?country=GHA")
    assert obs.dataset == "Our World in Data" and obs.release == "2024-02-12"


def test_urban_rural_come_from_the_older_databank_release(snapshot: Snapshot) -> None:
    info = snapshot.indicator("electricity_access_urban")
    assert (info.code, info.release, info.last_year) == ("EG.ELC.ACCS.UR.ZS", "2025-01-28", 2022)
    # total access is in both files: the newer API CSV is the default, the older one asked for
    assert snapshot.indicator("electricity_access").release == "2026-07-01"
    old = snapshot.value("electricity_access", "KEN", 2022, release="2025-01-28")
    assert old is not None and old.release == "2025-01-28"


def test_coverage_flags_the_2023_sub_saharan_td_losses(snapshot: Snapshot, files: Path) -> None:
    # The published 2023 aggregate equals Kenya's own value ...
    region = snapshot.value("td_losses", "SSF", 2023)
    kenya = snapshot.value("td_losses", "KEN", 2023)
    assert region is not None and kenya is not None and region.value == kenya.value
    # ... and coverage says how few of the region's countries report that year.
    with_value, members = snapshot.coverage("td_losses", "SSF", 2023)  # type: ignore[misc]
    meta = read_rows(files / "Metadata_Country_API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv")
    ssa = {r[0] for r in meta[1:] if r[1] == "Sub-Saharan Africa"}
    path = files / "API_EG.ELC.LOSS.ZS_DS2_en_csv_v2_5973.csv"
    expected = sum(1 for code in ssa if _wb_value(path, code, 2023))
    assert (with_value, members) == (expected, len(ssa))
    assert with_value / members < 0.25
    full = snapshot.coverage("td_losses", "SSF", 2015)
    assert full is not None and full[0] > with_value
    assert snapshot.coverage("td_losses", "EMU", 2023) is None  # members unknown


def test_unknown_indicator_and_release_are_input_errors(snapshot: Snapshot) -> None:
    with pytest.raises(InputError) as caught:
        snapshot.value("rainfall", "KEN")
    assert caught.value.param == "indicator"
    with pytest.raises(InputError) as caught:
        snapshot.value("electricity_access", "KEN", release="1999-01-01")
    assert caught.value.param == "release"


def test_localized_names(snapshot: Snapshot) -> None:
    assert snapshot.localized_name("TCD", "de") == "Tschad"
    assert snapshot.localized_name("TCD", "fr") == "Tchad"
    assert snapshot.localized_name("SSF", "es") == "África subsahariana"
    assert snapshot.localized_name("KEN", "en") == "Kenya"


def test_threads_opening_a_fresh_snapshot_at_once_both_get_it(tmp_path: Path) -> None:
    # The server prepares the snapshot while a first question may already open it.
    from concurrent.futures import ThreadPoolExecutor

    from civicllm.data import open_snapshot

    with ThreadPoolExecutor(max_workers=3) as pool:
        opened = list(pool.map(lambda _: open_snapshot(tmp_path), range(3)))
    try:
        assert {s.value("electricity_access", "KEN").year for s in opened} == {  # type: ignore[union-attr]
            opened[0].value("electricity_access", "KEN").year  # type: ignore[union-attr]
        }
    finally:
        for snapshot in opened:
            snapshot.close()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Demokratischen Republik Kongo", "COD"),
        ("der Demokratischen Republik Kongo", "COD"),
        ("Democratic Republic of Congo", "COD"),
        ("Congo (Kinshasa)", "COD"),
        ("RD del Congo", "COD"),
        ("Republic of Congo", "COG"),
        ("Kongo-Brazzaville", "COG"),
        ("Vereinigten Arabischen Emiraten", "ARE"),
        ("Zentralafrikanischen Republik", "CAF"),
        ("Dominikanischen Republik", "DOM"),
    ],
)
def test_resolve_reads_declined_and_article_free_names(
    snapshot: Snapshot, name: str, code: str
) -> None:
    place = snapshot.resolve(name)
    assert place is not None, name
    assert place.code == code


def test_a_loose_name_two_places_share_resolves_to_neither() -> None:
    from civicllm.data.places import NameIndex, load_place_table

    names = [("AAA", "Grossen Land"), ("BBB", "Grosser Land")]
    index = NameIndex(dict(names), names, load_place_table())
    assert index.lookup("Grossen Land") == "AAA" and index.lookup("Grosser Land") == "BBB"
    assert index.lookup("the Grossen Land") == "AAA"
    # Read loosely, "Grosses Land" is both of them: it names neither.
    assert index.lookup("Grosses Land") is None
    solo = NameIndex({"AAA": "Grossen Land"}, [("AAA", "Grossen Land")], load_place_table())
    assert solo.lookup("Grosses Land") == "AAA"
