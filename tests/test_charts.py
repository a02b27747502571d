"""Chart helpers: a missing value is drawn as "ND", never as a zero bar; values and ranges are
written the French way; labels fit a phone column."""

import math

import matplotlib.pyplot as plt
import pandas as pd

from contrat_ville.presentation import charts, fmt


def test_range_text_french_and_missing():
    assert charts.range_text(24, 26, lambda v: fmt.percent(v, 0)) == "24 à 26 %"
    assert charts.range_text(17, 17, lambda v: fmt.percent(v, 0)) == "17 %"
    assert charts.range_text(17, None, lambda v: fmt.percent(v, 0)) == "17 %"
    assert charts.range_text(None, None, fmt.percent) == "ND"
    assert charts.range_text(float("nan"), 3, fmt.percent) == "ND"


def test_frame_bars_keep_missing_values_missing():
    frame = pd.DataFrame({"t": ["QPV", "QVA"], "v": [41.4, None]})
    bars = charts.frame_bars(frame, "t", "v", fmt.percent)
    assert [b.text for b in bars] == ["41,4 %", "ND"]
    assert bars[0].value == 41.4 and bars[1].value is None


def test_hbars_draw_no_bar_for_nd_and_label_it():
    bars = [
        charts.Bar("Hauts-de-Chambéry", 41.4, "41,4 %"),
        charts.Bar("Quartiers en veille active", None, "ND"),
        charts.Bar("Grand Chambéry", 11.9, "11,9 %"),
    ]
    fig, ax = plt.subplots()
    charts.hbars(ax, bars, "Taux de pauvreté (%)", kind="percent")
    widths = [p.get_width() for p in ax.patches]
    assert widths == [41.4, 11.9]  # two bars: the ND row has none, not a zero-width one
    texts = {t.get_text(): t.get_position()[1] for t in ax.texts}
    assert texts == {"41,4 %": 0, "ND": 1, "11,9 %": 2}
    assert [t.get_text() for t in ax.get_yticklabels()] == [b.label for b in bars]
    assert ax.get_xlabel() == "Taux de pauvreté (%)"
    assert all("." not in t.get_text() for t in ax.get_xticklabels())  # French ticks (`10 %`)
    plt.close(fig)


def test_range_draws_a_bar_to_its_low_end_and_a_line_to_its_high_end():
    fig, ax = plt.subplots()
    charts.hbars(ax, [charts.Bar("QPV", 24, "24 à 26 %", high=26)], "Part (%)", kind="percent")
    assert [p.get_width() for p in ax.patches] == [24]
    (line,) = ax.lines
    assert list(line.get_xdata()) == [24, 26]
    plt.close(fig)


def test_all_missing_does_not_fail():
    fig, ax = plt.subplots()
    charts.hbars(ax, [charts.Bar("QVA", None, "ND")], "Part (%)")
    assert not ax.patches and [t.get_text() for t in ax.texts] == ["ND"]
    plt.close(fig)


def test_panels_and_size():
    bars = [charts.Bar("A", 1, "1"), charts.Bar("B", 2, "2")]
    fig = charts.panels([("Un", bars, "x", "number"), ("Deux", bars[:1], "x", "number")])
    assert len(fig.axes) == 2 and [a.get_title(loc="left") for a in fig.axes] == ["Un", "Deux"]
    assert math.isclose(fig.get_size_inches()[0], charts.WIDTH)
    plt.close(fig)
    assert charts.size(4) == (charts.WIDTH, 3.3)
    assert charts.size(0)[1] > 0


def test_short_label_and_alt_items():
    assert charts.short_label("Ludo") == "Ludo"
    assert charts.short_label("ANPAA (Association Nationale de Prévention en Alcoologie et en Addictologie)") == "ANPAA"
    cut = charts.short_label("x" * 60)
    assert len(cut) == 40 and cut.endswith("…")
    bars = [charts.Bar("A", 1, "1 %"), charts.Bar("B", None, "ND")]
    assert charts.alt_items(bars) == "A : 1 % ; B : ND"
