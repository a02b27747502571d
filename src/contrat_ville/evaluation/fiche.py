"""What a territory's fact sheet shows: its key indicators against the city and the
agglomeration, their change between editions, the actions and funding located there,
and the gaps. Pure functions over validated raw tables."""

from __future__ import annotations

import pandas as pd

from contrat_ville.data import editions
from contrat_ville.evaluation import indicators, vintages

CITY, AGGLOMERATION = "73065", "200069110"
COUNT_INDICATORS = ["population", "jobseekers_defm_abc", "social_housing_units", "active_establishments"]
# the sheet's indicators, in its order (French names: vocabulary.yaml `fiche_indicators`)
INDICATORS = (
    "population",
    "jobseekers_defm_abc",
    "social_housing_units",
    "median_income_eur",
    "poverty_rate",
    "active_establishments",
    "active_per_1000_inhabitants",
    "iris_inhabitants",
)
INDICATOR_UNITS = {"median_income_eur": "eur", "poverty_rate": "%", "active_per_1000_inhabitants": "‰"}
GROUP_MEMBERS = {"qpv_group": "qpv", "qva_group": "qva"}


def members(territories: pd.DataFrame, territory_id: str) -> list[str]:
    """The territory and everything inside it (a group's members, a commune's quartiers...)."""
    kind = territories.set_index("territory_id").at[territory_id, "kind"]
    if kind in GROUP_MEMBERS:
        return [territory_id, *territories.loc[territories["kind"] == GROUP_MEMBERS[kind], "territory_id"]]
    found, frontier = [territory_id], [territory_id]
    while frontier:
        children = territories.loc[territories["parent_id"].isin(frontier), "territory_id"].tolist()
        frontier = [c for c in children if c not in found]
        found += frontier
    return found


def indicator_table(card: pd.DataFrame, establishments: pd.DataFrame, iris: pd.DataFrame) -> pd.DataFrame:
    """One row per territory, one column per indicator, from the edition's raw tables.

    The two QPV together get summed counts; medians and rates of a group stay missing."""
    wide = indicators.wide(card) if not card.empty else pd.DataFrame()
    economy = establishments.set_index("territory_id")[["active_establishments"]]
    table = wide.join(economy, how="outer")
    qpv = [t for t in ("qpv-hauts-de-chambery", "qpv-biollay-bellevue") if t in table.index]
    if len(qpv) == 2:
        table = indicators.aggregate(table, qpv, "qpv-ensemble", [c for c in COUNT_INDICATORS if c in table])
    if not iris.empty:
        table = table.join(
            iris.set_index("territory_id")[["inhabitants"]].rename(columns={"inhabitants": "iris_inhabitants"}),
            how="outer",
        )
    if {"active_establishments", "population"} <= set(table.columns):
        table["active_per_1000_inhabitants"] = indicators.per_thousand(
            table["active_establishments"], table["population"]
        )
    return table


def profile(
    table: pd.DataFrame, territory_id: str, comparators: tuple[str, ...] = (CITY, AGGLOMERATION)
) -> pd.DataFrame:
    """Long table: indicator, the territory's value, each comparator's value, share of the city."""
    rows = []
    for indicator in INDICATORS:
        if indicator not in table.columns:
            continue
        value = table[indicator].get(territory_id, pd.NA)
        row = {"indicator_id": indicator, "value": value}
        for comparator in comparators:
            row[f"value_{comparator}"] = table[indicator].get(comparator, pd.NA)
        city = table[indicator].get(CITY, pd.NA)
        shareable = indicator in COUNT_INDICATORS and territory_id != CITY and territory_id != AGGLOMERATION
        row["share_of_city_pct"] = (
            indicators.share(value, city) if shareable and not pd.isna(value) and not pd.isna(city) else pd.NA
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    relevant = frame.drop(columns="indicator_id").notna().any(axis=1)
    return frame[relevant].reset_index(drop=True)


def located(
    table: pd.DataFrame, places: list[str], columns: tuple[str, ...] = ("territory_id", "commune_insee")
) -> pd.DataFrame:
    """Rows of `table` located in one of `places` (by territory or by commune code)."""
    mask = pd.Series(False, index=table.index)
    for column in columns:
        if column in table:
            mask |= table[column].isin(places)
    return table[mask].reset_index(drop=True)


def changes(card_history: pd.DataFrame, territory_id: str, year: int) -> pd.DataFrame:
    """The territory's identity-card indicators in edition `year` beside the previous edition's, with
    both vintages (the years the values describe), the change and its status in the vocabulary of
    the edition comparison (evaluation.vintages: up, down, equal, new, not_comparable and why).

    `card_history` holds every edition's rows up to `year` (`Chapter.load("identity_card")`, not one
    edition's view, which has no earlier value). Empty for the first edition."""
    rows = card_history[card_history["territory_id"] == territory_id]
    if "value_status" in rows:  # an ND row keeps its key: the item is not published in that edition
        rows = rows.assign(value=rows["value"].where(rows["value_status"] != "ND"))
    compared = vintages.with_status(vintages.changes(rows, year))
    order = {indicator: i for i, indicator in enumerate(INDICATORS)}
    compared = compared[compared["indicator_id"].isin(order)]
    return compared.sort_values("indicator_id", key=lambda c: c.map(order)).reset_index(drop=True)


def gaps(profile_table: pd.DataFrame) -> list[str]:
    """Indicators shown for comparators but not available for the territory."""
    return profile_table.loc[profile_table["value"].isna(), "indicator_id"].tolist()


# Raw tables whose rows of an edition give a territory something of its own to show:
# the column naming the place, and the value column that must be filled.
OWN_DATA = {
    "identity_card": ("territory_id", "value"),
    "establishments": ("territory_id", "active_establishments"),
    "iris_quartier_vecu": ("territory_id", "inhabitants"),
    "fonds_de_concours": ("territory_id", None),
    "urban_renewal": ("territory_id", None),
    "qva_actions_2018": ("commune_insee", None),
}


def territories_with_data(tables: dict[str, pd.DataFrame], year: int) -> set[str]:
    # `tables`: raw.Tables (sidecars in `.metas`, so that carried rows count); a plain dict
    # counts only the rows published in `year`
    """Territories that have a page of their own in `year`: a value of their own in the
    edition's rows (an indicator, an IRIS's inhabitants, a located operation or action), or
    groups whose members have one (their sums are computed). The others are listed together
    on the fiches index, so that readers and search meet no page of ND only."""
    found: set[str] = set()
    for name, (place, value) in OWN_DATA.items():
        table = tables.get(name)
        if table is None or table.empty:
            continue
        meta = getattr(tables, "metas", {}).get(name)
        if "edition" in table and meta is not None:  # the edition's rows, carried history included
            rows, _ = editions.for_edition(editions.up_to(table, year), meta, year)
        elif "edition" in table:
            rows = table[table["edition"] == year]
        else:
            rows = table
        if value is not None:
            rows = rows[rows[value].notna()]
        found |= set(rows[place].dropna().astype(str))
    territories = tables["territories"]
    for group, member_kind in GROUP_MEMBERS.items():
        members_of_kind = territories.loc[territories["kind"] == member_kind, "territory_id"]
        if found & set(members_of_kind):
            found |= set(territories.loc[territories["kind"] == group, "territory_id"])
    return found & set(territories["territory_id"])


def gap_table(profile_table: pd.DataFrame, comparator: str) -> pd.Series:
    """The territory's gap to `comparator`, per indicator: points for rates, a ratio
    (territory / comparator) for medians and densities; NA for counts (their share of the
    city says more) and where a value is missing."""
    gaps = []
    for row in profile_table.itertuples():
        value, reference = row.value, getattr(row, f"value_{comparator}", pd.NA)
        unit = INDICATOR_UNITS.get(row.indicator_id)
        if unit == "%":
            gaps.append(indicators.gap_points(value, reference))
        elif unit in ("eur", "‰"):
            gaps.append(indicators.ratio(value, reference))
        else:
            gaps.append(pd.NA)
    return pd.Series(gaps, index=profile_table.index, dtype="object")


def iris_of(iris: pd.DataFrame, territory_id: str) -> pd.DataFrame:
    """The IRIS of a QPV's quartier vécu (or the IRIS itself), with its parent QPV and the
    share of its surface inside the QPV."""
    if iris.empty:
        return iris
    return iris[(iris["qpv_id"] == territory_id) | (iris["territory_id"] == territory_id)].reset_index(drop=True)
