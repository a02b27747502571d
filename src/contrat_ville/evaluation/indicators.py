"""Indicator arithmetic: shares, ratios, gaps and densities. Each function takes plain
numbers or aligned pandas Series and returns the same kind, so notebooks can apply
them row by row or column-wise. Missing inputs give missing outputs (never zero)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pandas.api.typing import NAType


def _missing_in_missing_out(function):
    """A scalar argument that is None or NA gives NA, or a Series of NA when another argument
    is a Series (Series themselves keep pandas' own NA rules)."""

    @functools.wraps(function)
    def wrapper(*args):
        if any(not isinstance(a, (pd.Series, pd.DataFrame)) and (a is None or pd.isna(a)) for a in args):
            series = next((a for a in args if isinstance(a, pd.Series)), None)
            return pd.NA if series is None else pd.Series(pd.NA, index=series.index, dtype="Float64")
        return function(*args)

    return wrapper


@_missing_in_missing_out
def share(part: float, whole: float) -> float:
    """`part` as a percentage of `whole` (e.g. QPV population in the city's)."""
    return 100 * part / whole


@_missing_in_missing_out
def ratio(numerator: float, denominator: float) -> float:
    """How many times `numerator` is `denominator` (e.g. city median income / QPV median income)."""
    return numerator / denominator


@_missing_in_missing_out
def gap_points(value: float, reference: float) -> float:
    """Difference in percentage points between two rates (e.g. QPV poverty rate − city's)."""
    return value - reference


@_missing_in_missing_out
def per_thousand(count: float, population: float) -> float:
    """`count` per 1,000 inhabitants."""
    return 1000 * count / population


def same_value(published: object, computed: object) -> bool | None:
    """Whether a recomputed value equals the published one; None when either is missing."""
    if published is None or computed is None or pd.isna(published) or pd.isna(computed):
        return None
    return bool(published == computed)


def wide(
    observations: pd.DataFrame, index: str = "territory_id", columns: str = "indicator_id", values: str = "value"
) -> pd.DataFrame:
    """Long observations → one row per territory, one column per indicator (missing stays NA)."""
    return observations.pivot(index=index, columns=columns, values=values)


def aggregate(table: pd.DataFrame, members: list[str], new_id: str, additive: list[str]) -> pd.DataFrame:
    """Add a row `new_id` summing the `additive` columns over `members` (rows of a wide table).

    Only counts can be summed; medians and rates of a group cannot be derived from its
    members' and stay missing."""
    row = {column: table.loc[members, column].sum(min_count=len(members)) for column in additive}
    group = pd.DataFrame([row], index=pd.Index([new_id], name=table.index.name))
    return pd.concat([table, group.reindex(columns=table.columns)])


def rounded(value: object, decimals: int = 4) -> float | NAType:
    """`round()` that keeps a missing value missing (a partial edition has ND values)."""
    return pd.NA if value is None or pd.isna(value) else round(float(value), decimals)


def number_or_na(value: object) -> float | NAType:
    """`float()` that keeps a missing value missing."""
    return pd.NA if value is None or pd.isna(value) else float(value)
