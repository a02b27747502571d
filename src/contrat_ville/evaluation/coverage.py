"""Where each table and key figure of the report appears in the book, or why it does not.

The chapters and the coverage page share these declarations: a chapter notebook shows
the key figures `key_figures.for_chapter` selects for it and the raw tables listed in
CHAPTER_RAW_TABLES, and saves both in `<chapter>_shown.csv`; the coverage page computes
the same assignment from the raw data. Tests check the chapters' saved lists and pages
against it, so a figure dropped from a page cannot stay listed as shown."""

from __future__ import annotations

import pandas as pd

from contrat_ville.evaluation import key_figures

# raw tables whose content a chapter displays (each cited in a source line of the page)
CHAPTER_RAW_TABLES = {
    "portrait": ["identity_card", "iris_quartier_vecu", "establishments", "demography_shares", "key_figures"],
    "cadre_de_vie": [
        "urban_renewal",
        "fonds_de_concours",
        "fonds_de_concours_totals",
        "bellevue_financing_plan",
        "bellevue_coeur_de_cite",
        "key_figures",
    ],
    "quartiers_veille": ["qva_actions_2018", "fonds_de_concours", "fonds_de_concours_totals"],
    "emploi": ["annual_series", "establishments", "key_figures"],
    "cohesion_sociale": ["key_figures"],
    "numerique": ["key_figures"],
    "financements": ["financing_2015_2018", "financing_2015_2018_totals", "key_figures"],
    "perspectives": ["improvement_tracks_2016"],
    "couverture": ["report_items", "key_figures"],
}

# raw tables citing the report that pages outside the report's chapters display (the
# scorecard's indicator catalogue, the audit's claims, the assumptions log)
OTHER_PAGES_RAW_TABLES = {
    "tableau_de_bord": ["indicators"],
    "controle": ["report_claims"],
    "hypotheses": ["assumptions"],
}


ITEM_COVERAGE_COLUMNS = [
    "item_id",
    "kind",
    "title_published",
    "report_lines",
    "status_in_text",
    "raw_tables",
    "coverage",
    "book_chapters",
    "reason",
]


# Coverage statuses and reasons are ids; their French labels are in presentation/vocabulary.yaml
# (sections `coverage_statuses`, `coverage_reasons`), applied by presentation.coverage_text.
IN_BOOK, GAP, REFERENCE = "in_book", "not_shown", "reference"
STATUSES = (IN_BOOK, GAP, REFERENCE)

# raw tables that are references for the others, not content of the report: their role (a reason id)
REFERENCE_TABLES = {"territories": "reference_territories", "sources": "reference_sources"}

# why a report item whose content did not survive the text conversion is not in the book
STATUS_REASONS = {"chart_lost": "chart_lost", "qualitative": "qualitative"}
# the reasons a row may give, several joined by ";" (CITED_VALUES_SHOWN adds to another one)
CITED_VALUES_SHOWN = "cited_values_shown"  # values cited in the item's commentary are shown (book_chapters)
REASONS = (
    "transcribed_not_displayed",
    "chart_redrawn",
    *STATUS_REASONS.values(),
    CITED_VALUES_SHOWN,
    "no_chapter",
    "raw_table_not_displayed",
    *REFERENCE_TABLES.values(),
)


def chapters_showing(raw_table: str, chapter_tables: dict[str, list[str]] = CHAPTER_RAW_TABLES) -> list[str]:
    """Book chapters that display `raw_table`, in table-of-contents order."""
    return [chapter for chapter, tables in chapter_tables.items() if raw_table in tables]


def report_item_coverage(
    items: pd.DataFrame, chapter_tables: dict[str, list[str]] = CHAPTER_RAW_TABLES
) -> pd.DataFrame:
    """One row per table or chart of the report: in the book (which chapters) or not (why: reason
    ids of REASONS, `;`-separated)."""
    rows = []
    for item in items.itertuples(index=False):
        tables = [] if pd.isna(item.raw_tables) else item.raw_tables.split(";")
        chapters = list(
            dict.fromkeys(c for t in tables for c in chapters_showing(t, chapter_tables) if c != "couverture")
        )
        if item.status in ("transcribed", "chart_lost_data_in_table") and tables:
            shown_everywhere = all(chapters_showing(t, chapter_tables) for t in tables)
            status = IN_BOOK if shown_everywhere else GAP
            reason = "" if shown_everywhere else "transcribed_not_displayed"
            if item.status == "chart_lost_data_in_table" and shown_everywhere:
                reason = "chart_redrawn"
        else:
            status = GAP
            reason = STATUS_REASONS.get(item.status, item.status)
            if tables and chapters:
                reason += ";" + CITED_VALUES_SHOWN
        rows.append(
            {
                "item_id": item.item_id,
                "kind": item.kind,
                "title_published": item.title_published,
                "report_lines": f"{item.report_line_start}-{item.report_line_end}",
                "status_in_text": item.status,
                "raw_tables": ";".join(tables),
                "coverage": status,
                "book_chapters": ";".join(chapters) if status == IN_BOOK or chapters else "",
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=ITEM_COVERAGE_COLUMNS)  # an edition may transcribe no item


def key_figure_coverage(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per key_figures row: the chapter (and section) of the book showing it.
    `figures` carry the value and period as printed (`display_value`, `period_label`:
    contrat_ville.presentation.key_figures_text.annotate)."""
    missing = {"display_value", "period_label"} - set(figures.columns)
    if missing:
        raise ValueError(
            f"key_figure_coverage needs the printed columns {sorted(missing)}: pass key_figures_text.annotate(figures)"
        )
    assigned = key_figures.assign_chapters(figures)
    out = (
        assigned[
            [
                "figure_id",
                "chapter",
                "report_line",
                "measure",
                "display_value",
                "period_label",
                "book_chapter",
                "section",
                "assignment_rule",
                "assignment_lead",
            ]
        ]
        .rename(columns={"chapter": "report_chapter"})
        .reset_index(drop=True)
    )
    out["coverage"] = [IN_BOOK if isinstance(c, str) and c else GAP for c in out["book_chapter"]]
    out["reason"] = ["" if c == IN_BOOK else "no_chapter" for c in out["coverage"]]
    return out


def raw_table_coverage(names: list[str], chapter_tables: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """One row per data/raw table: chapters displaying it, or its role if it is a reference.
    By default the report's chapters and the other pages that display raw tables."""
    if chapter_tables is None:
        chapter_tables = {**CHAPTER_RAW_TABLES, **OTHER_PAGES_RAW_TABLES}
    rows = []
    for name in names:
        chapters = [c for c in chapters_showing(name, chapter_tables)]
        if name in REFERENCE_TABLES:
            rows.append(
                {
                    "raw_table": name,
                    "coverage": REFERENCE,
                    "book_chapters": ";".join(chapters),
                    "reason": REFERENCE_TABLES[name],
                }
            )
        else:
            rows.append(
                {
                    "raw_table": name,
                    "coverage": IN_BOOK if chapters else GAP,
                    "book_chapters": ";".join(chapters),
                    "reason": "" if chapters else "raw_table_not_displayed",
                }
            )
    return pd.DataFrame(rows, columns=["raw_table", "coverage", "book_chapters", "reason"])


# the kinds of report items the coverage page counts (their French names: presentation.coverage_text)
SUMMARY_KINDS = ("table", "chart", "key_figure")


def summary(items: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Counts for the coverage page, one row per `kind` of SUMMARY_KINDS: report tables,
    charts and key figures (mentions), in the book or not."""
    rows = []
    for kind in SUMMARY_KINDS:
        frame = figures if kind == "key_figure" else items[items["kind"] == kind]
        rows.append(
            {
                "kind": kind,
                "total": len(frame),
                "in_book": int((frame["coverage"] == IN_BOOK).sum()),
                "gaps": int((frame["coverage"] == GAP).sum()),
            }
        )
    return pd.DataFrame(rows)
