"""Chart helpers shared by the chapters: bars whose missing values show as "ND" (never as a
zero bar), value labels written the French way on every bar (colour is never the only cue),
and sizes and type legible on a phone.

Charts are saved as PNG by `display.figure`; on a phone the stylesheet shows them at about
640 CSS px in a box that scrolls sideways, so a chart drawn about 6 inches wide with 11 pt
type keeps its text at a readable size there and on a desktop column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from contrat_ville.presentation import display, fmt  # noqa: E402

WIDTH = 6.2  # inches: about one desktop column, shown at ~640 CSS px on a phone
FONT_SIZE = 11
ROW_HEIGHT = 0.5  # inches per bar of a horizontal bar chart
MISSING_COLOUR = "0.45"  # the "ND" label: dark grey, readable on white (contrast above 4.5:1)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None or NaN: not available), the text written beside it,
    its colour, and an optional upper end (a published range such as 24 to 26 %)."""

    label: str
    value: float | None
    text: str
    colour: object = None
    high: float | None = None


def missing(value: object) -> bool:
    """True for a value the chart shows as ND."""
    return fmt.is_missing(value)


def size(n_bars: int, extra: float = 1.3, width: float = WIDTH) -> tuple[float, float]:
    """A figure size for `n_bars` horizontal bars: the height grows with the bars."""
    return (width, round(extra + ROW_HEIGHT * max(n_bars, 1), 2))


def range_text(low: object, high: object, formatter: Callable[[object], str] = fmt.number) -> str:
    """A published value or range: `17 %`, `24 à 26 %`; ND when missing.

    `formatter` formats the upper end (the unit is written once, at the end)."""
    if missing(low):
        return fmt.MISSING
    if missing(high) or low == high:
        return formatter(low)
    return f"{fmt.number(low, _decimals(low))} à {formatter(high)}"


def _decimals(value) -> int:
    return 0 if float(value).is_integer() else 1


def hbars(ax: Axes, bars: list[Bar], xlabel: str, kind: str = "number", decimals: int = 0) -> None:
    """Horizontal bars, top to bottom in the order given, each with its text at its end.

    A missing value draws no bar: the text (ND) sits at the origin in grey, so that a value the
    report does not give never reads as zero. A range draws the bar to its low end and a line
    to its high end. `kind` formats the axis (`number`, `percent`, `euros`)."""
    positions = list(range(len(bars)))
    known = [b for b in bars if not missing(b.value)]
    top = max([b.high if not missing(b.high) else b.value for b in known], default=1) or 1
    for y, bar in zip(positions, bars):
        if missing(bar.value):
            ax.text(top * 0.01, y, bar.text, va="center", ha="left", fontsize=FONT_SIZE, color=MISSING_COLOUR)
            continue
        ax.barh(y, float(bar.value), color=bar.colour if bar.colour is not None else sns.color_palette()[0])
        end = float(bar.value)
        if not missing(bar.high) and bar.high != bar.value:
            ax.plot([end, float(bar.high)], [y, y], color="black", linewidth=2.5, solid_capstyle="butt")
            end = float(bar.high)
        ax.text(end + top * 0.015, y, bar.text, va="center", ha="left", fontsize=FONT_SIZE)
    ax.set_yticks(positions)
    ax.set_yticklabels([b.label for b in bars], fontsize=FONT_SIZE)
    ax.set_ylim(len(bars) - 0.5, -0.5)  # first bar on top
    ax.set_xlim(0, top * 1.3)  # room for the text at the end of the longest bar
    ax.set_xlabel(xlabel, fontsize=FONT_SIZE)
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # few ticks: wide French labels (`20 000 €`) never touch
    ax.grid(axis="y", visible=False)
    display.french_axis(ax, "x", kind, decimals)
    sns.despine(ax=ax)


def bar_chart(
    bars: list[Bar], xlabel: str, kind: str = "number", decimals: int = 0, title: str | None = None
) -> Figure:
    """A figure of one `hbars` panel; returns the figure."""
    fig, ax = plt.subplots(figsize=size(len(bars)))
    hbars(ax, bars, xlabel, kind, decimals)
    if title:
        ax.set_title(title, fontsize=FONT_SIZE + 1, loc="left")
    fig.tight_layout()
    return fig


def panels(groups: list[tuple[str, list[Bar], str, str]], decimals: int = 0) -> Figure:
    """Several `hbars` panels stacked vertically (a phone column is narrow): each group is
    (panel title, bars, axis label, axis kind). Returns the figure."""
    heights = [ROW_HEIGHT * max(len(bars), 1) + 1.1 for _, bars, _, _ in groups]
    fig, axes = plt.subplots(
        len(groups), 1, figsize=(WIDTH, round(sum(heights), 2)), gridspec_kw={"height_ratios": heights}
    )
    axes = [axes] if len(groups) == 1 else list(axes)
    for ax, (title, bars, xlabel, kind) in zip(axes, groups):
        hbars(ax, bars, xlabel, kind, decimals)
        ax.set_title(title, fontsize=FONT_SIZE + 1, loc="left")
    fig.tight_layout()
    return fig


def short_label(text: str, limit: int = 40) -> str:
    """A bar label that fits a phone column: a long name loses its parenthesis, then its end
    (`ANPAA (Association Nationale ...)` → `ANPAA`); the alt text keeps the full wording."""
    text = str(text).strip()
    if len(text) <= limit:
        return text
    if " (" in text:
        text = text.split(" (", 1)[0]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def alt_items(bars: list[Bar]) -> str:
    """`label : text` for each bar, joined by ` ; ` (the chart's values for its alt text)."""
    return " ; ".join(f"{b.label} : {b.text}" for b in bars)


def frame_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    formatter: Callable[[object], str],
    colour: str | None = None,
    high: str | None = None,
) -> list[Bar]:
    """`Bar`s from the rows of a frame: the `label` column, the `value` column formatted by
    `formatter` (ND when missing), optional `colour` and `high` columns."""
    bars = []
    for row in frame.to_dict("records"):
        low = row[value]
        top = row[high] if high else None
        text = range_text(low, top, formatter) if high else (fmt.MISSING if missing(low) else formatter(low))
        bars.append(
            Bar(
                label=str(row[label]),
                value=None if missing(low) else float(low),
                text=text,
                colour=row[colour] if colour else None,
                high=None if missing(top) else float(top),
            )
        )
    return bars
