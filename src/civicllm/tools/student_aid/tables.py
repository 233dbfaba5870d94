"""Load the per-award-year tables (need analysis, Pell, poverty guidelines) from data files.

A year is added by adding ``data/<award-year>/`` with the three YAML files; no code changes.
Rates are kept as exact fractions of integers so the formula stays in integer arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import yaml

from civicllm.errors import ConfigError

__all__ = [
    "Bracket",
    "Rate",
    "SizeTable",
    "YearTables",
    "available_award_years",
    "load_tables",
    "lookup_apa",
    "round_ratio",
]


def round_ratio(num: int, den: int) -> int:
    """Round ``num / den`` (``den`` > 0) to the dollar, halves away from zero, exactly."""
    magnitude = (abs(num) * 2 + den) // (2 * den)
    return magnitude if num >= 0 else -magnitude


@dataclass(frozen=True, slots=True)
class Rate:
    """An exact rate ``num / den``; applying it rounds half away from zero, as ED does."""

    num: int
    den: int
    label: str  # "7.65%", for worksheet labels

    @classmethod
    def parse(cls, text: str | int | float) -> Rate:
        """Return the rate written as a decimal string such as ``"0.0765"``."""
        value = Decimal(str(text))
        num, den = value.as_integer_ratio()
        return cls(num, den, f"{value * 100:f}".rstrip("0").rstrip(".") + "%")

    def apply(self, amount: int) -> int:
        """Return ``amount x rate`` rounded to the dollar, halves away from zero."""
        product = amount * self.num  # round_ratio inlined: this runs ~6 times per estimate
        magnitude = (abs(product) * 2 + self.den) // (2 * self.den)
        return magnitude if product >= 0 else -magnitude


@dataclass(frozen=True, slots=True)
class SizeTable:
    """An amount by family size, with a fixed step for each person past the last size listed."""

    by_size: Mapping[int, int]
    each_additional: int
    # Sizes whose figure is unverified, and whether the step past the table is.
    unverified: frozenset[int] = frozenset()
    unverified_step: bool = False

    def is_unverified(self, size: int) -> bool:
        """Return whether the figure for ``size`` is not checked against its source."""
        if not self.unverified and not self.unverified_step:
            return False
        largest = max(self.by_size)
        if size > largest:
            return self.unverified_step or largest in self.unverified
        return max(min(self.by_size), size) in self.unverified

    def lookup(self, size: int) -> int:
        """Return the amount for a family of ``size``."""
        if size in self.by_size:
            return self.by_size[size]
        smallest = min(self.by_size)
        if size < smallest:
            return self.by_size[smallest]
        largest = max(self.by_size)
        return self.by_size[largest] + (size - largest) * self.each_additional


@dataclass(frozen=True, slots=True)
class Bracket:
    """One step of a progressive table: ``base + rate x (amount - over)``."""

    over: int
    base: int
    rate: Rate


@dataclass(frozen=True, slots=True)
class PovertyTable:
    """HHS poverty guideline: first person plus a step for each additional person."""

    first: int
    each_additional: int

    def for_size(self, size: int) -> int:
        """Return the guideline for a family of ``size`` (at least 1)."""
        return self.first + (max(size, 1) - 1) * self.each_additional


@dataclass(frozen=True, slots=True)
class YearTables:
    """Every figure the formula needs for one award year, with where it came from."""

    award_year: str
    tax_year: int
    version: str
    provisional_notes: tuple[str, ...]
    # Scalar figures not checked against their source ("ipa_independent_married", ...) and why.
    unverified: frozenset[str]
    unverified_reason: str
    # payroll tax
    social_security_rate: Rate
    social_security_wage_base: int
    medicare_rate: Rate
    medicare_additional_rate: Rate
    medicare_threshold: Mapping[str, int]
    # allowances
    ipa_parents: SizeTable
    ipa_dependent_student: int
    ipa_independent_unmarried: int
    ipa_independent_married: int
    ipa_with_dependents_unmarried: SizeTable
    ipa_with_dependents_married: SizeTable
    eea_rate: Rate
    eea_maximum: int
    apa_parents: Mapping[int, tuple[int, int]]
    apa_independent: Mapping[int, tuple[int, int]]
    business_farm_brackets: tuple[Bracket, ...]
    small_business_family_farm_excluded: bool
    # assessment
    parent_assets_rate: Rate
    dependent_income_rate: Rate
    dependent_assets_rate: Rate
    independent_b_income_rate: Rate
    independent_b_assets_rate: Rate
    independent_c_assets_rate: Rate
    dependent_income_floor: int
    schedule_floor_below: int
    schedule_floor_amount: int
    schedule: tuple[Bracket, ...]
    sai_minimum: int
    sai_maximum: int
    # Pell
    pell_maximum: int
    pell_minimum: int
    max_pell_percent: Mapping[str, int]
    min_pell_percent: Mapping[str, int]
    foreign_income_in_pell_agi: bool
    no_pell_at_or_above_twice_maximum: bool
    no_pell_when_non_federal_grants_cover_coa: bool
    # poverty guidelines
    poverty_year: int
    poverty: Mapping[str, PovertyTable]


def _size_table(raw: Mapping[str, Any], unverified: list[Any] | None = None) -> SizeTable:
    sizes = {int(k): int(v) for k, v in raw["by_family_size"].items()}
    marks = unverified or []
    return SizeTable(
        MappingProxyType(sizes),
        int(raw["each_additional"]),
        frozenset(int(m) for m in marks if m != "each_additional"),
        "each_additional" in marks,
    )


def _brackets(raw: list[list[Any]]) -> tuple[Bracket, ...]:
    return tuple(Bracket(int(a), int(b), Rate.parse(c)) for a, b, c in raw)


def _apa(raw: Mapping[Any, Any]) -> Mapping[int, tuple[int, int]]:
    # age -> [two parents or married, one parent or unmarried]; empty means $0 at every age.
    return MappingProxyType({int(age): (int(v[0]), int(v[1])) for age, v in raw.items()})


def lookup_apa(table: Mapping[int, tuple[int, int]], age: int | None, married: bool) -> int:
    """Return the asset protection allowance for the older parent's (or student's) age."""
    if not table or age is None:
        return 0
    ages = sorted(table)
    chosen = ages[0]
    for candidate in ages:
        if candidate <= age:
            chosen = candidate
    two, one = table[chosen]
    return two if married else one


def _describe(source: Mapping[str, Any]) -> str:
    return f"{source['title']} <{source['url']}>, effective {source['effective']}"


_YEAR = re.compile(r"\d{4}-\d{2}")


def _read_yaml(year_dir: Traversable, name: str) -> dict[str, Any]:
    try:
        text = year_dir.joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"Student aid table {name} is missing for this award year.") from exc
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError(f"Student aid table {name} is not a mapping; fix the data file.")
    return data


def _build(data_dir: Traversable, award_year: str) -> YearTables:
    year_dir = data_dir.joinpath(award_year)
    na = _read_yaml(year_dir, "need_analysis.yaml")
    pell = _read_yaml(year_dir, "pell.yaml")
    pov = _read_yaml(year_dir, "poverty_guidelines.yaml")
    notes: list[str] = []
    for doc in (na, pell, pov):
        if doc.get("status", "official") != "official":
            notes.append(str(doc.get("status_note", doc["status"])))
    unverified: dict[str, list[Any]] = dict(na.get("unverified") or {})
    scalars = set()
    if "married" in unverified.get(
        "income_protection_allowance.independent_without_dependents", []
    ):
        scalars.add("ipa_independent_married")
    if "unmarried" in unverified.get(
        "income_protection_allowance.independent_without_dependents", []
    ):
        scalars.add("ipa_independent_unmarried")
    if unverified.get("business_farm_net_worth_adjustment"):
        scalars.add("business_farm_brackets")
    payroll = na["payroll_tax"]
    ipa = na["income_protection_allowance"]
    ind = ipa["independent_without_dependents"]
    withdep = ipa["independent_with_dependents"]
    assess = na["assessment"]
    sched = na["contribution_schedule"]
    version = (
        f"{award_year}; need analysis: {_describe(na['source'])} [{na.get('status', 'official')}]"
        f"; Pell: {_describe(pell['source'])} [{pell.get('status', 'official')}]"
        f"; poverty guidelines {pov['guideline_year']}: {_describe(pov['source'])}"
        f" [{pov.get('status', 'official')}]"
    )
    return YearTables(
        award_year=award_year,
        tax_year=int(na["tax_year"]),
        version=version,
        provisional_notes=tuple(notes),
        unverified=frozenset(scalars),
        unverified_reason=str(na.get("unverified_reason", "")),
        social_security_rate=Rate.parse(payroll["social_security_rate"]),
        social_security_wage_base=int(payroll["social_security_wage_base"]),
        medicare_rate=Rate.parse(payroll["medicare_rate"]),
        medicare_additional_rate=Rate.parse(payroll["medicare_additional_rate"]),
        medicare_threshold=MappingProxyType(
            {k: int(v) for k, v in payroll["medicare_threshold"].items()}
        ),
        ipa_parents=_size_table(
            ipa["parents"], unverified.get("income_protection_allowance.parents")
        ),
        ipa_dependent_student=int(ipa["dependent_student"]),
        ipa_independent_unmarried=int(ind["unmarried"]),
        ipa_independent_married=int(ind["married"]),
        ipa_with_dependents_unmarried=_size_table(
            withdep["unmarried"],
            unverified.get("income_protection_allowance.independent_with_dependents.unmarried"),
        ),
        ipa_with_dependents_married=_size_table(
            withdep["married"],
            unverified.get("income_protection_allowance.independent_with_dependents.married"),
        ),
        eea_rate=Rate.parse(na["employment_expense_allowance"]["rate"]),
        eea_maximum=int(na["employment_expense_allowance"]["maximum"]),
        apa_parents=_apa(na["asset_protection_allowance"].get("parents") or {}),
        apa_independent=_apa(na["asset_protection_allowance"].get("independent") or {}),
        business_farm_brackets=_brackets(na["business_farm_net_worth_adjustment"]),
        small_business_family_farm_excluded=bool(na["small_business_family_farm_excluded"]),
        parent_assets_rate=Rate.parse(assess["parent_assets"]),
        dependent_income_rate=Rate.parse(assess["dependent_student_income"]),
        dependent_assets_rate=Rate.parse(assess["dependent_student_assets"]),
        independent_b_income_rate=Rate.parse(assess["independent_without_dependents_income"]),
        independent_b_assets_rate=Rate.parse(assess["independent_without_dependents_assets"]),
        independent_c_assets_rate=Rate.parse(assess["independent_with_dependents_assets"]),
        dependent_income_floor=int(na["dependent_student_contribution_from_income_floor"]),
        schedule_floor_below=int(sched["floor_below"]),
        schedule_floor_amount=int(sched["floor_amount"]),
        schedule=_brackets(sched["brackets"]),
        sai_minimum=int(na["sai_minimum"]),
        sai_maximum=int(na["sai_maximum"]),
        pell_maximum=int(pell["maximum_award"]),
        pell_minimum=int(pell["minimum_award"]),
        max_pell_percent=MappingProxyType(dict(pell["maximum_pell_poverty_percent"])),
        min_pell_percent=MappingProxyType(dict(pell["minimum_pell_poverty_percent"])),
        foreign_income_in_pell_agi=bool(pell["foreign_income_in_pell_agi"]),
        no_pell_at_or_above_twice_maximum=bool(pell["no_pell_at_or_above_twice_maximum"]),
        no_pell_when_non_federal_grants_cover_coa=bool(
            pell["no_pell_when_non_federal_grants_cover_coa"]
        ),
        poverty_year=int(pov["guideline_year"]),
        poverty=MappingProxyType(
            {
                key: PovertyTable(int(pov[key]["first"]), int(pov[key]["each_additional"]))
                for key in ("contiguous_48_and_dc", "alaska", "hawaii")
            }
        ),
    )


def _default_data_dir() -> Traversable:
    return resources.files("civicllm.tools.student_aid").joinpath("data")


def available_award_years(data_dir: Traversable | None = None) -> tuple[str, ...]:
    """Return the award years that have a data folder (``2025-26``, ...), oldest first."""
    root = data_dir if data_dir is not None else _default_data_dir()
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and _YEAR.fullmatch(p.name)))


def load_tables(data_dir: Traversable | None = None) -> Mapping[str, YearTables]:
    """Read every award year's tables (the package's own unless ``data_dir`` is given)."""
    root = data_dir if data_dir is not None else _default_data_dir()
    return MappingProxyType({year: _build(root, year) for year in available_award_years(root)})
