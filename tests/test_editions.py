"""Editions: ND for rows a year lacks, the no-data year check, and edition comparison."""

import pandas as pd
import pytest

from contrat_ville.data import editions
from contrat_ville.data.raw import Tables

META = {
    "schema": {
        "primaryKey": ["edition", "territory_id", "indicator_id"],
        "fields": [
            {"name": "edition", "type": "integer"},
            {"name": "territory_id"},
            {"name": "indicator_id"},
            {"name": "value", "type": "number"},
            {"name": "value_status"},
            {"name": "vintage", "type": "integer"},
        ],
    }
}


def table(rows):
    frame = pd.DataFrame(rows, columns=["edition", "territory_id", "indicator_id", "value", "value_status", "vintage"])
    frame["value"] = frame["value"].astype("Float64")
    return frame


def tables(**frames):
    """Frames with the sidecar beside each, as raw.validate_all gives them."""
    return Tables(frames, {name: META for name in frames})


TWO_EDITIONS = table(
    [
        (2018, "a", "population", 100.0, "published", 2015),
        (2018, "a", "poverty_rate", 40.0, "published", 2015),
        (2018, "b", "population", 50.0, "published", 2015),
        (2019, "a", "population", 110.0, "published", 2016),
        (2019, "a", "poverty_rate", 41.0, "published", 2015),
    ]
)


def test_key_and_measure_columns():
    assert editions.key_columns(META) == ["territory_id", "indicator_id"]
    assert editions.measure_columns(META) == ["value"]


def test_for_edition_blanks_rows_the_year_lacks():
    rows, missing = editions.for_edition(TWO_EDITIONS, META, 2019)
    assert len(rows) == 3
    blank = rows[rows.territory_id == "b"].iloc[0]
    assert pd.isna(blank["value"]) and blank["value_status"] == "ND" and blank["edition"] == 2019
    assert missing["territory_id"].tolist() == ["b"]


def test_for_edition_first_edition_has_nothing_missing():
    rows, missing = editions.for_edition(TWO_EDITIONS, META, 2018)
    assert len(rows) == 3 and missing.empty


def test_check_year_refuses_a_year_without_rows():
    with pytest.raises(editions.NoDataForYear) as info:
        editions.check_year(tables(identity_card=TWO_EDITIONS), 2025)
    message = str(info.value)
    assert "2025" in message and "data/raw/identity_card.csv [2019]" in message and "population" in message


def test_check_year_accepts_a_partial_year():
    other = table([(2018, "a", "population", 1.0, "published", 2015)])
    editions.check_year(tables(identity_card=TWO_EDITIONS, other=other), 2019)  # no exception


def test_compare_statuses():
    result = editions.compare(TWO_EDITIONS, META, 2019, 2018).set_index(["territory_id", "indicator_id"])["status"]
    assert result[("a", "population")] == "up"  # new vintage, higher
    assert result[("a", "poverty_rate")] == "revised"  # same vintage, other value
    assert result[("b", "population")] == "discontinued"


def test_gaps_lists_absent_and_published_nd():
    with_nd = table([*TWO_EDITIONS.itertuples(index=False, name=None), (2019, "c", "population", None, "ND", 2016)])
    gaps = editions.gaps(tables(identity_card=with_nd), 2019)
    assert set(gaps["reason"]) == {"absent", "published_nd"}
    assert "c / population" in set(gaps["item"])
