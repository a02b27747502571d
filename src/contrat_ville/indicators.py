"""Indicator arithmetic: shares, ratios, gaps and densities. Each function takes plain
numbers or aligned pandas Series and returns the same kind, so notebooks can apply
them row by row or column-wise. Missing inputs give missing outputs (never zero)."""
from __future__ import annotations

import pandas as pd


def share(part, whole):
    """`part` as a percentage of `whole` (e.g. QPV population in the city's)."""
    return 100 * part / whole


def ratio(numerator, denominator):
    """How many times `numerator` is `denominator` (e.g. city median income / QPV median income)."""
    return numerator / denominator


def gap_points(value, reference):
    """Difference in percentage points between two rates (e.g. QPV poverty rate − city's)."""
    return value - reference


def per_thousand(count, population):
    """`count` per 1,000 inhabitants."""
    return 1000 * count / population


def wide(observations: pd.DataFrame, index: str = "territory_id", columns: str = "indicator_id", values: str = "value") -> pd.DataFrame:
    """Long observations → one row per territory, one column per indicator (missing stays NA)."""
    return observations.pivot(index=index, columns=columns, values=values)


def aggregate(table: pd.DataFrame, members: list[str], new_id: str, additive: list[str]) -> pd.DataFrame:
    """Add a row `new_id` summing the `additive` columns over `members` (rows of a wide table).

    Only counts can be summed; medians and rates of a group cannot be derived from its
    members' and stay missing."""
    row = {column: table.loc[members, column].sum(min_count=len(members)) for column in additive}
    group = pd.DataFrame([row], index=pd.Index([new_id], name=table.index.name))
    return pd.concat([table, group.reindex(columns=table.columns)])
