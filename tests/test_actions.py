"""Commune × action matrix of the 2018 actions in the QVA communes."""

import pandas as pd

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import actions
from contrat_ville.presentation import actions_text


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_matrix_on_the_report_table():
    listed = raw.load("qva_actions_2018", RAW_DIR)
    matrix = actions_text.commune_action_matrix(listed)
    assert matrix.shape == (8, 9)
    assert matrix.loc["73029", "night_mediators"] == "8 soirées"  # Barberaz
    assert matrix.loc["73029", "open_air_cinema"] == "1 séance"  # singular
    assert matrix.loc["73031", "open_air_cinema"] == actions_text.ABSENT  # Bassens has no cinema session
    assert matrix.loc["73030", "sociolinguistic_workshops"] == actions_text.PRESENT  # listed without a number


def test_matrix_orders_and_joins_repeated_actions():
    synthetic = pd.DataFrame(
        {
            "commune_insee": ["b", "a", "a"],
            "action_type": ["x", "x", "x"],
            "quantity": [1, 2, None],
            "quantity_unit": ["chantiers", "chantiers", None],
        }
    )
    matrix = actions_text.commune_action_matrix(synthetic, row_order=["a", "b"], column_order=["x", "y"])
    assert plain(matrix.loc["a", "x"]) == "2 chantiers + oui"
    assert matrix.loc["b", "x"] == "1 chantier" and matrix.loc["a", "y"] == actions_text.ABSENT


def test_cell_text():
    assert actions_text.cell_text(None, None) == "oui"
    assert actions_text.cell_text(3, "personnes") == "3 personnes"
    assert actions_text.cell_text(3, "") == "3"


def test_presence_counts():
    listed = raw.load("qva_actions_2018", RAW_DIR)
    counts = actions.presence_counts(listed)
    assert counts["actions"].sum() == len(listed) == 28
    cinema = counts[(counts.action_type == "open_air_cinema") & (counts.actions > 0)]
    assert len(cinema) == 7
