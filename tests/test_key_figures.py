"""Key-figure formatting (qualifier, unit, period), safe addition and chapter assignment."""

import pandas as pd
import pytest

from contrat_ville.data import raw
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.runplan import chapter_titles
from contrat_ville.evaluation import key_figures
from contrat_ville.presentation import coverage_text, fmt, key_figures_text


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def figures():
    return raw.load("key_figures", RAW_DIR)


@pytest.mark.parametrize(
    "args, expected",
    [
        ((9000, "personnes", "environ", None, "annual_average"), "environ 9 000 personnes par an"),
        ((850, "logements", "pres_de"), "près de 850 logements"),
        ((1000, "familles et professionnels", "plus_de"), "plus de 1 000 familles et professionnels"),
        ((1.4, "fois", "range", 1.5), "1,4 à 1,5 fois"),
        ((24, "%", "range", 26), "24 à 26 %"),
        ((1500, "participants", "range", 2000, "annual_average"), "1 500 à 2 000 participants par an"),
        ((94.8, "%", "exact"), "94,8 %"),
        ((36, "%", "exact"), "36 %"),
        ((4265462, "euros", "exact"), "4 265 462 €"),
        ((10.8, "millions d'euros", "exact"), "10,8 millions d'euros"),
        ((1, "millions d'euros", "environ"), "environ 1 million d'euros"),
        ((1, "personnes", "exact"), "1 personne"),
    ],
)
def test_format_value_keeps_qualifier_unit_and_period(args, expected):
    assert plain(key_figures_text.format_value(*args)) == expected


def test_format_value_missing_is_nd_and_bad_input_refused():
    assert key_figures_text.format_value(None, "personnes") == "ND"
    with pytest.raises(ValueError):
        key_figures_text.format_value(1, "personnes", "about")
    with pytest.raises(ValueError):
        key_figures_text.format_value(1, "%", "range")


@pytest.mark.parametrize(
    "start, end, kind, expected",
    [
        (2015, 2018, "cumulative", "2015-2018 (cumul)"),
        (2018, 2018, "annual", "2018"),
        (2015, 2018, "annual_average", "2015-2018 (moyenne annuelle)"),
        (2018, 2018, "one_off", "2018 (ponctuel)"),
        (2015, 2018, "stock", "2015-2018 (situation)"),
    ],
)
def test_period_label(start, end, kind, expected):
    assert key_figures_text.period_label(start, end, kind) == expected


def test_period_label_refuses_unknown_kind():
    with pytest.raises(ValueError):
        key_figures_text.period_label(2018, 2018, "monthly")


def synthetic(rows):
    """Synthetic key figures (not from the report), for the addition rules."""
    columns = ["value", "unit", "qualifier", "period_kind", "period_start", "period_end"]
    return pd.DataFrame(rows, columns=columns)


def test_annual_figure_is_never_added_to_a_cumulative_one():
    mixed = synthetic(
        [
            (330, "participants", "exact", "annual", 2018, 2018),
            (1400, "participants", "exact", "cumulative", 2015, 2018),
        ]
    )
    with pytest.raises(key_figures.IncompatibleFigures, match="period kinds"):
        key_figures.sum_figures(mixed)


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            [(10, "jeunes", "exact", "cumulative", 2015, 2018), (5, "personnes", "exact", "cumulative", 2015, 2018)],
            "units",
        ),
        ([(36, "%", "exact", "annual", 2018, 2018), (22, "%", "exact", "annual", 2018, 2018)], "not additive"),
        (
            [
                (60, "enfants", "exact", "annual_average", 2015, 2018),
                (70, "enfants", "exact", "annual_average", 2015, 2018),
            ],
            "not additive",
        ),
        (
            [(10, "jeunes", "exact", "cumulative", 2015, 2018), (5, "jeunes", "exact", "cumulative", 2017, 2018)],
            "different periods",
        ),
        ([(1500, "participants", "range", "cumulative", 2015, 2018)], "range"),
    ],
)
def test_incompatible_figures_are_refused(rows, message):
    with pytest.raises(key_figures.IncompatibleFigures, match=message):
        key_figures.sum_figures(synthetic(rows))


def test_annual_values_of_distinct_years_add_up_to_a_cumulative_total():
    years = synthetic(
        [(440, "participants", "exact", "annual", 2015, 2015), (423, "participants", "exact", "annual", 2016, 2016)]
    )
    total = key_figures.sum_figures(years)
    assert total == {
        "value": 863.0,
        "unit": "participants",
        "qualifier": "exact",
        "period_kind": "cumulative",
        "period_start": 2015,
        "period_end": 2016,
    }


def test_same_year_annual_parts_add_up_and_qualifiers_carry_over():
    parts = synthetic(
        [(5, "personnes", "exact", "annual", 2018, 2018), (24, "personnes", "environ", "annual", 2018, 2018)]
    )
    total = key_figures.sum_figures(parts)
    assert total["value"] == 29 and total["qualifier"] == "environ" and total["period_kind"] == "annual"
    more = synthetic(
        [(5, "personnes", "plus_de", "cumulative", 2015, 2018), (24, "personnes", "exact", "cumulative", 2015, 2018)]
    )
    assert key_figures.sum_figures(more)["qualifier"] == "plus_de"


def test_plie_exit_types_add_up_to_the_published_35(figures):
    parts = figures[figures["figure_id"].isin(["kf-080", "kf-081", "kf-082", "kf-083"])]
    assert key_figures.sum_figures(parts)["value"] == 35


def test_every_key_figure_gets_a_book_chapter(figures):
    assigned = key_figures.assign_chapters(figures)
    assert assigned["book_chapter"].notna().all()
    assert set(assigned["book_chapter"]) <= set(chapter_titles())
    cohesion = assigned[assigned["book_chapter"] == "cohesion_sociale"]
    assert set(cohesion["section"]) == set(key_figures.COHESION_SECTIONS)


@pytest.mark.parametrize(
    "figure_id, chapter, section, rule, lead, words",
    [
        # summary figure repeated in its chapter
        ("kf-006", "cadre_de_vie", "", "follows_repeat", "kf-057", "suit sa reprise kf-057"),
        # repeated twice: the mention with the same measure wins
        ("kf-026", "numerique", "", "follows_repeat", "kf-198", "suit sa reprise kf-198"),
        ("kf-030", "cohesion_sociale", "citoyennete", "same_sentence", "kf-029", "même phrase que kf-029"),
        ("kf-016", "cohesion_sociale", "reussite_educative", "synthesis_theme", "", "thème de la synthèse"),
        ("kf-101", "cohesion_sociale", "reussite_educative", "report_chapter", "", "chapitre du rapport"),
        ("kf-217", "financements", "", "report_chapter", "", "chapitre du rapport"),
    ],
)
def test_assignment_rules(figures, figure_id, chapter, section, rule, lead, words):
    row = key_figures.assign_chapters(figures).set_index("figure_id").loc[figure_id]
    assert (row["book_chapter"], row["section"], row["assignment_rule"], row["assignment_lead"]) == (
        chapter,
        section,
        rule,
        lead,
    )
    # the rule is an id; its French words are the presentation's
    assert coverage_text.assignment_rule(rule, lead) == words


def test_indicator_table_folds_identical_mentions_and_keeps_different_ones(figures):
    table = key_figures_text.indicator_table(figures)
    folded = table[table["figure_ids"].str.contains("kf-091")].iloc[0]
    assert folded["figure_ids"] == "kf-011, kf-091" and folded["report_lines"] == "27, 345"
    near = table[table["figure_ids"] == "kf-026"].iloc[0]
    over = table[table["figure_ids"] == "kf-198"].iloc[0]
    assert plain(near["display_value"]).startswith("près de 1 000") and plain(over["display_value"]).startswith(
        "plus de 1 000"
    )
    assert "kf-198" in near["other_mentions"] and "kf-026" in over["other_mentions"]
    every = set(table["figure_ids"].str.split(", ").explode())
    assert every == set(figures["figure_id"])


def test_display_frame_is_french_and_complete(figures):
    table = key_figures_text.indicator_table(key_figures.for_chapter(figures, "numerique"))
    shown = key_figures_text.display_frame(table, with_theme=True, main_pillar="cohesion_sociale")
    assert list(shown.columns) == [
        "Thème",
        "Action — opérateur",
        "Indicateur",
        "Chiffre publié",
        "Période",
        "Territoire",
        "Réf.",
    ]
    assert shown["Thème"].str.contains("(enjeux transversaux)", regex=False).all()
    assert len(shown) == len(table)


def test_action_label():
    assert key_figures_text.action_label({"action": "PLIE", "operator": None}) == "PLIE"
    assert (
        key_figures_text.action_label({"action": "Sport dans la ville", "operator": "Sport dans la ville"})
        == "Sport dans la ville"
    )
    assert (
        key_figures_text.action_label({"action": "Ludo", "operator": "Maison de l'Enfance"})
        == "Ludo — Maison de l'Enfance"
    )


def test_shown_records():
    shown = key_figures.shown_records("emploi", ["kf-001"], ["annual_series"], {"kf-001": "x"})
    assert shown.to_dict("records") == [
        {"book_chapter": "emploi", "item_kind": "key_figure", "item_id": "kf-001", "section": "x"},
        {"book_chapter": "emploi", "item_kind": "raw_table", "item_id": "annual_series", "section": ""},
    ]


def test_annotate_and_report_lines(figures):
    annotated = key_figures_text.annotate(figures[figures["figure_id"].isin(["kf-172", "kf-062"])]).set_index(
        "figure_id"
    )
    assert plain(annotated.loc["kf-172", "display_value"]) == "environ 9 000 personnes par an"
    assert annotated.loc["kf-062", "period_label"] == "2018"
    table = key_figures_text.indicator_table(figures[figures["figure_id"].isin(["kf-011", "kf-091", "kf-065"])])
    assert sorted(key_figures.report_lines(table)) == [27, 323, 345]


def test_key_figure_table_cites_the_figures_lines(figures, tmp_path):
    from contrat_ville.notebook.chapter import Chapter
    from contrat_ville.presentation import display

    chapter = Chapter("emploi", 2018, 2015, RAW_DIR, tmp_path)
    table = key_figures_text.indicator_table(figures[figures["figure_id"].isin(["kf-011", "kf-091"])])
    html = display.key_figure_table(chapter, table, "Titre").data
    assert "l. 27-345 ; données : data/raw/key_figures.csv" in html
    assert "Chiffre publié" in html and "Action — opérateur" in html
    assert "Territoire « Grand Chambéry »" in html


def test_reference_column_never_prints_a_bare_line_mark():
    """A figure with no report line in this edition (not restated, shown ND) reads `—`, not `l.`;
    other mentions stay. Rows SYNTHETIC."""
    rows = pd.DataFrame({"report_lines": ["341", "", None], "other_mentions": ["", "", "l. 12"]})
    refs = [key_figures_text._reference(row) for _, row in rows.iterrows()]
    assert refs == ["l.\u00a0341", fmt.NOT_APPLICABLE, fmt.NOT_APPLICABLE + " ; autre mention : l. 12"]
