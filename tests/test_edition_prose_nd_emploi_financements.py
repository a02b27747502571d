"""ND never read as a number on the Emploi, Financements, Contrôle and home pages of the built
books: the 2019 book (SYNTHETIC drop, tests/fixtures/synthetic_2019) says what its edition does
not publish; the 2018 book keeps its sentences and values."""

import re

import pytest

from conftest import page_prose

pytestmark = pytest.mark.slow


text_of = page_prose


def test_2019_emploi_says_what_the_edition_does_not_publish(built_2019):
    page = text_of(built_2019["site"], "chapters/emploi.html")
    for false in (
        "ND participants",
        "soit ND des participants",
        "recalculé 0",
        "ND heures par ETP",
        "totalisent 0,0 %",
        "appliquée à ND salariés",
        "contre ND à Chambéry",
        "ND fois moins",
        "trois valeurs différentes",
        "moyenne 2015-2019",
        "moyenne annuelle 2015-2018",
        "Le rapport lui attribue ND",
        "environ ND",
    ):
        assert false not in page, false
    assert (
        "L'édition 2019 ne publie ni le nombre de participants sortis du dispositif vers l'emploi durable, une "
        "formation qualifiante ou une création d'entreprise, ni le nombre de ceux qui habitent un quartier de la "
        "politique de la ville (ND)." in page
    )
    assert "L'édition 2019 ne publie pas le détail des sorties positives par type de sortie (ND)." in page
    assert "ni leur conversion en équivalents temps plein (ND) : aucun nombre d'heures par ETP" in page
    assert "L'édition 2019 ne publie pas la répartition des salariés habitant un quartier (ND)" in page
    assert (
        "Les quartiers prioritaires comptent 71,3 établissements actifs pour mille habitants ; l'édition 2019 ne "
        "publie pas de quoi le calculer pour Chambéry ni pour l'agglomération (ND)." in page
    )
    assert "L'édition 2019 ne publie pas les créations annuelles d'établissements en QPV (ND)" in page
    assert "Nouvelles inscriptions : non publiées dans l'édition 2019 (ND)" in page
    assert "Sur le bilan du CitésLab, l'édition 2019 ne publie ni" in page


def test_2019_financements_never_sums_nd_nor_compares_it(built_2019):
    page = text_of(built_2019["site"], "chapters/financements.html")
    for false in ("détaille 0 €", "plus grande part", "ne se retrouvent pas", "ne détaille que ND", "écart de ND"):
        assert false not in page, false
    assert not re.search(r"(?<![\d ])0 €", page)  # an ND total summed as zero
    assert "L'édition 2019 ne publie pas le tableau des financements par financeur (ND)" in page
    assert "L'édition 2019 ne publie ni le montant total engagé, ni les parts attribuées aux financeurs (ND)" in page
    assert "Apport de l'État : pas de valeur publiée dans l'édition 2019" in page
    # no chart of empty bars: each chart whose every amount is unpublished is replaced by a sentence
    raw_page = (built_2019["site"] / "chapters/financements.html").read_text(encoding="utf-8")
    # (the page shows the notebook's code, whose alt text template names the chart: read the images only)
    assert not re.search(r'<img[^>]*alt="Diagramme en barres', raw_page)
    assert "L'édition 2019 ne publie pas les montants par financeur et type de crédits (ND) : pas de graphique." in page
    assert "L'édition 2019 ne publie pas les montants des trois financeurs (ND) : pas de graphique." in page


def test_2019_home_and_controle_say_no_claim_of_the_edition_is_checked(built_2019):
    home = text_of(built_2019["site"], "index.html")
    assert "0 sur 0" not in home
    assert "Aucun chiffre publié de l'édition 2019 n'est contrôlé : aucun n'est transcrit pour le contrôle" in home
    assert "Aucun chiffre publié de l'édition 2019 n'est contrôlé : aucun chiffre de son texte n'est transcrit" in home
    controle = text_of(built_2019["site"], "chapters/controle.html")
    assert "0 chiffres vérifiables" not in controle
    assert "Le texte du rapport de l'édition 2019 n'a aucun chiffre transcrit pour le contrôle" in controle
    reviewers = text_of(built_2019["site"], "relecteurs.html")
    assert "recalcule les 0" not in reviewers and "ne contrôle aucun chiffre de l'édition 2019" in reviewers


def test_2018_emploi_financements_and_home_keep_their_sentences(built):
    emploi = text_of(built["site"], "chapters/emploi.html")
    assert (
        "En 2018, 58 participants sont sortis du dispositif vers l'emploi durable, une formation qualifiante ou une "
        "création d'entreprise, soit 17,6 % des participants de l'année. Parmi eux, 35 habitent un quartier" in emploi
    )
    assert "Types de sortie détaillés : publié 35, recalculé 35 (identiques)" in emploi
    assert "Le rapport les convertit en 49,8 équivalents temps plein sans dire sur quelle base" in emploi
    assert "Les trois parts détaillées totalisent 100,0 % des salariés habitant un quartier" in emploi
    assert "contre 184,2 à Chambéry et 169,2 dans l'agglomération : environ 2,6 fois moins que la ville" in emploi
    assert (
        "Le rapport donne trois valeurs différentes pour les créations annuelles en QPV : 84 par an d'après le "
        "tableau (somme des deux quartiers, moyenne 2015-2018), mais 83 établissements par an et 88 établissements "
        "par an (depuis 2014) dans le texte." in emploi
    )
    assert "Nouvelles inscriptions : moyenne annuelle 2015-2018 du répertoire SIRENE" in emploi
    assert "Le rapport lui attribue 810 personnes sensibilisées et 195 porteurs conseillés individuellement" in emploi
    finance = text_of(built["site"], "chapters/financements.html")
    assert "Le tableau du rapport détaille 7 937 966 € apportés par les trois principaux financeurs" in finance
    assert "L'État en fournit la plus grande part, 3 563 915 €" in finance
    assert "33,0 %, 29,0 % et 11,5 % : les parts publiées ne se retrouvent pas" in finance
    assert "Le tableau ne détaille que 73,5 % des montants annoncés" in finance
    assert "pas de graphique" not in finance
    finance_html = (built["site"] / "chapters/financements.html").read_text(encoding="utf-8")
    assert finance_html.count('alt="Diagramme en barres') == 2  # both charts drawn in 2018
    home = text_of(built["site"], "index.html")
    assert "12 sur 99 : chiffres publiés contrôlés que les données du rapport contredisent" in home
    assert "Chiffres du rapport que ses propres tableaux contredisent : 12 sur 99 contrôlés ; les autres" in home
