"""The whole report printed to PDF (`make pdf`) from the built 2018 site, in Debian's Chromium.

Its own module, apart from tests/test_browser.py: it runs in its own process (Playwright's sync
API cannot nest in the browser fixture), last in the other lane than the browser walk
(tests/conftest.py), so that the two lanes of `make test` end about together."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from contrat_ville.publish import pdf, site
from test_browser import ARTIFACTS, _ensure_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pdf_of_the_whole_report(built, tmp_path):
    """`python -m contrat_ville.publish.pdf` (what `make pdf` runs), in its own process: Playwright's
    sync API cannot nest inside the browser fixture of tests/test_browser.py."""
    _ensure_chromium()
    started = time.perf_counter()
    output = tmp_path / "rapport.pdf"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "contrat_ville.publish.pdf",
            "--site",
            str(built["site"]),
            "--output",
            str(output),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    reader = PdfReader(output)
    starts = sorted(report["start_pages"].values())
    portrait = report["start_pages"]["ch-chapters-portrait"]
    after_portrait = next((p for p in starts if p > portrait), len(reader.pages) + 1)
    # the text of the cover, the contents, the home page and the portrait, where the figures
    # checked below are printed (pypdf takes about a third of a second a page to extract text)
    read = [*range(starts[1] - 1), *range(portrait - 1, after_portrait - 1)]
    text = " ".join(reader.pages[index].extract_text() for index in read)
    text = re.sub(r"[\u202f\u00a0]", " ", text)
    # the fiches and the modules' code are left out (pdf.py)
    chapters = [c for c in site.reading_order(built["site"]) if pdf.printed(c)]
    assert "fiches/index.html" in chapters and "code/index.html" in chapters
    assert not any(c.startswith("code/contrat_ville.") for c in chapters)
    assert report["pages"] == len(reader.pages) >= len(chapters) + 2  # cover, contents, one page per chapter at least
    assert "9 848" in text and "41,4 %" in text and "13 397 €" in text
    assert "Sommaire" in text and "Portrait des quartiers" in text
    assert report["overflowing"] == [], "tables or charts wider than the printed page"
    assert set(report["start_pages"]) == {pdf.Chapter(c, c, None).anchor for c in chapters}, (
        "a chapter is missing from the PDF"
    )
    assert list(report["start_pages"].values()) == sorted(report["start_pages"].values())
    outline_titles = [item["/Title"] for item in reader.outline if isinstance(item, dict)]
    assert "Portrait des quartiers" in outline_titles
    assert reader.metadata.title and "Contrat de Ville" in reader.metadata.title
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy2(output, ARTIFACTS / "rapport.pdf")
    summary = {
        "pages": report["pages"],
        "bytes": report["size_bytes"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    (ARTIFACTS / "pdf-summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
