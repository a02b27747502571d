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


# Years. A year typed in prose goes stale when the next edition is built ("en 2018" in the
# 2019 book), so the prose takes every year from the data: the run's year, a row's period or
# vintage, inserted with {glue:text}. A year may stay in a quote of the report («...»): the
# quoted words are fixed facts of a document. Glued text and code are left out as above.
YEAR = re.compile(r"(?<![\w.,/])(?:19|20)\d\d(?![\w])")
QUOTE = re.compile(r"«[^«»]*»")

# Pages whose years are not yet data-driven, with who owns them (issue 12): the list can only
# shrink (test_pending_years_list_is_current fails when a listed page no longer types a year).
PENDING_YEARS: dict[str, str] = {}


def typed_years(markdown: str) -> list[str]:
    """Years written by hand in prose: outside code, roles (glue), links, HTML and quotes."""
    text = FENCE.sub("", markdown)
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    text = QUOTE.sub(" ", text)
    return YEAR.findall(text)


def test_year_detector_flags_typed_years_and_spares_glue_quotes_and_code():
    assert typed_years("Les projets signés en 2018 ; période 2018-2024.") == ["2018", "2018", "2024"]
    assert typed_years("Depuis {glue:text}`baseline_year`, voir `data/processed/2018/x.csv`.") == []
    assert typed_years("Le rapport écrit « depuis 2015 » dans le chapitre.") == []
    assert typed_years("```sh\nmake book YEAR=2019\n```\n[lien](../2018/a.html) SHA-256") == []
    assert typed_years("une note 12,2018 ou v2019") == []


def _page(where: str) -> str:
    return where.split(" (cell ")[0]


@pytest.mark.parametrize("where,text", SOURCES, ids=[w for w, _ in SOURCES])
def test_no_hand_typed_years_in_prose(where, text):
    if _page(where) in PENDING_YEARS:
        pytest.skip(f"years not yet from data: {PENDING_YEARS[_page(where)]}")
    years = typed_years(text)
    assert not years, (
        f"{where} types years by hand: {years}. A year true for one edition only goes stale: take it from "
        "the data (the run's `year`, a row's period or vintage) and insert it with glue_text(...) and "
        "{glue:text}`key`; a year inside a quote of the report («…») is allowed."
    )


def test_pending_years_list_is_current():
    pages = {_page(w) for w, _ in SOURCES}
    with_years = {_page(w) for w, t in SOURCES if typed_years(t)}
    assert set(PENDING_YEARS) <= pages, sorted(set(PENDING_YEARS) - pages)
    assert not set(PENDING_YEARS) - with_years, (
        f"{sorted(set(PENDING_YEARS) - with_years)} no longer type years: remove them from PENDING_YEARS"
    )
