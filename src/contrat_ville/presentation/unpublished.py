"""The ND branch of a sentence: what an edition does not publish, said plainly.

A value an edition does not publish is never read as a number (`ND participants`), summed as
zero or compared: the sentence says that the edition does not publish it, with `(ND)`. These
helpers are shared by the chapters' sentence builders (emploi_text, financing_text)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from contrat_ville.presentation import fmt, sentences

MISSING = fmt.MISSING


def known(*values: object) -> bool:
    """True when no value is missing (ND)."""
    return not any(sentences.missing(v) for v in values)


def not_published(year: int, what: str, capital: bool = True) -> str:
    """`L'édition 2019 ne publie pas le nombre de sorties (ND)` (no full stop)."""
    text = f"l'édition {int(year)} ne publie pas {what} ({MISSING})"
    return text[:1].upper() + text[1:] if capital else text


def neither(year: int, items: Iterable[str]) -> str:
    """`L'édition 2019 ne publie ni A, ni B (ND)`; one item: `ne publie pas A (ND)`."""
    items = [i for i in items if i]
    if len(items) == 1:
        return not_published(year, items[0])
    return f"L'édition {int(year)} ne publie ni " + ", ni ".join(items) + f" ({MISSING})"


def about(value: object, formatter: Callable[[object], str] = fmt.number) -> str:
    """`environ 112` for an estimate; `ND` when it cannot be computed (never `environ ND`)."""
    return MISSING if sentences.missing(value) else f"environ {formatter(value)}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def card(value_text: str, label: str, year: int, what: str) -> tuple[str, str]:
    """A key-figure card, or, when the edition does not publish the value, a card saying so
    (`ND` / `<what> : pas de valeur publiée dans l'édition 2019`) instead of a label built around
    a number."""
    if value_text == MISSING:
        return MISSING, f"{what} : pas de valeur publiée dans l'édition {int(year)}"
    return value_text, label


def no_chart(year: int, what: str) -> str:
    """In place of a chart whose every value the edition leaves unpublished (never a chart of
    empty or zero bars): `L'édition 2019 ne publie pas <what> (ND) : pas de graphique.`"""
    return not_published(year, what) + " : pas de graphique."
