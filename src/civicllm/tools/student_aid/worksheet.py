"""The worksheet: every line of the computation, labelled and tagged with its source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civicllm.tools.student_aid.tables import YearTables

__all__ = ["Worksheet", "format_worksheet"]


Line = tuple[str, int, str, str | None]
# Line numbers made once: formatting them per estimate is a measurable share of the cost.
_NUMBERS = {prefix: tuple(f"{prefix}{i}" for i in range(1, 100)) for prefix in "ABCP"}
"""A worksheet line while computing: (label, amount, source, intermediate name or None)."""


class Worksheet:
    """Lines in order; the intermediates are the lines that carry one of the spec's names.

    Formulas compute into local variables and hand over their lines in one list, and numbers
    and dicts are made only for output: the worksheet costs little on the fast path.
    """

    __slots__ = ("lines", "notes", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lines: list[Line] = []
        self.notes: list[str] = []

    def flag_unverified(self, tables: YearTables, what: str, amount: int) -> None:
        """Note that a figure used was not checked against its official source."""
        self.notes.append(
            f"{tables.award_year} {what} (${amount:,}) is {tables.unverified_reason}; the SAI "
            "could differ if the official figure does."
        )

    def extend(self, lines: list[Line]) -> None:
        """Append lines in order."""
        self.lines.extend(lines)

    def add(self, label: str, amount: int, source: str, key: str | None = None) -> int:
        """Append one line and return its amount."""
        self.lines.append((label, amount, source, key))
        return amount

    def intermediates(self) -> dict[str, int]:
        """Return the named values (ED's intermediate names) in worksheet order."""
        return {key: amount for _, amount, _, key in self.lines if key is not None}

    def rows(self) -> list[dict[str, Any]]:
        """Return the lines as JSON objects, numbered in order (A1, A2, ... or P1, ...)."""
        prefix = self.prefix
        numbers = _NUMBERS.get(prefix) or tuple(f"{prefix}{i}" for i in range(1, 100))
        if len(self.lines) > len(numbers):
            numbers = tuple(f"{prefix}{i}" for i in range(1, len(self.lines) + 1))
        return [
            {"line": number, "label": line[0], "amount": line[1], "source": line[2]}
            for number, line in zip(numbers, self.lines, strict=False)
        ]


def format_worksheet(result: Mapping[str, Any]) -> str:
    """Render an estimate result as a plain-text worksheet table for the terminal."""
    rows: list[tuple[str, str, str, str]] = [
        (str(r["line"]), str(r["label"]), f"{int(r['amount']):,}", str(r["source"]))
        for r in result.get("worksheet", [])
    ]
    header = ("Line", "Item", "Amount", "Source")
    widths = [max([len(header[i])] + [len(row[i]) for row in rows]) for i in range(4)]

    def render(row: tuple[str, str, str, str]) -> str:
        return (
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}"
        ).rstrip()

    out = [
        f"Student Aid Index estimate, award year {result.get('award_year', '')}",
        f"Dependency status: {result.get('dependency_status', '')} "
        f"(Formula {result.get('formula', '')})",
        f"Why: {result.get('dependency_reason', '')}",
        "",
        render(header),
        render(tuple("-" * w for w in widths)),  # type: ignore[arg-type]
    ]
    out.extend(render(row) for row in rows)
    out += [
        "",
        f"Student Aid Index (SAI): {int(result.get('sai', 0)):,}",
        f"Maximum Pell eligible: {'yes' if result.get('max_pell_eligible') else 'no'}",
        f"Minimum Pell eligible: {'yes' if result.get('min_pell_eligible') else 'no'}",
        f"Estimated Pell Grant: ${int(result.get('pell_grant', 0)):,}",
        "",
        f"Tables: {result.get('tables_version', '')}",
    ]
    out.extend(f"Note: {note}" for note in result.get("notes", []))
    return "\n".join(out)
