"""The book in a real browser: Debian's Chromium driven by Playwright (never a browser
downloaded by `playwright install`), against the built site served on 127.0.0.1.

Every request of every test is recorded; any request to another host is blocked and fails
the test. Screenshots, the axe-core report, the PDF and a summary of what was seen are
written to tests/artifacts/ (git-ignored) for review.

Tests wait on conditions, never on a time limit: Playwright's timeouts are off (a click that
navigates waits for the new page, the search waits for its results to be drawn), so a loaded
machine makes them slower, not red."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from contrat_ville.publish import site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

SUMMARY = {"pages_loaded": set(), "requests": 0, "hosts": set(), "blocked": [], "axe": {}}


def _ensure_chromium() -> str:
    """Debian's chromium, installed with apt when missing (as `make chromium` does)."""
    path = site.chromium_path()
    if not Path(path).exists():
        if os.geteuid() == 0 and shutil.which("apt-get"):
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core"], check=False, env=env)
        path = site.chromium_path()
    if not Path(path).exists():
        pytest.fail(
            "Debian's chromium is not installed and could not be installed with apt (run `make chromium` as root)"
        )
    return path


@pytest.fixture(scope="module")
def browser():
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = site.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_dir(built) -> Path:
    return built["site"]


@pytest.fixture(scope="module")
def base(site_dir):
    with site.serve(site_dir) as url:
        yield url


@pytest.fixture(scope="module", autouse=True)
def write_summary():
    yield
    ARTIFACTS.mkdir(exist_ok=True)
    summary = {**SUMMARY, "pages_loaded": sorted(SUMMARY["pages_loaded"]), "hosts": sorted(SUMMARY["hosts"])}
    (ARTIFACTS / "browser-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")


class Traffic:
    """What one browser context did: requests, failures, errors."""

    def __init__(self, base: str):
        self.base = base
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.bad_status: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def problems(self) -> list[str]:
        return (
            [f"request off the machine (blocked): {u}" for u in self.outside]
            + [f"failed request: {u}" for u in self.failed]
            + [f"HTTP error: {u}" for u in self.bad_status]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
        )


def traced_page(browser, base: str, viewport: dict, **options):
    """A page in a fresh browser context that records its traffic (`page.traffic`, a
    Traffic). A request to any host but 127.0.0.1 fails in the browser, which runs offline
    (`site.OFFLINE_ARGS`), and is recorded as leaving the machine. No time limit: every wait
    ends on a condition (load event, element, URL). Returns (context, page).

    A request aborted (net::ERR_ABORTED) is the browser leaving the page before it arrived:
    the favicon and MathJax's web fonts, fetched after the load event, when a test moves on at
    that event. It is not a failure of the site; a missing file still is (an HTTP error), and so
    is any other failure."""
    context = browser.new_context(viewport=viewport, locale="fr-FR", service_workers="block", **options)
    context.set_default_timeout(0)
    context.set_default_navigation_timeout(0)
    traffic = Traffic(base)

    def outside(url: str) -> bool:
        return not (url.startswith(base) or url.startswith(("data:", "blob:")))

    def on_request(request):
        traffic.requests.append(request.url)
        if outside(request.url):
            traffic.outside.append(request.url)
        SUMMARY["requests"] += 1
        SUMMARY["hosts"].add(urlsplit(request.url).hostname or request.url.split(":", 1)[0])

    def on_failed(request):
        if "ERR_ABORTED" in (request.failure or "") or outside(request.url):  # left, or blocked (see above)
            return
        traffic.failed.append(f"{request.url} ({request.failure})")

    new_page = context.new_page()
    new_page.on("request", on_request)
    new_page.on("requestfailed", on_failed)
    new_page.on("response", lambda r: r.status >= 400 and traffic.bad_status.append(f"{r.status} {r.url}"))
    new_page.on(
        "console",
        lambda m: m.type == "error" and traffic.console_errors.append(f"{m.text} ({m.location.get('url', '')})"),
    )
    new_page.on("pageerror", lambda e: traffic.page_errors.append(str(e)))
    new_page.traffic = traffic
    return context, new_page


@pytest.fixture()
def page(browser, base):
    """A fresh desktop page (see `traced_page`)."""
    context, new_page = traced_page(browser, base, DESKTOP)
    yield new_page
    SUMMARY["blocked"] += new_page.traffic.outside
    context.close()
    assert not new_page.traffic.outside, f"requests left the machine: {new_page.traffic.outside}"


def visit(page, base: str, rel: str) -> None:
    # the load event, not "networkidle", which waits half a second of silence after it on
    # every page (a fifth of the browser tests' time); what comes later and is cut short by
    # the next page is not a failure (see `traced_page`). No time limit (see `page`).
    page.goto(base + rel, wait_until="load")
    SUMMARY["pages_loaded"].add(rel)


def follow(page, link) -> None:
    """Click a link and wait for the page it opens to have loaded."""
    with page.expect_navigation(wait_until="load"):
        link.click()


def page_of(url: str | None, base: str) -> str | None:
    """The site-relative page of a URL of the served site (None for None)."""
    return None if url is None else url.removeprefix(base).split("#")[0].split("?")[0] or "index.html"


def path_of(page, base: str) -> str:
    return page_of(page.url, base)


# ------------------------------------------------------------------ pages and requests

_TABLE_OVERFLOW = """() => [...document.querySelectorAll('article.bd-article figure.cv-figure-table, article.bd-article .cv-table-wrap')]
    .filter(f => f.scrollWidth > f.clientWidth + 2)
    .map(f => [(f.querySelector('.cv-title') || {}).innerText || '', f.scrollWidth, f.clientWidth])"""
_PAGE_OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"


# Words of the text under `selector` (code excluded: identifiers and hashes may wrap) that the
# browser laid out on more than one line. A word is a run of characters between spaces
# (no-break spaces and hyphens included: "Hauts-de-Chambéry" may wrap at its hyphens).
SPLIT_WORDS = r"""(selector) => {
  const split = []; let words = 0;
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code')) continue;
      const word = /[^\s\u00a0\u202f\-\u2010\u2011\u2013\u2014\/]+/gu;
      for (let m = word.exec(node.data); m; m = word.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        if (!rects.length) continue;  // not rendered (closed block)
        words += 1;
        if (new Set(rects.map(r => Math.round(r.top))).size > 1) split.push(m[0]);
      }
    }
  }
  return {words, split};
}"""
PAGE_TITLE = "article.bd-article h1"
# What axe's colour-contrast rule judges, for each rendered element holding text: its colour, the
# background layers under it up to the first opaque one (an image counts as a layer), its
# opacity with its ancestors', its font size and weight (large text has a lower threshold) and
# its text shadow.
_TEXT_STYLES = r"""() => {
  const transparent = (c) => c === 'transparent' || /rgba\(.*, 0\)$/.test(c);
  const layers = (el) => {
    const found = []; let opacity = 1, covered = false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      opacity *= Number(s.opacity);
      if (covered) continue;
      if (s.backgroundImage !== 'none') found.push('image');
      if (!transparent(s.backgroundColor)) { found.push(s.backgroundColor); covered = !/rgba/.test(s.backgroundColor); }
    }
    return [found.join('>'), opacity];
  };
  const styles = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.data.trim())) continue;
    if (!el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    styles.add([s.color, ...layers(el), s.fontSize, s.fontWeight, s.textShadow].join('|'));
  }
  return [...styles];
}"""
_AXE_ALL = "async () => await axe.run(document, {resultTypes: ['violations']})"
_AXE_BUT_CONTRAST = (
    "async () => await axe.run(document, {resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}}})"
)


@pytest.fixture(scope="module")
def walk(browser, base, site_dir):
    """One desktop visit of every page, shared by the tests that look at every page (a page
    load costs more than the checks): the book in its reading order by its "Suivant" links,
    then the pages outside it (search). On each page, what those tests assert is recorded:
    the traffic of its load (failed requests, HTTP and console errors), axe-core's violations,
    tables wider than their column, a page wider than the screen (desktop and phone), the
    words of its title cut in two on a phone, and where its "Précédent" link leads.
    A "Suivant" link leading elsewhere is recorded and the walk goes on from the expected page.

    axe's colour-contrast rule is most of its time on every page (three quarters on a page of the
    code annex). Its verdict on a piece of text depends on that text's style and on the layers
    under it (`_TEXT_STYLES` reads both), which the pages share: one stylesheet, one template per
    kind of page. It
    runs on a page where a text style appears that no page checked before had, and nowhere else
    (all the other rules run on every page). `contrast_skipped` lists the pages it skipped,
    `text_styles` the styles seen and those checked."""
    assert AXE.exists(), f"{AXE} missing: run `make env` (npm ci installs axe-core)"
    context, page = traced_page(browser, base, DESKTOP)
    # axe-core in every page as its document starts (it defines `axe` and does nothing until
    # run): sent to the browser once, where a script tag per page sent its 0.5 MB each time
    # (a sixth of the walk's time)
    page.add_init_script(path=str(AXE))
    order = site.reading_order(site_dir)
    found = {
        "pages": [],
        "loads": [],
        "next": [],
        "previous": {},
        "axe": {},
        "layout": [],
        "phone_titles": [],
        "contrast_skipped": [],
        "text_styles": {"checked": set(), "seen": set(), "per_page": {}},
    }
    seen = 0  # problems recorded before this page's load

    def run_axe(rel: str):
        styles = set(page.evaluate(_TEXT_STYLES))
        found["text_styles"]["per_page"][rel] = len(styles)
        found["text_styles"]["seen"] |= styles
        if styles <= found["text_styles"]["checked"]:
            found["contrast_skipped"].append(rel)
            return page.evaluate(_AXE_BUT_CONTRAST)
        found["text_styles"]["checked"] |= styles
        return page.evaluate(_AXE_ALL)

    def check(rel: str) -> None:
        nonlocal seen
        SUMMARY["pages_loaded"].add(rel)
        found["pages"].append(rel)
        found["loads"] += [f"{rel}: {p}" for p in page.traffic.problems()[seen:]]
        found["previous"][rel] = page_of(
            page.evaluate("() => (document.querySelector('a.left-prev') || {}).href || null"), base
        )
        result = run_axe(rel)
        found["axe"][rel] = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]
        if rel in order:
            tables = page.evaluate(_TABLE_OVERFLOW)
            found["layout"] += [f"{rel}: table '{t}' is {w}px wide in {c}px" for t, w, c in tables]
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            extra = page.evaluate(_PAGE_OVERFLOW)
            if extra > 1:
                found["layout"].append(f"{rel}: the page scrolls sideways by {extra}px at {size['width']}px")
        # the code annex is left out: its titles are module paths, longer than a phone is wide
        split = [] if rel.startswith("code/") else page.evaluate(SPLIT_WORDS, PAGE_TITLE)["split"]
        if split:
            found["phone_titles"].append(f"{rel}: words of the title broken across lines: {split}")
        page.set_viewport_size(DESKTOP)
        seen = len(page.traffic.problems())

    visit(page, base, order[0])
    check(order[0])
    for expected in order[1:]:
        follow(page, page.locator("a.right-next"))
        if path_of(page, base) != expected:
            found["next"].append(f"'Suivant' led to {path_of(page, base)}, not {expected}")
            seen = len(page.traffic.problems())
            visit(page, base, expected)
        check(expected)
    if page.locator("a.right-next").count():
        found["next"].append(f"the last page, {order[-1]}, has a 'Suivant' link")
    for rel in site.html_pages(site_dir):
        if rel not in order:
            seen = len(page.traffic.problems())
            visit(page, base, rel)
            check(rel)
    found["requests"] = list(page.traffic.requests)
    found["outside"] = list(page.traffic.outside)
    SUMMARY["blocked"] += page.traffic.outside
    context.close()
    return found


def test_every_page_loads_with_no_error_and_nothing_from_outside(walk, base, site_dir):
    pages = site.html_pages(site_dir)
    assert sorted(walk["pages"]) == pages
    assert len(walk["requests"]) > len(pages)
    assert all(url.startswith(base) or url.startswith("data:") for url in walk["requests"])
    assert not walk["outside"], f"requests left the machine: {walk['outside']}"
    assert not walk["loads"], "\n".join(walk["loads"])


def test_a_request_to_another_host_is_recorded_and_never_answered(browser, tmp_path):
    """The browser runs offline (`site.OFFLINE_ARGS`): a page asking another host, by name or by
    address, gets no answer, and each such request is recorded as leaving the machine."""
    outside = ["http://example.com/logo.png", "http://93.184.216.34/font.woff2", "https://cdn.jsdelivr.net/x.js"]
    (tmp_path / "index.html").write_text(
        f'<img src="{outside[0]}"><img src="{outside[1]}"><img src="here.png">'
        f'<script>fetch("{outside[2]}").catch(() => {{}})</script>',
        encoding="utf-8",
    )
    with site.serve(tmp_path) as served:
        context, page = traced_page(browser, served, DESKTOP)
        answered = []
        page.on("response", lambda response: answered.append(response.url))
        with page.expect_event("requestfailed", lambda request: request.url == outside[2]):
            visit(page, served, "index.html")
        context.close()
    assert sorted(page.traffic.outside) == sorted(outside)
    assert not [url for url in answered if not url.startswith(served)]
    assert page.traffic.bad_status == [f"404 {served}here.png"]  # the loopback is served
    assert not page.traffic.failed  # a blocked request is reported once, as leaving the machine


def test_previous_and_next_links_walk_the_whole_book(walk, site_dir):
    """Forward, the walk followed every "Suivant" link; back, every page's "Précédent" link leads
    to the page before it (read in the walk: following the same kind of link is tested forward)."""
    assert not walk["next"], "\n".join(walk["next"])
    order = site.reading_order(site_dir)
    assert walk["previous"][order[0]] is None
    wrong = [
        f"'Précédent' on {page} leads to {walk['previous'][page]}, not {before}"
        for before, page in zip(order, order[1:], strict=False)
        if walk["previous"][page] != before
    ]
    assert not wrong, "\n".join(wrong)


def test_sidebar_links_open_their_pages(page, base, site_dir):
    """Every link of the sidebar leads to a page of the site; a reader follows each one of the
    book's own pages, and of the collapsed code annex (one link per module) the first and the
    last, opening the section with its chevron (the walk loads every module's page anyway)."""
    visit(page, base, "index.html")
    links = page.locator("nav.bd-docs-nav a.reference.internal")
    targets = [page_of(href, base) for href in links.evaluate_all("links => links.map(a => a.href)")]
    assert len(targets) >= 3
    pages = set(site.html_pages(site_dir))
    assert not [t for t in targets if t not in pages], "sidebar links to pages that do not exist"
    collapsed = links.evaluate_all("links => links.map(a => !!a.closest('details:not([open])'))")
    hidden = [index for index, closed in enumerate(collapsed) if closed]
    followed = [index for index, closed in enumerate(collapsed) if not closed] + hidden[:1] + hidden[-1:]
    for index in sorted(set(followed)):
        # from the page the previous link opened: every page has the same sidebar
        link = page.locator("nav.bd-docs-nav a.reference.internal").nth(index)
        if not link.is_visible():
            # a page of a collapsed section: open the section with its chevron, as a reader would
            link.locator("xpath=ancestor::details[1]/summary/span").click()
        follow(page, link)
        assert path_of(page, base) == targets[index]
        assert page.locator("article.bd-article h1").count() >= 1
    assert not page.traffic.problems(), page.traffic.problems()


def test_search_finds_pauvrete_in_the_portrait(page, base):
    visit(page, base, "index.html")
    page.locator("button.search-button-field").first.click()
    field = page.locator("#pst-search-dialog input[name=q]")
    field.fill("pauvreté")
    field.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    results = page.locator("#search-results ul.search li a")
    # Sphinx writes the summary line once every result is drawn
    page.locator("#search-results p.search-summary").wait_for()
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("chapters/portrait.html" in h for h in hrefs), hrefs
    assert "Recherche" in page.title()
    assert not page.traffic.problems(), page.traffic.problems()


def test_code_toggle_opens_and_closes(page, base):
    visit(page, base, "chapters/portrait.html")
    toggle = page.locator("details.hide.above-input").nth(1)
    summary, code = toggle.locator("summary"), toggle.locator(".cell_input")
    # issue 13: the code stays out of the reader's way behind one switch per chapter
    assert page.locator("#cv-show-code").count() == 1 and not toggle.is_visible()
    page.locator('label[for="cv-show-code"]').click()
    toggle.wait_for(state="visible")
    assert toggle.get_attribute("open") is None and not code.is_visible()
    assert "Afficher le code" in summary.inner_text()
    summary.click()
    assert toggle.get_attribute("open") is not None
    code.wait_for(state="visible")
    assert "Masquer le code" in summary.inner_text()
    summary.click()
    assert toggle.get_attribute("open") is None and not code.is_visible()


def test_fiches_index_links_to_every_fiche(page, base, site_dir):
    index = site_dir / "fiches" / "index.html"
    if not index.exists():
        pytest.skip("book/fiches/index is not in the book yet (the neighbourhood fiches are issue 6)")
    fiches = [p for p in site.html_pages(site_dir) if p.startswith("fiches/") and p != "fiches/index.html"]
    assert fiches, "fiches/index exists but no fiche page was built"
    visit(page, base, "fiches/index.html")
    hrefs = page.eval_on_selector_all("article.bd-article a[href]", "els => els.map(a => a.href)")
    linked = {urlsplit(h).path.lstrip("/") for h in hrefs if h.startswith(base)}
    missing = sorted(set(fiches) - linked)
    assert not missing, f"fiches/index does not link to {missing}"
    for fiche in [fiches[0], fiches[-1]]:  # followed by a reader; the walk loads every fiche
        follow(page, page.locator(f'article.bd-article a[href$="{Path(fiche).name}"]').first)
        assert path_of(page, base) == fiche
        page.go_back(wait_until="load")
        assert path_of(page, base) == "fiches/index.html"
    assert not page.traffic.problems(), page.traffic.problems()


# ------------------------------------------------------------------ look and accessibility


@pytest.mark.parametrize(
    "rel, name",
    [
        ("index.html", "accueil"),
        ("chapters/tableau_de_bord.html", "tableau-de-bord"),
        ("chapters/portrait.html", "chapitre-portrait"),
        ("donnees.html", "donnees"),
    ],
)
def test_screenshots_for_review(page, base, site_dir, rel, name):
    if not (site_dir / rel).exists():
        pytest.skip(f"{rel} is not in the book yet (the scorecard chapter is issue 4)")
    visit(page, base, rel)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    assert not page.traffic.problems(), page.traffic.problems()


def test_axe_finds_no_serious_or_critical_violation(walk, site_dir):
    """axe-core (npm, pinned in package-lock.json), injected in every page of the book (the walk)."""
    report = {rel: walk["axe"][rel] for rel in site.reading_order(site_dir) + ["search.html"]}
    blocking = [
        f"{rel}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes'][:3]}"
        for rel, found in report.items()
        for v in found
        if v["impact"] in BLOCKING_IMPACTS
    ]
    SUMMARY["axe"] = {rel: [f"{v['impact']} {v['id']}" for v in found] for rel, found in report.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    assert not blocking, "\n".join(blocking)


def test_tables_fit_the_page_and_pages_never_scroll_sideways(walk):
    """On a desktop screen every table fits its column; on a phone a wide table scrolls
    inside its own box, never the page (every page, in the walk)."""
    assert not walk["layout"], "\n".join(walk["layout"])


def test_no_word_of_a_page_title_is_cut_on_a_phone(walk):
    """« recommandation-s » at the desktop title size on Perspectives at 390 px (every page but
    the code annex, in the walk, at phone width)."""
    assert not walk["phone_titles"], "\n".join(walk["phone_titles"])


def test_colour_contrast_covers_every_text_style_of_every_page(walk):
    """The walk skips the contrast rule only where it would judge nothing new (see `walk`): every
    style seen was checked, on the first page showing it, and each kind of page had one checked."""
    styles = walk["text_styles"]
    assert styles["seen"] and styles["seen"] == styles["checked"]
    assert not [rel for rel, count in styles["per_page"].items() if not count], "pages with no text style"
    skipped = set(walk["contrast_skipped"])
    assert skipped and skipped < set(walk["pages"])


# ------------------------------------------------------------------ the home page as a synthesis (issue 13)


@pytest.mark.parametrize("viewport, name", [({"width": 1366, "height": 900}, "desktop"), (PHONE, "phone")])
def test_home_page_tells_in_one_screen_what_the_contract_is(page, base, viewport, name):
    page.set_viewport_size(viewport)
    visit(page, base, "index.html")
    article = page.locator("article.bd-article")
    lead = article.locator(".cv-home-lead")
    box = lead.bounding_box()
    assert box and box["y"] + box["height"] <= viewport["height"] * 1.6, box  # the lead starts in the first screen
    assert box["y"] < viewport["height"], box
    text = re.sub(r"\s+", " ", lead.inner_text().replace("\u202f", " ").replace("\u00a0", " "))
    for words in ("Contrat de Ville", "quartiers prioritaires", "M€"):
        assert words in text, (words, text)
    # the period: its start from the data (financements), its end as the report words it
    assert re.search(r"depuis 2015 .*jusqu.en 2022", text), text
    for href in ("chapters/tableau_de_bord.html", "glossaire.html", "journal_des_donnees.html"):
        assert article.locator(f'a[href^="{href}"]').count() >= 1, href
    cards = article.locator(".cv-keyfigures > div")
    assert cards.count() >= 4 and "pauvreté" in cards.first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"accueil-{name}-{viewport['width']}.png"
    page.screenshot(path=str(target))  # the first screen, as a reader sees it
    assert target.stat().st_size > 10_000
    assert not page.traffic.problems(), page.traffic.problems()
