"""Text that a spreadsheet would run as a formula (OWASP "CSV injection").

Kept apart from `files` so that writing a CSV (notebook.provenance) needs no pandas import."""

from __future__ import annotations

import re

# A text cell beginning with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text cell as a formula (a plain number is not)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)
