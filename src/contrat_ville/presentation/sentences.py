"""French sentence helpers: the wording of sentences whose truth depends on the data.

Each helper takes values (numbers, years, booleans) computed elsewhere and returns the French
text for every branch: missing ("ND"), zero, one or several (agreement), up, down or equal,
elision ("de l'", "d'"). Notebooks call them instead of writing a branch of the sentence by
hand, so that the text stays true for every edition."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from contrat_ville.presentation import fmt
from contrat_ville.presentation.fmt import MONTHS

MISSING = fmt.MISSING

# Words beginning with an h that takes no elision ("le haut", "de Hauts-de-Chambéry"): h aspiré.
_ASPIRATED_H = ("haut", "hauts", "hausse", "halle", "halte")


def missing(value: object) -> bool:
    return fmt._missing(value)


def _starts_with_vowel_sound(word: str) -> bool:
    letter = unicodedata.normalize("NFD", word.strip()[:1].lower())[:1]
    if letter in "aeiouy":
        return True
    return letter == "h" and not word.strip().lower().startswith(_ASPIRATED_H)


def de(word: str) -> str:
    """`de` before a word, elided before a vowel or a mute h: `d'opérations`, `de participants`."""
    return ("d'" if _starts_with_vowel_sound(word) else "de ") + word


def the(noun: str, feminine: bool = False, plural: bool = False) -> str:
    """The definite article before a noun, elided before a vowel or a mute h:
    `la ville`, `l'agglomération`, `le quartier`, `les quartiers`, `le haut` (h aspiré)."""
    if plural:
        return f"les {noun}"
    if _starts_with_vowel_sound(noun):
        return f"l'{noun}"
    return f"la {noun}" if feminine else f"le {noun}"


def of_the(noun: str, feminine: bool = False, plural: bool = False) -> str:
    """`de` and the definite article before a noun, with elision and contraction:
    `de la ville`, `de l'agglomération`, `du quartier`, `des quartiers`."""
    if plural:
        return f"des {noun}"
    if _starts_with_vowel_sound(noun):
        return f"de l'{noun}"
    return f"de la {noun}" if feminine else f"du {noun}"


def que(word: str) -> str:
    """`que` elided: `qu'en 2018`, `que dans`."""
    return ("qu'" if _starts_with_vowel_sound(word) else "que ") + word


def plural(n: int, singular: str, plural_form: str) -> str:
    """The noun agreeing with `n`: French uses the singular for 0, 1 and below 2 (`1,5 an`)."""
    return singular if not missing(n) and abs(float(n)) < 2 else plural_form


def count(n: int, singular: str, plural_form: str, feminine: bool = False, zero: str | None = None) -> str:
    """`1 opération`, `26 opérations`, `aucune opération`; a missing count says so (never `0` or `ND opérations`).

    `zero` replaces the default `aucun(e) <singular>`."""
    if missing(n):
        return f"un nombre non disponible {de(plural_form)} ({MISSING})"
    if n == 0:
        return zero if zero is not None else ("aucune " if feminine else "aucun ") + singular
    return f"{fmt.number(n)} {plural(n, singular, plural_form)}"


def join(items: Iterable[str], last: str = "et") -> str:
    """`a`, `a et b`, `a, b et c`; an empty list gives an empty string."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def quote(text: str) -> str:
    """French quotes with no-break spaces: `« text »`."""
    return f"«\u00a0{text.strip()}\u00a0»"


def period(start: object, end: object) -> str:
    """`en 2018`, `de 2015 à 2018`, or `à une date non publiée` when the years are missing."""
    if missing(start) and missing(end):
        return "à une date non publiée"
    if missing(start) or int(start) == int(end):
        return f"en {int(end)}"
    return f"de {int(start)} à {int(end)}"


def years_span(start: object, end: object) -> str:
    """`2015-2018`, or `2018` for one year (a heading's period, from the data)."""
    return str(int(end)) if int(start) == int(end) else f"{int(start)}-{int(end)}"


def direction(change: object, up: str = "en hausse", down: str = "en baisse", equal: str = "stable") -> str:
    """The word for the sign of a change; `non comparable (ND)` when it is missing."""
    if missing(change):
        return f"non comparable ({MISSING})"
    return up if change > 0 else down if change < 0 else equal


def change_sentence(
    label: str, territory: str, before: object, after: object, formatter: Callable[[object], str] = fmt.number
) -> str:
    """Both vintages, both values and the change of one indicator for one territory:
    `Hauts-de-Chambéry, demandeurs d'emploi : 931 en 2019, contre 968 en 2018 (en baisse de 37).`

    `before` and `after` are (year, value) pairs; `before` is None when no earlier comparable
    value exists. The `territory, label : value` form needs no agreement with the label."""
    after_year, after_value = after
    head = f"{territory}, {label[:1].lower()}{label[1:]}"
    if missing(after_value):
        return f"{head} : non publié en {after_year} ({MISSING})."
    now = f"{head} : {formatter(after_value)} en {after_year}"
    if before is None or missing(before[1]):
        return now + f" ; aucune valeur antérieure comparable ({MISSING})."
    before_year, before_value = before
    gap = after_value - before_value
    if gap == 0:
        return now + f", comme en {before_year}."
    moved = "en hausse" if gap > 0 else "en baisse"
    return f"{now}, contre {formatter(before_value)} en {before_year} ({moved} de {formatter(abs(gap))})."


def match(
    published: object, computed: object, subject: str = "le total recalculé", plural_subject: bool = False
) -> str:
    """`retrouve exactement le montant publié` / `s'écarte du montant publié` / not checkable."""
    verb_match, verb_gap = ("retrouvent", "s'écartent") if plural_subject else ("retrouve", "s'écarte")
    if missing(published) or missing(computed):
        return f"{subject} ne peut pas être comparé au montant publié (valeur manquante, {MISSING})"
    if published == computed:
        return f"{subject} {verb_match} exactement le montant publié"
    return f"{subject} {verb_gap} du montant publié"


# Why an earlier value is not shown beside the current one (codes of evaluation.vintages).
NOT_COMPARABLE = {
    "no_earlier_edition": "aucune édition antérieure",
    "not_published": "valeur non publiée",
    "earlier_not_published": "valeur antérieure non publiée",
    "vintage_unknown": "millésime non précisé",
    "same_vintage": "pas de nouveau millésime",
    "vintages_not_consecutive": "millésimes non consécutifs",
    "unit_changed": "unité différente",
}


# reasons for which no earlier value can exist: "sans objet" (—), not "non disponible" (ND)
NOT_APPLICABLE_REASONS = {"no_earlier_edition"}


def not_comparable(reason: str) -> str:
    """`ND (millésime non précisé)`: the change column when no comparable earlier value exists;
    `— (aucune édition antérieure)` when none can exist (sans objet, not a missing value)."""
    if not reason:
        return ""
    mark = fmt.NOT_APPLICABLE if reason in NOT_APPLICABLE_REASONS else MISSING
    return f"{mark} ({NOT_COMPARABLE[reason]})"


def earlier_cell(text: str, reason: str) -> str:
    """A cell of the earlier edition's columns: `—` when no earlier edition exists (sans objet),
    else the formatted text (ND when that edition did not publish the value)."""
    return fmt.NOT_APPLICABLE if reason in NOT_APPLICABLE_REASONS else text


def signed(value: float, formatter: Callable[[object], str] = fmt.number) -> str:
    """A change with its sign (`+12`, `-37`, `0`), formatted by `formatter`; `ND` when missing."""
    if missing(value):
        return MISSING
    text = formatter(abs(value))
    return text if value == 0 else ("+" if value > 0 else "-") + text


def points(change: float, decimals: int = 1) -> str:
    """A change of a rate in percentage points, signed and agreeing: `+0,1 point`, `-2,5 points`,
    `0,0 point`; `ND` when missing."""
    if missing(change):
        return MISSING
    return f"{signed(change, lambda v: fmt.number(v, decimals))} {plural(change, 'point', 'points')}"


# Machine-made phrasing that a French reader should never see (checked on every built page):
# a plural or agreement left open, an elided article glued to a closing quote, "de la" before a
# vowel, a comparison sign after a preposition.
_MACHINE_PHRASING = [
    ("open plural or agreement", re.compile(r"\w\((?:s|es|e|nt|x)\)")),
    ("elided article before a closing quote", re.compile(r"(?<![\w’'])(?:[lLdDjJmMnNsStTcC]|[qQ]u)”")),
    ("'de la' before a vowel (elision)", re.compile(r"\bde la (?=[aeiouyéèêâîôûAEIOUYÉÈÊ])")),
    ("comparison sign after a preposition", re.compile(r"\b(?:de|à|est|vaut) [<>≤≥]")),
]


def machine_phrasing(text: str) -> list[str]:
    """Pieces of `text` whose wording was left to the machine (`piste(s)`, `l”écart`,
    `de la agglomération`, `une p-valeur de < 0,001`), with the rule broken."""
    return fmt.rule_breaks(text, _MACHINE_PHRASING)


def compare(
    value: float, reference: float, lower: str = "plus faible", higher: str = "plus élevé", equal: str = "égal"
) -> str:
    """How `value` stands against `reference`: `plus faible`, `plus élevé`, `égal`, or None if one is missing."""
    if missing(value) or missing(reference):
        return None
    return lower if value < reference else higher if value > reference else equal


def partial_total(total: object, n_parts: int, n_missing: int, unit: tuple[str, str], parts: tuple[str, str]) -> str:
    """`comptent ensemble 12 000 habitants` when every part is known; says which parts lack
    a value otherwise (never a sum of the known parts presented as the total)."""
    if n_parts == 0:
        return f"ne comptent aucun {parts[0]} publié"
    if n_missing == n_parts:
        return f"n'ont pas de nombre {de(unit[1])} publié ({MISSING})"
    if n_missing:
        verb = plural(n_missing, "n'a", "n'ont")
        return (
            f"ont un total inconnu ({MISSING}) : {count(n_missing, parts[0], parts[1])} "
            f"sur {fmt.number(n_parts)} {verb} pas de valeur publiée"
        )
    return f"comptent ensemble {count(total, unit[0], unit[1])}"


def month(number: int, year: object = None) -> str:
    """`juillet 2018` from a month number (1-12) and a year of the data; `ND` when missing."""
    if missing(number):
        return f"à une date non publiée ({MISSING})" if year is None or missing(year) else str(int(year))
    name = MONTHS[int(number) - 1]
    return name if year is None or missing(year) else f"{name} {int(year)}"


def outlook_lead(edition: int) -> str:
    """`Pour 2019 et 2020, le rapport annuel 2018`: the outlook of a report, dated by its own edition."""
    edition = int(edition)
    return f"Pour {edition + 1} et {edition + 2}, le rapport annuel {edition}"


def of_total(n: float, total: float, singular: str, plural_form: str, feminine: bool = True) -> str:
    """`1 sur 4 est mise en œuvre`, `2 sur 4 sont mises en œuvre`, `aucune des 4 n'est prévue`:
    a part of a count with its verb agreeing (`singular` and `plural_form` start with the verb).
    A missing count says so."""
    if missing(n) or missing(total):
        return f"un nombre non publié {plural_form}"
    n, total = int(n), int(total)
    if n == 0:
        negated = ("n'" + singular) if _starts_with_vowel_sound(singular) else ("ne " + singular)
        return f"{'aucune' if feminine else 'aucun'} des {fmt.number(total)} {negated}"
    return f"{fmt.number(n)} sur {fmt.number(total)} {singular if n < 2 else plural_form}"


def total_and_average(subject: str, total: float, total_text: str, average: float, average_text: str) -> str:
    """Two published figures of one activity, a cumulative total and a yearly average over the
    same period: a yearly average above the total cannot both be right (`ne se concilient pas`);
    otherwise both are given; a missing one is said, never compared."""
    if missing(total) or missing(average):
        return f"les deux chiffres {subject} (total et moyenne annuelle) ne sont pas tous deux publiés : ils ne peuvent être rapprochés."
    if float(average) > float(total):
        return (
            f"deux chiffres {subject} ne se concilient pas : {total_text} au total dans la synthèse, mais "
            f"{average_text} dans le chapitre, une moyenne annuelle supérieure au total."
        )
    return f"deux chiffres {subject} : {total_text} au total dans la synthèse et {average_text} dans le chapitre."


def cumulative_vs_yearly(
    subject: str, total: float, total_text: str, years: float, per_year: float, per_year_text: str
) -> str:
    """A cumulative count over `years` years beside a yearly average of the same activity: the
    average times the years above the total cannot both hold (`difficiles à concilier`)."""
    if missing(total) or missing(per_year) or missing(years):
        return f"Les deux mentions {subject} ne sont pas toutes deux publiées : elles ne peuvent être rapprochées."
    span = count(years, "an", "ans")
    implied = float(per_year) * int(years)
    if implied > float(total):
        return (
            f"Deux mentions {subject} sont difficiles à concilier : {total_text} en {span} dans la synthèse, mais "
            f"{per_year_text} dans le chapitre, soit {fmt.number(implied)} en {span}."
        )
    return f"Deux mentions {subject} se recoupent : {total_text} en {span} dans la synthèse et {per_year_text} dans le chapitre."


def two_wordings(first: str, second: str) -> str:
    """One quantity printed twice: `tantôt A, tantôt B` when the wordings differ, `A` when they agree
    or one is missing, `un nombre non publié` when both are (`first`, `second`: rendered figures or ND)."""
    given = [w for w in (first, second) if not missing(w) and w != fmt.MISSING]
    if not given:
        return "un nombre non publié"
    if len(given) == 1 or given[0] == given[1]:
        return given[0]
    return f"tantôt {given[0]}, tantôt {given[1]} (les deux formulations sont conservées)"


def vintage_change(
    status: str,
    reason: str,
    before: float,
    after: float,
    formatter: Callable[[object], str] = fmt.number,
    change_formatter: Callable[[object], str] | None = None,
) -> str:
    """The change since the previous edition, with both years, for a table cell: `931 en 2019, contre
    968 en 2018 (en baisse de 37)`, `318 en 2019, comme en 2018`, `révisé : 335 pour 2018, au lieu de 330`,
    `nouveau : 318 en 2019`, or `ND (pas de nouveau millésime)`. `status` and `reason` are those of
    evaluation.vintages; `before` and `after` are (year, value) pairs; `change_formatter` formats the
    size of the change (points for a rate), `formatter` by default."""
    change_formatter = change_formatter or formatter
    after_year, after_value = after
    before_year, before_value = before if before is not None else (None, None)
    if status in ("up", "down", "equal"):
        now = f"{formatter(after_value)} en {after_year}"
        if status == "equal":
            return f"{now}, comme en {before_year}"
        moved = "en hausse" if status == "up" else "en baisse"
        gap = abs(float(after_value) - float(before_value))
        return f"{now}, contre {formatter(before_value)} en {before_year} ({moved} de {change_formatter(gap)})"
    if status == "revised":
        return f"révisé : {formatter(after_value)} pour {after_year}, au lieu de {formatter(before_value)}"
    if status == "new":
        when = f" en {after_year}" if not missing(after_year) else ""
        return f"nouveau : {formatter(after_value)}{when}"
    return not_comparable(reason) or MISSING


def vintage_summary(statuses: Iterable[str], previous_edition: int | None) -> str:
    """`Depuis l'édition 2018 : 2 indicateurs en hausse, 1 en baisse et 1 révisé ; 30 sans valeur
    comparable.` from the statuses of evaluation.vintages; the first edition says so."""
    if missing(previous_edition):
        return "C'est la première édition publiée : aucune valeur antérieure à laquelle comparer."
    statuses = list(statuses)
    words = {
        "up": ("en hausse", "en hausse"),
        "down": ("en baisse", "en baisse"),
        "equal": ("inchangé", "inchangés"),
        "revised": ("révisé", "révisés"),
        "new": ("nouveau", "nouveaux"),
    }
    parts = []
    for status, (one, several) in words.items():
        n = statuses.count(status)
        if n:
            noun = "" if parts else " " + plural(n, "indicateur", "indicateurs")  # the noun once, first
            parts.append(f"{fmt.number(n)}{noun} {plural(n, one, several)}")
    rest = sum(s not in words for s in statuses)
    if parts:
        head = f"Depuis l'édition {int(previous_edition)} : {join(parts)}"
    else:
        head = f"Depuis l'édition {int(previous_edition)}, aucun indicateur n'a de valeur comparable"
    if rest and parts:
        return f"{head} ; {count(rest, 'autre indicateur', 'autres indicateurs')} sans valeur comparable."
    return head + "."
