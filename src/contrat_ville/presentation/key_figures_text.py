"""Key figures of the report as the book prints them: the value with its qualifier, unit
and period ("environ 9 000 personnes par an", "2015-2018 (cumul)"), the tables of a chapter
and their French columns. Which figure goes where, and what can be added, is computed in
contrat_ville.evaluation.key_figures; the labels come from the vocabulary."""

from __future__ import annotations

import pandas as pd

from contrat_ville.presentation import fmt, vocabulary

# short names for the territory column of the key-figure tables (the others keep territories.csv names)
TERRITORY_SHORT_NAMES = {"qpv-ensemble": "Les deux QPV", "qva-ensemble": "Ensemble des QVA"}

TERRITORY_NOTE = "Territoire « Grand Chambéry » : l'agglomération, ou un périmètre que le rapport ne précise pas."


def number_text(value: object, unit: str) -> str:
    """A value in French without qualifier: `9 000`, `94,8 %`, `4 265 462 €`, `10,8`."""
    return fmt.by_unit(value, unit)


def unit_text(value: object, unit: str) -> str:
    """The unit as shown after the number (`%` and `€` are part of the number)."""
    return fmt.unit_noun(value, unit)


def format_value(
    value: object,
    unit: str,
    qualifier: str = "exact",
    value_high: object = None,
    period_kind: str | None = None,
    with_unit: bool = True,
) -> str:
    """The figure as a reader should see it, qualifier and unit kept.

    `format_value(9000, "personnes", "environ", period_kind="annual_average")` →
    `environ 9 000 personnes par an`; a range → `1 500 à 2 000 participants`."""
    if fmt.is_missing(value):
        return fmt.MISSING
    if qualifier not in vocabulary.QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    if qualifier == "range":
        if fmt.is_missing(value_high):
            raise ValueError("a range needs value_high")
        text = f"{fmt.by_unit(value, unit, bare=True)} à {fmt.by_unit(value_high, unit, noun=with_unit)}"
    else:
        text = fmt.qualified(fmt.by_unit(value, unit, noun=with_unit), qualifier)
    if period_kind == "annual_average":
        text = f"{text} {vocabulary.PERIOD_KINDS['annual']}"
    return text


def period_label(start: object, end: object, kind: str) -> str:
    """`2015-2018 (cumul)`, `2018`, `2015-2018 (moyenne annuelle)`, `2018 (ponctuel)`."""
    start, end = int(start), int(end)
    if kind not in vocabulary.PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    span = str(start) if start == end else f"{start}-{end}"
    if kind == "annual" and start == end:
        return span
    return f"{span} ({vocabulary.PERIOD_KINDS[kind]})"


def render(row: object) -> str:
    """`format_value` applied to a key_figures row (a Series or a namedtuple)."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    return format_value(get("value"), get("unit"), get("qualifier"), get("value_high"), get("period_kind"))


def annotate(figures: pd.DataFrame) -> pd.DataFrame:
    """A copy of key_figures rows with the value and the period as the book shows them."""
    out = figures.copy()
    out["display_value"] = [render(r) for _, r in out.iterrows()]
    out["period_label"] = [period_label(r.period_start, r.period_end, r.period_kind) for r in out.itertuples()]
    return out


def indicator_table(figures: pd.DataFrame, territory_names: pd.Series | None = None) -> pd.DataFrame:
    """One line per distinct figure, ready to save (tidy) and to show.

    Mentions of the same figure (linked by duplicate_of) that read the same (value,
    qualifier, unit, period and territory) are folded into one line listing every
    figure_id and report line; mentions that differ stay on their own line, pointing to the
    other mention, so the discrepancy stays visible."""
    rows = annotate(figures)
    rows["root_id"] = rows["duplicate_of"].fillna(rows["figure_id"])
    key = ["root_id", "display_value", "period_label", "territory_id"]
    lines = []
    for _, group in rows.groupby(key, sort=False, dropna=False):
        first = group.iloc[0]
        line = first.to_dict()
        line["figure_ids"] = ", ".join(group["figure_id"])
        line["report_lines"] = ", ".join(str(int(x)) for x in group["report_line"].dropna())
        others = rows[(rows["root_id"] == first["root_id"]) & ~rows["figure_id"].isin(group["figure_id"])]
        line["other_mentions"] = ", ".join(
            f"{r.figure_id} (l. {fmt.MISSING if pd.isna(r.report_line) else int(r.report_line)} : {r.display_value})"
            for r in others.itertuples()
        )
        lines.append(line)
    table = pd.DataFrame(lines)
    if territory_names is not None:
        names = {**territory_names.to_dict(), **TERRITORY_SHORT_NAMES}
        table["territory_name"] = table["territory_id"].map(names).fillna(table["territory_id"])
    return table.sort_values(["report_line", "figure_id"]).reset_index(drop=True)


def action_label(row: object) -> str:
    """`Action — opérateur`, or whichever of the two is printed."""
    action = row.get("action") if hasattr(row, "get") else row.action
    operator = row.get("operator") if hasattr(row, "get") else row.operator
    parts = [p for p in (action, operator) if isinstance(p, str) and p.strip()]
    if len(parts) == 2 and parts[0].strip().lower() == parts[1].strip().lower():
        parts = parts[:1]
    return " — ".join(parts)


def display_frame(
    table: pd.DataFrame, with_theme: bool = False, theme_labels: dict | None = None, main_pillar: str | None = None
) -> pd.DataFrame:
    """French display columns of an `indicator_table`, for display.table.

    With `with_theme`, a first column names the theme; a figure whose pillar is not
    `main_pillar` gets its pillar in brackets (e.g. "Insertion (enjeux transversaux)")."""
    shown = pd.DataFrame(
        {
            "Action — opérateur": [action_label(r) or "—" for _, r in table.iterrows()],
            "Indicateur": table["measure"],
            "Chiffre publié": table["display_value"],
            "Période": table["period_label"],
            "Territoire": table.get("territory_name", table["territory_id"]),
            "Réf.": [_reference(r) for _, r in table.iterrows()],
        }
    )
    if (shown["Action — opérateur"] == "—").all():
        shown = shown.drop(columns="Action — opérateur")  # context figures (e.g. the portrait's) have no action
    if with_theme:
        labels = theme_labels or vocabulary.THEMES
        themes = table["theme"].map(labels).fillna(table["theme"])
        if main_pillar is not None:
            other = table["pillar"] != main_pillar
            pillars = table["pillar"].map(vocabulary.PILLARS).fillna(table["pillar"]).str.lower()
            themes = themes.where(~other, themes + " (" + pillars + ")")
        shown.insert(0, "Thème", themes.values)
    return shown


def _reference(row: pd.Series) -> str:
    """`l. 341` (and other mentions); `—` for a figure with no report line in this edition (an
    item the edition does not restate, shown ND), never a bare `l.`."""
    lines = row["report_lines"]
    if lines is None or (not isinstance(lines, str) and pd.isna(lines)) or not str(lines).strip():
        text = fmt.NOT_APPLICABLE
    else:
        text = f"l.\u00a0{lines}"  # no line break between "l." and the number
    if row.get("other_mentions"):
        text += f" ; autre mention : {row['other_mentions']}"
    return text
