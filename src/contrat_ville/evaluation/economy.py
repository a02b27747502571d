"""Economic fabric of the neighbourhoods: establishments (SIRENE, as published) related
to the population. Used by the portrait and the employment chapter alike."""

from __future__ import annotations

import pandas as pd

from contrat_ville.evaluation import indicators

QPV_IDS = ["qpv-hauts-de-chambery", "qpv-biollay-bellevue"]
QPV_GROUP_ID = "qpv-ensemble"
COUNTS = ["new_establishments_per_year_avg", "active_establishments"]

DENSITY_COLUMNS = {
    "territory_id": "territory",
    "population": "population municipale (identity card)",
    "active_establishments": "active establishments",
    "new_establishments_per_year_avg": "average new registrations per year 2015-2018",
    "active_per_1000_inhabitants": "1000 * active_establishments / population",
    "new_per_year_per_1000_inhabitants": "1000 * new_establishments_per_year_avg / population",
}


def establishment_density(
    establishments: pd.DataFrame, population: pd.Series, members: list[str] = QPV_IDS, group_id: str = QPV_GROUP_ID
) -> pd.DataFrame:
    """Active establishments and yearly new registrations per 1,000 inhabitants.

    `establishments`: rows of establishments.csv; `population`: inhabitants by territory_id.
    A row `group_id` sums the two QPV (counts only); its population is the sum of theirs,
    missing if one of them is missing."""
    table = establishments.set_index("territory_id")
    table = indicators.aggregate(table, members, group_id, COUNTS)
    population = population.copy()
    if group_id not in population.index:
        population.loc[group_id] = population.reindex(members).sum(min_count=len(members))
    out = pd.DataFrame(
        {
            "population": population.reindex(table.index),
            "active_establishments": table["active_establishments"],
            "new_establishments_per_year_avg": table["new_establishments_per_year_avg"],
        }
    )
    out["active_per_1000_inhabitants"] = (
        indicators.per_thousand(out["active_establishments"], out["population"]).astype("Float64").round(4)
    )
    out["new_per_year_per_1000_inhabitants"] = (
        indicators.per_thousand(out["new_establishments_per_year_avg"], out["population"]).astype("Float64").round(4)
    )
    return out.reset_index(names="territory_id")


def density_gaps(density: pd.DataFrame, territory: str, references: list[str]) -> pd.DataFrame:
    """How a territory's densities compare with each reference: ratio (territory / reference)
    and gap per 1,000 inhabitants, for active establishments and new registrations."""
    table = density.set_index("territory_id")
    rows = []
    for reference in references:
        for column in ("active_per_1000_inhabitants", "new_per_year_per_1000_inhabitants"):
            value, base = table.loc[territory, column], table.loc[reference, column]
            rows.append(
                {
                    "territory_id": territory,
                    "reference_id": reference,
                    "indicator_id": column,
                    "territory_value": value,
                    "reference_value": base,
                    "ratio": indicators.ratio(value, base),
                    "gap_per_1000": indicators.gap_points(value, base),
                }
            )
    return pd.DataFrame(rows)


# Hours in one full-time equivalent (FTE, "ETP"): the report does not state its convention.
HOURS_PER_FTE_FULL_YEAR = 1820  # 35 hours a week x 52 weeks, paid leave included
HOURS_PER_FTE_STATUTORY = 1607  # French statutory working year (35 h, leave and holidays excluded)
# convention id -> hours per FTE (French names: vocabulary.yaml `fte_conventions`)
FTE_CONVENTIONS = {"full_year": HOURS_PER_FTE_FULL_YEAR, "statutory": HOURS_PER_FTE_STATUTORY}


def full_time_equivalents(hours: float, hours_per_fte: float = HOURS_PER_FTE_FULL_YEAR) -> float:
    """Hours worked turned into full-time equivalents under a stated convention."""
    if hours_per_fte <= 0:
        raise ValueError("hours_per_fte must be positive")
    return hours / hours_per_fte


def implied_hours_per_fte(hours: float, fte: float) -> float:
    """The convention a published FTE figure implies: hours / FTE."""
    return hours / fte


def headcount_from_share(total: float, share_pct: float) -> float:
    """People a published share of a headcount stands for (not rounded: the share is)."""
    return total * share_pct / 100
