"""The worksheet: every line of the computation, labelled and tagged with its source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Worksheet", "format_worksheet"]


class Worksheet:
    """Lines in order plus the intermediates under the spec's names.

    Lines are kept as tuples while computing (cheap) and turned into dicts only for output.
    """

    __slots__ = ("intermediates", "lines", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lines: list[tuple[str, str, int, str]] = []
        self.intermediates: dict[str, int] = {}

    def add(self, label: str, amount: int, source: str, key: str | None = None) -> int:
        """Record one line (and its intermediate name, if ED publishes one); return the amount."""
        self.lines.append((f"{self.prefix}{len(self.lines) + 1}", label, amount, source))
        if key is not None:
            self.intermediates[key] = amount
        return amount

    def rows(self) -> list[dict[str, Any]]:
        """Return the lines as JSON objects."""
        return [
            {"line": line, "label": label, "amount": amount, "source": source}
            for line, label, amount, source in self.lines
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
        f"Dependency status: {result.get('dependency_status', '')} (Formula {result.get('formula', '')})",
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
