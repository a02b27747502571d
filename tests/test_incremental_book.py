"""Issue 16 item 2: the book is built in a kept folder (build/book-env/<year>: sources, raw
files, Sphinx environment and output), so that a changed page is read and written again and
the others are left as built; the site is, byte for byte, what a clean build gives."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import own_build_dir
from contrat_ville.run import cache, pipeline

pytestmark = pytest.mark.slow

# files the pipeline writes into a placed edition, not the book build
BOOKKEEPING = {
    cache.EDITION_NAME,
    cache.STAMP_NAME,
    cache.MANIFEST_NAME,
    cache.BUILD_KEY_NAME,
    pipeline.EDITIONS_SCRIPT,
}


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_bytes(folder: Path) -> dict[str, str]:
    """What the book build writes (the pipeline's own files of a placed edition left out)."""
    return {name: digest for name, digest in tree_hashes(folder).items() if name not in BOOKKEEPING}


def page_dates(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def set_glued(portrait: Path, original: bytes, value: str) -> None:
    """The portrait chapter with another value glued as `qpv_population` (the home page shows it)."""
    nb = json.loads(original)
    (glued,) = [
        output
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if output.get("metadata", {}).get("scrapbook", {}).get("name") == "qpv_population"
    ]
    (mime,) = glued["data"]
    assert glued["data"][mime] == "'9\\u202f848'"  # the repr papermill records
    glued["data"][mime] = value
    portrait.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def test_an_incremental_book_build_gives_the_clean_builds_bytes(built, tmp_path):
    """The pipeline's run left its kept build; a copy of its sources, with a value that the home
    page glues from the portrait chapter changed, is built from nothing in a kept folder of this
    test, in one Sphinx process. Then, in one process per core as the pipeline builds: the
    change undone, nothing changed (no-op), the change made again. Every site is the bytes of
    a clean build of the same sources (the pipeline's, or this test's serial one), and pages
    that did not change are not written again. A failed build drops the kept folder."""
    kept = built["base"] / "build" / pipeline.BOOK_ENV_DIR / "2018"
    assert (kept / pipeline.BOOK_LAYOUT_NAME).is_file(), "the pipeline did not keep its book build"
    work, book, raw = tmp_path / "work", tmp_path / "book", tmp_path / "raw"
    shutil.copytree(kept / "src", book)
    shutil.copytree(kept / "raw", raw)
    clean = site_bytes(built["site"])
    html = work / "out" / "_build" / "html"
    portrait = book / "chapters" / "portrait.ipynb"
    original = portrait.read_bytes()

    def build(name: str, **options) -> tuple[dict[str, str], set[str]]:
        """The bytes of the site built in the kept folder, and the pages this build wrote."""
        before = page_dates(html) if html.is_dir() else {}
        site = pipeline.build_book_kept(book, work, tmp_path / name, raw, **options)
        return site_bytes(site), {page for page, date in page_dates(html).items() if date != before.get(page)}

    def home_page() -> str:
        return re.sub(r"[\u00a0\u202f]", " ", (html / "index.html").read_text(encoding="utf-8"))

    set_glued(portrait, original, "'9\\u202f849'")
    # clean and serial: the reference for the changed sources (the pipeline builds in parallel)
    changed_clean, _ = build("changed-clean", jobs=1)
    # the home page shows the value glued in the portrait chapter (which only stores it)
    assert "9 849" in home_page()
    assert differing(changed_clean, clean), "the changed value changed nothing"

    portrait.write_bytes(original)
    undone, written = build("undone")
    assert differing(undone, clean) == [], "a build in another folder, or after a change, gives other bytes"
    assert {"index.html", "chapters/portrait.html"} <= written

    noop, written = build("noop")
    assert differing(noop, clean) == []
    # the Données page lists the raw and processed files (read at every build), the home page's
    # table of contents holds it, the glossary feeds the search index's entries and the search
    # page is written at every build: nothing else
    assert written <= {"donnees.html", "index.html", "glossaire.html", "search.html"}, sorted(written)

    set_glued(portrait, original, "'9\\u202f849'")
    changed, written = build("changed")
    assert differing(changed, changed_clean) == [], "the incremental build is not the clean build's bytes"
    assert {"index.html", "chapters/portrait.html"} <= written
    assert "chapters/emploi.html" not in written, "a page that did not change was rendered again"
    assert not any(page.startswith("fiches/") for page in written), sorted(written)

    # a page whose warning fails the build: the kept folder is dropped, so that the next build
    # reads that page again (a kept environment would not, and the warning would be lost)
    page = book / "methodologie.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir {doc}`page-inexistante`.\n", encoding="utf-8")
    with pytest.raises(pipeline.PipelineError, match="book build failed"):
        pipeline.build_book_kept(book, work, tmp_path / "failed", raw)
    assert not work.exists() and not (tmp_path / "failed").exists()


def test_a_failed_book_build_drops_the_kept_build_and_publishes_nothing(built, tmp_path, monkeypatch):
    """A book build that fails after writing into the kept folder (here: a damaged page, then an
    error) leaves the published site and data as they were, and no kept build behind."""
    processed_root, site = tmp_path / "processed", tmp_path / "site"
    shutil.copytree(built["processed"], processed_root / "2018")
    shutil.copytree(built["site"], site)
    (site / "chapters" / "emploi.html").unlink()  # a damaged site: the run builds the book again
    before = {**tree_hashes(processed_root), **{f"site/{k}": v for k, v in tree_hashes(site).items()}}
    build = own_build_dir(built["base"], tmp_path / "build")
    kept = build / pipeline.BOOK_ENV_DIR / "2018"

    def failing_build(book, out, raw_dir=None, jobs=None, process=None):
        page = Path(out) / "_build" / "html" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("damaged", encoding="utf-8")
        raise pipeline.PipelineError("book build failed: injected")

    monkeypatch.setattr(pipeline, "build_book", failing_build)
    with pytest.raises(pipeline.PipelineError, match="injected"):
        pipeline.run(processed_root=processed_root, site_dir=site, build_dir=build, log=lambda *_: None)
    after = {**tree_hashes(processed_root), **{f"site/{k}": v for k, v in tree_hashes(site).items()}}
    assert after == before
    assert not kept.exists(), "the failed build's kept folder was left for the next run"
    assert not list(build.glob("staging-*")), "staging folder left behind"
