"""What readers see: French tables with a title and a source line, and charts as
figures with alt text. HTML is built here, escaped, so a label can never inject markup."""
from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from IPython.display import HTML  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from . import fmt  # noqa: E402

PALETTE = "colorblind"  # Okabe-Ito-like, safe for the common colour-vision deficiencies


def setup_charts() -> None:
    """One look for every chart of the book."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font="DejaVu Sans")
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 110, "axes.titleweight": "bold", "svg.hashsalt": "contrat-ville"})


def table(frame: pd.DataFrame, title: str, source: str, note: str | None = None) -> HTML:
    """A captioned table; `frame` holds display strings already (see fmt.frame)."""
    frame = frame.copy()
    frame.columns.name = None
    body = frame.to_html(index=False, escape=True, border=0, classes="cv-table", na_rep=fmt.MISSING)
    parts = [f'<figure class="cv-figure cv-figure-table"><figcaption class="cv-title">{html.escape(title)}</figcaption>', body]
    parts.append(f'<p class="cv-source">Source : {html.escape(source)}</p>')
    if note:
        parts.append(f'<p class="cv-note">{html.escape(note)}</p>')
    parts.append("</figure>")
    return HTML("\n".join(parts))


def french_axis(ax, axis: str = "y", kind: str = "number", decimals: int = 0) -> None:
    """Tick labels formatted the French way (`1 000`, `41,4 %`, `13 397 €`)."""
    formatter = {"number": lambda v: fmt.number(v, decimals), "percent": lambda v: fmt.percent(v, decimals), "euros": fmt.euros}[kind]
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: formatter(v)))


def figure(fig, alt: str, title: str, source: str) -> HTML:
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


def provenance(chapter) -> HTML:
    """Collapsed block: parameters, raw inputs with SHA-256, outputs, package versions."""
    from .provenance import package_versions

    rows = "".join(
        f"<tr><td><code>{html.escape(v['file'])}</code></td><td><code>{v['sha256']}</code></td></tr>" for v in chapter.inputs.values()
    )
    params = ", ".join(f"{html.escape(k)} = {html.escape(str(v))}" for k, v in chapter.parameters.items())
    versions = ", ".join(f"{k} {v}" for k, v in package_versions().items())
    outputs = ", ".join(f"<code>{html.escape(o)}.csv</code>" for o in chapter.outputs)
    return HTML(
        '<details class="cv-provenance"><summary>Provenance de ce chapitre (paramètres, fichiers lus, versions)</summary>'
        f"<p><strong>Carnet</strong> : <code>notebooks/{html.escape(chapter.notebook)}.ipynb</code></p>"
        f"<p><strong>Paramètres</strong> : {params}</p>"
        f'<table class="cv-table"><thead><tr><th scope="col">Fichier brut lu</th><th scope="col">SHA-256</th></tr></thead><tbody>{rows}</tbody></table>'
        f"<p><strong>Tables produites</strong> : {outputs}</p>"
        f"<p><strong>Versions</strong> : {html.escape(versions)}</p></details>"
    )


class Text(str):
    """A string glued into prose.

    Its plain-text form is a quoted Python literal: myst-nb's `{glue:text}` role runs
    `ast.literal_eval` on the stored text to strip quotes, so an unquoted French number
    such as `1,47` would be read as the tuple `(1, 47)`. Quoted, it comes back unchanged."""

    def __repr__(self) -> str:
        return repr(str(self))

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(str(self)))


def glue_text(name: str, text: str) -> None:
    """Store a formatted value under `name` for `{glue}` roles in Markdown cells."""
    from myst_nb import glue

    glue(name, Text(text), display=False)


def key_figure_cards(cards: list[tuple[str, str]], title: str = "Chiffres clés") -> HTML:
    """The chapter's key figures first, as cards: (value as formatted text, what it is).

    Values come formatted from computed or published data (fmt, key_figures.format_value)."""
    items = "".join(
        f'<div class="cv-card"><p class="cv-card-value">{html.escape(value)}</p><p class="cv-card-label">{html.escape(label)}</p></div>'
        for value, label in cards)
    return HTML(f'<section class="cv-keyfigures" aria-label="{html.escape(title, quote=True)}">{items}</section>')


def check_line(label: str, published, computed, formatter=fmt.number) -> str:
    """`label : publié X, recalculé Y (écart Z)`: a published total beside its recomputation."""
    text = f"{label} : publié {formatter(published)}, recalculé {formatter(computed)}"
    if fmt._missing(published) or fmt._missing(computed):
        return text + " (comparaison impossible : valeur manquante)"
    gap = computed - published
    return text + (" (identiques)" if gap == 0 else f" (écart {formatter(gap)})")


def text_table(frame: pd.DataFrame, title: str, source: str, note: str | None = None) -> HTML:
    """`table` for text-heavy tables (labels, published wordings): every cell left-aligned."""
    rendered = table(frame, title, source, note)
    return HTML(rendered.data.replace("cv-table", "cv-table cv-text", 1))


def matrix_table(frame: pd.DataFrame, title: str, source: str, note: str | None = None) -> HTML:
    """`text_table` in a denser type, for cross-tabulations with many columns."""
    rendered = text_table(frame, title, source, note)
    return HTML(rendered.data.replace("cv-table cv-text", "cv-table cv-text cv-matrix", 1))


def key_figure_table(chapter, table: pd.DataFrame, title: str, note: str | None = None, **frame_options) -> HTML:
    """A table of published key figures (a `key_figures.indicator_table`, or part of one),
    with its source line citing the report lines of its figures and the territory note."""
    from . import citation, key_figures

    frame = key_figures.display_frame(table, **frame_options)
    source = citation.source_line(chapter, "key_figures", lines=key_figures.report_lines(table))
    return text_table(frame, title, source, note=note or key_figures.TERRITORY_NOTE)
