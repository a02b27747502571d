"""Money tables: totals recomputed from the rows against the totals the report prints."""

import pandas as pd
import pytest

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import finance


@pytest.fixture(scope="module")
def operations():
    return raw.load("fonds_de_concours", RAW_DIR)


def test_fonds_de_concours_subtotals_match_the_report(operations):
    totals = finance.zone_subtotals(operations).set_index("total_id")
    assert totals.loc["sous-total-qpv", ["cost_ht_eur", "grand_chambery_eur"]].tolist() == [1278672, 298358]
    assert totals.loc["sous-total-qva", ["cost_ht_eur", "grand_chambery_eur"]].tolist() == [3116338, 668491]
    assert totals.loc["total-general", ["cost_ht_eur", "grand_chambery_eur"]].tolist() == [4395010, 966849]
    assert totals.loc["total-general", "operations"] == 24
    assert totals.loc["total-general", "participation_rate_pct"] == pytest.approx(100 * 966849 / 4395010)


def test_compare_with_published_shows_no_gap_on_the_report(operations):
    published = raw.load("fonds_de_concours_totals", RAW_DIR)
    checks = finance.compare_with_published(
        finance.zone_subtotals(operations), published, "total_id", ["cost_ht_eur", "grand_chambery_eur"]
    )
    assert len(checks) == 6 and (checks["gap"] == 0).all() and checks["matches"].all()


def test_compare_with_published_shows_a_gap():
    computed = pd.DataFrame({"total_id": ["t"], "amount": [110]})  # synthetic
    published = pd.DataFrame({"total_id": ["t"], "amount": [100]})
    row = finance.compare_with_published(computed, published, "total_id", ["amount"]).iloc[0]
    assert row["gap"] == 10 and not row["matches"]


def test_group_totals_and_participation_rate(operations):
    by_theme = finance.group_totals(operations, ["theme"]).set_index("theme")
    assert by_theme.loc["Total", "grand_chambery_eur"] == 966849
    assert by_theme.loc["Aménagement des espaces extérieurs", "participation_rate_pct"] == pytest.approx(
        100 * 14783 / 162000
    )
    assert by_theme["operations"].iloc[:-1].sum() == 24
    assert finance.participation_rate(75750, 337000) == pytest.approx(22.478, abs=1e-3)


def test_group_total_of_blank_cells_stays_missing():
    synthetic = pd.DataFrame({"g": ["a", "a"], "cost_ht_eur": [pd.NA, pd.NA], "grand_chambery_eur": [1, 2]}).astype(
        {"cost_ht_eur": "Float64"}
    )
    grouped = finance.group_totals(synthetic, ["g"], total_label=None)
    assert pd.isna(grouped.loc[0, "cost_ht_eur"]) and grouped.loc[0, "grand_chambery_eur"] == 3


def test_funders_totals_match_the_report():
    financing = raw.load("financing_2015_2018", RAW_DIR)
    table = finance.funder_table(financing).set_index("funder_id")
    assert table["total_computed"].tolist() == [3563915, 3131124, 1242927]
    assert pd.isna(table.loc["etat", "fonds_de_concours"])  # a blank cell stays missing
    assert table["blank_cells"].tolist() == [1, 0, 1]
    published = finance.published_funder_totals(raw.load("financing_2015_2018_totals", RAW_DIR))
    assert (published.reindex(table.index) == table["total_computed"]).all()


def test_credit_type_totals_differ_from_the_text_total():
    totals = finance.credit_type_totals(raw.load("financing_2015_2018", RAW_DIR)).set_index("credit_type")["amount_eur"]
    assert totals["credits_specifiques"] == 1546576 + 2074599 + 719999 == 4341174
    assert totals["credits_specifiques"] - 4265462 == 75712  # line 794 says 4.265.462 euros


def test_shares_and_implied_base():
    amounts = pd.Series([3563915, 3131124, 1242927])
    assert finance.shares_of(amounts, 10_800_000).round(1).tolist() == [33.0, 29.0, 11.5]
    assert finance.shares_of(amounts, None).round(1).tolist() == [44.9, 39.4, 15.7]
    assert finance.implied_base(3563915, 36) == pytest.approx(9899763.9, abs=0.1)


def test_bellevue_plan_coverage():
    coverage = finance.plan_coverage(raw.load("bellevue_financing_plan", RAW_DIR)).set_index("cost_base")
    assert coverage.loc["cost_ht", "funding_listed_keur"] == 446 + 7263 + 57 + 449 + 408 + 114 == 8737
    assert coverage.loc["cost_ht", "coverage_pct"] == pytest.approx(83.2, abs=0.05)
    assert coverage.loc["cost_ttc", "coverage_pct"] == pytest.approx(74.0, abs=0.05)
    assert coverage["uncovered_keur"].tolist() == [1761, 3069]
    assert coverage["blank_funding_lines"].tolist() == [1, 1]
