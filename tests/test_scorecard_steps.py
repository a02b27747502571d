"""The scorecard's steps, shown one by one in the tableau_de_bord chapter: the values located,
the change computation, the fits and the verdict compose into exactly what `build` returns.
Synthetic series (SYNTHETIC, tests only) and the shipped catalogue."""

import math

import pandas as pd
import pytest

from conftest import synthetic_catalogue
from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import scorecard
from contrat_ville.presentation import scorecard_text as text


@pytest.fixture()
def tables():
    # SYNTHETIC: a count of 100, 104, 108 people (2015-2017), 109 restated by edition 2019
    series = pd.DataFrame(
        {
            "edition": [2018, 2018, 2018, 2019],
            "series_id": ["s"] * 4,
            "territory_id": ["t"] * 4,
            "year": [2015, 2016, 2017, 2017],
            "value": [100.0, 104.0, 108.0, 109.0],
            "value_status": ["published"] * 4,
            "report_line": [11, 12, 13, 14],
        }
    )
    return {"series": series}


def test_located_values_one_row_per_value_with_its_raw_row(tables):
    located = scorecard.located_values(synthetic_catalogue(), tables, edition=2018)
    assert list(located.columns) == scorecard.LOCATED_COLUMNS
    assert list(located["year"]) == [2015, 2016, 2017] and list(located["value_low"]) == [100, 104, 108]
    assert set(located["table"]) == {"series"} and set(located["indicator_id"]) == {"synthetic_count"}
    # ids in the computation, French words in the published CSV
    assert located["source_ref"].iloc[2] == "series.csv series_id=s territory_id=t year=2017 report_line=13"
    assert (
        text.with_source_words(located)["source_ref"].iloc[2]
        == "series.csv series_id=s territory_id=t year=2017 ligne 13 du rapport"
    )
    # the values the later steps read are what indicator_values returns
    row = synthetic_catalogue().iloc[0]
    pd.testing.assert_frame_equal(
        scorecard.values_of(located, "synthetic_count"),
        scorecard.indicator_values(row, tables, 2018),
        check_dtype=False,
    )


def test_changes_give_baseline_latest_and_geometric_change_per_year(tables):
    catalogue = synthetic_catalogue()
    located = scorecard.located_values(catalogue, tables, edition=2018)
    change = scorecard.changes(catalogue, located, tables, baseline_year=2015, edition=2018).iloc[0]
    assert (change["baseline_year"], change["baseline_value"]) == (2015, 100)
    assert (change["latest_year"], change["latest_value"]) == (2017, 108)
    assert change["change_kind"] == "pct" and change["change_value"] == pytest.approx(8.0)
    assert change["observed_annual_pct"] == pytest.approx(100 * (math.sqrt(1.08) - 1))  # 3,92 % a year
    assert (change["n_values"], change["n_dated"], change["exact"], change["bounded"]) == (3, 3, True, False)
    rate = synthetic_catalogue(kind="rate", unit="%")
    change = scorecard.changes(rate, scorecard.located_values(rate, tables, 2018), tables, 2015, 2018).iloc[0]
    assert change["change_kind"] == "points" and change["change_value"] == pytest.approx(8.0)


def test_fits_and_trend_rows_flag_one_kept_model(tables):
    catalogue = synthetic_catalogue()
    located = scorecard.located_values(catalogue, tables, edition=2018)
    fits = scorecard.fit_all(catalogue, located)
    rows = scorecard.trend_rows(fits)
    assert list(rows.columns) == scorecard.TREND_ROW_COLUMNS
    assert set(rows["indicator_id"]) == {"synthetic_count"} and rows["kept"].sum() == 1
    assert set(rows["model"]) >= {"poisson"} and (rows["n_points"] == 3).all()
    # fewer than three dated points: no fit, and an empty table with the same columns
    two = scorecard.located_values(catalogue, {"series": tables["series"].iloc[:2]}, edition=2018)
    assert scorecard.fit_all(catalogue, two) == {}
    assert list(scorecard.trend_rows({}).columns) == scorecard.TREND_ROW_COLUMNS


def test_verdicts_name_the_rule_and_read_the_kept_fit(tables):
    catalogue = synthetic_catalogue()
    located = scorecard.located_values(catalogue, tables, edition=2018)
    changed = scorecard.changes(catalogue, located, tables, 2015, 2018)
    fits = scorecard.fit_all(catalogue, located)
    judged = scorecard.verdicts(catalogue, changed, fits, margin_pct=2.0).iloc[0]
    kept = next(f for f in fits["synthetic_count"] if f.kept)
    assert judged["trend_model"] == kept.model and judged["ci_low_pct"] == kept.ci_low_pct
    assert judged["rule"] in {"R9", "R10", "R11"} and judged["verdict"] in scorecard.VERDICTS
    # an exhaustive count is judged on its observed change (+3,9 % a year beyond the 2 % margin): R7
    counted = synthetic_catalogue(exhaustive="yes")
    judged = scorecard.verdicts(counted, changed, fits, margin_pct=2.0).iloc[0]
    assert (judged["rule"], judged["verdict"], judged["motif"]) == (
        "R7",
        scorecard.IMPROVEMENT,
        "observed_beyond_margin",
    )
    wide = scorecard.verdicts(counted, changed, fits, margin_pct=5.0).iloc[0]
    assert (wide["rule"], wide["verdict"]) == ("R7", scorecard.STABLE)


def test_steps_compose_into_build_on_the_shipped_catalogue():
    catalogue = raw.load("indicators", RAW_DIR)
    tables = {name: raw.load(name, RAW_DIR) for name in scorecard.locator_tables(catalogue)}
    for edition in (2018, 2019):
        located = scorecard.located_values(catalogue, tables, edition)
        changed = scorecard.changes(catalogue, located, tables, 2015, edition)
        fits = scorecard.fit_all(catalogue, located)
        card = scorecard.assemble(catalogue, located, changed, scorecard.verdicts(catalogue, changed, fits))
        built, built_fits = scorecard.build(catalogue, tables, 2015, edition)
        pd.testing.assert_frame_equal(card, built)
        assert {i: [f.as_row() for f in fs] for i, fs in built_fits.items()} == {
            i: [f.as_row() for f in fs] for i, fs in fits.items()
        }
        # every indicator's values are located, and each step has one row per indicator
        assert set(located["indicator_id"]) == set(catalogue["indicator_id"])
        assert list(changed["indicator_id"]) == list(catalogue["indicator_id"])
