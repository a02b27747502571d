"""The scorecard: locators, the verdict rule on its edge cases, and the catalogue shipped
in data/raw/indicators.csv (every locator resolves, every verdict is one of five)."""

import math

import pandas as pd
import pytest

from conftest import synthetic_catalogue
from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import locate, scorecard
from contrat_ville.evaluation.scorecard import (
    DETERIORATION,
    IMPROVEMENT,
    NOT_APPLICABLE,
    NOT_ASSESSABLE,
    STABLE,
    Evidence,
    verdict,
)
from contrat_ville.presentation import scorecard_text

# --------------------------------------------------------------- locators


def test_locators_are_addresses_of_the_one_row_language():
    # the syntax itself is tested in test_locate.py; here, what the scorecard reads of it
    assert scorecard.locator_tables(synthetic_catalogue()) == sorted(
        {locate.parse(t).table for c in ("data", "reference") for t in synthetic_catalogue()[c].dropna() if t}
    )


# --------------------------------------------------------------- the verdict rule


def trend(ci_low, ci_high, n=4):
    return Evidence(n_values=n, n_dated=n, ci_low=ci_low, ci_high=ci_high)


def counted(annual_pct, n=4):
    """An exhaustive count whose observed change is `annual_pct` % a year."""
    return Evidence(n_values=n, n_dated=n, exhaustive=True, observed_annual_pct=annual_pct)


@pytest.mark.parametrize(
    "evidence, direction, klass, expected, rule",
    [
        # activity volumes and context figures are described, never judged (issue 13)
        (trend(-18.2, 2.5), "up", "activity", NOT_APPLICABLE, "R1"),
        (counted(-9.1), "none", "activity", NOT_APPLICABLE, "R1"),  # the PLIE participants
        (trend(-5.0, -0.1), "none", "context", NOT_APPLICABLE, "R1"),
        (Evidence(0, 0), "up", "outcome", NOT_ASSESSABLE, "R2"),
        (Evidence(1, 0), "up", "outcome", NOT_ASSESSABLE, "R3"),
        (Evidence(1, 1), "down", "outcome", NOT_ASSESSABLE, "R4"),
        (Evidence(2, 2, comparable=False), "up", "outcome", NOT_ASSESSABLE, "R5"),
        (Evidence(3, 3, exact=False, bounded=True, ci_low=1, ci_high=2), "up", "outcome", NOT_ASSESSABLE, "R6"),
        # exhaustive counts: the observed change against the margin, two points suffice
        (counted(-2.39, n=2), "down", "outcome", IMPROVEMENT, "R7"),  # jobseekers, -7 % in three years
        (counted(-2.39, n=2), "up", "outcome", DETERIORATION, "R7"),
        (counted(3.0), "up", "outcome", IMPROVEMENT, "R7"),
        (counted(1.5, n=2), "up", "outcome", STABLE, "R7"),
        (counted(-2.0, n=2), "up", "outcome", STABLE, "R7"),  # margin bound included
        # a rounded exhaustive value is still a value ("environ" is no longer rejected)
        (Evidence(2, 2, exact=False, exhaustive=True, observed_annual_pct=5.0), "up", "outcome", IMPROVEMENT, "R7"),
        # estimates: two points or rounded values never give a verdict
        (Evidence(2, 2), "up", "outcome", NOT_ASSESSABLE, "R8"),
        (Evidence(1, 2), "down", "outcome", NOT_ASSESSABLE, "R8"),  # one level plus a published change
        (Evidence(3, 3, exact=False, ci_low=1, ci_high=2), "up", "outcome", NOT_ASSESSABLE, "R8"),
        (Evidence(3, 3), "up", "outcome", NOT_ASSESSABLE, "R11"),  # no fit
        (trend(1.0, 5.0), "up", "outcome", IMPROVEMENT, "R9"),
        (trend(1.0, 5.0), "down", "outcome", DETERIORATION, "R9"),
        (trend(-5.0, -0.1), "down", "outcome", IMPROVEMENT, "R9"),
        (trend(-5.0, -0.1), "up", "outcome", DETERIORATION, "R9"),
        (trend(-1.0, 1.5), "up", "outcome", STABLE, "R10"),
        (trend(-2.0, 2.0), "up", "outcome", STABLE, "R10"),  # margin bounds included
        (trend(-2.0001, 1.0), "up", "outcome", NOT_ASSESSABLE, "R11"),
        (trend(0.0, 3.0), "up", "outcome", NOT_ASSESSABLE, "R11"),  # CI touching 0 does not exclude it
        (trend(-18.2, 2.5), "up", "outcome", NOT_ASSESSABLE, "R11"),  # an estimate with the PLIE's interval
    ],
)
def test_verdict_rule(evidence, direction, klass, expected, rule):
    result = verdict(evidence, direction, margin_pct=2.0, indicator_class=klass)
    assert (result.verdict, result.rule) == (expected, rule)
    assert result.motif in scorecard.MOTIFS


def test_verdict_margin_is_a_parameter():
    assert verdict(trend(-1.5, 1.5), "up", margin_pct=1.0).rule == "R11"
    assert verdict(trend(-1.5, 1.5), "up", margin_pct=1.5).verdict == STABLE
    assert verdict(counted(-2.39, n=2), "down", margin_pct=3.0).verdict == STABLE


def test_verdict_reason_quotes_the_interval_in_french():
    row = pd.Series(
        {"rule": "R11", "motif": "interval_too_wide", "margin_pct": 2.0, "ci_low_pct": -18.24, "ci_high_pct": 2.53}
    )
    reason = _clean(scorecard_text.reason(row))
    assert reason.startswith("R11 : ") and "-18,2" in reason and "+2,5" in reason


def test_verdict_refuses_unknown_direction_and_class():
    with pytest.raises(ValueError, match="desired direction"):
        verdict(Evidence(1, 1), "sideways")
    with pytest.raises(ValueError, match="indicator class"):
        verdict(Evidence(1, 1), "up", indicator_class="means")


def test_rule_order_small_cases_before_intervals():
    # one value with an interval somehow given: still one vintage
    assert verdict(Evidence(1, 1, ci_low=1, ci_high=2), "up").rule == "R4"


@pytest.mark.parametrize(
    "ci, n, exact, expected",
    [
        ((1.0, 3.0), 4, True, "up"),
        ((-3.0, -1.0), 4, True, "down"),
        ((-1.0, 1.0), 4, True, "stable"),
        ((-18.2, 2.5), 4, True, "not_established"),
        ((None, None), 2, True, "two_points"),
        ((None, None), 3, False, "approximate"),
        ((None, None), 1, True, "none"),
    ],
)
def test_trend_status_is_separate_from_the_verdict(ci, n, exact, expected):
    assert scorecard.trend_status(*ci, 2.0, n, exact) == expected


# --------------------------------------------------------------- selecting values (SYNTHETIC tables)


@pytest.fixture()
def synthetic_tables():
    """SYNTHETIC raw-like tables: two editions of a count, a ranged share, an undated stock."""
    series = pd.DataFrame(
        {
            "edition": [2018, 2018, 2018, 2019, 2019],
            "series_id": ["s"] * 5,
            "territory_id": ["t"] * 5,
            "year": [2015, 2016, 2017, 2017, 2018],
            "value": [100.0, 104.0, 108.0, 109.0, None],
            "value_status": ["published"] * 4 + ["ND"],
            "report_line": [1, 1, 1, 2, 2],
        }
    )
    card = pd.DataFrame(
        {
            "edition": [2018] * 4,
            "territory_id": ["q1", "q2", "city", "q3"],
            "indicator_id": ["pop"] * 4,
            "value": [60.0, 40.0, 500.0, None],
            "value_status": ["published"] * 3 + ["ND"],
            "vintage": [2015] * 4,
        }
    )
    shares = pd.DataFrame(
        {
            "edition": [2018, 2018],
            "territory_id": ["q", "city"],
            "indicator_id": ["young", "young"],
            "value_low": [24.0, 17.0],
            "value_high": [26.0, 17.0],
            "vintage": [2015, 2015],
        }
    )
    stock = pd.DataFrame({"territory_id": ["q1", "q2"], "active": [10.0, 5.0]})
    return {"series": series, "card": card, "shares": shares, "stock": stock}


def test_select_keeps_editions_up_to_the_run_and_latest_restatement(synthetic_tables):
    loc = locate.parse("series[series_id=s;territory_id=t]")
    in_2018 = scorecard.values_at(synthetic_tables, loc, edition=2018)
    assert list(in_2018["year"]) == [2015, 2016, 2017] and in_2018["value_low"].iloc[-1] == 108
    in_2019 = scorecard.values_at(synthetic_tables, "series[series_id=s;territory_id=t]", edition=2019)
    assert list(in_2019["year"]) == [2015, 2016, 2017, 2018]
    assert in_2019.set_index("year").loc[2017, "value_low"] == 109  # restated by edition 2019
    assert pd.isna(in_2019.set_index("year").loc[2018, "value_low"])  # ND stays missing
    assert "year=2017" in in_2019.set_index("year").loc[2017, "source_ref"]


def test_select_sum_requires_every_member(synthetic_tables):
    both = scorecard.values_at(
        synthetic_tables,
        "card[indicator_id=pop;territory_id=q1|q2].value@vintage",
        aggregate="sum",
    )
    assert both["value_low"].iloc[0] == 100
    with_nd = scorecard.values_at(
        synthetic_tables,
        "card[indicator_id=pop;territory_id=q1|q3].value@vintage",
        aggregate="sum",
    )
    assert pd.isna(with_nd["value_low"].iloc[0])


def test_select_undated_table(synthetic_tables):
    values = scorecard.values_at(synthetic_tables, "stock[territory_id=q1|q2].active@-", aggregate="sum")
    assert values["value_low"].iloc[0] == 15 and pd.isna(values["year"].iloc[0])


def test_select_names_missing_table_and_column(synthetic_tables):
    with pytest.raises(KeyError, match="not loaded"):
        scorecard.values_at(synthetic_tables, "nothing[a=b]")
    with pytest.raises(locate.AddressError, match="card.csv has no column 'colour'"):
        scorecard.values_at(synthetic_tables, "card[colour=red]")
    with pytest.raises(locate.AddressError, match="gives 1 key values"):
        scorecard.values_at(synthetic_tables, "card[pop]")  # a positional value needs the table's primary key


def test_compare_gap_and_ratio_with_ranges(synthetic_tables):
    subject = scorecard.values_at(synthetic_tables, "shares[territory_id=q].value_low:value_high@vintage")
    reference = scorecard.values_at(synthetic_tables, "shares[territory_id=city].value_low:value_high@vintage")
    gap = scorecard.compare(subject, reference, "gap")
    assert (gap["value_low"].iloc[0], gap["value_high"].iloc[0]) == (7, 9) and gap["qualifier"].iloc[0] == "range"
    ratio = scorecard.compare(subject, reference, "ratio")
    assert ratio["value_low"].iloc[0] == pytest.approx(24 / 17)
    with pytest.raises(ValueError):
        scorecard.compare(subject, reference, "difference")


def test_build_fits_a_trend_for_three_points_and_traces_the_rule(synthetic_tables):
    card, fits = scorecard.build(synthetic_catalogue(), synthetic_tables, baseline_year=2015, edition=2018)
    row = card.iloc[0]
    assert (row["baseline_year"], row["baseline_value"], row["latest_year"], row["latest_value"]) == (
        2015,
        100,
        2017,
        108,
    )
    assert row["change_kind"] == "pct" and row["change_value"] == pytest.approx(8.0)
    assert (row["change_from_year"], row["change_to_year"], row["change_direction"]) == (2015, 2017, "up")
    assert row["observed_annual_pct"] == pytest.approx(100 * (1.08**0.5 - 1))
    assert row["observation"] == "change"
    assert row["n_dated"] == 3 and row["trend_model"] in ("poisson", "quasi-poisson")
    assert row["rule"] in {"R9", "R10", "R11"} and row["verdict"] in scorecard.VERDICTS
    assert "synthetic_count" in fits
    assert "small_numbers" not in row["caveat_codes"]  # latest value 108 >= 100


def test_build_published_change_counts_its_start_year(synthetic_tables):
    tables = dict(
        synthetic_tables, changes=pd.DataFrame({"figure_id": ["kf-x"], "value": [7.0], "period_start": [2015]})
    )
    catalogue = synthetic_catalogue(
        data="card[indicator_id=pop;territory_id=q1|q2].value@vintage",
        aggregate="sum",
        published_change="changes[figure_id=kf-x].value@period_start",
        published_change_sign=-1,
    )
    tables["card"] = tables["card"].assign(vintage=2018)
    row = scorecard.build(catalogue, tables, 2015, 2018)[0].iloc[0]
    assert row["change_kind"] == "published_pct" and row["change_value"] == -7
    assert row["n_dated"] == 2 and row["rule"] == "R8"  # an estimate: two points give no verdict
    exhaustive = scorecard.build(catalogue.assign(exhaustive="yes"), tables, 2015, 2018)[0].iloc[0]
    assert exhaustive["rule"] == "R7" and exhaustive["verdict"] == DETERIORATION  # a fall of a count meant to rise
    assert exhaustive["observed_annual_pct"] == pytest.approx(100 * (0.93 ** (1 / 3) - 1))
    assert "published_change_only" in row["caveat_codes"] and " | change: changes.csv" in row["source_rows"]
    # the published scorecard says it in French
    assert " | évolution : changes.csv" in scorecard_text.source_words(row["source_rows"])


def test_build_flags_ranges_undated_and_small_counts(synthetic_tables):
    ranged = scorecard.build(
        synthetic_catalogue(kind="rate", data="shares[territory_id=q].value_low:value_high@vintage"),
        synthetic_tables,
        2015,
    )[0].iloc[0]
    assert ranged["rule"] == "R4" and "range" in ranged["caveat_codes"] and ranged["observation"] == "level"
    undated = scorecard.build(synthetic_catalogue(data="stock[territory_id=q1].active@-"), synthetic_tables, 2015)[
        0
    ].iloc[0]
    assert (
        undated["rule"] == "R3" and "undated" in undated["caveat_codes"] and "small_numbers" in undated["caveat_codes"]
    )


def test_unknown_caveat_code_is_refused(synthetic_tables):
    with pytest.raises(ValueError, match="unknown caveat"):
        scorecard.build(synthetic_catalogue(caveats="made_up"), synthetic_tables, 2015)


def test_verdict_counts_keep_every_pillar_and_verdict():
    card = pd.DataFrame({"pillar": ["cohesion_sociale", "transversal"], "verdict": [NOT_ASSESSABLE, STABLE]})
    counts = scorecard.verdict_counts(card)
    assert list(counts.index) == list(scorecard.PILLARS) and list(counts.columns) == list(scorecard.VERDICTS)
    assert counts.to_numpy().sum() == 2 and counts.loc["transversal", STABLE] == 1


# --------------------------------------------------------------- the shipped catalogue


@pytest.fixture(scope="module")
def shipped():
    catalogue = raw.load("indicators", RAW_DIR)
    tables = {name: raw.load(name, RAW_DIR) for name in scorecard.locator_tables(catalogue)}
    return catalogue, tables


def test_every_catalogue_locator_finds_a_value(shipped):
    catalogue, tables = shipped
    for _, row in catalogue.iterrows():
        values = scorecard.indicator_values(row, tables, 2018)
        assert values["value_low"].notna().any(), row["indicator_id"]


def test_catalogue_covers_the_three_pillars_and_transversal_themes(shipped):
    catalogue, _ = shipped
    assert set(catalogue["pillar"]) == set(scorecard.PILLARS)
    assert catalogue.groupby("pillar").size().min() >= 4


def test_shipped_scorecard_reproduces_plie_and_jobseekers(shipped):
    catalogue, tables = shipped
    card = scorecard.build(catalogue, tables, 2015, 2018)[0].set_index("indicator_id")
    plie = card.loc["plie_participants"]
    # issue 13: an activity volume, described (observed fall, trend not established) but not judged
    assert plie["indicator_class"] == "activity" and plie["desired_direction"] == "none"
    assert plie["rule"] == "R1" and plie["verdict"] == NOT_APPLICABLE
    assert plie["trend_model"] == "quasi-poisson" and plie["trend_status"] == "not_established"
    assert (plie["ci_low_pct"], plie["ci_high_pct"]) == pytest.approx((-18.242, 2.528), abs=1e-3)
    assert plie["change_value"] == pytest.approx(-25.0) and plie["observation"] == "change"
    jobs = card.loc["jobseekers_qpv"]
    assert jobs["latest_value"] == 968 + 469 and jobs["change_value"] == -7
    # issue 13: an exhaustive register falling 7 % in three years (-2,4 % a year) beyond the 2 % margin
    assert jobs["rule"] == "R7" and jobs["verdict"] == IMPROVEMENT and jobs["trend_status"] == "two_points"
    # issue 13: the table's 53 + 31 = 84, as the chapters, not the text's 83
    creations = card.loc["establishment_creations_qpv"]
    assert creations["latest_value"] == 53 + 31 and "text_table_conflict" in creations["caveat_codes"]
    gap = card.loc["poverty_gap_hauts_city"]
    assert gap["latest_value"] == pytest.approx(41.4 - 18)
    ratio = card.loc["income_ratio_hauts_city"]
    assert ratio["latest_value"] == pytest.approx(13397 / 19729)
    assert set(card["verdict"]) <= set(scorecard.VERDICTS)
    assert not math.isnan(card.loc["population_chambery", "change_value"])
    counts = scorecard.headline_counts(card.reset_index())
    assert counts["indicators"] == len(card)
    assert counts["observed_change"] == 4  # PLIE, jobseekers, Chambéry's population and share of under-15s
    assert counts["established_trend"] == 0
    assert counts["without_data"] == (card["observation"].isin(["undated", "no_value"])).sum()
    assert counts["level_only"] + counts["without_data"] + counts["observed_change"] + counts["not_comparable"] == len(
        card
    )


# --------------------------------------------------------------- French display


def _clean(text):
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_format_value_french():
    assert _clean(scorecard_text.format_value(41.4, 41.4, "exact", "%")) == "41,4 %"
    assert _clean(scorecard_text.format_value(24, 26, "range", "%")) == "24 à 26 %"
    assert _clean(scorecard_text.format_value(40, 40, "environ", "habitants")) == "environ 40"
    assert _clean(scorecard_text.format_value(2000, 2000, "plus_de", "personnes par an")) == "plus de 2 000"
    assert _clean(scorecard_text.format_value(23.4, 23.4, "exact", "points")) == "23,4 points"
    assert _clean(scorecard_text.format_value(0.679, 0.679, "exact", "rapport")) == "0,68"
    assert _clean(scorecard_text.format_value(10.8, 10.8, "exact", "millions d'euros")) == "10,8 M€"
    assert scorecard_text.format_value(pd.NA, pd.NA, "exact", "%") == "ND"
    assert _clean(scorecard_text.format_dated(440, 440, "exact", "participants", 2015)) == "440 (2015)"
    assert scorecard_text.format_dated(27.1, 27.1, "exact", "%", pd.NA).endswith("(non daté)")


def test_format_change_french():
    row = pd.Series(
        {"change_kind": "published_pct", "change_value": -7.0, "change_from_year": 2015, "change_to_year": 2018}
    )
    assert _clean(scorecard_text.format_change(row)) == "-7 % de 2015 à 2018 (évolution publiée)"
    row = pd.Series({"change_kind": "pct", "change_value": -25.0, "change_from_year": 2015, "change_to_year": 2018})
    assert _clean(scorecard_text.format_change(row)) == "-25,0 % de 2015 à 2018"
    row = pd.Series({"change_kind": "points", "change_value": 0.0, "change_from_year": 2012, "change_to_year": 2017})
    assert _clean(scorecard_text.format_change(row)) == "+0,0 point de 2012 à 2017"
    row = pd.Series({"change_kind": "points", "change_value": -2.5, "change_from_year": 2012, "change_to_year": pd.NA})
    assert _clean(scorecard_text.format_change(row)) == "-2,5 points depuis 2012"
    assert scorecard_text.format_change(pd.Series({"change_kind": "", "change_value": float("nan")})) == "—"


def test_format_trend_is_its_own_column():
    row = pd.Series(
        {
            "trend_status": "not_established",
            "trend_model": "quasi-poisson",
            "annual_change_pct": -8.444,
            "ci_low_pct": -18.24,
            "ci_high_pct": 2.53,
        }
    )
    assert (
        _clean(scorecard_text.format_trend(row)) == "tendance non établie : -8,4 % par an, IC 95 % [-18,2 % ; +2,5 %]"
    )
    two = pd.Series({"trend_status": "two_points", "trend_model": ""})
    assert scorecard_text.format_trend(two) == "non estimable (deux points)"


def test_motifs_are_short_and_differ_by_row():
    base = {"indicator_class": "outcome", "observed_annual_pct": float("nan")}
    one = scorecard_text.motif(pd.Series({**base, "motif": "single_point", "latest_year": 2018}))
    assert one == "un seul point (2018)"
    assert scorecard_text.motif(pd.Series({**base, "motif": "no_direction", "indicator_class": "activity"})) == (
        "volume d'activité"
    )
    assert (
        scorecard_text.motif(pd.Series({**base, "motif": "no_direction", "indicator_class": "context"})) == "contexte"
    )
    assert all(len(text) <= 50 for text in scorecard_text.MOTIFS.values())


def _counts(**overrides):
    counts = {"indicators": 36, "observed_change": 4, "established_trend": 0, "level_only": 21, "without_data": 11}
    counts.update(overrides)
    return counts


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, ["4 indicateurs disposent", "aucune tendance n'est établie", "21 indicateurs n'ont qu'une"]),
        ({"observed_change": 1, "established_trend": 1}, ["1 indicateur dispose", "1 tendance est établie"]),
        ({"observed_change": 0}, ["aucun ne dispose encore"]),
        ({"established_trend": 3}, ["3 tendances sont établies"]),
        ({"level_only": 1, "without_data": 1}, ["1 indicateur n'a qu'une", "1 indicateur est sans donnée"]),
        ({"level_only": 0, "without_data": 0}, ["statistiquement."]),
    ],
)
def test_headline_sentence_every_branch(overrides, expected):
    sentence = _clean(scorecard_text.headline(_counts(**overrides)))
    for part in expected:
        assert part in sentence, (part, sentence)
    assert "(s)" not in sentence and "  " not in sentence and sentence.endswith(".")


def test_verdicts_sentence_agrees():
    counts = {f"verdict_{v}": 0 for v in scorecard.VERDICTS}
    counts.update({"verdict_improvement": 1, "verdict_not_assessable": 14, "verdict_not_applicable": 21})
    sentence = _clean(scorecard_text.verdicts_sentence(counts))
    assert sentence.startswith("Verdicts : 1 amélioration, 0 dégradation, 0 indicateur stable, 14 indicateurs non")


def test_gap_sentence_level_and_change():
    base = {"label": "Écart Q − ville", "unit": "points", "kind": "gap", "latest_value_high": float("nan")}
    level = pd.Series(
        {**base, "latest_value": 23.4, "latest_qualifier": "exact", "latest_year": pd.NA, "observation": "undated"}
    )
    assert "une seule mesure existe" in _clean(scorecard_text.gap_sentence(level))
    change = pd.Series(
        {
            **base,
            "latest_value": 20.0,
            "latest_year": 2020,
            "latest_qualifier": "exact",
            "baseline_value": 23.4,
            "baseline_value_high": float("nan"),
            "baseline_qualifier": "exact",
            "baseline_year": 2015,
            "observation": "change",
        }
    )
    assert _clean(scorecard_text.gap_sentence(change)).endswith(
        "de 23,4 points en 2015 à 20,0 points en 2020 ; l'écart se réduit."
    )
    wider = change.copy()
    wider["latest_value"] = 25.0
    assert scorecard_text.gap_sentence(wider).endswith("l'écart se creuse.")
    ratio = change.copy()
    ratio.update({"kind": "ratio", "unit": "rapport", "baseline_value": 0.68, "latest_value": 0.75})
    assert scorecard_text.gap_sentence(ratio).endswith("l'écart se réduit.")  # closer to one
    assert "ND" in scorecard_text.gap_sentence(level.copy().replace({23.4: float("nan")}))


def test_poverty_sentence_branches():
    both = _clean(
        scorecard_text.poverty_sentence([("Hauts-de-Chambéry", 41.4), ("Biollay-Bellevue", 36.7)], 18.0, 11.9)
    )
    assert both == (
        "Le taux de pauvreté atteint 41,4 % aux Hauts-de-Chambéry et 36,7 % à Biollay-Bellevue, contre 18 % à "
        "Chambéry et 11,9 % dans l'agglomération : de 2,0 à 2,3 fois celui de la ville."
    )
    assert "n'est pas publié (ND)" in scorecard_text.poverty_sentence([("Q", float("nan"))], 18.0, 11.9)
    assert "celui de la ville n'est pas publié" in scorecard_text.poverty_sentence([("Q", 30.0)], float("nan"), 1.0)
    below = scorecard_text.poverty_sentence([("Q", 10.0)], 18.0, float("nan"))
    assert "sous le taux de la ville" in below and "agglomération" not in below


def test_every_code_has_its_french_text():
    assert set(scorecard_text.CAVEATS) == set(scorecard.CAVEAT_CODES)
    assert set(scorecard_text.MOTIFS) == set(scorecard.MOTIFS)
    assert set(scorecard_text.VERDICTS) == set(scorecard.VERDICTS)
    # the colour classes are keyed by the word the cell shows
    assert set(scorecard_text.VERDICT_CLASS) == {scorecard_text.verdict(v) for v in scorecard.VERDICTS}


def test_verdict_ids_are_stable_english_ids_with_french_labels():
    assert scorecard.VERDICTS == ("improvement", "stable", "deterioration", "not_assessable", "not_applicable")
    assert [scorecard_text.verdict(v) for v in scorecard.VERDICTS] == [
        "amélioration",
        "stable",
        "dégradation",
        "non évaluable",
        "sans objet",
    ]
    with pytest.raises(KeyError, match="'verdicts' section"):
        scorecard_text.verdict("amélioration")


def test_with_verdict_labels_puts_the_label_right_after_the_id():
    frame = pd.DataFrame({"indicator_id": ["a", "b"], "verdict": [IMPROVEMENT, NOT_APPLICABLE], "rule": ["R7", "R1"]})
    labelled = scorecard_text.with_verdict_labels(frame)
    assert list(labelled.columns) == ["indicator_id", "verdict", "verdict_label", "rule"]
    assert labelled["verdict_label"].tolist() == ["amélioration", "sans objet"]
    assert list(frame.columns) == ["indicator_id", "verdict", "rule"]  # the input is left as it was
    assert set(scorecard_text.VERDICT_COLUMNS) == {"verdict", "verdict_label"}


def test_source_label():
    assert (
        scorecard_text.source_label(pd.Series({"source_id": "insee-filosofi", "title": "Filosofi — Fichier localisé"}))
        == "Filosofi"
    )
    assert (
        scorecard_text.source_label(pd.Series({"source_id": "x", "title": "Figures publiques (../shared)"}))
        == "Figures publiques"
    )


def test_rules_table_lists_the_eleven_rules_in_order_with_margin_and_confidence():
    rules = scorecard_text.rules_table(2.0, confidence=0.95)
    assert rules["Règle"].tolist() == [f"R{i}" for i in range(1, 12)]
    assert "95 %" in _clean(rules.loc[8, "Situation"]) and "2,0 %" in _clean(rules.loc[9, "Situation"])
    assert rules.loc[9, "Verdict"] == "stable" and rules.loc[0, "Verdict"] == "sans objet"
    assert rules.loc[1, "Verdict"] == "non évaluable"
    assert rules.loc[6, "Verdict"] == "stable dans la marge, sinon amélioration ou dégradation selon le sens souhaité"
