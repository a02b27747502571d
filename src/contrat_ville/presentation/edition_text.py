"""French wording of the edition comparison and of the missing-data page.

Every sentence is built from the counts it states, with all its branches (none / one /
several, each status present or absent), so that it stays true for every edition."""

from __future__ import annotations

import re

import pandas as pd

from contrat_ville.presentation import fmt, vocabulary

# status -> (singular, plural) French wording after "N élément(s)", and its table label
STATUS_WORDS = vocabulary.EDITION_STATUS_COUNTS
STATUS_LABELS = vocabulary.EDITION_STATUSES
GAP_REASONS = {
    "absent": "Non mis à jour dans cette édition (affiché ND)",
    "published_nd": "Publié « ND » (non disponible)",
    "series_point_missing": "Point de l'année absent de la série (l'historique est conservé)",
}
ROWS_KIND = {
    "carried": "conservées : l'historique reste valable tant qu'il n'est pas révisé",
    "current": "affichées « ND » et listées dans « Données manquantes »",
    "own": "propres à chaque édition (ni reprises, ni comparées)",
}
PERIOD_KINDS = vocabulary.PERIOD_ADJECTIVES  # period_kind id -> adjective of "période"


def items(count: int) -> str:
    """`aucun élément`, `1 élément`, `12 éléments`."""
    if count == 0:
        return "aucun élément"
    return f"{fmt.number(count)} élément" + ("s" if count > 1 else "")


def status_phrase(status: str, count: int) -> str:
    singular, plural = STATUS_WORDS[status]
    return f"{items(count)} {singular if count <= 1 else plural}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def comparison_summary(summary: pd.DataFrame, year: int, previous: int) -> str:
    """The opening sentence of the comparison: the statuses present, real changes first."""
    counts = dict(zip(summary["status"], summary["items"]))
    compared = sum(counts.values())
    if compared == 0:
        return f"Aucun élément n'est commun aux éditions {previous} et {year} : il n'y a rien à comparer."
    present = [s for s in summary["status"] if counts[s]]
    changed = sum(counts[s] for s in ("up", "down", "revised"))
    head = f"Entre l'édition {previous} et l'édition {year}, {items(compared)} {'est' if compared == 1 else 'sont'} suivi{'s' if compared > 1 else ''} : "
    body = _join([status_phrase(s, counts[s]) for s in present]) + "."
    if changed == 0:
        tail = " Aucune valeur comparable n'a changé."
    else:
        tail = f" {'Une seule valeur comparable a' if changed == 1 else f'{fmt.number(changed)} valeurs comparables ont'} changé (hausse, baisse ou révision)."
    return head + body + tail


def reason(text: str) -> str:
    """A comparison's reason code, in French (`period_kind cumulative -> annual` → `période cumulée → annuelle`)."""
    if not isinstance(text, str) or not text:
        return ""
    match = re.match(r"^period_kind (\S+) -> (\S+)$", text)
    if match:
        before, after = (PERIOD_KINDS.get(k, k) for k in match.groups())
        return f"période {before} → {after}"
    match = re.match(r"^period (\S+) -> (\S+)$", text)
    if match:
        return f"période {match.group(1)} → {match.group(2)}"
    match = re.match(r"^unit (.+) -> (.+)$", text)
    if match:
        return f"unité {match.group(1)} → {match.group(2)}"
    match = re.match(r"^edition (\d+) not restated$", text)
    if match:
        return f"valeur de l'édition {match.group(1)}, non republiée"
    if text == "published after ND":
        return "publié après une édition « ND »"
    return text


def value(v: object) -> str:
    """A compared value: French number, text as is, ND when missing."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return fmt.MISSING
    if isinstance(v, str):
        return v
    return fmt.number(v, 0 if float(v).is_integer() else 1)


def with_period(v: object, period: str) -> str:
    shown = value(v)
    return f"{shown} ({period})" if period else shown


def gaps_summary(gaps: pd.DataFrame, year: int) -> str:
    """The opening sentence of the missing-data page, per reason."""
    if gaps.empty:
        return f"L'édition {year} ne manque d'aucune valeur : toutes les valeurs des éditions précédentes sont mises à jour ou conservées."
    counts = gaps["reason"].value_counts()
    parts = []
    if counts.get("absent", 0):
        n = int(counts["absent"])
        parts.append(f"{items(n)} d'une édition précédente {'n’est pas mis' if n == 1 else 'ne sont pas mis'} à jour")
    if counts.get("published_nd", 0):
        n = int(counts["published_nd"])
        parts.append(f"{fmt.number(n)} valeur{'s' if n > 1 else ''} publiée{'s' if n > 1 else ''} « ND »")
    if counts.get("series_point_missing", 0):
        n = int(counts["series_point_missing"])
        parts.append(f"{fmt.number(n)} série{'s' if n > 1 else ''} sans point pour {year}")
    tables = gaps["table"].nunique()
    where = "une table" if tables == 1 else f"{fmt.number(tables)} tables"
    return f"Dans l'édition {year}, sur {where} : " + _join(parts) + "."
