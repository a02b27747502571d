"""The reader path (issue 13): one code switch per chapter, the home page's synthesis glued
from the data, the publishing basics and the glossary entries."""

import re
from pathlib import Path

import pytest
import yaml

from contrat_ville.publish import book_ext

BOOK = Path(__file__).resolve().parents[1] / "book"


def test_code_switch_is_added_once_after_the_title():
    body = '<section><h1>Emploi</h1><div class="cell tag_hide-input">x</div></section>'
    switched = book_ext.add_code_switch(body)
    assert switched.count('id="cv-show-code"') == 1
    assert switched.index("</h1>") < switched.index('id="cv-show-code"') < switched.index("tag_hide-input")
    assert book_ext.add_code_switch(switched) == switched  # idempotent
    assert book_ext.add_code_switch("<h1>Glossaire</h1><p>texte</p>") == "<h1>Glossaire</h1><p>texte</p>"


def test_readers_css_hides_code_until_the_switch_and_is_registered():
    css = (BOOK / "_static" / "readers.css").read_text(encoding="utf-8")
    assert "body:has(#cv-show-code:checked)" in css and "details.above-input" in css
    for name in ("up", "stable", "down", "na", "none"):
        assert f".cv-verdict-{name}" in css
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    assert "readers.css" in config["sphinx"]["config"]["html_css_files"]
    assert "licence" in config["html"]["extra_footer"].lower() and config["author"]


def test_toc_groups_technical_pages_in_an_annex():
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    parts = {part["caption"]: [c["file"] for c in part["chapters"]] for part in toc["parts"]}
    annex = parts["Annexe technique"]
    assert {"relecteurs", "journal_des_donnees", "chapters/couverture", "chapters/ajouter_une_annee"} <= set(annex)
    assert toc["parts"][-1]["caption"] == "Annexe technique"
    assert "glossaire" in parts["Contrôle et méthode"]


def test_glossary_has_the_missing_entries_and_no_unsupported_claim():
    text = (BOOK / "glossaire.md").read_text(encoding="utf-8")
    for term in ("Taux de pauvreté", "Unité de consommation", "Millésime", "Intervalle de confiance"):
        assert re.search(rf"^{term}$", text, re.M), term
    anru = text[text.index("ANRU, NPNRU") : text.index("ASL (")]
    assert "ne dit pas" in anru  # the report never names who finances the renewal projects


@pytest.mark.parametrize(
    "key",
    [
        "home_funding",
        "home_poverty",
        "home_gaps",
        "headline",
        "verdicts_sentence",
        "n_observed_change",
        "report_title",
        "study_version",
    ],
)
def test_home_page_reads_the_synthesis_from_the_scorecard(key):
    index = (BOOK / "index.md").read_text(encoding="utf-8")
    assert f"chapters/tableau_de_bord.ipynb::{key}:s" in index
    notebook = (Path(__file__).resolve().parents[1] / "notebooks" / "tableau_de_bord.ipynb").read_text(encoding="utf-8")
    assert f'\\"{key}\\"' in notebook  # glued by the scorecard notebook


def test_home_page_links_glossary_scorecard_data_and_report():
    index = (BOOK / "index.md").read_text(encoding="utf-8")
    for target in ("<glossaire>", "<chapters/tableau_de_bord>", "<donnees>", "<journal_des_donnees>"):
        assert target in index, target
    assert "{term}`Contrat de Ville`" in index and "make pdf" in index
    assert "chapters/controle.ipynb::home_claims_figure:s" in index


def test_spreadsheet_csv_uses_semicolons_and_decimal_commas():
    text = 'territory_id,value,label,year\n73065,41.4,"Part, en %",2018\nqpv-x,-0.5,ext-001,2015\n'
    out = book_ext.spreadsheet_csv(text)
    assert out.splitlines() == [
        "territory_id;value;label;year",
        "73065;41,4;Part, en %;2018",
        "qpv-x;-0,5;ext-001;2015",
    ]


def test_edition_downloads_variants_and_one_archive(tmp_path):
    import zipfile

    edition = tmp_path / "_static" / "data" / "2018"
    edition.mkdir(parents=True)
    (edition / "scorecard.csv").write_text("a,b\n1.5,x\n", encoding="utf-8")  # SYNTHETIC
    (edition / "scorecard.meta.yaml").write_text("title: t\n", encoding="utf-8")
    written = book_ext.write_edition_downloads(edition)
    variant = edition / "scorecard.tableur.csv"
    assert variant in written and variant.read_bytes().startswith("\ufeff".encode())
    assert variant.read_bytes().decode("utf-8-sig") == "a;b\r\n1,5;x\r\n"
    archive = tmp_path / "_static" / "data" / "donnees-2018.zip"
    names = zipfile.ZipFile(archive).namelist()
    assert {
        "2018/scorecard.csv",
        "2018/scorecard.meta.yaml",
        "2018/scorecard.tableur.csv",
        "2018/scorecard.xlsx",
    } == set(names)
    first = archive.read_bytes()
    book_ext.write_edition_downloads(edition)  # rerun: no variant of a variant, same bytes
    assert not (edition / "scorecard.tableur.tableur.csv").exists()
    assert archive.read_bytes() == first
