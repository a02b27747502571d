"""The edition a built book shows: the run's year, written into the staged book's
configuration (title, footer, template context) and Markdown pages before Jupyter Book runs.

`book/_config.yml` and the Markdown pages (`book/*.md`: home, methodology...) are static and hold
`{edition}` where the year goes; the pipeline copies the book sources to a staging folder and calls
`stamp_config` on the copy, so the sources never carry a year and every edition's site names its own."""

from __future__ import annotations

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
