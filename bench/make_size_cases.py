"""Write the size-check eval cases, every expected verdict computed here from SBA's table.

    .venv/bin/python bench/make_size_cases.py [--data DIR] [--out FILE] [--check]
    .venv/bin/python bench/make_size_cases.py --score [--heldout]

SBA's flat CSV of the table and its footnotes (``shared/data/small_business``) are read with
the standard ``csv`` module only, never through ``civicllm.tools.small_business``: the limits,
exception rows and footnotes here are an independent reading, and each expected result is
this script's own integer arithmetic (sum, division, rounding up), so a bug in the table
parser or in ``size.py`` shows up as a failed case instead of being copied into the key.

Kinds of case (``kind`` on each): for receipts, employees and assets standards and for every
exception row, figures that average exactly at the limit (small), one dollar or employee
above (not small) and below (small); a fraction above (an average of limit + 1/24 employee:
not small, shown as limit + 1); concerns in business less than 5 years (total / weeks x 52),
five years with a short year, fewer than 5 full years, more than 5 years (the oldest left
out); affiliates added in; codes with footnotes; figures the standard does not use.

Each case's ``expect`` holds top-level result fields compared for equality by the generic
runner (``civicllm eval``): ``small``, ``size_standard`` (measure, limit, table title),
``margin`` (limit minus the measured value rounded up to a whole unit) and ``footnotes``
(the footnotes' published text, runs of spaces collapsed as the tool returns it, in the
footnote sheet's order). About a quarter of the cases are ``heldout: true``, chosen by a
hash of the case id, so the split does not move when cases are added; ``--score`` runs the
installed tool on the development cases (``--heldout``: the held-out ones) and prints the
accuracy. The output is deterministic; ``--check`` fails when the committed file differs.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared/data/small_business"
OUT = ROOT / "src/civicllm/packs/small-business/evals/size_cases.yaml"
TABLE = "sba_size_standards_2023-03-17.csv"
FOOTNOTES = "sba_size_standards_footnotes_2023-03-17.csv"
TITLE = "SBA Table of Size Standards, effective 2023-03-17"
AS_OF = "2026-12-01"
M = 1_000_000


@dataclass(frozen=True)
class Row:
    """One standard of the CSV: an industry, or an exception row under it."""

    code: str
    exception: int | None
    measure: str
    limit: int
    footnotes: tuple[str, ...]  # keys as listed on the row ("4"), parts not yet added


def _limit(receipts: str, employees: str) -> tuple[str, int]:
    assets = re.fullmatch(r"\$(\d+) million in assets", receipts)
    if assets:
        return "assets", int(assets.group(1)) * M
    if receipts:
        whole, _, fraction = receipts.partition(".")
        # $ millions with at most 2 decimals, read as integers: "2.25" -> 2,250,000.
        return "receipts", int(whole) * M + int((fraction + "00")[:2]) * M // 100
    return "employees", int(employees)


def _keys(*cells: str) -> tuple[str, ...]:
    keys: list[str] = []
    for cell in cells:
        for number in re.findall(r"footnote (\d+)", cell):
            keys.append(number)
    return tuple(keys)


def read_table(data: Path) -> tuple[list[Row], dict[str, str]]:
    """Return every standard of the CSV and the footnotes (key -> text, sheet order)."""
    with (data / FOOTNOTES).open(encoding="utf-8") as handle:
        footnotes = {
            r["footnote"]: re.sub(r"[ \t]+", " ", r["text"].replace("\xa0", " ")).strip()
            for r in csv.DictReader(handle)
        }
    rows: list[Row] = []
    industry_keys: dict[str, tuple[str, ...]] = {}
    with (data / TABLE).open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            measure, limit = _limit(r["size_standard_millions_usd"], r["size_standard_employees"])
            code = r["naics_code"][:6]
            exception = re.search(r"Exception\s*(\d*)", r["naics_code"])
            keys = _keys(r["footnotes"], r["subsector_footnotes"])
            if exception is None:
                industry_keys[code] = keys
                rows.append(Row(code, None, measure, limit, keys))
            else:
                # The row's own footnotes and those of the industry it belongs to.
                both = industry_keys.get(code, ()) + keys
                rows.append(Row(code, int(exception.group(1) or 1), measure, limit, both))
    return rows, footnotes


def expected_footnotes(row: Row, footnotes: dict[str, str]) -> list[dict[str, str]]:
    """Return the footnotes of a row with their parts ("5" -> 5, 5.a, ...), in sheet order."""
    wanted = set(row.footnotes)
    return [
        {"footnote": key, "text": text}
        for key, text in footnotes.items()
        if key in wanted or key.split(".")[0] in wanted
    ]


def ceil_div(a: int, b: int) -> int:
    """Return a / b rounded up (b > 0)."""
    return -(-a // b)


class Cases:
    """The cases being written, with the expected fields each needs."""

    def __init__(self, footnotes: dict[str, str]) -> None:
        self.footnotes = footnotes
        self.items: list[dict[str, Any]] = []

    def add(
        self,
        kind: str,
        row: Row,
        request: dict[str, Any],
        total: int,
        count: int,
        note: str,
    ) -> None:
        """Add a case whose measured size is exactly ``total / count``."""
        value = ceil_div(total, count)
        case_id = f"size-{len(self.items) + 1:03d}"
        body: dict[str, Any] = {"naics": row.code, "exception": row.exception, **request}
        body["as_of"] = AS_OF
        self.items.append(
            {
                "id": case_id,
                "kind": kind,
                "note": note,
                "heldout": int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 4 == 0,
                "input": body,
                "expect": {
                    "small": total <= row.limit * count,
                    "size_standard": {"measure": row.measure, "limit": row.limit, "table": TITLE},
                    "margin": row.limit - value,
                    "footnotes": expected_footnotes(row, self.footnotes),
                },
            }
        )


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """Return ``parts`` whole amounts near total/parts that add up to ``total`` exactly."""
    base = total // parts
    amounts = [base] * parts
    amounts[-1] += total - base * parts
    for i in range(parts - 1):  # move some amount between neighbours; the sum stays
        shift = rng.randint(0, base // 10) if base >= 10 else 0
        amounts[i] -= shift
        amounts[i + 1] += shift
    return amounts


def block(row: Row, amounts: list[int], **extra: Any) -> dict[str, Any]:
    """Return the input block of a row's measure holding ``amounts``."""
    if row.measure == "receipts":
        return {"receipts": {"fiscal_years": amounts, **extra}}
    if row.measure == "employees":
        return {"employees": {"pay_periods": amounts}}
    return {"assets": {"quarters": amounts}}


PERIODS = {"receipts": 5, "employees": 24, "assets": 4}


def edges(cases: Cases, row: Row, rng: random.Random, kind: str) -> None:
    """At the limit, one unit above and one below, and for employees a fraction above."""
    n = PERIODS[row.measure]
    unit = "employee" if row.measure == "employees" else "dollar"
    for step, words in ((0, "at the limit"), (1, f"1 {unit} above"), (-1, f"1 {unit} below")):
        total = row.limit * n + step * n
        cases.add(kind, row, block(row, spread(total, n, rng)), total, n, words)
    if row.measure == "employees":
        total = row.limit * n + 1
        cases.add(kind, row, block(row, spread(total, n, rng)), total, n, "1/24 employee above")


def generate(rows: list[Row], footnotes: dict[str, str]) -> list[dict[str, Any]]:
    """Return every case, in a fixed order (the same file on every run)."""
    rng = random.Random(20230317)
    cases = Cases(footnotes)
    industries = [r for r in rows if r.exception is None]
    by_measure = {m: [r for r in industries if r.measure == m] for m in PERIODS}
    plain = {m: [r for r in by_measure[m] if not r.footnotes] for m in PERIODS}
    # Edges of each kind of standard, on codes drawn from the table.
    for row in sorted(rng.sample(plain["receipts"], 10), key=lambda r: r.code):
        edges(cases, row, rng, "receipts")
    for row in sorted(rng.sample(plain["employees"], 8), key=lambda r: r.code):
        edges(cases, row, rng, "employees")
    for row in by_measure["assets"]:
        edges(cases, row, rng, "assets")
    # Every exception row: at its limit, and one unit above.
    for row in (r for r in rows if r.exception is not None):
        n = PERIODS[row.measure]
        for step, words in ((0, "exception, at its limit"), (1, "exception, 1 unit above")):
            total = (row.limit + step) * n
            cases.add("exception", row, block(row, spread(total, n, rng)), total, n, words)
    # In business less than 5 years: total over 13, 26 or 39 weeks, annualized (x 52).
    for row in sorted(rng.sample(plain["receipts"], 9), key=lambda r: r.code):
        weeks = rng.choice((13, 26, 39))
        at = row.limit * weeks // 52  # limits are multiples of $250,000: exact
        step = rng.choice((0, 1, -1))
        total = at + step
        cases.add(
            "under_5_years",
            row,
            block(row, [total], weeks_in_business=weeks),
            total * 52,
            weeks,
            f"{weeks} weeks, annualized {'at' if step == 0 else 'just off'} the limit",
        )
    # Five years, one of them short: total / weeks x 52 (121.104(c)(3)).
    for row in sorted(rng.sample(plain["receipts"], 4), key=lambda r: r.code):
        weeks = 4 * 52 + 26
        total = row.limit * weeks // 52 + rng.choice((0, 1))
        cases.add(
            "short_year",
            row,
            block(row, spread(total, 5, rng), weeks_in_business=weeks),
            total * 52,
            weeks,
            "4 full years and a 26-week year",
        )
    # Fewer than 5 full years without weeks: their mean. More than 5: the last 5 only.
    for row in sorted(rng.sample(plain["receipts"], 4), key=lambda r: r.code):
        n = rng.choice((2, 3, 4))
        total = row.limit * n + rng.choice((0, n, -n))
        cases.add(
            "fewer_years", row, block(row, spread(total, n, rng)), total, n, f"{n} full years"
        )
    for row in sorted(rng.sample(plain["receipts"], 4), key=lambda r: r.code):
        total = row.limit * 5 + rng.choice((0, 5))
        years = [row.limit * 10, *spread(total, 5, rng)]  # the oldest would make it large
        cases.add("more_years", row, block(row, years), total, 5, "6 years, the oldest left out")
    # Affiliates: each one's average added to the concern's.
    for measure, count in (("receipts", 6), ("employees", 4), ("assets", 2)):
        picks = by_measure["assets"] if measure == "assets" else plain[measure]
        for row in sorted(rng.sample(picks, count), key=lambda r: r.code):
            n = PERIODS[measure]
            share = row.limit // rng.choice((3, 4, 5))
            own = row.limit - share + rng.choice((0, 1, -1))
            parts = [share] if rng.random() < 0.5 else [share // 2, share - share // 2]
            affiliates = [block(row, spread(part * n, n, rng)) for part in parts]
            request = {**block(row, spread(own * n, n, rng)), "affiliates": affiliates}
            cases.add(
                "affiliates", row, request, (own + share) * n, n, f"{len(affiliates)} affiliate(s)"
            )
    # Codes with footnotes: a verdict either side and the footnote texts.
    noted = [r for r in industries if r.footnotes]
    for row in sorted(rng.sample(noted, 14), key=lambda r: r.code):
        n = PERIODS[row.measure]
        total = (row.limit + rng.choice((-1, 1)) * rng.randint(1, max(1, row.limit // 10))) * n
        cases.add("footnotes", row, block(row, spread(total, n, rng)), total, n, "footnotes apply")
    # Figures the standard does not use are ignored.
    for row in sorted(rng.sample(plain["receipts"], 3), key=lambda r: r.code):
        total = row.limit * 5 + 5
        request = {**block(row, spread(total, 5, rng)), "employees": {"pay_periods": [1, 2, 3]}}
        cases.add("unused_figures", row, request, total, 5, "employees given, not used")
    for row in sorted(rng.sample(plain["employees"], 3), key=lambda r: r.code):
        total = row.limit * 24
        request = {**block(row, spread(total, 24, rng)), "receipts": {"fiscal_years": [10**12]}}
        cases.add("unused_figures", row, request, total, 24, "receipts given, not used")
    return cases.items


def document(items: list[dict[str, Any]]) -> str:
    """Return the YAML file of the cases."""
    header = (
        "# Generated by bench/make_size_cases.py from SBA's Table of Size Standards (effective\n"
        "# 2023-03-17, shared/data/small_business; public domain): do not edit by hand.\n"
        "# Each expected verdict, margin and footnote list is the script's own arithmetic on\n"
        "# the published CSV, not the tool's output. heldout: true marks the ~25% kept apart\n"
        "# from tuning (chosen by a hash of the id).\n"
    )
    body = {"tool": "small-business/size-check", "cases": items}
    dumped = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
    return header + dumped


def score(path: Path, heldout: bool) -> int:
    """Run the installed tool on the dev (or held-out) cases; print and return failures."""
    sys.path.insert(0, str(ROOT / "src"))
    from civicllm.tools.base import load_tools

    tool = load_tools()["small-business/size-check"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [c for c in data["cases"] if bool(c.get("heldout")) is heldout]
    wrong: list[str] = []
    for case in items:
        try:
            output = tool.run(case["input"])
        except Exception as exc:  # a crash is a failed case, reported
            wrong.append(f"{case['id']} ({type(exc).__name__}: {exc})")
            continue
        if not all(output.get(k) == v for k, v in case["expect"].items()):
            wrong.append(case["id"])
    part = "held-out" if heldout else "dev"
    right = len(items) - len(wrong)
    print(f"{part}: {right}/{len(items)} correct ({right / max(1, len(items)):.3f})")
    for failure in wrong:
        print(f"  failed: {failure}")
    return len(wrong)


def main(argv: list[str] | None = None) -> int:
    """Write (or check, or score) the case file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    parser.add_argument("--score", action="store_true", help="run the tool on the cases")
    parser.add_argument("--heldout", action="store_true", help="with --score: held-out cases")
    args = parser.parse_args(argv)
    if args.score:
        return 1 if score(args.out, args.heldout) else 0
    rows, footnotes = read_table(args.data)
    text = document(generate(rows, footnotes))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run bench/make_size_cases.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    items = yaml.safe_load(text)["cases"]
    held = sum(1 for c in items if c["heldout"])
    kinds: dict[str, int] = {}
    for c in items:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    print(f"wrote {len(items)} cases ({held} held out) to {args.out}: {kinds}")
    return 0


def iter_cases(path: Path = OUT) -> Iterator[dict[str, Any]]:
    """Yield the cases of the committed file (for tests)."""
    yield from yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


if __name__ == "__main__":
    raise SystemExit(main())
