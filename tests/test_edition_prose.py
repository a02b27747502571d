"""Edition-aware prose on the built books: each data-dependent sentence takes the branch and
the values of its edition, for the shipped 2018 data and for the SYNTHETIC 2019 drop
(tests/fixtures/synthetic_2019, invented values). Pages are read as a reader sees them:
tags removed, French spaces and apostrophes normalised."""

import re

import pytest

from conftest import page_prose

pytestmark = pytest.mark.slow


text_of = page_prose


# ---- 2018: the shipped data ----


def test_2018_portrait_sentences(built):
    page = text_of(built["site"], "chapters/portrait.html")
    assert "Les deux quartiers prioritaires réunis comptent 9 848 habitants, soit 17 % de la population" in page
    assert "les quartiers prioritaires regroupent davantage de demandeurs d'emploi et de logements sociaux" in page
    assert "Les IRIS de ce « quartier vécu » comptent ensemble 15 857 habitants." in page
    assert "est plus faible dans les quartiers prioritaires que dans la ville et l'agglomération : 70,3" in page
    assert (
        "Le taux de pauvreté dépasse celui de la ville de 23,4 points aux Hauts-de-Chambéry et de 18,7 points" in page
    )
    # change since the previous vintage: no earlier edition, every change column says why
    assert "Carte d'identité : évolution depuis l'édition précédente" in page
    assert "c'est la première édition publiée" in page and "— (aucune édition antérieure)" in page
    assert "ND (aucune édition antérieure)" not in page  # sans objet, not a missing value


def test_2018_tendances_reading_follows_the_kept_model(built):
    page = text_of(built["site"], "chapters/tendances.html")
    assert "Tendances : ce qui a bougé depuis le début du contrat" in page
    assert "Le modèle de Poisson donnerait un intervalle plus étroit, [-12,4 % ; -4,3 %]" in page
    assert "c'est pourquoi la lecture prudente est retenue" in page
    assert "4 points ne permettent pas de distinguer" in page and "quatre points" not in page
    assert "il tombe à la borne zéro sur 4 points" in page  # alpha = 0.0 exactly in the ML fit
    assert "Le rapport annuel 2018 relie la baisse de 2018" in page
    assert "La seule série dont la tendance est estimable ne montre pas d'évolution établie" in page


def test_2018_cadre_de_vie_and_emploi_sentences(built):
    cadre = text_of(built["site"], "chapters/cadre_de_vie.html")
    assert "Entre 2015 et 2018, 24 opérations communales ont reçu un fonds de concours" in cadre
    assert "signé en juillet 2018, engage 120 millions d'euros sur la période 2018-2024" in cadre
    assert "signé en novembre 2018, engage 18 millions d'euros sur la période 2018-2021" in cadre
    assert "les sous-totaux et le total général retrouvent exactement les montants" in cadre
    assert "montant atteint par 4 opérations" in cadre
    emploi = text_of(built["site"], "chapters/emploi.html")
    assert "a réuni 350 participants en 2018 ; le rapport en annonce 1 400 participants de 2015 à 2018" in emploi
    assert "Un forum tenu aux Hauts-de-Chambéry en 2018 a rassemblé 350 demandeurs d'emploi" in emploi
    assert "Pour 2019 et 2020, le rapport annuel 2018 annonce" in emploi


def test_2018_edition_in_title_and_footer(built):
    index = (built["site"] / "index.html").read_text(encoding="utf-8")
    assert "édition 2018" in index and "Édition 2018" in index and "{edition}" not in index


# ---- 2019: the SYNTHETIC drop ----


def test_2019_portrait_shows_change_since_previous_vintage(built_2019):
    page = text_of(built_2019["site"], "chapters/portrait.html")
    assert "comptent ensemble 0 habitants" not in page
    assert (
        "Hauts-de-Chambéry, demandeurs d'emploi (cat. ABC) : 931 en 2019, contre 968 en 2018 (en baisse de 37)." in page
    )
    assert "Biollay-Bellevue, logements sociaux : 1 530 en 2019, contre 1 520 en 2018 (en hausse de 10)." in page
    assert "Hauts-de-Chambéry, logements sociaux : 2 555 en 2019, comme en 2018." in page
    assert "Hauts-de-Chambéry, population municipale : 6 210 en 2016, contre 6 270 en 2015 (en baisse de 60)." in page
    assert "ND (millésime non précisé)" in page  # median income: vintage not stated
    assert "Les deux quartiers prioritaires réunis comptent 9 788 habitants" in page  # 6 210 + 3 578 (SYNTHETIC)
    processed = built_2019["processed"] / "portrait_vintage_changes.csv"
    import pandas as pd

    changes = pd.read_csv(processed, dtype={"territory_id": str}).set_index(["territory_id", "indicator_id"])
    row = changes.loc[("qpv-hauts-de-chambery", "jobseekers_defm_abc")]
    assert (row["previous_year"], row["previous_value"], row["year"], row["value"], row["change"]) == (
        2018,
        968,
        2019,
        931,
        -37,
    )
    assert changes.loc[("qva-ensemble", "jobseekers_defm_abc"), "reason"] == "not_published"


def test_2019_iris_sentence_never_reads_nd_as_zero(built_2019):
    page = text_of(built_2019["site"], "chapters/portrait.html")
    iris = re.search(r"Les IRIS de ce « quartier vécu » ([^.]*)\.", page).group(1)
    assert "0 habitants" not in iris
    assert iris.startswith("comptent ensemble ") or "(ND)" in iris


def test_2019_tendances_reading_follows_the_kept_model(built_2019):
    page = text_of(built_2019["site"], "chapters/tendances.html")
    assert "l'étude retient le modèle Poisson" in page
    assert "Le modèle quasi-Poisson donnerait un intervalle plus large" in page
    assert "la lecture prudente est retenue" not in page
    assert "5 points ne permettent pas de distinguer" in page and "quatre points" not in page
    assert "il tombe à la borne zéro" not in page  # no negative binomial without overdispersion
    assert "La seule série dont la tendance est estimable montre une évolution établie" in page
    assert "Le rapport annuel 2018 relie la baisse de 2018" in page  # dated by its row, not by the edition


def test_2019_event_dates_and_periods_come_from_the_rows(built_2019):
    emploi = text_of(built_2019["site"], "chapters/emploi.html")
    assert "octobre 2019" not in emploi and "en 2019 ; le rapport en annonce" not in emploi
    assert "Pour 2019 et 2020, le rapport annuel 2018 annonce" in emploi  # the 2018 report's outlook
    cadre = text_of(built_2019["site"], "chapters/cadre_de_vie.html")
    assert "signé en juillet 2019" not in cadre
    # the count is of operations with a published amount, over the period of the rows summed
    assert "Aucune opération financée par fonds de concours n'a de montant publié dans cette édition (ND)" in cadre or (
        re.search(r"Entre 2015 et 201[89], \d+ opérations? communales? (a|ont) reçu", cadre)
    )


def test_2019_edition_in_title_and_footer(built_2019):
    index = (built_2019["site"] / "index.html").read_text(encoding="utf-8")
    assert "édition 2019" in index and "Édition 2019" in index
    assert "rapport annuel 2018 du Contrat de Ville (données brutes" not in index


# ---- pages converted by 'editions2': years, prose branches, change since the previous vintage ----


def test_2018_years_and_prose_from_the_data(built):
    site = built["site"]
    index = text_of(site, "index.html")
    assert "pour agir, depuis 2015 et, après sa prorogation, « jusqu'en 2022 »" in index
    assert "de fonds de concours de 2015 à 2018, hors renouvellement urbain" in index
    assert "Le bilan 2018 pilier par pilier" in index and "{edition}" not in index
    perspectives = text_of(site, "chapters/perspectives.html")
    assert "1 sur 4 est mise en œuvre (renouveler l'ingénierie de la politique de la ville)" in perspectives
    assert "2 pistes en partie mises en œuvre à fin 2018" in perspectives and "piste(s)" not in perspectives
    assert "« sera réactualisé » (il est annoncé, pas réalisé)" in perspectives
    veille = text_of(site, "chapters/quartiers_veille.html")
    assert "la liste des actions menées en 2018" in veille
    cohesion = text_of(site, "chapters/cohesion_sociale.html")
    assert "chantiers éducatifs se contredisent" not in cohesion
    assert "deux chiffres de jeunes des chantiers éco-citoyens ne se concilient pas : 135 jeunes" in cohesion
    assert "accueillies par SaVoie de Femme (Département de la Savoie) de 2015 à 2018" in cohesion
    assert "victimes de violences" not in cohesion
    assert (
        "94 enfants en 2 ans dans la synthèse, mais 60 enfants par an dans le chapitre, soit 120 en 2 ans" in cohesion
    )
    numerique = text_of(site, "chapters/numerique.html")
    assert "tantôt près de 1 000 familles et professionnels, tantôt plus de 1 000" in numerique
    assert "un millier" not in numerique
    emploi = text_of(site, "chapters/emploi.html")
    assert "puis a reculé à 330 en 2018" in emploi and "a retenu" not in emploi
    assert "1 820 heures par ETP (calcul de l'étude : une année complète à temps plein, congés compris)" in emploi
    cadre = text_of(site, "chapters/cadre_de_vie.html")
    assert "Ils concordent avec les tableaux" not in cadre
    tableau = text_of(site, "chapters/tableau_de_bord.html")
    assert "C'est la première édition publiée : aucune valeur antérieure à laquelle comparer." in tableau
    fiche = text_of(site, "fiches/fiche-qpv-hauts-de-chambery.html")
    assert "Première édition publiée : aucune valeur antérieure" in fiche


def test_2019_fiche_shows_change_since_previous_vintage_with_both_years(built_2019):
    fiche = text_of(built_2019["site"], "fiches/fiche-qpv-hauts-de-chambery.html")
    assert "Une seule édition disponible" not in fiche
    assert (
        "931 demandeurs d'emploi en 2019, contre 968 demandeurs d'emploi en 2018 (en baisse de 37 demandeurs d'emploi)"
        in fiche
    )
    assert "6 210 habitants en 2016, contre 6 270 habitants en 2015 (en baisse de 60 habitants)" in fiche
    assert "2 555 logements sociaux en 2019, comme en 2018" in fiche
    assert "ND (millésime non précisé)" in fiche  # median income: vintage not stated


def test_2019_scorecard_shows_change_since_previous_vintage(built_2019):
    import pandas as pd

    page = text_of(built_2019["site"], "chapters/tableau_de_bord.html")
    assert re.search(r"Depuis l'édition 2018 : \d+ indicateurs? ", page)
    changes = pd.read_csv(built_2019["processed"] / "scorecard_vintage_changes.csv").set_index("indicator_id")
    plie = changes.loc["plie_participants"]
    assert (plie["previous_year"], plie["previous_value"], plie["year"], plie["value"], plie["status"]) == (
        2018,
        330,
        2019,
        318,
        "down",
    )
    # the earlier value is the 2018 edition's, by design, and the sentence says so; the 2019 edition
    # revises that year's value to 335, and the sentence says that too (issue 12)
    assert plie["previous_year_revised_value"] == 335
    assert re.search(
        r"318[^,]* en 2019, contre 330[^(]* en 2018 dans l'édition 2018 \(en baisse de 12[^)]*\) ; "
        r"chiffre de 2018 révisé à 335[^,]* par l'édition 2019, soit 5[^,;]* de plus",
        page,
    )
    jobseekers = changes.loc["jobseekers_qpv"]
    assert jobseekers["status"] == "down" and pd.isna(jobseekers["previous_year_revised_value"])
    # no revision, no revision clause: the cell ends with its change
    assert re.search(
        r"1 386[^()]* en 2019, contre 1 437[^()]* en 2018 dans l'édition 2018 \(en baisse de 51[^)]*\)(?! ;)", page
    )
    emploi = text_of(built_2019["site"], "chapters/emploi.html")
    assert "puis a reculé à 318 en 2019" in emploi
    assert "318 participants accompagnés par le PLIE en 2019 (contre 440 en 2015)" in emploi


# ---- home page source and perspectives' dated statuses ('editions3') ----


def test_2018_home_page_names_the_report_of_its_rows(built):
    index = text_of(built["site"], "index.html")
    assert (
        "Le rapport de l'édition 2018 : Contrat de Ville de Grand Chambéry — Rapport annuel 2018 (version avant mise en "
        "forme graphique du 29 octobre 2019), publié par Grand Chambéry (communauté d'agglomération) ; il n'est pas en "
        "ligne." in index
    )
    assert "Édition : 2018, d'après Contrat de Ville de Grand Chambéry — Rapport annuel 2018" in index
    assert "ne met pas à jour" not in index  # the first edition keeps no earlier value


def test_2019_home_page_names_the_source_of_the_2019_rows(built_2019):
    index = text_of(built_2019["site"], "index.html")
    assert (
        "La source de l'édition 2019 : SYNTHETIC test data (not real figures) (Test suite) ; elle n'est pas en ligne. "
        "Les valeurs que l'édition 2019 ne met pas à jour restent celles de l'édition 2018." in index
    )
    assert "Édition : 2019, d'après SYNTHETIC test data (not real figures)" in index
    assert "Rapport annuel 2018 (version avant mise en forme" not in index


def test_2019_perspectives_keep_the_dated_statuses_of_2018_and_say_so(built_2019):
    page = text_of(built_2019["site"], "chapters/perspectives.html")
    assert "0 piste" not in page and "à fin 2019" not in page
    assert "1 piste mise en œuvre à fin 2018, d'après l'édition 2018" in page
    assert "2 pistes en partie mises en œuvre à fin 2018, d'après l'édition 2018" in page
    assert "1 piste prévue, pas encore réalisée à fin 2018, d'après l'édition 2018" in page
    assert "L'édition 2019 ne publie pas de nouveau bilan des pistes : chacune garde son dernier état publié." in page
    assert "1 sur 4 est mise en œuvre (renouveler l'ingénierie de la politique de la ville)" in page
    assert "Le rapport annuel 2018 fait le point sur leur mise en œuvre." in page
    assert "Les 4 pistes d'amélioration de 2016 et leur état à fin 2018, d'après l'édition 2018" in page
    # the source line cites the report the statuses come from, not the run's year
    assert "d'après le rapport annuel 2018 du Contrat de Ville de Grand Chambéry, l. 806-812" in page
    assert "rapport annuel 2019" not in page.lower()
