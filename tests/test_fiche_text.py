"""French wording of the fact sheets: units, gaps and comparison sentences, every branch."""

import pandas as pd
import pytest

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import fiche
from contrat_ville.presentation import fiche_text


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("indicator", "value", "unit", "expected"),
    [
        ("population", 6270, None, "6 270 habitants"),
        ("population", 1, None, "1 habitant"),
        ("social_housing_units", 2507, None, "2 507 logements sociaux"),
        ("poverty_rate", 41.4, "%", "41,4 %"),
        ("median_income_eur", 13397, "eur", "13 397 €"),
        ("active_per_1000_inhabitants", 67.3, "‰", "67,3 pour 1 000 habitants"),
        ("population", pd.NA, None, "ND"),
    ],
)
def test_values_carry_french_units(indicator, value, unit, expected):
    assert plain(fiche_text.value_text(indicator, value, unit)) == expected


def test_elision_before_a_vowel_not_before_h():
    assert fiche_text.elide("que", "Chambéry") == "que Chambéry"
    assert fiche_text.elide("que", "Aix-les-Bains") == "qu'Aix-les-Bains"
    assert fiche_text.elide("de", "Hauts-de-Chambéry") == "de Hauts-de-Chambéry"
    assert fiche_text.elide("de", "Épinal") == "d'Épinal"


@pytest.mark.parametrize(
    ("gap", "unit", "expected"),
    [
        (20.1, "%", "+20,1 points"),
        (-1.5, "%", "−1,5 point"),
        (0.0, "%", "0,0 point"),
        (0.634, "eur", "× 0,63"),
        (pd.NA, "%", "—"),
        (12, None, "—"),
    ],
)
def test_gap_text(gap, unit, expected):
    assert plain(fiche_text.gap_text(gap, unit)) == expected


def test_rate_sentence_more_less_and_equal():
    sentence = fiche_text.comparison_sentence(
        "Taux de pauvreté", "poverty_rate", "%", 41.4, [("Chambéry", 21.3), ("Grand Chambéry", 41.4)]
    )
    assert plain(sentence) == (
        "Taux de pauvreté : 41,4 %, soit 20,1 points de plus que Chambéry (21,3 %) "
        "et autant que Grand Chambéry (41,4 %)."
    )
    lower = fiche_text.comparison_sentence("Taux", "poverty_rate", "%", 10.0, [("Aix", 11.0)])
    assert plain(lower) == "Taux : 10,0 %, soit 1,0 point de moins qu'Aix (11,0 %)."


def test_median_sentence_is_a_ratio_and_missing_comparators_are_said():
    sentence = fiche_text.comparison_sentence(
        "Revenu médian", "median_income_eur", "eur", 10000, [("Chambéry", 20000), ("Grand Chambéry", pd.NA)]
    )
    assert plain(sentence) == "Revenu médian : 10 000 €, soit 0,50 fois le niveau de Chambéry (20 000 €)."
    alone = fiche_text.comparison_sentence("Revenu médian", "median_income_eur", "eur", 10000, [("Chambéry", pd.NA)])
    assert alone.endswith("(aucune valeur de comparaison dans l'édition).")
    assert fiche_text.comparison_sentence("Revenu médian", "median_income_eur", "eur", pd.NA, []) == ""


def test_counts_are_stated_not_compared():
    assert plain(fiche_text.comparison_sentence("Population", "population", None, 6270, [("Chambéry", 59183)])) == (
        "Population : 6 270 habitants."
    )


def test_gap_table_points_for_rates_ratios_for_medians():
    profile = pd.DataFrame(
        {
            "indicator_id": ["poverty_rate", "median_income_eur", "population"],
            "value": [41.4, 10000.0, 6270.0],
            "value_73065": [21.3, 20000.0, 59183.0],
        }
    )
    gaps = fiche.gap_table(profile, "73065")
    assert gaps[0] == pytest.approx(20.1) and gaps[1] == pytest.approx(0.5) and pd.isna(gaps[2])


def test_territories_with_data_of_their_own_in_2018():
    tables = {name: raw.load(name, RAW_DIR) for name in ["territories", *fiche.OWN_DATA]}
    found = fiche.territories_with_data(tables, 2018)
    assert {"qpv-hauts-de-chambery", "qpv-biollay-bellevue", "qpv-ensemble", "73065", "200069110"} <= found
    assert "730650601" in found  # an IRIS of the quartier vécu has its inhabitants
    assert "247300098" not in found  # the former agglomeration: nothing at its scale
    assert fiche.territories_with_data(tables, 2031) == set()  # an edition with no row


def test_iris_of_a_qpv_and_of_an_iris():
    iris = raw.load("iris_quartier_vecu", RAW_DIR)
    assert len(fiche.iris_of(iris, "qpv-hauts-de-chambery")) == 4
    assert list(fiche.iris_of(iris, "730650601")["qpv_id"]) == ["qpv-hauts-de-chambery"]


@pytest.mark.parametrize(
    ("value", "unit", "year", "expected"),
    [
        (120, "meur", None, "120 M€"),
        (8.7, "meur", None, "8,7 M€"),
        (1400, "dwellings", None, "1 400 logements"),
        (1, "dwellings", None, "1 logement"),
        (7, "month", 2018, "juillet 2018"),
        (pd.NA, "meur", None, "ND"),
    ],
)
def test_urban_renewal_measures_in_french(value, unit, year, expected):
    assert plain(fiche_text.measure_text(value, unit, year)) == expected


def test_period_text():
    assert fiche_text.period_text(2018, 2018) == "2018" and fiche_text.period_text(2018, 2024) == "2018-2024"
    assert fiche_text.period_text(pd.NA, pd.NA) == "—"
