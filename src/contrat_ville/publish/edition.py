"""The edition a built book shows: the run's year, written into the staged book's
configuration (title, footer, template context) before Jupyter Book runs.

`book/_config.yml` is static and holds `{edition}` where the year goes; the pipeline copies
the book sources to a staging folder and calls `stamp_config` on the copy, so the sources
never carry a year and every edition's site names its own."""

from __future__ import annotations

from pathlib import Path

PLACEHOLDER = "{edition}"


def stamped(text: str, year: int) -> str:
    """`text` with every `{edition}` replaced by the year; a configuration without the
    placeholder is an error (the book would silently name no edition, or a stale one)."""
    if PLACEHOLDER not in text:
        raise ValueError(f"book/_config.yml: no {PLACEHOLDER} placeholder; the title and footer must name the edition")
    return text.replace(PLACEHOLDER, str(int(year)))


def stamp_config(book: Path, year: int) -> None:
    """Write the run's year into `book/_config.yml` of a staged copy of the book."""
    config = Path(book) / "_config.yml"
    config.write_text(stamped(config.read_text(encoding="utf-8"), year), encoding="utf-8")
