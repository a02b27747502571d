"""data/raw/external_figures.csv is a faithful tidy copy of ../shared/data/external-figures.csv:
same rows in the same order, same values, provenance kept, ranges and undated values kept as such."""

import csv
import re

import pandas as pd
import pytest

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR, ROOT

SHARED = ROOT.parent / "shared" / "data" / "external-figures.csv"


@pytest.fixture(scope="module")
def pairs():
    if not SHARED.exists():
        pytest.skip("shared external figures not available beside the project")
    shared = list(csv.DictReader(SHARED.open(encoding="utf-8")))
    tidy = raw.load("external_figures", RAW_DIR)
    assert len(shared) == len(tidy)
    return list(zip(shared, tidy.to_dict("records")))


def test_rows_in_order_with_provenance_verbatim(pairs):
    for i, (src, row) in enumerate(pairs, start=1):
        assert row["figure_id"] == f"ext-{i:03d}"
        assert row["territory_label"] == src["territory"]
        assert row["indicator_published"] == src["indicator"]
        assert row["year_published"] == src["year"]
        assert row["unit_published"] == src["unit"]
        for column in ("source_title", "source_url", "quote"):
            assert row[column] == src[column], (row["figure_id"], column)
        code = "" if pd.isna(row["territory_code_published"]) else row["territory_code_published"]
        assert code == src["territory_code"]


def test_values_ranges_and_bounds(pairs):
    for src, row in pairs:
        value = src["value"]
        if re.fullmatch(r"\d+(\.\d+)?-\d+(\.\d+)?", value):
            low, high = (float(v) for v in value.split("-"))
            assert (row["value_low"], row["value_high"], row["qualifier"]) == (low, high, "range")
        elif "plus de" in src["unit"]:
            assert row["value_low"] == float(value) and pd.isna(row["value_high"]) and row["qualifier"] == "plus_de"
        else:
            assert row["value_low"] == row["value_high"] == float(value)
            assert row["qualifier"] == ("environ" if "environ" in src["unit"] else "exact")


def test_undated_values_keep_an_empty_year_and_a_note(pairs):
    for src, row in pairs:
        if re.fullmatch(r"\d{4}", src["year"]):
            assert row["year"] == int(src["year"])
        else:
            assert pd.isna(row["year"]) and "No data year" in row["note"]
            assert str(row["publication_year"]) in src["year"] or str(row["publication_year"]) in src["source_title"]


def test_territory_mapping_only_where_certain():
    table = raw.load("external_figures", RAW_DIR).set_index("figure_id")
    assert table.loc["ext-001", "territory_id"] == "qpv-hauts-de-chambery"
    assert pd.isna(table.loc["ext-002", "territory_id"]) and table.loc["ext-002", "comparator_of"] == "ext-001"
    assert pd.isna(table.loc["ext-011", "territory_id"])  # 2024 priority-area geography
    assert table.loc["ext-031", "territory_id"] == "247300098"  # former EPCI, added to territories.csv
    assert pd.isna(table.loc["ext-033", "territory_id"])  # urban unit: not a territory of the study
    territories = raw.load("territories", RAW_DIR).set_index("territory_id")
    assert territories.loc["247300098", "kind"] == "epci"
