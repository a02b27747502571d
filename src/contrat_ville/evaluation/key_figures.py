"""Key figures of the report as period-aware indicators.

A key figure is published with a qualifier ("environ", "près de", "plus de", a range)
and a period of a given kind (one year, a cumulative total, a yearly average, a one-off
event, a situation). Both are data: they are kept with the figure (the book prints them
with contrat_ville.presentation.key_figures_text), and figures of different period kinds
are never added together (`sum_figures` refuses).

This module also decides in which chapter of the book each key figure of
`data/raw/key_figures.csv` is shown (`assign_chapters`): the coverage page and every
chapter use the same function, so the two can never disagree."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# Figures of these kinds are totals over their period and can be added to one another
# when they cover the same period; annual values of distinct years add up to a cumulative.
ADDITIVE_UNITS_EXCLUDED = {"%", "fois"}


class IncompatibleFigures(ValueError):
    """Raised when figures cannot be added: different units, periods or period kinds."""


def sum_figures(figures: pd.DataFrame) -> dict:
    """Add figures that can be added, and say what the sum is.

    Allowed: the same unit (a count), and either the same period kind and period (e.g. two
    cumulative totals 2017-2018), or annual values of distinct years (their sum is a
    cumulative total over the span). An annual figure is never added to a cumulative one,
    a yearly average never to anything, a share never. Qualifiers carry over: one "environ"
    makes the sum "environ"; "plus de" stays "plus de" when the others are exact. A part not
    published (ND) makes the sum ND (never a sum of the published parts)."""
    if figures.empty:
        raise IncompatibleFigures("nothing to add")
    units = set(figures["unit"])
    if len(units) != 1:
        raise IncompatibleFigures(f"different units cannot be added: {sorted(units)}")
    unit = units.pop()
    if unit in ADDITIVE_UNITS_EXCLUDED:
        raise IncompatibleFigures(f"figures in '{unit}' are not additive")
    if (figures["qualifier"] == "range").any():
        raise IncompatibleFigures("a range cannot be added")
    kinds = set(figures["period_kind"])
    if len(kinds) != 1:
        raise IncompatibleFigures(f"different period kinds cannot be added: {sorted(kinds)}")
    kind = kinds.pop()
    if kind in ("annual_average", "stock"):
        raise IncompatibleFigures(f"'{kind}' figures are not additive over time or across items")
    periods = set(zip(figures["period_start"], figures["period_end"]))
    if kind == "annual" and len(periods) > 1:
        years = [int(s) for s, _ in periods]
        if len(years) != len(figures) or any(s != e for s, e in periods):
            raise IncompatibleFigures("annual figures must be of distinct single years to be added")
        result_kind, start, end = "cumulative", min(years), max(years)
    else:
        if len(periods) != 1:
            raise IncompatibleFigures(f"figures of different periods cannot be added: {sorted(periods)}")
        (start, end), result_kind = periods.pop(), kind
    qualifiers = set(figures["qualifier"])
    if qualifiers <= {"exact"}:
        qualifier = "exact"
    elif qualifiers <= {"exact", "plus_de"}:
        qualifier = "plus_de"
    else:
        qualifier = "environ"
    # a part not published (ND) leaves the sum unknown: ND is never added as zero
    total = figures["value"].sum(min_count=len(figures))
    return {
        "value": pd.NA if pd.isna(total) else float(total),
        "unit": unit,
        "qualifier": qualifier,
        "period_kind": result_kind,
        "period_start": int(start),
        "period_end": int(end),
    }


# ---------------------------------------------------------------------------------------
# Where each key figure is shown in the book

# report chapter (key_figures.chapter) → book chapter; 'synthese' is handled below
REPORT_TO_BOOK = {
    "portrait": "portrait",
    "cadre_de_vie": "cadre_de_vie",
    "qva": "quartiers_veille",
    "emploi": "emploi",
    "reussite_educative": "cohesion_sociale",
    "culture_sport": "cohesion_sociale",
    "citoyennete": "cohesion_sociale",
    "prevention_sante": "cohesion_sociale",
    "numerique": "numerique",
    "financements": "financements",
}

# sections of the Cohésion sociale chapter: the report's four chapters of the pillar
# (their titles are the vocabulary's `report_chapters`)
COHESION_SECTIONS = ("reussite_educative", "culture_sport", "citoyennete", "prevention_sante")

# summary figures ('synthese') with no later mention: by theme first, then by pillar
SYNTHESIS_THEME_TO_BOOK = {
    "financement": "financements",
    "renouvellement_urbain": "cadre_de_vie",
    "education_aux_medias": "numerique",
    "inclusion_numerique": "numerique",
}
SYNTHESIS_PILLAR_TO_BOOK = {
    "emploi_developpement_economique": "emploi",
    "cohesion_sociale": "cohesion_sociale",
    "cadre_de_vie_renouvellement_urbain": "cadre_de_vie",
    "transversal": "cohesion_sociale",
}
# report chapter of a cohesion-sociale summary figure, by theme
SYNTHESIS_THEME_TO_SECTION = {
    "reussite_educative": "reussite_educative",
    "parentalite": "reussite_educative",
    "sport": "culture_sport",
    "culture": "culture_sport",
    "chantiers_jeunes": "prevention_sante",
    "mediation": "prevention_sante",
    "prevention_jeunesse": "prevention_sante",
    "sante": "prevention_sante",
}
DEFAULT_COHESION_SECTION = "citoyennete"


def _home_of_summary_row(row: pd.Series, figures: pd.DataFrame) -> pd.Series | None:
    """The later mention a summary figure follows (same measure first), if any."""
    later = figures[figures["duplicate_of"] == row["figure_id"]]
    if later.empty:
        return None
    same = later[later["measure"] == row["measure"]]
    return (same if not same.empty else later).iloc[0]


def assign_chapters(figures: pd.DataFrame) -> pd.DataFrame:
    """`figures` (key_figures rows) with `book_chapter`, `section` and `assignment_rule`.

    Rules, in order:
    1. a figure of a report chapter goes to the book chapter covering it
       (REPORT_TO_BOOK); in Cohésion sociale its section is its report chapter;
    2. a summary figure ('synthese') repeated later goes where its later mention is
       (the mention with the same measure first);
    3. a summary figure printed in the same sentence (same report line) as such a figure
       follows it;
    4. otherwise by theme (SYNTHESIS_THEME_TO_BOOK), then by pillar."""
    out = figures.copy()
    chapters, sections, rules = {}, {}, {}
    for _, row in out.iterrows():
        if row["chapter"] != "synthese":
            if row["chapter"] not in REPORT_TO_BOOK:
                raise ValueError(f"{row['figure_id']}: report chapter {row['chapter']!r} has no book chapter")
            chapters[row["figure_id"]] = REPORT_TO_BOOK[row["chapter"]]
            sections[row["figure_id"]] = row["chapter"] if row["chapter"] in COHESION_SECTIONS else ""
            rules[row["figure_id"]] = ("report_chapter", "")
    summary = out[out["chapter"] == "synthese"]
    for _, row in summary.iterrows():
        home = _home_of_summary_row(row, out)
        if home is not None:
            chapters[row["figure_id"]] = chapters[home["figure_id"]]
            sections[row["figure_id"]] = sections[home["figure_id"]]
            rules[row["figure_id"]] = ("follows_repeat", home["figure_id"])
    for _, row in summary.iterrows():
        if row["figure_id"] in chapters:
            continue
        same_line = summary[
            (summary["report_line"] == row["report_line"])
            & summary["figure_id"].isin([f for f, r in rules.items() if r[0] == "follows_repeat"])
        ]
        if not same_line.empty:
            lead = same_line.iloc[0]["figure_id"]
            chapters[row["figure_id"]], sections[row["figure_id"]] = chapters[lead], sections[lead]
            rules[row["figure_id"]] = ("same_sentence", lead)
            continue
        book = SYNTHESIS_THEME_TO_BOOK.get(row["theme"]) or SYNTHESIS_PILLAR_TO_BOOK[row["pillar"]]
        chapters[row["figure_id"]] = book
        sections[row["figure_id"]] = (
            SYNTHESIS_THEME_TO_SECTION.get(row["theme"], DEFAULT_COHESION_SECTION) if book == "cohesion_sociale" else ""
        )
        rules[row["figure_id"]] = ("synthesis_theme", "")
    out["book_chapter"] = out["figure_id"].map(chapters)
    out["section"] = out["figure_id"].map(sections)
    out["assignment_rule"] = out["figure_id"].map(lambda f: rules[f][0] if f in rules else None)
    out["assignment_lead"] = out["figure_id"].map(lambda f: rules[f][1] if f in rules else None)
    return out


def for_chapter(figures: pd.DataFrame, book_chapter: str, section: str | None = None) -> pd.DataFrame:
    """The key figures shown in `book_chapter` (and `section`), in report order."""
    assigned = assign_chapters(figures)
    chosen = assigned[assigned["book_chapter"] == book_chapter]
    if section is not None:
        chosen = chosen[chosen["section"] == section]
    return chosen.sort_values(["report_line", "figure_id"]).reset_index(drop=True)


def report_lines(table: pd.DataFrame) -> list[int]:
    """Every report line an indicator table cites (its `report_lines` column, '27, 345')."""
    return [int(line) for cell in table["report_lines"] for line in str(cell).split(", ") if line]


def tidy(table: pd.DataFrame, book_chapter: str) -> pd.DataFrame:
    """The columns of an indicator table worth saving to data/processed."""
    columns = [
        "figure_ids",
        "root_id",
        "pillar",
        "theme",
        "section",
        "action",
        "operator",
        "measure",
        "value",
        "value_high",
        "qualifier",
        "unit",
        "period_start",
        "period_end",
        "period_kind",
        "period_label",
        "display_value",
        "territory_id",
        "report_lines",
        "other_mentions",
    ]
    out = table.reindex(columns=columns).copy()
    out.insert(0, "book_chapter", book_chapter)
    return out


TIDY_COLUMNS = {
    "book_chapter": "chapter of the book showing the line",
    "figure_ids": "key_figures.csv rows folded into this line (same figure, same reading)",
    "root_id": "first mention of the figure in the report",
    "pillar": "pillar of the contract",
    "theme": "theme",
    "section": "section of the chapter (report chapter), if any",
    "action": "scheme or action as printed",
    "operator": "operator as printed",
    "measure": "what is counted",
    "value": "published value (low end of a range)",
    "value_high": "high end of a range",
    "qualifier": "exact, environ, pres_de, plus_de or range",
    "unit": "unit as published",
    "period_start": "first year",
    "period_end": "last year",
    "period_kind": "annual, cumulative, annual_average, one_off, stock",
    "period_label": "period as shown in the book",
    "display_value": "value as shown in the book (qualifier and unit kept)",
    "territory_id": "territory",
    "report_lines": "lines of the report where the figure is printed",
    "other_mentions": "other mentions of the same figure that read differently",
}


def shown_records(
    book_chapter: str, figure_ids: Iterable[str], raw_tables: Iterable[str], section_of: dict | None = None
) -> pd.DataFrame:
    """What a chapter shows, as saved in `<chapter>_shown.csv` and joined by the coverage page."""
    rows = [
        {
            "book_chapter": book_chapter,
            "item_kind": "key_figure",
            "item_id": f,
            "section": (section_of or {}).get(f, ""),
        }
        for f in figure_ids
    ]
    rows += [{"book_chapter": book_chapter, "item_kind": "raw_table", "item_id": t, "section": ""} for t in raw_tables]
    return pd.DataFrame(rows, columns=["book_chapter", "item_kind", "item_id", "section"])


SHOWN_COLUMNS = {
    "book_chapter": "chapter of the book",
    "item_kind": "key_figure (a key_figures.csv row) or raw_table (a data/raw table)",
    "item_id": "figure_id or raw table name",
    "section": "section of the chapter, if any",
}
