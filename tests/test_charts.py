"""Charts: accessible, deterministic SVG, and the plotted rows as CSV."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from civicllm.charts import (
    chart_rows,
    describe_chart,
    format_number,
    render_csv,
    render_svg,
    source_line,
)
from civicllm.tools.view import Chart, Series, SourceRef

SVG = "{http://www.w3.org/2000/svg}"
TREND = Chart(
    kind="line",
    title="Access to electricity, Kenya",
    x_label="Year",
    y_label="% of population",
    series=(Series("Kenya", ((2000, 15.2), (2005, None), (2010, 19.2), (2023, 76.2))),),
    source="World Bank WDI, release 2026-07-01",
)
RANKING = Chart(
    kind="bar",
    title="Lowest access, Sub-Saharan Africa, 2023",
    x_label="Country",
    y_label="% of population",
    series=(Series("2023", (("Chad", 11.8), ("Burundi", 10.3), ("Malawi", None))),),
    source="World Bank WDI",
)
WDI = SourceRef("World Bank WDI", "https://data.worldbank.org/", "CC BY 4.0", "2026-07-01")


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("chart", [TREND, RANKING], ids=["line", "bar"])
def test_svg_is_valid_accessible_and_keeps_text_as_text(chart: Chart) -> None:
    svg = render_svg(chart, "en", (WDI,))
    assert svg.startswith("<svg")  # no prolog: ready to place inside a page
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == chart.title
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = texts(root)
    assert chart.title in labels
    assert chart.x_label in labels and chart.y_label in labels  # both axes labelled
    assert any(label.startswith("Source: World Bank WDI") for label in labels)
    assert "CC BY 4.0" in " ".join(labels)
    assert "<path" in svg and "glyph" not in svg  # text is not drawn as outlines
    assert "<script" not in svg
    # A page whose CSP forbids inline CSS still draws it: presentation attributes only.
    assert "style=" not in svg and "<style" not in svg


def test_the_same_chart_gives_the_same_bytes() -> None:
    assert render_svg(TREND, "fr") == render_svg(TREND, "fr")
    assert render_svg(RANKING, "de") == render_svg(RANKING, "de")
    assert "<dc:date>" not in render_svg(TREND, "en")


def test_ids_are_scoped_to_the_chart() -> None:
    one, two = render_svg(TREND, "en"), render_svg(RANKING, "en")
    found_one = {e.get("id") for e in ET.fromstring(one).iter() if e.get("id")}
    found_two = {e.get("id") for e in ET.fromstring(two).iter() if e.get("id")}
    assert found_one and not found_one & found_two  # two charts on one page never clash


def test_bars_are_horizontal_with_categories_down_the_side() -> None:
    root = ET.fromstring(render_svg(RANKING, "en"))
    labels = texts(root)
    for name in ("Chad", "Burundi", "Malawi"):
        assert name in labels
    assert "no data" in labels  # a missing value is marked, not drawn as zero
    assert "11.8" in labels and "10.3" in labels


@pytest.mark.parametrize(
    ("chart", "language", "expected"),
    [
        (
            TREND,
            "en",
            "Line chart, % of population. Kenya: 15.2 in 2000, 76.2 in 2023; no value for 2005.",
        ),
        (
            TREND,
            "de",
            "Liniendiagramm, % of population. Kenya: 15,2 im Jahr 2000, 76,2 im Jahr 2023; "
            "kein Wert für 2005.",
        ),
        (
            RANKING,
            "es",
            "Gráfico de barras, % of population. 2023: máximo 11,8 (Chad), mínimo 10,3 "
            "(Burundi); sin valor para Malawi.",
        ),
        (
            RANKING,
            "fr",
            "Graphique en barres, % of population. 2023 : le plus haut 11,8 (Chad), le plus bas "
            "10,3 (Burundi) ; aucune valeur pour Malawi.",
        ),
    ],
)
def test_desc_sums_the_series_up(chart: Chart, language: str, expected: str) -> None:
    assert describe_chart(chart, language) == expected
    desc = ET.fromstring(render_svg(chart, language)).find(f"{SVG}desc")
    assert desc is not None and desc.text == expected


def test_csv_rows_are_exactly_the_plotted_points_then_the_source() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(TREND, (WDI,)))))
    assert rows[0] == ["Series", "Year", "% of population"]
    plotted = [(name, str(x), "" if y is None else str(y)) for name, x, y in chart_rows(TREND)]
    assert [tuple(r) for r in rows[1:-1]] == plotted
    assert plotted == [
        ("Kenya", "2000", "15.2"),
        ("Kenya", "2005", ""),
        ("Kenya", "2010", "19.2"),
        ("Kenya", "2023", "76.2"),
    ]
    [line] = rows[-1]
    assert line == source_line(TREND, (WDI,))
    assert "CC BY 4.0" in line and "https://data.worldbank.org/" in line


def test_csv_headers_follow_the_language() -> None:
    assert render_csv(RANKING, (), "de").splitlines()[0] == "Reihe,Country,% of population"


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (76.25, "en", "76.3"),
        (76.0, "en", "76"),
        (55100586, "en", "55,100,586"),
        (55100586, "de", "55.100.586"),
        (55100586, "fr", "55\u202f100\u202f586"),
        (1234.56, "es", "1.234,6"),
    ],
)
def test_format_number(value: float, language: str, expected: str) -> None:
    assert format_number(value, language) == expected
