"""French source lines under the book's tables."""

from contrat_ville.data.paths import RAW_DIR
from contrat_ville.notebook.chapter import Chapter
from contrat_ville.presentation import citation


def chapter(tmp_path):
    return Chapter("emploi", 2018, 2015, RAW_DIR, tmp_path)


def test_cited_source_and_line_span():
    assert citation.cited_source({"source_as_cited": "Source : SIRENE"}) == "SIRENE"
    assert citation.cited_source({"source_as_cited": "No source line (Grand Chambéry's own records)"}) is None
    assert citation.line_span([218, 206, 238]) == "l. 206-238"
    assert citation.line_span([343]) == "l. 343"
    assert citation.line_span([]) == ""


def test_source_line_without_printed_source_names_the_report(tmp_path):
    line = citation.source_line(chapter(tmp_path), ["fonds_de_concours", "fonds_de_concours_totals"], computed=True)
    assert line == (
        "Rapport annuel 2018 du Contrat de Ville de Grand Chambéry, l. 206-238 ; données : data/raw/fonds_de_concours.csv, "
        "data/raw/fonds_de_concours_totals.csv ; calcul : notebooks/emploi.ipynb"
    )
    assert "No source" not in line


def test_source_line_keeps_the_printed_source(tmp_path):
    line = citation.source_line(chapter(tmp_path), "establishments", lines=[148])
    assert (
        line
        == "SIRENE (d'après le rapport annuel 2018 du Contrat de Ville de Grand Chambéry, l. 148) ; données : data/raw/establishments.csv"
    )
