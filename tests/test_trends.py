"""Trend functions: they recover known rates on SYNTHETIC series, handle two-point and
missing-year series, and reproduce on the PLIE series the figures the book reports."""

import math

import numpy as np
import pandas as pd
import pytest

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import trends
from contrat_ville.presentation import trends_text


def kept_fit(series, kind="count"):
    frame = series.rename(columns={})
    return trends.kept(trends.fit_series(frame, kind))


# --------------------------------------------------------------- synthetic recovery


def test_exact_exponential_decline_is_recovered(synthetic_series):
    fit = kept_fit(synthetic_series["synthetic_exact_decline"])
    assert fit.annual_change_pct == pytest.approx(-5.0, abs=0.05)
    assert fit.ci_low_pct < -5.0 < fit.ci_high_pct
    assert fit.n_points == 10 and (fit.first_year, fit.last_year) == (2010, 2019)


def test_poisson_growth_within_tolerance_and_interval(synthetic_series):
    fit = kept_fit(synthetic_series["synthetic_poisson_growth"])
    assert fit.annual_change_pct == pytest.approx(4.0, abs=1.5)
    assert fit.ci_low_pct < 4.0 < fit.ci_high_pct
    assert fit.p_value < 0.001


def test_overdispersed_counts_switch_to_quasi_poisson(synthetic_series):
    fits = trends.fit_series(synthetic_series["synthetic_overdispersed"], "count")
    models = [f.model for f in fits]
    assert models[:2] == ["poisson", "quasi-poisson"] and "negative-binomial (moment alpha)" in models
    chosen = trends.kept(fits)
    assert chosen.model == "quasi-poisson" and chosen.dispersion > 1 and chosen.inference == "t"
    poisson = fits[0]
    assert poisson.annual_change_pct == pytest.approx(chosen.annual_change_pct)  # same coefficients
    assert (chosen.ci_high_pct - chosen.ci_low_pct) > (poisson.ci_high_pct - poisson.ci_low_pct)  # wider interval
    assert chosen.ci_low_pct < -3.0 < chosen.ci_high_pct


def test_missing_year_is_dropped_and_gaps_are_allowed(synthetic_series):
    series = synthetic_series["synthetic_missing_year"]
    assert series["value"].isna().sum() == 1
    fit = kept_fit(series)
    assert fit.n_points == 6
    assert fit.annual_change_pct == pytest.approx(10.0, abs=0.1)


def test_two_point_series_gives_a_change_and_no_trend(synthetic_series):
    series = synthetic_series["synthetic_two_points"]
    fits = trends.fit_series(series, "count")
    assert len(fits) == 1 and fits[0].model == "none" and math.isnan(fits[0].ci_low_pct)
    assert "no count trend" in fits[0].note
    assert fits[0].total_change_pct == pytest.approx(21.0)
    change = trends.two_point_change(series["year"], series["value"])
    assert change["total_change_pct"] == pytest.approx(21.0)
    assert change["annualised_change_pct"] == pytest.approx(100 * (1.21 ** (1 / 3) - 1))
    assert "no trend" in change["note"]


def test_single_point_and_empty_series():
    assert trends.fit_counts([2018], [330])[0].model == "none"
    assert trends.fit_counts([2017, 2018], [None, None])[0].n_points == 0


def test_binomial_recovers_relative_change_of_a_proportion(synthetic_series):
    series = synthetic_series["synthetic_proportion"]
    fit = kept_fit(series, "proportion")
    assert fit.model in ("binomial", "quasi-binomial")
    assert fit.ci_low_pct < 5.0 < fit.ci_high_pct
    assert fit.annual_change_pct == pytest.approx(5.0, abs=2.5)


def test_log_linear_least_squares_on_rates(synthetic_series):
    fit = kept_fit(synthetic_series["synthetic_rate"], "rate")
    assert fit.model == "ols-log" and fit.inference == "t"
    assert fit.annual_change_pct == pytest.approx(-10.0, abs=1e-3)
    weighted = trends.kept(trends.fit_log_linear([2015, 2016, 2017], [20.0, 22.0, 24.2], weights=[100, 200, 300]))
    assert weighted.model == "wls-log" and weighted.annual_change_pct == pytest.approx(10.0, abs=1e-6)


@pytest.mark.slow  # a simulation of many series
def test_confidence_intervals_cover_the_true_rate_about_95_percent():
    """SYNTHETIC Monte Carlo: 200 Poisson series of 6 points, true change -5 % a year."""
    rng = np.random.default_rng(7)
    years = np.arange(2015, 2021)
    covered = 0
    for _ in range(200):
        counts = rng.poisson(400 * 0.95 ** (years - 2015))
        fit = trends.kept(trends.fit_counts(years, counts))
        covered += fit.ci_low_pct <= -5.0 <= fit.ci_high_pct
    assert 0.88 <= covered / 200 <= 1.0


def test_bad_series_are_refused():
    with pytest.raises(trends.TrendError, match="duplicate years"):
        trends.fit_counts([2015, 2015, 2016], [1, 2, 3])
    with pytest.raises(trends.TrendError, match="whole numbers"):
        trends.fit_counts([2015, 2016, 2017], [1.5, 2, 3])
    with pytest.raises(trends.TrendError, match="positive"):
        trends.fit_log_linear([2015, 2016, 2017], [0, 2, 3])
    with pytest.raises(trends.TrendError, match="unknown kind"):
        trends.fit_series(pd.DataFrame({"year": [2015], "value": [1]}), "mystery")


def test_measure_kind_from_units():
    assert trends.measure_kind("%") == "rate"
    assert trends.measure_kind("eur") == "amount"
    assert trends.measure_kind("établissements pour 1 000 habitants") == "amount"
    assert trends.measure_kind("participants") == "count"


def test_curve_band_contains_the_fit(synthetic_series):
    fit = kept_fit(synthetic_series["synthetic_poisson_growth"])
    curve = fit.curve
    assert list(curve["year"]) == list(range(2010, 2020))
    assert (curve["ci_low"] <= curve["fitted"]).all() and (curve["fitted"] <= curve["ci_high"]).all()


# --------------------------------------------------------------- the PLIE series, as reported


@pytest.fixture(scope="module")
def plie():
    series = raw.load("annual_series", RAW_DIR)
    plie = series[series["series_id"] == "plie_participants"]
    return trends.fit_counts(plie["year"], plie["value"])


def test_plie_poisson_fit(plie):
    poisson = plie[0]
    assert poisson.model == "poisson" and not poisson.kept
    assert poisson.annual_change_pct == pytest.approx(-8.444, abs=1e-3)
    assert (poisson.ci_low_pct, poisson.ci_high_pct) == pytest.approx((-12.389, -4.322), abs=1e-3)
    assert poisson.p_value == pytest.approx(8.63e-5, rel=1e-2)
    assert poisson.dispersion == pytest.approx(1.3706, abs=1e-4)
    assert poisson.dispersion_p_value == pytest.approx(0.2540, abs=1e-3)
    assert poisson.df_resid == 2


def test_plie_kept_model_is_quasi_poisson_and_inconclusive(plie):
    chosen = trends.kept(plie)
    assert chosen.model == "quasi-poisson" and chosen.inference == "t"
    assert chosen.annual_change_pct == pytest.approx(-8.444, abs=1e-3)
    assert (chosen.ci_low_pct, chosen.ci_high_pct) == pytest.approx((-18.242, 2.528), abs=1e-3)
    assert chosen.p_value == pytest.approx(0.0786, abs=1e-4)
    assert chosen.total_change_pct == pytest.approx(-25.0)
    assert chosen.n_points == 4


def test_plie_negative_binomial_sensitivity(plie):
    by_model = {f.model: f for f in plie}
    moment = by_model["negative-binomial (moment alpha)"]
    assert moment.alpha == pytest.approx(0.000974, rel=1e-2)
    assert (moment.ci_low_pct, moment.ci_high_pct) == pytest.approx((-18.36, 2.52), abs=1e-2)
    ml, poisson = by_model["negative-binomial (ML alpha)"], by_model["poisson"]
    # boundary: no extra variance found by ML, so the constrained maximum is exactly the Poisson fit,
    # whatever point the optimizer stopped at on this CPU's BLAS kernel
    assert ml.alpha == 0.0 and "boundary" in ml.note and "converge" not in ml.note
    assert (ml.annual_change_pct, ml.ci_low_pct, ml.ci_high_pct, ml.p_value) == (
        poisson.annual_change_pct,
        poisson.ci_low_pct,
        poisson.ci_high_pct,
        poisson.p_value,
    )


def test_collect_series_from_raw_tables():
    points, excluded = trends.collect_series(raw.load("annual_series", RAW_DIR), raw.load("external_figures", RAW_DIR))
    plie = points[points["series_id"] == "plie_participants"]
    assert list(plie["year"]) == [2015, 2016, 2017, 2018] and list(plie["value"]) == [440, 423, 402, 330]
    assert set(plie["kind"]) == {"count"}
    chambery = points[(points["series_id"] == "population") & (points["territory_id"] == "73065")]
    assert list(chambery["year"]) == [2012, 2017]
    reasons = excluded.set_index("figure_id")["reason"]
    assert reasons["ext-001"] == "no data year stated"
    assert reasons["ext-014"].startswith("range or bound")  # 'plus de 120 millions'
    assert "ext-018" not in reasons.index


def test_trend_table_keeps_one_model_per_series():
    points, _ = trends.collect_series(raw.load("annual_series", RAW_DIR), raw.load("external_figures", RAW_DIR))
    table, candidates, curves = trends.trend_tables(points)
    plie = table[table["series_id"] == "plie_participants"].iloc[0]
    assert plie["model"] == "quasi-poisson" and plie["n_points"] == 4
    assert plie["annual_change_pct"] == pytest.approx(-8.444, abs=1e-3)
    assert len(candidates[candidates["series_id"] == "plie_participants"]) == 4
    two_points = table[table["n_points"] == 2]
    assert len(two_points) >= 5 and (two_points["model"] == "none").all()
    assert table.groupby(trends.SERIES_KEY, dropna=False).size().max() == 1


# --------------------------------------------------------------- gaps and ratios


def test_compare_ranges_takes_extreme_combinations():
    result = trends.compare_ranges(24, 26, 17, 17)
    assert (result["gap_low"], result["gap_high"]) == (7, 9)
    assert result["ratio_low"] == pytest.approx(24 / 17) and result["ratio_high"] == pytest.approx(26 / 17)
    exact = trends.compare_ranges(41.4, None, 18, None)
    assert exact["gap_low"] == exact["gap_high"] == pytest.approx(23.4)


def _obs(indicator, territory, vintage, low, high, key, reference=False, definition="d"):
    return {
        "indicator_id": indicator,
        "territory_id": territory,
        "territory_label": territory,
        "vintage": vintage,
        "value_low": low,
        "value_high": high,
        "unit": "%",
        "pair_key": key,
        "source_table": "synthetic",
        "source_row": "1",
        "is_reference": reference,
        "definition": definition,
    }


def test_comparisons_and_their_change_between_two_vintages():
    """SYNTHETIC observations: a poverty gap at two vintages, and one at a single vintage."""
    obs = pd.DataFrame(
        [
            _obs("poverty", "qpv-a", 2015, 40, 40, "p2015"),
            _obs("poverty", "city", 2015, 18, 18, "p2015", True),
            _obs("poverty", "qpv-a", 2019, 38, 38, "p2019"),
            _obs("poverty", "city", 2019, 17, 17, "p2019", True),
            _obs("young", "qpv-a", pd.NA, 24, 26, "y"),
            _obs("young", "city", pd.NA, 17, 17, "y", True),
        ]
    )
    comparisons = trends.qpv_comparisons(obs, ["city"])
    assert len(comparisons) == 3
    changes = trends.comparison_changes(comparisons).set_index("indicator_id")
    assert changes.loc["poverty", "change"] == "computed"
    assert changes.loc["poverty", "gap_change_low"] == pytest.approx(-1.0)
    assert changes.loc["poverty", "ratio_change_low"] == pytest.approx(38 / 17 - 40 / 18)
    assert changes.loc["young", "change"] == "not computed" and changes.loc["young", "reason"] == "one vintage only"


def test_comparison_change_refused_when_definitions_differ():
    obs = pd.DataFrame(
        [
            _obs("estab", "qpv-a", 2016, 20, 30, "a", definition="cited"),
            _obs("estab", "agglo", 2016, 68, 68, "a", True, "cited"),
            _obs("estab", "qpv-a", 2018, 67, 67, "b", definition="sirene"),
            _obs("estab", "agglo", 2018, 169, 169, "b", True, "sirene"),
        ]
    )
    changes = trends.comparison_changes(trends.qpv_comparisons(obs, []))
    assert changes.iloc[0]["change"] == "not computed" and "definitions differ" in changes.iloc[0]["reason"]


def test_comparison_observations_from_raw_tables():
    obs = trends.comparison_observations(
        raw.load("identity_card", RAW_DIR),
        raw.load("demography_shares", RAW_DIR),
        raw.load("external_figures", RAW_DIR),
        raw.load("establishments", RAW_DIR),
    )
    comparisons = trends.qpv_comparisons(obs, ["73065", "200069110"]).set_index(
        ["indicator_id", "territory_id", "reference_id"]
    )
    assert comparisons.loc[("poverty_rate", "qpv-hauts-de-chambery", "73065"), "gap_low"] == pytest.approx(23.4)
    assert comparisons.loc[("median_income_eur", "qpv-biollay-bellevue", "200069110"), "ratio_low"] == pytest.approx(
        14438 / 22085
    )
    young = comparisons.loc[("share_under_15", "qpv-ensemble", "200069110")]
    assert (young["gap_low"], young["gap_high"]) == (7, 9)
    estab = comparisons.loc[("active_per_1000_inhabitants", "qpv-hauts-de-chambery", "200069110")]
    assert estab["value_low"] == pytest.approx(1000 * 422 / 6270) and estab["reference_low"] == pytest.approx(
        1000 * 22614 / 133638
    )
    cited = comparisons.loc[("part_personnes_revenu_plus_50pct_prestations", "qpv-hauts-de-chambery", "")]
    assert (cited["gap_low"], cited["gap_high"]) == (11, 16)  # 30-35 % against 19 %
    assert "ext-006" not in set(obs.loc[~obs["is_reference"], "source_row"])
    # ids only: the French label, definition, unit and source are the presentation's
    assert "label" not in obs and set(obs["source_table"]) <= {
        "identity_card",
        "demography_shares",
        "establishments",
        "external_figures",
    }
    assert {d.partition(":")[0] for d in obs["definition"]} <= set(trends.DEFINITIONS)
    assert set(obs.loc[obs["indicator_id"] == "active_per_1000_inhabitants", "unit"]) == {
        trends.ESTABLISHMENTS_PER_1000
    }
    changes = trends.comparison_changes(trends.qpv_comparisons(obs, ["73065", "200069110"]))
    assert (changes["change"] == "not computed").all()  # one vintage of each comparison in the 2018 data


def test_comparison_observations_refuse_an_indicator_without_a_comparison():
    card = raw.load("identity_card", RAW_DIR)
    external = raw.load("external_figures", RAW_DIR)
    linked = external[external["comparator_of"].notna()].head(1).assign(indicator_id="unknown_indicator")
    with pytest.raises(ValueError, match=r"external_figures\.csv .*'unknown_indicator'"):
        trends.comparison_observations(
            card.head(0),
            raw.load("demography_shares", RAW_DIR).head(0),
            linked,
            raw.load("establishments", RAW_DIR).head(0),
        )


def test_published_comparisons_are_the_ids_with_their_french_words():
    """The labelled comparisons equal the committed qpv_comparisons.csv of 2018, column for column."""
    tables = {
        name: raw.load(name, RAW_DIR)
        for name in ("identity_card", "demography_shares", "external_figures", "establishments")
    }
    for name in ("identity_card", "demography_shares", "establishments"):
        tables[name] = tables[name][tables[name]["edition"] <= 2018]
    obs = trends.comparison_observations(
        tables["identity_card"], tables["demography_shares"], tables["external_figures"], tables["establishments"]
    )
    labelled = trends_text.comparisons_with_labels(trends.qpv_comparisons(obs, ["73065", "200069110"]))
    published = pd.read_csv(RAW_DIR.parent / "processed" / "2018" / "qpv_comparisons.csv", keep_default_na=False)
    assert list(labelled.columns) == list(published.columns)
    for column in ("indicator_id", "label", "unit", "definition", "source_ref"):
        assert labelled[column].tolist() == published[column].tolist(), column


def test_comparison_words():
    assert trends_text.definition("census") == "rapport annuel (recensement)"
    assert trends_text.definition("cited:Insee") == "chiffre cité : Insee"
    assert trends_text.source_ref("identity_card", "63") == "identity_card.csv ligne 63 du rapport"
    assert trends_text.source_ref("external_figures", "ext-001") == "external_figures.csv ext-001"
    assert trends_text.unit(trends.ESTABLISHMENTS_PER_1000) == "établissements pour 1 000 habitants"
    assert trends_text.unit("%") == "%" and trends_text.unit("eur") == "eur"
    assert trends_text.MODELS["ols-log"] == "moindres carrés sur le logarithme"
    empty = trends_text.comparisons_with_labels(pd.DataFrame())
    assert empty.empty
