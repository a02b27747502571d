"""Issue 15, item 7: the CSVs offered for download are safe to open in a spreadsheet.

Every processed table goes through provenance.write_csv, which neutralises text cells a
spreadsheet would run as a formula (OWASP: a leading single quote) and refuses NUL bytes;
numbers stay numbers. Raw files are copied into the site as they are, so validation refuses
formula-like text in them (tests/test_input_reliability.py) and the committed files hold none."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from contrat_ville.data.formulas import looks_like_formula
from contrat_ville.data.paths import PROCESSED_DIR, RAW_DIR
from contrat_ville.notebook.provenance import safe_text, write_csv


def written(frame: pd.DataFrame, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "out.csv"
    write_csv(frame, path)
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    "label,published",
    [
        ('=HYPERLINK("http://example.invalid","clic")', '\'=HYPERLINK("http://example.invalid","clic")'),
        ("+33 ligne", "'+33 ligne"),
        ("-x", "'-x"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\r\ncmd", "'\r\ncmd"),
        ("Emploi", "Emploi"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_text_cells_that_start_a_formula_are_neutralised(tmp_path, label, published):
    for column in (pd.Series([label], dtype=object), pd.Series([label], dtype="string")):
        rows = written(pd.DataFrame({"label": column}), tmp_path)
        assert rows[1] == [published]


def test_numbers_stay_numbers_negative_ones_included(tmp_path):
    frame = pd.DataFrame(
        {
            "slope": [-8.443968076191599, 1.5, float("nan")],
            "count": pd.array([-3, 4, None], dtype="Int64"),
            "as_text": ["-8.4439681", "+2", "-1e-05"],  # numbers kept as text by a notebook
            "mixed": [-2.5, "-", "=1+1"],
        }
    )
    rows = written(frame, tmp_path)
    assert rows[1] == ["-8.4439681", "-3", "-8.4439681", "-2.5"]
    assert rows[2] == ["1.5", "4", "+2", "'-"]
    assert rows[3] == ["", "", "-1e-05", "'=1+1"]


def test_column_names_are_neutralised_too(tmp_path):
    assert written(pd.DataFrame({"=cmd": [1]}), tmp_path)[0] == ["'=cmd"]


def test_a_nul_byte_is_never_published(tmp_path):
    with pytest.raises(ValueError, match=r"out\.csv, column 'label'.*NUL byte"):
        write_csv(pd.DataFrame({"label": ["ab\x00c"]}), tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_a_carriage_return_alone_is_never_published(tmp_path):
    """The CSV writer quotes '\\n' but not a lone '\\r', which readers take for the end of a row."""
    for label in ("\rcmd", "a\rb"):
        with pytest.raises(ValueError, match="carriage return alone"):
            write_csv(pd.DataFrame({"label": [label]}), tmp_path / "out.csv")


def test_safe_text_leaves_non_text_alone():
    assert safe_text(-8.4439681) == -8.4439681 and safe_text(None) is None and safe_text(3) == 3


@pytest.mark.parametrize("folder", [RAW_DIR, PROCESSED_DIR / "2018"], ids=["raw", "processed-2018"])
def test_no_downloadable_csv_holds_a_formula_or_a_nul_byte(folder):
    """The files the Données page offers: data/raw as is, data/processed/<year> as written."""
    files = sorted(Path(folder).glob("*.csv"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "\x00" not in text, path
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            bad = [cell for cell in row if looks_like_formula(cell)]
            assert not bad, f"{path.name}, line {number}: {bad}"
