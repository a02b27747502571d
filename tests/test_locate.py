"""The one row-addressing language (contrat_ville.evaluation.locate), read by the scorecard's
locators and the audit's operands. Tables here are SYNTHETIC, shaped like the raw ones."""

import pandas as pd
import pytest

from contrat_ville.data.raw import Tables
from contrat_ville.evaluation import locate


def tables() -> Tables:
    """SYNTHETIC tables with sidecar-like primary keys (no report data)."""
    card = pd.DataFrame(
        {
            "edition": [2018, 2018, 2018, 2019],
            "territory_id": ["a", "b", "city", "a"],
            "indicator_id": ["population"] * 4,
            "value": [6270.0, 3578.0, 59183.0, 1.0],
        }
    )
    places = pd.DataFrame({"territory_id": ["q1", "q2", "q3", "p"], "kind": ["qva", "qva", "qpv", "epci"]})
    return Tables(
        {"card": card, "places": places},
        {
            "card": {"schema": {"primaryKey": ["edition", "territory_id", "indicator_id"]}},
            "places": {"schema": {"primaryKey": ["territory_id"]}},
        },
    )


# --------------------------------------------------------------- parse


def test_parse_a_scorecard_locator_with_every_part():
    address = locate.parse(
        "demography_shares[indicator_id=share_under_15;territory_id=a|b].value_low:value_high@vintage"
    )
    assert address.table == "demography_shares"
    assert dict(address.filters) == {"indicator_id": ("share_under_15",), "territory_id": ("a", "b")}
    assert (address.column, address.high_column, address.year_column) == ("value_low", "value_high", "vintage")
    assert address.keys == () and not address.every_row


def test_parse_defaults_and_no_year():
    plain = locate.parse("key_figures[figure_id=kf-001]")
    assert (plain.column, plain.high_column, plain.year_column, plain.weight, plain.tolerance) == (
        "value",
        None,
        None,  # not given: the scorecard reads `year`
        1.0,
        0.0,
    )
    assert locate.parse("establishments[territory_id=x].active_establishments@-").year_column == locate.NO_YEAR


def test_parse_an_audit_operand_with_weight_keys_and_tolerance():
    address = locate.parse("-1*key_figures[kf-023]±0.5")
    assert (address.table, address.selector, address.keys, address.weight, address.tolerance) == (
        "key_figures",
        "kf-023",
        ("kf-023",),
        -1.0,
        0.5,
    )
    weighted = locate.parse("1e6*totals[total-etat].amount")
    assert weighted.weight == 1e6 and weighted.column == "amount" and weighted.reference == "totals[total-etat].amount"
    assert locate.parse("identity_card[qpv-a,population]").keys == ("qpv-a", "population")


def test_parse_mixes_keys_and_filters_with_either_separator():
    for text in ("t[a, kind=qva|qpv]", "t[a;kind=qva|qpv]"):
        address = locate.parse(text)
        assert address.keys == ("a",) and address.filters == (("kind", ("qva", "qpv")),)


@pytest.mark.parametrize("selector", ["*", "", " * "])
def test_every_row(selector):
    address = locate.parse(f"t[{selector}]")
    assert address.every_row and address.selector == "*" and address.reference == "t[*]"


@pytest.mark.parametrize("text", ["", "key_figures", "Key[a=b]", "t[a=b].v@", "key_figures(kf-1)", "t[a]±x"])
def test_parse_refuses_malformed(text):
    with pytest.raises(locate.AddressError, match="cannot read the address"):
        locate.parse(text)


def test_parse_groups_sums_constants_and_groups():
    groups = locate.parse_groups("100 + -1*key_figures[kf-023]±0.5 ; 1e6*totals[total-etat].amount ; t[a=b|c]")
    assert len(groups) == 3
    constant, term = groups[0]
    assert (constant.table, constant.constant, constant.reference) == (None, 100, "100")
    assert (term.table, term.selector, term.column, term.weight, term.tolerance) == (
        "key_figures",
        "kf-023",
        "value",
        -1,
        0.5,
    )
    assert groups[1][0].weight == 1e6 and groups[1][0].column == "amount"
    assert groups[2][0].selector == "a=b|c"
    assert locate.parse_groups("") == [] and locate.parse_groups(None) == [] and locate.parse_groups(float("nan")) == []


def test_parse_groups_keeps_a_selector_semicolon_inside_its_address():
    # a scorecard locator separates its filters with ";": one address, not two groups
    groups = locate.parse_groups("annual_series[series_id=s;territory_id=t].value@year ; t[x=y]")
    assert [len(g) for g in groups] == [1, 1]
    assert dict(groups[0][0].filters) == {"series_id": ("s",), "territory_id": ("t",)}


def test_tables_of():
    texts = ["card[a] + figures[kf-1]", None, float("nan"), "card[city] ; places[*]", "100", "s[a=b;c=d]@-"]
    assert locate.tables_of(texts) == ["card", "figures", "places", "s"]
    assert locate.tables_of([]) == []


def test_primary_key_from_the_sidecars():
    assert locate.primary_key(tables(), "card") == ["edition", "territory_id", "indicator_id"]
    assert locate.primary_key({"card": pd.DataFrame()}, "card") == []  # a plain dict has no sidecars


# --------------------------------------------------------------- select


def test_select_by_key_filter_and_every_row():
    t = tables()
    key = locate.primary_key(t, "card")
    assert list(locate.select(t["card"], locate.parse("card[a,population]"), key, 2018)["value"]) == [6270.0]
    assert len(locate.select(t["card"], locate.parse("card[*]"), edition=2018)) == 3
    assert len(locate.select(t["places"], locate.parse("places[kind=qva|qpv]"))) == 3
    both = locate.select(t["places"], locate.parse("places[q1, kind=qva|qpv]"), locate.primary_key(t, "places"))
    assert list(both["territory_id"]) == ["q1"]


def test_select_one_edition_or_every_edition_up_to_it():
    card = tables()["card"]
    a = locate.parse("card[territory_id=a]")
    assert list(locate.select(card, a, edition=2018)["value"]) == [6270.0]  # the audit: its own edition
    assert list(locate.select(card, a, edition=2019)["value"]) == [1.0]
    assert list(locate.select(card, a, edition=2019, up_to_edition=True)["value"]) == [6270.0, 1.0]  # the scorecard
    assert list(locate.select(card, a, edition=2018, up_to_edition=True)["value"]) == [6270.0]
    assert len(locate.select(card, a)) == 2  # no edition: every row


def test_select_errors_name_the_table_and_what_is_expected():
    t = tables()
    with pytest.raises(locate.AddressError, match=r"card\[colour=red\]: card.csv has no column 'colour'"):
        locate.select(t["card"], locate.parse("card[colour=red]"))
    with pytest.raises(locate.AddressError, match=r"gives 3 key values; the key of places.csv is \['territory_id'\]"):
        locate.select(t["places"], locate.parse("places[kind=qva,a,b,c]"), locate.primary_key(t, "places"))
    with pytest.raises(locate.AddressError, match="gives 1 key values"):
        locate.select(t["places"], locate.parse("places[q1]"))  # no key given: positional values cannot match
