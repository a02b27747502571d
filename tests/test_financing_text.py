"""Every branch of the Financements chapter's and the Contrôle home sentences
(presentation.financing_text, presentation.controle_text): published (the 2018 report's values),
not published (ND), partly published; largest share, shares found or not, gaps. Values other
than 2018's are SYNTHETIC, invented to reach a branch."""

import pandas as pd

from conftest import Plain
from contrat_ville.presentation import controle_text as _controle_text
from contrat_ville.presentation import financing_text as _financing_text

controle_text = Plain(_controle_text)
financing_text = Plain(_financing_text)

ND = pd.NA
TOTALS_2018 = {"etat": 3563915.0, "grand_chambery": 3131124.0, "ville_chambery": 1242927.0}
SHARES_2018 = {
    ("etat", "credits_specifiques"): 43.3958,
    ("etat", "droit_commun"): 56.6042,
    ("grand_chambery", "credits_specifiques"): 66.2573,
    ("grand_chambery", "fonds_de_concours"): 30.8787,
}


def test_funders_as_in_2018():
    assert financing_text.funders(2018, 7937966.0, TOTALS_2018, SHARES_2018) == (
        "Le tableau du rapport détaille 7 937 966 € apportés par les trois principaux financeurs. L'État en fournit la "
        "plus grande part, 3 563 915 €, qu'il répartit entre crédits spécifiques (43,4 % de son apport) et droit commun "
        "(56,6 %). Grand Chambéry mobilise surtout des crédits spécifiques (66,3 % de son apport), auxquels s'ajoutent "
        "ses fonds de concours. La ville de Chambéry apporte 1 242 927 €."
    )


def test_funders_nd_and_other_branches():
    none = financing_text.funders(2019, ND, {f: ND for f in TOTALS_2018}, {})
    assert none.startswith("L'édition 2019 ne publie pas le tableau des financements par financeur (ND)")
    assert "0 €" not in none and "plus grande part" not in none
    partly = financing_text.funders(2019, ND, {**TOTALS_2018, "ville_chambery": ND}, SHARES_2018)
    assert "ne détaille que l'apport de l'État et Grand Chambéry" in partly
    assert "celui de la ville de Chambéry n'est pas publié (ND)" in partly and "plus grande part" not in partly
    gc_first = financing_text.funders(2020, 9e6, {**TOTALS_2018, "grand_chambery": 4e6}, SHARES_2018)
    assert "Grand Chambéry en fournit la plus grande part, 4 000 000 €." in gc_first
    assert "L'État répartit son apport, 3 563 915 €, entre crédits spécifiques (43,4 %)" in gc_first
    low = {**SHARES_2018, ("grand_chambery", "credits_specifiques"): 40.0, ("grand_chambery", "fonds_de_concours"): ND}
    text = financing_text.funders(2020, 7937966.0, TOTALS_2018, low)
    assert "Grand Chambéry consacre 40,0 % de son apport aux crédits spécifiques." in text and "surtout" not in text
    tie = financing_text.funders(2020, 9e6, {"etat": 4e6, "grand_chambery": 4e6, "ville_chambery": 1e6}, SHARES_2018)
    assert "L'État et Grand Chambéry en fournissent chacun la plus grande part" in tie


def test_totals_check_verdict_only_between_published_values():
    assert financing_text.totals_check(2018, {"etat": 0, "grand_chambery": 0, "ville_chambery": 0}) == (
        "Les totaux par financeur imprimés par le rapport sont retrouvés exactement en additionnant les lignes du "
        "tableau, les cases vides comptant pour zéro."
    )
    none = financing_text.totals_check(2019, {"etat": ND, "grand_chambery": ND, "ville_chambery": ND})
    assert none.startswith("Les totaux par financeur ne peuvent pas être comparés") and "retrouvés" not in none
    off = financing_text.totals_check(2020, {"etat": 10, "grand_chambery": 0, "ville_chambery": ND})
    assert "ne sont pas tous retrouvés" in off and "celui de l'État s'en écarte" in off
    assert "pour la ville de Chambéry, l'édition 2020 ne publie pas de quoi comparer (ND)" in off
    found = financing_text.totals_check(2020, {"etat": 0, "grand_chambery": ND, "ville_chambery": 0})
    assert "retrouvés exactement pour l'État et la ville de Chambéry" in found
    assert "ceux de l'État et Grand Chambéry s'en écartent" in financing_text.totals_check(
        2020, {"etat": 1, "grand_chambery": -1, "ville_chambery": 0}
    )


PUBLISHED = {"etat": 36.0, "grand_chambery": 32.0, "ville_chambery": 12.0}
OF_ENGAGED = {"etat": 32.999, "grand_chambery": 28.992, "ville_chambery": 11.509}
OF_THREE = {"etat": 44.897, "grand_chambery": 39.445, "ville_chambery": 15.658}


def test_shares_as_in_2018():
    assert financing_text.shares(2018, "10,8 millions d'euros", PUBLISHED, OF_ENGAGED, OF_THREE) == (
        "Le rapport annonce 10,8 millions d'euros engagés au total et attribue 36 % de ce montant à l'État, 32 % à "
        "Grand Chambéry et 12 % à la ville de Chambéry. Rapportés à ce même total, les montants de son tableau donnent "
        "33,0 %, 29,0 % et 11,5 % : les parts publiées ne se retrouvent pas. Elles ne correspondent pas non plus aux "
        "parts dans le total des trois financeurs (44,9 %, 39,4 %, 15,7 %)."
    )


def test_shares_nd_and_matching_branches():
    nothing = {f: ND for f in PUBLISHED}
    none = financing_text.shares(2019, "ND", nothing, nothing, nothing)
    assert none == (
        "L'édition 2019 ne publie ni le montant total engagé, ni les parts attribuées aux financeurs (ND) : aucune part "
        "publiée ne peut être rapprochée du tableau."
    )
    no_table = financing_text.shares(2019, "10,8 millions d'euros", PUBLISHED, nothing, nothing)
    assert "les parts ne peuvent pas être recalculées" in no_table and "ne se retrouvent pas" not in no_table
    no_total = financing_text.shares(2019, "ND", PUBLISHED, nothing, nothing)
    assert "ne publie pas le montant total engagé (ND) : ces parts ne peuvent pas être rapprochées" in no_total
    assert "attribue 36 % à l'État, 32 % à Grand Chambéry et 12 % à la ville de Chambéry des financements" in no_total
    partly = financing_text.shares(
        2019, "10,8 millions d'euros", {**PUBLISHED, "ville_chambery": ND}, OF_ENGAGED, OF_THREE
    )
    assert "(La ville de Chambéry : part non publiée, ND)" in partly
    found = financing_text.shares(
        2020,
        "10,8 millions d'euros",
        PUBLISHED,
        {"etat": 36.2, "grand_chambery": 31.7, "ville_chambery": 12.4},
        OF_THREE,
    )
    assert "les parts publiées se retrouvent, à l'arrondi près." in found
    assert "Elles ne correspondent pas aux parts dans le total des trois financeurs" in found
    three = financing_text.shares(
        2020,
        "10,8 millions d'euros",
        PUBLISHED,
        OF_ENGAGED,
        {"etat": 36.0, "grand_chambery": 32.0, "ville_chambery": 12.0},
    )
    assert "Elles correspondent en revanche aux parts dans le total des trois financeurs" in three
    unpublished_shares = financing_text.shares(2020, "10,8 millions d'euros", nothing, OF_ENGAGED, OF_THREE)
    assert "sans publier de part par financeur (ND)" in unpublished_shares
    assert financing_text.shares_agree(PUBLISHED, OF_ENGAGED) is False
    assert financing_text.shares_agree(nothing, OF_ENGAGED) is None


def test_coverage_and_specific_credits():
    assert financing_text.coverage(2018, 73.5, 2862034.0, 9.0, True) == (
        "Le tableau ne détaille que 73,5 % des montants annoncés ; le reste (2 862 034 €) n'est ventilé nulle part. La "
        "part de 9 % attribuée aux « autres communes des quartiers en veille » ne dit pas si ces communes financent ou "
        "reçoivent ces crédits. Le chapitre « Contrôle » de l'étude examine ces écarts en détail ; ils sont seulement "
        "signalés ici."
    )
    none = financing_text.coverage(2019, ND, ND, ND, False)
    assert none == (
        "La part des montants annoncés que détaille le tableau ne peut pas être calculée : l'édition 2019 ne publie pas "
        "l'un des deux montants (ND). L'édition 2019 ne publie pas de part pour les « autres communes des quartiers en "
        "veille » (ND)."
    )
    assert financing_text.coverage(2020, 100.0, 0.0, ND, False).startswith("Le tableau détaille la totalité")
    assert "davantage que les montants annoncés (110,0 %, soit 100 € de plus)" in financing_text.coverage(
        2020, 110.0, -100.0, ND, True
    )
    assert financing_text.specific_credits(2018, 4341174.0, 4265462.0, 91.0) == (
        "Additionnées, les lignes « crédits spécifiques » du tableau atteignent 4 341 174 €, alors que le texte du "
        "rapport annonce 4 265 462 € de crédits spécifiques sur la période, soit un écart de 75 712 €. Le rapport "
        "indique aussi que 91 % de ces crédits vont au pilier de la cohésion sociale, mais les graphiques par pilier et "
        "par thème qui l'établissaient ont été perdus lors de la conversion du rapport : ce chiffre ne peut pas être "
        "vérifié."
    )
    assert financing_text.specific_credits(2019, ND, ND, ND) == (
        "L'édition 2019 ne publie ni les lignes « crédits spécifiques » du tableau, ni leur total dans le texte (ND). "
        "L'édition 2019 ne publie pas la part de ces crédits qui va au pilier de la cohésion sociale (ND)."
    )
    assert "le montant que le texte du rapport annonce" in financing_text.specific_credits(2020, 5.0, 5.0, ND)
    assert "ne publie pas de total de ces crédits dans le texte (ND)" in financing_text.specific_credits(
        2020, 5.0, ND, ND
    )
    assert "; le texte du rapport annonce 5 €" in financing_text.specific_credits(2020, ND, 5.0, ND)
    assert financing_text.table_note(2019, True).startswith("ND : l'édition 2019 ne publie pas ce tableau")
    assert financing_text.table_note(2018, False).startswith("ND : case vide dans le rapport")


def test_controle_home_says_when_no_claim_of_the_edition_is_checked():
    assert controle_text.home_card(2018, 99, 12) == (
        "12 sur 99 :",  # no-break space read as a plain one (conftest.Plain)
        "chiffres publiés contrôlés que les données du rapport contredisent",
    )
    assert controle_text.home_card(2019, 0, 0) == (
        "Aucun",
        "chiffre publié de l'édition 2019 n'est contrôlé : aucun n'est transcrit pour le contrôle",
    )
    assert controle_text.home_sentence(2018, 99, 12) == (
        "Chiffres du rapport que ses propres tableaux contredisent : 12 sur 99 contrôlés ; les autres sont vérifiés, "
        "seulement compatibles, non comparables ou non recalculables"
    )
    assert controle_text.home_sentence(2020, 3, 3).endswith("3 sur 3 contrôlés")
    assert "0 sur 0" not in controle_text.home_sentence(2019, 0, 0)
    assert controle_text.home_sentence(2019, 0, 0).startswith("Aucun chiffre publié de l'édition 2019 n'est contrôlé")
    counts = "12 contredits et 87 vérifiés"
    assert controle_text.chapter_summary(2018, 99, 12, counts) == (
        "Le texte du rapport contient 99 chiffres vérifiables, répartis dans 12 de ses chapitres. Chacun reçoit un "
        "seul statut, choisi pour ne jamais flatter le rapport : 12 contredits et 87 vérifiés."
    )
    assert "contient 1 chiffre vérifiable. Chacun" in controle_text.chapter_summary(2020, 1, 1, "1 vérifié")
    assert "tous dans un même chapitre" in controle_text.chapter_summary(2020, 2, 1, "2 vérifiés")
    assert "0 chiffres" not in controle_text.chapter_summary(2019, 0, 0, "")
    assert controle_text.reviewers_sentence(2018, 99, counts) == (
        "recalcule les 99 chiffres vérifiables du texte du rapport et donne à chacun un seul statut, avec son calcul "
        "et sa raison : 12 contredits et 87 vérifiés."
    )
    assert controle_text.reviewers_sentence(2019, 0, "").startswith("ne contrôle aucun chiffre de l'édition 2019")


def test_text_total_cell():
    assert financing_text.text_total_cell("droit_commun", ND) == "—"
    assert financing_text.text_total_cell("credits_specifiques", ND) == "ND"
    assert financing_text.text_total_cell("credits_specifiques", 75712.0) == "75 712 €"


def test_intro_note_branches():
    assert financing_text.intro_note(2018, True, False) == (
        "Les totaux sont recalculés à partir du tableau. Le rapport publie aussi des parts par financeur qui ne se "
        "déduisent pas de ce tableau : elles sont présentées à côté des parts recalculées, sans être corrigées."
    )
    assert financing_text.intro_note(2019, False, None) == (
        "L'édition 2019 ne publie pas le tableau des financeurs (ND) : aucun total n'est recalculé. Les parts par "
        "financeur ne peuvent pas être rapprochées du tableau dans cette édition (ND)."
    )
    assert "qui se retrouvent à partir de ce tableau" in financing_text.intro_note(2020, True, True)


def test_no_chart_says_what_the_edition_does_not_publish():
    from contrat_ville.presentation import unpublished

    assert unpublished.no_chart(2019, "les montants des trois financeurs") == (
        "L'édition 2019 ne publie pas les montants des trois financeurs (ND) : pas de graphique."
    )
