"""Coverage of the report by the book, computed from data/raw and the chapters' declarations."""

import pytest

from contrat_ville.data import raw
from contrat_ville.data.files import read_meta, table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import coverage
from contrat_ville.presentation import key_figures_text


@pytest.fixture(scope="module")
def items():
    return raw.load("report_items", RAW_DIR)


def test_report_items_coverage(items):
    table = coverage.report_item_coverage(items).set_index("item_id")
    assert table.loc["ri-06", "coverage"] == coverage.IN_BOOK
    assert table.loc["ri-06", "book_chapters"] == "cadre_de_vie;quartiers_veille"
    assert table.loc["ri-12", "coverage"] == coverage.IN_BOOK and "redessiné" in table.loc["ri-12", "reason"]
    assert table.loc["ri-04", "coverage"] == coverage.GAP and "perdu" in table.loc["ri-04", "reason"]
    assert table.loc["ri-03", "coverage"] == coverage.GAP and "Portrait des quartiers" in table.loc["ri-03", "reason"]
    assert table.loc["ri-09", "coverage"] == coverage.GAP and "qualitatif" in table.loc["ri-09", "reason"]
    assert (table.loc[table.coverage == coverage.GAP, "reason"] != "").all()


def test_a_table_shown_nowhere_is_a_gap(items):
    declared = {
        chapter: [t for t in tables if t != "qva_actions_2018"]
        for chapter, tables in coverage.CHAPTER_RAW_TABLES.items()
    }
    table = coverage.report_item_coverage(items, declared).set_index("item_id")
    assert table.loc["ri-10", "coverage"] == coverage.GAP


def test_summary_counts(items):
    figures = coverage.key_figure_coverage(key_figures_text.annotate(raw.load("key_figures", RAW_DIR)))
    summary = coverage.summary(coverage.report_item_coverage(items), figures).set_index("what")
    assert summary.loc["Tableaux du rapport"].tolist() == [10, 9, 1]
    assert summary.loc["Graphiques du rapport"].tolist() == [6, 1, 5]
    assert summary.loc["Chiffres clés (mentions)"].tolist() == [217, 217, 0]


def test_every_table_transcribed_from_the_report_is_displayed():
    names = [n for n in table_names(RAW_DIR) if "rapport-annuel-2018" in read_meta(n, RAW_DIR)["source_ids"]]
    table = coverage.raw_table_coverage(names).set_index("raw_table")
    assert set(table["coverage"]) <= {coverage.IN_BOOK, "référence"}
    assert table.loc["territories", "coverage"] == "référence"


def test_declared_tables_exist():
    names = set(table_names(RAW_DIR))
    for chapter, tables in coverage.CHAPTER_RAW_TABLES.items():
        assert set(tables) <= names, chapter


def test_raw_tables_shown_outside_the_report_chapters_are_named():
    table = coverage.raw_table_coverage(["indicators", "report_claims", "assumptions", "key_figures"]).set_index(
        "raw_table"
    )
    assert (
        table.loc["indicators", "book_chapters"] == "tableau_de_bord"
        and table.loc["assumptions", "book_chapters"] == "hypotheses"
    )
    assert (
        coverage.page_name("controle") == "Contrôle des chiffres publiés"
        and coverage.page_name("portrait") == "Portrait des quartiers"
    )
    assert (
        coverage.raw_table_coverage(["indicators"], {"portrait": ["identity_card"]}).loc[0, "coverage"] == coverage.GAP
    )


def test_an_edition_with_no_report_item_has_an_empty_coverage(items):
    # report_items are an edition's own rows: a later edition may transcribe none yet
    table = coverage.report_item_coverage(items.head(0))
    assert table.empty and list(table.columns) == coverage.ITEM_COVERAGE_COLUMNS
    counts = coverage.summary(
        table, coverage.key_figure_coverage(key_figures_text.annotate(raw.load("key_figures", RAW_DIR)))
    )
    assert list(counts["total"])[:2] == [0, 0] and list(counts["in_book"])[:2] == [0, 0]
