"""The scorecard's change since the previous edition (issue 12): the earlier value is the
previous edition's, by design, and the sentence names that edition; when the current edition
revises the earlier year's value, the sentence says so with the revised value. Every branch."""

from __future__ import annotations

import pandas as pd
import pytest

from contrat_ville.evaluation import vintages
from contrat_ville.presentation import fmt
from contrat_ville.presentation.scorecard_text import vintage_change


def points(v):
    return f"{fmt.number(v, 1)} {'point' if v < 2 else 'points'}"


@pytest.mark.parametrize(
    ("status", "before", "after", "revised", "expected"),
    [
        # no revision: the earlier value's year and edition are named
        (
            "down",
            (2018, 330, 2018),
            (2019, 318),
            None,
            "318 en 2019, contre 330 en 2018 dans l'édition 2018 (en baisse de 12)",
        ),
        (
            "up",
            (2018, 330, 2018),
            (2019, 340),
            None,
            "340 en 2019, contre 330 en 2018 dans l'édition 2018 (en hausse de 10)",
        ),
        ("equal", (2018, 330, 2018), (2019, 330), None, "330 en 2019, comme en 2018 dans l'édition 2018"),
        # the same value as the previous edition's is no revision
        (
            "down",
            (2018, 330, 2018),
            (2019, 318),
            330.0,
            "318 en 2019, contre 330 en 2018 dans l'édition 2018 (en baisse de 12)",
        ),
        # revision up, revision down: the change stays the one with the previous edition's value
        (
            "down",
            (2018, 330, 2018),
            (2019, 318),
            335.0,
            "318 en 2019, contre 330 en 2018 dans l'édition 2018 (en baisse de 12) ; "
            "chiffre de 2018 révisé à 335 par l'édition 2019, soit 5 de plus",
        ),
        (
            "up",
            (2018, 330, 2018),
            (2019, 340),
            325.0,
            "340 en 2019, contre 330 en 2018 dans l'édition 2018 (en hausse de 10) ; "
            "chiffre de 2018 révisé à 325 par l'édition 2019, soit 5 de moins",
        ),
        (
            "equal",
            (2018, 330, 2018),
            (2019, 330),
            332.0,
            "330 en 2019, comme en 2018 dans l'édition 2018 ; chiffre de 2018 révisé à 332 par l'édition 2019, soit 2 de plus",
        ),
        # the same year with another value: the revision itself, both editions named
        (
            "revised",
            (2018, 330, 2018),
            (2018, 335),
            335.0,
            "révisé par l'édition 2019 : 335 pour 2018, au lieu de 330 dans l'édition 2018",
        ),
        ("new", None, (2019, 318), None, "nouveau : 318 en 2019"),
        ("new", None, (None, 318), None, "nouveau : 318"),
    ],
)
def test_every_branch_of_the_change_since_the_previous_edition(status, before, after, revised, expected):
    assert vintage_change(status, "", before, after, 2019, revised) == expected


def test_no_previous_edition():
    # the first edition: nothing to compare with, and no edition is named
    assert vintage_change("not_comparable", vintages.NO_EARLIER, None, (2018, 330), 2018) == (
        "— (aucune édition antérieure)"
    )
    # an earlier value of unknown edition is still given with its year
    assert (
        vintage_change("up", "", (2015, 40.0, None), (2016, 42.0), 2016)
        == "42 en 2016, contre 40 en 2015 (en hausse de 2)"
    )


def test_not_comparable_gives_its_reason():
    assert vintage_change("not_comparable", vintages.VINTAGE_UNKNOWN, (None, 5, 2018), (None, 6), 2019).startswith(
        fmt.MISSING
    )


def test_a_rate_says_points_for_the_change_and_the_revision():
    text = vintage_change("up", "", (2015, 40.0, 2018), (2016, 41.4), 2019, 40.5, lambda v: fmt.percent(v, 1), points)
    assert text == (
        "41,4 % en 2016, contre 40,0 % en 2015 dans l'édition 2018 (en hausse de 1,4 point) ; "
        "chiffre de 2015 révisé à 40,5 % par l'édition 2019, soit 0,5 point de plus"
    )


def _card(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "unit", "latest_year", "latest_value"])


def _located(rows):
    frame = pd.DataFrame(rows, columns=["indicator_id", "year", "value_low", "edition"])
    return frame.astype({"year": "Int64", "value_low": "Float64", "edition": "Int64"})


def test_scorecard_changes_give_this_editions_value_of_the_earlier_year():
    before = _card([("a", "n", 2018, 330.0), ("b", "n", 2018, 968.0), ("c", "n", 2018, 10.0), ("d", "n", 2018, 7.0)])
    now = _card([("a", "n", 2019, 318.0), ("b", "n", 2019, 931.0), ("c", "n", 2019, 12.0), ("d", "n", 2018, 8.0)])
    located = _located(
        [
            ("a", 2018, 330.0, 2018),
            ("a", 2018, 335.0, 2019),  # revised by 2019: the latest edition's row is this edition's value
            ("a", 2019, 318.0, 2019),
            ("b", 2018, 968.0, 2019),  # restated unchanged: no revision
            ("b", 2019, 931.0, 2019),
            ("c", 2019, 12.0, 2019),  # 2018 not restated
            ("d", 2018, 8.0, 2019),
        ]
    )
    out = vintages.scorecard_changes(now, before, 2019, located).set_index("indicator_id")
    assert out.loc["a", "previous_value"] == 330 and out.loc["a", "change"] == -12  # by design: the previous edition's
    revised = out["previous_year_revised_value"]
    assert revised["a"] == 335 and revised["d"] == 8
    assert pd.isna(revised["b"]) and pd.isna(revised["c"])
    assert list(out.reset_index().columns) == list(vintages.SCORECARD_CHANGE_COLUMNS)
    # without the located values, or in the first edition, nothing is revised
    assert vintages.scorecard_changes(now, before, 2019)["previous_year_revised_value"].isna().all()
    assert vintages.scorecard_changes(now, None, 2018, located)["previous_year_revised_value"].isna().all()
