"""French source lines for the book's tables and charts.

The report prints a source under a few tables only ("Sources : INSEE 2015 ..."); most of
its tables are Grand Chambéry's own records, printed without a source. The line shown
in the book names the source as the report cites it when it does, otherwise the report
itself, always with the lines of the report and the raw file holding the data.

The sidecar's wording describes the rows of the table's first edition (the transcribed
report). Rows of a later edition, or from another source, are cited from their own
`source_id` (sources.csv) and edition: the line under a table names the documents of the
rows it actually shows (`rows`), never the sidecar's 2018 sources under 2019 values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from contrat_ville.data.files import read_meta

REPORT = "Rapport annuel {year} du Contrat de Ville de Grand Chambéry"
REPORTS = "Rapports annuels {years} du Contrat de Ville de Grand Chambéry"


def cited_source(meta: dict) -> str | None:
    """The source as printed in the report ('Source : X' → 'X'), or None if none is printed."""
    cited = " ".join(str(meta.get("source_as_cited") or "").split())
    match = re.match(r"^Sources?\s*:\s*(.+)$", cited)
    return match.group(1).rstrip(".") if match else None


def line_span(lines: Iterable[int]) -> str:
    """`l. 206-238`, or `l. 343` for a single line."""
    if not lines:
        return ""
    first, last = int(min(lines)), int(max(lines))
    return f"l. {first}" if first == last else f"l. {first}-{last}"


def source_line(
    chapter: Any,
    names: str | list[str],
    lines: list[int] | None = None,
    computed: bool = False,
    cited: str | None = None,
    rows: pd.DataFrame | None = None,
) -> str:
    """`INSEE 2015 (Rapport annuel 2018 ..., l. 108-121) ; données : data/raw/x.csv ; calcul : notebooks/c.ipynb`.

    `names`: the raw table(s) shown; `lines`: report lines (default: the first table's
    sidecar `report_lines`); `cited`: the source wording, when the sidecar's is not French;
    `rows`: the rows shown (default: the rows of the first table the chapter loaded for its
    edition). Rows of a later edition or another source are cited from their own source_id."""
    names = [names] if isinstance(names, str) else list(names)
    meta = read_meta(names[0], chapter.raw_dir)
    origin_rows = _origin(chapter, names[0], meta, rows)
    span = line_span(lines if lines is not None else meta.get("report_lines") or [])
    origin = cited or cited_source(meta)
    if origin_rows is not None:
        first = _first_edition(chapter, names[0])
        name = report_name([first] if origin_rows["sidecar"] else origin_rows["editions"][:1])
        report = f"{name}, {span}" if span and origin_rows["sidecar"] else name
        described = f"{origin} (d'après le {report[0].lower()}{report[1:]})" if origin else report
        parts = ([described] if origin_rows["sidecar"] else []) + origin_rows["later"]
        text = " ; ".join(parts)
    else:  # every row shown is the first edition's (described by the sidecar), whatever the run's year
        name = REPORT.format(year=_first_edition(chapter, names[0]) or chapter.year)
        report = f"{name}, {span}" if span else name
        text = f"{origin} (d'après le {report[0].lower()}{report[1:]})" if origin else report
    text += " ; données : " + ", ".join(f"data/raw/{n}.csv" for n in names)
    if computed:
        text += f" ; calcul : notebooks/{chapter.notebook}.ipynb"
    return text


def _french_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def report_name(years: Iterable[int]) -> str:
    """`Rapport annuel 2018 ...`, or `Rapports annuels 2018 et 2019 ...` for rows of several editions."""
    years = sorted({int(y) for y in years})
    if len(years) == 1:
        return REPORT.format(year=years[0])
    return REPORTS.format(years=_french_list([str(y) for y in years]))


def described_by_sidecar(rows: pd.DataFrame, meta: dict, first_edition: int | None) -> pd.Series:
    """Rows the sidecar's source wording describes: the first edition's, from the sidecar's sources."""
    if "edition" not in rows or first_edition is None:
        return pd.Series(True, index=rows.index)
    described = rows["edition"] == first_edition
    if "source_id" in rows:
        described &= rows["source_id"].isin(meta.get("source_ids", [])) | rows["source_id"].isna()
    return described.fillna(False)


def later_sources(rows: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """`Producer (vintage) (édition 2019, l. 12-15)` per edition and source of rows the sidecar does not describe."""
    cited = sources.set_index("source_id")
    parts = []
    by = ["edition", "source_id"] if "source_id" in rows else ["edition"]
    for key, group in rows.groupby(by, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        edition = int(key[0])
        # a table without source_id takes the annual report of the row's edition
        source = key[1] if len(key) > 1 and isinstance(key[1], str) else f"rapport-annuel-{edition}"
        if source in cited.index:
            row = cited.loc[source]
            vintage = row.get("vintage_fr")
            name = f"{row['producer']} ({vintage})" if isinstance(vintage, str) and vintage else str(row["producer"])
        else:
            name = source
        lines = group["report_line"].dropna() if "report_line" in group else []
        span = line_span(list(lines))
        parts.append(f"{name} (édition {int(edition)}{', ' + span if span else ''})")
    return parts


def rows_origin(
    rows: pd.DataFrame | None, meta: dict, sources: pd.DataFrame | None, first_edition: int | None
) -> dict | None:
    """For `rows` shown: the editions, whether the sidecar wording applies to some of them, and
    the citations of the others; None when every row is described by the sidecar."""
    if rows is None or rows.empty or "edition" not in rows or sources is None:
        return None
    if "source_id" in rows:  # rows shown ND because the edition lacks them cite no document
        rows = rows[rows["source_id"].notna() | (rows["edition"] == first_edition)]
    described = described_by_sidecar(rows, meta, first_edition)
    if described.all():
        return None
    return {
        "editions": sorted({int(e) for e in rows["edition"].dropna()}),
        "sidecar": bool(described.any()),
        "later": later_sources(rows[~described], sources),
    }


def _first_edition(chapter, name: str) -> int | None:
    table = getattr(chapter, "tables", {}).get(name)
    if table is None or "edition" not in table or table["edition"].dropna().empty:
        return None
    return int(table["edition"].min())


def _origin(chapter, name: str, meta: dict, rows: pd.DataFrame | None) -> dict | None:
    """rows_origin() for the rows shown, or for the rows the chapter loaded for its edition."""
    if rows is None:
        rows = getattr(chapter, "views", {}).get(name)
    sources = getattr(chapter, "sources", lambda: None)()
    return rows_origin(rows, meta, sources, _first_edition(chapter, name))
