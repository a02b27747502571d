"""French dataset descriptions: every raw sidecar has one French sentence (`description_fr`),
checked when the sidecar is read; the Données page shows it, and a French sentence for each
processed table, before the English detail."""

import re
import shutil

import pytest
import yaml

from contrat_ville.data.errors import DataValidationError
from contrat_ville.data.files import description_fr_problem, read_meta, table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.publish import book_ext


@pytest.mark.parametrize("name", table_names(RAW_DIR))
def test_every_raw_sidecar_has_a_french_sentence(name):
    text = read_meta(name, RAW_DIR)["description_fr"]
    assert description_fr_problem(text) is None
    assert re.search(r"\b(une ligne|un|une|les|des|du|de la)\b", text), "reads as French"
    assert not re.search(r"\d", text), "no figure typed by hand in the description"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "missing"),
        ("", "expected one French sentence"),
        (3, "expected one French sentence"),
        ("Une ligne par territoire", "full stop"),
        ("Une ligne.\nDeux lignes.", "one line"),
        ("Une ligne " * 60 + ".", "at most"),
    ],
)
def test_bad_descriptions_are_refused_with_what_was_expected(text, expected):
    assert expected in description_fr_problem(text)


def test_a_sidecar_without_french_description_names_file_and_field(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    path = raw / "identity_card.meta.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    del meta["description_fr"]
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        read_meta("identity_card", raw)
    (violation,) = error.value.violations
    assert violation.file.endswith("identity_card.meta.yaml") and "'description_fr'" in violation.rule
    assert "expected one French sentence" in violation.rule


def test_catalogue_shows_the_french_sentences_first():
    records = book_ext.raw_datasets(RAW_DIR)
    card = next(r for r in records if r["name"] == "identity_card")
    page = book_ext.raw_catalogue_html([card], "../")
    french = page.index("<dt>Description</dt><dd>" + card["description_fr"].replace("'", "&#x27;"))
    assert french < page.index('<dt>Détail (en anglais)</dt><dd lang="en">')


@pytest.mark.parametrize(
    ("inputs", "ending"),
    [
        ([], "calculée par le carnet portrait.ipynb."),
        (["a"], "à partir d'une table brute."),
        (["a", "b"], "à partir de 2 tables brutes."),
    ],
)
def test_processed_description_is_one_french_sentence(inputs, ending):
    record = {
        "title": "Établissements pour 1 000 habitants",
        "produced_by": "notebooks/portrait.ipynb",
        "inputs": inputs,
    }
    text = book_ext.processed_description_fr(record)
    assert text.startswith("Table « Établissements pour 1 000 habitants » calculée") and text.endswith(ending)
