"""French sentences of the Financements chapter whose truth depends on the edition's data.

The funders' table, the published total and shares are `current` rows: an edition that does not
restate them has them ND. Each builder says so instead of printing `0 €` (ND summed as zero),
naming a largest share among ND values, or asserting that ND shares do not match."""

from __future__ import annotations

from collections.abc import Mapping

from contrat_ville.presentation import fmt, sentences
from contrat_ville.presentation.unpublished import MISSING, capitalised, known, neither, not_published

# how each funder of the table is named after "à" (dative) and as a subject
FUNDERS = ("etat", "grand_chambery", "ville_chambery")
SUBJECT = {"etat": "l'État", "grand_chambery": "Grand Chambéry", "ville_chambery": "la ville de Chambéry"}
DATIVE = {"etat": "à l'État", "grand_chambery": "à Grand Chambéry", "ville_chambery": "à la ville de Chambéry"}
SHARE_TOLERANCE = 0.5  # a share printed as a whole percent holds for values within half a point


def _names(ids: list[str]) -> str:
    return sentences.join([SUBJECT.get(i, i) for i in ids])


def funders(
    year: int, three_total: object, totals: Mapping[str, object], shares: Mapping[tuple[str, str], object]
) -> str:
    """The funders' amounts: the three funders' total, the largest share (only when every funder's
    total is published), the État's split and Grand Chambéry's specific credits.
    `shares`: (funder, credit type) -> share of the funder's total (%)."""
    given = [f for f in FUNDERS if f in totals and not sentences.missing(totals[f])]
    if not given:
        return (
            not_published(year, "le tableau des financements par financeur")
            + " : ni le montant apporté par chacun des trois principaux financeurs, ni sa répartition entre types de "
            "crédits."
        )
    if len(given) < len(FUNDERS) or sentences.missing(three_total):
        lacking = [f for f in FUNDERS if f not in given]
        amounts = sentences.join([f"{fmt.euros(totals[f])} pour {SUBJECT[f]}" for f in given])
        return (
            f"Dans l'édition {int(year)}, le tableau du rapport ne détaille que l'apport de {_names(given)} "
            f"({amounts}) ; celui de {_names(lacking)} n'est pas publié ({MISSING}) : le total des trois financeurs "
            "n'est pas calculé."
        )
    text = f"Le tableau du rapport détaille {fmt.euros(three_total)} apportés par les trois principaux financeurs."
    top = max(float(totals[f]) for f in FUNDERS)
    largest = [f for f in FUNDERS if float(totals[f]) == top]
    split = (shares.get(("etat", "credits_specifiques")), shares.get(("etat", "droit_commun")))
    etat_split = known(*split)
    if largest == ["etat"]:
        text += f" L'État en fournit la plus grande part, {fmt.euros(totals['etat'])}"
        text += (
            f", qu'il répartit entre crédits spécifiques ({fmt.percent(split[0])} de son apport) et droit commun "
            f"({fmt.percent(split[1])})."
            if etat_split
            else "."
        )
    else:
        if len(largest) == 1:
            text += f" {capitalised(SUBJECT[largest[0]])} en fournit la plus grande part, {fmt.euros(top)}."
        else:
            text += f" {capitalised(_names(largest))} en fournissent chacun la plus grande part, {fmt.euros(top)}."
        if etat_split:
            text += (
                f" L'État répartit son apport, {fmt.euros(totals['etat'])}, entre crédits spécifiques "
                f"({fmt.percent(split[0])}) et droit commun ({fmt.percent(split[1])})."
            )
    gc_specific = shares.get(("grand_chambery", "credits_specifiques"))
    if not sentences.missing(gc_specific):
        if float(gc_specific) > 50:
            text += (
                f" Grand Chambéry mobilise surtout des crédits spécifiques ({fmt.percent(gc_specific)} de son apport)"
            )
        else:
            text += f" Grand Chambéry consacre {fmt.percent(gc_specific)} de son apport aux crédits spécifiques"
        gc_fdc = shares.get(("grand_chambery", "fonds_de_concours"))
        text += ", auxquels s'ajoutent ses fonds de concours." if not sentences.missing(gc_fdc) and gc_fdc > 0 else "."
    if largest != ["ville_chambery"]:
        text += f" La ville de Chambéry apporte {fmt.euros(totals['ville_chambery'])}."
    return text


def totals_check(year: int, gaps: Mapping[str, object]) -> str:
    """Whether the funders' published totals are found again by adding the table's lines: a
    verdict only for funders whose both sides are published (`gaps`: funder -> computed - published)."""
    compared = [f for f in FUNDERS if f in gaps and not sentences.missing(gaps[f])]
    lacking = [f for f in FUNDERS if f not in compared]
    if not compared:
        return (
            f"Les totaux par financeur ne peuvent pas être comparés aux lignes du tableau : l'édition {int(year)} ne "
            f"publie pas les uns ou les autres ({MISSING})."
        )
    off = [f for f in compared if float(gaps[f]) != 0]
    rule = "en additionnant les lignes du tableau, les cases vides comptant pour zéro"
    if not off and not lacking:
        return f"Les totaux par financeur imprimés par le rapport sont retrouvés exactement {rule}."
    if not off:
        text = f"Les totaux par financeur imprimés par le rapport sont retrouvés exactement pour {_names(compared)}, {rule}"
    else:
        which = "celui" if len(off) == 1 else "ceux"
        verb = "s'en écarte" if len(off) == 1 else "s'en écartent"
        text = (
            f"Les totaux par financeur imprimés par le rapport ne sont pas tous retrouvés {rule} : {which} de "
            f"{_names(off)} {verb}"
        )
    if lacking:
        text += f" ; pour {_names(lacking)}, l'édition {int(year)} ne publie pas de quoi comparer ({MISSING})"
    return text + "."


def _agree(published: list[object], computed: list[object]) -> bool:
    return all(abs(float(c) - float(p)) <= SHARE_TOLERANCE for p, c in zip(published, computed))


def shares_agree(published: Mapping[str, object], computed: Mapping[str, object]) -> bool | None:
    """Whether every published share holds (to its whole percent) for the recomputed one; None
    when no funder has both (ND)."""
    both = [f for f in FUNDERS if known(published.get(f), computed.get(f))]
    if not both:
        return None
    return _agree([published[f] for f in both], [computed[f] for f in both])


def table_note(year: int, every_cell_missing: bool) -> str:
    """The note under the funders' table: a blank cell counts for zero, as in the report's totals;
    an edition that does not publish the table says so instead."""
    if every_cell_missing:
        return (
            f"ND : l'édition {int(year)} ne publie pas ce tableau ; aucun total n'est recalculé. Hors programmes de "
            "renouvellement urbain."
        )
    return (
        "ND : case vide dans le rapport (les fonds de concours ne sont versés que par Grand Chambéry) ; elle compte "
        "pour zéro dans les totaux, comme dans ceux du rapport. Hors programmes de renouvellement urbain."
    )


def shares(
    year: int,
    engaged_text: str,
    published: Mapping[str, object],
    of_engaged: Mapping[str, object],
    of_three: Mapping[str, object],
) -> str:
    """The funders' published shares of the total engaged beside the shares recomputed from the
    table (of that total, of the three funders' total): `ne se retrouvent pas` only between
    published values. `published`, `of_engaged`, `of_three`: funder -> share (%)."""
    given = [f for f in FUNDERS if not sentences.missing(published.get(f))]
    pub = {f: fmt.percent(published[f], 0) for f in given}
    engaged = engaged_text != MISSING
    if not engaged and not given:
        return (
            neither(year, ["le montant total engagé", "les parts attribuées aux financeurs"])
            + " : aucune part publiée ne peut être rapprochée du tableau."
        )
    attributed = sentences.join(
        [f"{pub[f]} {'de ce montant ' if i == 0 and engaged else ''}{DATIVE[f]}" for i, f in enumerate(given)]
    )
    lacking = [f for f in FUNDERS if f not in given]
    lacking_note = (
        f" ({sentences.join([capitalised(SUBJECT[f]) for f in lacking])} : part non publiée, {MISSING})"
        if lacking and given
        else ""
    )
    if not engaged:
        return (
            f"Le rapport attribue {attributed} des financements{lacking_note} ; l'édition {int(year)} ne publie pas le "
            f"montant total engagé ({MISSING}) : ces parts ne peuvent pas être rapprochées des montants du tableau."
        )
    if not given:
        text = f"Le rapport annonce {engaged_text} engagés au total, sans publier de part par financeur ({MISSING})."
    else:
        text = f"Le rapport annonce {engaged_text} engagés au total et attribue {attributed}{lacking_note}."
    calc = [of_engaged.get(f) for f in FUNDERS]
    three = [of_three.get(f) for f in FUNDERS]
    if not known(*calc):
        return text + (
            f" L'édition {int(year)} ne publie pas les montants de son tableau pour tous les financeurs ({MISSING}) : "
            "les parts ne peuvent pas être recalculées."
        )
    calc_text = sentences.join([fmt.percent(v) for v in calc])
    three_text = ", ".join(fmt.percent(v) for v in three)
    if not given:
        return text + (
            f" Rapportés à ce total, les montants de son tableau donnent {calc_text} (État, Grand Chambéry, ville de "
            f"Chambéry), et {three_text} du total des trois financeurs."
        )
    first = _agree([published[f] for f in given], [of_engaged[f] for f in given])
    second = _agree([published[f] for f in given], [of_three[f] for f in given])
    text += f" Rapportés à ce même total, les montants de son tableau donnent {calc_text} : "
    text += (
        "les parts publiées se retrouvent, à l'arrondi près." if first else "les parts publiées ne se retrouvent pas."
    )
    if second:
        text += f" Elles correspondent {'aussi' if first else 'en revanche'} aux parts dans le total des trois financeurs ({three_text})."
    else:
        text += f" Elles ne correspondent pas {'non plus ' if not first else ''}aux parts dans le total des trois financeurs ({three_text})."
    return text


def coverage(year: int, share_of_engaged: object, remainder: object, other_share: object, gaps_shown: bool) -> str:
    """How much of the announced total the table details, the share given to « autres communes »,
    and the pointer to the audit chapter when gaps were shown."""
    if sentences.missing(share_of_engaged):
        text = (
            "La part des montants annoncés que détaille le tableau ne peut pas être calculée : l'édition "
            f"{int(year)} ne publie pas l'un des deux montants ({MISSING})."
        )
    elif float(remainder) > 0:
        text = (
            f"Le tableau ne détaille que {fmt.percent(share_of_engaged)} des montants annoncés ; le reste "
            f"({fmt.euros(remainder)}) n'est ventilé nulle part."
        )
    elif float(remainder) == 0:
        text = "Le tableau détaille la totalité des montants annoncés."
    else:
        text = (
            f"Le tableau détaille davantage que les montants annoncés ({fmt.percent(share_of_engaged)}, soit "
            f"{fmt.euros(-float(remainder))} de plus)."
        )
    if sentences.missing(other_share):
        text += " " + not_published(year, "de part pour les « autres communes des quartiers en veille »") + "."
    else:
        text += (
            f" La part de {fmt.percent(other_share, 0)} attribuée aux « autres communes des quartiers en veille » ne dit "
            "pas si ces communes financent ou reçoivent ces crédits."
        )
    if gaps_shown:
        text += " Le chapitre « Contrôle » de l'étude examine ces écarts en détail ; ils sont seulement signalés ici."
    return text


def specific_credits(year: int, table_total: object, text_total: object, cohesion_share: object) -> str:
    """The crédits spécifiques: the table's sum against the total the text states (a gap only
    between published values), and the share said to go to the cohésion sociale pillar."""
    if known(table_total, text_total):
        gap = float(table_total) - float(text_total)
        if gap == 0:
            text = (
                f"Additionnées, les lignes « crédits spécifiques » du tableau atteignent {fmt.euros(table_total)}, le "
                "montant que le texte du rapport annonce pour les crédits spécifiques sur la période."
            )
        else:
            text = (
                f"Additionnées, les lignes « crédits spécifiques » du tableau atteignent {fmt.euros(table_total)}, alors "
                f"que le texte du rapport annonce {fmt.euros(text_total)} de crédits spécifiques sur la période, soit un "
                f"écart de {fmt.euros(gap)}."
            )
    elif known(table_total):
        text = (
            f"Additionnées, les lignes « crédits spécifiques » du tableau atteignent {fmt.euros(table_total)} ; "
            f"l'édition {int(year)} ne publie pas de total de ces crédits dans le texte ({MISSING})."
        )
    elif known(text_total):
        text = (
            not_published(year, "les lignes « crédits spécifiques » du tableau")
            + f" ; le texte du rapport annonce {fmt.euros(text_total)} de crédits spécifiques sur la période."
        )
    else:
        text = neither(year, ["les lignes « crédits spécifiques » du tableau", "leur total dans le texte"]) + "."
    if sentences.missing(cohesion_share):
        return text + " " + not_published(year, "la part de ces crédits qui va au pilier de la cohésion sociale") + "."
    return text + (
        f" Le rapport indique aussi que {fmt.percent(cohesion_share, 0)} de ces crédits vont au pilier de la cohésion "
        "sociale, mais les graphiques par pilier et par thème qui l'établissaient ont été perdus lors de la conversion "
        "du rapport : ce chiffre ne peut pas être vérifié."
    )


def text_total_cell(credit_type: str, value: object) -> str:
    """A cell of the text's totals per credit type: the report states one only for the crédits
    spécifiques (`—`, sans objet, for the others); ND when the edition does not publish it."""
    if credit_type != "credits_specifiques":
        return fmt.NOT_APPLICABLE
    return fmt.euros(value)


def intro_note(year: int, table_published: bool, shares_found: bool | None) -> str:
    """The chapter's opening note on what is recomputed: the published shares are said not to
    follow from the table only when both are published and they do not (`shares_found` False)."""
    if not table_published:
        head = (
            f"L'édition {int(year)} ne publie pas le tableau des financeurs ({MISSING}) : aucun total n'est recalculé."
        )
    else:
        head = "Les totaux sont recalculés à partir du tableau."
    if shares_found is None:
        return (
            head
            + f" Les parts par financeur ne peuvent pas être rapprochées du tableau dans cette édition ({MISSING})."
        )
    if shares_found:
        return head + " Le rapport publie aussi des parts par financeur, qui se retrouvent à partir de ce tableau."
    return head + (
        " Le rapport publie aussi des parts par financeur qui ne se déduisent pas de ce tableau : elles sont présentées "
        "à côté des parts recalculées, sans être corrigées."
    )
