"""French sentences of the Emploi chapter whose truth depends on the edition's data.

Every builder takes computed values (numbers, missing as None/NA) and returns the sentence of
each branch: known, not published by the edition (ND), partly published; up, down or equal;
one or several. A value the edition does not publish is said so, never printed as a number,
summed as zero or compared."""

from __future__ import annotations

from collections.abc import Sequence

from contrat_ville.presentation import fmt, sentences
from contrat_ville.presentation.unpublished import MISSING, capitalised, card, known, neither, not_published  # noqa: F401 (card)

NUMBER_WORDS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq"}
EXIT_WAYS = "vers l'emploi durable, une formation qualifiante ou une création d'entreprise"
IN_QUARTIER = "un quartier de la politique de la ville"


def _word(n: int) -> str:
    return NUMBER_WORDS.get(n, fmt.number(n))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def against(value: object, where: str, decimals: int = 1) -> str:
    """`, contre 179,4 à Chambéry`, or ` (non publié à Chambéry : ND)` when the reference is missing."""
    if sentences.missing(value):
        return f" (non publié {where} : {MISSING})"
    return f", contre {fmt.number(value, decimals)} {where}"


def plie_exits(year: int, when: str, exits: object, rate: object, exits_quartiers: object, share: object) -> str:
    """The PLIE's positive exits of the year (`when`: the figure's own period, `en 2018`), their
    share of the year's participants (`rate`, %) and those of residents of a quartier (`share` of
    the exits, %)."""
    if sentences.missing(exits):
        if sentences.missing(exits_quartiers):
            return (
                neither(
                    year,
                    [
                        f"le nombre de participants sortis du dispositif {EXIT_WAYS}",
                        f"le nombre de ceux qui habitent {IN_QUARTIER}",
                    ],
                )
                + "."
            )
        residents = sentences.count(exits_quartiers, "participant habitant", "participants habitant")
        verb = "en est sorti" if float(exits_quartiers) < 2 else "en sont sortis"
        return (
            not_published(year, f"le nombre de participants sortis du dispositif {EXIT_WAYS}")
            + f" ; {residents} {IN_QUARTIER} {verb} {when}, le seul nombre dont le rapport détaille le type de sortie."
        )
    if float(exits) == 0:
        head = f"{capitalised(when)}, aucun participant n'est sorti du dispositif {EXIT_WAYS}"
    else:
        verb = "est sorti" if float(exits) < 2 else "sont sortis"
        who = sentences.count(exits, "participant", "participants")
        head = f"{capitalised(when)}, {who} {verb} du dispositif {EXIT_WAYS}"
    if sentences.missing(rate):
        head += f" ; le nombre de participants de l'année n'étant pas publié ({MISSING}), leur part ne peut pas être calculée."
    else:
        head += f", soit {fmt.percent(rate)} des participants de l'année."
    if sentences.missing(exits_quartiers):
        return head + f" L'édition {int(year)} ne publie pas combien d'entre eux habitent {IN_QUARTIER} ({MISSING})."
    if float(exits_quartiers) == 0:
        return head + f" Aucun d'eux n'habite {IN_QUARTIER}."
    live = "habite" if float(exits_quartiers) < 2 else "habitent"
    return (
        head + f" Parmi eux, {fmt.number(exits_quartiers)} {live} {IN_QUARTIER} ({fmt.percent(share)} des sorties "
        "positives) ; le rapport ne détaille le type de sortie que pour ces derniers."
    )


def exit_types_note(year: int, published: object, computed: object, n_missing: int, n_parts: int, check: str) -> str:
    """The note under the exits table: the published total against the sum of the detailed exit
    types (`check`: display.check_line's text) only when every part and the total are published."""
    if n_missing == n_parts:
        return not_published(year, "le détail des sorties positives par type de sortie") + "."
    if n_missing:
        return (
            f"Types de sortie détaillés : {fmt.number(n_missing)} sur {fmt.number(n_parts)} non publiés dans "
            f"l'édition {int(year)} ({MISSING}) ; leur total n'est pas recalculé."
        )
    if sentences.missing(published):
        return (
            f"Types de sortie détaillés : total recalculé {fmt.number(computed)} ; l'édition {int(year)} ne publie pas "
            f"le nombre de sorties auquel le comparer ({MISSING})."
        )
    return check + " : le détail ne porte que sur les habitants des quartiers."


def clauses_hours(
    year: int,
    when: str,
    hours: object,
    hours_text: str,
    people_text: str,
    fte: object,
    implied: object,
    basis: str,
    statutory_hours: int,
    statutory_fte: object,
) -> tuple[str, str]:
    """The social clauses' hours and their full-time equivalents, as the text before and after the
    glossary term « équivalents temps plein » that the Markdown cell keeps between them."""
    people = people_text if people_text != MISSING else f"un nombre de salariés non publié ({MISSING})"
    statutory = (
        f" Avec la durée légale annuelle du travail ({fmt.number(statutory_hours)} heures), le même volume d'heures "
        f"représenterait {fmt.number(statutory_fte, 1)} ETP."
    )
    if known(hours, fte):
        before = f"{capitalised(when)}, {hours_text} ont ainsi été réalisées par {people}. Le rapport les convertit en {fmt.number(fte, 1)}"
        after = (
            f"sans dire sur quelle base. Rapportées à ces ETP, ces heures donnent {fmt.number(implied)} heures par ETP "
            f"{basis} ; le rapport ne l'écrit pas." + statutory
        )
        return before, after
    if known(hours):
        before = f"{capitalised(when)}, {hours_text} ont ainsi été réalisées par {people}. Le rapport ne les convertit pas en"
        after = (
            f"(l'édition {int(year)} n'en publie pas le nombre : {MISSING}) ; aucun nombre d'heures par ETP ne peut en être déduit."
            + statutory
        )
        return before, after
    if known(fte):
        before = (
            not_published(year, "le nombre d'heures d'insertion réalisées grâce aux clauses sociales")
            + f" ; elle en donne l'équivalent, {fmt.number(fte, 1)}"
        )
        return before, "sans dire sur quelle base : sans le nombre d'heures, cette base ne peut pas être calculée."
    if people_text == MISSING:
        before = (
            f"L'édition {int(year)} ne publie ni le nombre d'heures d'insertion réalisées grâce aux clauses sociales, "
            "ni le nombre de salariés concernés, ni leur conversion en"
        )
    else:
        before = (
            f"{capitalised(when)}, les clauses sociales ont bénéficié à {people_text}, mais l'édition {int(year)} ne "
            "publie ni le nombre d'heures d'insertion réalisées, ni leur conversion en"
        )
    return before, f"({MISSING}) : aucun nombre d'heures par ETP ne peut en être déduit."


def clauses_residents(year: int, share: object, residents: object) -> str:
    """The share of the clauses' employees living in a quartier and the headcount it stands for."""
    if sentences.missing(share):
        return not_published(year, f"la part de ces salariés qui habitent {IN_QUARTIER}") + "."
    head = f"Parmi ces salariés, {fmt.percent(share)} habitent {IN_QUARTIER}"
    if sentences.missing(residents):
        return head + f" ; le nombre de salariés n'étant pas publié ({MISSING}), leur effectif ne peut pas être estimé."
    return head + f", soit environ {fmt.number(residents)} {sentences.plural(residents, 'personne', 'personnes')}."


def clauses_split_note(year: int, total_pct: object, n_missing: int, n_parts: int, people: object) -> str:
    """The note under the table of where the clauses' employees live: the detailed shares' total
    only when every share is published (never a sum of the published ones as the total)."""
    if n_missing == n_parts:
        return not_published(year, "la répartition des salariés habitant un quartier") + " : ni parts ni effectifs."
    if n_missing:
        head = (
            f"{fmt.number(n_missing)} des {_word(n_parts)} parts détaillées ne sont pas publiées dans l'édition "
            f"{int(year)} ({MISSING}) : leur total n'est pas calculé."
        )
    else:
        head = f"Les {_word(n_parts)} parts détaillées totalisent {fmt.percent(total_pct)} des salariés habitant un quartier."
    if sentences.missing(people):
        return head + f" Effectifs : non estimés, le nombre de salariés n'étant pas publié ({MISSING})."
    return (
        head + f" Effectifs : part publiée appliquée à {fmt.number(people)} salariés, puis à l'effectif ainsi obtenu ; "
        "ce sont des ordres de grandeur, les parts étant arrondies."
    )


def density(
    year: int,
    qpv: object,
    city: object,
    agglomeration: object,
    ratio_to_city: object,
    new_qpv: object,
    new_city: object,
    remark: str = "",
) -> str:
    """Active establishments and yearly new registrations per 1,000 inhabitants in the QPV against
    the city (and the agglomeration): a comparison only between published values.
    `ratio_to_city`: QPV / city; `remark` follows a lower creation rate (`, même si …`)."""
    if sentences.missing(qpv):
        first = not_published(
            year, "de quoi calculer le nombre d'établissements actifs pour mille habitants des quartiers prioritaires"
        )
        first += "."
        direction = None
    else:
        first = f"Les quartiers prioritaires comptent {fmt.number(qpv, 1)} établissements actifs pour mille habitants"
        direction = sentences.compare(qpv, city, "lower", "higher", "equal")
        if sentences.missing(city) and sentences.missing(agglomeration):
            first += (
                f" ; l'édition {int(year)} ne publie pas de quoi le calculer pour Chambéry ni pour l'agglomération "
                f"({MISSING})."
            )
        else:
            if sentences.missing(city):
                first += f", contre {fmt.number(agglomeration, 1)} dans l'agglomération (Chambéry : {MISSING})."
            elif sentences.missing(agglomeration):
                first += f", contre {fmt.number(city, 1)} à Chambéry (agglomération : {MISSING})"
            else:
                first += (
                    f", contre {fmt.number(city, 1)} à Chambéry et {fmt.number(agglomeration, 1)} dans l'agglomération"
                )
            if direction == "lower":
                first += f" : environ {fmt.number(1 / float(ratio_to_city), 1)} fois moins que la ville."
            elif direction == "higher":
                first += f" : environ {fmt.number(ratio_to_city, 1)} fois plus que la ville."
            elif direction == "equal":
                first += " : autant que la ville."
    if sentences.missing(new_qpv):
        second = (
            not_published(year, "les créations annuelles d'établissements de tous les quartiers prioritaires")
            + " : leur fréquence ne peut pas être comparée à celle de Chambéry."
        )
        return f"{first} {second}"
    figures = f"{fmt.number(new_qpv, 1)} nouvelles inscriptions par an pour mille habitants"
    if sentences.missing(new_city):
        second = f"Les quartiers prioritaires comptent {figures} ; l'édition {int(year)} ne publie pas celles de Chambéry ({MISSING})."
        return f"{first} {second}"
    new_direction = sentences.compare(new_qpv, new_city, "lower", "higher", "equal")
    figures += f", contre {fmt.number(new_city, 1)} à Chambéry"
    if new_direction == "equal":
        second = f"Les créations, rapportées à la population, sont aussi fréquentes qu'à Chambéry ({figures})."
    else:
        word = "moins" if new_direction == "lower" else "plus"
        link = (
            "elles aussi " if direction == new_direction else "en revanche " if direction in ("lower", "higher") else ""
        )
        second = f"Les créations sont {link}{word} fréquentes rapportées à la population ({figures})"
        second += (remark if new_direction == "lower" else "") + "."
    return f"{first} {second}"


def creation_values(
    year: int, table_value: object, table_periods: Sequence[str], text_values: Sequence[tuple[object, str]]
) -> str:
    """The report's figures of yearly new establishments in the QPV: the table's (sum of the two
    quartiers, yearly average over `table_periods`) and the text's (value, rendered text); which
    the study keeps. Values are told `différentes` only when they differ; ND ones are left out."""
    texts = [text for value, text in text_values if not sentences.missing(value)]
    values = [float(v) for v, _ in text_values if not sentences.missing(v)]
    spans = list(dict.fromkeys(table_periods))
    average = ("moyenne " if len(spans) <= 1 else "moyennes ") + sentences.join(spans)
    if sentences.missing(table_value):
        if not texts:
            return (
                not_published(year, "les créations annuelles d'établissements en QPV")
                + ", ni dans un tableau ni dans le texte."
            )
        return (
            not_published(year, "les créations annuelles d'établissements en QPV dans son tableau")
            + f" ; son texte en donne {sentences.join(texts)}. Aucune valeur détaillée n'est disponible pour les calculs."
        )
    table = f"{fmt.number(table_value)} par an d'après le tableau (somme des deux quartiers, {average})"
    if not texts:
        return (
            f"Le rapport donne {table} pour les créations annuelles en QPV ; l'édition {int(year)} n'en publie pas "
            f"d'autre valeur dans le texte ({MISSING}). Le tableau est retenu pour les calculs."
        )
    n = 1 + len(texts)
    distinct = len({float(table_value), *values})
    if distinct == 1:
        return (
            f"Le tableau et le texte du rapport donnent la même valeur pour les créations annuelles en QPV : {table}. "
            "Le tableau, seule source détaillée, est retenu pour les calculs."
        )
    which = "différentes" if distinct == n else f"dont {_word(distinct)} différentes"
    return (
        f"Le rapport donne {_word(n)} valeurs {which} pour les créations annuelles en QPV : {table}, mais "
        f"{sentences.join(texts)} dans le texte. Le tableau, seule source détaillée, est retenu pour les calculs."
    )


def density_note(year: int, periods: Sequence[str]) -> str:
    """The note under the establishments table: the period of the new registrations shown, from
    their rows (`2015-2018`; several when territories differ; none when none is published)."""
    spans = list(dict.fromkeys(periods))
    if not spans:
        head = f"Nouvelles inscriptions : non publiées dans l'édition {int(year)} ({MISSING})"
    elif len(spans) == 1:
        head = f"Nouvelles inscriptions : moyenne annuelle {spans[0]} du répertoire SIRENE"
    else:
        head = f"Nouvelles inscriptions : moyenne annuelle du répertoire SIRENE sur {sentences.join(spans, 'ou')} selon le territoire"
    return head + " ; population : carte d'identité des quartiers."


def fte_basis(implied: object, full_year: int, statutory: int) -> str:
    """Which working year the hours per FTE implied by the report match (the report never says)."""
    if sentences.missing(implied):
        return "(calcul de l'étude, le rapport ne publiant pas l'un des deux chiffres)"
    if round(float(implied)) == full_year:
        return "(calcul de l'étude : une année complète à temps plein, congés compris)"
    if round(float(implied)) == statutory:
        return "(calcul de l'étude : la durée légale annuelle du travail)"
    return "(calcul de l'étude : ni une année complète à temps plein ni la durée légale annuelle)"


def fte_table_title(year: int, hours: object) -> str:
    """Title of the hours / FTE table: the hours when published."""
    if sentences.missing(hours):
        return f"Clauses sociales {int(year)} : heures et équivalents temps plein (non publiés : {MISSING})"
    return f"Clauses sociales {int(year)} : {fmt.number(hours)} heures converties en équivalents temps plein"


def citeslab(year: int, aware: str, holders: str, share: str, periods_note: str) -> str:
    """The CitésLab's record (rendered figures, `ND` when not published): people made aware,
    project holders advised and the share of them living in a quartier; `periods_note` (the
    report's two periods) follows only when both counts are published."""
    parts, lacking = [], []
    if aware != MISSING:
        parts.append(f"{aware} sensibilisées")
    else:
        lacking.append("le nombre de personnes sensibilisées")
    if holders != MISSING:
        advised = f"{holders} conseillés individuellement"
        if share != MISSING:
            advised += f", dont {share} habitant {IN_QUARTIER}"
        else:
            advised += f" (part d'habitants des quartiers non publiée : {MISSING})"
        parts.append(advised)
    else:
        lacking.append("le nombre de porteurs de projet conseillés")
    if not parts:
        return "Sur le bilan du CitésLab, " + _lower_first(neither(year, lacking)) + "."
    text = f"Le rapport lui attribue {sentences.join(parts)}"
    if lacking:
        return text + f" ; l'édition {int(year)} ne publie pas {sentences.join(lacking)} ({MISSING})."
    return f"{text}. {periods_note}"


def residents_panel_title(people: object) -> str:
    """The first panel of the clauses' chart: the headcount when published."""
    if sentences.missing(people):
        return f"Part des salariés habitant un quartier (effectif non publié : {MISSING})"
    return f"Part des {fmt.number(people)} salariés habitant un quartier"
