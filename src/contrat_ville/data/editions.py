"""Editions: each raw row carries the year of the annual report that published it
(`edition`). A new year is added as new rows. This module answers, for a requested
year: which rows exist, which rows of the previous edition have no counterpart (they are
shown as "ND" and listed as missing data), and what changed between two editions."""

from __future__ import annotations

import pandas as pd

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


class NoDataForYear(ValueError):
    """The requested edition has no row in any input table."""


def key_columns(meta: dict) -> list[str]:
    """The primary key without `edition`: what identifies 'the same figure' across editions."""
    return [k for k in meta["schema"].get("primaryKey", []) if k != "edition"]


def measure_columns(meta: dict) -> list[str]:
    """Columns holding the published quantities (declared `measures`, else numeric non-key fields)."""
    if "measures" in meta:
        return list(meta["measures"])
    keys = set(key_columns(meta))
    return [
        f["name"]
        for f in meta["schema"]["fields"]
        if f.get("type") in NUMERIC_TYPES and f["name"] not in keys and f["name"] not in NOT_MEASURES
    ]


def editions(table: pd.DataFrame) -> list[int]:
    return sorted(int(e) for e in table["edition"].dropna().unique()) if "edition" in table else []


def previous_edition(table: pd.DataFrame, year: int) -> int | None:
    earlier = [e for e in editions(table) if e < year]
    return earlier[-1] if earlier else None


def missing_rows(table: pd.DataFrame, meta: dict, year: int) -> pd.DataFrame:
    """Rows of the previous edition whose key has no row in `year` (empty if no key or no previous edition)."""
    keys, previous = key_columns(meta), previous_edition(table, year)
    if not keys or previous is None:
        return table.iloc[0:0]
    before = table[table["edition"] == previous]
    now = table[table["edition"] == year]
    present = before.set_index(keys).index.isin(now.set_index(keys).index)
    return before[~present]


def for_edition(table: pd.DataFrame, meta: dict, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of edition `year`, completed by the previous edition's rows blanked to ND.

    A figure published last year and absent this year is not dropped silently nor carried
    forward: it appears with empty measures (value_status 'ND'), and is returned in the
    second frame so that it can be listed as missing."""
    rows = table[table["edition"] == year]
    missing = missing_rows(table, meta, year)
    if missing.empty:
        return rows.reset_index(drop=True), missing
    blank = missing.copy()
    blank["edition"] = year
    for column in measure_columns(meta) + [c for c in ("value_high", "report_line") if c in blank]:
        blank[column] = pd.NA
    if "value_status" in blank:
        blank["value_status"] = "ND"
    return pd.concat([rows, blank], ignore_index=True), missing


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


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def compare(table: pd.DataFrame, meta: dict, year: int, previous: int) -> pd.DataFrame:
    """Per key and measure: previous and current values and what happened to them.

    status: new, discontinued, unchanged, up, down, or revised (same vintage or period
    republished with another value)."""
    keys, measures = key_columns(meta), measure_columns(meta)
    if not keys or not measures:
        return pd.DataFrame(columns=["table", *keys, "measure", "previous_value", "value", "status"])
    now = table[table["edition"] == year].set_index(keys)
    before = table[table["edition"] == previous].set_index(keys)
    vintage = next((c for c in ("vintage", "period_end", "year") if c in table and c not in keys), None)
    rows = []
    for key in before.index.union(now.index):
        for measure in measures:
            old = before[measure].get(key, pd.NA) if key in before.index else pd.NA
            new = now[measure].get(key, pd.NA) if key in now.index else pd.NA
            if key not in before.index:
                status = "new"
            elif key not in now.index:
                status = "discontinued"
            elif _same(old, new):
                status = "unchanged"
            elif pd.isna(old) or pd.isna(new):
                status = "new" if pd.isna(old) else "discontinued"
            elif vintage and _same(before.at[key, vintage], now.at[key, vintage]):
                status = "revised"
            else:
                status = "up" if new > old else "down"
            key_values = key if isinstance(key, tuple) else (key,)
            rows.append(
                {
                    "table": meta.get("name", ""),
                    **dict(zip(keys, key_values)),
                    "measure": measure,
                    "previous_value": old,
                    "value": new,
                    "status": status,
                }
            )
    return pd.DataFrame(rows)


def _meta(tables: dict[str, pd.DataFrame], name: str) -> dict | None:
    """The sidecar beside frame `name` (raw.Tables keeps them in `.metas`); None for a plain dict."""
    return getattr(tables, "metas", {}).get(name)


def _dated(tables: dict[str, pd.DataFrame]):
    """(name, table, sidecar) of every validated table that has an edition column, by name."""
    for name, table in sorted(tables.items()):
        meta = _meta(tables, name)
        if meta is not None and "edition" in table:
            yield name, table, meta


def _key_labels(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    return [" / ".join(str(v) for v in row) for row in frame[keys].itertuples(index=False)]


def gaps(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Every value the edition lacks: rows of the previous edition absent this year, and
    values published as ND. One row per table and item, with the reason."""
    rows = []
    for name, table, meta in _dated(tables):
        absent = missing_rows(table, meta, year)
        for label in describe_keys(absent, meta) if not absent.empty else []:
            rows.append(
                {"table": name, "item": label, "reason": "absent", "previous_edition": previous_edition(table, year)}
            )
        current = table[table["edition"] == year]
        if "value_status" in current:
            nd = current[current["value_status"] == "ND"]
            for key in _row_labels(nd, meta):
                rows.append({"table": name, "item": key, "reason": "published_nd", "previous_edition": pd.NA})
    return pd.DataFrame(rows, columns=["table", "item", "reason", "previous_edition"])


def _row_labels(frame: pd.DataFrame, meta: dict) -> list[str]:
    keys = key_columns(meta) or [c for c in frame.columns if c != "edition"][:2]
    return _key_labels(frame, keys)


def availability(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Per table: rows in the edition, rows of the previous edition missing, latest edition."""
    rows = []
    for name, table, meta in _dated(tables):
        rows.append(
            {
                "table": name,
                "title": meta.get("title", name),
                "rows": int((table["edition"] == year).sum()),
                "missing_rows": len(missing_rows(table, meta, year)),
                "latest_edition": max(editions(table), default=pd.NA),
            }
        )
    return pd.DataFrame(rows, columns=["table", "title", "rows", "missing_rows", "latest_edition"])


def compare_all(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """compare() over every table having a previous edition; empty when there is none."""
    frames = []
    for name, table, meta in _dated(tables):
        previous = previous_edition(table, year)
        if previous is None:
            continue
        compared = compare(table, meta, year, previous)
        if compared.empty:
            continue
        keys = key_columns(meta)
        compared.insert(0, "item", _key_labels(compared, keys))
        frames.append(compared.drop(columns=keys).assign(table=name, previous_edition=previous))
    columns = ["table", "item", "measure", "previous_edition", "previous_value", "value", "status"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def checklist(tables: dict[str, pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """What an evaluator fills in for a new year: per dated table, the columns that identify
    a row, the measures with their unit, the producers and where their next vintage is published."""
    producers = sources.set_index("source_id")
    rows = []
    for name, table, meta in _dated(tables):
        fields = {f["name"]: f for f in meta["schema"]["fields"]}
        units = sorted(set(table["unit"].dropna().astype(str))) if "unit" in table else []
        measures = [
            f"{m} ({fields[m].get('unit') or ', '.join(units) or 'voir description'})" for m in measure_columns(meta)
        ]
        ids = [s for s in meta.get("source_ids", []) if s in producers.index]
        rows.append(
            {
                "table": name,
                "file": f"data/raw/{name}.csv",
                "title": meta.get("title", name),
                "row_key": ", ".join(key_columns(meta)),
                "measures": "; ".join(measures),
                "producers": "; ".join(dict.fromkeys(producers.loc[ids, "producer"])),
                "where_published": " | ".join(dict.fromkeys(producers.loc[ids, "update_from"])),
                "latest_edition": max(editions(table), default=pd.NA),
                "rows_in_latest_edition": int((table["edition"] == max(editions(table), default=-1)).sum()),
            }
        )
    return pd.DataFrame(rows)
