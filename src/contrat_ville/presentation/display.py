"""What readers see: French tables with a title and a source line, and charts as
figures with alt text. HTML is built here, escaped, so a label can never inject markup."""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from IPython.display import HTML  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from contrat_ville.presentation import fmt  # noqa: E402

PALETTE = "colorblind"  # Okabe-Ito-like, safe for the common colour-vision deficiencies


def setup_charts() -> None:
    """One look for every chart of the book."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font="DejaVu Sans")
    plt.rcParams.update(
        {"figure.dpi": 100, "savefig.dpi": 110, "axes.titleweight": "bold", "svg.hashsalt": "contrat-ville"}
    )


def table(
    frame: pd.DataFrame,
    title: str,
    source: str,
    note: str | None = None,
    links: dict[str, str] | None = None,
    quotes: list[str] | None = None,
    trace: bool = False,
) -> HTML:
    """A captioned table; `frame` holds display strings already (see fmt.frame).

    A `trace` table (raw selectors, file and function names) has fixed column widths and
    wraps those names anywhere on a desktop screen, so that it fits the text column.

    `links` maps a column to the column holding its link targets: the cell becomes a link
    (text and target escaped) and the target column is not shown. In the `quotes` columns,
    each passage between guillemets is a quote of the report, kept as printed and marked
    as such (see `mark_quotes`)."""
    frame = frame.copy()
    frame.columns.name = None
    escape = True
    links = links or {}
    if links or quotes:
        escape = False  # every cell is escaped here instead, so that links and quotes can be real markup
        for column in frame.columns:
            if column not in links.values():
                frame[column] = [fmt.MISSING if pd.isna(v) else html.escape(str(v)) for v in frame[column]]
        for column in quotes or []:
            frame[column] = [mark_quotes(v) for v in frame[column]]
        for column, target in links.items():
            frame[column] = [  # an empty target: the text alone, not a link to the page itself
                f'<a href="{html.escape(str(h), quote=True)}">{t}</a>' if isinstance(h, str) and h else t
                for t, h in zip(frame[column], frame[target])
            ]
        frame = frame.drop(columns=list(links.values()))
    body = mark_number_cells(
        frame.to_html(
            index=False,
            escape=escape,
            border=0,
            classes="cv-table cv-trace" if trace else "cv-table",
            na_rep=fmt.MISSING,
        )
    )
    # A table wider than the screen scrolls inside its figure: keyboard users can reach it
    # (tabindex); its accessible name is the figcaption (a role would override the figure's).
    parts = [
        f'<figure class="cv-figure cv-figure-table" tabindex="0"><figcaption class="cv-title">{html.escape(title)}</figcaption>',
        body,
    ]
    parts.append(f'<p class="cv-source">Source : {html.escape(source)}</p>')
    if note:
        parts.append(f'<p class="cv-note">{html.escape(note)}</p>')
    parts.append("</figure>")
    return HTML("\n".join(parts))


_NUMBER_CELL = re.compile(r"<td>(\s*[-−+]?\d[\d\s\u00a0\u202f,.]*(?:\s*(?:%|‰|k?€|M€))?\s*)</td>")


def mark_number_cells(body: str) -> str:
    """`<td class="cv-num">` for the cells that hold one formatted figure (`13 397 €`, `41,4 %`):
    the stylesheet keeps them on one line while text cells wrap to fit the page."""
    return _NUMBER_CELL.sub(r'<td class="cv-num">\1</td>', body)


_QUOTE = re.compile(r"«[^«»]*»")


def mark_quotes(escaped: str) -> str:
    """Each passage between guillemets of an (escaped) text wrapped in `<span class="cv-quote">`:
    words of the report, whose typography (`10.8 millions`, `36%`) is kept as printed; the
    site checks of French number formats skip them (contrat_ville.publish.site.visible_text)."""
    return _QUOTE.sub(lambda m: f'<span class="cv-quote">{m.group(0)}</span>', escaped)


def french_axis(ax: Any, axis: str = "y", kind: str = "number", decimals: int = 0) -> None:
    """Tick labels formatted the French way (`1 000`, `41,4 %`, `13 397 €`)."""
    formatter = {
        "number": lambda v: fmt.number(v, decimals),
        "percent": lambda v: fmt.percent(v, decimals),
        "euros": fmt.euros,
    }[kind]
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: formatter(v)))


def figure(fig: Any, alt: str, title: str, source: str) -> HTML:
    """A chart as an HTML figure: PNG embedded (no external file), alt text, title, source."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return HTML(
        f'<figure class="cv-figure cv-figure-chart"><figcaption class="cv-title">{html.escape(title)}</figcaption>'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" class="cv-chart"/>'
        f'<p class="cv-source">Source : {html.escape(source)}</p></figure>'
    )


def link(href: str, text: str, download: bool = True) -> str:
    return f'<a href="{html.escape(href, quote=True)}"{" download" if download else ""}>{html.escape(text)}</a>'


GLUE_PREFIX = "application/papermill.record/"  # myst_nb.ext.glue.GLUE_PREFIX


def glue_text(name: str, text: str) -> None:
    """Store a formatted value under `name` for `{glue}` roles in Markdown cells.

    The output myst_nb.glue(name, text, display=False) writes, without importing myst_nb.ext.glue:
    its import pulls nbformat and jsonschema, whose URI grammars took 10 to 20 s to compile in the
    first chapter of each kernel (tests/test_display_helpers.py checks the output is the same)."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    # A plain str, so its text/plain form is a quoted literal ('1,47'): myst-nb's {glue:text}
    # runs ast.literal_eval on that form, which turns an unquoted French decimal such as
    # 1,47 into the tuple (1, 47).
    bundle, metadata = format_display_data(str(text))
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def note(text: str) -> HTML:
    """A short French remark in the page (escaped)."""
    return HTML(f'<p class="cv-note">{html.escape(text)}</p>')


def findings(sentences: list[str], title: str = "En bref") -> HTML:
    """Generated sentences as a short list under a heading-like label (escaped); nothing if empty."""
    items = "".join(f"<li>{html.escape(t)}</li>" for t in sentences if t)
    if not items:
        return HTML("")
    return HTML(
        f'<section class="cv-findings" aria-label="{html.escape(title, quote=True)}"><ul>{items}</ul></section>'
    )


def key_figure_cards(cards: list[tuple[str, str]], title: str = "Chiffres clés") -> HTML:
    """The chapter's key figures first, as cards: (value as formatted text, what it is).

    Values come formatted from computed or published data (fmt, key_figures_text.format_value)."""
    items = "".join(
        f'<div class="cv-card"><p class="cv-card-value">{html.escape(value)}</p><p class="cv-card-label">{html.escape(label)}</p></div>'
        for value, label in cards
    )
    return HTML(f'<section class="cv-keyfigures" aria-label="{html.escape(title, quote=True)}">{items}</section>')


def check_line(label: str, published: object, computed: object, formatter: Callable[[object], str] = fmt.number) -> str:
    """`label : publié X, recalculé Y (écart Z)`: a published total beside its recomputation."""
    text = f"{label} : publié {formatter(published)}, recalculé {formatter(computed)}"
    if fmt._missing(published) or fmt._missing(computed):
        return text + " (comparaison impossible : valeur manquante)"
    gap = computed - published
    return text + (" (identiques)" if gap == 0 else f" (écart {formatter(gap)})")


def text_table(
    frame: pd.DataFrame, title: str, source: str, note: str | None = None, quotes: list[str] | None = None
) -> HTML:
    """`table` for text-heavy tables (labels, published wordings): every cell left-aligned."""
    rendered = table(frame, title, source, note, quotes=quotes)
    return HTML(rendered.data.replace("cv-table", "cv-table cv-text", 1))


def matrix_table(frame: pd.DataFrame, title: str, source: str, note: str | None = None) -> HTML:
    """`text_table` in a denser type, for cross-tabulations with many columns."""
    rendered = text_table(frame, title, source, note)
    return HTML(rendered.data.replace("cv-table cv-text", "cv-table cv-text cv-matrix", 1))


def key_figure_table(
    chapter: Any, table: pd.DataFrame, title: str, note: str | None = None, **frame_options: object
) -> HTML:
    """A table of published key figures (a `key_figures_text.indicator_table`, or part of one),
    with its source line citing the report lines of its figures and the territory note."""
    from contrat_ville.evaluation import key_figures
    from contrat_ville.presentation import citation, key_figures_text

    frame = key_figures_text.display_frame(table, **frame_options)
    source = citation.source_line(chapter, "key_figures", lines=key_figures.report_lines(table))
    return text_table(frame, title, source, note=note or key_figures_text.TERRITORY_NOTE)
