"""XLSX downloads: opened with openpyxl, numbers are numbers, codes and text stay text, a
missing value is an empty cell, headers are French, and the archive of the edition holds them."""

import datetime
import zipfile

from openpyxl import load_workbook

from contrat_ville.publish import book_ext, xlsx

CSV = (  # SYNTHETIC
    "territory_id,indicator_id,value,unit,year,comment\n"
    "73065,poverty_rate,18,%,2015,\n"
    "qpv-x,poverty_rate,41.4,%,2015,texte\n"
    "qpv-y,poverty_rate,,%,2015,ND\n"
)


def test_workbook_types_and_french_headers(tmp_path):
    (tmp_path / "t.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "t.meta.yaml").write_text(
        "title: t\ncolumns:\n- name: value\n  description: the value\n", encoding="utf-8"
    )
    target = xlsx.write_xlsx(tmp_path / "t.csv", tmp_path / "t.xlsx", {"comment": "Remarque"})
    book = load_workbook(target)
    sheet = book["Données"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Territoire (code)", "Indicateur (code)", "Valeur", "Unité", "Année", "Remarque")
    assert rows[1] == ("73065", "poverty_rate", 18, "%", 2015, None)  # an INSEE code stays text
    assert rows[2][2] == 41.4 and isinstance(rows[2][2], float)
    assert rows[3][2] is None  # missing: an empty cell, never zero
    assert sheet["C2"].data_type == "n" and sheet["A2"].data_type == "s"
    columns = list(book["Colonnes"].iter_rows(values_only=True))
    assert ("value", "Valeur", "the value") in columns


def test_unknown_column_keeps_its_name_and_raw_titles_are_read(tmp_path):
    assert xlsx.french_header("something_new") == "something_new"
    (tmp_path / "x.meta.yaml").write_text(
        "schema:\n  fields:\n  - name: inhabitants\n    title: Habitants\n", encoding="utf-8"
    )
    assert xlsx.raw_field_titles(tmp_path) == {"inhabitants": "Habitants"}


def test_edition_downloads_write_xlsx_in_the_archive_with_stable_bytes(tmp_path):
    edition = tmp_path / "_static" / "data" / "2018"
    edition.mkdir(parents=True)
    (edition / "scorecard.csv").write_text(CSV, encoding="utf-8")
    written = book_ext.write_edition_downloads(edition)
    assert edition / "scorecard.xlsx" in written
    assert load_workbook(edition / "scorecard.xlsx")["Données"]["C3"].value == 41.4
    archive = tmp_path / "_static" / "data" / "donnees-2018.zip"
    assert "2018/scorecard.xlsx" in zipfile.ZipFile(archive).namelist()
    first = (edition / "scorecard.xlsx").read_bytes(), archive.read_bytes()
    book_ext.write_edition_downloads(edition)
    assert ((edition / "scorecard.xlsx").read_bytes(), archive.read_bytes()) == first
    assert not (edition / "scorecard.tableur.xlsx").exists()
    # no clock in the file: every entry and the document properties carry fixed dates
    with zipfile.ZipFile(edition / "scorecard.xlsx") as workbook:
        assert {info.date_time for info in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = workbook.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and str(datetime.date.today().year) not in core


def test_kept_build_rewrites_only_the_downloads_whose_inputs_changed(tmp_path, monkeypatch):
    edition = tmp_path / "_static" / "data" / "2018"
    edition.mkdir(parents=True)
    for name in ("a", "b"):
        (edition / f"{name}.csv").write_text(CSV, encoding="utf-8")
    keys = tmp_path / "doctrees" / "cv-downloads-2018.json"
    book_ext.write_edition_downloads(edition, keys_file=keys)
    clean = {p.name: p.read_bytes() for p in edition.iterdir()}
    made = []
    real_write = xlsx.write_xlsx
    monkeypatch.setattr(
        xlsx, "write_xlsx", lambda csv_file, *rest: made.append(csv_file.name) or real_write(csv_file, *rest)
    )
    book_ext.write_edition_downloads(edition, keys_file=keys)
    assert made == []  # nothing changed: the downloads already there are kept
    (edition / "b.meta.yaml").write_text("title: b\ncolumns:\n- name: value\n  description: v\n", encoding="utf-8")
    book_ext.write_edition_downloads(edition, keys_file=keys)
    assert made == ["b.csv"]  # its sidecar changed: only its downloads are made again
    assert (edition / "a.xlsx").read_bytes() == clean["a.xlsx"]
    (edition / "a.xlsx").unlink()
    book_ext.write_edition_downloads(edition, keys_file=keys)
    assert (
        made == ["b.csv", "a.csv"] and (edition / "a.xlsx").read_bytes() == clean["a.xlsx"]
    )  # a missing one is remade
