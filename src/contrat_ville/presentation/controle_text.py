"""French sentences on how many published figures of an edition are checked (home page and the
Contrôle chapter). An edition whose report has no figure transcribed for the audit (no row of
report_claims.csv) says so, never « 0 sur 0 » or « 0 chiffres vérifiables »."""

from __future__ import annotations

from contrat_ville.presentation import fmt, sentences


def home_card(year: int, n_claims: int, n_contradicted: int) -> tuple[str, str]:
    """The home page's card: (bold figure, the text after it)."""
    if n_claims == 0:
        return (
            "Aucun",
            f"chiffre publié de l'édition {int(year)} n'est contrôlé : aucun n'est transcrit pour le contrôle",
        )
    return (
        # the colon ends the bold figure, behind a no-break space: a glued label starting with ":" would
        # follow a breakable space of the page
        f"{fmt.number(n_contradicted)} sur {fmt.number(n_claims)}\u00a0:",
        "chiffres publiés contrôlés que les données du rapport contredisent",
    )


def home_sentence(year: int, n_claims: int, n_contradicted: int) -> str:
    """The home page's summary of the audit (followed by the link to the chapter)."""
    if n_claims == 0:
        return (
            f"Aucun chiffre publié de l'édition {int(year)} n'est contrôlé : aucun chiffre de son texte n'est transcrit "
            "pour le contrôle"
        )
    head = (
        "Chiffres du rapport que ses propres tableaux contredisent : "
        f"{fmt.number(n_contradicted)} sur {fmt.number(n_claims)} contrôlés"
    )
    if n_contradicted == n_claims:
        return head
    return head + " ; les autres sont vérifiés, seulement compatibles, non comparables ou non recalculables"


def chapter_summary(year: int, n_claims: int, n_chapters: int, status_counts: str) -> str:
    """The opening of « Ce qui a été vérifié »: how many figures, in how many of the report's
    chapters, and their statuses (`status_counts`: reconciliation.status_counts_sentence)."""
    if n_claims == 0:
        return (
            f"Le texte du rapport de l'édition {int(year)} n'a aucun chiffre transcrit pour le contrôle : aucun statut "
            "n'est attribué. Quand des chiffres sont contrôlés, chacun reçoit un seul statut, choisi pour ne jamais "
            "flatter le rapport."
        )
    figures = sentences.count(n_claims, "chiffre vérifiable", "chiffres vérifiables")
    if n_claims == 1:
        spread = ""
    elif n_chapters == 1:
        spread = ", tous dans un même chapitre"
    else:
        spread = f", répartis dans {fmt.number(n_chapters)} de ses chapitres"
    return (
        f"Le texte du rapport contient {figures}{spread}. Chacun reçoit un seul statut, choisi pour ne jamais "
        f"flatter le rapport : {status_counts}."
    )


def reviewers_sentence(year: int, n_claims: int, status_counts: str) -> str:
    """The reviewers' page: what the Contrôle chapter does with this edition's figures (after
    « Le chapitre Contrôle »)."""
    if n_claims == 0:
        return (
            f"ne contrôle aucun chiffre de l'édition {int(year)} : aucun chiffre de son texte n'est transcrit pour le "
            "contrôle. À chaque chiffre contrôlé, il donne un seul statut, avec son calcul et sa raison."
        )
    figures = sentences.count(n_claims, "chiffre vérifiable", "chiffres vérifiables")
    article = "le" if n_claims == 1 else "les"
    return (
        f"recalcule {article} {figures} du texte du rapport et donne à chacun un seul statut, avec son calcul et sa "
        f"raison : {status_counts}."
    )
