"""Establishments per 1,000 inhabitants and hours-to-FTE conventions."""

import pandas as pd
import pytest

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import economy, indicators


@pytest.fixture(scope="module")
def density():
    card = raw.load("identity_card", RAW_DIR)
    return economy.establishment_density(
        raw.load("establishments", RAW_DIR), indicators.wide(card)["population"]
    ).set_index("territory_id")


def test_density_by_hand(density):
    assert density.loc["qpv-ensemble", "population"] == 6270 + 3578
    assert density.loc["qpv-ensemble", "active_establishments"] == 422 + 270
    assert density.loc["qpv-ensemble", "active_per_1000_inhabitants"] == pytest.approx(1000 * 692 / 9848, abs=1e-4)
    assert density.loc["73065", "new_per_year_per_1000_inhabitants"] == pytest.approx(1000 * 1126 / 59183, abs=1e-4)


def test_group_population_missing_when_a_member_is_missing():
    synthetic = pd.DataFrame(
        {"territory_id": ["a", "b"], "active_establishments": [10, 20], "new_establishments_per_year_avg": [1, 2]}
    )
    out = economy.establishment_density(synthetic, pd.Series({"a": 1000.0, "b": None}), ["a", "b"], "ab").set_index(
        "territory_id"
    )
    assert out.loc["ab", "active_establishments"] == 30
    assert pd.isna(out.loc["ab", "active_per_1000_inhabitants"])


def test_density_gaps(density):
    gaps = economy.density_gaps(density.reset_index(), "qpv-ensemble", ["73065"]).set_index("indicator_id")
    assert gaps.loc["active_per_1000_inhabitants", "ratio"] == pytest.approx((692 / 9848) / (10899 / 59183), abs=1e-3)


def test_fte_conventions():
    assert economy.full_time_equivalents(90628, economy.HOURS_PER_FTE_STATUTORY) == pytest.approx(56.39, abs=0.01)
    assert economy.full_time_equivalents(90628) == pytest.approx(49.8, abs=0.05)
    assert economy.implied_hours_per_fte(90628, 49.8) == pytest.approx(1819.84, abs=0.01)
    with pytest.raises(ValueError):
        economy.full_time_equivalents(10, 0)


def test_headcount_from_share():
    assert economy.headcount_from_share(231, 48.5) == pytest.approx(112.035)
