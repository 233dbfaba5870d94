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
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from civicllm.tools.small_business.size_request import (
    BLOCK_FIELDS,
    MEASURE_WORDS,
    Concern,
    SizeRequest,
    limit_words,
    parse_request,
)

__all__ = [
    "CITATIONS",
    "Concern",
    "SizeRequest",
    "average_of",
    "check_size",
    "compute_size",
    "parse_request",
]

ECFR = "https://www.ecfr.gov/current/title-13/section-"
CITATIONS: dict[str, dict[str, str]] = {
    section: {"title": f"13 CFR {section}", "url": f"{ECFR}{section}"}
    for section in ("121.103", "121.104", "121.106", "121.201")
}


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
            f"applies: its standard, {limit_words(exception.standard)}, replaces the "
            f"code's {limit_words(industry.standard)}."
        )
    elif industry.exceptions:
        listed = "; ".join(
            f"exception {row.number}, {row.title} ({limit_words(row.standard)})"
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
