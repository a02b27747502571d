"""Issue 15, items 2 and 8: inputs that used to be read silently, or that crashed with a
traceback naming no file, are refused with a message naming file, line, column, value
and what is expected."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from contrat_ville.data import raw
from contrat_ville.data.errors import DataValidationError
from contrat_ville.data.files import MAX_CELL_CHARS

CARD = "identity_card.csv"
SERIES = "annual_series.csv"
FIGURES = "key_figures.csv"

PLIE_2015 = "2018,plie_participants,200069110,2015,440,participants,"
HAUTS_POPULATION = "2018,qpv-hauts-de-chambery,population,6270,"
HAUTS_POVERTY = "2018,qpv-hauts-de-chambery,poverty_rate,41.4,"
KF_001 = "2018,kf-001,synthese,transversal,financement,Contrat de Ville,,Financements du contrat de ville,10.8,"


def replace_once(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, f"fixture text {old!r} not found"
        return text.replace(old, new, 1)

    return change


def physical_line(path: Path, needle: str) -> int:
    """1-based line of the file holding `needle`, counting '\\n' only (as editors do)."""
    text = path.read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {path.name}"
    return text[: text.index(needle)].count("\n") + 1


def refused(raw_dir: Path, file: str | None = None) -> DataValidationError:
    """The error of reading `file` (that table alone: faster), or of validating the folder."""
    with pytest.raises(DataValidationError) as info:
        if file:
            raw.load(file.split(".")[0], raw_dir)
        else:
            raw.validate_all(raw_dir)
    return info.value


# (case id, file, mutation, needle locating the broken cell, column, value, words of the message)
CASES = [
    (
        "overflow-1e309",
        FIGURES,
        replace_once(KF_001, KF_001.replace(",10.8,", ",1e309,")),
        "1e309",
        "value",
        "1e309",
        ["finite", "largest number"],
    ),
    (
        "inf",
        SERIES,
        replace_once(PLIE_2015, PLIE_2015.replace(",440,", ",inf,")),
        ",inf,",
        "value",
        "inf",
        ["not a finite number"],
    ),
    (
        "minus-inf",
        CARD,
        replace_once(HAUTS_POPULATION, "2018,qpv-hauts-de-chambery,population,-inf,"),
        "-inf",
        "value",
        "-inf",
        ["not a finite number"],
    ),
    (
        "nan-required-series-value",
        SERIES,
        replace_once(PLIE_2015, PLIE_2015.replace(",440,", ",NaN,")),
        "NaN",
        "value",
        "NaN",
        ["not a finite number", "value_status ND"],
    ),
    (
        "nan-optional-value-high",
        FIGURES,
        replace_once(KF_001, KF_001 + "nan"),
        "10.8,nan",
        "value_high",
        "nan",
        ["not a finite number"],
    ),
    (
        "nan-integer",
        SERIES,
        replace_once(PLIE_2015 + "published,rapport-annuel-2018,321", PLIE_2015 + "published,rapport-annuel-2018,NaN"),
        "2018,NaN",
        "report_line",
        "NaN",
        ["whole number", "not a finite number"],
    ),
    (
        "underscored-digits",
        SERIES,
        replace_once(PLIE_2015, PLIE_2015.replace(",440,", ",4_40,")),
        "4_40",
        "value",
        "4_40",
        ["'_' is not a digit separator"],
    ),
    (
        "arabic-indic-digits",
        SERIES,
        replace_once(PLIE_2015, PLIE_2015.replace(",440,", ",٤٤٠,")),
        "٤٤٠",
        "value",
        "٤٤٠",
        ["non-ASCII digits", "0-9"],
    ),
    (
        "full-width-digits",
        CARD,
        replace_once(HAUTS_POPULATION, "2018,qpv-hauts-de-chambery,population,６２７０,"),
        "６２７０",
        "value",
        "６２７０",
        ["non-ASCII digits"],
    ),
    (
        "full-width-year",
        CARD,
        replace_once(HAUTS_POPULATION, "２０１８,qpv-hauts-de-chambery,population,6270,"),
        "２０１８",
        "edition",
        "２０１８",
        ["non-ASCII digits"],
    ),
    (
        "nul-byte",
        CARD,
        replace_once("published,,Sources line says 'Filosofi", "published,,Sources\x00line says 'Filosofi"),
        "Sources\x00line",
        "vintage_note",
        None,
        ["NUL byte"],
    ),
    (
        "formula-in-text",
        CARD,
        replace_once(
            HAUTS_POPULATION + 'habitants,published,2015,"Sources',
            HAUTS_POPULATION + 'habitants,published,2015,"=HYPERLINK(""http://x"") Sources',
        ),
        "=HYPERLINK",
        "vintage_note",
        None,
        ["formula"],
    ),
    (
        "oversized-cell",
        CARD,
        replace_once(
            HAUTS_POPULATION + 'habitants,published,2015,"Sources',
            HAUTS_POPULATION + 'habitants,published,2015,"' + "x" * (MAX_CELL_CHARS + 1) + " Sources",
        ),
        "xxxx",
        "vintage_note",
        None,
        [f"expected at most {MAX_CELL_CHARS}"],
    ),
]


@pytest.mark.parametrize("case,file,mutate,needle,column,value,words", CASES, ids=[c[0] for c in CASES])
def test_refused_with_file_line_column_value(raw_copy, case, file, mutate, needle, column, value, words):
    path = raw_copy / file
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    error = refused(raw_copy, file)
    message = str(error)
    line = physical_line(path, needle)
    hits = [v for v in error.violations if v.line == line and v.column == column]
    assert hits, f"{case}: line {line}, column {column} not named\n{message}"
    assert file in hits[0].file
    if value is not None:
        assert hits[0].value == value, message
    for word in words:
        assert word in hits[0].rule, f"{case}: {word!r} not in {hits[0]}"


def test_python_itself_reads_these_spellings_as_numbers():
    """Why the text of a numeric cell is checked before conversion (cases above)."""
    assert {float("3_30"), float("٣٣٠"), float("３３０")} == {330.0}
    assert [str(float(v)) for v in ("1e309", "-inf", "NaN")] == ["inf", "-inf", "nan"]


def test_a_cell_over_the_csv_module_limit_is_a_data_error_naming_file_and_line(raw_copy):
    """Over 128 KiB, Python's csv module raises; today that was a traceback naming no file."""
    path = raw_copy / CARD
    big = "x" * (csv.field_size_limit() + 10)
    text = replace_once(HAUTS_POVERTY, HAUTS_POVERTY.replace("2018,", f'2018,"{big}"', 1))(path.read_text("utf-8"))
    path.write_text(text, encoding="utf-8")
    error = refused(raw_copy, CARD)
    (hit,) = [v for v in error.violations if CARD in v.file]
    assert hit.line == physical_line(path, big[:10]) and f"at most {MAX_CELL_CHARS}" in hit.rule


def test_old_mac_line_endings_are_refused_with_the_line(raw_copy):
    path = raw_copy / CARD
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    error = refused(raw_copy, CARD)
    (hit,) = error.violations
    assert CARD in hit.file and hit.line == 1 and "carriage return" in hit.rule and "\\n" in hit.rule


def test_crlf_is_still_accepted(raw_copy):
    path = raw_copy / CARD
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert raw.load("identity_card", raw_copy).equals(raw.load("identity_card"))


def test_after_a_multi_line_cell_the_error_names_the_line_of_the_file(raw_copy):
    """A quoted cell spanning three lines shifts every later row by two lines."""
    path = raw_copy / CARD
    before = physical_line(path, HAUTS_POVERTY)
    text = path.read_text(encoding="utf-8")
    text = text.replace("\"Sources line says 'INSEE 2015 et 2016';", "\"Sources line\nsays\n'INSEE 2015 et 2016';", 1)
    text = text.replace(HAUTS_POVERTY, "2018,qpv-hauts-de-chambery,poverty_rate,beaucoup,", 1)
    path.write_text(text, encoding="utf-8")
    error = refused(raw_copy, CARD)
    (hit,) = error.violations
    expected = physical_line(path, "poverty_rate,beaucoup")
    assert expected == before + 2  # the row now starts two lines further down
    assert (hit.line, hit.column, hit.value) == (expected, "value", "beaucoup"), str(error)


def test_after_a_multi_line_cell_a_ragged_row_names_its_line(raw_copy):
    path = raw_copy / CARD
    text = path.read_text(encoding="utf-8")
    text = text.replace("\"Sources line says 'INSEE 2015 et 2016';", "\"Sources line\nsays\n'INSEE 2015 et 2016';", 1)
    text = text.replace(HAUTS_POVERTY, "2018,qpv-hauts-de-chambery,poverty_rate,41.4,extra,", 1)
    path.write_text(text, encoding="utf-8")
    (hit,) = refused(raw_copy, CARD).violations
    assert hit.line == physical_line(path, "41.4,extra") and "fields, header has" in hit.rule


def test_a_duplicated_column_name_is_named_once_clearly(raw_copy):
    path = raw_copy / CARD
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace("vintage_note", "value")
    path.write_text("\n".join(lines), encoding="utf-8")
    (hit,) = refused(raw_copy, CARD).violations
    assert (hit.line, hit.column) == (1, "value")
    assert "appears twice" in hit.rule and "columns 4 and 8" in hit.rule, str(hit)


def test_a_symbolic_link_in_data_raw_is_refused(raw_copy, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    (raw_copy / CARD).rename(outside)
    os.symlink(outside, raw_copy / CARD)
    error = refused(raw_copy, CARD)
    (hit,) = error.violations
    assert hit.file.endswith(CARD) and "symbolic link" in hit.rule and str(outside) in hit.rule


def test_a_symbolic_link_as_sidecar_is_refused(raw_copy, tmp_path):
    outside = tmp_path / "elsewhere.meta.yaml"
    (raw_copy / "identity_card.meta.yaml").rename(outside)
    os.symlink(outside, raw_copy / "identity_card.meta.yaml")
    (hit,) = refused(raw_copy, CARD).violations
    assert hit.file.endswith("identity_card.meta.yaml") and "symbolic link" in hit.rule


@pytest.mark.parametrize("name", ["budget.CSV", "budget.Csv", "budget.META.YAML"])
def test_a_table_named_in_another_case_is_not_silently_ignored(raw_copy, name):
    (raw_copy / name).write_text("a,b\n1,2\n", encoding="utf-8")
    (hit,) = refused(raw_copy, None).violations
    assert hit.file.endswith(name) and "not read" in hit.rule and "rename it" in hit.rule


def test_the_committed_raw_data_still_validates():
    tables = raw.validate_all()
    assert "identity_card" in tables and tables.metas["identity_card"]["schema"]["fields"]
