"""Sentences quoting figures an edition may not publish (presentation.nd_sentences): every
branch (all published, none, some; one or several figures; repeated labels)."""

import pytest

from contrat_ville.presentation import fmt, nd_sentences

ND = fmt.MISSING


def test_filled_keeps_the_sentence_when_every_figure_is_published():
    text = nd_sentences.filled(
        "Le dispositif suit {a} et en réunit {b}.",
        2019,
        "DIREED",
        a=nd_sentences.measure("70 jeunes", "Jeunes suivis par an"),
        b=nd_sentences.measure("200 jeunes", "Jeunes en actions collectives"),
    )
    assert text == "Le dispositif suit 70 jeunes et en réunit 200 jeunes."


def test_filled_says_which_figures_the_edition_does_not_publish():
    text = nd_sentences.filled(
        "Le dispositif suit {a} et en réunit {b}.",
        2019,
        "DIREED",
        a=nd_sentences.measure(ND, "Jeunes suivis par an"),
        b=nd_sentences.measure(ND, "Jeunes en actions collectives"),
    )
    assert text == (
        "DIREED : l'édition 2019 ne publie pas les chiffres « Jeunes suivis par an » et "
        "« Jeunes en actions collectives » (ND)."
    ).replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    assert "suit ND" not in text


def test_one_missing_figure_without_topic_starts_the_sentence():
    text = nd_sentences.filled("Ils accueillent {a}.", 2020, a=nd_sentences.measure(ND, "Bénéficiaires par an"))
    assert text == "L'édition 2020 ne publie pas le chiffre «\u00a0Bénéficiaires par an\u00a0» (ND)."


def test_partly_published_names_both_sides():
    text = nd_sentences.filled(
        "Ils touchent {a} et ont réalisé {b}.",
        2019,
        "Correspondants de nuit",
        a=nd_sentences.measure(ND, "Personnes touchées"),
        b=nd_sentences.measure("9 100 interventions", "Interventions"),
    )
    assert text == (
        "Correspondants de nuit : l'édition 2019 publie le chiffre «\u00a0Interventions\u00a0» (9 100 interventions) "
        "mais pas le chiffre «\u00a0Personnes touchées\u00a0» (ND)."
    )


def test_repeated_labels_are_named_once():
    figures = [nd_sentences.measure(ND, "Jeunes inscrits"), nd_sentences.measure(ND, "Jeunes inscrits")]
    assert nd_sentences.not_published(2019, figures) == (
        "L'édition 2019 ne publie pas le chiffre «\u00a0Jeunes inscrits\u00a0» (ND)."
    )


def test_value_figures_and_free_wording():
    known = nd_sentences.value(12.5, lambda v: fmt.percent(v), "la part des logements")
    missing = nd_sentences.value(None, fmt.number, "le nombre d'immeubles")
    assert known.known and known.text == fmt.percent(12.5)
    assert not missing.known and missing.text == ND
    assert nd_sentences.not_published(2019, [missing, known]) == (
        f"L'édition 2019 publie la part des logements ({fmt.percent(12.5)}) mais pas le nombre d'immeubles (ND)."
    )
    assert nd_sentences.all_known(known) and not nd_sentences.all_known(known, missing)


@pytest.mark.parametrize("text", ["", ND, "  "])
def test_empty_or_nd_text_is_not_known(text):
    assert not nd_sentences.Figure(text, "x").known


def test_negative_list_of_free_wordings_uses_ni():
    a = nd_sentences.value(None, fmt.number, "le nombre de logements reconstitués")
    b = nd_sentences.value(None, fmt.number, "le nombre de logements après l'opération")
    assert nd_sentences.not_published(2019, [a, b]) == (
        "L'édition 2019 ne publie pas le nombre de logements reconstitués ni le nombre de logements après "
        "l'opération (ND)."
    )


def test_carried_note_names_the_earlier_editions():
    assert nd_sentences.carried_note(2018, [2018, 2018]) == ""
    assert nd_sentences.carried_note(2019, [2018, 2018], "leur date et leur montant") == (
        " L'édition 2019 ne les republie pas : leur date et leur montant sont ceux de l'édition 2018."
    )
    assert nd_sentences.carried_note(2020, [2018, 2019, 2020]) == (
        " L'édition 2020 ne les republie pas : ces chiffres sont ceux des éditions 2018 et 2019."
    )


def test_from_edition():
    assert nd_sentences.from_edition(2018, [2018]) == ""
    assert nd_sentences.from_edition(2019, [2018]) == " (d'après l'édition 2018)"
    assert nd_sentences.from_edition(2020, [2019, 2018, 2020]) == " (d'après les éditions 2018 et 2019)"
