"""French wording of a territory's fact sheet: values with their unit, gaps to the city and
the agglomeration, and the sentences that compare them. Every branch (higher, lower,
equal, missing; elision before a vowel) is written here and unit-tested."""

from __future__ import annotations

import pandas as pd

from contrat_ville.presentation import fmt
from contrat_ville.presentation.fmt import MONTHS

# the unit (vocabulary.yaml) of each count of evaluation.fiche: counts say what they count
INDICATOR_UNITS = {
    "population": "habitants",
    "jobseekers_defm_abc": "demandeurs d'emploi",
    "social_housing_units": "logements sociaux",
    "active_establishments": "établissements actifs",
    "iris_inhabitants": "habitants",
}
# no elision before h or y: place names mostly begin with an aspirated h (les Hauts, de Hauts-…)
VOWELS = "aàâäeéèêëiîïoôöuùûüAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜ"


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def elide(word: str, before: str) -> str:
    """`que` / `de` before `before`, elided (qu', d') when it starts with a vowel."""
    if before[:1] in VOWELS:
        return f"{word[:-1]}'{before}"
    return f"{word} {before}"


def value_text(indicator: str, value: object, unit: str | None) -> str:
    """`41,4 %`, `13 397 €`, `6 270 habitants`, `12,3 pour 1 000 habitants`; ND when missing."""
    if _missing(value):
        return fmt.MISSING
    if unit in ("%", "eur"):
        return fmt.by_unit(value, unit, 1 if unit == "%" else None)  # rates to the tenth, like the report
    if unit == "‰":
        return f"{fmt.number(value, 1)} pour {fmt.number(1000)} habitants"
    return fmt.by_unit(value, INDICATOR_UNITS.get(indicator, ""), 0, noun=True)


def gap_text(gap: object, unit: str | None) -> str:
    """A gap as shown in a table: `+20,1 points` for rates, `× 0,63` for ratios, `—` otherwise."""
    if _missing(gap):
        return "—"
    if unit == "%":
        points = "point" if abs(float(gap)) < 2 else "points"
        sign = "+" if gap > 0 else ("−" if gap < 0 else "")
        return f"{sign}{fmt.number(abs(float(gap)), 1)} {points}"
    if unit in ("eur", "‰"):
        return f"× {fmt.number(gap, 2)}"
    return "—"


def comparison_clause(
    value: float, reference: float, reference_name: str, unit: str | None, reference_text: str
) -> str:
    """One comparison, e.g. `20,1 points de plus que Chambéry (21,3 %)`, or `autant que …`."""
    if unit == "%":
        gap = float(value) - float(reference)
        if round(gap, 1) == 0:
            return f"autant {elide('que', reference_name)} ({reference_text})"
        points = "point" if abs(gap) < 2 else "points"
        more = "de plus" if gap > 0 else "de moins"
        return f"{fmt.number(abs(gap), 1)} {points} {more} {elide('que', reference_name)} ({reference_text})"
    ratio = float(value) / float(reference)
    if round(ratio, 2) == 1:
        return f"le même niveau {elide('que', reference_name)} ({reference_text})"
    return f"{fmt.number(ratio, 2)} fois le niveau {elide('de', reference_name)} ({reference_text})"


def comparison_sentence(
    label: str, indicator: str, unit: str | None, value: object, comparators: list[tuple[str, object]]
) -> str:
    """`Taux de pauvreté : 41,4 %, soit 20,1 points de plus que Chambéry (21,3 %) et …`.

    Comparisons are made for rates, medians and densities, with the comparators that have a
    value; a count is only stated. Empty string when the territory has no value."""
    if _missing(value):
        return ""
    text = f"{label} : {value_text(indicator, value, unit)}"
    if unit not in ("%", "eur", "‰"):
        return text + "."
    clauses = [
        comparison_clause(value, reference, name, unit, value_text(indicator, reference, unit))
        for name, reference in comparators
        if not _missing(reference)
    ]
    if not clauses:
        return text + " (aucune valeur de comparaison dans l'édition)."
    joined = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " et " + clauses[-1]
    return f"{text}, soit {joined}."


def measure_text(value: object, unit: str, year: object = None) -> str:
    """An urban-renewal measure as a reader reads it: `120 M€`, `1 400 logements`, `juillet 2018`
    (unit `month`: a month number of `year`), else the number and its unit."""
    if _missing(value):
        return fmt.MISSING
    if unit == "month":
        month = MONTHS[int(value) - 1]
        return month if _missing(year) else f"{month} {int(year)}"
    return fmt.by_unit(value, unit, noun=True)


def period_text(start: object, end: object) -> str:
    """`2018` for one year, `2018-2024` for several, `—` when unknown."""
    if _missing(start) and _missing(end):
        return "—"
    if _missing(end) or start == end:
        return str(int(start))
    if _missing(start):
        return str(int(end))
    return f"{int(start)}-{int(end)}"
