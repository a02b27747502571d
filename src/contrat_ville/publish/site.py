"""The built book as a static site: serve it on the loopback interface, list its pages,
follow its reading order, check its links, and start Debian's Chromium to look at it.

Used by `contrat_ville.publish.pdf` (print the book) and by the browser tests. Nothing here
reaches the network: the server listens on 127.0.0.1 only, Chromium runs with its
background services (updates, sync, safe browsing downloads) switched off, and any request
of a page to another host fails in the browser (`OFFLINE_ARGS`)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]

# Every request but the loopback's fails in the browser itself: names resolve to nothing, and
# what is left (an address written in a URL) goes to a proxy on a closed port (Chromium never
# proxies the loopback). The browser tests still see each such request (Playwright's "request"
# event) and fail on it; intercepting every request instead (`context.route`) went through
# Python and back for each file of each page, and switched Chromium's cache off.
OFFLINE_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:1",
]

# Folders of the built site that hold assets and templates, not pages.
NON_PAGE_DIRS = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static"}


def chromium_path() -> str:
    """Debian's Chromium: `CHROMIUM` if set, else `chromium` on PATH, else /usr/bin/chromium."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def launch_chromium(playwright: Any, **options: object) -> Any:
    """A headless Chromium driven by Playwright, offline (`OFFLINE_ARGS`); never a browser
    downloaded by Playwright."""
    args = CHROMIUM_ARGS + OFFLINE_ARGS
    return playwright.chromium.launch(executable_path=chromium_path(), args=args, headless=True, **options)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (free port) in a thread; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def html_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to it ('chapters/portrait.html')."""
    site = Path(site)
    pages = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site)
        if rel.parts[0] in NON_PAGE_DIRS:
            continue
        pages.append(rel.as_posix())
    return sorted(pages)


@dataclass(frozen=True)
class Link:
    tag: str
    attribute: str
    url: str
    rel: str = ""


class _LinkParser(HTMLParser):
    """Collects every URL of a page (href, src, srcset, poster) and every element id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name) and (name == "id" or tag == "a"):
                self.ids.add(attributes[name])
        for name in ("href", "src", "poster", "data"):
            value = attributes.get(name)
            if value is not None:
                self.links.append(Link(tag, name, value.strip(), (attributes.get("rel") or "").lower()))
        if attributes.get("srcset"):
            for candidate in attributes["srcset"].split(","):
                if candidate.strip():
                    self.links.append(Link(tag, "srcset", candidate.strip().split()[0]))

    handle_startendtag = handle_starttag


def parse(html_text: str) -> tuple[list[Link], set[str]]:
    """The links and the element ids of one HTML document."""
    parser = _LinkParser()
    parser.feed(html_text)
    parser.close()
    return parser.links, parser.ids


def is_external(url: str) -> bool:
    """True for a URL that leaves the site (http, https, protocol-relative, ftp...);
    data:, mailto:, javascript: and the like are not fetched from anywhere."""
    if _ignored(url):
        return False
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "file")


def _ignored(url: str) -> bool:
    scheme = urlsplit(url).scheme
    return not url or scheme in ("data", "mailto", "tel", "javascript", "blob", "about")


def resolve(page: str, url: str) -> tuple[str, str] | None:
    """The site-relative file a local link of `page` points to, and its fragment.

    None for external URLs and for data:, mailto: and javascript: links."""
    if _ignored(url) or is_external(url):
        return None
    joined = urljoin("http://site/" + page, url)
    parts = urlsplit(joined)
    path = unquote(parts.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path, unquote(parts.fragment)


# Theme anchors that only exist once JavaScript has run, or that mean "top of page".
_DYNAMIC_FRAGMENTS = {"", "top"}


def broken_links(site: Path) -> list[str]:
    """Every local href/src of every page whose file is missing, or whose #anchor is missing
    in the target page. Returns readable messages ('page: tag attr=url (why)')."""
    site = Path(site)
    ids_cache: dict[str, set[str]] = {}

    def ids_of(rel: str) -> set[str]:
        if rel not in ids_cache:
            ids_cache[rel] = parse((site / rel).read_text(encoding="utf-8"))[1]
        return ids_cache[rel]

    problems = []
    for page in html_pages(site):
        links, _ = parse((site / page).read_text(encoding="utf-8"))
        for link in links:
            target = resolve(page, link.url)
            if target is None:
                continue
            path, fragment = target
            if link.rel in ("canonical", "alternate"):
                continue
            file = site / path
            if not file.is_file():
                problems.append(f"{page}: <{link.tag} {link.attribute}={link.url!r}> → missing file {path}")
            elif (
                fragment not in _DYNAMIC_FRAGMENTS
                and file.suffix == ".html"
                and link.tag == "a"
                and fragment not in ids_of(path)
            ):
                problems.append(f"{page}: <{link.tag} {link.attribute}={link.url!r}> → no id {fragment!r} in {path}")
    return problems


def external_resources(html_text: str) -> list[str]:
    """URLs outside the site that a page would load by itself: scripts, stylesheets, fonts,
    icons, images, frames (plain <a> links to other sites are not loads)."""
    links, _ = parse(html_text)
    loaded = []
    for link in links:
        if _ignored(link.url) or not is_external(link.url):
            continue
        if link.tag == "a":
            continue
        if link.tag == "link" and not (
            {
                "stylesheet",
                "preload",
                "icon",
                "shortcut",
                "modulepreload",
                "manifest",
                "prefetch",
                "preconnect",
                "dns-prefetch",
            }
            & set(link.rel.split())
        ):
            continue
        loaded.append(link.url)
    return loaded


def reading_order(site: Path, start: str = "index.html") -> list[str]:
    """Pages in the book's reading order: from the home page, follow each page's
    `<link rel="next">` (what the "Suivant" button follows)."""
    site = Path(site)
    order, page = [], start
    while page and page not in order:
        order.append(page)
        links, _ = parse((site / page).read_text(encoding="utf-8"))
        following = [resolve(page, link.url) for link in links if link.tag == "link" and link.rel == "next"]
        page = following[0][0] if following and following[0] else None
    return order


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NOT_PROSE = {"script", "style", "pre", "code", "kbd", "samp", "svg", "math", "template", "noscript", "textarea"}


class _TextParser(HTMLParser):
    """Text a reader sees as prose: code, scripts, English passages (lang="en"), the
    collapsed provenance blocks and quotes of the report (class cv-quote, kept as printed)
    are skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def _skipped(self, tag: str, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        lang = (attrs.get("lang") or "").lower()
        return (
            tag in _NOT_PROSE
            or (lang and not lang.startswith("fr"))
            or "cv-provenance" in classes
            or "cv-quote" in classes
            or "math" in classes  # TeX of a formula (MathJax typesets it), not prose
            or attrs.get("aria-hidden") == "true"
        )

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if self._skipped(tag, dict(attrs)):
            self._skip_tag, self._skip_depth = tag, 1

    def handle_endtag(self, tag):
        if self._skip_tag is not None and tag == self._skip_tag:
            self._skip_depth -= 1
            if self._skip_depth == 0:
                self._skip_tag = None
        elif self._skip_tag is None and tag in (
            "p",
            "li",
            "td",
            "th",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "dd",
            "dt",
            "figcaption",
            "tr",
        ):
            self.parts.append("\n")

    def handle_data(self, data):
        if self._skip_tag is None:
            self.parts.append(data)


def visible_text(html_text: str) -> str:
    """The prose of a page (see _TextParser), whitespace kept as found."""
    parser = _TextParser()
    parser.feed(html_text)
    parser.close()
    return "".join(parser.parts)
