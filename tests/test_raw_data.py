"""The shipped raw data: every table valid against its declared schema, with a sidecar
naming its source, and values traceable to a line of the source report."""

import hashlib

import pytest

from contrat_ville.data import raw
from contrat_ville.data.files import read_meta, table_names
from contrat_ville.data.paths import RAW_DIR

TABLES = table_names(RAW_DIR)
REQUIRED_META = [
    "title",
    "description",
    "producer",
    "source_ids",
    "source_fr",
    "vintage",
    "report_section",
    "licence",
    "schema",
    "anomalies",
]


def test_every_report_table_is_transcribed():
    expected = {
        "territories",
        "sources",
        "identity_card",
        "iris_quartier_vecu",
        "establishments",
        "demography_shares",
        "fonds_de_concours",
        "fonds_de_concours_totals",
        "financing_2015_2018",
        "financing_2015_2018_totals",
        "bellevue_financing_plan",
        "urban_renewal",
        "key_figures",
        "annual_series",
        "qva_actions_2018",
        "improvement_tracks_2016",
    }
    assert expected <= set(TABLES)


def test_all_tables_valid():
    tables = raw.validate_all(RAW_DIR)
    assert set(tables) == set(TABLES)


@pytest.mark.parametrize("name", TABLES)
def test_sidecar_is_complete(name):
    meta = read_meta(name, RAW_DIR)
    missing = [k for k in REQUIRED_META if k not in meta]
    assert not missing, f"{name}.meta.yaml lacks {missing}"
    declared = [f["name"] for f in meta["schema"]["fields"]]
    header = (RAW_DIR / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert declared == header, f"{name}: schema fields and CSV header differ"


@pytest.mark.parametrize("name", [t for t in TABLES if t not in ("sources",)])
def test_source_ids_are_in_the_data_log(name):
    sources = set(raw.load("sources", RAW_DIR)["source_id"])
    meta = read_meta(name, RAW_DIR)
    assert set(meta["source_ids"]) <= sources


@pytest.mark.parametrize("name", [t for t in TABLES if t not in ("sources",)])
def test_report_lines_point_into_the_seed(name, seed_lines):
    table = raw.load(name, RAW_DIR)
    if "report_line" not in table:
        pytest.skip("table has no report_line column")
    lines = table["report_line"].dropna()
    assert lines.between(1, len(seed_lines)).all()


def test_identity_card_values_as_published(seed_lines):
    card = raw.load("identity_card", RAW_DIR).set_index(["territory_id", "indicator_id"])
    assert card.loc[("qpv-hauts-de-chambery", "population"), "value"] == 6270
    assert card.loc[("qpv-hauts-de-chambery", "poverty_rate"), "value"] == pytest.approx(41.4)
    assert card.loc[("73065", "median_income_eur"), "value"] == 19729
    nd = card.loc[("qva-ensemble", "median_income_eur")]
    assert nd["value_status"] == "ND" and nd["value"] is pd_na()
    line = seed_lines[int(card.loc[("qpv-hauts-de-chambery", "population"), "report_line"]) - 1]
    assert "6 270" in line


def pd_na():
    import pandas as pd

    return pd.NA


def test_load_reuses_a_validation_only_for_identical_bytes(raw_copy):
    first = raw.load("identity_card", raw_copy)
    again = raw.load("identity_card", raw_copy)
    assert again.equals(first) and again is not first
    again.loc[0, "value"] = -1  # a caller's edit never reaches the cache
    assert raw.load("identity_card", raw_copy).loc[0, "value"] == first.loc[0, "value"]
    path = raw_copy / "identity_card.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",6270,", ",-6270,", 1), encoding="utf-8")
    with pytest.raises(Exception, match="must be >= 0"):
        raw.load("identity_card", raw_copy)


def test_source_report_is_checked_by_its_hash(tmp_path):
    from contrat_ville.data.files import read_source_report

    with pytest.raises(FileNotFoundError, match="external input"):
        read_source_report(tmp_path / "absent.txt")
    other = tmp_path / "other.txt"
    other.write_text("not the report\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not the expected source report"):
        read_source_report(other)
    assert read_source_report(other, expected_sha256=hashlib.sha256(b"not the report\n").hexdigest()) == [
        "not the report"
    ]
