"""Reconciliation rules (contrat_ville.evaluation.claims) on small synthetic tables: rounding
intervals, ranges, qualifiers, operand references and every rule."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from contrat_ville.data.raw import Tables
from contrat_ville.evaluation import claims
from contrat_ville.evaluation.claims import Interval, accepted_interval

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
    assert accepted_interval(17, "exact", 0).french() == "[16,5 ; 17,5["
    assert (
        accepted_interval(1000, "plus_de", 0).french() == "]1\u202f000 ; +∞["
        or accepted_interval(1000, "plus_de", 0).french().replace("\u00a0", "\u202f") == "]1\u202f000 ; +∞["
    )


def test_published_labels():
    assert claims.published_label(36, "%", "exact", 0).replace("\u202f", " ").replace("\u00a0", " ") == "36 %"
    assert claims.published_label(1.4, "fois", "range", 1, 1.5) == "1,4 à 1,5 fois"
    assert (
        claims.published_label(1000, "personnes", "pres_de", -2).replace("\u202f", " ").replace("\u00a0", " ")
        == "près de 1 000 personnes"
    )
    assert claims.published_label(10.8, "meur", "exact", 1) == "10,8 M€"


# --- references -------------------------------------------------------------------------


def test_parse_terms_with_weights_tolerances_constants_and_groups():
    groups = claims.parse_terms("100 + -1*key_figures[kf-023]±0.5 ; 1e6*totals[total-etat].amount ; t[a=b|c]")
    assert len(groups) == 3
    constant, term = groups[0]
    assert constant.constant == 100
    assert (term.table, term.selector, term.column, term.weight, term.tolerance) == (
        "key_figures",
        "kf-023",
        "value",
        -1,
        0.5,
    )
    assert groups[1][0].weight == 1e6 and groups[1][0].column == "amount"
    assert groups[2][0].selector == "a=b|c"
    assert claims.parse_terms("") == [] and claims.parse_terms(None) == []


def test_unreadable_operand_is_an_error():
    with pytest.raises(claims.ClaimError, match="cannot read"):
        claims.parse_terms("key_figures(kf-1)")


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


def test_select_by_key_filter_and_edition():
    tables = synthetic_tables()
    card_key, places_key = claims.primary_key(tables, "card"), claims.primary_key(tables, "places")
    assert list(claims.select(tables["card"], "a,population", 2018, card_key)["value"]) == [6270.0]
    assert len(claims.select(tables["card"], "*", 2018, card_key)) == 3
    assert len(claims.select(tables["places"], "kind=qva|qpv", key=places_key)) == 3
    with pytest.raises(claims.ClaimError):
        claims.select(tables["places"], "kind=qva,a,b", key=places_key)


def test_referenced_tables():
    frame = pd.DataFrame({"numerator": ["card[a] + figures[kf-1]", None], "denominator": ["card[city]", "places[*]"]})
    assert claims.referenced_tables(frame) == ["card", "figures", "places"]


# --- rules ------------------------------------------------------------------------------


def claim(rule, value, numerator, denominator=None, qualifier="exact", decimals=0, unit="%", high=None, note=None):
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
    )


def evaluate(*args, **kwargs):
    return claims.evaluate(claim(*args, **kwargs), synthetic_tables())


def test_sum_of():
    row = evaluate("sum_of", 9848, "card[a,population] + card[b,population]", unit="habitants")
    assert row["status"] == "ok" and row["recomputed_value"] == 9848
    assert row["operand_lines"] == "63 ; 64"
    assert evaluate("sum_of", 9850, "card[a,population] + card[b,population]", unit="habitants")["status"] == "mismatch"


def test_share_of_uses_the_rounding_interval():
    row = evaluate("share_of", 17, "card[a,population] + card[b,population]", "card[city,population]")
    assert row["status"] == "ok" and row["recomputed_value"] == pytest.approx(16.6399, abs=1e-4)
    assert "[16,5 ; 17,5[" in row["explanation"]
    assert (
        evaluate("share_of", 16, "card[a,population] + card[b,population]", "card[city,population]")["status"]
        == "mismatch"
    )


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
    assert row["status"] == "mismatch"  # 9.4 and 16.5 are far outside 1.4-1.5
    assert row["recomputed_high"] == pytest.approx(59183 / 3578)


def test_tolerance_says_whether_rounding_can_explain_a_gap():
    near = evaluate("sum_of", 64, "figures[kf-2]±0.5 + figures[kf-3]±0.5", unit="établissements")
    assert near["status"] == "mismatch" and "peut tenir à l'arrondi" in near["explanation"]  # 65 vs [64, 66]
    far = evaluate("sum_of", 70, "figures[kf-2]±0.5 + figures[kf-3]±0.5", unit="établissements")
    assert "resterait" in far["explanation"]


def test_duplicates_must_be_able_to_hold_together():
    assert (
        evaluate("duplicate_of", 1000, "figures[kf-1]", qualifier="plus_de", unit="personnes")["status"] == "mismatch"
    )
    assert (
        evaluate("duplicate_of", 950, "figures[kf-1]", qualifier="environ", decimals=-2, unit="personnes")["status"]
        == "ok"
    )
    assert evaluate("duplicate_of", 60, "figures[kf-2]", qualifier="plus_de", unit="personnes")["status"] == "mismatch"
    assert (
        evaluate("duplicate_of", 60, "figures[kf-2]", qualifier="plus_de", unit="%")["status"] == "ok"
    )  # 60.2 % is possible


def test_counts():
    assert evaluate("count_of", 2, "places[kind=qva]", unit="quartiers")["status"] == "ok"
    row = evaluate("count_distinct_of", 2, "places[kind=qva|qpv].parent_id", unit="communes")
    assert row["status"] == "ok" and row["recomputed_value"] == 2


def test_bounds():
    assert evaluate("at_most", 94, "2*figures[kf-2]", unit="enfants")["status"] == "ok"
    assert evaluate("at_least", 135, "figures[kf-2]", unit="jeunes")["status"] == "ok"
    row = evaluate("at_least", 50, "figures[kf-2]", unit="jeunes")
    assert row["status"] == "mismatch" and "<" in row["computation"]


def test_achievable_share_of_a_whole_number_of_people():
    ok = evaluate("achievable_share_of", 94.8, "card[city,population]", decimals=1)
    assert ok["status"] == "ok"
    fifty = pd.DataFrame({"edition": [2018], "figure_id": ["kf-9"], "value": [7.0]})
    figures = Tables({"figures": fifty}, {"figures": {"schema": {"primaryKey": ["edition", "figure_id"]}}})
    row = claims.evaluate(claim("achievable_share_of", 50, "figures[kf-9]"), figures)
    assert row["status"] == "mismatch"  # 3/7 = 42.9 %, 4/7 = 57.1 %: no whole number of 7 people is 50 %


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


def test_reconcile_orders_mismatches_first():
    frame = pd.DataFrame(
        [
            vars(claim("sum_of", 9848, "card[a,population] + card[b,population]", unit="habitants")),
            vars(claim("share_of", 20, "card[a,population]", "card[city,population]")),
        ]
    )
    frame["claim_id"] = ["cl-001", "cl-002"]
    table = claims.order_for_review(claims.reconcile(frame, synthetic_tables(), 2018))
    assert list(table["claim_id"]) == ["cl-002", "cl-001"]
    assert list(table.columns[:9]) == [
        "claim_id",
        "chapter",
        "report_line",
        "quote",
        "published_value",
        "published_high",
        "qualifier",
        "unit",
        "recomputed_value",
    ]
    assert set(table["status"]) <= set(claims.STATUSES)


def test_display_frame_in_french():
    table = claims.reconcile(
        pd.DataFrame([vars(claim("share_of", 17, "card[a,population] + card[b,population]", "card[city,population]"))]),
        synthetic_tables(),
    )
    shown = claims.display_frame(table, pd.DataFrame({"claim_id": ["cl-test"], "decimals": [0]}))
    row = shown.iloc[0]
    assert row["Chapitre du rapport"] == "Portrait des quartiers" and row["Statut"] == "concorde"
    assert row["Recalculé ou autre mention"].replace("\u202f", " ").replace("\u00a0", " ") == "16,6 %"
    assert row["Citation du rapport"].startswith("« ")
