"""Money tables of the report: fonds de concours, funders' table, financing plans.

Totals are recomputed from the rows and set beside the totals the report prints; a gap
is shown, never absorbed. A blank cell of the report (ND) stays missing in every cell;
in a total it counts for nothing, as in the report's own totals, and the total then says
how many of its cells were blank."""

from __future__ import annotations

import pandas as pd

from contrat_ville.evaluation.indicators import _missing_in_missing_out, share

ZONE_TOTAL_IDS = {"qpv": "sous-total-qpv", "qva": "sous-total-qva", "all": "total-general"}
# credit types in the report's column order (French names: vocabulary.yaml `credit_types`)
CREDIT_TYPES = ["credits_specifiques", "droit_commun", "fonds_de_concours"]


def participation_rate(contribution: float, cost: float) -> float:
    """Grand Chambéry's contribution as a percentage of an operation's cost (HT)."""
    return share(contribution, cost)


def _sum(values: pd.Series):
    """Sum of the published cells; missing when every cell is blank."""
    return values.sum(min_count=1)


def group_totals(
    operations: pd.DataFrame,
    by: list[str],
    cost: str = "cost_ht_eur",
    contribution: str = "grand_chambery_eur",
    total_label: str | None = "Total",
) -> pd.DataFrame:
    """Cost, contribution, number of operations and participation rate per group.

    With `total_label`, a last row sums every operation (its `by` columns hold the label)."""
    grouped = (
        operations.groupby(by, sort=False, dropna=False)
        .agg(operations=(cost, "size"), cost_ht_eur=(cost, _sum), grand_chambery_eur=(contribution, _sum))
        .reset_index()
    )
    if total_label is not None:
        total = {column: total_label for column in by}
        total.update(
            operations=len(operations),
            cost_ht_eur=_sum(operations[cost]),
            grand_chambery_eur=_sum(operations[contribution]),
        )
        grouped = pd.concat([grouped, pd.DataFrame([total])], ignore_index=True)
    grouped["participation_rate_pct"] = participation_rate(
        grouped["grand_chambery_eur"].astype("Float64"), grouped["cost_ht_eur"].astype("Float64")
    )
    return grouped


def zone_subtotals(operations: pd.DataFrame) -> pd.DataFrame:
    """The report's sub-totals (QPV, QVA) and general total, recomputed from the operations."""
    by_zone = group_totals(operations, ["zone_type"], total_label="all")
    by_zone["total_id"] = by_zone["zone_type"].map(ZONE_TOTAL_IDS)
    return by_zone


def compare_with_published(
    computed: pd.DataFrame, published: pd.DataFrame, key: str, columns: list[str]
) -> pd.DataFrame:
    """Long table: for each key and column, the published value, the computed one and the gap."""
    rows = []
    merged = computed.set_index(key).merge(
        published.set_index(key)[columns], left_index=True, right_index=True, how="outer", suffixes=("", "_published")
    )
    for identifier, row in merged.iterrows():
        for column in columns:
            computed_value, published_value = row[column], row[f"{column}_published"]
            gap = (
                computed_value - published_value if not (pd.isna(computed_value) or pd.isna(published_value)) else pd.NA
            )
            rows.append(
                {
                    key: identifier,
                    "measure": column,
                    "published": published_value,
                    "computed": computed_value,
                    "gap": gap,
                    "matches": (gap == 0) if not pd.isna(gap) else pd.NA,
                }
            )
    return pd.DataFrame(rows)


def funder_table(financing: pd.DataFrame) -> pd.DataFrame:
    """Funders × credit types (amounts in euros; a blank cell of the report stays missing),
    with the computed total per funder and the number of blank cells it skipped."""
    wide = financing.pivot(index="funder_id", columns="credit_type", values="amount_eur").reindex(columns=CREDIT_TYPES)
    order = list(dict.fromkeys(financing["funder_id"]))
    wide = wide.reindex(order)
    wide["total_computed"] = wide[CREDIT_TYPES].sum(axis=1, min_count=1)
    wide["blank_cells"] = wide[CREDIT_TYPES].isna().sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


def credit_type_totals(financing: pd.DataFrame) -> pd.DataFrame:
    """Total per credit type over the funders of the table (blank cells count for nothing)."""
    totals = financing.groupby("credit_type", sort=False)["amount_eur"].agg(_sum).reindex(CREDIT_TYPES)
    return totals.rename("amount_eur").reset_index()


def shares_of(amounts: pd.Series, base: float) -> pd.Series:
    """Each amount as a percentage of `base` (a number, or the amounts' own sum when None)."""
    base = amounts.sum() if base is None else base
    return share(amounts.astype("Float64"), base)


@_missing_in_missing_out
def implied_base(amount: float, published_share_pct: float) -> float:
    """The total an amount would need for its published share to hold: amount / share."""
    return amount / (published_share_pct / 100)


def plan_coverage(plan: pd.DataFrame) -> pd.DataFrame:
    """How much of a financing plan's cost (HT and TTC) the listed funding lines cover.

    `plan` has rows of category 'cost' (item_id cost_ht, cost_ttc) and 'funding'; amounts
    in one unit (e.g. k€). Blank funding lines (ND) count for nothing and are counted."""
    funding = plan[plan["category"] == "funding"]
    funded = _sum(funding["amount_keur"])
    blank = int(funding["amount_keur"].isna().sum())
    rows = []
    for item in ("cost_ht", "cost_ttc"):
        cost = plan.loc[plan["item_id"] == item, "amount_keur"]
        cost = cost.iloc[0] if len(cost) else pd.NA
        rows.append(
            {
                "cost_base": item,
                "cost_keur": cost,
                "funding_listed_keur": funded,
                "coverage_pct": share(funded, cost) if not pd.isna(cost) else pd.NA,
                "uncovered_keur": cost - funded if not pd.isna(cost) else pd.NA,
                "blank_funding_lines": blank,
            }
        )
    return pd.DataFrame(rows)


def published_funder_totals(totals: pd.DataFrame) -> pd.Series:
    """The funders' 'Total' row as published (financing_2015_2018_totals rows `total-<funder>`)."""
    rows = totals[totals["total_id"].str.startswith("total-") & totals["funder_id"].notna()]
    return rows.set_index("funder_id")["value"]
