"""Editions: each raw row carries the year of the annual report (or producer release) that
published it (`edition`); a new year is added as new rows. The edition model, declared per
table in the sidecar's `editions` block (data/raw/README.md, section "Editions"):

- `rows: carried`: every row stays valid until an edition restates it (dated series points,
  operations, events). An edition that does not restate a row carries it unchanged, with its
  own `edition` (the document that published it): history is never blanked nor "no longer
  published".
- `rows: current`: an edition gives the current value of each item (identity card, key figures,
  totals). An item the edition does not restate shows as "ND" and is listed as missing.
- `rows: own`: each edition has its own rows (the report's checks and items); never carried,
  never compared.

An item keeps its key (primary key without `edition`) across editions; a figure printed twice in
one report is one figure: the second row names the first in `restatement_of` (key_figures:
`duplicate_of`) and a later edition gives the figure once, under the first id. Annual, cumulative
and average figures are told apart by their period (`period_kind`, `period_start`, `period_end`):
two values whose period kind, start or unit differ are "not comparable", never up or down.

This module answers, for a requested year: which rows make the edition, what the edition lacks,
what changed since the previous edition, and which rows break the model (validation)."""

from __future__ import annotations

import re

import pandas as pd

from contrat_ville.data.errors import Violation

NOT_MEASURES = {"edition", "report_line", "period_start", "period_end", "year", "vintage", "value_high"}
NUMERIC_TYPES = {"number", "integer"}
LABEL_COLUMNS = (
    "indicator_id",
    "series_id",
    "figure_id",
    "measure_id",
    "item_id",
    "total_id",
    "operation_id",
    "action_id",
    "fact_id",
    "track_no",
)
CARRIED, CURRENT, OWN = "carried", "current", "own"
DATE_KEYS = ("year",)  # a key column that dates the row: the row is a point of a series
# Item statuses of a comparison, in the order the book shows them
STATUSES = (
    "up",
    "down",
    "equal",
    "revised",
    "new",
    "no_longer_published",
    "not_comparable",
    "carried",
    "still_nd",
)
CHANGES = ("up", "down", "revised", "not_comparable", "new", "no_longer_published")
COMPARISON_COLUMNS = [
    "table",
    "item",
    "measure",
    "previous_edition",
    "previous_period",
    "previous_value",
    "period",
    "value",
    "status",
    "reason",
]
GAP_COLUMNS = ["table", "item", "measure", "reason", "previous_edition"]


class NoDataForYear(ValueError):
    """The requested edition has no row in any input table."""


# --- the model, as declared in the sidecar -------------------------------------------------


def rules(meta: dict) -> dict:
    return meta.get("editions") or {}


def rows_kind(meta: dict) -> str:
    """carried, current or own (default: carried when the key holds a date, else current)."""
    declared = rules(meta).get("rows")
    if declared:
        return declared
    return CARRIED if any(k in DATE_KEYS for k in key_columns(meta)) else CURRENT


def key_columns(meta: dict) -> list[str]:
    """The primary key without `edition`: what identifies 'the same item' across editions."""
    return [k for k in meta["schema"].get("primaryKey", []) if k != "edition"]


def measure_columns(meta: dict) -> list[str]:
    """Columns holding the published quantities (declared in `editions.measures`, else numeric non-key fields)."""
    if "measures" in rules(meta):
        return list(rules(meta)["measures"])
    if "measures" in meta:
        return list(meta["measures"])
    keys = set(key_columns(meta))
    return [
        f["name"]
        for f in meta["schema"]["fields"]
        if f.get("type") in NUMERIC_TYPES and f["name"] not in keys and f["name"] not in NOT_MEASURES
    ]


def required_measures(meta: dict) -> list[str]:
    """Measures whose empty cell means ND (the others, e.g. the upper bound of a range, may be empty)."""
    optional = set(rules(meta).get("optional_measures", []))
    return [m for m in measure_columns(meta) if m not in optional]


def _restatement_column(meta: dict, frame: pd.DataFrame) -> str | None:
    column = rules(meta).get("restatement_of")
    return column if column and column in frame else None


def editions(table: pd.DataFrame) -> list[int]:
    return sorted(int(e) for e in table["edition"].dropna().unique()) if "edition" in table else []


def previous_edition(table: pd.DataFrame, year: int) -> int | None:
    earlier = [e for e in editions(table) if e < year]
    return earlier[-1] if earlier else None


def edition_before(tables: dict[str, pd.DataFrame], year: int) -> int | None:
    """The latest edition before `year` in any table: what 'the previous edition' is. A table
    that edition did not update is compared through its rows valid then (carried or ND)."""
    earlier = [e for t in tables.values() if "edition" in t for e in editions(t) if e < year]
    return max(earlier, default=None)


def edition_sources(tables: dict[str, pd.DataFrame], year: int) -> pd.Series:
    """Rows of edition `year` per source document they name, most cited first (ties by id):
    a row's `source_id`, or, in a table without that column, the annual report of the row's
    edition (`rapport-annuel-<edition>`, the rule validation enforces). Empty when no row of the
    edition names a source."""
    cited = []
    for table in tables.values():
        if "edition" not in table:
            continue
        rows = table[table["edition"] == year]
        if "source_id" in rows:
            cited.extend(rows["source_id"].dropna())
        else:
            cited.extend([f"rapport-annuel-{year}"] * len(rows))
    counts = pd.Series(cited, dtype="object").value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable").rename("rows")


def is_nd(frame: pd.DataFrame, meta: dict) -> pd.Series:
    """Rows that publish no value at all: every measure that must be given is empty (a row
    publishing one of its two counts is not ND; its empty cell is listed on its own)."""
    measures = [m for m in required_measures(meta) or measure_columns(meta) if m in frame]
    if not measures:
        return pd.Series(False, index=frame.index)
    return frame[measures].isna().all(axis=1)


# --- the rows of an edition ----------------------------------------------------------------


def _latest_per_key(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """For each key, its row of the latest edition (rows are already restricted to earlier editions)."""
    return rows.sort_values("edition", kind="stable").drop_duplicates(keys, keep="last")


def _absent(rows: pd.DataFrame, keys: list[str], present: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows.set_index(keys).index.isin(present.set_index(keys).index)]


def _derive_restatements(now: pd.DataFrame, earlier: pd.DataFrame, meta: dict, year: int) -> pd.DataFrame:
    """Rows printing again a figure (restatement_of) that the edition gives once, under its first id."""
    column = _restatement_column(meta, earlier)
    keys = key_columns(meta)
    if column is None or len(keys) != 1 or now.empty:
        return now.iloc[0:0]
    key = keys[0]
    restated = _latest_per_key(earlier[earlier[column].notna()], keys)
    restated = restated[~restated[key].isin(now[key])]
    sources = now.set_index(key)
    derived = restated[restated[column].isin(sources.index)].copy()
    copied = [
        c
        for c in (*measure_columns(meta), "value_status", "period_start", "period_end", "period_kind", "source_id")
        if c in derived
    ]
    for column_name in copied:
        derived[column_name] = derived[column].map(sources[column_name]).astype(derived[column_name].dtype)
    derived["edition"] = year
    if "report_line" in derived:
        derived["report_line"] = derived[column].map(sources["report_line"]).astype(derived["report_line"].dtype)
    return derived


def missing_rows(table: pd.DataFrame, meta: dict, year: int) -> pd.DataFrame:
    """Rows of earlier editions (the latest per item) that edition `year` does not restate and
    does not carry: the items of a `current` table the year lacks."""
    return for_edition(table, meta, year)[1]


def for_edition(table: pd.DataFrame, meta: dict, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows valid in edition `year`, and the items it lacks.

    Only editions up to `year` are read: an edition never sees a later one. `carried` rows
    not restated keep their own edition; items of a `current` table the year lacks appear
    with empty measures (value_status 'ND', edition `year`) and are returned in the second
    frame (their latest published row) so that they can be listed as missing."""
    if "edition" not in table:
        return table.reset_index(drop=True), table.iloc[0:0]
    rows = table[table["edition"] == year]
    earlier = table[table["edition"] < year]
    keys, kind = key_columns(meta), rows_kind(meta)
    if not keys or earlier.empty or kind == OWN:
        return rows.reset_index(drop=True), table.iloc[0:0]
    rows = pd.concat([rows, _derive_restatements(rows, earlier, meta, year)], ignore_index=True)
    absent = _absent(_latest_per_key(earlier, keys), keys, rows)
    if kind == CARRIED:
        return pd.concat([rows, absent]).reset_index(drop=True), table.iloc[0:0]
    if absent.empty:
        return rows.reset_index(drop=True), absent
    blank = absent.copy()
    blank["edition"] = year
    # no document publishes these values in this edition: no source, no line
    for column in measure_columns(meta) + [c for c in ("value_high", "report_line", "source_id") if c in blank]:
        blank[column] = pd.NA
    if "value_status" in blank:
        blank["value_status"] = "ND"
    return pd.concat([rows, blank], ignore_index=True), absent


def up_to(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of editions up to `year`: by `edition`, and for reference tables (territories,
    sources) by `first_edition`, the edition that introduced the row (empty: from the start)."""
    if "edition" in table:
        table = table[table["edition"] <= year]
    if "first_edition" in table:
        table = table[table["first_edition"].isna() | (table["first_edition"] <= year)]
    return table


def describe_keys(frame: pd.DataFrame, meta: dict) -> list[str]:
    """Short labels of rows, for messages: the indicator-like key column when there is one."""
    for column in LABEL_COLUMNS:
        if column in frame:
            return [str(v) for v in pd.unique(frame[column].astype("string"))]
    keys = key_columns(meta)
    return (
        ["/".join(str(v) for v in row) for row in frame[keys].itertuples(index=False)]
        if keys
        else [f"{len(frame)} rows"]
    )


def check_year(tables: dict[str, pd.DataFrame], year: int) -> None:
    """Refuse a year for which no input table has a single row, listing what is missing."""
    dated = {name: t for name, t in tables.items() if "edition" in t}
    if not dated or any((t["edition"] == year).any() for t in dated.values()):
        return
    lines = [
        f"no data for edition {year}: no input table has a row with edition = {year}.",
        f"Inputs missing for {year}, per table and indicator (latest edition available in brackets):",
    ]
    for name, table in sorted(dated.items()):
        latest = max(editions(table), default=None)
        if latest is None:
            lines.append(f"  - data/raw/{name}.csv: empty")
            continue
        labels = describe_keys(table[table["edition"] == latest], _meta(tables, name) or {"schema": {}})
        shown = ", ".join(labels[:8]) + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")
        lines.append(f"  - data/raw/{name}.csv [{latest}]: {shown}")
    present = sorted({e for t in dated.values() for e in editions(t)})
    lines.append(
        f"Add the rows of {year} as described in data/raw/README.md (section 'Adding a year'), "
        f"or choose an edition present in the data: {', '.join(map(str, present))}."
    )
    raise NoDataForYear("\n".join(lines))


# --- comparison of two editions ------------------------------------------------------------


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _period_kind(row: pd.Series, meta: dict):
    if "period_kind" in row.index and not pd.isna(row["period_kind"]):
        return row["period_kind"]
    return rules(meta).get("period_kind")


def period_label(row: pd.Series, meta: dict) -> str:
    """The period or vintage of a row, as data ('2015-2018', '2018'; '' when undated)."""
    if "period_start" in row.index and not pd.isna(row["period_start"]):
        start, end = int(row["period_start"]), int(row["period_end"])
        return str(start) if start == end else f"{start}-{end}"
    for column in (*DATE_KEYS, "vintage"):
        if column in row.index and not pd.isna(row[column]):
            return str(int(row[column])) if not isinstance(row[column], str) else row[column]
    return ""


def not_comparable(before: pd.Series, now: pd.Series, meta: dict) -> str | None:
    """Why two values of one item cannot be compared (period kind, start or length, unit), or None."""
    kind_before, kind_now = _period_kind(before, meta), _period_kind(now, meta)
    if not _same(kind_before, kind_now):
        return f"period_kind {kind_before} -> {kind_now}"
    if "period_start" in before.index:
        same_start = _same(before["period_start"], now["period_start"])
        if kind_now != "annual" and not same_start:
            return f"period {period_label(before, meta)} -> {period_label(now, meta)}"
        if kind_now == "annual" and not _same(
            before["period_end"] - before["period_start"], now["period_end"] - now["period_start"]
        ):
            return f"period {period_label(before, meta)} -> {period_label(now, meta)}"
    if "unit" in before.index and not _same(before["unit"], now["unit"]):
        return f"unit {before['unit']} -> {now['unit']}"
    return None


def _same_date(before: pd.Series, now: pd.Series, meta: dict) -> bool:
    """Both values describe the same period or vintage: a difference is a revision."""
    if rows_kind(meta) == CARRIED:
        return True  # the key holds the date (series point) or the item is a dated operation
    dated = [c for c in ("period_start", "period_end", "vintage") if c in before.index]
    if not dated:
        return False
    return all(_same(before[c], now[c]) for c in dated) and not all(pd.isna(before[c]) for c in dated)


def _first_given(row: pd.Series, measures: list[str]) -> str:
    """The first measure the row gives a value for (the one a listing shows)."""
    return next((m for m in measures if not pd.isna(row[m])), measures[0] if measures else "")


def _item_status(before, now, meta: dict, year: int) -> tuple[str, str, str]:
    """(status, measure, reason) of one item between two editions."""
    measures = measure_columns(meta)
    first = measures[0] if measures else ""
    if before is None:
        return "new", first, ""
    if rows_kind(meta) == CARRIED and int(now["edition"]) < year:
        return "carried", first, f"edition {int(now['edition'])} not restated"
    nd = lambda row: bool(is_nd(row.to_frame().T, meta).iloc[0])  # noqa: E731
    if nd(before) and nd(now):
        return "still_nd", first, ""
    if nd(before):
        return "new", _first_given(now, measures), "published after ND"
    if nd(now):
        return "no_longer_published", _first_given(before, measures), ""
    reason = not_comparable(before, now, meta)
    if reason:
        return "not_comparable", first, reason
    changed = [m for m in measures if not _same(before[m], now[m])]
    if not changed:
        return "equal", first, ""
    measure = changed[0]
    if _same_date(before, now, meta) or not pd.api.types.is_number(now[measure]):
        return "revised", measure, ""
    return ("up" if now[measure] > before[measure] else "down"), measure, ""


def compare(table: pd.DataFrame, meta: dict, year: int, previous: int) -> pd.DataFrame:
    """One row per item (not per measure): its values in both editions and what happened.

    status: up, down, equal, revised (same period or vintage, other value), new, no_longer_published
    (the previous edition published a value, this one does not), not_comparable (period kind,
    start or unit differ), carried (history this edition did not restate), still_nd."""
    keys = key_columns(meta)
    columns = ["table", *keys, *[c for c in COMPARISON_COLUMNS if c not in ("table", "item")]]
    if not keys or rows_kind(meta) == OWN:
        return pd.DataFrame(columns=columns)
    now, _ = for_edition(table, meta, year)
    before, _ = for_edition(table, meta, previous)
    restates = _restatement_column(meta, table)
    if restates:  # a figure printed twice is one item
        now, before = now[now[restates].isna()], before[before[restates].isna()]
    now, before = now.set_index(keys, drop=False), before.set_index(keys, drop=False)
    rows = []
    for key in before.index.union(now.index):
        old = before.loc[key] if key in before.index else None
        new = now.loc[key] if key in now.index else None
        if new is None:  # only in a table whose rows are not carried nor blanked: cannot happen
            continue
        status, measure, reason = _item_status(old, new, meta, year)
        key_values = key if isinstance(key, tuple) else (key,)
        rows.append(
            {
                "table": meta.get("name", ""),
                **dict(zip(keys, key_values)),
                "measure": measure,
                "previous_edition": int(old["edition"]) if old is not None else pd.NA,
                "previous_period": period_label(old, meta) if old is not None else "",
                "previous_value": old[measure] if old is not None and measure else pd.NA,
                "period": period_label(new, meta),
                "value": new[measure] if measure else pd.NA,
                "status": status,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _meta(tables: dict[str, pd.DataFrame], name: str) -> dict | None:
    """The sidecar beside frame `name` (raw.Tables keeps them in `.metas`); None for a plain dict."""
    return getattr(tables, "metas", {}).get(name)


def _dated(tables: dict[str, pd.DataFrame], year: int | None = None):
    """(name, table up to `year`, sidecar) of every validated table that has an edition column."""
    for name, table in sorted(tables.items()):
        meta = _meta(tables, name)
        if meta is not None and "edition" in table:
            yield name, (up_to(table, year) if year is not None else table), meta


def _key_labels(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    return [" / ".join(str(v) for v in row) for row in frame[keys].itertuples(index=False)]


def compare_all(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """compare() over every table having an edition before `year`; empty when there is none.
    Real changes first (by status order), then equal, carried and still-ND items."""
    frames = []
    previous = edition_before(tables, year)
    for name, table, meta in _dated(tables, year):
        if previous is None or rows_kind(meta) == OWN or not (table["edition"] <= previous).any():
            continue
        compared = compare(table, meta, year, previous)
        if compared.empty:
            continue
        keys = key_columns(meta)
        compared.insert(0, "item", _key_labels(compared, keys))
        frames.append(compared.drop(columns=keys).assign(table=name))
    if not frames:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    result = pd.concat(frames, ignore_index=True)[COMPARISON_COLUMNS]
    order = result["status"].map({s: i for i, s in enumerate(STATUSES)})
    return (
        result.assign(_order=order)
        .sort_values(["_order", "table", "item"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Items per status, every status listed (zero included), in the book's order."""
    counts = changes["status"].value_counts() if not changes.empty else pd.Series(dtype=int)
    return pd.DataFrame({"status": STATUSES, "items": [int(counts.get(s, 0)) for s in STATUSES]})


# --- what an edition lacks -----------------------------------------------------------------


def _series_points_missing(table: pd.DataFrame, meta: dict, year: int) -> list[dict]:
    """Series whose previous edition published a point for its own year and whose edition
    `year` publishes no point for `year`: the point is missing (history is carried)."""
    keys = key_columns(meta)
    date = next((k for k in keys if k in DATE_KEYS), None)
    previous = previous_edition(table, year)
    if date is None or previous is None:
        return []
    series_keys = [k for k in keys if k != date]
    before = table[(table["edition"] == previous) & (table[date] == previous)]
    now = table[(table["edition"] == year) & (table[date] == year)]
    lacking = _absent(before, series_keys, now) if not now.empty else before
    rows = []
    for row in lacking.itertuples(index=False):
        label = " / ".join([*(str(getattr(row, k)) for k in series_keys), str(year)])
        rows.append({"item": label, "measure": "", "reason": "series_point_missing", "previous_edition": previous})
    return rows


def gaps(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Every value the edition lacks, one row per table, item and measure, with the reason:
    'absent' (an item of an earlier edition not restated: shown ND), 'published_nd' (the row
    is there but a measure is not published), 'series_point_missing' (a series has no point for
    the edition year; its history is carried)."""
    rows = []
    for name, table, meta in _dated(tables, year):
        if rows_kind(meta) == OWN:
            continue
        keys = key_columns(meta) or [c for c in table.columns if c != "edition"][:2]
        restates = _restatement_column(meta, table)
        view, absent = for_edition(table, meta, year)
        if restates:
            absent, view = absent[absent[restates].isna()], view[view[restates].isna()]
        for label, edition in zip(_key_labels(absent, keys), absent["edition"]):
            rows.append(
                {"table": name, "item": label, "measure": "", "reason": "absent", "previous_edition": int(edition)}
            )
        current = view[view["edition"] == year]
        current = current[~current.set_index(keys).index.isin(absent.set_index(keys).index)]
        for measure in required_measures(meta):
            nd = current[current[measure].isna()]
            for label in _key_labels(nd, keys):
                rows.append(
                    {
                        "table": name,
                        "item": label,
                        "measure": measure,
                        "reason": "published_nd",
                        "previous_edition": pd.NA,
                    }
                )
        rows += [{"table": name, **r} for r in _series_points_missing(table, meta, year)]
    frame = pd.DataFrame(rows, columns=GAP_COLUMNS)
    frame["previous_edition"] = frame["previous_edition"].astype("Int64")
    return frame


def availability(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Per table: rows in the edition, items of earlier editions it does not update
    (`missing_rows`), every value it lacks (`missing_values`, see gaps), latest edition up to `year`,
    and how the table's rows behave across editions (`rows_kind`: carried, current, own)."""
    found = gaps(tables, year)
    absent = found.loc[found["reason"] == "absent", "table"].value_counts()
    missing = found["table"].value_counts()
    rows = []
    for name, table, meta in _dated(tables, year):
        rows.append(
            {
                "table": name,
                "title": meta.get("title", name),
                "rows": int((table["edition"] == year).sum()),
                "missing_rows": int(absent.get(name, 0)),
                "missing_values": int(missing.get(name, 0)),
                "latest_edition": max(editions(table), default=pd.NA),
                "rows_kind": rows_kind(meta),
            }
        )
    columns = ["table", "title", "rows", "missing_rows", "missing_values", "latest_edition", "rows_kind"]
    return pd.DataFrame(rows, columns=columns)


# the unit of a measure whose sidecar and rows give none (its French: presentation.edition_text)
UNIT_IN_DESCRIPTION = "see_description"


def checklist(tables: dict[str, pd.DataFrame], sources: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """What an evaluator fills in for a new year: per dated table, the columns that identify
    a row, the measures with their unit (UNIT_IN_DESCRIPTION when neither the sidecar nor the
    rows give one), how the edition treats rows left out, the producers and where their next
    vintage is published (editions up to `year` only)."""
    producers = sources.set_index("source_id")
    rows = []
    for name, table, meta in _dated(tables, year):
        fields = {f["name"]: f for f in meta["schema"]["fields"]}
        units = sorted(set(table["unit"].dropna().astype(str))) if "unit" in table else []
        measures = [
            f"{m} ({fields[m].get('unit') or ', '.join(units) or UNIT_IN_DESCRIPTION})" for m in measure_columns(meta)
        ]
        ids = [s for s in meta.get("source_ids", []) if s in producers.index]
        latest = max(editions(table), default=pd.NA)
        rows.append(
            {
                "table": name,
                "file": f"data/raw/{name}.csv",
                "title": meta.get("title", name),
                "row_key": ", ".join(key_columns(meta)),
                "rows_kind": rows_kind(meta),
                "measures": "; ".join(measures),
                "producers": "; ".join(dict.fromkeys(producers.loc[ids, "producer"])),
                "where_published": " | ".join(dict.fromkeys(producers.loc[ids, "update_from"])),
                "latest_edition": latest,
                "rows_in_latest_edition": int((table["edition"] == latest).sum()) if not pd.isna(latest) else 0,
            }
        )
    return pd.DataFrame(rows)


# --- validation of the model ---------------------------------------------------------------


def _line(index) -> int:
    return int(index) + 2  # header is line 1


def _row_source_violations(frame: pd.DataFrame, meta: dict, label: str, sources: set[str] | None) -> list[Violation]:
    """A table without a source_id column takes, per row, the annual report of the row's edition
    (`rapport-annuel-<edition>`): that source must exist in sources.csv."""
    if sources is None or "source_id" in frame or "edition" not in frame or not rules(meta):
        return []
    found = []
    for edition in editions(frame):
        if f"rapport-annuel-{edition}" not in sources:
            line = _line(frame.index[frame["edition"] == edition][0])
            found.append(
                Violation(
                    label,
                    f"this table has no source_id column, so the source of its edition-{edition} rows is the annual "
                    f"report 'rapport-annuel-{edition}', which data/raw/sources.csv does not list: add that source "
                    f"to sources.csv (see data/raw/README.md, 'Adding a year')",
                    line,
                    "edition",
                    edition,
                )
            )
    return found


def _restatement_violations(frame: pd.DataFrame, meta: dict, label: str) -> list[Violation]:
    column = _restatement_column(meta, frame)
    keys = key_columns(meta)
    if column is None or len(keys) != 1:
        return []
    key, found = keys[0], []
    for index, row in frame[frame[column].notna()].iterrows():
        same = frame[(frame["edition"] == row["edition"]) & (frame[key] == row[column])]
        if same.empty:
            found.append(
                Violation(
                    label,
                    f"{column} must name a {key} of the same edition ({int(row['edition'])}); "
                    f"give the first mention's {key}, or leave it empty if this is not a restatement",
                    _line(index),
                    column,
                    row[column],
                )
            )
            continue
        first = same.iloc[0]
        if not pd.isna(first[column]):
            found.append(
                Violation(
                    label,
                    f"{column} must name the first mention, not another restatement: use {first[column]}",
                    _line(index),
                    column,
                    row[column],
                )
            )
        for measure in measure_columns(meta):
            if not _same(first[measure], row[measure]):
                found.append(
                    Violation(
                        label,
                        f"a restatement must print the same value as {row[column]} (line {_line(same.index[0])}: "
                        f"{first[measure]}); if the report prints two different values, they are two figures: "
                        f"empty {column} and record the discrepancy in the sidecar's anomalies",
                        _line(index),
                        measure,
                        row[measure],
                    )
                )
    return found


def _identity_violations(frame: pd.DataFrame, meta: dict, label: str) -> list[Violation]:
    """Two figures of one edition sharing every identity column are one figure under two ids."""
    identity = [c for c in rules(meta).get("identity", []) if c in frame]
    keys = key_columns(meta)
    if not identity or "edition" not in frame:
        return []
    column = _restatement_column(meta, frame)
    figures = frame[frame[column].isna()] if column else frame
    doubled = figures[figures.duplicated(["edition", *identity], keep=False)]
    found = []
    for _, group in doubled.groupby(["edition", *identity], dropna=False, sort=False):
        first = group.iloc[0]
        for index, row in group.iloc[1:].iterrows():
            found.append(
                Violation(
                    label,
                    f"duplicate figure: same {', '.join(identity)} as {first[keys[0]]} (line {_line(group.index[0])}) "
                    f"in edition {int(row['edition'])}; one figure has one id: delete this row, or, if the report "
                    f"prints the figure twice, set {column or 'the restatement column'} to {first[keys[0]]}",
                    _line(index),
                    keys[0],
                    row[keys[0]],
                )
            )
    return found


def _period_violations(frame: pd.DataFrame, meta: dict, label: str) -> list[Violation]:
    found = []
    if "edition" not in frame:
        return found
    for index, row in frame.iterrows():
        edition = int(row["edition"])
        kind = _period_kind(row, meta)
        if "period_start" in frame and not pd.isna(row["period_start"]) and not pd.isna(row["period_end"]):
            start, end = int(row["period_start"]), int(row["period_end"])
            if start > end:
                found.append(
                    Violation(
                        label,
                        f"period_start {start} is after period_end {end}: swap them",
                        _line(index),
                        "period_start",
                        start,
                    )
                )
            elif kind == "annual" and start != end:
                found.append(
                    Violation(
                        label,
                        f"an annual figure covers one year, but its period is {start}-{end}: set period_kind to "
                        "cumulative or average, or make period_start equal period_end",
                        _line(index),
                        "period_kind",
                        kind,
                    )
                )
        for date in DATE_KEYS:
            if date in frame and date in key_columns(meta) and not pd.isna(row[date]) and int(row[date]) > edition:
                found.append(
                    Violation(
                        label,
                        f"edition {edition} cannot publish a value for {int(row[date])}: a year's value belongs to "
                        "that year's edition or a later one",
                        _line(index),
                        date,
                        int(row[date]),
                    )
                )
    return found


def _status_violations(frame: pd.DataFrame, meta: dict, label: str) -> list[Violation]:
    """value_status is 'ND' exactly when a measure that must be given is empty."""
    required = [m for m in required_measures(meta) if m in frame]
    if "value_status" not in frame or len(required) < 2:
        return []  # single measure 'value': checked by the schema (schemas._frame_checks)
    empty = frame[required].isna().any(axis=1)
    wrong = frame[(frame["value_status"] == "ND") != empty]
    return [
        Violation(
            label,
            f"value_status must be 'ND' exactly when one of {', '.join(required)} is empty "
            "(leave the unpublished cell empty and write ND)",
            _line(index),
            "value_status",
            row["value_status"],
        )
        for index, row in wrong.iterrows()
    ]


def violations(frame: pd.DataFrame, meta: dict, label: str, sources: set[str] | None = None) -> list[Violation]:
    """Every row of a typed table that breaks the edition model, with the fix in the message."""
    if "editions" not in meta:
        return []
    declared = {f["name"] for f in meta["schema"]["fields"]}
    unknown = [m for m in measure_columns(meta) if m not in declared]
    if unknown:
        return [Violation(label, f"editions.measures names undeclared columns {unknown}: fix the sidecar")]
    if rows_kind(meta) not in (CARRIED, CURRENT, OWN):
        return [Violation(label, f"editions.rows must be one of carried, current, own, not {rows_kind(meta)!r}")]
    return [
        *_status_violations(frame, meta, label),
        *_restatement_violations(frame, meta, label),
        *_identity_violations(frame, meta, label),
        *_period_violations(frame, meta, label),
        *_row_source_violations(frame, meta, label, sources),
    ]


# a period in a French title: "2015-2018", "2015 – 2018", "entre 2015 et 2018", "de 2015 à 2018"
TITLE_PERIOD = re.compile(r"(?:\b(?:entre|de)\s+)?\b((?:19|20)\d\d)\s*(?:[-–]|et|à)\s*((?:19|20)\d\d)\b")


def stale_titles(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Tables whose sidecar title names a period that ends before an edition its rows hold
    (e.g. "… 2015-2018" over rows of the 2019 edition): the title, shown in the book, is no
    longer true and is for the evaluator to update (the title is data: never rewritten here)."""
    rows = []
    for name, table, meta in _dated(tables, year):
        latest = max(editions(table), default=None)
        match = TITLE_PERIOD.search(str(meta.get("title", "")))
        if latest is not None and match and int(match.group(2)) < latest:
            rows.append(
                {"table": name, "title": meta["title"], "period_end": int(match.group(2)), "latest_edition": latest}
            )
    return pd.DataFrame(rows, columns=["table", "title", "period_end", "latest_edition"])
