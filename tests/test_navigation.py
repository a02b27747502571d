"""The sidebar with many fiches (contrat_ville.publish.navigation): a small SYNTHETIC Sphinx
project laid out like the book (a chapter, a fiches index whose hidden toctree lists the
fiches, as sphinx-external-toc writes it), built with the book's theme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contrat_ville.publish import navigation, site

sphinx_cmd = pytest.importorskip("sphinx.cmd.build")

CONF = """
project = "SYNTHETIC"
extensions = ["contrat_ville.publish.navigation"]
html_theme = "sphinx_book_theme"
cv_nav_collapsed = {collapsed!r}
cv_nav_reuse = {reuse!r}
"""


def fiche_source(i: int) -> str:
    """A SYNTHETIC fiche; a few differ from the others in their title's markup or their
    sections, so that their sidebar cannot simply be another fiche's with its title swapped."""
    title = f"SYNTHETIC quartier {i:03d}"
    if i == 5:
        title = f"SYNTHETIC *quartier* {i:03d} & co"
    body = "Texte.\n"
    if i in (7, 8):
        body += "\nSection\n-------\n\nTexte.\n"
    return f"{title}\n{'=' * len(title)}\n\n{body}"


def synthetic_book(root: Path, fiches: int, collapsed: list[str], reuse: bool = True) -> Path:
    """Sources of a SYNTHETIC book with `fiches` fiche pages; returns the built site."""
    src = root / "src"
    (src / "fiches").mkdir(parents=True)
    (src / "conf.py").write_text(CONF.format(collapsed=collapsed, reuse=reuse), encoding="utf-8")
    (src / "index.rst").write_text(
        "Accueil\n=======\n\n.. toctree::\n   :hidden:\n   :caption: Chapitres\n\n   chapitre\n\n"
        ".. toctree::\n   :hidden:\n   :caption: Fiches quartiers\n\n   fiches/index\n\n"
        ".. toctree::\n   :hidden:\n   :caption: Annexe\n\n   annexe\n",
        encoding="utf-8",
    )
    (src / "chapitre.rst").write_text("Chapitre\n========\n\nTexte.\n", encoding="utf-8")
    (src / "annexe.rst").write_text("Annexe\n======\n\nTexte.\n", encoding="utf-8")
    names = [f"fiche-synthetic-{i:03d}" for i in range(fiches)]
    links = "\n".join(f"- :doc:`{name}`" for name in names)
    entries = "\n".join(f"   {name}" for name in names)
    (src / "fiches" / "index.rst").write_text(
        # a section of its own, as the fiches index notebook has: the toctree ends up inside it
        f"Fiches quartiers\n================\n\nListe\n-----\n\n{links}\n\n.. toctree::\n   :hidden:\n\n{entries}\n",
        encoding="utf-8",
    )
    for i, name in enumerate(names):
        (src / "fiches" / f"{name}.rst").write_text(fiche_source(i), encoding="utf-8")
    out = root / "html"
    code = sphinx_cmd.build_main(["-b", "html", "-q", "-W", str(src), str(out)])
    assert code == 0
    return out


def sidebar_links(page: Path) -> list[str]:
    """The hrefs of the book's sidebar (nav.bd-docs-nav) of a built page."""
    html = page.read_text(encoding="utf-8")
    nav = html[html.index('class="bd-links bd-docs-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a class="[^"]*reference internal[^"]*" href="([^"]*)"', nav)


REUSED: list[str] = []  # the titles of the sidebars reused while the books below were built


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    base = tmp_path_factory.mktemp("navigation")
    original = navigation.reused_sidebar

    def counted(template, title):
        tree = original(template, title)
        if tree is not None:
            REUSED.append("".join(node.astext() for node in title))
        return tree

    navigation.reused_sidebar = counted  # the builds run in this process and call it by module
    try:
        return _books(base)
    finally:
        navigation.reused_sidebar = original


def _books(base: Path) -> dict:
    return {
        (n, bool(collapsed)): synthetic_book(base / f"{n}-{bool(collapsed)}", n, collapsed)
        for n, collapsed in [(3, ["fiches/index"]), (40, ["fiches/index"]), (40, [])]
    } | {"resolved": synthetic_book(base / "resolved", 40, ["fiches/index"], reuse=False)}


def test_a_reused_sidebar_is_the_one_sphinx_resolves(books):
    """Every page, byte for byte, with the sidebar reused across fiches and resolved for each
    (including the fiches whose title markup or sections differ from the others)."""
    reused, resolved = books[(40, True)], books["resolved"]
    pages = sorted(p.relative_to(resolved) for p in resolved.rglob("*.html"))
    assert pages == sorted(p.relative_to(reused) for p in reused.rglob("*.html"))
    for page in pages:
        assert (reused / page).read_bytes() == (resolved / page).read_bytes(), page
    # reused for the fiches shaped like the first (all but 7 and 8, whose second is reused)
    assert sorted(REUSED) == sorted(
        [f"SYNTHETIC quartier {i:03d}" for i in range(1, 40) if i not in (5, 7, 8)]
        + ["SYNTHETIC quartier 001", "SYNTHETIC quartier 002", "SYNTHETIC quartier 005 & co", "SYNTHETIC quartier 008"]
    )
    assert (
        "SYNTHETIC <em>quartier</em> 005 &amp; co</a>" in (reused / "fiches" / "fiche-synthetic-005.html").read_text()
    )


def test_pages_outside_the_fiches_list_the_index_but_no_fiche(books):
    for n in (3, 40):
        links = sidebar_links(books[(n, True)] / "chapitre.html")
        assert "fiches/index.html" in links
        assert not [link for link in links if "fiche-synthetic" in link], links
        html = (books[(n, True)] / "chapitre.html").read_text(encoding="utf-8")
        item = re.search(r'<li class="([^"]*)"><a class="reference internal" href="fiches/index.html">', html)
        assert item and "has-children" not in item.group(1)  # no chevron opening an empty list


def test_a_page_s_sidebar_does_not_grow_with_the_number_of_fiches(books):
    for page in ("index.html", "chapitre.html", "annexe.html", "fiches/index.html"):
        assert sidebar_links(books[(3, True)] / page) == sidebar_links(books[(40, True)] / page)


def test_a_fiche_s_sidebar_shows_that_fiche_open_and_current(books):
    page = books[(40, True)] / "fiches" / "fiche-synthetic-017.html"
    html = page.read_text(encoding="utf-8")
    nav = html[html.index('class="bd-links bd-docs-nav"') :]
    nav = nav[: nav.index("</nav>")]
    fiches = re.findall(r'<li class="toctree-l2([^"]*)"><a class="([^"]*)" href="([^"]*)">([^<]*)</a>', nav)
    assert fiches == [(" current active", "current reference internal", "#", "SYNTHETIC quartier 017")]
    assert re.search(r"<details open", nav[: nav.index("SYNTHETIC quartier 017")])  # its section is open
    assert sidebar_links(page).count("index.html") == 1  # the fiches index, from the fiche's folder


def test_every_fiche_stays_reachable_and_the_reading_order_is_unchanged(books):
    collapsed, full = books[(40, True)], books[(40, False)]
    order = site.reading_order(collapsed)
    assert order == site.reading_order(full)
    assert [p for p in order if "fiche-synthetic" in p] == [f"fiches/fiche-synthetic-{i:03d}.html" for i in range(40)]
    index = (collapsed / "fiches" / "index.html").read_text(encoding="utf-8")
    for i in range(40):
        assert f'href="fiche-synthetic-{i:03d}.html"' in index


def test_without_collapsed_sections_the_sidebar_is_the_theme_s(books):
    links = sidebar_links(books[(40, False)] / "chapitre.html")
    assert len([link for link in links if "fiche-synthetic" in link]) == 40
