"""The built book as files: integrity (every local link and image exists), nothing loaded
from outside, French and accessible markup, a source under every table and chart, French
number formats, the "Données" catalogue and the per-chapter downloads.

Pages are discovered from the built site (chapters are added by several developers); only
the home page and the "Données" page are named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from contrat_ville.data.paths import RAW_DIR, RUN_PLAN
from contrat_ville.presentation import fmt
from contrat_ville.publish import site
from contrat_ville.publish.book_ext import RAW_SITE_DIR, raw_datasets

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(built) -> dict[str, str]:
    """Every HTML page of the built site: relative path → HTML."""
    root = built["site"]
    return {rel: (root / rel).read_text(encoding="utf-8") for rel in site.html_pages(root)}


@pytest.fixture(scope="module")
def chapter_ids(built) -> dict[str, str]:
    """Pages built from the notebooks of the run plan → the name of their executed notebook.

    A notebook is built as <book_folder>/<book_name>.html (default chapters/<id>.html) and its
    executed copy is served next to it (_sources/<book_folder>/<book_name>.ipynb); an entry run
    for each territory gives one page per territory (<book_folder>/<id>-<territory>.html)."""
    plan = yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))
    pages = {}
    for entry in plan["notebooks"]:
        folder = entry.get("book_folder", "chapters")
        if entry.get("for_each"):
            found = sorted(Path(built["site"], folder).glob(f"{entry['id']}-*.html"))
            assert found, f"{entry['id']}: no page built in {folder}/"
            pages.update({f"{folder}/{page.name}": page.stem for page in found})
        else:
            name = entry.get("book_name") or entry["id"]
            pages[f"{folder}/{name}.html"] = name
    return pages


def _article(html_text: str) -> str:
    match = re.search(r'<article class="bd-article">(.*?)</article>', html_text, re.S)
    return match.group(1) if match else ""


def test_site_has_the_named_pages(pages):
    assert {"index.html", "donnees.html", "methodologie.html", "search.html"} <= set(pages)
    assert "chapters/portrait.html" in pages


def test_every_page_is_in_the_reading_order(built, pages):
    order = site.reading_order(built["site"])
    assert order[0] == "index.html"
    missing = set(pages) - set(order) - {"genindex.html", "search.html"}
    assert not missing, f"pages not reachable with the Suivant links: {sorted(missing)}"


def test_no_broken_internal_link_or_missing_image(built):
    problems = site.broken_links(built["site"])
    assert not problems, "\n".join(problems)


def test_nothing_is_loaded_from_outside(built, pages):
    """No script, stylesheet, font, icon or image from another host; no CDN URL in inline
    scripts (MathJax, Thebe...) or in the stylesheets."""
    found = []
    for rel, text in pages.items():
        found += [f"{rel}: {url}" for url in site.external_resources(text)]
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S):
            found += [f"{rel}: inline script names {url}" for url in re.findall(r"https?://[^\s\"'<>]+", script)]
        for tag in re.findall(r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*>", text):
            found += [f"{rel}: {tag}" for _ in re.findall(r"(?:src|href)=\"(?:https?:)?//", tag)]
    for css in Path(built["site"], "_static").rglob("*.css"):
        for url in re.findall(
            r"(?:@import\s+|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)",
            css.read_text(encoding="utf-8", errors="replace"),
        ):
            found.append(f"{css.relative_to(built['site'])}: {url}")
    assert not found, "\n".join(found)


def test_language_is_declared_french(pages):
    for rel, text in pages.items():
        assert re.search(r'<html[^>]*\blang="fr"', text), f'{rel} does not declare lang="fr"'


def test_every_image_has_alt_text_and_charts_name_their_values(pages):
    for rel, text in pages.items():
        for tag in re.findall(r"<img\b[^>]*>", _article(text)):
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and alt.group(1).strip(), f"{rel}: image without alt text: {tag[:120]}"
            if "cv-chart" in tag:
                assert len(alt.group(1)) >= 40 and re.search(r"\d", alt.group(1)), (
                    f"{rel}: chart alt text must name what is shown and its values: {alt.group(1)!r}"
                )


def test_every_table_has_header_cells(pages):
    for rel, text in pages.items():
        for table in re.findall(r"<table\b.*?</table>", _article(text), re.S):
            assert "<th" in table, f"{rel}: table without header cells: {table[:200]}"


def test_every_table_and_chart_of_a_chapter_has_title_and_source(pages, chapter_ids):
    for chapter in chapter_ids:
        html_text = pages[chapter]
        body = re.sub(r'<details class="cv-provenance".*?</details>', "", _article(html_text), flags=re.S)
        figures = re.findall(r'<figure class="cv-figure.*?</figure>', body, re.S)
        tables = len(re.findall(r"<table\b", body))
        charts = len(re.findall(r"<img\b", body))
        assert sum(f.count("<table") for f in figures) == tables, (
            f"{chapter}: a table is not shown with display.table (title, source)"
        )
        assert sum(f.count("<img") for f in figures) == charts, (
            f"{chapter}: a chart is not shown with display.figure (title, alt, source)"
        )
        for figure in figures:
            assert re.search(r'<figcaption class="cv-title">\s*\S', figure), (
                f"{chapter}: table or chart without a title"
            )
            assert re.search(r'<p class="cv-source">Source[\u00a0 ]: \S', figure), (
                f"{chapter}: table or chart without a source line"
            )


def test_numbers_percentages_euros_and_dates_are_french(pages):
    problems = []
    for rel, text in pages.items():
        problems += [f"{rel}: {p}" for p in fmt.non_french_numbers(site.visible_text(text))]
    assert not problems, "\n".join(problems)


ENGLISH_INTERFACE = re.compile(
    r"\b(Toggle|Search|Main|Download|Copy|Print|Previous|Next|Contents|Skip|Launch|Fullscreen|Light|Dark|Back to top)\b"
)


def test_interface_labels_are_french(pages):
    for rel, text in pages.items():
        for attribute, value in re.findall(r'\b(title|aria-label|placeholder|data-bs-title)="([^"]*)"', text):
            assert not ENGLISH_INTERFACE.search(value), f"{rel}: English interface text {attribute}={value!r}"


def test_home_page_has_key_figures_and_reading_guide(pages):
    home = pages["index.html"]
    assert "Chiffres clés de l’édition" in home or "Chiffres clés de l'édition" in home
    assert "Guide de lecture" in home
    figures = re.search(r'<div class="cv-keyfigures[^"]*">(.*?)</div>\s*</section>', home, re.S)
    assert figures, "the key figures block is missing"
    values = re.findall(r'<strong><span class="pasted-text">([^<]+)</span></strong>', figures.group(1))
    assert len(values) >= 4
    assert all(re.search(r"\d", v) for v in values), values
    assert re.search(r'class="[^"]*cv-source', home), "no source line under the key figures"


def test_donnees_page_lists_every_dataset_with_metadata_and_downloads(built, pages):
    page = pages["donnees.html"]
    root = built["site"]
    for record in raw_datasets(RAW_DIR):
        card = re.search(rf'<article class="cv-dataset" id="brut-{re.escape(record["name"])}".*?</article>', page, re.S)
        assert card, f"raw table {record['name']} is not listed"
        card = card.group(0)
        for label in ("Description", "Producteur", "Millésime", "Licence"):
            assert f"<dt>{label}</dt>" in card
        assert re.search(rf"{re.escape(fmt.number(record['rows']))} ligne", card), (
            f"{record['name']}: row count missing"
        )
        href = f"{RAW_SITE_DIR}/{record['csv']}"
        assert f'href="{href}"' in card and (root / href).read_bytes() == (RAW_DIR / record["csv"]).read_bytes()
        assert f'href="{RAW_SITE_DIR}/{record["meta"]}"' in card
    for csv in sorted(built["processed"].glob("*.csv")):
        href = f"_static/data/{built['report'].year}/{csv.name}"
        assert f'href="{href}"' in page, f"processed table {csv.name} is not listed"
        assert (root / href).exists()


def test_every_chapter_links_its_csv_and_executed_notebook(built, pages, chapter_ids):
    """Each chapter page offers its processed data (CSV) and its executed notebook."""
    links = {}
    for rel in chapter_ids:
        found = [site.resolve(rel, link.url) for link in site.parse(pages[rel])[0] if link.tag == "a"]
        links[rel] = [path for path, _ in filter(None, found) if (built["site"] / path).is_file()]
    if not any(path.endswith(".csv") for paths in links.values() for path in paths):
        pytest.skip(
            "no chapter page links its CSV yet: the per-chapter provenance block with download links is issue 5"
        )
    for rel, paths in links.items():
        notebook = f"{rel.rsplit('/', 1)[0]}/{chapter_ids[rel]}.ipynb"
        assert any(p.endswith(".csv") for p in paths), f"{rel} links no existing CSV"
        assert any(p == f"_sources/{notebook}" for p in paths), f"{rel} links no executed notebook _sources/{notebook}"


def test_french_no_break_spaces(pages):
    """No line may start with ':', ';', '%', '€' or '»' or end with '«' (contrat_ville.publish.book_ext)."""
    breakable = re.compile(r"« | »| :(?=\s)| ;|\d %|\d k?€")
    problems = []
    for rel, text in pages.items():
        body = text[text.find("<body") :]
        prose = site.visible_text(body)
        problems += [f"{rel}: …{prose[max(m.start() - 30, 0) : m.end() + 10]!r}…" for m in breakable.finditer(prose)]
    assert not problems, "\n".join(problems)
