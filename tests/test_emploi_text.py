"""Every branch of the Emploi chapter's data-dependent sentences (presentation.emploi_text) and of
the shared ND helpers (presentation.unpublished): published, ND, partly ND; lower, higher, equal;
one or several. Values are those of the 2018 report where the branch is the 2018 one, else
SYNTHETIC (invented to reach the branch)."""

import pandas as pd

from conftest import Plain
from contrat_ville.presentation import emploi_text as _emploi_text
from contrat_ville.presentation import unpublished as _unpublished

emploi_text = Plain(_emploi_text)
unpublished = Plain(_unpublished)

ND = pd.NA


def test_unpublished_helpers():
    assert (
        unpublished.not_published(2019, "le nombre de sorties")
        == "L'édition 2019 ne publie pas le nombre de sorties (ND)"
    )
    assert unpublished.neither(2019, ["A", "B"]) == "L'édition 2019 ne publie ni A, ni B (ND)"
    assert unpublished.neither(2019, ["A"]) == "L'édition 2019 ne publie pas A (ND)"
    assert unpublished.about(112.035) == "environ 112" and unpublished.about(ND) == "ND"
    assert unpublished.card("58 personnes", "sorties positives du PLIE en 2018", 2018, "Sorties") == (
        "58 personnes",
        "sorties positives du PLIE en 2018",
    )
    assert unpublished.card("ND", "d'insertion réalisées", 2019, "Heures d'insertion") == (
        "ND",
        "Heures d'insertion : pas de valeur publiée dans l'édition 2019",
    )
    assert unpublished.known(1, 2) and not unpublished.known(1, ND) and not unpublished.known(None)


def test_plie_exits_published_as_in_2018():
    text = emploi_text.plie_exits(2018, "en 2018", 58, 100 * 58 / 330, 35, 100 * 35 / 58)
    assert text == (
        "En 2018, 58 participants sont sortis du dispositif vers l'emploi durable, une formation qualifiante ou une "
        "création d'entreprise, soit 17,6 % des participants de l'année. Parmi eux, 35 habitent un quartier de la "
        "politique de la ville (60,3 % des sorties positives) ; le rapport ne détaille le type de sortie que pour ces "
        "derniers."
    )


def test_plie_exits_nd_branches():
    both = emploi_text.plie_exits(2019, "en 2019", ND, ND, ND, ND)
    assert both.startswith("L'édition 2019 ne publie ni le nombre de participants sortis du dispositif")
    assert "ND participants" not in both and both.endswith("(ND).")
    only_quartiers = emploi_text.plie_exits(2019, "en 2019", ND, ND, 1, ND)
    assert "ne publie pas le nombre de participants sortis" in only_quartiers
    assert "1 participant habitant un quartier de la politique de la ville en est sorti en 2019" in only_quartiers
    no_rate = emploi_text.plie_exits(2019, "en 2019", 1, ND, ND, ND)
    assert no_rate.startswith("En 2019, 1 participant est sorti du dispositif")
    assert "leur part ne peut pas être calculée" in no_rate
    assert "ne publie pas combien d'entre eux habitent un quartier" in no_rate
    assert "aucun participant n'est sorti" in emploi_text.plie_exits(2019, "en 2019", 0, 0.0, ND, ND)
    one = emploi_text.plie_exits(2019, "en 2019", 40, 10.0, 1, 2.5)
    assert "Parmi eux, 1 habite un quartier" in one
    assert "Aucun d'eux n'habite" in emploi_text.plie_exits(2019, "en 2019", 40, 10.0, 0, 0.0)


def test_exit_types_note_checks_only_published_parts():
    check = "Types de sortie détaillés : publié 35, recalculé 35 (identiques)"
    assert emploi_text.exit_types_note(2018, 35, 35, 0, 4, check) == (
        check + " : le détail ne porte que sur les habitants des quartiers."
    )
    assert emploi_text.exit_types_note(2019, ND, ND, 4, 4, check) == (
        "L'édition 2019 ne publie pas le détail des sorties positives par type de sortie (ND)."
    )
    partly = emploi_text.exit_types_note(2019, 35, ND, 1, 4, check)
    assert partly.startswith("Types de sortie détaillés : 1 sur 4 non publiés") and "publié 35" not in partly
    assert "ne publie pas le nombre de sorties" in emploi_text.exit_types_note(2019, ND, 35, 0, 4, check)


def hours(year, hours, fte, people="231 salariés"):
    hours_text = "ND" if hours is ND else f"{hours} heures"
    implied = ND if pd.isna(hours) or pd.isna(fte) else hours / fte
    basis = emploi_text.fte_basis(implied, 1820, 1607)
    statutory = ND if hours is ND else hours / 1607
    return emploi_text.clauses_hours(
        year, f"en {year}", hours, hours_text, people, fte, implied, basis, 1607, statutory
    )


def test_clauses_hours_published_as_in_2018():
    before, after = hours(2018, 90628, 49.8)
    assert before == "En 2018, 90628 heures ont ainsi été réalisées par 231 salariés. Le rapport les convertit en 49,8"
    assert after == (
        "sans dire sur quelle base. Rapportées à ces ETP, ces heures donnent 1 820 heures par ETP (calcul de l'étude : "
        "une année complète à temps plein, congés compris) ; le rapport ne l'écrit pas. Avec la durée légale annuelle "
        "du travail (1 607 heures), le même volume d'heures représenterait 56,4 ETP."
    )


def test_clauses_hours_nd_branches_keep_the_term_in_place():
    before, after = hours(2019, ND, ND, people="ND")
    assert before.endswith("ni le nombre de salariés concernés, ni leur conversion en") and "ND heures" not in before
    assert after == "(ND) : aucun nombre d'heures par ETP ne peut en être déduit."
    before, after = hours(2019, ND, ND)
    assert before.startswith(
        "En 2019, les clauses sociales ont bénéficié à 231 salariés, mais l'édition 2019 ne publie ni"
    )
    before, after = hours(2019, 1000, ND)
    assert before.endswith("Le rapport ne les convertit pas en") and "aucun nombre d'heures par ETP" in after
    assert "représenterait 0,6 ETP" in after
    before, after = hours(2019, ND, 10.0)
    assert before.endswith(
        "ne publie pas le nombre d'heures d'insertion réalisées grâce aux clauses sociales (ND) ; elle en donne l'équivalent, 10,0"
    )
    assert "cette base ne peut pas être calculée" in after
    assert "par un nombre de salariés non publié (ND)" in hours(2019, 1000, 0.5, people="ND")[0]


def test_fte_basis_and_table_title():
    assert emploi_text.fte_basis(1607.2, 1820, 1607) == "(calcul de l'étude : la durée légale annuelle du travail)"
    assert "ni une année complète" in emploi_text.fte_basis(1700, 1820, 1607)
    assert (
        emploi_text.fte_table_title(2018, 90628)
        == "Clauses sociales 2018 : 90 628 heures converties en équivalents temps plein"
    )
    assert (
        emploi_text.fte_table_title(2019, ND)
        == "Clauses sociales 2019 : heures et équivalents temps plein (non publiés : ND)"
    )


def test_clauses_residents_and_split_note():
    assert emploi_text.clauses_residents(2018, 48.5, 112.035) == (
        "Parmi ces salariés, 48,5 % habitent un quartier de la politique de la ville, soit environ 112 personnes."
    )
    assert "environ 1 personne." in emploi_text.clauses_residents(2019, 50.0, 1.0)
    assert "leur effectif ne peut pas être estimé" in emploi_text.clauses_residents(2019, 48.5, ND)
    assert emploi_text.clauses_residents(2019, ND, ND) == (
        "L'édition 2019 ne publie pas la part de ces salariés qui habitent un quartier de la politique de la ville (ND)."
    )
    assert emploi_text.clauses_split_note(2018, 100.0, 0, 3, 231) == (
        "Les trois parts détaillées totalisent 100,0 % des salariés habitant un quartier. Effectifs : part publiée "
        "appliquée à 231 salariés, puis à l'effectif ainsi obtenu ; ce sont des ordres de grandeur, les parts étant "
        "arrondies."
    )
    none = emploi_text.clauses_split_note(2019, 0.0, 3, 3, ND)
    assert "0,0 %" not in none and none.startswith("L'édition 2019 ne publie pas la répartition")
    partly = emploi_text.clauses_split_note(2019, 71.4, 2, 3, ND)
    assert partly.startswith("2 des trois parts détaillées ne sont pas publiées") and "totalisent" not in partly
    assert partly.endswith("Effectifs : non estimés, le nombre de salariés n'étant pas publié (ND).")


def test_density_as_in_2018_and_its_branches():
    remark = ", même si le rapport souligne leur dynamisme"
    assert emploi_text.density(2018, 70.28, 184.16, 169.2, 70.28 / 184.16, 8.53, 19.03, remark) == (
        "Les quartiers prioritaires comptent 70,3 établissements actifs pour mille habitants, contre 184,2 à Chambéry "
        "et 169,2 dans l'agglomération : environ 2,6 fois moins que la ville. Les créations sont elles aussi moins "
        "fréquentes rapportées à la population (8,5 nouvelles inscriptions par an pour mille habitants, contre 19,0 à "
        "Chambéry), même si le rapport souligne leur dynamisme."
    )
    nd = emploi_text.density(2019, 71.31, ND, ND, ND, ND, ND)
    assert nd == (
        "Les quartiers prioritaires comptent 71,3 établissements actifs pour mille habitants ; l'édition 2019 ne publie "
        "pas de quoi le calculer pour Chambéry ni pour l'agglomération (ND). L'édition 2019 ne publie pas les créations "
        "annuelles d'établissements de tous les quartiers prioritaires (ND) : leur fréquence ne peut pas être comparée "
        "à celle de Chambéry."
    )
    higher = emploi_text.density(2020, 200.0, 100.0, ND, 2.0, 30.0, 10.0, remark)
    assert "contre 100,0 à Chambéry (agglomération : ND) : environ 2,0 fois plus que la ville." in higher
    assert "elles aussi plus fréquentes" in higher and "dynamisme" not in higher
    mixed = emploi_text.density(2020, 50.0, 100.0, 90.0, 0.5, 30.0, 10.0)
    assert "Les créations sont en revanche plus fréquentes" in mixed
    equal = emploi_text.density(2020, 100.0, 100.0, 90.0, 1.0, 10.0, 10.0)
    assert ": autant que la ville." in equal and "aussi fréquentes qu'à Chambéry" in equal
    only_epci = emploi_text.density(2020, 50.0, ND, 90.0, ND, 5.0, ND)
    assert "contre 90,0 dans l'agglomération (Chambéry : ND)." in only_epci and "fois" not in only_epci
    assert "ne publie pas celles de Chambéry (ND)" in only_epci
    assert emploi_text.density(2020, ND, 100.0, 90.0, ND, ND, 10.0).startswith(
        "L'édition 2020 ne publie pas de quoi calculer"
    )


def test_creation_values_are_different_only_when_published_and_different():
    texts = [(83, "83 établissements par an"), (88, "88 établissements par an (depuis 2014)")]
    assert emploi_text.creation_values(2018, 84, ["2015-2018", "2015-2018"], texts) == (
        "Le rapport donne trois valeurs différentes pour les créations annuelles en QPV : 84 par an d'après le tableau "
        "(somme des deux quartiers, moyenne 2015-2018), mais 83 établissements par an et 88 établissements par an "
        "(depuis 2014) dans le texte. Le tableau, seule source détaillée, est retenu pour les calculs."
    )
    none = emploi_text.creation_values(2019, ND, [], [(ND, "ND"), (ND, "ND")])
    assert none == (
        "L'édition 2019 ne publie pas les créations annuelles d'établissements en QPV (ND), ni dans un tableau ni dans "
        "le texte."
    )
    assert "moyennes 2016-2019 et 2015-2018" in emploi_text.creation_values(2019, 84, ["2016-2019", "2015-2018"], texts)
    table_only = emploi_text.creation_values(2019, 86, ["2016-2019"], [(ND, "ND"), (ND, "ND")])
    assert "n'en publie pas d'autre valeur dans le texte (ND)" in table_only and "différentes" not in table_only
    text_only = emploi_text.creation_values(2019, ND, [], [(83, "83 établissements par an"), (ND, "ND")])
    assert "dans son tableau (ND) ; son texte en donne 83 établissements par an." in text_only
    same = emploi_text.creation_values(2019, 83, ["2016-2019"], [(83, "83 établissements par an")])
    assert same.startswith("Le tableau et le texte du rapport donnent la même valeur")
    two_of_three = emploi_text.creation_values(2019, 83, ["2016-2019"], [(83, "83"), (88, "88")])
    assert "trois valeurs dont deux différentes" in two_of_three


def test_density_note_period_from_the_rows():
    assert emploi_text.density_note(2018, ["2015-2018", "2015-2018"]) == (
        "Nouvelles inscriptions : moyenne annuelle 2015-2018 du répertoire SIRENE ; population : carte d'identité des "
        "quartiers."
    )
    assert "sur 2015-2018 ou 2016-2019 selon le territoire" in emploi_text.density_note(
        2019, ["2015-2018", "2016-2019"]
    )
    assert emploi_text.density_note(2019, []).startswith(
        "Nouvelles inscriptions : non publiées dans l'édition 2019 (ND)"
    )


def test_against():
    assert emploi_text.against(184.16, "à Chambéry") == ", contre 184,2 à Chambéry"
    assert emploi_text.against(ND, "à Chambéry") == " (non publié à Chambéry : ND)"


def test_citeslab_branches():
    note = "La période de ce bilan varie."
    assert emploi_text.citeslab(2018, "810 personnes", "195 porteurs", "41 %", note) == (
        "Le rapport lui attribue 810 personnes sensibilisées et 195 porteurs conseillés individuellement, dont 41 % "
        "habitant un quartier de la politique de la ville. La période de ce bilan varie."
    )
    assert emploi_text.citeslab(2019, "ND", "ND", "ND", note) == (
        "Sur le bilan du CitésLab, l'édition 2019 ne publie ni le nombre de personnes sensibilisées, ni le nombre de "
        "porteurs de projet conseillés (ND)."
    )
    partly = emploi_text.citeslab(2019, "ND", "195 porteurs", "ND", note)
    assert partly == (
        "Le rapport lui attribue 195 porteurs conseillés individuellement (part d'habitants des quartiers non publiée : "
        "ND) ; l'édition 2019 ne publie pas le nombre de personnes sensibilisées (ND)."
    )


def test_residents_panel_title():
    assert emploi_text.residents_panel_title(231) == "Part des 231 salariés habitant un quartier"
    assert emploi_text.residents_panel_title(ND) == "Part des salariés habitant un quartier (effectif non publié : ND)"


def test_an_nd_part_makes_the_sum_of_figures_nd():
    """key_figures.sum_figures (the PLIE exit types): ND is never added as zero. SYNTHETIC rows."""
    from contrat_ville.evaluation import key_figures

    columns = ["value", "unit", "qualifier", "period_kind", "period_start", "period_end"]
    parts = pd.DataFrame(
        [(5, "personnes", "exact", "annual", 2019, 2019), (None, "personnes", "exact", "annual", 2019, 2019)],
        columns=columns,
    )
    parts["value"] = parts["value"].astype("Float64")
    assert pd.isna(key_figures.sum_figures(parts)["value"])
    assert key_figures.sum_figures(parts.iloc[:1])["value"] == 5
