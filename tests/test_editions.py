"""The edition model on data/raw plus the SYNTHETIC 2019 and 2020 drops (tests/fixtures/):
rows of an edition, carried history, restatements, comparison rows and counts, missing
data, source lines, validation. No pipeline runs here: the functions the notebooks call are
asserted directly (the pipeline tests are in test_years.py)."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import SYNTHETIC_2019, add_drop
from contrat_ville.data import editions
from contrat_ville.data.errors import DataValidationError
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.raw import Tables, validate_all
from contrat_ville.notebook.chapter import Chapter
from contrat_ville.presentation import citation, edition_text

SYNTHETIC_2020 = Path(__file__).parent / "fixtures" / "synthetic_2020"

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


def with_metas(**frames):
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


@pytest.fixture(scope="module")
def raw_dirs(tmp_path_factory):
    """data/raw + SYNTHETIC 2019, and data/raw + SYNTHETIC 2019 + 2020."""
    base = tmp_path_factory.mktemp("editions")
    shutil.copytree(RAW_DIR, base / "raw2019")
    add_drop(base / "raw2019", SYNTHETIC_2019)
    shutil.copytree(base / "raw2019", base / "raw2020")
    add_drop(base / "raw2020", SYNTHETIC_2020)
    return {2019: base / "raw2019", 2020: base / "raw2020"}


@pytest.fixture(scope="module")
def tables(raw_dirs):
    return {2018: validate_all(RAW_DIR), 2019: validate_all(raw_dirs[2019]), 2020: validate_all(raw_dirs[2020])}


# --- the model on small frames -------------------------------------------------------------


def test_key_and_measure_columns():
    assert editions.key_columns(META) == ["territory_id", "indicator_id"]
    assert editions.measure_columns(META) == ["value"]
    assert editions.rows_kind(META) == "current"


def test_for_edition_blanks_current_rows_the_year_lacks():
    rows, missing = editions.for_edition(TWO_EDITIONS, META, 2019)
    assert len(rows) == 3
    blank = rows[rows.territory_id == "b"].iloc[0]
    assert pd.isna(blank["value"]) and blank["value_status"] == "ND" and blank["edition"] == 2019
    assert missing["territory_id"].tolist() == ["b"]


def test_for_edition_first_edition_has_nothing_missing_and_never_sees_a_later_one():
    rows, missing = editions.for_edition(TWO_EDITIONS, META, 2018)
    assert len(rows) == 3 and missing.empty and set(rows["edition"]) == {2018}


def test_check_year_refuses_a_year_without_rows():
    with pytest.raises(editions.NoDataForYear) as info:
        editions.check_year(with_metas(identity_card=TWO_EDITIONS), 2025)
    message = str(info.value)
    assert "2025" in message and "data/raw/identity_card.csv [2019]" in message and "population" in message


def test_check_year_accepts_a_partial_year():
    other = table([(2018, "a", "population", 1.0, "published", 2015)])
    editions.check_year(with_metas(identity_card=TWO_EDITIONS, other=other), 2019)  # no exception


def test_compare_statuses_on_small_frames():
    result = editions.compare(TWO_EDITIONS, META, 2019, 2018).set_index(["territory_id", "indicator_id"])["status"]
    assert result[("a", "population")] == "up"  # new vintage, higher
    assert result[("a", "poverty_rate")] == "revised"  # same vintage, other value
    assert result[("b", "population")] == "no_longer_published"


# --- SYNTHETIC 2019 ------------------------------------------------------------------------


def test_series_history_is_carried_not_blanked(tables):
    series = tables[2019]["annual_series"]
    rows, missing = editions.for_edition(series, tables[2019].metas["annual_series"], 2019)
    plie = rows[rows.series_id == "plie_participants"].set_index("year")
    assert plie["value"].to_dict() == {2015: 440, 2016: 423, 2017: 402, 2018: 335, 2019: 318}
    assert plie["edition"].to_dict() == {2015: 2018, 2016: 2018, 2017: 2018, 2018: 2019, 2019: 2019}
    assert missing.empty and not plie["value"].isna().any()  # the emploi chapter's TypeError came from NA here


def test_restatement_follows_its_figure(tables):
    figures = tables[2019]["key_figures"]
    rows, missing = editions.for_edition(figures, tables[2019].metas["key_figures"], 2019)
    shown = rows.set_index("figure_id")
    assert shown.loc["kf-022", "value"] == shown.loc["kf-188", "value"] == 9100  # one figure, one value
    assert shown.loc["kf-188", "edition"] == 2019 and shown.loc["kf-188", "period_end"] == 2019
    assert "kf-188" not in set(missing["figure_id"])
    assert pd.isna(shown.loc["kf-025", "value"]) and shown.loc["kf-025", "value_status"] == "ND"  # not updated


def test_comparison_2019_real_changes(tables):
    changes = editions.compare_all(tables[2019], 2019)
    series = changes[changes.table == "annual_series"].set_index("item")
    assert series["status"].to_dict() == {
        "plie_participants / 200069110 / 2015": "carried",
        "plie_participants / 200069110 / 2016": "carried",
        "plie_participants / 200069110 / 2017": "carried",
        "plie_participants / 200069110 / 2018": "revised",
        "plie_participants / 200069110 / 2019": "new",
    }
    assert series.loc["plie_participants / 200069110 / 2018", ["previous_value", "value"]].tolist() == [330, 335]
    figures = changes[changes.table == "key_figures"].set_index("item")
    assert figures.loc["kf-022", ["status", "previous_value", "value", "previous_period", "period"]].tolist() == [
        "up",
        8871,
        9100,
        "2018",
        "2019",
    ]
    assert figures.loc["kf-017", ["status", "previous_period", "period", "reason"]].tolist() == [
        "not_comparable",
        "2015-2018",
        "2019",
        "period_kind cumulative -> annual",
    ]  # a 2015-2018 cumulative 135 against an annual 172 is not a rise
    assert figures.loc["kf-014", ["status", "period"]].tolist() == [
        "equal",
        "2018",
    ]  # an event of 2018 stays dated 2018
    assert figures.loc["kf-024", "status"] == "no_longer_published"
    assert "kf-188" not in figures.index  # a restatement is not a second item
    card = changes[changes.table == "identity_card"].set_index("item")["status"]
    assert card["qpv-hauts-de-chambery / population"] == "down"
    assert card["qpv-biollay-bellevue / population"] == "equal"
    assert card["200069110 / population"] == "no_longer_published"  # a territory with no update
    assert card["qva-ensemble / median_income_eur"] == "still_nd"  # ND in 2018 and 2019: never "no longer published"
    shops = changes[changes.table == "establishments"].set_index("item")
    assert shops.loc["qpv-hauts-de-chambery", ["status", "reason"]].tolist() == [
        "not_comparable",
        "period 2015-2018 -> 2016-2019",
    ]
    operations = changes[changes.table == "fonds_de_concours"]
    assert operations.groupby("status").size().to_dict() == {"carried": 24, "new": 2}  # items, not amounts


def test_comparison_2019_summary_counts(tables):
    summary = editions.summary(editions.compare_all(tables[2019], 2019)).set_index("status")["items"]
    assert summary.to_dict() == {
        "up": 8,
        "down": 6,
        "equal": 5,
        "revised": 1,
        "new": 3,
        "no_longer_published": 278,
        "not_comparable": 3,
        "carried": 55,
        "still_nd": 6,
    }


def test_no_longer_published_only_what_the_previous_edition_published(tables):
    changes = editions.compare_all(tables[2019], 2019)
    dropped = changes[changes.status == "no_longer_published"]
    assert dropped["previous_value"].notna().all()
    assert not {"annual_series", "fonds_de_concours", "qva_actions_2018", "report_claims"} & set(dropped["table"])


def test_missing_data_2019(tables):
    gaps = editions.gaps(tables[2019], 2019)
    listed = set(zip(gaps["table"], gaps["item"], gaps["measure"], gaps["reason"]))
    assert ("establishments", "qpv-biollay-bellevue", "new_establishments_per_year_avg", "published_nd") in listed
    assert ("establishments", "73065", "", "absent") in listed
    assert ("identity_card", "200069110 / population", "", "absent") in listed
    assert ("key_figures", "kf-024", "value", "published_nd") in listed
    assert ("bellevue_financing_plan", "cost_ht", "", "absent") in listed
    assert "annual_series" not in set(gaps["table"])  # history carried, 2019 point given
    assert "kf-188" not in set(gaps["item"]) and "fonds_de_concours" not in set(gaps["table"])
    assert gaps.groupby("reason").size().to_dict() == {"absent": 280, "published_nd": 5}


def test_source_line_under_a_2019_value(raw_dirs):
    chapter = Chapter("portrait", 2019, 2015, raw_dirs[2019], raw_dirs[2019].parent / "out")
    chapter.load("identity_card", edition=2019)
    line = chapter.source_line("identity_card")
    assert "Test suite (2019 (SYNTHÉTIQUE)) (édition 2019)" in line
    assert line.endswith("; données : data/raw/identity_card.csv")
    qpv = chapter.views["identity_card"].query("edition == 2019 and source_id == 'synthetic-test-data'")
    only_2019 = chapter.source_line("identity_card", rows=qpv)
    assert only_2019 == "Test suite (2019 (SYNTHÉTIQUE)) (édition 2019) ; données : data/raw/identity_card.csv"
    assert "RPLS 2018" not in only_2019


def test_source_lines_of_2018_do_not_change(raw_dirs):
    before = Chapter("portrait", 2018, 2015, RAW_DIR, RAW_DIR.parent / "out")
    after = Chapter("portrait", 2018, 2015, raw_dirs[2020], raw_dirs[2020].parent / "out")
    for chapter in (before, after):
        chapter.load("identity_card", edition=2018)
        chapter.load("key_figures", edition=2018)
    assert before.source_line("identity_card") == after.source_line("identity_card")
    assert citation.source_line(before, "key_figures", computed=True) == citation.source_line(
        after, "key_figures", computed=True
    )
    assert "2019" not in after.source_line("identity_card")


def test_an_edition_sees_only_its_own_year_and_before(tables):
    assert editions.compare_all(tables[2020], 2018).empty
    pd.testing.assert_frame_equal(editions.gaps(tables[2020], 2018), editions.gaps(tables[2018], 2018))
    pd.testing.assert_frame_equal(
        editions.checklist(tables[2020], tables[2020]["sources"], 2018),
        editions.checklist(tables[2018], tables[2018]["sources"], 2018),
    )
    for name, table in tables[2020].items():
        if "edition" in table:
            meta = tables[2020].metas[name]
            now = editions.for_edition(table, meta, 2018)[0].reset_index(drop=True)
            then = editions.for_edition(tables[2018][name], meta, 2018)[0].reset_index(drop=True)
            pd.testing.assert_frame_equal(now, then, check_dtype=False)


# --- SYNTHETIC 2020 ------------------------------------------------------------------------


def test_comparison_2020(tables):
    changes = editions.compare_all(tables[2020], 2020)
    status = changes.set_index(["table", "item"])["status"]
    assert status[("annual_series", "plie_participants / 200069110 / 2019")] == "revised"  # 318 -> 320
    assert status[("identity_card", "qpv-hauts-de-chambery / jobseekers_defm_abc")] == "up"
    assert status[("identity_card", "qpv-hauts-de-chambery / population")] == "equal"
    assert status[("identity_card", "qpv-hauts-de-chambery / poverty_rate")] == "no_longer_published"
    assert status[("key_figures", "kf-022")] == "down"
    assert status[("key_figures", "kf-017")] == "up"  # annual 2019 -> annual 2020: comparable
    assert status[("establishments", "qpv-hauts-de-chambery")] == "revised"  # same period 2016-2019
    assert status[("establishments", "qpv-biollay-bellevue")] == "no_longer_published"  # item dropped
    assert status[("bellevue_financing_plan", "cost_ht")] == "still_nd"  # dropped in 2019, not again in 2020
    assert set(changes["previous_edition"].dropna()) <= {2018, 2019}
    summary = editions.summary(changes).set_index("status")["items"]
    assert summary[["up", "down", "equal", "revised", "new", "not_comparable"]].tolist() == [2, 1, 1, 2, 0, 0]


def test_missing_data_2020_lists_the_series_point(tables):
    gaps = editions.gaps(tables[2020], 2020)
    listed = set(zip(gaps["table"], gaps["item"], gaps["reason"], gaps["previous_edition"].astype("object")))
    assert ("annual_series", "plie_participants / 200069110 / 2020", "series_point_missing", 2019) in listed
    assert ("establishments", "qpv-biollay-bellevue", "absent", 2019) in listed
    assert ("identity_card", "200069110 / population", "absent", 2018) in listed  # last published in 2018


# --- French sentences ----------------------------------------------------------------------


def test_summary_sentence_branches():
    def summary(**counts):
        return pd.DataFrame({"status": editions.STATUSES, "items": [counts.get(s, 0) for s in editions.STATUSES]})

    assert edition_text.comparison_summary(summary(), 2019, 2018) == (
        "Aucun élément n'est commun aux éditions 2018 et 2019 : il n'y a rien à comparer."
    )
    one = edition_text.comparison_summary(summary(up=1), 2019, 2018)
    assert one == (
        "Entre l'édition 2018 et l'édition 2019, 1 élément est suivi : 1 élément en hausse. "
        "Une seule valeur comparable a changé (hausse, baisse ou révision)."
    )
    several = edition_text.comparison_summary(summary(equal=2, not_comparable=3), 2020, 2019)
    assert several == (
        "Entre l'édition 2019 et l'édition 2020, 5 éléments sont suivis : 2 éléments inchangés et "
        "3 éléments non comparables (période, unité ou définition différente). Aucune valeur comparable n'a changé."
    )
    assert edition_text.reason("period_kind cumulative -> annual") == "période cumulée → annuelle"


def test_gaps_sentence_branches(tables):
    assert edition_text.gaps_summary(editions.gaps(tables[2018], 2018), 2018) == (
        "Dans l'édition 2018, sur 3 tables : 6 valeurs publiées « ND »."
    )
    empty = pd.DataFrame(columns=editions.GAP_COLUMNS)
    assert edition_text.gaps_summary(empty, 2019).startswith("L'édition 2019 ne manque d'aucune valeur")


# --- validation of the model ---------------------------------------------------------------


def append(raw_dir: Path, name: str, line: str) -> None:
    path = raw_dir / f"{name}.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def problems(raw_dir: Path) -> str:
    with pytest.raises(DataValidationError) as info:
        validate_all(raw_dir)
    return str(info.value)


def test_duplicate_figure_under_two_ids_is_refused(raw_copy):
    figure = next(
        line for line in (raw_copy / "key_figures.csv").read_text(encoding="utf-8").splitlines() if ",kf-022," in line
    )
    append(raw_copy, "key_figures", figure.replace(",kf-022,", ",kf-999,"))
    message = problems(raw_copy)
    assert "key_figures.csv, line 219, column 'figure_id': value 'kf-999'" in message
    assert "duplicate figure" in message and "kf-022 (line 23)" in message and "set duplicate_of to kf-022" in message


def test_restatement_must_print_the_same_value(raw_copy):
    path = raw_copy / "key_figures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Interventions spontanées des médiateurs,8871,,published,exact,interventions,2018,2018,annual,200069110,rapport-annuel-2018,,kf-022",
            "Interventions spontanées des médiateurs,8872,,published,exact,interventions,2018,2018,annual,200069110,rapport-annuel-2018,,kf-022",
        ),
        encoding="utf-8",
    )
    message = problems(raw_copy)
    assert "line 189, column 'value'" in message and "a restatement must print the same value as kf-022" in message


def test_annual_figure_over_several_years_is_refused(raw_copy):
    lines = (raw_copy / "key_figures.csv").read_text(encoding="utf-8").splitlines()
    figure = next(line for line in lines if ",kf-022," in line)
    figure = figure.replace(",kf-022,", ",kf-999,").replace(",2018,2018,annual,", ",2015,2018,annual,")
    append(raw_copy, "key_figures", figure)
    message = problems(raw_copy)
    assert "line 219, column 'period_kind'" in message and "an annual figure covers one year" in message


def test_series_point_after_its_edition_is_refused(raw_copy):
    append(
        raw_copy,
        "annual_series",
        "2018,plie_participants,200069110,2019,1,participants,published,rapport-annuel-2018,1,SYNTHETIC",
    )
    message = problems(raw_copy)
    assert (
        "annual_series.csv, line 6, column 'year': value 2019" in message and "edition 2018 cannot publish" in message
    )


def test_establishments_can_record_nd_and_status_must_match(raw_copy):
    append(
        raw_copy,
        "establishments",
        "2018,qpv-synth,SYNTHETIC,,2015,2018,10,published,insee-sirene,1".replace("qpv-synth", "qva-ensemble"),
    )
    message = problems(raw_copy)
    assert "establishments.csv, line 6, column 'value_status': value 'published'" in message
    assert "must be 'ND' exactly when one of new_establishments_per_year_avg, active_establishments is empty" in message


def test_a_table_without_source_id_needs_the_editions_report(raw_copy):
    append(raw_copy, "fonds_de_concours_totals", "2019,total-general,qpv,1,1,")
    message = problems(raw_copy)
    assert "fonds_de_concours_totals.csv, line 5, column 'edition': value 2019" in message
    assert "'rapport-annuel-2019', which data/raw/sources.csv does not list" in message


# --- a dated series with missing rows (issue 12: emploi crashed with TypeError NAType) -------


def _series(rows):
    frame = pd.DataFrame(rows, columns=["edition", "series_id", "territory_id", "year", "value"])
    frame["value"] = frame["value"].astype("Float64")
    return frame


def test_series_points_carry_history_drop_nd_and_take_restatements():
    from contrat_ville.evaluation import vintages

    rows = _series(
        [
            (2018, "plie_participants", "200069110", 2015, 440),
            (2018, "plie_participants", "200069110", 2016, None),  # ND point: left out, never NA in a sum
            (2018, "plie_participants", "200069110", 2018, 330),
            (2019, "plie_participants", "200069110", 2018, 335),  # revised
            (2019, "plie_participants", "200069110", 2019, 318),
            (2020, "plie_participants", "200069110", 2020, 300),  # a later edition is never seen
        ]
    )
    points = vintages.series_points(rows, "plie_participants", 2019)
    assert points.to_dict() == {2015: 440.0, 2018: 335.0, 2019: 318.0}
    assert vintages.point(points, 2019) == 318.0 and vintages.point(points, 2017) is None


def test_a_series_without_points_names_file_series_and_expected_year(tables):
    from contrat_ville.evaluation import vintages

    series = tables[2019]["annual_series"]
    with pytest.raises(vintages.MissingSeries) as error:
        vintages.series_points(series[series["series_id"] != "plie_participants"], "plie_participants", 2019)
    message = str(error.value)
    assert "data/raw/annual_series.csv" in message and "'plie_participants'" in message and "year 2019" in message


def test_2020_drop_without_a_2020_plie_point_gives_the_latest_point_not_a_crash(tables):
    """SYNTHETIC 2020 leaves out the PLIE 2020 point and the unrevised 2015-2017 rows: the emploi
    chapter shows the latest point with its year (2019, revised to 320) and ND for 2020."""
    from contrat_ville.evaluation import vintages

    points = vintages.series_points(tables[2020]["annual_series"], "plie_participants", 2020)
    assert points.to_dict() == {2015: 440.0, 2016: 423.0, 2017: 402.0, 2018: 335.0, 2019: 320.0}
    assert vintages.point(points, 2020) is None


# --- change since the previous vintage: scorecard and fiches -----------------------------------


def _card(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "unit", "latest_year", "latest_value"])


def test_scorecard_changes_statuses_and_years():
    from contrat_ville.evaluation import vintages

    before = _card(
        [
            ("a", "n", 2018, 330.0),
            ("b", "n", 2018, 968.0),
            ("c", "n", 2015, 40.0),
            ("d", "n", None, None),
            ("e", "%", 2015, 41.4),
            ("f", "n", 2018, 10.0),
        ]
    )
    now = _card(
        [
            ("a", "n", 2019, 318.0),  # down
            ("b", "n", 2018, 970.0),  # same year, other value: revised
            ("c", "n", 2015, 40.0),  # not updated: no change to report
            ("d", "n", 2019, 5.0),  # the previous edition had no value: new
            ("e", "%", 2016, 42.0),  # up
            ("f", "eur", 2019, 12.0),  # unit changed
        ]
    )
    out = vintages.scorecard_changes(now, before, 2019).set_index("indicator_id")
    assert out["status"].to_dict() == {
        "a": "down",
        "b": "revised",
        "c": "not_comparable",
        "d": "new",
        "e": "up",
        "f": "not_comparable",
    }
    assert out.loc[
        "a", ["previous_edition", "previous_year", "previous_value", "year", "value", "change"]
    ].tolist() == [
        2018,
        2018,
        330.0,
        2019,
        318.0,
        -12.0,
    ]
    assert out.loc["c", "reason"] == "same_vintage" and out.loc["f", "reason"] == "unit_changed"
    first = vintages.scorecard_changes(now, None, 2018)
    assert (first["status"] == "not_comparable").all() and (first["reason"] == "no_earlier_edition").all()
    # one vocabulary: every status is one of the edition comparison's
    assert set(out["status"]) <= set(editions.STATUSES)


def test_fiche_changes_on_the_synthetic_2019_edition(tables):
    from contrat_ville.evaluation import fiche

    card = tables[2019]["identity_card"]
    out = fiche.changes(card, "qpv-hauts-de-chambery", 2019).set_index("indicator_id")
    row = out.loc["jobseekers_defm_abc"]
    assert (row["previous_year"], row["previous_value"], row["year"], row["value"], row["change"], row["status"]) == (
        2018,
        968,
        2019,
        931,
        -37,
        "down",
    )
    assert out.loc["social_housing_units", "status"] == "equal"
    assert out.loc["median_income_eur", ["status", "reason"]].tolist() == ["not_comparable", "vintage_unknown"]
    assert set(out["status"]) <= set(editions.STATUSES)
    assert fiche.changes(tables[2018]["identity_card"], "qpv-hauts-de-chambery", 2018).empty  # first edition


# --- the edition's source document (home page) and dated statuses (perspectives) ----------


def test_edition_sources_come_from_the_edition_rows(tables):
    assert editions.edition_sources(tables[2018], 2018).index[0] == "rapport-annuel-2018"
    cited_2019 = editions.edition_sources(tables[2019], 2019)
    # every row of the SYNTHETIC drop names its source; tables without a 2019 row cite nothing
    assert cited_2019.index.tolist() == ["synthetic-test-data"]
    assert editions.edition_sources(tables[2019], 2017).empty
    no_source_column = {"t": pd.DataFrame({"edition": [2019, 2019, 2018], "value": [1, 2, 3]})}
    assert editions.edition_sources(no_source_column, 2019).to_dict() == {"rapport-annuel-2019": 2}


def test_edition_source_sentence_branches(tables):
    sources = tables[2019]["sources"].set_index("source_id")
    report = edition_text.edition_source(editions.edition_sources(tables[2018], 2018), sources, 2018, [])
    assert report["title"] == (
        "Contrat de Ville de Grand Chambéry — Rapport annuel 2018 (version avant mise en forme graphique du "
        "29 octobre 2019)"
    )
    assert report["sentence"] == (
        f"Le rapport de l'édition 2018 : {report['title']}, publié par Grand Chambéry (communauté "
        "d'agglomération) ; il n'est pas en ligne."
    )
    # the SYNTHETIC drop names no annual report: its rows' own source, and the values it keeps
    synthetic = edition_text.edition_source(editions.edition_sources(tables[2019], 2019), sources, 2019, [2018])
    assert synthetic == {
        "title": "SYNTHETIC test data (not real figures)",
        "sentence": "La source de l'édition 2019 : SYNTHETIC test data (not real figures) (Test suite) ; elle n'est "
        "pas en ligne. Les valeurs que l'édition 2019 ne met pas à jour restent celles de l'édition 2018.",
    }
    several = edition_text.edition_source(
        pd.Series({"synthetic-test-data": 3, "insee-rp": 1, "rapport-annuel-2020": 1}), sources, 2020, [2018, 2019]
    )
    assert several["title"] == (
        "SYNTHETIC test data (not real figures), Recensement de la population — population municipale "
        "(et structure par âge) et rapport-annuel-2020"
    )
    assert several["sentence"] == (
        "Les sources de l'édition 2020 : SYNTHETIC test data (not real figures) (Test suite), Recensement de la "
        "population — population municipale (et structure par âge) (INSEE) et rapport-annuel-2020 (absente de "
        "sources.csv) ; aucune n'est en ligne. Les valeurs que l'édition 2020 ne met pas à jour restent celles "
        "des éditions 2018 et 2019."
    )
    online = sources.assign(url=sources["url"].astype("object"))
    online.loc["insee-rp", "url"] = "https://example.org/rp"
    one_online = edition_text.edition_source(pd.Series({"insee-rp": 2}), online, 2019, [])
    assert one_online["sentence"] == (
        "La source de l'édition 2019 : Recensement de la population — population municipale (et structure par "
        "âge) (INSEE, en ligne : https://example.org/rp)."
    )
    none = edition_text.edition_source(pd.Series(dtype="int64"), sources, 2019, [2018])
    assert none["title"] == "ND (source de l'édition non renseignée)"
    assert none["sentence"].startswith(
        "La source de l'édition 2019 n'est pas renseignée (ND) : aucune de ses lignes ne la nomme."
    )


def test_dated_status_and_status_cards_branches():
    assert edition_text.as_of([2018, 2018], [2018], 2018) == "à fin 2018"
    assert edition_text.as_of([2018], [2018], 2019) == "à fin 2018, d'après l'édition 2018"
    assert (
        edition_text.as_of([2018, 2019], [2018, 2019], 2019) == "à fin 2018 ou 2019, d'après les éditions 2018 et 2019"
    )
    assert edition_text.as_of([], [], 2019) == "ND"
    labels = {"done": ("piste faite", "pistes faites"), "planned": ("piste prévue", "pistes prévues")}
    nd = ("piste sans état publié (ND)", "pistes sans état publié (ND)")
    when = "à fin 2018, d'après l'édition 2018"
    assert edition_text.status_cards({"done": 3, "planned": 0}, labels, 0, when, nd) == [
        ("3", "pistes faites à fin 2018, d'après l'édition 2018"),
        ("0", "piste prévue à fin 2018, d'après l'édition 2018"),
    ]
    assert edition_text.status_cards({"done": 1, "planned": 1}, labels, 2, "à fin 2019", nd) == [
        ("1", "piste faite à fin 2019"),
        ("1", "piste prévue à fin 2019"),
        ("2", "pistes sans état publié (ND)"),
    ]
    # no status published at all: the ND tracks are counted, never "0 piste faite"
    assert edition_text.status_cards({"done": 0, "planned": 0}, labels, 1, "ND", nd) == [
        ("1", "piste sans état publié (ND)")
    ]


VERBS = {
    "implemented": ("est mise en œuvre", "sont mises en œuvre"),
    "planned": ("est seulement prévue", "sont seulement prévues"),
}


def _shown(*rows):
    return pd.DataFrame(rows, columns=["track_title", "status", "status_as_of", "edition"])


def test_tracks_summary_branches():
    first = _shown(
        ("Agir", "implemented", 2018, 2018), ("Bouger", "planned", 2018, 2018), ("Citer", "planned", 2018, 2018)
    )
    own = edition_text.tracks_summary(first, 2018, 2018, 2018, VERBS)
    assert own["bilan"] == "Le rapport annuel 2018 fait le point sur leur mise en œuvre."
    assert own["summary"] == (
        "Selon le rapport annuel 2018, « une grande partie des propositions » était mise en œuvre à fin 2018. "
        "Le détail, piste par piste, est plus nuancé : 1 sur 3 est mise en œuvre (agir) et 2 sur 3 sont "
        "seulement prévues (bouger et citer)."
    )
    # a later edition that revises nothing: the dated statuses stay true, and their edition is said
    carried = edition_text.tracks_summary(first, 2019, 2018, 2018, VERBS)
    assert carried["bilan"] == own["bilan"]
    assert carried["summary"].startswith(
        "L'édition 2019 ne publie pas de nouveau bilan des pistes : chacune garde son dernier état publié. "
        "Selon le rapport annuel 2018, « une grande partie"
    )
    assert "0 " not in carried["summary"]
    # some revised, one never published: counted apart, never as a status
    mixed = _shown(
        ("Agir", "implemented", 2019, 2019), ("Bouger", "implemented", 2018, 2018), ("Citer", None, 2019, 2019)
    )
    text = edition_text.tracks_summary(mixed, 2019, 2018, 2018, VERBS)
    assert text["bilan"] == "Les rapports annuels 2018 et 2019 font le point sur leur mise en œuvre."
    assert text["summary"] == (
        "L'édition 2019 ne met pas à jour l'état de toutes les pistes : les autres gardent leur dernier état publié. "
        "Selon les rapports annuels 2018 et 2019, à fin 2018 ou 2019, parmi les 2 pistes dont l'état est publié, "
        "2 sur 2 sont mises en œuvre (agir et bouger) et aucune des 2 n'est seulement prévue ; "
        "1 piste sans état publié (ND)."
    )
    one = edition_text.tracks_summary(mixed.iloc[[0, 2]], 2019, 2018, 2018, VERBS)
    assert one["summary"] == (
        "Selon le rapport annuel 2019, à fin 2019, la seule piste dont l'état est publié (agir) est mise en œuvre ; "
        "1 piste sans état publié (ND)."
    )
    none = edition_text.tracks_summary(mixed.iloc[[2, 2]], 2019, 2018, 2018, VERBS)
    assert none == {
        "bilan": "Aucun rapport annuel jusqu'à l'édition 2019 ne publie l'état de leur mise en œuvre (ND).",
        "summary": "Aucune édition jusqu'à 2019 ne publie l'état des pistes : 2 pistes sans état publié (ND).",
    }


def test_source_line_of_first_edition_rows_shown_in_a_later_edition(raw_dirs):
    """Rows of the first edition shown in the 2019 book (a status it does not revise) cite the
    2018 report, never the run's year."""
    chapter = Chapter("perspectives", 2019, 2015, raw_dirs[2019], raw_dirs[2019].parent / "out")
    chapter.load("improvement_tracks_2016", edition=2019)
    history = chapter.load("improvement_tracks_2016")
    line = citation.source_line(chapter, "improvement_tracks_2016", cited="Bilan", rows=history)
    assert line == (
        "Bilan (d'après le rapport annuel 2018 du Contrat de Ville de Grand Chambéry, l. 806-812) ; "
        "données : data/raw/improvement_tracks_2016.csv"
    )
