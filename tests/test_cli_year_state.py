"""`contrat-ville validate --year`: a carried table with no row for the edition keeps its history
(it is "carried from edition N", not "missing"); rows SYNTHETIC."""

from collections import namedtuple

from contrat_ville.run import cli

Row = namedtuple("Row", "table rows missing_rows latest_edition rows_kind")


def test_year_state_of_each_kind_of_table():
    assert cli._year_state(Row("t", 4, 0, 2019, "current"), 2019) == "complete"
    assert cli._year_state(Row("t", 4, 3, 2019, "current"), 2019) == "3 rows of the previous edition missing"
    assert cli._year_state(Row("qva_actions_2018", 0, 0, 2018, "carried"), 2019) == (
        "carried from edition 2018: no new row, its history stays valid"
    )
    assert cli._year_state(Row("financing", 0, 9, 2018, "current"), 2019) == "missing"
    assert cli._year_state(Row("report_claims", 0, 0, 2018, "own"), 2019).startswith("none for this edition")
    assert cli._year_state(Row("empty", 0, 0, float("nan"), "carried"), 2019) == "missing"
