"""The book's code annex and its formulas, offline: every "calcul : contrat_ville.…" name of a page
links to a section that shows that function's exact source, and MathJax is served by the site
itself (npm package mathjax copied into _static), never by a CDN."""

import functools
import inspect
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ExtensionError

from contrat_ville.evaluation import scorecard, trends
from contrat_ville.publish import book_ext, code_pages, site

SPACES = re.compile(r"[\u00a0\u202f]")

# --------------------------------------------------------------- unit: pages and links


def test_every_documented_module_gets_a_page_with_one_section_per_function(tmp_path):
    written = code_pages.write_pages(tmp_path)
    names = {p.stem for p in written}
    assert "index" in names and "contrat_ville.evaluation.scorecard" in names
    assert not any(n.startswith(("contrat_ville.run.", "contrat_ville.publish.")) for n in names)
    page = (tmp_path / "code" / "contrat_ville.evaluation.scorecard.md").read_text(encoding="utf-8")
    assert "## `located_values`" in page and "## `verdict`" in page
    # the exact source of the function, from its first line
    assert inspect.getsource(scorecard.verdict).strip() in page
    first = inspect.getsourcelines(scorecard.verdict)[1]
    assert f":lineno-start: {first}" in page
    # a second run rewrites nothing; a module that no longer exists loses its page
    stale = tmp_path / "code" / "contrat_ville.evaluation.gone.md"
    stale.write_text("# gone", encoding="utf-8")
    before = (tmp_path / "code" / "contrat_ville.evaluation.scorecard.md").stat().st_mtime_ns
    code_pages.write_pages(tmp_path)
    assert not stale.exists()
    assert (tmp_path / "code" / "contrat_ville.evaluation.scorecard.md").stat().st_mtime_ns == before


def test_targets_name_each_function_anchor():
    targets = code_pages.targets()
    assert targets["contrat_ville.evaluation.trends"] == "code/contrat_ville.evaluation.trends.html"
    fit_series = "contrat_ville.evaluation.trends.fit_series"
    assert targets[fit_series] == f"code/contrat_ville.evaluation.trends.html#{fit_series}"
    # a class and a function whose names differ only by case keep distinct anchors
    verdict, verdict_class = "contrat_ville.evaluation.scorecard.verdict", "contrat_ville.evaluation.scorecard.Verdict"
    assert targets[verdict].endswith(f"#{verdict}") and targets[verdict_class].endswith(f"#{verdict_class}")


def test_link_names_links_text_only_and_the_longest_documented_name():
    links = code_pages.targets()
    body = (
        '<p class="cv-source" title="contrat_ville.evaluation.trends">Source : x ; calcul : '
        "contrat_ville.evaluation.trends.fit_series, appelé par contrat_ville.evaluation.scorecard.assess.</p>"
        "<pre>contrat_ville.evaluation.trends.kept</pre>"
        '<a href="x">contrat_ville.evaluation.trends</a> <code>contrat_ville.evaluation.trends.kept.note</code>'
        " contrat_ville.nowhere.thing"
    )
    out = code_pages.link_names(body, links, "../")
    assert 'title="contrat_ville.evaluation.trends"' in out  # attributes untouched
    assert (
        '<a class="cv-code-link" href="../code/contrat_ville.evaluation.trends.html#contrat_ville.evaluation.trends.fit_series">'
        "contrat_ville.evaluation.trends.fit_series</a>, appelé par "
        '<a class="cv-code-link" href="../code/contrat_ville.evaluation.scorecard.html#contrat_ville.evaluation.scorecard.assess">'
        "contrat_ville.evaluation.scorecard.assess</a>." in out
    )
    assert "<pre>contrat_ville.evaluation.trends.kept</pre>" in out  # code blocks untouched
    assert '<a href="x">contrat_ville.evaluation.trends</a>' in out  # no link inside a link
    assert 'trends.kept">contrat_ville.evaluation.trends.kept</a>.note' in out  # attribute of a function
    assert "contrat_ville.nowhere.thing" in out and "nowhere.thing</a>" not in out


# --------------------------------------------------------------- unit: MathJax


class _Config:
    def __init__(self, path):
        self.mathjax_path = path


@pytest.mark.parametrize("path", ["https://cdn.example/mathjax/tex-chtml.js", "//cdn/x.js", "", "mathjax/other.js"])
def test_a_mathjax_path_other_than_the_local_copy_stops_the_build(path):
    with pytest.raises(ExtensionError, match="CDN"):
        book_ext.check_mathjax_path(None, _Config(path))


def test_the_local_mathjax_path_is_accepted():
    book_ext.check_mathjax_path(None, _Config(f"mathjax/{book_ext.MATHJAX_SCRIPT}"))


def test_copy_mathjax_copies_script_and_fonts(tmp_path):
    copied = book_ext.copy_mathjax(tmp_path)
    target = tmp_path / book_ext.MATHJAX_SITE_DIR
    assert (target / book_ext.MATHJAX_SCRIPT).stat().st_size > 100_000
    assert any(p.suffix == ".woff" for p in copied) and all(p.is_file() for p in copied)
    with pytest.raises(ExtensionError, match="make env"):
        book_ext.copy_mathjax(tmp_path / "other", package=tmp_path / "no-such-package")


# --------------------------------------------------------------- the built book


@functools.cache
def _soup(path: Path) -> BeautifulSoup:
    """A built page, parsed once per test session (the tests only read it; the site's pages
    are not rewritten under them): the tests below read every page, and a code page once per
    name linked to it, where parsing was most of their 20 s."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _code(anchor) -> str:
    """The source shown in the first code block after an anchor, without the line numbers."""
    block = anchor.find_next("pre")
    for number in block.select(".linenos"):
        number.decompose()
    return block.get_text()


def _text(node) -> str:
    return SPACES.sub(" ", node.get_text(" ", strip=True))


@pytest.mark.slow
def test_every_calcul_reference_links_to_the_source_of_its_function(built):
    root = built["site"]
    checked = 0
    for rel in site.html_pages(root):
        if rel.startswith("code/"):
            continue
        soup = _soup(root / rel)
        for source in soup.select(".cv-source"):
            line = _text(source)
            if "calcul : contrat_ville." not in line:
                continue
            names = re.findall(r"contrat_ville(?:\.\w+)+", line.split("calcul :", 1)[1])
            links = {_text(a): a["href"] for a in source.select("a.cv-code-link")}
            for name in names:
                assert name in links, f"{rel}: {name} is not linked"
                href = links[name]
                target = Path(os.path.normpath((root / rel).parent / href.split("#")[0]))
                code_page = _soup(target)
                module = name if "#" not in href else name.rsplit(".", 1)[0]
                assert _text(code_page.find("h1")).startswith(module), f"{rel}: {name} -> {href}"
                if "#" in href:
                    section = code_page.find(id=href.split("#", 1)[1])
                    assert section is not None, f"{rel}: {href} has no anchor"
                    function = name.rsplit(".", 1)[1]
                    code = _code(section)
                    assert re.search(rf"^(?:def|class) {function}\b", code, re.M), f"{href} does not show {name}"
                checked += 1
    assert checked >= 20


@pytest.mark.slow
def test_a_function_section_shows_the_executed_source(built):
    page = _soup(built["site"] / "code" / "contrat_ville.evaluation.trends.html")
    code = _code(page.find(id="contrat_ville.evaluation.trends.fit_series"))
    assert code.strip() == inspect.getsource(trends.fit_series).strip()


@pytest.mark.slow
def test_formulas_are_typeset_by_the_local_mathjax(built):
    root = built["site"]
    with_math = []
    for rel in site.html_pages(root):
        soup = _soup(root / rel)
        scripts = [s.get("src", "") for s in soup.find_all("script") if s.get("src")]
        assert not [s for s in scripts if site.is_external(s)], f"{rel}: external script"
        if soup.select(".math"):
            with_math.append(rel)
            mathjax = [s for s in scripts if "mathjax" in s.lower()]
            assert len(mathjax) == 1 and mathjax[0].split("?")[0].endswith(f"_static/mathjax/{book_ext.MATHJAX_SCRIPT}")
            assert Path(os.path.normpath((root / rel).parent / mathjax[0].split("?")[0])).is_file()
    assert {"chapters/tableau_de_bord.html", "chapters/tendances.html", "chapters/portrait.html"} <= set(with_math)
    fonts = root / book_ext.MATHJAX_SITE_DIR / book_ext.MATHJAX_FONTS
    assert len(list(fonts.glob("*.woff"))) > 10
