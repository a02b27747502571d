"""French phrasing left to the machine (issue 13, item 8): articles with elision, plurals that
agree, signed points, computed values without false precision, and no such phrasing on any
page of the built book."""

import pandas as pd
import pytest

from contrat_ville.presentation import fmt, sentences
from contrat_ville.presentation import reconciliation as audit_text
from contrat_ville.publish import book_ext, site


@pytest.mark.parametrize(
    ("noun", "feminine", "plural", "the", "of_the"),
    [
        ("ville", True, False, "la ville", "de la ville"),
        ("agglomération", True, False, "l'agglomération", "de l'agglomération"),
        ("quartier", False, False, "le quartier", "du quartier"),
        ("écart", False, False, "l'écart", "de l'écart"),
        ("hausse", True, False, "la hausse", "de la hausse"),  # h aspiré: no elision
        ("habitant", False, False, "l'habitant", "de l'habitant"),  # h muet
        ("quartiers", False, True, "les quartiers", "des quartiers"),
    ],
)
def test_articles_elide_and_contract(noun, feminine, plural, the, of_the):
    assert sentences.the(noun, feminine, plural) == the
    assert sentences.of_the(noun, feminine, plural) == of_the


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (0.1, "+0,1 point"),
        (0.0, "0,0 point"),
        (-1.5, "-1,5 point"),
        (2.5, "+2,5 points"),
        (-12, "-12,0 points"),
        (None, "ND"),
    ],
)
def test_points_agree_with_their_number(change, text):
    assert sentences.points(change) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(8737.0, 2, "8 737"), (49.7956, 2, "49,8"), (49.7956, 3, "49,796"), (1.25, 2, "1,25"), (None, 2, "ND")],
)
def test_significant_drops_false_precision(value, decimals, text):
    assert fmt.significant(value, decimals).replace("\u202f", " ") == text


def _claim(value, unit, decimals):
    row = pd.DataFrame([{"recomputed_value": value, "recomputed_high": None, "unit": unit, "decimals": decimals}])
    return next(row.itertuples(index=False))


def test_recomputed_values_without_false_precision():
    assert audit_text.recomputed_label(_claim(8737.0, "keur", 0)).replace("\u202f", " ") == "8 737 k€"
    assert audit_text.recomputed_label(_claim(90628 / 1820, "ETP", 1)) == "49,8 ETP"
    assert audit_text.recomputed_label(_claim(1.4651, "fois", 1)) == "1,47"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1 piste(s) mise en œuvre", "open plural"),
        ("0 comparaison(s) sur 19", "open plural"),
        ("aucune ne dispose(nt)", "open plural"),
        ("le tableau donne l”écart", "elided article"),
        ("des habitants d”« ex-ZUS »", "elided article"),
        ("Part de la agglomération", "'de la'"),
        ("une p-valeur de < 0,001", "comparison sign"),
    ],
)
def test_machine_phrasing_is_found(text, rule):
    (found,) = sentences.machine_phrasing(text)
    assert found.startswith(rule)


def test_good_french_is_not_flagged():
    text = "Part de l'agglomération ; 1 piste mise en œuvre ; une p-valeur inférieure à 0,001 ; « une citation » ; la ville"
    assert sentences.machine_phrasing(text) == []


def test_elided_apostrophe_taken_for_a_closing_quote_is_restored():
    assert book_ext.french_spacing("le tableau donne l”") == "le tableau donne l’"
    assert book_ext.french_spacing("des habitants d”") == "des habitants d’"
    assert book_ext.french_spacing("le mot « appel”").endswith("appel”")  # a real closing quote stays


@pytest.mark.slow
def test_no_machine_phrasing_on_any_page(built):
    problems = []
    for rel in site.html_pages(built["site"]):
        text = (built["site"] / rel).read_text(encoding="utf-8")
        problems += [f"{rel}: {p}" for p in sentences.machine_phrasing(site.visible_text(text))]
    assert not problems, "\n".join(problems[:30])


def test_not_applicable_is_not_written_as_missing():
    assert sentences.not_comparable("no_earlier_edition") == "— (aucune édition antérieure)"
    assert sentences.not_comparable("vintage_unknown") == "ND (millésime non précisé)"
    assert sentences.earlier_cell("ND", "no_earlier_edition") == fmt.NOT_APPLICABLE
    assert sentences.earlier_cell("ND", "earlier_not_published") == "ND"
    assert sentences.earlier_cell("41,4 %", "") == "41,4 %"
