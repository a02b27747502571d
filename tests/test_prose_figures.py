"""Narrative text carries no hand-typed figures: every number in the prose of the book
(Markdown cells of notebooks/*.ipynb and book/**/*.md) is a computed value inserted with
glue. Years, list and section numbers, and digits inside names (SHA-256, T3) are allowed;
code (fenced blocks, inline code), roles, directive options, links and HTML are ignored."""

import json
import re

import pytest

from contrat_ville.data.paths import BOOK_DIR, NOTEBOOKS_DIR

FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M)
STRIP = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # MyST roles: {glue:text}`key`, {doc}`page`
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>]+>"),  # HTML tags and their attributes
    re.compile(r"https?://\S+"),  # bare URLs
    re.compile(r"^\s*:[\w-]+:.*$", re.M),  # directive options (:doc: chapters/x.ipynb)
    re.compile(r"^\s*(:::|```)\{?[\w-]*\}?.*$", re.M),  # directive fences
    re.compile(r"^\s*#+\s+\d+(\.\d+)*\.?\s", re.M),  # numbered section headings
    re.compile(r"^\s*\d+[.)]\s", re.M),  # ordered list markers
]
NUMBER = re.compile(r"\d+(?:[\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def hand_typed_figures(markdown: str) -> list[str]:
    """Numbers written in prose that are not years nor part of a name."""
    text = FENCE.sub("", markdown)
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    found = []
    for match in NUMBER.finditer(text):
        token, start, end = match.group().strip(), match.start(), match.end()
        before, after = text[start - 1 : start], text[end : end + 1]
        if before.isalpha() or before == "_" or after.isalpha() or after == "_":
            continue  # T3, B1, 1er, fr_FR
        if before == "-" and text[start - 2 : start - 1].isalpha():
            continue  # SHA-256
        if re.fullmatch(r"(19|20)\d\d", token):
            continue  # a year
        found.append(token)
    return found


def test_detector_flags_figures_and_spares_years_names_and_glue():
    assert hand_typed_figures("La ville compte 59 183 habitants, soit 41,4 % de pauvres.") == ["59 183", "41,4"]
    assert hand_typed_figures("Entre 2015 et 2018 (contrat 2015-2022), SHA-256, les T3, le 1er.") == []
    assert hand_typed_figures("Soit {glue:text}`share` des habitants, voir `data/processed/2018/x.csv`.") == []
    assert hand_typed_figures("```sh\npapermill -p year 2018 -p n 42\n```\n1. Validation\n## 2. Calcul") == []
    assert hand_typed_figures('<p class="x" data-n="12">texte</p> [lien](../a/12.html)') == []
    assert hand_typed_figures("une centaine, 12 jeunes") == ["12"]


def prose_sources():
    for notebook in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                yield f"{notebook.relative_to(NOTEBOOKS_DIR.parent)} (cell {index})", "".join(cell["source"])
    for page in sorted(BOOK_DIR.rglob("*.md")):
        if "_build" in page.parts or page.name == "README.md":
            continue
        yield str(page.relative_to(BOOK_DIR.parent)), page.read_text(encoding="utf-8")


SOURCES = list(prose_sources())


@pytest.mark.parametrize("where,text", SOURCES, ids=[w for w, _ in SOURCES])
def test_no_hand_typed_figures_in_prose(where, text):
    figures = hand_typed_figures(text)
    assert not figures, (
        f"{where} types figures by hand: {figures}. Compute them in a notebook and insert them with "
        "glue_text(...) and {glue:text}`key` (see CONTRIBUTING.md)."
    )
