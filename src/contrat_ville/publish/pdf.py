"""The whole book as one PDF, offline: `python -m contrat_ville.publish.pdf` (called by `make pdf`).

Debian's Chromium, driven by Playwright, opens every page of the built site (served on
127.0.0.1) in reading order, takes each page's article, and prints them as one A4
document: a cover, a table of contents with page numbers, then one chapter per page
break, with the book's own stylesheets. Code cells and the provenance blocks are left out
(they are in the online book and the executed notebooks); tables and charts stay.

The per-territory fiches (fiches/fiche-*.html, one page per territory, over thirty) are
reference sheets for the online book, not part of the report: the PDF prints the fiches
index, which lists them, and leaves the fiches out (see `printed`). So with the code annex:
the PDF prints its index, which names every module, not the source of each (over 200 printed
pages of Python, more than half the document, for the reviewers who read it online).

Page numbers come from CSS page-margin boxes; the document is printed twice: the first
print tells (through the PDF's named destinations) on which page each chapter starts, and the
second carries those numbers in the contents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import format_date

from contrat_ville.data.paths import SITE_DIR
from contrat_ville.presentation import fmt
from contrat_ville.publish import site as site_tools

DEFAULT_OUTPUT_DIR = SITE_DIR.parent / "pdf"
MAX_PASSES = 3
HOME_TOC_LABEL = "Présentation, chiffres clés et guide de lecture"


@dataclass
class Chapter:
    """One page of the book as it goes into the PDF."""

    path: str  # site-relative path of the page
    title: str
    part: str | None
    html: str = ""
    level: int = 1  # 1: entry of the sidebar; 2: a sub-page (e.g. one fiche)

    @property
    def anchor(self) -> str:
        return "ch-" + re.sub(r"[^a-z0-9]+", "-", self.path.lower().removesuffix(".html")).strip("-")


@dataclass
class PdfReport:
    path: Path
    pages: int
    size_bytes: int
    chapters: list[str] = field(default_factory=list)
    start_pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    overflowing: list[str] = field(default_factory=list)  # tables or charts wider than the printed text


# JavaScript run in each page: the article, ready to be moved into the print document.
# Ids are prefixed with the chapter's anchor (they must stay unique in one document);
# links to pages of the book become links inside the PDF; links to other local files
# (downloads) lose their href, since 127.0.0.1 means nothing in a PDF.
_EXTRACT_ARTICLE = r"""
([anchor, anchors]) => {
  const article = document.querySelector('article.bd-article');
  if (!article) return null;
  const copy = article.cloneNode(true);
  // the home page's table of contents: the PDF has its own (drop its section if nothing else is in it)
  copy.querySelectorAll('.toctree-wrapper').forEach(w => {
    const section = w.closest('section');
    const alone = section && section.parentElement !== copy
        && [...section.children].every(c => c === w || /^H[1-6]$/.test(c.tagName));
    (alone ? section : w).remove();
  });
  copy.querySelectorAll('.headerlink, .cell_input, details.hide.above-input, details.cv-provenance, '
      + 'script, .prev-next-area, .d-print-none')
      .forEach(e => e.remove());
  copy.querySelectorAll('[id]').forEach(e => e.id = anchor + '--' + e.id);
  copy.querySelectorAll('[aria-labelledby]').forEach(e =>
      e.setAttribute('aria-labelledby', e.getAttribute('aria-labelledby').split(/\s+/).map(i => anchor + '--' + i).join(' ')));
  copy.querySelectorAll('[src]').forEach(e => { if (!e.getAttribute('src').startsWith('data:')) e.setAttribute('src', e.src); });
  const origin = location.origin + '/';
  copy.querySelectorAll('a[href]').forEach(a => {
    const url = new URL(a.getAttribute('href'), location.href);
    if (url.origin !== location.origin) return;            // another site: keep
    const path = decodeURIComponent(url.pathname.slice(1)) || 'index.html';
    const target = anchors[path];
    if (target) {
      a.setAttribute('href', '#' + (url.hash ? target + '--' + decodeURIComponent(url.hash.slice(1)) : target));
    } else {
      a.removeAttribute('href');
      a.removeAttribute('download');
    }
  });
  return copy.innerHTML;
}
"""

# The sidebar of the home page: which part (caption) each top-level page belongs to.
_READ_PARTS = r"""
() => {
  const out = [];
  let part = null;
  document.querySelectorAll('nav.bd-docs-nav p.caption, nav.bd-docs-nav li.toctree-l1 > a').forEach(e => {
    if (e.matches('p.caption')) { part = e.innerText.trim(); return; }
    out.push([new URL(e.getAttribute('href'), location.href).pathname.slice(1) || 'index.html', part]);
  });
  return out;
}
"""

# A4 less the side margins of PRINT_CSS (15 mm each): 180 mm at 96 CSS px per inch.
A4_TEXT_VIEWPORT = {"width": round(180 / 25.4 * 96), "height": 1000}

_OVERFLOWING = r"""
() => [...document.querySelectorAll('figure.cv-figure, .cv-table-wrap, table, img')]
  .filter(e => e.scrollWidth > e.clientWidth + 2 || e.getBoundingClientRect().right > document.documentElement.clientWidth + 2)
  .map(e => {
    const chapter = e.closest('.cv-chapter');
    const caption = e.closest('figure') && e.closest('figure').querySelector('.cv-title');
    return `${chapter ? chapter.id : 'cover'}: ${e.tagName.toLowerCase()} ${caption ? caption.innerText : ''} (${e.scrollWidth}px)`;
  })
"""

PRINT_CSS = """
@page { size: A4; margin: 17mm 15mm 18mm 15mm;
  @bottom-left { content: "%(running)s"; font: 7.5pt 'DejaVu Sans', sans-serif; color: #555; }
  @bottom-right { content: "page " counter(page) " sur " counter(pages); font: 7.5pt 'DejaVu Sans', sans-serif; color: #555; } }
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
html { font-size: 10pt; }
body.cv-print { margin: 0; background: #fff; color: #1f2328; font-family: 'DejaVu Sans', sans-serif; }
body.cv-print .bd-article { padding: 0; max-width: none; }
.cv-chapter { break-before: page; }
.cv-chapter h1 { font-size: 20pt; margin-top: 0; }
.cv-chapter h2 { font-size: 14pt; break-after: avoid; }
.cv-chapter h3 { font-size: 11.5pt; break-after: avoid; }
.cv-print-part { font-size: 9pt; text-transform: uppercase; letter-spacing: .08em; color: #0b4f7c; margin: 0 0 .4rem; }
p, li, dd { orphans: 3; widows: 3; }
figure.cv-figure { break-inside: avoid; }
figure.cv-figure-table, .cv-table-wrap { overflow: visible !important; }
table.cv-table { font-size: 8pt !important; }
table.cv-table:has(thead th:nth-child(7)) { font-size: 7.4pt !important; }
img.cv-chart { max-width: 100%%; max-height: 120mm; width: auto; }
.cell_output { padding-left: 0 !important; }
a { color: inherit; text-decoration: none; }
.cv-cover { height: 257mm; display: flex; flex-direction: column; justify-content: space-between; padding: 20mm 8mm 0; box-sizing: border-box; }
.cv-cover .cv-cover-band { border-left: 8px solid #0072b2; padding-left: 8mm; }
.cv-cover .cv-cover-kicker { font-size: 11pt; text-transform: uppercase; letter-spacing: .12em; color: #0b4f7c; margin: 0 0 6mm; }
.cv-cover h1 { font-size: 30pt; line-height: 1.15; margin: 0 0 8mm; color: #111827; }
.cv-cover .cv-cover-edition { font-size: 16pt; color: #374151; margin: 0; }
.cv-cover .cv-cover-foot { font-size: 9.5pt; color: #374151; border-top: 1px solid #d0d7de; padding-top: 4mm; }
.cv-toc { break-before: page; }
.cv-toc h1 { font-size: 20pt; margin: 0 0 6mm; }
.cv-toc ol { list-style: none; padding: 0; margin: 0; }
.cv-toc li { display: flex; align-items: baseline; gap: 2mm; margin: 1.6mm 0; font-size: 10.5pt; }
.cv-toc li.cv-toc-level-2 { padding-left: 6mm; font-size: 9.5pt; }
.cv-toc li a { flex: 0 1 auto; }
.cv-toc li .cv-toc-dots { flex: 1 1 auto; border-bottom: 1px dotted #9ca3af; transform: translateY(-1mm); }
.cv-toc li .cv-toc-page { flex: 0 0 auto; font-variant-numeric: tabular-nums; min-width: 8mm; text-align: right; }
.cv-toc li.cv-toc-part { font-weight: 700; font-size: 10pt; text-transform: uppercase; letter-spacing: .06em; color: #0b4f7c; margin-top: 5mm; }
"""


def _edition(site: Path) -> str | None:
    data = Path(site) / "_static" / "data"
    years = (
        sorted(p.name for p in data.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)) if data.is_dir() else []
    )
    return years[-1] if years else None


def _production_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def cover_html(title: str, edition: str | None, author: str | None, produced: dt.date) -> str:
    """The cover page (first page of the PDF, no page number)."""
    e = html.escape
    edition_line = f'<p class="cv-cover-edition">Édition {e(edition)}</p>' if edition else ""
    author_line = f"<p>{e(author)}</p>" if author else ""
    return (
        '<section class="cv-cover">'
        '<div class="cv-cover-band">'
        '<p class="cv-cover-kicker">Politique de la ville · Grand Chambéry</p>'
        f"<h1>{e(title)}</h1>{edition_line}</div>"
        '<div class="cv-cover-foot">'
        f"{author_line}"
        "<p>Version imprimable du livre en ligne : chaque chiffre y est recalculé à partir des tableaux "
        "publiés, avec sa source ; les données et les carnets de calcul sont téléchargeables depuis le livre.</p>"
        f"<p>Document produit le {e(format_date(produced, format='long', locale=fmt.LOCALE))}.</p>"
        "</div></section>"
    )


def toc_html(chapters: list[Chapter], pages: dict[str, int] | None) -> str:
    """The table of contents; `pages` maps a chapter anchor to its first page (None: first pass)."""
    items, part = [], None
    for chapter in chapters:
        if chapter.part and chapter.part != part:
            part = chapter.part
            items.append(f'<li class="cv-toc-part">{html.escape(part)}</li>')
        page = str(pages.get(chapter.anchor, "")) if pages else "000"
        items.append(
            f'<li class="cv-toc-level-{chapter.level}"><a href="#{chapter.anchor}">{html.escape(chapter.title)}</a>'
            f'<span class="cv-toc-dots"></span><span class="cv-toc-page">{page}</span></li>'
        )
    return f'<nav class="cv-toc" aria-label="Sommaire"><h1>Sommaire</h1><ol>{"".join(items)}</ol></nav>'


def print_document(title: str, stylesheets: list[str], cover: str, toc: str, chapters: list[Chapter]) -> str:
    """The single HTML document that is printed."""
    links = "".join(f'<link rel="stylesheet" href="{html.escape(href, quote=True)}">' for href in stylesheets)
    running = title.replace("\\", "\\\\").replace('"', '\\"')
    css = PRINT_CSS % {"running": running}
    body, part = [], None
    for chapter in chapters:
        kicker = ""
        if chapter.part and chapter.part != part:
            part = chapter.part
            kicker = f'<p class="cv-print-part">{html.escape(part)}</p>'
        body.append(f'<article class="bd-article cv-chapter" id="{chapter.anchor}">{kicker}{chapter.html}</article>')
    return (
        f'<!DOCTYPE html><html lang="fr" data-theme="light" data-mode="light"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{links}<style>{css}</style></head>"
        f'<body class="cv-print">{cover}{toc}{"".join(body)}</body></html>'
    )


def start_pages(pdf_bytes: bytes, chapters: list[Chapter]) -> dict[str, int]:
    """Page number (1 = cover) on which each chapter starts, from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    found = {}
    for name, destination in reader.named_destinations.items():
        anchor = str(name).lstrip("/")
        if any(anchor == c.anchor for c in chapters):
            found[anchor] = reader.get_destination_page_number(destination) + 1
    return found


# The second pass: the contents, now with their page numbers (`toc_html`), in place of the first's.
_REPLACE_TOC = "(toc) => { document.querySelector('nav.cv-toc').outerHTML = toc; }"


def with_metadata(pdf_bytes: bytes, info: dict[str, str]) -> bytes:
    """`pdf_bytes` with `info` merged into its document information dictionary, appended as an
    incremental update (ISO 32000-1, 7.5.6): the printed objects stay as Chromium wrote them.
    Rewriting the whole report with pypdf (about 126 000 objects) took 30 s; this takes
    milliseconds. Chromium writes a classic cross-reference table, which the update extends."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf_bytes))
    trailer = reader.trailer
    merged = DictionaryObject(dict(trailer["/Info"].get_object()) if "/Info" in trailer else {})
    merged.update({NameObject(key): TextStringObject(value) for key, value in info.items()})
    number = int(trailer["/Size"])
    previous = re.findall(rb"startxref\s+(\d+)", pdf_bytes[-1024:])[-1].decode()
    body = io.BytesIO()
    merged.write_to_stream(body)
    head = pdf_bytes if pdf_bytes.endswith(b"\n") else pdf_bytes + b"\n"
    update = b"%d 0 obj\n" % number + body.getvalue() + b"\nendobj\n"
    xref = len(head) + len(update)
    root = trailer.raw_get("/Root")
    update += (
        # a first subsection for object 0, the head of the free list, as in the original table:
        # readers such as pypdf take a table that starts elsewhere for a mis-numbered one
        b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, len(head))
        + b"trailer\n<< /Size %d /Root %d %d R /Info %d 0 R /Prev %s >>\n"
        % (number + 1, root.idnum, root.generation, number, previous.encode())
        + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    return head + update


def printed(path: str) -> bool:
    """Whether a page of the book (site-relative path) is printed in the PDF: every page but
    the per-territory fiches and the source of each module of the code annex (the fiches index
    and the annex's index are printed)."""
    return not re.fullmatch(r"fiches/fiche-[^/]+\.html|code/(?!index\.html)[^/]+\.html", path)


def collect(page: Any, base: str, site: Path) -> tuple[str, str | None, list[str], list[Chapter]]:
    """Title, author, stylesheets and chapters of the built book, read through the browser."""
    order = [path for path in site_tools.reading_order(site) if printed(path)]
    page.goto(base + "index.html", wait_until="load")
    parts = dict(page.evaluate(_READ_PARTS))
    title = page.evaluate("() => (document.querySelector('.logo__title') || {}).innerText || document.title")
    title = " ".join(title.split())
    author = page.evaluate("() => (document.querySelector('.component-author') || {}).innerText || ''").strip()
    author = re.sub(r"^Par\s+", "", author) or None
    stylesheets = page.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)")

    chapters, part = [], None
    for path in order:
        level = 1 if path in parts else 2
        part = parts.get(path, part)
        chapters.append(Chapter(path, path, part, level=level))
    anchors = {c.path: c.anchor for c in chapters}
    for chapter in chapters:
        page.goto(base + chapter.path, wait_until="load")
        heading = page.evaluate(
            "() => { const h = document.querySelector('article.bd-article h1'); return h ? h.innerText.trim() : document.title; }"
        )
        chapter.title = HOME_TOC_LABEL if chapter.path == "index.html" else heading
        chapter.html = page.evaluate(_EXTRACT_ARTICLE, [chapter.anchor, anchors]) or ""
    return title, author, stylesheets, chapters


def build_pdf(site: Path = SITE_DIR, output: Path | None = None, log: Callable[[str], object] = print) -> PdfReport:
    """Print the built book in `site` to `output` (default book/_build/pdf/...)."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    started = time.perf_counter()
    site = Path(site)
    if not (site / "index.html").exists():
        raise FileNotFoundError(f"{site}/index.html not found: build the book first (make book)")
    edition = _edition(site)
    output = (
        Path(output) if output else DEFAULT_OUTPUT_DIR / f"contrat-de-ville-grand-chambery-{edition or 'livre'}.pdf"
    )
    output.parent.mkdir(parents=True, exist_ok=True)

    with site_tools.serve(site) as base, sync_playwright() as playwright:
        browser = site_tools.launch_chromium(playwright)
        try:
            page = browser.new_page()
            # no time limit: laying out the whole report takes tens of seconds, more on a loaded
            # machine, where Playwright's default of 30 s failed the print
            page.set_default_timeout(0)
            page.set_default_navigation_timeout(0)
            title, author, stylesheets, chapters = collect(page, base, site)
            log(f"{len(chapters)} pages of the book collected")
            cover = cover_html(title, edition, author, _production_date())
            pages: dict[str, int] | None = None
            page.set_viewport_size(A4_TEXT_VIEWPORT)  # lay out at the width of the printed text
            document = print_document(title, stylesheets, cover, toc_html(chapters, None), chapters)
            page.goto(base + "index.html", wait_until="load")  # same origin: the stylesheets load
            page.set_content(document, wait_until="load")
            page.emulate_media(media="print")
            overflowing = page.evaluate(_OVERFLOWING)
            for _ in range(MAX_PASSES):
                pdf_bytes = page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
                found = start_pages(pdf_bytes, chapters)
                if found == pages:
                    break
                pages = found
                # the contents go into the laid-out document (they reserve their numbers' width),
                # not a new one: laying out the whole report again took as long as printing it
                page.evaluate(_REPLACE_TOC, toc_html(chapters, pages))
        finally:
            browser.close()

    info = {
        "/Title": title,
        "/Author": author or "",
        "/Subject": f"Édition {edition}" if edition else "",
        "/Creator": "contrat_ville.publish.pdf (Chromium)",
    }
    output.write_bytes(with_metadata(pdf_bytes, info))
    total = len(PdfReader(output).pages)
    report = PdfReport(
        output,
        total,
        output.stat().st_size,
        [c.title for c in chapters],
        pages or {},
        time.perf_counter() - started,
        overflowing,
    )
    log(f"{output}: {report.pages} pages, {report.size_bytes / 1e6:.1f} MB, {report.seconds:.1f} s")
    for item in overflowing:
        log(f"warning: wider than the printed page: {item}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m contrat_ville.publish.pdf", description="Print the built book to one PDF (offline)."
    )
    parser.add_argument("--site", type=Path, default=SITE_DIR, help="the built HTML book (default: book/_build/html)")
    parser.add_argument(
        "--output", type=Path, default=None, help="the PDF to write (default: book/_build/pdf/<name>-<year>.pdf)"
    )
    parser.add_argument(
        "--json", action="store_true", help="end with one JSON line describing the PDF (for scripts and tests)"
    )
    args = parser.parse_args(argv)
    try:
        report = build_pdf(args.site, args.output, log=(lambda *_: None) if args.json else print)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(
            json.dumps(
                {
                    "path": str(report.path),
                    "pages": report.pages,
                    "size_bytes": report.size_bytes,
                    "chapters": report.chapters,
                    "start_pages": report.start_pages,
                    "seconds": round(report.seconds, 1),
                    "overflowing": report.overflowing,
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
