"""Coverage of the report by the book, computed from data/raw and the chapters' declarations."""

import pytest

from contrat_ville.data import raw
from contrat_ville.data.files import read_meta, table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.evaluation import coverage
from contrat_ville.presentation import coverage_text, key_figures_text


@pytest.fixture(scope="module")
def items():
    return raw.load("report_items", RAW_DIR)


def test_report_items_coverage(items):
    table = coverage.report_item_coverage(items).set_index("item_id")
    assert table.loc["ri-06", "coverage"] == coverage.IN_BOOK
    assert table.loc["ri-06", "book_chapters"] == "cadre_de_vie;quartiers_veille"
    assert (table.loc["ri-12", "coverage"], table.loc["ri-12", "reason"]) == (coverage.IN_BOOK, "chart_redrawn")
    assert (table.loc["ri-04", "coverage"], table.loc["ri-04", "reason"]) == (coverage.GAP, "chart_lost")
    assert table.loc["ri-03", "coverage"] == coverage.GAP
    assert table.loc["ri-03", "reason"] == "chart_lost;cited_values_shown"
    assert (table.loc["ri-09", "coverage"], table.loc["ri-09", "reason"]) == (coverage.GAP, "qualitative")
    assert (table.loc[table.coverage == coverage.GAP, "reason"] != "").all()
    assert {r for reasons in table["reason"] if reasons for r in reasons.split(";")} <= set(coverage.REASONS)


def test_coverage_labels_are_french_and_name_the_chapters(items):
    table = coverage_text.with_labels(coverage.report_item_coverage(items)).set_index("item_id")
    columns = list(table.columns)
    assert columns.index("coverage_label") == columns.index("coverage") + 1
    assert columns.index("reason_label") == columns.index("reason") + 1
    assert table.loc["ri-06", "coverage_label"] == "dans le livre" and table.loc["ri-06", "reason_label"] == ""
    assert table.loc["ri-12", "reason_label"].startswith("graphique perdu, redessiné")
    assert table.loc["ri-09", "reason_label"].startswith("contenu qualitatif sans chiffre")
    ri03 = table.loc["ri-03"]
    assert ri03["coverage_label"] == "non repris" and ri03["reason_label"] == (
        "graphique perdu lors de la conversion du rapport en texte : seuls le titre et le commentaire subsistent"
        f" ; les valeurs citées dans le commentaire sont reprises ({coverage_text.chapter_names(ri03['book_chapters'])})"
    )
    assert "Portrait des quartiers" in ri03["reason_label"]


def test_coverage_reason_wording():
    assert coverage_text.reason("") == "" and coverage_text.reason(None) == ""
    assert coverage_text.reason("no_chapter") == "aucun chapitre ne couvre ce chiffre"
    assert coverage_text.reason("unknown_status") == "unknown_status"  # shown as it is, never dropped
    assert coverage_text.reason("qualitative;cited_values_shown", "portrait;emploi").endswith(
        "reprises (Portrait des quartiers, Emploi et développement économique)"
    )
    assert coverage_text.chapter_names("portrait;hypotheses") == "Portrait des quartiers, Journal des hypothèses"
    assert coverage_text.chapter_names(float("nan")) == ""


def test_a_table_shown_nowhere_is_a_gap(items):
    declared = {
        chapter: [t for t in tables if t != "qva_actions_2018"]
        for chapter, tables in coverage.CHAPTER_RAW_TABLES.items()
    }
    table = coverage.report_item_coverage(items, declared).set_index("item_id")
    assert table.loc["ri-10", "coverage"] == coverage.GAP


def test_summary_counts(items):
    figures = coverage.key_figure_coverage(key_figures_text.annotate(raw.load("key_figures", RAW_DIR)))
    summary = coverage.summary(coverage.report_item_coverage(items), figures)
    assert list(summary.columns) == ["kind", "total", "in_book", "gaps"]
    counts = summary.set_index("kind")
    assert counts.loc["table"].tolist() == [10, 9, 1]
    assert counts.loc["chart"].tolist() == [6, 1, 5]
    assert counts.loc["key_figure"].tolist() == [217, 217, 0]
    # the published summary names its rows in French, in the `kind` column's place
    labelled = coverage_text.summary_with_labels(summary)
    assert list(labelled.columns) == ["what", "total", "in_book", "gaps"]
    assert labelled["what"].tolist() == ["Tableaux du rapport", "Graphiques du rapport", "Chiffres clés (mentions)"]
    assert labelled["total"].tolist() == [10, 6, 217]


def test_every_table_transcribed_from_the_report_is_displayed():
    names = [n for n in table_names(RAW_DIR) if "rapport-annuel-2018" in read_meta(n, RAW_DIR)["source_ids"]]
    table = coverage.raw_table_coverage(names).set_index("raw_table")
    assert set(table["coverage"]) <= {coverage.IN_BOOK, coverage.REFERENCE}
    assert table.loc["territories", "coverage"] == coverage.REFERENCE
    labelled = coverage_text.with_labels(table.reset_index()).set_index("raw_table")
    assert labelled.loc["territories", "coverage_label"] == "référence"
    assert labelled.loc["sources", "reason_label"].startswith("journal des sources")


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
        coverage_text.page_name("controle") == "Contrôle des chiffres publiés"
        and coverage_text.page_name("portrait") == "Portrait des quartiers"
        and coverage_text.page_name("hypotheses") == "Journal des hypothèses"
        and coverage_text.page_name("unknown_page") == "unknown_page"
    )
    assert coverage_text.chapter_names("portrait;hypotheses") == "Portrait des quartiers, Journal des hypothèses"
    assert coverage_text.chapter_names(float("nan")) == ""
    nowhere = coverage.raw_table_coverage(["indicators"], {"portrait": ["identity_card"]})
    assert (nowhere.loc[0, "coverage"], nowhere.loc[0, "reason"]) == (coverage.GAP, "raw_table_not_displayed")
    assert coverage_text.with_labels(nowhere).loc[0, "reason_label"] == "affichée dans aucun chapitre"


def test_key_figure_coverage_labels():
    figures = coverage.key_figure_coverage(key_figures_text.annotate(raw.load("key_figures", RAW_DIR)))
    labelled = coverage_text.with_labels(figures.head(3).assign(coverage=coverage.GAP, reason="no_chapter"))
    assert set(labelled["coverage_label"]) == {"non repris"}
    assert set(labelled["reason_label"]) == {"aucun chapitre ne couvre ce chiffre"}


def test_an_edition_with_no_report_item_has_an_empty_coverage(items):
    # report_items are an edition's own rows: a later edition may transcribe none yet
    table = coverage.report_item_coverage(items.head(0))
    assert table.empty and list(table.columns) == coverage.ITEM_COVERAGE_COLUMNS
    counts = coverage.summary(
        table, coverage.key_figure_coverage(key_figures_text.annotate(raw.load("key_figures", RAW_DIR)))
    )
    assert list(counts["total"])[:2] == [0, 0] and list(counts["in_book"])[:2] == [0, 0]
