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
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    for column in ("previous_edition", "previous_year", "year"):
        frame[column] = frame[column].astype("Int64")
    for column in ("previous_value", "value", "change"):
        frame[column] = frame[column].astype("Float64")
    return frame


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
