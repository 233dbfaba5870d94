"""Is a concern small? SBA's size standard for a NAICS code against its averaged figures.

``check_size(request)`` validates the request (one ``InputError`` naming every bad field),
picks the size standard in force on ``as_of`` (the code's, or an exception row's) and
measures the concern the way 13 CFR part 121 does:

- receipts (121.104(c)): the total of the 5 most recent completed fiscal years divided by 5;
  a concern in business less than that gives its total receipts and ``weeks_in_business``:
  total / weeks x 52. The same formula is 121.104(c)(3)'s for 5 years one of which is a
  short year (give the 5 entries and the weeks they cover).
- employees (121.106(b)): the average count over the pay periods of the last 24 months (or
  of the time in business), full-time, part-time and temporary alike.
- assets (footnote 8 of 121.201): the average of the 4 quarterly statements of last year.
- affiliates (121.103, 121.104(d)(3), 121.106(b)(4)): each affiliate's average, worked out
  the same way, is added to the concern's.

Averages are exact fractions (``fractions.Fraction``) and compared with the limit unrounded,
so $34,000,000.20 is above a $34,000,000 standard. ``measured.value`` is that average
rounded *up* to a whole dollar (or employee): a limit is a whole number, so the shown value
is at or below the limit exactly when the concern is small, and the margin's sign agrees.

What it trades away: whether a concern is an affiliate at all (control, common ownership,
the ostensible subcontractor rule) is a legal judgement this check leaves to the user; it
adds the figures of the affiliates it is given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
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
    "CITATIONS",
    "Concern",
    "SizeRequest",
    "average_of",
    "check_size",
    "parse_request",
]

ECFR = "https://www.ecfr.gov/current/title-13/section-"
CITATIONS: dict[str, dict[str, str]] = {
    section: {"title": f"13 CFR {section}", "url": f"{ECFR}{section}"}
    for section in ("121.103", "121.104", "121.106", "121.201")
}

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
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
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


def _limit_words(standard: Standard) -> str:
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
            f"{MEASURE_WORDS[measure]} ({_limit_words(standard)}); give {what}.",
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


# --- The computation -----------------------------------------------------------------------


@dataclass
class _Sheet:
    """Worksheet lines while computing; amounts stay exact until written out."""

    prefix: str
    lines: list[tuple[str, Fraction, str, str, int | None, dict[str, int]]]

    def add(
        self,
        label: str,
        amount: Fraction | int,
        source: str,
        item: str,
        concern: int | None,
        **args: int,
    ) -> Fraction:
        value = Fraction(amount)
        self.lines.append((label, value, source, item, concern, args))
        return value

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": f"{self.prefix}{i}",
                "label": label,
                "amount": shown_amount(amount),
                "source": source,
                "item": item,
                "concern": concern,
                "args": args,
            }
            for i, (label, amount, source, item, concern, args) in enumerate(self.lines, 1)
        ]


def shown_amount(amount: Fraction) -> int | float:
    """Return a worksheet amount: whole numbers as ints, fractions to 2 decimals."""
    if amount.denominator == 1:
        return int(amount)
    return round(float(amount), 2)


def _who(concern: int, affiliated: bool) -> str:
    if concern:
        return f"Affiliate {concern}: "
    return "Your concern: " if affiliated else ""


def average_of(
    concern: Concern, measure: str, sheet: _Sheet, index: int, affiliated: bool, notes: list[str]
) -> tuple[Fraction, str]:
    """Return one concern's average of ``measure`` and the method's words; add its lines."""
    who = _who(index, affiliated)
    whose = "" if index == 0 else f" (affiliate {index})"
    if measure == "receipts":
        years = concern.fiscal_years or ()
        weeks = concern.weeks_in_business
        if weeks is None and len(years) > 5:
            notes.append(
                f"{len(years)} fiscal years of receipts were given{whose}; the 5 most recent "
                "(the last 5 entries) are averaged, as 13 CFR 121.104(c)(1) says."
            )
            years = years[-5:]
        n = len(years)
        for k, amount in enumerate(years, 1):
            label = f"{who}receipts, fiscal year {k} of {n}" + (" (most recent)" if k == n else "")
            sheet.add(label, amount, "your figure", "fiscal_year", index, year=k, of=n)
        total = sheet.add(
            f"{who}total receipts"
            + (f" over {weeks} weeks in business" if weeks else f", {n} fiscal years"),
            sum(years),
            "sum",
            "receipts_total",
            index,
            years=n,
            weeks=weeks or 0,
        )
        if weeks is not None:
            average = sheet.add(
                f"{who}annualized receipts (total ÷ {weeks} weeks × 52)",
                total / weeks * 52,
                "13 CFR 121.104(c)(2)" if n < 5 else "13 CFR 121.104(c)(3)",
                "receipts_annualized",
                index,
                weeks=weeks,
            )
            if n == 5:
                notes.append(
                    f"Receipts{whose}: 5 fiscal years with weeks_in_business ({weeks}) are "
                    "read as 4 full years and a short year: total ÷ weeks × 52 (13 CFR "
                    "121.104(c)(3))."
                )
            return average, f"annualized receipts over {weeks} weeks in business"
        average = sheet.add(
            f"{who}average annual receipts (total ÷ {n})",
            total / n,
            "13 CFR 121.104(c)(1)",
            "receipts_average",
            index,
            years=n,
        )
        if n < 5:
            notes.append(
                f"Only {n} fiscal year{'s' if n > 1 else ''} of receipts given{whose} and no "
                "weeks_in_business: each entry is taken as a full fiscal year and they are "
                "averaged. A concern in business less than 5 fiscal years is measured by its "
                "total receipts ÷ weeks in business × 52 (13 CFR 121.104(c)(2)); give "
                "weeks_in_business if a year was shorter than 52 weeks."
            )
        return average, f"average annual receipts over {n} fiscal year{'s' if n > 1 else ''}"
    if measure == "employees":
        periods = concern.pay_periods or ()
        n = len(periods)
        for k, count in enumerate(periods, 1):
            sheet.add(
                f"{who}employees, pay period {k} of {n}",
                count,
                "your figure",
                "pay_period",
                index,
                period=k,
                of=n,
            )
        average = sheet.add(
            f"{who}average employees (sum ÷ {n} pay periods)",
            Fraction(sum(periods), n),
            "13 CFR 121.106(b)",
            "employees_average",
            index,
            periods=n,
        )
        return average, f"average employees over {n} pay period{'s' if n > 1 else ''}"
    quarters = concern.quarters or ()
    for k, amount in enumerate(quarters, 1):
        sheet.add(
            f"{who}total assets, quarter {k}", amount, "your figure", "quarter", index, quarter=k
        )
    average = sheet.add(
        f"{who}average assets (sum ÷ 4 quarters)",
        Fraction(sum(quarters), 4),
        "13 CFR 121.201, footnote 8",
        "assets_average",
        index,
    )
    return average, "average total assets over 4 quarters"


def _round_up(value: Fraction) -> int:
    return math.ceil(value)


def compute_size(parsed: SizeRequest) -> dict[str, Any]:
    """Return the spec's result for a validated request."""
    table, industry, exception = parsed.table, parsed.industry, parsed.exception
    standard = parsed.standard
    measure = standard.measure
    affiliated = bool(parsed.affiliates)
    notes: list[str] = []
    sheet = _Sheet({"receipts": "R", "employees": "E", "assets": "A"}[measure], [])
    own, method = average_of(parsed.concern, measure, sheet, 0, affiliated, notes)
    shares = [
        average_of(affiliate, measure, sheet, i, affiliated, notes)[0]
        for i, affiliate in enumerate(parsed.affiliates, 1)
    ]
    measured = own + sum(shares, Fraction(0))
    if affiliated:
        sheet.add(
            "Affiliates' share (sum of their averages)",
            sum(shares, Fraction(0)),
            "13 CFR 121.103",
            "affiliate_share",
            None,
        )
        method += ", affiliates included"
    value = _round_up(measured)
    unit = "employee" if measure == "employees" else "dollar"
    sheet.add(f"Measured size, rounded up to a whole {unit}", value, "computed", "measured", None)
    sheet.add(
        f"Size standard ({MEASURE_WORDS[measure]})", standard.limit, table.title, "limit", None
    )
    margin = standard.limit - value
    sheet.add("Margin (size standard − measured size)", margin, "computed", "margin", None)
    small = measured <= standard.limit
    for name in sorted(parsed.given - {measure}):
        notes.append(
            f"The {name} given were not used: this standard is measured by "
            f"{MEASURE_WORDS[measure]}."
        )
    unused = {
        name for affiliate in parsed.affiliates for name in BLOCK_FIELDS if affiliate.has(name)
    } - {measure}
    for name in sorted(unused):
        notes.append(
            f"The affiliates' {name} were not used: this standard is measured by "
            f"{MEASURE_WORDS[measure]}."
        )
    if exception is not None:
        notes.append(
            f"Exception {exception.number} of NAICS {industry.code} ({exception.title}) "
            f"applies: its standard, {_limit_words(exception.standard)}, replaces the "
            f"code's {_limit_words(industry.standard)}."
        )
    elif industry.exceptions:
        listed = "; ".join(
            f"exception {row.number}, {row.title} ({_limit_words(row.standard)})"
            for row in industry.exceptions
        )
        notes.append(
            f"NAICS {industry.code} has exceptions with their own size standards: {listed}. "
            "If one describes the work (e.g. the contract), check again with 'exception' set."
        )
    for text in table.sector_notes.get(industry.sector, ()):
        notes.append(f"SBA's table, sector {industry.sector}: {text}")
    if measured.denominator != 1:
        exact = f"{float(measured):,.2f}"
        notes.append(
            f"The exact average is {exact}; it is compared with the limit unrounded, and shown "
            f"rounded up to a whole {unit} so the figure is on the same side of the limit."
        )
    if not affiliated:
        notes.append(
            "No affiliates were given. A concern that controls, is controlled by or shares "
            "common control with yours is an affiliate, and its figures count (13 CFR "
            "121.103)."
        )
    if measure == "receipts":
        notes.append(
            "Receipts are total income plus cost of goods sold as reported to the IRS, less "
            "the exclusions of 13 CFR 121.104(a). SBA's loan programs also accept an "
            "alternative size standard based on tangible net worth and net income."
        )
    keys = list(dict.fromkeys([*industry.footnotes, *(exception.footnotes if exception else ())]))
    citations = [
        {"title": table.title, "url": table.url},
        CITATIONS["121.201"],
        CITATIONS[{"receipts": "121.104", "employees": "121.106", "assets": "121.201"}[measure]],
        CITATIONS["121.103"],
    ]
    return {
        "small": small,
        "naics": {
            "code": industry.code,
            "title": industry.title,
            "exception": (
                None
                if exception is None
                else {"number": exception.number, "title": exception.title}
            ),
        },
        "size_standard": {"measure": measure, "limit": standard.limit, "table": table.title},
        "measured": {"value": value, "method": method},
        "margin": margin,
        "notes": notes,
        "footnotes": table.footnote_texts(keys),
        "citations": list({c["url"]: c for c in citations}.values()),
        "worksheet": sheet.rows(),
    }


def check_size(request: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a request and return whether the concern is small, with its worksheet."""
    return compute_size(parse_request(request))
