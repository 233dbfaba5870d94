"""Draw a tool view's chart as an accessible SVG, and its plotted rows as CSV.

The SVG is made with matplotlib (SVG backend, no pyplot, so no GUI and no global figure
list). Text stays text (``svg.fonttype: none``), so a screen reader, a search and a
translator read the labels; the ids matplotlib writes are salted with a constant and the
date is left out, so the same chart always gives the same bytes (answers can be compared
and cached). The root element carries ``role="img"`` and points at a ``<title>`` and a
``<desc>`` that sums the series up in words (first and last point of a line, highest and
lowest bar), because a picture of numbers says nothing to someone who cannot see it.

The trade-off: matplotlib is slow to import (about a second) and draws in a global
``rcParams`` context, so drawing is serialised by a lock; a chart takes some tens of
milliseconds, far below a model's answer.

Example::

    chart = Chart(kind="line", title="Access to electricity", x_label="Year",
                  y_label="% of population", series=(Series("Kenya", ((2020, 70.0),
                  (2023, 76.2))),), source="World Bank WDI")
    svg = render_svg(chart, "en")
    rows = chart_rows(chart)  # [("Kenya", 2020, 70.0), ("Kenya", 2023, 76.2)]
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import threading
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from civicllm.language import base_language
from civicllm.tools.view import Chart, Scalar, SourceRef

__all__ = [
    "chart_id",
    "chart_rows",
    "describe_chart",
    "format_number",
    "render_csv",
    "render_svg",
    "source_line",
]

# matplotlib's rcParams are process-wide: one drawing at a time.
_DRAW_LOCK = threading.Lock()
_RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # text stays <text>, readable and translatable
    "svg.hashsalt": "civicllm",  # stable clip-path ids: same chart, same bytes
    "text.parse_math": False,  # a "$" in a name is a dollar sign, not mathematics
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Colours that stay apart for the common colour-vision deficiencies (Okabe and Ito).
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "colon": ": ",
        "semicolon": "; ",
        "line": "Line chart",
        "bar": "Bar chart",
        "from_to": "{name}: {y0} in {x0}, {y1} in {x1}",
        "highest": "highest {y} ({x})",
        "lowest": "lowest {y} ({x})",
        "no_value": "no value for {x}",
        "no_data": "no data",
        "series": "Series",
        "source": "Source",
    },
    "es": {
        "colon": ": ",
        "semicolon": "; ",
        "line": "Gráfico de líneas",
        "bar": "Gráfico de barras",
        "from_to": "{name}: {y0} en {x0}, {y1} en {x1}",
        "highest": "máximo {y} ({x})",
        "lowest": "mínimo {y} ({x})",
        "no_value": "sin valor para {x}",
        "no_data": "sin datos",
        "series": "Serie",
        "source": "Fuente",
    },
    "fr": {
        "colon": " : ",
        "semicolon": " ; ",
        "line": "Graphique en courbes",
        "bar": "Graphique en barres",
        "from_to": "{name} : {y0} en {x0}, {y1} en {x1}",
        "highest": "le plus haut {y} ({x})",
        "lowest": "le plus bas {y} ({x})",
        "no_value": "aucune valeur pour {x}",
        "no_data": "pas de données",
        "series": "Série",
        "source": "Source",
    },
    "de": {
        "colon": ": ",
        "semicolon": "; ",
        "line": "Liniendiagramm",
        "bar": "Balkendiagramm",
        "from_to": "{name}: {y0} im Jahr {x0}, {y1} im Jahr {x1}",
        "highest": "höchster Wert {y} ({x})",
        "lowest": "niedrigster Wert {y} ({x})",
        "no_value": "kein Wert für {x}",
        "no_data": "keine Daten",
        "series": "Reihe",
        "source": "Quelle",
    },
}


def format_number(value: float | int | Decimal, language: str = "en") -> str:
    """Return a number as readers of the language write it (one decimal at most)."""
    number = Decimal(str(value))
    places = Decimal(1) if number == number.to_integral_value() else Decimal("0.1")
    text = f"{number.quantize(places, rounding=ROUND_HALF_UP):,}"
    lang = base_language(language)
    if lang == "en":
        return text
    group = {"fr": "\u202f", "es": ".", "de": "."}[lang]
    return text.replace(",", "\0").replace(".", ",").replace("\0", group)


def _label(value: Scalar) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


def _plain(value: Scalar) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def chart_rows(chart: Chart) -> list[tuple[str, Any, float | None]]:
    """Return exactly the plotted points as (series, x, y) rows, y None where missing."""
    return [(s.name, _plain(x), y) for s in chart.series for x, y in s.points]


def source_line(chart: Chart, sources: Sequence[SourceRef] = (), language: str = "en") -> str:
    """Return the line naming where the plotted numbers come from, with licence and URL."""
    parts = [chart.source] if chart.source else []
    for ref in sources:
        bits = [ref.title]
        if ref.release:
            bits.append(ref.release)
        if ref.licence:
            bits.append(ref.licence)
        bits.append(ref.url)
        text = ", ".join(b for b in bits if b)
        if text and all(text not in p for p in parts):
            parts.append(text)
    if not parts:
        return ""
    label = _WORDS[base_language(language)]["source"]
    body = "; ".join(parts)
    return body if body.casefold().startswith(label.casefold()) else f"{label}: {body}"


def render_csv(chart: Chart, sources: Sequence[SourceRef] = (), language: str = "en") -> str:
    """Return the plotted rows as CSV: a header, one row per point, then the source line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_WORDS[base_language(language)]["series"], chart.x_label, chart.y_label])
    for name, x, y in chart_rows(chart):
        writer.writerow([name, x, "" if y is None else repr(float(y)).removesuffix(".0")])
    line = source_line(chart, sources, language)
    if line:
        writer.writerow([line])
    return out.getvalue()


def describe_chart(chart: Chart, language: str = "en") -> str:
    """Return a sentence summing the chart up: first and last points, or highest and lowest."""
    words = _WORDS[base_language(language)]
    lang = base_language(language)
    parts: list[str] = []
    for series in chart.series:
        known = [(x, y) for x, y in series.points if y is not None]
        gaps = [x for x, y in series.points if y is None]
        if not known:
            parts.append(f"{series.name}{words['colon']}{words['no_data']}")
            continue
        if chart.kind == "line":
            (x0, y0), (x1, y1) = known[0], known[-1]
            text = words["from_to"].format(
                name=series.name,
                x0=_label(x0),
                y0=format_number(y0, lang),
                x1=_label(x1),
                y1=format_number(y1, lang),
            )
        else:
            top = max(known, key=lambda p: p[1] if p[1] is not None else -math.inf)
            low = min(known, key=lambda p: p[1] if p[1] is not None else math.inf)
            text = ", ".join(
                [
                    series.name
                    + words["colon"]
                    + words["highest"].format(y=format_number(top[1] or 0, lang), x=_label(top[0])),
                    words["lowest"].format(y=format_number(low[1] or 0, lang), x=_label(low[0])),
                ]
            )
        if gaps:
            text += words["semicolon"] + words["no_value"].format(
                x=", ".join(_label(x) for x in gaps)
            )
        parts.append(text)
    head = f"{words[chart.kind]}, {chart.y_label}"
    return f"{head}. " + ". ".join(parts) + "."


def chart_id(chart: Chart) -> str:
    """Return a stable id for the chart's SVG elements (the same chart, the same id)."""
    digest = hashlib.sha256(
        json.dumps(chart.to_json(), sort_keys=True, default=str).encode()
    ).hexdigest()
    return "chart-" + digest[:12]


def render_svg(chart: Chart, language: str = "en", sources: Sequence[SourceRef] = ()) -> str:
    """Return the chart as a complete, accessible SVG document (no XML prolog, inline-ready)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    lang = base_language(language)
    line = source_line(chart, sources, lang)
    with _DRAW_LOCK, rc_context(_RC):
        if chart.kind == "bar":
            count = max((len(s.points) for s in chart.series), default=1)
            height = min(12.0, 1.6 + 0.42 * count * max(1, len(chart.series)))
        else:
            height = 4.2
        figure = Figure(figsize=(7.2, height), dpi=100)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        if chart.kind == "line":
            _draw_lines(axes, chart)
        else:
            _draw_bars(axes, chart, lang)
        axes.set_title(chart.title, loc="left", fontsize=12, fontweight="bold")
        # Bars lie flat: the values run along the horizontal axis, the categories down it.
        across, down = (
            (chart.y_label, chart.x_label)
            if chart.kind == "bar"
            else (chart.x_label, chart.y_label)
        )
        axes.set_xlabel(across)
        axes.set_ylabel(down)
        axes.set_axisbelow(True)
        if len(chart.series) > 1:
            axes.legend(frameon=False)
        if line:
            figure.text(0.01, 0.01, line, fontsize=7.5, color="#333333", wrap=True)
        figure.tight_layout(rect=(0, 0.06 if line else 0, 1, 1))
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _accessible(buffer.getvalue(), chart, lang)


def _draw_lines(axes: Any, chart: Chart) -> None:
    numeric = all(
        isinstance(x, int | float | Decimal) and not isinstance(x, bool)
        for s in chart.series
        for x, _ in s.points
    )
    for i, series in enumerate(chart.series):
        xs = [float(x) if numeric else _label(x) for x, _ in series.points]  # type: ignore[arg-type]
        ys = [math.nan if y is None else float(y) for _, y in series.points]
        axes.plot(
            xs,
            ys,
            marker="o",
            markersize=3,
            linewidth=2,
            color=_COLOURS[i % len(_COLOURS)],
            label=series.name,
        )
    if numeric:
        from matplotlib.ticker import MaxNLocator

        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)


def _draw_bars(axes: Any, chart: Chart, language: str) -> None:
    categories: list[str] = []
    for series in chart.series:
        for x, _ in series.points:
            if _label(x) not in categories:
                categories.append(_label(x))
    count = max(1, len(chart.series))
    width = 0.8 / count
    words = _WORDS[language]
    for i, series in enumerate(chart.series):
        values = {_label(x): y for x, y in series.points}
        positions = [c + (i - (count - 1) / 2) * width for c in range(len(categories))]
        heights = [values.get(name) for name in categories]
        bars = axes.barh(
            positions,
            [0.0 if v is None else float(v) for v in heights],
            height=width * 0.9,
            color=_COLOURS[i % len(_COLOURS)],
            label=series.name,
        )
        labels = [words["no_data"] if v is None else format_number(v, language) for v in heights]
        axes.bar_label(bars, labels=labels, padding=3, fontsize=8)
    axes.set_yticks(range(len(categories)), [c for c in categories])
    axes.invert_yaxis()  # the first row (the highest of a ranking) at the top
    axes.margins(x=0.15)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)


_ROOT = re.compile(r"<svg\b([^>]*)>")
_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'(?:href="#|url\(#)([^")]+)')


def _scope_ids(svg: str, prefix: str) -> str:
    """Drop the ids nothing points at; prefix the others, so charts on one page never clash."""
    used = set(_REFERENCE.findall(svg))

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{prefix}-{name}"' if name in used else ""

    svg = _ID.sub(rename, svg)
    return _REFERENCE.sub(lambda m: m.group(0).replace(m.group(1), f"{prefix}-{m.group(1)}"), svg)


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.DOTALL)
# The CSS properties matplotlib writes that SVG also takes as presentation attributes.
_PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "clip-path",
    }
)


def _presentational(svg: str) -> str:
    """Turn style attributes and the <style> element into presentation attributes.

    A page whose Content-Security-Policy has no 'unsafe-inline' for styles (ours) ignores
    inline CSS, also inside an inline SVG; presentation attributes are not CSS and stay.
    """

    def attributes(match: re.Match[str]) -> str:
        out: list[str] = []
        for declaration in match.group(1).split(";"):
            name, _, value = (part.strip() for part in declaration.partition(":"))
            if name in _PRESENTATION and value:
                if name == "font-family":
                    value = f"{value}, sans-serif"
                out.append(f' {name}="{escape(value, {chr(34): "&quot;"})}"')
        return "".join(out)

    svg = _STYLE_ELEMENT.sub("", svg)
    return _STYLE_ATTRIBUTE.sub(attributes, svg)


def _accessible(svg: str, chart: Chart, language: str) -> str:
    ident = chart_id(chart)
    body = _presentational(_scope_ids(svg[svg.find("<svg") :], ident))
    match = _ROOT.match(body)
    if match is None:  # pragma: no cover - matplotlib always writes a root element
        raise ValueError("matplotlib wrote no <svg> element")
    title = escape(chart.title)
    desc = escape(describe_chart(chart, language))
    root = (
        f'<svg{match.group(1)} role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'lang="{language}" stroke-linejoin="round" stroke-linecap="butt">'
        f'<title id="{ident}-title">{title}</title><desc id="{ident}-desc">{desc}</desc>'
    )
    return root + body[match.end() :]
