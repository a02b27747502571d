"""Change since the previous vintage: for each territory and indicator, the value of the
current edition beside the value published by the previous edition, when the two are
comparable (same unit, both published, consecutive known vintages).

Returns data only; the French wording is in contrat_ville.presentation.sentences."""

from __future__ import annotations

import pandas as pd

CHANGE_COLUMNS = {
    "territory_id": "territory",
    "indicator_id": "indicator",
    "unit": "unit",
    "previous_edition": "edition of the earlier value (empty if none)",
    "previous_year": "year the earlier value describes (its vintage; empty if not comparable)",
    "previous_value": "earlier value (empty if not comparable)",
    "year": "year the current value describes (its vintage, empty if not stated)",
    "value": "current value (empty if ND)",
    "change": "value - previous_value (empty if not comparable)",
    "comparable": "true when both values exist, share unit and have consecutive vintages",
    "reason": "why the pair is not comparable (empty when it is)",
}

# Reasons, as stable codes (the presentation layer words them in French).
NO_EARLIER = "no_earlier_edition"
NOT_PUBLISHED = "not_published"
EARLIER_NOT_PUBLISHED = "earlier_not_published"
VINTAGE_UNKNOWN = "vintage_unknown"
SAME_VINTAGE = "same_vintage"
NOT_CONSECUTIVE = "vintages_not_consecutive"
UNIT_CHANGED = "unit_changed"


def _typed_changes(rows: list[dict], columns: object) -> pd.DataFrame:
    """The change rows as a frame of `columns`: years as nullable integers, values as nullable floats."""
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in ("previous_edition", "previous_year", "year"):
        frame[column] = frame[column].astype("Int64")
    for column in ("previous_value", "value", "change"):
        frame[column] = frame[column].astype("Float64")
    return frame


def _as_int(value):
    return None if pd.isna(value) else int(value)


def changes(history: pd.DataFrame, year: int, keys: tuple[str, ...] = ("territory_id", "indicator_id")) -> pd.DataFrame:
    """One row per key of the edition `year`: its value and the previous edition's.

    `history` holds every edition's rows (columns edition, keys, value, unit, vintage,
    optional value_status); rows of editions after `year` are ignored, so an edition never
    sees later data. The current row of a key is that of the latest edition up to `year`;
    the earlier one, that of the latest edition before it."""
    keys = list(keys)
    seen = history[history["edition"] <= year]
    rows = []
    for key, group in seen.groupby(keys, sort=False):
        group = group.sort_values("edition")
        current = group.iloc[-1]
        earlier = group[group["edition"] < current["edition"]]
        previous = earlier.iloc[-1] if len(earlier) else None
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        row.update(
            unit=current["unit"],
            previous_edition=None if previous is None else int(previous["edition"]),
            previous_year=None,
            previous_value=None,
            year=_as_int(current.get("vintage")),
            value=None if pd.isna(current["value"]) else float(current["value"]),
            change=None,
        )
        reason = _reason(current, previous)
        row["comparable"] = reason == ""
        row["reason"] = reason
        if row["comparable"]:
            row["previous_year"] = int(previous["vintage"])
            row["previous_value"] = float(previous["value"])
            row["change"] = row["value"] - row["previous_value"]
        rows.append(row)
    return _typed_changes(rows, CHANGE_COLUMNS)


def _reason(current: pd.Series, previous: pd.Series | None) -> str:
    if previous is None:
        return NO_EARLIER
    if pd.isna(current["value"]):
        return NOT_PUBLISHED
    if pd.isna(previous["value"]):
        return EARLIER_NOT_PUBLISHED
    if current["unit"] != previous["unit"]:
        return UNIT_CHANGED
    if pd.isna(current.get("vintage")) or pd.isna(previous.get("vintage")):
        return VINTAGE_UNKNOWN
    gap = int(current["vintage"]) - int(previous["vintage"])
    if gap == 0:
        return SAME_VINTAGE
    if gap != 1:
        return NOT_CONSECUTIVE
    return ""


class MissingSeries(ValueError):
    """A chapter needs a dated series that the edition's raw table does not give."""


def series_points(
    series: pd.DataFrame, series_id: str, edition: int, territory_id: str | None = None, table: str = "annual_series"
) -> pd.Series:
    """The published points of one series as seen by `edition`: value by year, sorted.

    A point restated by a later edition (up to `edition`) replaces the earlier one; points an
    edition did not restate are carried (data/raw/README.md, Editions); ND points are left out,
    so a caller never computes with NA (the emploi chapter's `TypeError ... NAType`). A series
    with no published point at all is an error naming the file, the series and the year expected."""
    rows = series[(series["series_id"] == series_id) & (series["edition"] <= edition)]
    where = f"series '{series_id}'"
    if territory_id is not None:
        rows = rows[rows["territory_id"] == territory_id]
        where += f", territory '{territory_id}'"
    rows = rows.sort_values(["year", "edition"]).drop_duplicates("year", keep="last")
    rows = rows[rows["value"].notna()]
    if rows.empty:
        raise MissingSeries(
            f"data/raw/{table}.csv: {where} has no published point up to edition {edition}; expected a row with "
            f"series_id '{series_id}', year {edition} (or an earlier year) and a value. Add the point the report "
            f"publishes (edition {edition}), or keep the earlier editions' rows: an unrevised point is carried."
        )
    return pd.Series(rows["value"].astype(float).to_numpy(), index=rows["year"].astype(int).to_numpy(), name=series_id)


def point(points: pd.Series, year: int) -> float | None:
    """The value of `year` in `series_points`' result, or None when the series has no point that year (ND)."""
    return float(points.loc[year]) if year in points.index else None


# Statuses of a change, in the vocabulary of the edition comparison (data.editions.STATUSES), so
# that the fiches, the scorecard and *Comparaison des éditions* name a change the same way.
UP, DOWN, EQUAL, REVISED, NEW, NOT_COMPARABLE = "up", "down", "equal", "revised", "new", "not_comparable"


def status(row: pd.Series) -> str:
    """up / down / equal for a comparable pair, new when the item has no earlier edition
    (while others do), not_comparable otherwise (`reason` says why)."""
    if row["comparable"]:
        return UP if row["change"] > 0 else DOWN if row["change"] < 0 else EQUAL
    return NEW if row["reason"] == NO_EARLIER else NOT_COMPARABLE


def with_status(frame: pd.DataFrame) -> pd.DataFrame:
    """`changes` with a `status` column; empty when no row has an earlier edition (the first edition)."""
    if frame.empty or frame["previous_edition"].isna().all():
        return frame.assign(status=pd.Series(dtype="object")).iloc[0:0]
    return frame.assign(status=[status(r) for _, r in frame.iterrows()])


SCORECARD_CHANGE_COLUMNS = {
    "indicator_id": "catalogue id",
    "unit": "display unit",
    "previous_edition": "the previous edition (empty for the first one)",
    "previous_year": "year of the previous edition's latest value (empty if undated or missing)",
    "previous_value": "previous edition's latest value (low end)",
    "year": "year of this edition's latest value",
    "value": "this edition's latest value (low end)",
    "change": "value - previous_value, when comparable",
    "status": "up / down / equal / revised / new / not_comparable (vocabulary of data.editions)",
    "reason": "why not comparable (codes of this module; empty when comparable)",
    "previous_year_revised_value": "this edition's value for previous_year when it differs from previous_value "
    "(a revision; empty otherwise)",
}


def scorecard_changes(
    current: pd.DataFrame, previous: pd.DataFrame | None, year: int, located: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each indicator's latest value in edition `year` beside its latest value in the previous
    edition's scorecard (`previous`: `scorecard.build(..., edition=year - 1)`, None for the first
    edition). A later year with another value is up or down; the same year with another value is
    revised; the same year and value is no change since that vintage (not_comparable, same_vintage).

    The change is with the previous edition's value, by design: `located` (edition `year`'s
    `scorecard.located_values`) gives, in `previous_year_revised_value`, this edition's own value
    for that earlier year when it revises it, so that the text can say both."""
    before = previous.set_index("indicator_id") if previous is not None else None
    rows = []
    for _, now in current.iterrows():
        old = before.loc[now["indicator_id"]] if before is not None and now["indicator_id"] in before.index else None
        row = {
            "indicator_id": now["indicator_id"],
            "unit": now["unit"],
            "previous_edition": None if previous is None else year - 1,
            "previous_year": None if old is None else _as_int(old["latest_year"]),
            "previous_value": None if old is None or pd.isna(old["latest_value"]) else float(old["latest_value"]),
            "year": _as_int(now["latest_year"]),
            "value": None if pd.isna(now["latest_value"]) else float(now["latest_value"]),
            "change": None,
        }
        reason = ""
        if old is None:
            reason = NO_EARLIER
        elif row["value"] is None:
            reason = NOT_PUBLISHED
        elif row["previous_value"] is None:
            reason = EARLIER_NOT_PUBLISHED
        elif now["unit"] != old["unit"]:
            reason = UNIT_CHANGED
        elif row["year"] is None or row["previous_year"] is None:
            reason = VINTAGE_UNKNOWN
        elif row["year"] == row["previous_year"]:
            reason = SAME_VINTAGE
        if reason == "":
            row["change"] = row["value"] - row["previous_value"]
            row["status"] = UP if row["change"] > 0 else DOWN if row["change"] < 0 else EQUAL
        elif reason == SAME_VINTAGE and row["value"] != row["previous_value"]:
            row["change"], row["status"] = row["value"] - row["previous_value"], REVISED
        elif reason == EARLIER_NOT_PUBLISHED:
            row["status"] = NEW
        else:
            row["status"] = NOT_COMPARABLE
        row["reason"] = reason
        row["previous_year_revised_value"] = _revised(located, row)
        rows.append(row)
    frame = _typed_changes(rows, SCORECARD_CHANGE_COLUMNS)
    return frame.astype({"previous_year_revised_value": "Float64"})


def _revised(located: pd.DataFrame | None, row: dict) -> float | None:
    """This edition's value for the previous edition's year (its latest published row), when it
    differs from the previous edition's value; None when it publishes none or the same."""
    if located is None or row["previous_year"] is None or row["previous_value"] is None:
        return None
    same = located[
        (located["indicator_id"] == row["indicator_id"])
        & (located["year"] == row["previous_year"])
        & located["value_low"].notna()
    ]
    if same.empty:
        return None
    value = float(same.sort_values("edition", kind="stable")["value_low"].iloc[-1])
    return None if value == row["previous_value"] else value
