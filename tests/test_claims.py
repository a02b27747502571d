"""Reconciliation rules (contrat_ville.evaluation.claims) on small SYNTHETIC tables: rounding
intervals, ranges, qualifiers, operand references, every rule and the status each one can give;
their French wording (contrat_ville.presentation.reconciliation)."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from contrat_ville.data.raw import Tables
from contrat_ville.evaluation import claims, locate
from contrat_ville.evaluation.claims import Interval, accepted_interval
from contrat_ville.presentation import reconciliation

# --- intervals and qualifiers -----------------------------------------------------------


def test_rounding_interval_of_a_whole_percentage():
    interval = accepted_interval(17, "exact", 0)
    assert (interval.low, interval.high) == (16.5, 17.5)
    assert 16.5 in interval and 17.4999 in interval
    assert 17.5 not in interval and 16.49 not in interval


def test_rounding_interval_with_decimals_is_exact_in_decimal():
    interval = accepted_interval(41.4, "exact", 1)
    assert (interval.low, interval.high) == (41.35, 41.45)
    assert 41.35 in interval and 41.45 not in interval
    assert 100 * 313 / 330 not in accepted_interval(94.9, "exact", 1)


def test_boundary_survives_floating_noise():
    # 100 * 33 / 200 is 16.5 but may be computed as 16.499999999999996
    assert 100 * 0.165 in accepted_interval(17, "exact", 0)


def test_environ_uses_the_precision_of_the_round_number():
    assert accepted_interval(20, "environ", -1) == Interval(15, 25)
    assert 0.966849 in accepted_interval(1, "environ", 0)
    assert 9400 in accepted_interval(9000, "environ", -3) and 9600 not in accepted_interval(9000, "environ", -3)


def test_pres_de_is_at_most_the_value():
    interval = accepted_interval(1000, "pres_de", -2)
    assert 900 in interval and 1000 in interval
    assert 1000.5 not in interval and 899 not in interval


def test_plus_de_and_moins_de_are_strict():
    assert 60 not in accepted_interval(60, "plus_de", 0) and 61 in accepted_interval(60, "plus_de", 0)
    assert 60 not in accepted_interval(60, "moins_de", 0) and 59 in accepted_interval(60, "moins_de", 0)


def test_range_accepts_values_rounding_to_either_end():
    interval = accepted_interval(1.4, "range", 1, high=1.5)
    assert 19729 / 13397 in interval and 19729 / 14438 in interval  # 1.47 and 1.37
    assert 1.56 not in interval and 1.34 not in interval
    with pytest.raises(claims.ClaimError):
        accepted_interval(1.4, "range", 1)


def test_unknown_qualifier_is_refused():
    with pytest.raises(claims.ClaimError):
        accepted_interval(3, "vers", 0)


def test_intersection_and_whole_numbers():
    pres = accepted_interval(1000, "pres_de", -2)
    plus = accepted_interval(1000, "plus_de", 0)
    assert pres.intersection(plus) is None  # "près de 1000" and "plus de 1 000" cannot both hold
    exact = accepted_interval(60, "exact", 0)
    common = exact.intersection(accepted_interval(60, "plus_de", 0))
    assert common is not None and not common.has_integer()  # (60, 60.5): no whole number of people
    assert exact.intersection(accepted_interval(214, "environ", 0)) is None
    assert accepted_interval(214, "environ", 0).intersection(accepted_interval(214, "exact", 0)).has_integer()


def test_printed_precision_of_raw_values():
    assert claims.printed_decimals(10.8) == 1
    assert claims.printed_decimals(120) == 0
    assert claims.printed_decimals(9000, "environ") == -3
    assert claims.row_interval(1000, "pres_de") == Interval(900, 1000, True, True)


def test_interval_in_french():
    assert reconciliation.interval_text(accepted_interval(17, "exact", 0)) == "[16,5 ; 17,5["
    text = reconciliation.interval_text(accepted_interval(1000, "plus_de", 0))
    assert text.replace("\u00a0", "\u202f") == "]1\u202f000 ; +∞["
    semester = accepted_interval(201801, "range", 0, high=201806)
    assert reconciliation.interval_text(semester, unit="mois") == "de janvier 2018 à juin 2018"


def test_published_labels():
    assert reconciliation.published_label(36, "%", "exact", 0).replace("\u202f", " ").replace("\u00a0", " ") == "36 %"
    assert reconciliation.published_label(1.4, "fois", "range", 1, 1.5) == "1,4 à 1,5 fois"
    assert (
        reconciliation.published_label(1000, "personnes", "pres_de", -2).replace("\u202f", " ").replace("\u00a0", " ")
        == "près de 1 000 personnes"
    )
    assert reconciliation.published_label(10.8, "meur", "exact", 1) == "10,8 M€"


# --- references -------------------------------------------------------------------------


def test_unreadable_operand_is_an_error_naming_the_claim():
    # the operand syntax is that of evaluation.locate (tests/test_locate.py)
    claim = SimpleNamespace(claim_id="c-1", rule="sum_of", edition=2018, numerator="key_figures(kf-1)", denominator="")
    with pytest.raises(claims.ClaimError, match=r"c-1: cannot read the address 'key_figures\(kf-1\)'"):
        claims.evaluate(claim, {})


def synthetic_tables():
    """Synthetic tables (not report data) shaped like the raw ones."""
    people = pd.DataFrame(
        {
            "edition": [2018, 2018, 2018, 2019],
            "territory_id": ["a", "b", "city", "a"],
            "indicator_id": ["population"] * 4,
            "value": [6270.0, 3578.0, 59183.0, 1.0],
            "report_line": [63, 64, 66, 1],
        }
    )
    figures = pd.DataFrame(
        {
            "edition": [2018] * 4,
            "figure_id": ["kf-1", "kf-2", "kf-3", "kf-4"],
            "value": [1000.0, 60.0, 5.0, None],
            "value_high": [None] * 4,
            "qualifier": ["pres_de", "exact", "exact", "exact"],
            "report_line": [44, 47, 679, 9],
        }
    )
    places = pd.DataFrame(
        {
            "territory_id": ["q1", "q2", "q3", "p"],
            "kind": ["qva", "qva", "qpv", "epci"],
            "parent_id": ["c1", "c1", "c2", None],
        }
    )
    return Tables(
        {"card": people, "figures": figures, "places": places},
        {
            "card": {"schema": {"primaryKey": ["edition", "territory_id", "indicator_id"]}},
            "figures": {"schema": {"primaryKey": ["edition", "figure_id"]}},
            "places": {"schema": {"primaryKey": ["territory_id"]}},
        },
    )


def test_operands_read_the_rows_of_their_own_edition():
    tables = synthetic_tables()
    rows = claims._rows(locate.parse("card[a,population]"), tables, 2018)
    assert list(rows["value"]) == [6270.0]  # edition 2019's row of the same key is not read
    assert list(claims._rows(locate.parse("card[a,population]"), tables, 2019)["value"]) == [1.0]


def test_referenced_tables():
    frame = pd.DataFrame({"numerator": ["card[a] + figures[kf-1]", None], "denominator": ["card[city]", "places[*]"]})
    assert claims.referenced_tables(frame) == ["card", "figures", "places"]
    assert claims.referenced_tables(pd.DataFrame({"numerator": ["100 + card[a]"]})) == ["card"]  # no denominator


# --- rules ------------------------------------------------------------------------------


def claim(
    rule,
    value,
    numerator,
    denominator=None,
    qualifier="exact",
    decimals=0,
    unit="%",
    high=None,
    note=None,
    comparability=None,
    verdict_assumption=None,
):
    return SimpleNamespace(
        edition=2018,
        claim_id="cl-test",
        chapter="portrait",
        report_line=97,
        quote="…",
        published_value=value,
        published_high=high if high is not None else math.nan,
        qualifier=qualifier,
        decimals=decimals,
        unit=unit,
        rule=rule,
        numerator=numerator,
        denominator=denominator or math.nan,
        assumption_ids=math.nan,
        note=note if note else math.nan,
        comparability=comparability or math.nan,
        verdict_assumption=verdict_assumption or math.nan,
    )


def evaluate(*args, **kwargs):
    return reconciliation.evaluate(claim(*args, **kwargs), synthetic_tables())


VERIFIED, CONTRADICTED = "verified", "contradicted"
UNVERIFIABLE, UNDER_ASSUMPTION = "consistent_unverifiable", "consistent_under_assumption"


def test_sum_of():
    row = evaluate("sum_of", 9848, "card[a,population] + card[b,population]", unit="habitants")
    assert row["status"] == VERIFIED and row["recomputed_value"] == 9848
    assert row["operand_lines"] == "63 ; 64"
    assert (
        evaluate("sum_of", 9850, "card[a,population] + card[b,population]", unit="habitants")["status"] == CONTRADICTED
    )


def test_share_of_uses_the_rounding_interval():
    row = evaluate("share_of", 17, "card[a,population] + card[b,population]", "card[city,population]")
    assert row["status"] == VERIFIED and row["recomputed_value"] == pytest.approx(16.6399, abs=1e-4)
    assert "[16,5 ; 17,5[" in row["explanation"] and row["explanation"].startswith("Vérifié")
    row = evaluate("share_of", 16, "card[a,population] + card[b,population]", "card[city,population]")
    assert row["status"] == CONTRADICTED and row["explanation"].startswith("Contredit")


def test_ratio_of_a_range_checks_every_group():
    row = evaluate(
        "ratio_of",
        1.4,
        "card[city,population]",
        "card[a,population] ; card[b,population]",
        "range",
        1,
        "fois",
        high=1.5,
    )
    assert row["status"] == CONTRADICTED  # 9.4 and 16.5 are far outside 1.4-1.5
    assert row["recomputed_high"] == pytest.approx(59183 / 3578)


def test_source_rounding_bounds_decide():
    # 60 ± 0.5 + 5 ± 0.5 = 65, possibly anywhere in [64, 66]
    near = evaluate("sum_of", 64, "figures[kf-2]±0.5 + figures[kf-3]±0.5", unit="établissements")
    assert near["status"] == UNVERIFIABLE and near["status_reason"] == "source_rounding"
    assert "entre 64 et 66" in near["explanation"]
    far = evaluate("sum_of", 70, "figures[kf-2]±0.5 + figures[kf-3]±0.5", unit="établissements")
    assert far["status"] == CONTRADICTED and "resterait" in far["explanation"]
    # the point value falls inside, but the bounds spill over: possible, not established
    inside = evaluate("sum_of", 65, "figures[kf-2]±0.5 + figures[kf-3]±0.5", unit="établissements")
    assert inside["status"] == UNVERIFIABLE
    # bounds entirely within the printed rounding: verified
    tight = evaluate("sum_of", 65, "figures[kf-2]±0.1 + figures[kf-3]±0.1", unit="établissements")
    assert tight["status"] == VERIFIED


def test_duplicates_must_be_able_to_hold_together():
    assert (
        evaluate("duplicate_of", 1000, "figures[kf-1]", qualifier="plus_de", unit="personnes")["status"] == CONTRADICTED
    )
    row = evaluate("duplicate_of", 950, "figures[kf-1]", qualifier="environ", decimals=-2, unit="personnes")
    assert row["status"] == UNVERIFIABLE  # compatible with "près de 1000", but "environ 950" spans ± 5 %
    assert (
        evaluate("duplicate_of", 1000, "figures[kf-1]", qualifier="pres_de", decimals=-2, unit="personnes")["status"]
        == VERIFIED
    )
    assert (
        evaluate("duplicate_of", 60, "figures[kf-2]", qualifier="plus_de", unit="personnes")["status"] == CONTRADICTED
    )
    assert evaluate("duplicate_of", 60, "figures[kf-2]", qualifier="plus_de", unit="%")["status"] == VERIFIED  # 60.2 %


def test_counts():
    assert evaluate("count_of", 2, "places[kind=qva]", unit="quartiers")["status"] == VERIFIED
    row = evaluate("count_distinct_of", 2, "places[kind=qva|qpv].parent_id", unit="communes")
    assert row["status"] == VERIFIED and row["recomputed_value"] == 2


def test_bounds_show_consistency_never_verify():
    row = evaluate("at_most", 94, "2*figures[kf-2]", unit="enfants")
    assert row["status"] == UNVERIFIABLE and row["status_reason"] == "bound_only"
    assert "borne" in row["explanation"]
    assert evaluate("at_least", 135, "figures[kf-2]", unit="jeunes")["status"] == UNVERIFIABLE
    row = evaluate("at_least", 50, "figures[kf-2]", unit="jeunes")
    assert row["status"] == CONTRADICTED and "<" in row["computation"]


def test_achievable_share_says_when_it_could_not_fail():
    # 6 270 people: one person weighs 0.016 point, finer than the 0.1 rounding: any share is reachable
    row = evaluate("achievable_share_of", 94.8, "card[a,population]", decimals=1)
    assert row["status"] == UNVERIFIABLE and row["status_reason"] == "granularity_vacuous"
    assert "ne pouvait pas échouer" in row["explanation"]
    fifty = pd.DataFrame({"edition": [2018], "figure_id": ["kf-9"], "value": [7.0]})
    figures = Tables({"figures": fifty}, {"figures": {"schema": {"primaryKey": ["edition", "figure_id"]}}})
    row = reconciliation.evaluate(claim("achievable_share_of", 50, "figures[kf-9]"), figures)
    assert row["status"] == CONTRADICTED  # 3/7 = 42.9 %, 4/7 = 57.1 %: no whole number of 7 people is 50 %
    row = reconciliation.evaluate(claim("achievable_share_of", 43, "figures[kf-9]"), figures)
    assert row["status"] == UNVERIFIABLE and row["status_reason"] == "granularity_only"  # 3/7 = 42.9 %


def test_a_wide_environ_cannot_verify():
    row = evaluate("sum_of", 6, "1e-3*card[a,population]", qualifier="environ", decimals=0, unit="kpers")
    assert row["status"] == UNVERIFIABLE and row["status_reason"] == "vague_interval"  # 6.27 in [5.5, 6.5): ± 8 %
    assert "± 8 %" in row["explanation"].replace("\u202f", " ").replace("\u00a0", " ")
    row = evaluate("sum_of", 6270, "card[a,population]", qualifier="environ", decimals=-1, unit="habitants")
    assert row["status"] == VERIFIED  # [6 265, 6 275): ± 0.08 %


def test_an_assumption_that_makes_a_check_pass_never_verifies():
    assumptions = pd.DataFrame(
        {"assumption_id": ["h-01"], "topic": ["Convention horaire"], "impact": ["moyen"], "value": [1820.0]}
    )
    tables = synthetic_tables()
    tables["assumptions"], tables.metas["assumptions"] = assumptions, {"schema": {"primaryKey": ["assumption_id"]}}
    hours = pd.DataFrame({"edition": [2018], "figure_id": ["kf-h"], "value": [90628.0]})
    tables["hours"], tables.metas["hours"] = hours, {"schema": {"primaryKey": ["edition", "figure_id"]}}
    row = reconciliation.evaluate(
        claim("ratio_of", 49.8, "hours[kf-h]", "assumptions[h-01]", decimals=1, unit="ETP"), tables
    )
    assert row["status"] == UNDER_ASSUMPTION and row["deciding_assumptions"] == "h-01"
    assert "h-01 (« Convention horaire », impact moyen)" in row["explanation"]
    row = reconciliation.evaluate(
        claim("sum_of", 9848, "card[a,population] + card[b,population]", unit="habitants", verdict_assumption="h-01"),
        tables,
    )
    assert row["status"] == UNDER_ASSUMPTION
    # an assumption does not rescue a contradiction
    row = reconciliation.evaluate(
        claim("sum_of", 9000, "card[a,population] + card[b,population]", unit="habitants", verdict_assumption="h-01"),
        tables,
    )
    assert row["status"] == CONTRADICTED


def test_figures_of_different_measures_are_not_comparable_whatever_their_gap():
    for value in (60, 61):
        row = evaluate("duplicate_of", value, "figures[kf-2]", unit="personnes", comparability="measure")
        assert row["status"] == "not_comparable" and row["explanation"].startswith("Non comparable (mesure différente)")
    with pytest.raises(claims.ClaimError, match="comparability"):
        evaluate("duplicate_of", 60, "figures[kf-2]", unit="personnes", comparability="colour")


def shares_tables():
    shares = pd.DataFrame(
        {"edition": [2018] * 3, "figure_id": ["s-1", "s-2", "s-3"], "value": [71.4, 17.0, 11.6], "report_line": [1] * 3}
    )
    return Tables({"shares": shares}, {"shares": {"schema": {"primaryKey": ["edition", "figure_id"]}}})


def test_parts_of_a_whole_are_read_together_with_their_rounding():
    parts = "shares[s-1] + shares[s-2] + shares[s-3]"
    row = reconciliation.evaluate(claim("parts_make_whole", 100, parts), shares_tables())
    assert row["status"] == VERIFIED and "entre 99,4 et 100,6" in row["explanation"]
    row = reconciliation.evaluate(claim("parts_make_whole", 100, "shares[s-1] + shares[s-2]"), shares_tables())
    assert row["status"] == CONTRADICTED  # 88.4, at most 88.95
    row = reconciliation.evaluate(claim("parts_within", 100, "shares[s-1] + shares[s-2]"), shares_tables())
    assert row["status"] == UNVERIFIABLE and "plafond" in row["computation"]
    row = reconciliation.evaluate(claim("parts_within", 80, parts), shares_tables())
    assert row["status"] == CONTRADICTED


def test_schedules_cannot_start_before_the_decision_they_depend_on():
    decisions = pd.DataFrame(
        {
            "edition": [2018],
            "project_id": ["p"],
            "measure_id": ["signature_month"],
            "value": [11.0],
            "period_start": [2018],
            "report_line": [162],
        }
    )
    tables = Tables(
        {"decisions": decisions}, {"decisions": {"schema": {"primaryKey": ["edition", "project_id", "measure_id"]}}}
    )
    signed = "100*decisions[p,signature_month].period_start + decisions[p,signature_month]"

    def status(low, high):
        return reconciliation.evaluate(
            claim("not_before", low, signed, qualifier="range", unit="mois", high=high), tables
        )

    before = status(201801, 201806)  # first half of 2018, signature in November 2018
    assert before["status"] == CONTRADICTED and "novembre 2018" in before["explanation"]
    assert "janvier 2018 à juin 2018" in before["explanation"]
    assert status(201801, 201812)["status"] == UNVERIFIABLE  # a year: may start before or after
    after = status(201901, 201906)
    assert after["status"] == UNVERIFIABLE and after["status_reason"] == "schedule_only"


def test_nd_operand_is_not_recomputable_and_none_rule_keeps_the_note():
    row = evaluate("sum_of", 5, "figures[kf-4]", unit="personnes")
    assert row["status"] == "not_recomputable" and "ND" in row["explanation"]
    row = evaluate("none", 7, None, note="Pas de donnée 2015.")
    assert row["status"] == "not_recomputable" and row["explanation"].endswith("Pas de donnée 2015.")


def test_broken_claims_fail_loudly():
    with pytest.raises(claims.ClaimError, match="selects no row"):
        evaluate("sum_of", 1, "card[zz,population]")
    with pytest.raises(claims.ClaimError, match="unknown rule"):
        evaluate("mean_of", 1, "card[a,population]")


def test_evaluation_returns_data_without_french():
    evaluation = claims.evaluate(
        claim("share_of", 17, "card[a,population]", "card[city,population]"), synthetic_tables()
    )
    assert evaluation.status == CONTRADICTED and evaluation.reason == "outside_rounding"
    data = claims.reconcile(
        pd.DataFrame([vars(claim("share_of", 17, "card[a,population]", "card[city,population]"))]), synthetic_tables()
    )
    assert not {"explanation", "computation", "rounding_rule"} & set(data.columns)


def test_reconcile_orders_contradictions_first():
    frame = pd.DataFrame(
        [
            vars(claim("sum_of", 9848, "card[a,population] + card[b,population]", unit="habitants")),
            vars(claim("share_of", 20, "card[a,population]", "card[city,population]")),
            vars(claim("at_most", 94, "2*figures[kf-2]", unit="enfants")),
        ]
    )
    frame["claim_id"] = ["cl-001", "cl-002", "cl-003"]
    table = claims.order_for_review(reconciliation.reconciliation_table(frame, synthetic_tables(), 2018))
    assert list(table["claim_id"]) == ["cl-002", "cl-003", "cl-001"]
    assert list(table.columns) == reconciliation.COLUMNS  # the package's declared order, not a copy of it
    assert set(table["status"]) <= set(claims.STATUSES)


def test_display_frame_in_french():
    table = reconciliation.reconciliation_table(
        pd.DataFrame([vars(claim("share_of", 17, "card[a,population] + card[b,population]", "card[city,population]"))]),
        synthetic_tables(),
    )
    shown = reconciliation.display_frame(table, pd.DataFrame({"claim_id": ["cl-test"], "decimals": [0]}))
    row = shown.iloc[0]
    assert row["Chapitre du rapport"] == "Portrait des quartiers" and row["Statut"] == "vérifié"
    assert row["Recalculé ou autre mention"].replace("\u202f", " ").replace("\u00a0", " ") == "16,6 %"
    assert row["Citation du rapport"].startswith("« ")


def test_every_status_has_a_label_a_colour_with_its_name_and_a_definition():
    legend = reconciliation.status_legend()
    assert list(legend["status"]) == list(claims.STATUSES)
    assert legend["label"].is_unique and legend["colour"].is_unique and legend["colour_name"].is_unique
    assert legend["definition"].str.len().min() > 40
    assert set(claims.REVIEW_ORDER) == set(claims.STATUSES)


def test_status_counts_in_french_with_agreement():
    sentence = reconciliation.status_counts_sentence({"verified": 1, "contradicted": 12, "not_comparable": 0})
    assert sentence == "12 contredits et 1 vérifié"
    assert reconciliation.status_count_text("consistent_unverifiable", 2) == "2 compatibles mais non vérifiables"
    assert reconciliation.status_count_text("contradicted", 0) == "aucun contredit"
    assert reconciliation.status_counts_sentence({}) == "aucun chiffre contrôlé"


def test_identified_sentence_branches():
    assert reconciliation.identified_sentence([11, 10], 9).endswith(
        "alors que l'étude n'en identifie que 9 dans ses pages"
    )
    assert "annonce successivement 11 puis 10" in reconciliation.identified_sentence([11, 10], 9)
    assert reconciliation.identified_sentence([9], 9) == (
        "le rapport annonce 9 quartiers en veille active, et l'étude en identifie 9 dans ses pages"
    )
    assert "davantage" in reconciliation.identified_sentence([8], 9)


def test_every_claim_has_a_trace_even_without_rule():
    frame = pd.DataFrame(
        [
            vars(claim("sum_of", 9848, "card[a,population] + card[b,population]", unit="habitants")),
            vars(claim("none", 7, None, note="Pas de donnée.")),
        ]
    )
    frame["claim_id"] = ["cl-001", "cl-002"]
    trace = claims.trace(frame, synthetic_tables(), 2018)
    assert list(trace["claim_id"]) == ["cl-001", "cl-001", "cl-002"]
    assert list(trace["raw_value"]) == [6270, 3578, 7] and list(trace["report_lines"]) == ["63", "64", "97"]
    assert trace.loc[2, "table"] == "report_claims"
    html = reconciliation.trace_table(trace, "p.csv", "raw/", "#cell", "Titre", "Source").data
    assert html.count('<tr id="trace-') == 2 and 'href="raw/card.csv"' in html
