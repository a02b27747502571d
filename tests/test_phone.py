"""The book on a phone (390 × 844 CSS px, touch), in Debian's Chromium driven by Playwright,
against the built site served on 127.0.0.1 (fixtures of tests/test_browser.py).

What a reader on a phone needs: the menu and the page's contents open and close; words in
tables never break inside; a wide table or chart scrolls inside its own box (with a cue),
never the page; charts keep a legible size. Screenshots go to tests/artifacts/ for review.
That no page scrolls sideways and no word of a title is cut, on every page at phone width, is
checked in the walk of tests/test_browser.py (one load per page for all the every-page checks)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from test_browser import ARTIFACTS, PHONE, SPLIT_WORDS, SUMMARY, base, browser, site_dir, traced_page, visit  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCORECARD = "chapters/tableau_de_bord.html"
FICHE = "fiches/fiche-qpv-hauts-de-chambery.html"
CHART_PAGE = "chapters/portrait.html"
LEGIBLE_CHART_WIDTH = 600  # CSS px: about the width charts are shown at on a desktop screen


@pytest.fixture()
def phone(browser, base):  # noqa: F811 - fixtures imported above
    """A fresh touch page at phone size (see test_browser.traced_page)."""
    context, new_page = traced_page(browser, base, PHONE, has_touch=True)
    yield new_page
    SUMMARY["blocked"] += new_page.traffic.outside
    context.close()
    traffic = new_page.traffic
    assert not traffic.outside, f"requests left the machine: {traffic.outside}"
    assert not traffic.problems(), traffic.problems()


def _require(site_dir, rel):  # noqa: F811
    if not (site_dir / rel).exists():
        pytest.skip(f"{rel} is not in the book")


# ------------------------------------------------------------------ navigation buttons


@pytest.mark.parametrize("rel", ["index.html", SCORECARD])
def test_menu_button_opens_and_closes_the_book_sidebar(phone, base, site_dir, rel):  # noqa: F811
    _require(site_dir, rel)
    visit(phone, base, rel)
    toggle = phone.locator("button.primary-toggle:visible")
    expect(toggle).to_have_count(1)
    dialog = phone.locator("#pst-primary-sidebar-modal")
    book_nav = dialog.locator("nav.bd-docs-nav")
    for close in ("button", "backdrop", "escape"):
        toggle.tap()
        expect(dialog).to_have_js_property("open", True)
        expect(book_nav.locator("a.reference.internal").first).to_be_visible()
        if close == "button":
            dialog.get_by_role("button", name="Fermer").tap()
        elif close == "backdrop":
            box = dialog.bounding_box()
            assert box["x"] + box["width"] < PHONE["width"] - 20, "the menu leaves no backdrop to tap"
            phone.touchscreen.tap(PHONE["width"] - 10, PHONE["height"] // 2)
        else:
            phone.keyboard.press("Escape")
        expect(dialog).to_have_js_property("open", False)
        # the sidebar's content went back to its place and the page is usable again
        expect(phone.locator("#pst-primary-sidebar nav.bd-docs-nav")).to_have_count(1)
        expect(toggle).to_be_visible()


def test_menu_link_opens_its_page(phone, base, site_dir):  # noqa: F811
    _require(site_dir, SCORECARD)
    visit(phone, base, "index.html")
    phone.locator("button.primary-toggle:visible").tap()
    dialog = phone.locator("#pst-primary-sidebar-modal")
    dialog.locator(f'nav.bd-docs-nav a[href$="{SCORECARD}"]').first.tap()
    phone.wait_for_url(f"**/{SCORECARD}")
    expect(phone.locator("article.bd-article h1")).to_have_count(1)


def test_contents_button_opens_the_page_contents(phone, base, site_dir):  # noqa: F811
    _require(site_dir, SCORECARD)
    visit(phone, base, SCORECARD)
    toggle = phone.locator("button.secondary-toggle:visible")
    expect(toggle).to_have_count(1)
    dialog = phone.locator("#pst-secondary-sidebar-modal")
    toggle.tap()
    expect(dialog).to_have_js_property("open", True)
    expect(dialog.locator("#pst-page-toc-nav a").first).to_be_visible()
    dialog.get_by_role("button", name="Fermer").tap()
    expect(dialog).to_have_js_property("open", False)
    toggle.tap()
    expect(dialog).to_have_js_property("open", True)
    phone.touchscreen.tap(10, PHONE["height"] // 2)  # the backdrop, left of the contents
    expect(dialog).to_have_js_property("open", False)
    # following an entry closes the contents and scrolls to its section (_static/cv-phone.js)
    toggle.tap()
    entry = dialog.locator("#pst-page-toc-nav a").nth(1)
    target = entry.get_attribute("href")
    entry.tap()
    expect(dialog).to_have_js_property("open", False)
    phone.wait_for_url(f"**{target}")
    heading = phone.locator(f"[id='{target.lstrip('#')}']")
    expect(heading).to_be_in_viewport()


# ------------------------------------------------------------------ tables

TABLE_CELLS = "article.bd-article table.cv-table :is(th, td)"


@pytest.mark.parametrize("rel", [SCORECARD, FICHE])
def test_no_word_of_a_table_breaks_on_a_phone(phone, base, site_dir, rel):  # noqa: F811
    _require(site_dir, rel)
    visit(phone, base, rel)
    for details in phone.locator("details.cv-provenance").all():  # their tables too
        details.evaluate("d => d.open = true")
    found = phone.evaluate(SPLIT_WORDS, TABLE_CELLS)
    assert found["words"] > 100
    assert not found["split"], f"{rel}: words broken across lines: {sorted(set(found['split']))[:20]}"


def test_wide_table_scrolls_in_its_box_with_its_labels_pinned(phone, base, site_dir):  # noqa: F811
    _require(site_dir, SCORECARD)
    visit(phone, base, SCORECARD)
    wide = (
        phone.locator("article.bd-article figure.cv-figure-table")
        .filter(has=phone.locator("thead th:nth-child(7)"))
        .first
    )
    wide.scroll_into_view_if_needed()
    before = wide.evaluate("""f => ({scroll: f.scrollWidth, client: f.clientWidth, overflow: getComputedStyle(f).overflowX,
        hint: getComputedStyle(f.querySelector('.cv-title'), '::after').content,
        label: f.querySelector('tbody tr > :first-child').getBoundingClientRect().left,
        other: f.querySelector('tbody tr > :nth-child(3)').getBoundingClientRect().left})""")
    assert before["scroll"] > before["client"] + 50, "this table should be wider than a phone"
    assert before["overflow"] == "auto"
    assert "faire défiler" in before["hint"], "no cue that the table scrolls"
    wide.evaluate("f => f.scrollBy({left: 200, behavior: 'instant'})")
    expect(wide).to_have_js_property("scrollLeft", 200)
    after = wide.evaluate("""f => ({label: f.querySelector('tbody tr > :first-child').getBoundingClientRect().left,
        other: f.querySelector('tbody tr > :nth-child(3)').getBoundingClientRect().left,
        title: f.querySelector('.cv-title').getBoundingClientRect().left, box: f.getBoundingClientRect().left})""")
    assert after["label"] == pytest.approx(before["label"], abs=1), "the first column should stay pinned"
    assert after["other"] == pytest.approx(before["other"] - 200, abs=1)
    assert after["title"] == pytest.approx(after["box"], abs=1), "the title should stay in view"
    assert phone.evaluate("() => window.scrollX") == 0
    assert phone.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") <= 1


# ------------------------------------------------------------------ charts


def test_charts_keep_a_legible_size_and_scroll_in_their_box(phone, base, site_dir):  # noqa: F811
    _require(site_dir, CHART_PAGE)
    visit(phone, base, CHART_PAGE)
    charts = phone.locator("article.bd-article figure.cv-figure-chart")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        image = chart.locator("img.cv-chart")
        expect(image).to_have_js_property("complete", True)
        shown = chart.evaluate("""f => ({width: f.querySelector('img.cv-chart').getBoundingClientRect().width,
            scroll: f.scrollWidth, client: f.clientWidth, overflow: getComputedStyle(f).overflowX})""")
        assert shown["width"] >= LEGIBLE_CHART_WIDTH, f"chart {index} shown {shown['width']}px wide"
        assert shown["overflow"] == "auto" and shown["scroll"] > shown["client"]
    assert phone.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") <= 1


# ------------------------------------------------------------------ screenshots


@pytest.mark.parametrize(
    "rel, name",
    [("index.html", "telephone-accueil"), (SCORECARD, "telephone-tableau-de-bord"), (FICHE, "telephone-fiche")],
)
def test_phone_screenshots_for_review(phone, base, site_dir, rel, name):  # noqa: F811
    _require(site_dir, rel)
    visit(phone, base, rel)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    phone.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    phone.locator("button.primary-toggle:visible").tap()
    expect(phone.locator("#pst-primary-sidebar-modal")).to_have_js_property("open", True)
    phone.screenshot(path=str(ARTIFACTS / f"{name}-menu.png"))
