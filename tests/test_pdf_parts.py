"""contrat_ville.publish.pdf building blocks (the full print runs in tests/test_pdf.py)."""

import datetime as dt
import io

from pypdf import PdfWriter

from contrat_ville.publish import pdf


def chapters():
    return [
        pdf.Chapter("index.html", "Présentation", None, "<h1>Accueil</h1>"),
        pdf.Chapter("chapters/portrait.html", "Portrait des quartiers", "Bilan 2018 par pilier", "<h1>Portrait</h1>"),
        pdf.Chapter("fiches/hauts.html", "Fiche <Hauts>", "Fiches quartiers", "<p>x</p>", level=2),
    ]


def test_chapter_anchor_is_a_safe_id():
    assert pdf.Chapter("chapters/portrait.html", "", None).anchor == "ch-chapters-portrait"
    assert pdf.Chapter("index.html", "", None).anchor == "ch-index"


def test_cover_is_french_and_escaped():
    cover = pdf.cover_html("Titre & sous-titre", "2018", "Étude", dt.date(2026, 11, 25))
    assert "Titre &amp; sous-titre" in cover and "Édition 2018" in cover and "25 novembre 2026" in cover


def test_toc_lists_parts_and_page_numbers():
    items = chapters()
    first = pdf.toc_html(items, None)
    assert first.count("000") == 3  # first pass: same width placeholders
    toc = pdf.toc_html(items, {"ch-index": 3, "ch-chapters-portrait": 5, "ch-fiches-hauts": 9})
    assert toc.index("Bilan 2018 par pilier") < toc.index("Portrait des quartiers") < toc.index("Fiches quartiers")
    assert 'href="#ch-chapters-portrait"' in toc and ">5</span>" in toc and "Fiche &lt;Hauts&gt;" in toc
    assert 'class="cv-toc-level-2"' in toc


def test_print_document_has_one_article_per_chapter():
    document = pdf.print_document(
        'Rapport "2018"',
        ["http://127.0.0.1:1/_static/custom.css"],
        "<section>cover</section>",
        "<nav>toc</nav>",
        chapters(),
    )
    assert document.count('<article class="bd-article cv-chapter"') == 3
    assert '<html lang="fr"' in document and 'content: "Rapport \\"2018\\""' in document
    assert document.count('class="cv-print-part"') == 2  # shown where the part changes


def test_start_pages_read_named_destinations():
    writer = PdfWriter()
    for _ in range(6):
        writer.add_blank_page(595, 842)
    writer.add_named_destination("ch-index", 2)
    writer.add_named_destination("ch-chapters-portrait", 4)
    writer.add_named_destination("other", 5)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert pdf.start_pages(buffer.getvalue(), chapters()) == {"ch-index": 3, "ch-chapters-portrait": 5}


def test_the_fiches_and_the_code_are_left_out_of_the_pdf_but_not_their_indexes():
    from contrat_ville.publish import pdf

    assert pdf.printed("chapters/portrait.html") and pdf.printed("fiches/index.html") and pdf.printed("index.html")
    assert not pdf.printed("fiches/fiche-qpv-hauts-de-chambery.html")
    assert pdf.printed("code/index.html") and not pdf.printed("code/contrat_ville.evaluation.trends.html")


def test_metadata_is_appended_as_an_incremental_update():
    """The printed bytes stay as they are; a strict reader sees the merged information."""
    from pypdf import PdfReader

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Producer": "Skia/PDF"})
    buffer = io.BytesIO()
    writer.write(buffer)
    printed = buffer.getvalue()
    updated = pdf.with_metadata(printed, {"/Title": "Contrat de Ville", "/Subject": "Édition 2019"})
    assert updated.startswith(printed.rstrip(b"\n"))
    reader = PdfReader(io.BytesIO(updated), strict=True)
    assert len(reader.pages) == 3
    assert reader.metadata["/Title"] == "Contrat de Ville" and reader.metadata["/Subject"] == "Édition 2019"
    assert reader.metadata["/Producer"] == "Skia/PDF"  # kept from the printed document
    again = pdf.with_metadata(updated, {"/Author": "Étude"})  # an update of an update
    assert PdfReader(io.BytesIO(again), strict=True).metadata["/Author"] == "Étude"
