"""French source lines for the book's tables and charts.

The report prints a source under a few tables only ("Sources : INSEE 2015 ..."); most of
its tables are Grand Chambéry's own records, printed without a source. The line shown
in the book names the source as the report cites it when it does, otherwise the report
itself, always with the lines of the report and the raw file holding the data."""

from __future__ import annotations

import re

from contrat_ville.data.files import read_meta

REPORT = "Rapport annuel {year} du Contrat de Ville de Grand Chambéry"


def cited_source(meta: dict) -> str | None:
    """The source as printed in the report ('Source : X' → 'X'), or None if none is printed."""
    cited = " ".join(str(meta.get("source_as_cited") or "").split())
    match = re.match(r"^Sources?\s*:\s*(.+)$", cited)
    return match.group(1).rstrip(".") if match else None


def line_span(lines) -> str:
    """`l. 206-238`, or `l. 343` for a single line."""
    if not lines:
        return ""
    first, last = int(min(lines)), int(max(lines))
    return f"l. {first}" if first == last else f"l. {first}-{last}"


def source_line(
    chapter, names: str | list[str], lines: list[int] | None = None, computed: bool = False, cited: str | None = None
) -> str:
    """`INSEE 2015 (Rapport annuel 2018 ..., l. 108-121) ; données : data/raw/x.csv ; calcul : notebooks/c.ipynb`.

    `names`: the raw table(s) shown; `lines`: report lines (default: the first table's
    sidecar `report_lines`); `cited`: the source wording, when the sidecar's is not French."""
    names = [names] if isinstance(names, str) else list(names)
    meta = read_meta(names[0], chapter.raw_dir)
    span = line_span(lines if lines is not None else meta.get("report_lines") or [])
    origin = cited or cited_source(meta)
    name = REPORT.format(year=chapter.year)
    report = f"{name}, {span}" if span else name
    text = f"{origin} (d'après le {report[0].lower()}{report[1:]})" if origin else report
    text += " ; données : " + ", ".join(f"data/raw/{n}.csv" for n in names)
    if computed:
        text += f" ; calcul : notebooks/{chapter.notebook}.ipynb"
    return text
