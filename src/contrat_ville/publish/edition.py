"""The edition a built book shows: the run's year, written into the staged book's
configuration (title, footer, template context) and Markdown pages before Jupyter Book runs.

`book/_config.yml` and the Markdown pages (`book/*.md`: home, methodology...) are static and hold
`{edition}` where the year goes; the pipeline copies the book sources to a staging folder and calls
`stamp_config` on the copy, so the sources never carry a year and every edition's site names its own."""

from __future__ import annotations

import json
from pathlib import Path

PLACEHOLDER = "{edition}"


def stamped(text: str, year: int) -> str:
    """`text` with every `{edition}` replaced by the year; a configuration without the
    placeholder is an error (the book would silently name no edition, or a stale one)."""
    if PLACEHOLDER not in text:
        raise ValueError(f"book/_config.yml: no {PLACEHOLDER} placeholder; the title and footer must name the edition")
    return text.replace(PLACEHOLDER, str(int(year)))


def stamped_page(text: str, year: int) -> str:
    """A Markdown page with every `{edition}` replaced by the year (a page may have none)."""
    return text.replace(PLACEHOLDER, str(int(year)))


def stamp_config(book: Path, year: int) -> None:
    """Write the run's year into `book/_config.yml`, the table of contents (its part captions are
    the sidebar's headings) and the Markdown pages of a staged copy of the book."""
    config = Path(book) / "_config.yml"
    config.write_text(stamped(config.read_text(encoding="utf-8"), year), encoding="utf-8")
    for page in sorted([*Path(book).glob("_toc.yml"), *Path(book).rglob("*.md")]):
        if "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        if PLACEHOLDER in text:
            page.write_text(stamped_page(text, year), encoding="utf-8")


# the edition switch (written here, not in the Sphinx extension: the pipeline writes one per
# placed edition, and need not import Sphinx for it), in the site's _static/
EDITIONS_JS = "editions.js"
_SWITCH_JS = """(function () {
  var data = %s;
  if (!data || data.editions.length < 2) return;  // one edition: nothing to switch to
  var here = document.currentScript;  // only set while this script runs: read it now
  var base = here ? here.src.replace(/_static\\/editions\\.js(\\?.*)?$/, "") : "";
  function add() {
    var nav = document.createElement("nav");
    nav.className = "cv-editions";
    nav.setAttribute("aria-label", "Éditions publiées");
    var title = document.createElement("p");
    title.className = "cv-editions-title";
    title.textContent = "Éditions";
    var list = document.createElement("ul");
    data.editions.forEach(function (edition) {
      var item = document.createElement("li");
      var label = String(edition.year) + (edition.year === data.latest ? " (dernière)" : "");
      var node;
      if (edition.year === data.current) {
        node = document.createElement("strong");
        node.setAttribute("aria-current", "page");
      } else {
        node = document.createElement("a");
        node.href = base + edition.href;
      }
      node.textContent = label;
      item.appendChild(node);
      list.appendChild(item);
    });
    nav.appendChild(title);
    nav.appendChild(list);
    var host = document.querySelector(".bd-sidebar-primary .sidebar-primary-items__start")
      || document.querySelector(".bd-sidebar-primary") || document.querySelector("main") || document.body;
    host.insertBefore(nav, host.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", add); else add();
})();
"""


def editions_script(current: int | None, links: dict[int, str], latest: int | None) -> str:
    """`_static/editions.js` for one placed edition: `links` maps each published edition to
    its index page, relative to this edition's root (the pipeline writes one per placement)."""
    data = (
        None
        if current is None
        else {
            "current": current,
            "latest": latest,
            "editions": [{"year": year, "href": links[year]} for year in sorted(links, reverse=True)],
        }
    )
    return "// Written by contrat_ville: the editions published side by side.\n" + _SWITCH_JS % json.dumps(data)
