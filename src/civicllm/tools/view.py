"""How a tool result shows itself: one typed view for the API, CLI, web page and verifier.

A tool's ``view(result, language)`` returns a :class:`ToolView`. Generic code renders the view
(figures as a list, tables as text or HTML tables, a chart as SVG) and checks answers against
its numbers; it never reads a particular tool's result fields.

Example::

    view = ToolView(
        title="Access to electricity, Kenya",
        figures=(Figure(key="value", label="Kenya, 2023", value=76.2, unit="%"),),
        sources=(SourceRef(title="World Bank WDI", url="https://data.worldbank.org/"),),
    )
    view.to_json()["figures"][0]["value"]  # 76.2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

__all__ = ["Chart", "Figure", "Series", "SourceRef", "Table", "ToolView"]

Scalar = int | float | Decimal | str | None


@dataclass(frozen=True)
class Figure:
    """One labelled number of a result (``key`` is its machine name, e.g. ``sai``)."""

    key: str
    label: str
    value: Scalar
    unit: str = ""  # "%", "USD", "people", "" for a plain count
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the figure as JSON."""
        value = self.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        return {
            "key": self.key,
            "label": self.label,
            "value": value,
            "unit": self.unit,
            "note": self.note,
        }


@dataclass(frozen=True)
class Table:
    """A table: column headings and rows of cells (numbers stay numbers)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Scalar, ...], ...]
    caption: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the table as JSON."""
        return {
            "caption": self.caption,
            "columns": list(self.columns),
            "rows": [[_plain(cell) for cell in row] for row in self.rows],
        }


@dataclass(frozen=True)
class Series:
    """One plotted line or set of bars: (x, y) points, y None where data is missing."""

    name: str
    points: tuple[tuple[Scalar, float | None], ...]

    def to_json(self) -> dict[str, Any]:
        """Return the series as JSON."""
        return {"name": self.name, "points": [[_plain(x), y] for x, y in self.points]}


@dataclass(frozen=True)
class Chart:
    """What to plot: a line chart for trends, bars for comparisons and rankings."""

    kind: Literal["line", "bar"]
    title: str
    x_label: str
    y_label: str
    series: tuple[Series, ...]
    source: str = ""  # the source line printed under the chart

    def to_json(self) -> dict[str, Any]:
        """Return the chart's data as JSON (the SVG is rendered elsewhere)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "x_label": self.x_label,
            "y_label": self.y_label,
            "series": [s.to_json() for s in self.series],
            "source": self.source,
        }


@dataclass(frozen=True)
class SourceRef:
    """Where a result's figures come from: the publisher's page, licence and release."""

    title: str
    url: str
    licence: str = ""
    release: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the source as JSON."""
        return {
            "title": self.title,
            "url": self.url,
            "licence": self.licence,
            "release": self.release,
        }


@dataclass(frozen=True)
class ToolView:
    """A tool result as people see it: figures, tables, a chart, notes and sources.

    ``sentences`` are plain statements of the result in the asked language, each stating
    only numbers that are among the figures or table cells (the verifier checks that).
    """

    title: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    chart: Chart | None = None
    notes: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    sentences: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # tool-specific JSON, passed through

    def to_json(self) -> dict[str, Any]:
        """Return the view as JSON (the ``view`` member of tool and flow responses)."""
        return {
            "title": self.title,
            "figures": [f.to_json() for f in self.figures],
            "tables": [t.to_json() for t in self.tables],
            "chart": self.chart.to_json() if self.chart else None,
            "notes": list(self.notes),
            "sources": [s.to_json() for s in self.sources],
            "sentences": list(self.sentences),
            **({"extra": self.extra} if self.extra else {}),
        }

    def numbers(self) -> list[float]:
        """Return every number the view states (figures, table cells, chart points)."""
        found: list[float] = []
        for figure in self.figures:
            found.extend(_numbers_in(figure.value))
        for table in self.tables:
            for row in table.rows:
                for cell in row:
                    found.extend(_numbers_in(cell))
        if self.chart is not None:
            for series in self.chart.series:
                for x, y in series.points:
                    found.extend(_numbers_in(x))
                    if y is not None:
                        found.append(float(y))
        return found


def _plain(value: Scalar) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _numbers_in(value: Scalar) -> list[float]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    return [float(value)]
