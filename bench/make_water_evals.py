"""Write the water-energy eval questions, with every expected number computed from the files.

    .venv/bin/python bench/make_water_evals.py [--data DIR] [--out FILE] [--check]

The publisher files are read here with the standard ``csv`` and ``json`` modules only, never
through ``civicllm.data``: the expected numbers are an independent reading of the same bytes,
so a bug in the importer or the tools shows up as a wrong answer instead of being copied into
the answer key. Which places, years and indicators are asked is chosen below by hand (and
written in four languages); every number is computed. The output is deterministic: running the
script twice writes the same file, and ``--check`` fails when the committed file differs.

Rounding rules (``rule`` on each expected number; ``civicllm.evals.numeric`` applies them):
  percent  a share in %, expected to one decimal (76.2); more decimals are fine if they
           round the raw value correctly; a whole number only when the value is whole.
  points   a difference of two shares (change over time, urban-rural gap), one decimal,
           sign ignored (the words say "rose"/"fell"); ``accept`` lists the other correct
           reading (difference of the rounded shares).
  people   a head count, the nearest whole person (within 1, for float rounding), or
           scaled with at least 3 significant figures ("12.3 million", "12,3 millones").
  count    a whole number stated exactly (countries with a value, members of a group).
  year     the year the answer must name (a "latest" question names no year).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "src/civicllm/data/files"
SHARED = ROOT.parent / "shared/data/water_energy"
OUT = ROOT / "src/civicllm/packs/water-energy/evals/questions.yaml"
LANGUAGES = ("en", "es", "fr", "de")

FILES = {
    "electricity_access": "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv",
    "td_losses": "API_EG.ELC.LOSS.ZS_DS2_en_csv_v2_5973.csv",
    "population": "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv",
    "urban_rural": "WDI_DataBank_electricity_access_urban_rural_2025-01-28.csv",
    "water_basic": "population-using-at-least-basic-drinking-water.csv",
    "water_safely_managed": "proportion-using-safely-managed-drinking-water.csv",
    "countries": "Metadata_Country_API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_3606.csv",
}
URBAN, RURAL = "EG.ELC.ACCS.UR.ZS", "EG.ELC.ACCS.RU.ZS"

# World Bank groups used for ranking: the Metadata_Country field and label of their members.
GROUPS: dict[str, tuple[str, str]] = {
    "SSF": ("Region", "Sub-Saharan Africa"),
    "SAS": ("Region", "South Asia"),
    "LCN": ("Region", "Latin America & Caribbean"),
    "EAS": ("Region", "East Asia & Pacific"),
    "ECS": ("Region", "Europe & Central Asia"),
    "LIC": ("IncomeGroup", "Low income"),
    "LMC": ("IncomeGroup", "Lower middle income"),
    "UMC": ("IncomeGroup", "Upper middle income"),
}


# ----------------------------------------------------------------------------- reading


Series = dict[str, dict[int, float]]  # place code -> year -> value


def read_api_csv(path: Path) -> Series:
    """Read a World Bank API CSV (4 preamble lines, then one row per economy)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(i for i, row in enumerate(rows) if row[:2] == ["Country Name", "Country Code"])
    years = rows[header][4:]
    out: Series = {}
    for row in rows[header + 1 :]:
        if len(row) < 4:
            continue
        out[row[1]] = {
            int(y): float(v) for y, v in zip(years, row[4:], strict=False) if y.isdigit() and v
        }
    return out


def read_databank(path: Path, series_code: str) -> Series:
    """Read one series of a DataBank export (``..`` is missing; the footer is skipped)."""
    out: Series = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        years = [int(h.split(" ")[0]) for h in header[4:]]
        for row in reader:
            if len(row) < 4 or row[3] != series_code:
                continue
            out[row[1]] = {y: float(v) for y, v in zip(years, row[4:], strict=False) if v != ".."}
    return out


def read_owid(path: Path) -> Series:
    """Read an OWID grapher CSV (Entity, Code, Year, value), countries keyed by ISO3."""
    out: Series = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for entity, code, year, value in reader:
            if value:
                out[code or entity][int(year)] = float(value)
    return dict(out)


def read_countries(path: Path) -> dict[str, dict[str, str]]:
    """Read the World Bank country metadata (Region, IncomeGroup per code)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["Country Code"]: row for row in csv.DictReader(handle)}


class Data:
    """Every file this script needs, read once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.series: dict[str, Series] = {
            "electricity_access": read_api_csv(folder / FILES["electricity_access"]),
            "td_losses": read_api_csv(folder / FILES["td_losses"]),
            "population": read_api_csv(folder / FILES["population"]),
            "electricity_access_urban": read_databank(folder / FILES["urban_rural"], URBAN),
            "electricity_access_rural": read_databank(folder / FILES["urban_rural"], RURAL),
            "water_basic": read_owid(folder / FILES["water_basic"]),
            "water_safely_managed": read_owid(folder / FILES["water_safely_managed"]),
        }
        self.countries = read_countries(folder / FILES["countries"])

    def value(self, indicator: str, place: str, year: int | None) -> tuple[int, float]:
        """Return (year, value); year None is the place's latest year with a value."""
        row = self.series[indicator].get(place, {})
        if year is None:
            if not row:
                raise SystemExit(f"{indicator} {place}: no values at all")
            year = max(row)
        if year not in row:
            raise SystemExit(f"{indicator} {place} {year}: no value in the file")
        return year, row[year]

    def has(self, indicator: str, place: str, year: int | None) -> bool:
        """Return True when the file has a value (any year when ``year`` is None)."""
        row = self.series[indicator].get(place, {})
        return bool(row) if year is None else year in row

    def members(self, group: str) -> list[str]:
        """Return the economies of a World Bank region or income group, sorted."""
        field, label = GROUPS[group]
        return sorted(c for c, row in self.countries.items() if row.get(field) == label)


# ----------------------------------------------------------------------------- numbers


def pct(what: str, raw: float) -> dict[str, Any]:
    """An expected share, shown to one decimal."""
    return {"what": what, "value": round(raw, 1), "raw": raw, "rule": "percent"}


def points(what: str, raw: float, accept: Iterable[float] = ()) -> dict[str, Any]:
    """An expected difference of shares, one decimal, sign ignored."""
    shown = round(abs(raw), 1)
    others = sorted({round(abs(a), 1) for a in accept} - {shown})
    entry: dict[str, Any] = {"what": what, "value": shown, "raw": raw, "rule": "points"}
    if others:
        entry["accept"] = others
    return entry


def people(what: str, raw: float) -> dict[str, Any]:
    """An expected head count, the nearest whole person."""
    return {"what": what, "value": round(raw), "raw": raw, "rule": "people"}


def count(what: str, value: int) -> dict[str, Any]:
    """An expected whole number, exactly."""
    return {"what": what, "value": value, "raw": value, "rule": "count"}


def year_named(year: int) -> dict[str, Any]:
    """The year a "latest" answer must name."""
    return {"what": "year of the latest value", "value": year, "raw": year, "rule": "year"}


def tidy(values: Iterable[float]) -> list[float]:
    """Return values deduplicated and sorted, for the ``allowed`` list."""
    return sorted({float(v) for v in values})


# ----------------------------------------------------------------------------- questions
# Each question as a citizen might ask it, with what it asks for; the expected numbers are
# computed from the files by the builders below. Written by hand, per language.

V, C, K, R, A, W, U, D, M, X = (
    "value",
    "change",
    "comparison",
    "ranking",
    "aggregate",
    "without_access",
    "urban_rural",
    "definition",
    "missing",
    "out_of_scope",
)
ELEC, LOSS, BASIC, SAFE = "electricity_access", "td_losses", "water_basic", "water_safely_managed"
Spec = tuple[str, str, str, dict[str, Any]]

SPECS: list[Spec] = [
    # --------------------------------------------------------------------- English
    (
        "en",
        V,
        "What share of Kenya's population had access to electricity in 2023?",
        {"indicator": ELEC, "place": "KEN", "year": 2023},
    ),
    (
        "en",
        V,
        "What is the most recent figure for people using at least basic drinking water "
        "in Ethiopia?",
        {"indicator": BASIC, "place": "ETH", "year": None},
    ),
    (
        "en",
        V,
        "How much electricity was lost in transmission and distribution in India in 2020, "
        "as a share of output?",
        {"indicator": LOSS, "place": "IND", "year": 2020},
    ),
    (
        "en",
        V,
        "In 2022, what percentage of Nigerians used safely managed drinking water?",
        {"indicator": SAFE, "place": "NGA", "year": 2022},
    ),
    (
        "en",
        C,
        "How did access to electricity in Kenya change between 2000 and 2023?",
        {"indicator": ELEC, "place": "KEN", "start": 2000, "end": 2023},
    ),
    (
        "en",
        C,
        "By how many percentage points did basic drinking water coverage in Nigeria change "
        "from 2000 to 2024?",
        {"indicator": BASIC, "place": "NGA", "start": 2000, "end": 2024},
    ),
    (
        "en",
        C,
        "Did Brazil's transmission and distribution losses go up or down from 2010 to 2020, "
        "and by how much?",
        {"indicator": LOSS, "place": "BRA", "start": 2010, "end": 2020},
    ),
    (
        "en",
        K,
        "Compare access to electricity in Kenya, Uganda and Tanzania in 2023.",
        {"indicator": ELEC, "places": ["KEN", "UGA", "TZA"], "year": 2023},
    ),
    (
        "en",
        K,
        "Which had a higher share of people using at least basic drinking water in 2024: "
        "India, Pakistan or Bangladesh?",
        {"indicator": BASIC, "places": ["IND", "PAK", "BGD"], "year": 2024},
    ),
    (
        "en",
        K,
        "How do Ghana's and Nigeria's transmission and distribution losses compare in 2022?",
        {"indicator": LOSS, "places": ["GHA", "NGA"], "year": 2022},
    ),
    (
        "en",
        R,
        "Which country in Sub-Saharan Africa had the lowest access to electricity in 2023?",
        {"indicator": ELEC, "group": "SSF", "year": 2023, "order": "lowest", "limit": 1},
    ),
    (
        "en",
        R,
        "Among South Asian countries, which had the highest transmission and distribution "
        "losses in 2022?",
        {"indicator": LOSS, "group": "SAS", "year": 2022, "order": "highest", "limit": 1},
    ),
    (
        "en",
        R,
        "Which three low-income countries had the lowest share of people using at least "
        "basic drinking water in 2024?",
        {"indicator": BASIC, "group": "LIC", "year": 2024, "order": "lowest", "limit": 3},
    ),
    (
        "en",
        A,
        "What were transmission and distribution losses for Sub-Saharan Africa as a whole in 2023?",
        {"indicator": LOSS, "place": "SSF", "year": 2023},
    ),
    (
        "en",
        A,
        "What share of the world's population had access to electricity in 2023?",
        {"indicator": ELEC, "place": "WLD", "year": 2023},
    ),
    (
        "en",
        A,
        "What was access to electricity across low-income countries in 2020?",
        {"indicator": ELEC, "place": "LIC", "year": 2020},
    ),
    (
        "en",
        W,
        "How many people in Nigeria lacked access to electricity in 2023?",
        {"indicator": ELEC, "place": "NGA", "year": 2023},
    ),
    (
        "en",
        W,
        "How many Ethiopians did not have at least basic drinking water in 2024?",
        {"indicator": BASIC, "place": "ETH", "year": 2024},
    ),
    (
        "en",
        W,
        "How many people in Chad were without safely managed drinking water in 2022?",
        {"indicator": SAFE, "place": "TCD", "year": 2022},
    ),
    (
        "en",
        W,
        "How many people in Malawi live without electricity, according to the latest data?",
        {"indicator": ELEC, "place": "MWI", "year": None},
    ),
    (
        "en",
        U,
        "How big was the gap between urban and rural access to electricity in Kenya in 2022?",
        {"place": "KEN", "year": 2022},
    ),
    (
        "en",
        U,
        "In India, how does access to electricity in cities compare with the countryside, "
        "based on the latest data?",
        {"place": "IND", "year": None},
    ),
    (
        "en",
        U,
        "What were urban and rural access to electricity in Nigeria in 2015?",
        {"place": "NGA", "year": 2015},
    ),
    ("en", D, "What does 'safely managed drinking water' mean?", {"topic": "safely_managed"}),
    ("en", D, "What do transmission and distribution losses measure?", {"topic": "td_losses"}),
    (
        "en",
        D,
        "What counts as having access to electricity in these statistics?",
        {"topic": "electricity_access"},
    ),
    (
        "en",
        M,
        "What share of Kenyans had electricity in 1985?",
        {"indicator": ELEC, "place": "KEN", "year": 1985},
    ),
    (
        "en",
        M,
        "What share of Kenya's population uses safely managed drinking water?",
        {"indicator": SAFE, "place": "KEN", "year": None},
    ),
    (
        "en",
        M,
        "What was access to electricity in Taiwan in 2023?",
        {"indicator": ELEC, "place": "TWN", "year": 2023},
    ),
    ("en", X, "What will the weather be like in Nairobi tomorrow?", {}),
    ("en", X, "Can you pay my electricity bill for me?", {}),
    ("en", X, "Which party should I vote for in the next election?", {}),
    # --------------------------------------------------------------------- Spanish
    (
        "es",
        V,
        "¿Cuál es el dato más reciente de acceso a la electricidad en Perú?",
        {"indicator": ELEC, "place": "PER", "year": None},
    ),
    (
        "es",
        V,
        "¿Qué porcentaje de la población de Bolivia usaba al menos agua potable básica en 2024?",
        {"indicator": BASIC, "place": "BOL", "year": 2024},
    ),
    (
        "es",
        V,
        "¿Cuánta electricidad se perdió en la transmisión y distribución en México en 2021?",
        {"indicator": LOSS, "place": "MEX", "year": 2021},
    ),
    (
        "es",
        V,
        "¿Qué proporción de la población de Chad tenía agua potable gestionada de forma "
        "segura en 2020?",
        {"indicator": SAFE, "place": "TCD", "year": 2020},
    ),
    (
        "es",
        C,
        "¿Cómo evolucionó el acceso a la electricidad en Haití entre 2010 y 2023?",
        {"indicator": ELEC, "place": "HTI", "start": 2010, "end": 2023},
    ),
    (
        "es",
        C,
        "¿Cuánto cambió el porcentaje de personas con al menos agua potable básica en Perú "
        "de 2010 a 2024?",
        {"indicator": BASIC, "place": "PER", "start": 2010, "end": 2024},
    ),
    (
        "es",
        C,
        "¿En cuántos puntos aumentó el acceso a la electricidad en Guatemala entre 2000 y 2020?",
        {"indicator": ELEC, "place": "GTM", "start": 2000, "end": 2020},
    ),
    (
        "es",
        K,
        "Compara el acceso a la electricidad en Perú, Bolivia y Colombia en 2022.",
        {"indicator": ELEC, "places": ["PER", "BOL", "COL"], "year": 2022},
    ),
    (
        "es",
        K,
        "¿Dónde había más acceso a agua potable al menos básica en 2024, en Guatemala o en "
        "Honduras?",
        {"indicator": BASIC, "places": ["GTM", "HND"], "year": 2024},
    ),
    (
        "es",
        K,
        "Compara las pérdidas de transmisión y distribución de electricidad de México y "
        "España en 2023.",
        {"indicator": LOSS, "places": ["MEX", "ESP"], "year": 2023},
    ),
    (
        "es",
        R,
        "¿Qué país de América Latina y el Caribe tenía el menor acceso a la electricidad en 2023?",
        {"indicator": ELEC, "group": "LCN", "year": 2023, "order": "lowest", "limit": 1},
    ),
    (
        "es",
        R,
        "¿Cuáles son los tres países de ingreso bajo con más acceso a la electricidad en 2023?",
        {"indicator": ELEC, "group": "LIC", "year": 2023, "order": "highest", "limit": 3},
    ),
    (
        "es",
        R,
        "¿Qué país de Asia oriental y el Pacífico tuvo las mayores pérdidas de transmisión y "
        "distribución de electricidad en 2021?",
        {"indicator": LOSS, "group": "EAS", "year": 2021, "order": "highest", "limit": 1},
    ),
    (
        "es",
        A,
        "¿Cuáles fueron las pérdidas de transmisión y distribución de electricidad en el "
        "África subsahariana en 2023?",
        {"indicator": LOSS, "place": "SSF", "year": 2023},
    ),
    (
        "es",
        A,
        "¿Qué porcentaje de la población de América Latina y el Caribe tenía acceso a la "
        "electricidad en 2023?",
        {"indicator": ELEC, "place": "LCN", "year": 2023},
    ),
    (
        "es",
        A,
        "¿Cuál era el acceso a la electricidad en Asia meridional en 2010?",
        {"indicator": ELEC, "place": "SAS", "year": 2010},
    ),
    (
        "es",
        W,
        "¿Cuántas personas no tenían acceso a la electricidad en Madagascar en 2023?",
        {"indicator": ELEC, "place": "MDG", "year": 2023},
    ),
    (
        "es",
        W,
        "¿Cuántos habitantes de Haití carecían de agua potable al menos básica en 2024?",
        {"indicator": BASIC, "place": "HTI", "year": 2024},
    ),
    (
        "es",
        W,
        "¿Cuántas personas en Nigeria no usaban agua potable gestionada de forma segura en 2022?",
        {"indicator": SAFE, "place": "NGA", "year": 2022},
    ),
    (
        "es",
        W,
        "¿Cuántas personas siguen sin electricidad en Uganda según el dato más reciente?",
        {"indicator": ELEC, "place": "UGA", "year": None},
    ),
    (
        "es",
        U,
        "¿Cuál era la diferencia entre el acceso a la electricidad urbano y rural en Perú en 2022?",
        {"place": "PER", "year": 2022},
    ),
    (
        "es",
        U,
        "¿Qué diferencia hay entre las zonas urbanas y rurales de Bolivia en acceso a la "
        "electricidad, según el último dato?",
        {"place": "BOL", "year": None},
    ),
    (
        "es",
        U,
        "¿Qué porcentaje de la población urbana y de la rural tenía electricidad en "
        "Guatemala en 2010?",
        {"place": "GTM", "year": 2010},
    ),
    ("es", D, "¿Qué significa tener un servicio básico de agua potable?", {"topic": "basic"}),
    (
        "es",
        D,
        "¿Qué quiere decir agua potable gestionada de forma segura?",
        {"topic": "safely_managed"},
    ),
    (
        "es",
        D,
        "¿Qué miden las pérdidas de transmisión y distribución de electricidad?",
        {"topic": "td_losses"},
    ),
    (
        "es",
        M,
        "¿Qué porcentaje de mexicanos tenía al menos agua potable básica en 1995?",
        {"indicator": BASIC, "place": "MEX", "year": 1995},
    ),
    (
        "es",
        M,
        "¿Qué porcentaje de la población de Nicaragua tenía agua potable básica en 2020?",
        {"indicator": BASIC, "place": "NIC", "year": 2020},
    ),
    (
        "es",
        M,
        "¿Cuál fue el acceso a la electricidad en Perú en 2025?",
        {"indicator": ELEC, "place": "PER", "year": 2025},
    ),
    ("es", X, "¿Me recomiendas un buen restaurante en Lima?", {}),
    ("es", X, "¿Puedes cambiar mi contrato de la luz a otra compañía?", {}),
    ("es", X, "¿Cuál es el mejor equipo de fútbol de España?", {}),
    # --------------------------------------------------------------------- French
    (
        "fr",
        V,
        "Quelle part de la population du Tchad avait accès à l'électricité en 2023 ?",
        {"indicator": ELEC, "place": "TCD", "year": 2023},
    ),
    (
        "fr",
        V,
        "Quel est le dernier chiffre disponible sur l'accès à une eau potable au moins "
        "élémentaire au Sénégal ?",
        {"indicator": BASIC, "place": "SEN", "year": None},
    ),
    (
        "fr",
        V,
        "Quelles étaient les pertes de transport et de distribution d'électricité en Côte "
        "d'Ivoire en 2022 ?",
        {"indicator": LOSS, "place": "CIV", "year": 2022},
    ),
    (
        "fr",
        V,
        "En 2022, quel pourcentage des Éthiopiens utilisait une eau potable gérée en toute "
        "sécurité ?",
        {"indicator": SAFE, "place": "ETH", "year": 2022},
    ),
    (
        "fr",
        C,
        "Comment l'accès à l'électricité a-t-il évolué au Sénégal entre 2005 et 2023 ?",
        {"indicator": ELEC, "place": "SEN", "start": 2005, "end": 2023},
    ),
    (
        "fr",
        C,
        "De combien de points la part de la population du Maroc utilisant une eau potable "
        "gérée en toute sécurité a-t-elle changé entre 2000 et 2022 ?",
        {"indicator": SAFE, "place": "MAR", "start": 2000, "end": 2022},
    ),
    (
        "fr",
        C,
        "Les pertes de transport et de distribution d'électricité de l'Égypte ont-elles "
        "augmenté entre 2015 et 2023 ?",
        {"indicator": LOSS, "place": "EGY", "start": 2015, "end": 2023},
    ),
    (
        "fr",
        K,
        "Comparez l'accès à l'électricité au Sénégal, au Mali et au Niger en 2023.",
        {"indicator": ELEC, "places": ["SEN", "MLI", "NER"], "year": 2023},
    ),
    (
        "fr",
        K,
        "Côte d'Ivoire ou Burkina Faso : où l'eau potable au moins élémentaire était-elle "
        "la plus répandue en 2022 ?",
        {"indicator": BASIC, "places": ["CIV", "BFA"], "year": 2022},
    ),
    (
        "fr",
        K,
        "Comparez les pertes de transport et de distribution d'électricité de la France et "
        "de l'Allemagne en 2023.",
        {"indicator": LOSS, "places": ["FRA", "DEU"], "year": 2023},
    ),
    (
        "fr",
        R,
        "Quel pays d'Asie du Sud avait le plus faible accès à l'électricité en 2023 ?",
        {"indicator": ELEC, "group": "SAS", "year": 2023, "order": "lowest", "limit": 1},
    ),
    (
        "fr",
        R,
        "Parmi les pays d'Afrique subsaharienne, lequel avait la plus faible part de "
        "population utilisant une eau potable au moins élémentaire en 2024 ?",
        {"indicator": BASIC, "group": "SSF", "year": 2024, "order": "lowest", "limit": 1},
    ),
    (
        "fr",
        R,
        "Quels sont les trois pays à revenu intermédiaire de la tranche inférieure où "
        "l'accès à l'électricité était le plus faible en 2023 ?",
        {"indicator": ELEC, "group": "LMC", "year": 2023, "order": "lowest", "limit": 3},
    ),
    (
        "fr",
        A,
        "À combien s'élevaient les pertes de transport et de distribution d'électricité en "
        "Afrique subsaharienne en 2023 ?",
        {"indicator": LOSS, "place": "SSF", "year": 2023},
    ),
    (
        "fr",
        A,
        "Quel était le taux d'accès à l'électricité en Afrique subsaharienne en 2023 ?",
        {"indicator": ELEC, "place": "SSF", "year": 2023},
    ),
    (
        "fr",
        A,
        "Quelles étaient les pertes de transport et de distribution d'électricité au "
        "niveau mondial en 2022 ?",
        {"indicator": LOSS, "place": "WLD", "year": 2022},
    ),
    (
        "fr",
        W,
        "Combien de personnes n'avaient pas accès à l'électricité au Niger en 2023 ?",
        {"indicator": ELEC, "place": "NER", "year": 2023},
    ),
    (
        "fr",
        W,
        "Combien d'habitants de la Côte d'Ivoire n'avaient pas au moins une eau potable "
        "élémentaire en 2024 ?",
        {"indicator": BASIC, "place": "CIV", "year": 2024},
    ),
    (
        "fr",
        W,
        "Combien de personnes en Éthiopie n'utilisaient pas une eau potable gérée en toute "
        "sécurité en 2022 ?",
        {"indicator": SAFE, "place": "ETH", "year": 2022},
    ),
    (
        "fr",
        W,
        "Combien de personnes vivent encore sans électricité au Burkina Faso, selon les "
        "dernières données ?",
        {"indicator": ELEC, "place": "BFA", "year": None},
    ),
    (
        "fr",
        U,
        "Quel était l'écart d'accès à l'électricité entre villes et campagnes au Sénégal en 2022 ?",
        {"place": "SEN", "year": 2022},
    ),
    (
        "fr",
        U,
        "À Madagascar, l'accès à l'électricité est-il très différent en zone urbaine et en "
        "zone rurale, d'après les données les plus récentes ?",
        {"place": "MDG", "year": None},
    ),
    (
        "fr",
        U,
        "Quels étaient les taux d'accès à l'électricité urbain et rural en Côte d'Ivoire en 2012 ?",
        {"place": "CIV", "year": 2012},
    ),
    (
        "fr",
        D,
        "Quelle est la différence entre un service d'eau limité, une source non améliorée "
        "et l'eau de surface ?",
        {"topic": "ladder"},
    ),
    (
        "fr",
        D,
        "Que mesure exactement l'indicateur d'accès à l'électricité ?",
        {"topic": "electricity_access"},
    ),
    (
        "fr",
        D,
        "Que veut dire une eau potable gérée en toute sécurité ?",
        {"topic": "safely_managed"},
    ),
    (
        "fr",
        M,
        "Quelles étaient les pertes de transport et de distribution d'électricité au "
        "Sénégal en 1980 ?",
        {"indicator": LOSS, "place": "SEN", "year": 1980},
    ),
    (
        "fr",
        M,
        "Quelle part de la population de l'Inde utilisait une eau potable gérée en toute "
        "sécurité en 2020 ?",
        {"indicator": SAFE, "place": "IND", "year": 2020},
    ),
    (
        "fr",
        M,
        "Quel était l'accès à l'électricité au Tchad en 1992 ?",
        {"indicator": ELEC, "place": "TCD", "year": 1992},
    ),
    ("fr", X, "Peux-tu me réserver un vol pour Dakar ?", {}),
    ("fr", X, "Comment réparer la fuite de mon robinet ?", {}),
    ("fr", X, "Quel candidat devrais-je soutenir à la présidentielle ?", {}),
    # --------------------------------------------------------------------- German
    (
        "de",
        V,
        "Wie hoch ist der aktuellste Wert für den Zugang zu Elektrizität in Nigeria?",
        {"indicator": ELEC, "place": "NGA", "year": None},
    ),
    (
        "de",
        V,
        "Welcher Anteil der Bevölkerung Kenias nutzte 2020 mindestens eine grundlegende "
        "Trinkwasserversorgung?",
        {"indicator": BASIC, "place": "KEN", "year": 2020},
    ),
    (
        "de",
        V,
        "Wie hoch waren 2022 die Übertragungs- und Verteilungsverluste im Stromnetz von "
        "Deutschland?",
        {"indicator": LOSS, "place": "DEU", "year": 2022},
    ),
    (
        "de",
        V,
        "Wie viel Prozent der Menschen in Mosambik hatten 2015 Zugang zu Elektrizität?",
        {"indicator": ELEC, "place": "MOZ", "year": 2015},
    ),
    (
        "de",
        C,
        "Wie hat sich der Zugang zu Elektrizität in Äthiopien zwischen 2000 und 2023 verändert?",
        {"indicator": ELEC, "place": "ETH", "start": 2000, "end": 2023},
    ),
    (
        "de",
        C,
        "Um wie viele Prozentpunkte ist der Anteil der Menschen in Indien mit mindestens "
        "grundlegender Trinkwasserversorgung von 2000 bis 2024 gestiegen?",
        {"indicator": BASIC, "place": "IND", "start": 2000, "end": 2024},
    ),
    (
        "de",
        C,
        "Wie haben sich die Übertragungs- und Verteilungsverluste in Südafrika von 2010 bis "
        "2023 entwickelt?",
        {"indicator": LOSS, "place": "ZAF", "start": 2010, "end": 2023},
    ),
    (
        "de",
        K,
        "Vergleiche den Zugang zu Elektrizität in Äthiopien, Kenia und Ruanda im Jahr 2023.",
        {"indicator": ELEC, "places": ["ETH", "KEN", "RWA"], "year": 2023},
    ),
    (
        "de",
        K,
        "Wo nutzten 2022 mehr Menschen sicher verwaltetes Trinkwasser: in Nigeria oder in "
        "Äthiopien?",
        {"indicator": SAFE, "places": ["NGA", "ETH"], "year": 2022},
    ),
    (
        "de",
        K,
        "Vergleiche die Übertragungs- und Verteilungsverluste von Indonesien und den "
        "Philippinen im Jahr 2022.",
        {"indicator": LOSS, "places": ["IDN", "PHL"], "year": 2022},
    ),
    (
        "de",
        R,
        "Welches Land in Lateinamerika und der Karibik hatte 2022 die höchsten Übertragungs- "
        "und Verteilungsverluste?",
        {"indicator": LOSS, "group": "LCN", "year": 2022, "order": "highest", "limit": 1},
    ),
    (
        "de",
        R,
        "Welche drei Länder mit niedrigem Einkommen hatten 2022 den geringsten Anteil an "
        "sicher verwaltetem Trinkwasser?",
        {"indicator": SAFE, "group": "LIC", "year": 2022, "order": "lowest", "limit": 3},
    ),
    (
        "de",
        R,
        "Welches Land in Europa und Zentralasien hatte 2023 die niedrigsten Übertragungs- "
        "und Verteilungsverluste?",
        {"indicator": LOSS, "group": "ECS", "year": 2023, "order": "lowest", "limit": 1},
    ),
    (
        "de",
        A,
        "Wie hoch waren 2023 die Übertragungs- und Verteilungsverluste in Afrika südlich "
        "der Sahara insgesamt?",
        {"indicator": LOSS, "place": "SSF", "year": 2023},
    ),
    (
        "de",
        A,
        "Wie hoch war 2023 der Zugang zu Elektrizität in den Ländern mit mittlerem "
        "Einkommen der unteren Kategorie?",
        {"indicator": ELEC, "place": "LMC", "year": 2023},
    ),
    (
        "de",
        A,
        "Wie viel Prozent der Menschen in Ostasien und dem Pazifikraum hatten im Jahr 2000 "
        "Zugang zu Elektrizität?",
        {"indicator": ELEC, "place": "EAS", "year": 2000},
    ),
    (
        "de",
        W,
        "Wie viele Menschen in Äthiopien hatten 2023 keinen Zugang zu Elektrizität?",
        {"indicator": ELEC, "place": "ETH", "year": 2023},
    ),
    (
        "de",
        W,
        "Wie viele Menschen in Kenia hatten 2024 keine mindestens grundlegende "
        "Trinkwasserversorgung?",
        {"indicator": BASIC, "place": "KEN", "year": 2024},
    ),
    (
        "de",
        W,
        "Wie viele Menschen in Pakistan nutzten 2022 kein sicher verwaltetes Trinkwasser?",
        {"indicator": SAFE, "place": "PAK", "year": 2022},
    ),
    (
        "de",
        W,
        "Wie viele Menschen in Sierra Leone leben laut den neuesten Daten ohne Strom?",
        {"indicator": ELEC, "place": "SLE", "year": None},
    ),
    (
        "de",
        U,
        "Wie groß war 2022 der Unterschied beim Zugang zu Elektrizität zwischen Stadt und "
        "Land in Äthiopien?",
        {"place": "ETH", "year": 2022},
    ),
    (
        "de",
        U,
        "Wie unterscheidet sich der Stromzugang in Tansania zwischen städtischen und "
        "ländlichen Gebieten nach den neuesten Daten?",
        {"place": "TZA", "year": None},
    ),
    (
        "de",
        U,
        "Wie hoch war der Zugang zu Elektrizität in Uganda 2016 in der Stadt und auf dem Land?",
        {"place": "UGA", "year": 2016},
    ),
    (
        "de",
        D,
        "Was messen die Übertragungs- und Verteilungsverluste im Stromnetz?",
        {"topic": "td_losses"},
    ),
    ("de", D, "Was bedeutet eine grundlegende Trinkwasserversorgung?", {"topic": "basic"}),
    (
        "de",
        D,
        "Was gilt in der Statistik als Zugang zu Elektrizität?",
        {"topic": "electricity_access"},
    ),
    (
        "de",
        M,
        "Wie viel Prozent der Menschen in Deutschland hatten 1990 mindestens eine "
        "grundlegende Trinkwasserversorgung?",
        {"indicator": BASIC, "place": "DEU", "year": 1990},
    ),
    (
        "de",
        M,
        "Wie hoch war 2022 der Anteil sicher verwalteten Trinkwassers in Südafrika?",
        {"indicator": SAFE, "place": "ZAF", "year": 2022},
    ),
    (
        "de",
        M,
        "Wie hoch waren die Übertragungs- und Verteilungsverluste der Elfenbeinküste im Jahr 2023?",
        {"indicator": LOSS, "place": "CIV", "year": 2023},
    ),
    ("de", X, "Schreib mir ein Gedicht über den Frühling.", {}),
    ("de", X, "Wie kündige ich meinen Stromvertrag bei meinem Anbieter?", {}),
    ("de", X, "Welche Aktien soll ich kaufen?", {}),
]

# Definitions: the article of the pack that explains the term, and key words an answer must
# carry (each inner list is a set of alternatives, one of which must appear).
ARTICLES = {
    "safely_managed": "drinking-water-ladder",
    "basic": "drinking-water-ladder",
    "ladder": "drinking-water-ladder",
    "electricity_access": "electricity-access",
    "td_losses": "transmission-losses",
}
KEYWORDS: dict[str, dict[str, list[list[str]]]] = {
    "safely_managed": {
        "en": [["premises", "home", "dwelling", "yard"], ["contamina"]],
        "es": [["vivienda", "domicilio", "hogar", "instalaciones"], ["contamina"]],
        "fr": [["domicile", "logement", "concession", "sur place"], ["contamin"]],
        "de": [["grundstück", "haus", "wohnung", "vor ort"], ["verunreinig", "kontamin"]],
    },
    "basic": {
        "en": [["improved"], ["30 minutes", "half an hour"]],
        "es": [["mejorada"], ["30 minutos", "media hora"]],
        "fr": [["amélioré"], ["30 minutes", "demi-heure"]],
        "de": [["verbessert"], ["30 minuten", "halbe stunde"]],
    },
    "ladder": {
        "fr": [["limité"], ["non amélioré"], ["eau de surface", "eaux de surface"]],
    },
    "electricity_access": {
        "en": [["household"], ["hours", "reliab", "cuts out", "outage"]],
        "fr": [["ménage"], ["heures", "coupé", "coupure", "fiabilit"]],
        "de": [["haushalt"], ["stunden", "ausf", "zuverläss"]],
    },
    "td_losses": {
        "en": [["transmission"], ["distribution"], ["output", "generated", "produced"]],
        "es": [["transmisión"], ["distribución"], ["producción", "generada", "producida"]],
        "de": [["übertragung"], ["verteilung"], ["erzeug", "produz"]],
    },
}

OOS_EXPECT = ["redirect", "refuse"]


SOURCE_URLS = {
    ELEC: "https://data.worldbank.org/indicator/EG.ELC.ACCS.ZS",
    LOSS: "https://data.worldbank.org/indicator/EG.ELC.LOSS.ZS",
    BASIC: "https://ourworldindata.org/grapher/population-using-at-least-basic-drinking-water",
    SAFE: "https://ourworldindata.org/grapher/proportion-using-safely-managed-drinking-water",
    "population": "https://data.worldbank.org/indicator/SP.POP.TOTL",
    "electricity_access_urban": "https://data.worldbank.org/indicator/EG.ELC.ACCS.UR.ZS",
    "electricity_access_rural": "https://data.worldbank.org/indicator/EG.ELC.ACCS.RU.ZS",
}


def build_value(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """A share for a named year or the place's latest."""
    year, raw = data.value(p["indicator"], p["place"], p["year"])
    numbers = [pct(f"{p['place']} {year}", raw)]
    if p["year"] is None:
        numbers.append(year_named(year))
    return {
        "places": [p["place"]],
        "years": [year],
        "expect": {"numbers": numbers, "allowed": tidy([raw])},
    }


def build_change(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """Start, end and the change between them in percentage points."""
    ind, place, start, end = p["indicator"], p["place"], p["start"], p["end"]
    _, first = data.value(ind, place, start)
    _, last = data.value(ind, place, end)
    between = [v for y, v in data.series[ind][place].items() if start <= y <= end]
    numbers = [
        pct(f"{place} {start}", first),
        pct(f"{place} {end}", last),
        points(f"change {start}-{end}", last - first, [round(last, 1) - round(first, 1)]),
    ]
    relative = 100 * (last - first) / first if first else 0.0
    return {
        "places": [place],
        "years": [start, end],
        "expect": {"numbers": numbers, "allowed": tidy([*between, abs(relative)])},
    }


def build_comparison(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """Each place's share in the same year."""
    values = {place: data.value(p["indicator"], place, p["year"])[1] for place in p["places"]}
    gaps = [abs(a - b) for a in values.values() for b in values.values() if a > b]
    return {
        "places": list(p["places"]),
        "years": [p["year"]],
        "expect": {
            "numbers": [pct(f"{place} {p['year']}", v) for place, v in values.items()],
            "allowed": tidy([*values.values(), *gaps]),
        },
    }


def build_ranking(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """The top (or bottom) ``limit`` members of a group with a value that year."""
    ind, year, limit = p["indicator"], p["year"], p["limit"]
    members = data.members(p["group"])
    rows = [(data.series[ind][c][year], c) for c in members if data.has(ind, c, year)]
    rows.sort(key=lambda r: (-r[0], r[1]) if p["order"] == "highest" else (r[0], r[1]))
    top = rows[:limit]
    return {
        "places": [p["group"]],
        "years": [year],
        "group": p["group"],
        "order": p["order"],
        "ranked": [c for _, c in top],
        "expect": {
            "numbers": [pct(f"#{i} {c} {year}", v) for i, (v, c) in enumerate(top, 1)],
            "allowed": tidy([*(v for v, _ in rows), len(rows), len(members), *range(1, limit + 1)]),
        },
    }


def build_aggregate(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """A World Bank aggregate row, with how many members had a value that year."""
    ind, place, year = p["indicator"], p["place"], p["year"]
    _, raw = data.value(ind, place, year)
    if place == "WLD":
        members = sorted(c for c, row in data.countries.items() if row.get("Region"))
    else:
        members = data.members(place)
    with_value = [c for c in members if data.has(ind, c, year)]
    expect: dict[str, Any] = {
        "numbers": [pct(f"{place} {year}", raw)],
        "allowed": tidy(
            [raw, len(members), len(with_value), *(data.series[ind][c][year] for c in with_value)]
        ),
    }
    extra: dict[str, Any] = {
        "coverage": {"countries_with_value": len(with_value), "members": len(members)}
    }
    if len(with_value) * 2 < len(members):
        # Too few members reported that year for the aggregate to stand for the group.
        expect["coverage_note"] = True
        same = [c for c in with_value if abs(data.series[ind][c][year] - raw) < 1e-9]
        extra["coverage"]["equals_member"] = same
    return {"places": [place], "years": [year], "expect": expect, **extra}


def build_without(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """People without access: (100 - share) / 100 x population of the same year."""
    ind, place = p["indicator"], p["place"]
    year, share = data.value(ind, place, p["year"])
    _, population = data.value("population", place, year)
    raw = (100 - share) / 100 * population
    numbers = [people(f"{place} {year} without access", raw)]
    if p["year"] is None:
        numbers.append(year_named(year))
    return {
        "places": [place],
        "years": [year],
        "formula": "(100 - share) / 100 x population",
        "inputs": {"share": share, "population": population},
        "expect": {"numbers": numbers, "allowed": tidy([share, 100 - share, population])},
    }


def build_urban_rural(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """Urban and rural shares of the DataBank export, and the gap (urban - rural)."""
    place, year = p["place"], p["year"]
    urban_row = data.series["electricity_access_urban"][place]
    rural_row = data.series["electricity_access_rural"][place]
    if year is None:
        year = max(set(urban_row) & set(rural_row))
    urban, rural = urban_row[year], rural_row[year]
    allowed = [urban, rural]
    if data.has(ELEC, place, year):
        allowed.append(data.series[ELEC][place][year])
    return {
        "places": [place],
        "years": [year],
        "expect": {
            "numbers": [
                pct(f"{place} {year} urban", urban),
                pct(f"{place} {year} rural", rural),
                points(f"{place} {year} gap", urban - rural, [round(urban, 1) - round(rural, 1)]),
                *([year_named(year)] if p["year"] is None else []),
            ],
            "allowed": tidy(allowed),
        },
    }


def build_definition(data: Data, p: dict[str, Any], lang: str) -> dict[str, Any]:
    """An explanation from the pack's article: cited, with its key words, no number needed."""
    return {
        "places": [],
        "years": [],
        "expect": {"cite": ARTICLES[p["topic"]], "keywords": KEYWORDS[p["topic"]][lang]},
    }


def build_missing(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """A value the files do not have: the answer says so and gives no number."""
    ind, place, year = p["indicator"], p["place"], p["year"]
    row = data.series[ind].get(place, {})
    if data.has(ind, place, year):
        raise SystemExit(f"{ind} {place} {year}: the file has a value, not a missing case")
    if not row:
        reason = "the source does not cover this place"
    elif year < min(row):
        reason = f"before the series starts ({min(row)})"
    elif year > max(row):
        reason = f"after the latest year with a value ({max(row)})"
    else:
        reason = "no value for this year"
    return {
        "places": [place],
        "years": [] if year is None else [year],
        "missing_reason": reason,
        "expect": {"no_value": True},
    }


def build_out_of_scope(data: Data, p: dict[str, Any]) -> dict[str, Any]:
    """Not a question for this assistant: a redirect or a refusal."""
    return {"places": [], "years": [], "expect": {"policy": OOS_EXPECT}}


BUILDERS = {
    V: build_value,
    C: build_change,
    K: build_comparison,
    R: build_ranking,
    A: build_aggregate,
    W: build_without,
    U: build_urban_rural,
    M: build_missing,
    X: build_out_of_scope,
}


def indicator_of(category: str, p: dict[str, Any]) -> str | None:
    """Return the indicator a question is about (None for out of scope)."""
    if category == U:
        return "electricity_access_urban_rural"
    if category == D:
        topic = p["topic"]
        return {"electricity_access": ELEC, "td_losses": LOSS}.get(
            topic, SAFE if topic == "safely_managed" else BASIC
        )
    return p.get("indicator")


def build_items(data: Data) -> list[dict[str, Any]]:
    """Return every question with its expected answer, in SPECS order."""
    items: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for lang, category, question, params in SPECS:
        seen[lang, category] += 1
        built = (
            build_definition(data, params, lang)
            if category == D
            else BUILDERS[category](data, params)
        )
        asked = [y for y in (params.get("year"), params.get("start"), params.get("end")) if y]
        for year in asked:
            if str(year) not in question:
                raise SystemExit(f"{question!r} does not name the year {year}")
        indicator = indicator_of(category, params)
        item: dict[str, Any] = {
            "id": f"we-{lang}-{category.replace('_', '-')}-{seen[lang, category]:02d}",
            "language": lang,
            "category": category,
            "question": question,
            "indicator": indicator,
        }
        item.update(built)
        if indicator in SOURCE_URLS:
            item["source_url"] = SOURCE_URLS[indicator]
        items.append(item)
    mark_heldout(items)
    return items


def mark_heldout(items: list[dict[str, Any]]) -> None:
    """Hold out about a quarter of each category, at most one per language, by id hash."""
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        item["heldout"] = False
        by_category[item["category"]].append(item)
    for group in by_category.values():
        wanted = max(1, round(len(group) / 4))
        taken: set[str] = set()
        for item in sorted(group, key=lambda i: hashlib.sha256(i["id"].encode()).hexdigest()):
            if len(taken) < wanted and item["language"] not in taken:
                item["heldout"] = True
                taken.add(item["language"])


HEADER = """\
# Water-energy eval questions: GENERATED by bench/make_water_evals.py, do not edit by hand.
# Regenerate with `.venv/bin/python bench/make_water_evals.py` (tests/evals/
# test_water_evals_file.py fails when this file and the script's output differ).
#
# Every expected number was computed from the publisher files (World Bank API CSVs, the
# DataBank urban/rural export, the OWID/JMP drinking-water CSVs) read with Python's csv module,
# independently of civicllm.data. civicllm.evals.numeric scores an answer against `expect`:
#   numbers   each must appear in the answer, under its `rule` (see the script's docstring:
#             percent to 1 decimal; points = a change or gap, 1 decimal, sign ignored; people
#             to the nearest whole person, or 3 significant figures with a scale word such as
#             "12.3 million" / "12,3 millones" / "12,3 millions" / "12,3 Millionen"; count and
#             year exactly). `raw` is the value in the file, `value` the value as shown.
#   allowed   other true values an answer may also state (raw; any correct rounding);
#             any other number (years aside) contradicts the answer.
#   coverage_note  the answer must say the aggregate rests on few countries.
#   no_value  the files have no value: the answer says so and states no number.
#   cite, keywords  definitions: the article cited and one word of each list present.
#   policy    out of scope: the assistant's policy action must be one of these.
# `heldout: true` marks about a quarter of each category (at most one per language, chosen by
# the hash of the id); tune nothing on them.
"""


def digests(folder: Path) -> dict[str, str]:
    """Return each file read and the start of its SHA-256, so a changed file is seen."""
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()[:16]
        for name in sorted(set(FILES.values()))
    }


def render(items: list[dict[str, Any]], files: dict[str, str]) -> str:
    """Return the YAML text of the eval file."""
    body = yaml.safe_dump(
        {"generated_from": files, "questions": items},
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,
    )
    return HEADER + body


def default_data() -> Path:
    """Return the shipped publisher files when present, else the shared copy."""
    if (SHIPPED / FILES["electricity_access"]).is_file():
        return SHIPPED
    return SHARED


def main(argv: list[str] | None = None) -> int:
    """Write (or, with --check, compare) the eval file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="folder of publisher files")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="fail if --out differs")
    args = parser.parse_args(argv)
    folder = args.data or default_data()
    # The file records the files' names, not where this checkout keeps them.
    text = render(build_items(Data(folder)), digests(folder))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run bench/make_water_evals.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines())} lines to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
