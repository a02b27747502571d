"""Output names derived from parameters, safe for any territory name."""

from __future__ import annotations

import re
import unicodedata


def slug(*parts: object) -> str:
    """`slug("Fiche", "Hauts de Chambéry", 2018)` → `fiche-hauts-de-chambery-2018`.

    Accents are folded, every run of other characters becomes one '-', so '/', '..'
    and spaces can never reach a file name. Underscores are kept, so that a run-plan id
    such as `tableau_de_bord` names its chapter `chapters/tableau_de_bord`."""
    text = "-".join(str(p) for p in parts if p is not None and str(p) != "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-")
    if not cleaned:
        raise ValueError(f"cannot derive a file name from {parts!r}")
    return cleaned[:120].rstrip("-")
