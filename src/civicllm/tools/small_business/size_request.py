"""The size-check request: every bad field found in one pass, then the parsed figures.

``parse_request(request)`` reads a JSON request into a :class:`SizeRequest`: the table in
force on ``as_of``, the industry of ``naics``, its exception row, and each concern's figures
as whole numbers. Everything wrong is gathered first and raised as one ``InputError`` whose
``details`` name each field (``receipts.fiscal_years.2``, ``affiliates.0.employees``), so a
form is fixed in one pass. The figures the standard is measured by are required for the
concern and every affiliate; other figures are accepted (the result notes they were unused).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from civicllm.errors import InputError
from civicllm.tools.small_business.table import (
    ExceptionRow,
    Industry,
    SizeTable,
    Standard,
    naics_titles,
    table_for,
)

__all__ = [
    "BLOCK_FIELDS",
    "MAX_AFFILIATES",
    "MAX_AMOUNT",
    "MAX_EMPLOYEES",
    "MAX_ENTRIES",
    "MAX_WEEKS",
    "MEASURE_WORDS",
    "Concern",
    "SizeRequest",
    "limit_words",
    "parse_request",
]

# No concern's receipts or assets come near $1 quadrillion; a larger number is extra digits.
MAX_AMOUNT = 10**15
MAX_EMPLOYEES = 10**8
MAX_ENTRIES = 1000  # pay periods: 24 months of daily pay is ~730
MAX_AFFILIATES = 200
# 4 full fiscal years (up to 53 weeks each) and a short one: a concern in business longer
# than this has 5 completed fiscal years and gives them without weeks_in_business.
MAX_WEEKS = 265
FIELDS = ("naics", "exception", "receipts", "employees", "assets", "affiliates", "as_of")
BLOCK_FIELDS = {
    "receipts": ("fiscal_years", "weeks_in_business"),
    "employees": ("pay_periods",),
    "assets": ("quarters",),
}
BLOCK_OF_AFFILIATE = ("receipts", "employees", "assets")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MEASURE_WORDS = {
    "receipts": "average annual receipts",
    "employees": "average number of employees",
    "assets": "average total assets",
}
NEEDED = {"receipts": "fiscal_years", "employees": "pay_periods", "assets": "quarters"}


@dataclass(frozen=True)
class Concern:
    """The figures of one concern (the one checked, or an affiliate), each None if not given."""

    fiscal_years: tuple[int, ...] | None = None
    weeks_in_business: int | None = None
    pay_periods: tuple[int, ...] | None = None
    quarters: tuple[int, ...] | None = None

    def has(self, measure: str) -> bool:
        """Return True when this concern gives the figures of ``measure``."""
        return getattr(self, NEEDED[measure]) is not None


@dataclass(frozen=True)
class SizeRequest:
    """A valid request, with the table, industry and exception row it names."""

    table: SizeTable
    industry: Industry
    exception: ExceptionRow | None
    concern: Concern
    affiliates: tuple[Concern, ...]
    given: frozenset[str]  # the blocks given for the concern ("receipts", ...)

    @property
    def standard(self) -> Standard:
        """Return the standard that applies: the exception row's, else the industry's."""
        return self.exception.standard if self.exception else self.industry.standard


class _Problems:
    """Every bad field of a request, in the order of the form."""

    def __init__(self) -> None:
        self.details: list[tuple[str | None, str]] = []

    def add(self, param: str, message: str) -> None:
        self.details.append((param, message))

    def raise_any(self) -> None:
        if self.details:
            raise InputError.from_details(self.details)


def _whole(value: Any, param: str, problems: _Problems, *, unit: str, largest: int) -> int | None:
    """Return a JSON number that is a whole, non-negative amount, or note why it is not."""
    example = "30000000" if unit == "dollars" else "120"
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(param, f"Field '{param}' must be a number of {unit}, such as {example}.")
        return None
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        what = "whole dollars (no cents)" if unit == "dollars" else "a whole number"
        problems.add(param, f"Field '{param}' must be {what}, such as {example}.")
        return None
    number = int(value)
    if number < 0:
        problems.add(param, f"Field '{param}' must not be negative (it is {number:,}).")
        return None
    if number >= largest:
        problems.add(
            param, f"Field '{param}' is too large ({number:,}); check it for extra digits."
        )
        return None
    return number


def _numbers(
    value: Any,
    param: str,
    problems: _Problems,
    *,
    unit: str,
    largest: int,
    count: int | None = None,
) -> tuple[int, ...] | None:
    """Return a list of whole amounts (``count`` of them if given), or note what is wrong."""
    if value is None:
        return None
    if not isinstance(value, list) or not value or len(value) > MAX_ENTRIES:
        problems.add(
            param, f"Field '{param}' must be a list of 1 to {MAX_ENTRIES} numbers of {unit}."
        )
        return None
    if count is not None and len(value) != count:
        problems.add(
            param,
            f"Field '{param}' must list exactly {count} amounts, one per quarterly statement "
            f"of the preceding year ({len(value)} given).",
        )
        return None
    numbers = [
        _whole(item, f"{param}.{i}", problems, unit=unit, largest=largest)
        for i, item in enumerate(value)
    ]
    if any(number is None for number in numbers):
        return None
    return tuple(n for n in numbers if n is not None)


def _block(value: Any, name: str, prefix: str, problems: _Problems) -> dict[str, Any] | None:
    """Return a block's members, or None when it is absent or not an object (noted)."""
    param = prefix + name
    if value is None:
        return None
    if not isinstance(value, Mapping):
        fields = ", ".join(BLOCK_FIELDS[name])
        problems.add(param, f"Field '{param}' must be an object with {fields}.")
        return None
    for key in value:
        if key not in BLOCK_FIELDS[name]:
            allowed = ", ".join(BLOCK_FIELDS[name])
            problems.add(
                f"{param}.{key}",
                f"Unknown field '{param}.{key}': remove it ({param} has {allowed}).",
            )
    return dict(value)


def _concern(source: Mapping[str, Any], prefix: str, problems: _Problems) -> Concern:
    """Read the receipts, employees and assets blocks of one concern."""
    receipts = _block(source.get("receipts"), "receipts", prefix, problems) or {}
    employees = _block(source.get("employees"), "employees", prefix, problems) or {}
    assets = _block(source.get("assets"), "assets", prefix, problems) or {}
    years_param = f"{prefix}receipts.fiscal_years"
    years = _numbers(
        receipts.get("fiscal_years"), years_param, problems, unit="dollars", largest=MAX_AMOUNT
    )
    weeks_param = f"{prefix}receipts.weeks_in_business"
    weeks_value = receipts.get("weeks_in_business")
    weeks = None
    if weeks_value is not None:
        weeks = _whole(weeks_value, weeks_param, problems, unit="weeks", largest=MAX_WEEKS + 1)
        if weeks == 0:
            problems.add(weeks_param, f"Field '{weeks_param}' must be 1 or more.")
            weeks = None
        if years is None and weeks is not None and receipts.get("fiscal_years") is None:
            problems.add(
                years_param,
                f"Field '{years_param}' is required with weeks_in_business: give the total "
                "receipts over those weeks as a single entry.",
            )
        if years is not None and len(years) > 5:
            problems.add(
                years_param,
                f"Field '{years_param}': with weeks_in_business give at most 5 entries, the "
                f"receipts of the weeks counted ({len(years)} given).",
            )
    periods = _numbers(
        employees.get("pay_periods"),
        f"{prefix}employees.pay_periods",
        problems,
        unit="employees",
        largest=MAX_EMPLOYEES,
    )
    quarters = _numbers(
        assets.get("quarters"),
        f"{prefix}assets.quarters",
        problems,
        unit="dollars",
        largest=MAX_AMOUNT,
        count=4,
    )
    return Concern(years, weeks, periods, quarters)


def _as_of(value: Any, problems: _Problems) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add("as_of", "Field 'as_of' must be a date written YYYY-MM-DD, such as 2026-12-01.")
    return None


def _table(as_of: date | None, problems: _Problems) -> SizeTable | None:
    try:
        return table_for(as_of)
    except InputError as exc:
        problems.add("as_of", exc.message)
    try:  # still check the code against the table in force today
        return table_for(None)
    except InputError:
        return None


def _industry(value: Any, table: SizeTable | None, problems: _Problems) -> Industry | None:
    if value is None:
        problems.add(
            "naics", "Field 'naics' is required: a 6-digit NAICS code, such as \"541511\"."
        )
        return None
    if not isinstance(value, str) or not value.strip().isdigit():
        problems.add(
            "naics", "Field 'naics' must be a 6-digit NAICS code as a string, such as \"541511\"."
        )
        return None
    code = value.strip()
    if table is None:
        return None
    if 2 <= len(code) <= 5:
        under = [c for c in table.industries if c.startswith(code)]
        title = naics_titles().get(code)
        named = f"NAICS {code} ({title})" if title else f"'{code}'"
        listed = (
            f" The codes under it: {', '.join(under[:12])}" + (", ..." if len(under) > 12 else ".")
            if under
            else ""
        )
        problems.add(
            "naics",
            f"Field 'naics': {named} is not a 6-digit code; size standards are set for 6-digit "
            f"NAICS industries, so give the 6-digit code of the concern's industry.{listed}",
        )
        return None
    industry = table.industry(code) if len(code) == 6 else None
    if industry is None:
        title = naics_titles().get(code)
        if title:
            message = (
                f"Field 'naics': {code} ({title}) is a 2022 NAICS code, but SBA's table has no "
                "size standard for it (Public Administration, sector 92, has none)."
            )
        else:
            message = (
                f"Field 'naics': '{code}' is not a 2022 NAICS code with an SBA size standard; "
                "look the code up with small-business/naics-search."
            )
        problems.add("naics", message)
    return industry


def _exception(value: Any, industry: Industry | None, problems: _Problems) -> ExceptionRow | None:
    if value is None:
        return None
    whole = isinstance(value, int) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )
    if isinstance(value, bool) or not whole:
        problems.add(
            "exception", "Field 'exception' must be an exception number, such as 1, or null."
        )
        return None
    if industry is None:
        return None
    for row in industry.exceptions:
        if row.number == int(value):
            return row
    if not industry.exceptions:
        problems.add(
            "exception",
            f"Field 'exception': NAICS {industry.code} has no exceptions in SBA's table; "
            "leave 'exception' null.",
        )
    else:
        listed = "; ".join(f"{row.number}: {row.title}" for row in industry.exceptions)
        problems.add(
            "exception",
            f"Field 'exception': NAICS {industry.code} has no exception {int(value)}; its "
            f"exceptions are {listed}.",
        )
    return None


def limit_words(standard: Standard) -> str:
    if standard.measure == "employees":
        return f"{standard.limit:,} employees"
    return f"${standard.limit:,}"


def _require(
    industry: Industry,
    exception: ExceptionRow | None,
    concern: Concern,
    affiliates: Sequence[Concern],
    problems: _Problems,
) -> None:
    """Note every concern that lacks the figures its standard is measured by."""
    standard = exception.standard if exception else industry.standard
    measure = standard.measure
    field = NEEDED[measure]
    what = {
        "receipts": "the receipts of the last 5 completed fiscal years, most recent last "
        "(or the total over weeks_in_business if in business less than that)",
        "employees": "the number of employees in each pay period of the last 24 months",
        "assets": "the total assets on each of the 4 quarterly statements of last year",
    }[measure]
    std = f"NAICS {industry.code}" + (f" exception {exception.number}" if exception else "")
    # A block given but wrong is reported already; "required" would say it twice.
    reported = {str(param) for param, _ in problems.details}

    def missing(prefix: str, who: Concern) -> bool:
        said = any(
            p == f"{prefix}{measure}" or p.startswith(f"{prefix}{measure}.") for p in reported
        )
        return not who.has(measure) and not said

    if missing("", concern):
        problems.add(
            f"{measure}.{field}",
            f"Field '{measure}.{field}' is required: {std}'s size standard is "
            f"{MEASURE_WORDS[measure]} ({limit_words(standard)}); give {what}.",
        )
    for i, affiliate in enumerate(affiliates):
        if missing(f"affiliates.{i}.", affiliate):
            param = f"affiliates.{i}.{measure}.{field}"
            problems.add(
                param,
                f"Field '{param}' is required: the affiliate's {MEASURE_WORDS[measure]} is "
                f"added in, so give {what} for it too.",
            )


def parse_request(request: Any) -> SizeRequest:
    """Validate a JSON request; raise one ``InputError`` naming every bad field."""
    if not isinstance(request, Mapping):
        raise InputError("The request must be a JSON object.", param=None)
    problems = _Problems()
    for key in request:
        if key not in FIELDS:
            problems.add(
                str(key),
                f"Unknown field '{key}': remove it (see the small-business/size-check schema).",
            )
    table = _table(_as_of(request.get("as_of"), problems), problems)
    industry = _industry(request.get("naics"), table, problems)
    exception = _exception(request.get("exception"), industry, problems)
    concern = _concern(request, "", problems)
    affiliates: list[Concern] = []
    listed = request.get("affiliates")
    if listed is not None:
        if not isinstance(listed, list) or len(listed) > MAX_AFFILIATES:
            problems.add(
                "affiliates",
                f"Field 'affiliates' must be a list of up to {MAX_AFFILIATES} objects, each "
                "with the affiliate's receipts, employees or assets.",
            )
        else:
            for i, item in enumerate(listed):
                prefix = f"affiliates.{i}."
                if not isinstance(item, Mapping):
                    problems.add(
                        f"affiliates.{i}",
                        f"Field 'affiliates.{i}' must be an object with receipts, employees "
                        "or assets.",
                    )
                    continue
                for key in item:
                    if key not in BLOCK_OF_AFFILIATE:
                        problems.add(
                            f"{prefix}{key}",
                            f"Unknown field '{prefix}{key}': remove it (an affiliate has "
                            "receipts, employees and assets).",
                        )
                affiliates.append(_concern(item, prefix, problems))
    # The figures needed follow from the standard, known once the code and exception are.
    if industry is not None and (exception or request.get("exception") is None):
        _require(industry, exception, concern, affiliates, problems)
    problems.raise_any()
    assert table is not None and industry is not None  # raise_any() raised otherwise
    given = frozenset(name for name in BLOCK_FIELDS if concern.has(name))
    return SizeRequest(table, industry, exception, concern, tuple(affiliates), given)
