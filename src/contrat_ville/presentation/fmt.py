"""French number formatting for the book, through Babel's CLDR data (locale fr_FR):
`41,4 %`, `13 397 €`, `9 848`. Missing values print as "ND" (non disponible)."""

from __future__ import annotations

import math
import re

import pandas as pd
from babel.numbers import format_currency, format_decimal, format_percent

from contrat_ville.presentation import vocabulary

LOCALE = "fr_FR"
MISSING = "ND"  # non disponible: a value that exists but is not published
NOT_APPLICABLE = "—"  # sans objet: no value can exist (no earlier edition, a column that does not apply)


def is_missing(value: object) -> bool:
    """True for a value that prints as ND: None, pandas' NA, NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


_missing = is_missing  # the former private name, still used by some modules


def number(value: object, decimals: int = 0) -> str:
    """`13397` → `13 397`; `2.5` with decimals=1 → `2,5`."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(value: object, decimals: int = 1) -> str:
    """A value already in percent (41.4) → `41,4 %`."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return format_percent(value / 100, format=pattern, locale=LOCALE)


def euros(value: object, decimals: int = 0) -> str:
    """`13397` → `13 397 €`."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " ¤"
    return format_currency(value, "EUR", format=pattern, locale=LOCALE, currency_digits=False)


def significant(value: object, decimals: int = 2) -> str:
    """A computed value with no false precision: a whole number without decimals (`8 737`, not
    `8 737,00`), another rounded to `decimals` with its trailing zeros dropped (`49,8`, not `49,80`)."""
    if is_missing(value):
        return MISSING
    if float(value).is_integer():
        return number(value, 0)
    text = number(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def ratio(value: object, decimals: int = 2) -> str:
    """A multiplier: `1.47` → `1,47`."""
    return number(value, decimals)


def by_unit(
    value: object,
    unit: str,
    decimals: int | None = None,
    *,
    noun: bool = False,
    short: bool = False,
    bare: bool = False,
    trim: bool = False,
) -> str:
    """The one formatter of a value with its unit, as declared in vocabulary.yaml (`units`).

    `41.4, "%"` → `41,4 %`; `13397, "eur"` (or `"euros"`) → `13 397 €`; `10498, "keur"` →
    `10 498 k€`; `23.4, "points"` → `23,4 points`; a count prints its number alone, or with
    its noun agreed (`noun=True`: `1 personne`, `3 personnes`); `short` prints the short form
    a table wants (`10,8 M€` for millions of euros); `bare` the number only, with the unit's
    decimals (the low end of a range: `24 à 26 %`); `trim` drops trailing zeros of a computed
    value (`significant`). Decimals default to the unit's, else as
    published (0 for a whole number, else 1)."""
    if _missing(value):
        return MISSING
    spec = vocabulary.unit(unit)
    kind = spec.get("format")
    if decimals is None:
        decimals = spec.get("decimals", 2 if kind == "ratio" else (0 if float(value).is_integer() else 1))
    if trim and kind not in ("percent", "euros"):
        # a computed value: no false precision (`8 737 k€`, `49,8 ETP`), see `significant`
        return by_unit(value, unit, decimals, noun=noun, short=short, bare=bare).replace(
            number(value, decimals), significant(value, decimals), 1
        )
    if bare:
        return number(value, decimals)
    if kind == "percent":
        return percent(value, decimals)
    if kind == "euros":
        return euros(value, decimals)
    text = number(value, decimals)
    symbol = spec.get("symbol") or (spec.get("short") if short else None)
    if symbol:
        return f"{text} {symbol}"
    word = unit_noun(value, unit) if noun and unit else ""
    return f"{text} {word}" if word else text


def unit_noun(value: object, unit: str) -> str:
    """The noun printed after a count (`personne` below 2, `personnes` from 2); empty for a
    unit that is part of the number (`%`, `€`, `k€`)."""
    spec = vocabulary.unit(unit)
    if spec.get("format") in ("percent", "euros", "ratio") or spec.get("symbol"):
        return ""
    if not _missing(value) and float(value) < 2:
        return spec.get("singular", spec.get("label", unit))
    return spec.get("label", unit)


def qualified(text: str, qualifier: str | None) -> str:
    """`text` after the words of its qualifier (`environ 9 000`, `plus de 2 000`)."""
    words = vocabulary.QUALIFIERS.get(qualifier or "", "")
    return f"{words} {text}" if words else text


def frame(df: pd.DataFrame, formats: dict[str, callable]) -> pd.DataFrame:
    """A copy of `df` with the given columns turned into French strings, for display only."""
    out = df.copy()
    for column, formatter in formats.items():
        out[column] = [formatter(v) for v in df[column]]
    return out


def signed_percent(value: object, decimals: int = 1) -> str:
    """A change in percent with its sign: `2.53` → `+2,5 %`, `-8.44` → `-8,4 %`."""
    if _missing(value):
        return MISSING
    text = percent(value, decimals)
    return text if text.startswith("-") or float(value) == 0 else "+" + text


def p_value(value: object) -> str:
    """A p-value: three decimals, `< 0,001` below that (never `0,000`)."""
    if _missing(value):
        return MISSING
    return "< " + number(0.001, 3) if value < 0.001 else number(value, 3)


def interval(low: object, high: object, decimals: int = 1) -> str:
    """A 95 % confidence interval of a change in percent: `[-18,2 % ; +2,5 %]`."""
    if _missing(low) or _missing(high):
        return MISSING
    return f"[{signed_percent(low, decimals)} ; {signed_percent(high, decimals)}]"


# Number and date forms that a French report never prints (used by the book's tests on
# the text readers see; code, English metadata and identifiers are left out before).
_NOT_FRENCH = [
    ("decimal point", re.compile(r"(?<![\w.,/-])\d+\.\d+(?![\w.]*\d)(?!\.\w)")),
    ("comma thousands", re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3}){2,}(?![\d,])")),
    ("percent sign without space", re.compile(r"\d%")),
    ("euro sign before or glued to the number", re.compile(r"€\s?\d|\d€")),
    ("tuple from a glued decimal", re.compile(r"\(\d+, \d+\)")),
    (
        "English month-first date",
        re.compile(
            r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|janv|févr|avr|juil|sept|oct|nov|déc)[a-zé]*\.? \d{1,2}, \d{4}\b"
        ),
    ),
    ("English date with slashes month first", re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:1[3-9]|2\d|3[01])/\d{4}\b")),
]


def rule_breaks(text: str, rules: list[tuple[str, re.Pattern]]) -> list[str]:
    """Each match in `text` of a (rule, pattern) pair, as `rule: …context…` (25 characters each side)."""
    found = []
    for rule, pattern in rules:
        for match in pattern.finditer(text):
            start, end = max(match.start() - 25, 0), min(match.end() + 25, len(text))
            found.append(f"{rule}: …{text[start:end]}…")
    return found


def non_french_numbers(text: str) -> list[str]:
    """Pieces of `text` where a number, a percentage, an amount in euros or a date is not
    written the French way (`41.4`, `41,4%`, `€13,397`, `Nov 25, 2026`), with the rule broken."""
    return rule_breaks(text, _NOT_FRENCH)


# French month names (1 = janvier), for dates that the data give as a month number
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
