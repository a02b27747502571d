"""The bad-input matrix: each kind of malformed raw data gets either a clear error naming
file, line, column, value and rule, or a documented normalisation (tested here too).

Documented normalisations (data/raw/README.md): a UTF-8 byte-order mark is dropped;
spaces around a cell are stripped; blank lines are ignored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contrat_ville.data import raw
from contrat_ville.data.errors import DataValidationError

CARD = "identity_card.csv"


def rewrite(raw_dir: Path, name: str, change) -> None:
    path = raw_dir / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def replace_once(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, f"fixture text {old!r} not found"
        return text.replace(old, new, 1)

    return change


def line_of(raw_dir: Path, name: str, needle: str) -> int:
    return next(
        i + 1 for i, line in enumerate((raw_dir / name).read_text(encoding="utf-8").splitlines()) if needle in line
    )


HAUTS_POVERTY = "2018,qpv-hauts-de-chambery,poverty_rate,41.4,"
HAUTS_POPULATION = "2018,qpv-hauts-de-chambery,population,6270,"

# (case id, file, mutation, needle locating the broken line or None, column or None, words the message must contain)
CASES = [
    (
        "french-decimal-comma",
        CARD,
        replace_once(HAUTS_POVERTY, '2018,qpv-hauts-de-chambery,poverty_rate,"41,4",'),
        "poverty_rate",
        "value",
        ["decimal mark", "41,4"],
    ),
    (
        "thousands-space",
        CARD,
        replace_once(HAUTS_POPULATION, "2018,qpv-hauts-de-chambery,population,6 270,"),
        "population,6 270",
        "value",
        ["thousands spaces"],
    ),
    (
        "euro-sign",
        CARD,
        replace_once("median_income_eur,13397,", "median_income_eur,13397 €,"),
        "13397 €",
        "value",
        ["unit symbol"],
    ),
    (
        "percent-sign",
        CARD,
        replace_once(HAUTS_POVERTY, "2018,qpv-hauts-de-chambery,poverty_rate,41.4%,"),
        "41.4%",
        "value",
        ["unit symbol"],
    ),
    (
        "wrong-type",
        CARD,
        replace_once(HAUTS_POPULATION, "2018,qpv-hauts-de-chambery,population,beaucoup,"),
        "beaucoup",
        "value",
        ["expected a number"],
    ),
    (
        "negative-count",
        CARD,
        replace_once(HAUTS_POPULATION, "2018,qpv-hauts-de-chambery,population,-6270,"),
        "-6270",
        "value",
        [">= 0"],
    ),
    (
        "share-above-100",
        CARD,
        replace_once(HAUTS_POVERTY, "2018,qpv-hauts-de-chambery,poverty_rate,141.4,"),
        "141.4",
        None,
        ["between 0 and 100"],
    ),
    ("duplicate-key", CARD, lambda t: t + t.splitlines()[1] + "\n", None, None, ["duplicate key"]),
    (
        "unknown-territory",
        CARD,
        replace_once("2018,qpv-biollay-bellevue,population", "2018,qpv-inconnu,population"),
        "qpv-inconnu",
        "territory_id",
        ["territories.csv"],
    ),
    (
        "unknown-source",
        CARD,
        replace_once(",insee-rp,63", ",insee-inconnu,63"),
        "insee-inconnu",
        "source_id",
        ["sources.csv"],
    ),
    (
        "year-out-of-range",
        CARD,
        replace_once(HAUTS_POPULATION, "1999,qpv-hauts-de-chambery,population,6270,"),
        "1999,",
        "edition",
        [">= 2015"],
    ),
    (
        "enum-violation",
        CARD,
        replace_once("6270,habitants,", "6270,personnes,"),
        "6270,personnes",
        "unit",
        ["must be one of"],
    ),
    (
        "blank-required-cell",
        CARD,
        replace_once("6270,habitants,published", "6270,habitants,"),
        "6270,habitants,,",
        "value_status",
        ["required"],
    ),
    (
        "nd-with-a-value",
        CARD,
        replace_once("6270,habitants,published", "6270,habitants,ND"),
        None,
        None,
        ["value_status must be 'ND' exactly when the value is empty"],
    ),
    ("missing-column", CARD, lambda t: t.replace("vintage_note,", "", 1), None, None, ["fields, header has"]),
    (
        "renamed-column",
        CARD,
        lambda t: t.replace("value_status", "statut", 1),
        None,
        None,
        ["'value_status' is missing", "unexpected column 'statut'"],
    ),
    (
        "extra-column",
        CARD,
        lambda t: "\n".join(line + ",x" for line in t.splitlines()) + "\n",
        None,
        None,
        ["unexpected column 'x'"],
    ),
    (
        "ragged-row",
        CARD,
        replace_once(HAUTS_POPULATION, "2018,qpv-hauts-de-chambery,population,6270,extra,"),
        "6270,extra",
        None,
        ["fields, header has"],
    ),
    ("empty-file", CARD, lambda t: "", None, None, ["file is empty"]),
    ("header-only", CARD, lambda t: t.splitlines()[0] + "\n", None, None, ["no data rows"]),
    (
        "invalid-territory-code",
        "territories.csv",
        lambda t: t + "qpv/../x y,Nom,qpv,73065,,,,\n",
        "qpv/../x y",
        "territory_id",
        ["pattern"],
    ),
]


@pytest.mark.parametrize("case,file,mutate,needle,column,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_clearly(raw_copy, case, file, mutate, needle, column, words):
    rewrite(raw_copy, file, mutate)
    with pytest.raises(DataValidationError) as info:
        raw.validate_all(raw_copy)
    violations = info.value.violations
    text = str(info.value)
    assert file in text, text
    for word in words:
        assert word in text, f"{case}: {word!r} not in\n{text}"
    if needle:
        assert line_of(raw_copy, file, needle) in {v.line for v in violations}, f"{case}: line not named\n{text}"
    if column:
        assert any(v.column == column for v in violations), f"{case}: column {column} not named\n{text}"
    assert "nothing was written" in text


def test_missing_file(raw_copy):
    (raw_copy / CARD).unlink()
    (raw_copy / "identity_card.meta.yaml").unlink()
    with pytest.raises(DataValidationError, match="identity_card.csv.*file is missing"):
        raw.validate_all(raw_copy, ["territories", "identity_card"])


def test_missing_sidecar(raw_copy):
    (raw_copy / "identity_card.meta.yaml").unlink()
    with pytest.raises(DataValidationError, match="metadata sidecar is missing"):
        raw.validate_all(raw_copy)


def test_invalid_yaml_sidecar(raw_copy):
    (raw_copy / "identity_card.meta.yaml").write_text("schema: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid UTF-8 YAML"):
        raw.validate_all(raw_copy)


def test_latin1_file_is_refused_with_its_line(raw_copy):
    path = raw_copy / CARD
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(DataValidationError) as info:
        raw.validate_all(raw_copy)
    (violation,) = info.value.violations
    assert "not UTF-8" in violation.rule and violation.line and violation.line > 1


def test_utf8_bom_is_dropped(raw_copy):
    """Documented normalisation: spreadsheets often save 'CSV UTF-8' with a BOM."""
    path = raw_copy / CARD
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert raw.load("identity_card", raw_copy).equals(raw.load("identity_card"))


def test_spaces_around_cells_are_stripped(raw_copy):
    """Documented normalisation: ' 6270 ' reads as 6270."""
    rewrite(raw_copy, CARD, replace_once(HAUTS_POPULATION, "2018, qpv-hauts-de-chambery ,population, 6270 ,"))
    table = raw.load("identity_card", raw_copy)
    assert (
        table.loc[(table.territory_id == "qpv-hauts-de-chambery") & (table.indicator_id == "population"), "value"].iloc[
            0
        ]
        == 6270
    )


def test_every_problem_of_every_file_is_listed_at_once(raw_copy):
    rewrite(raw_copy, CARD, replace_once(HAUTS_POVERTY, "2018,qpv-hauts-de-chambery,poverty_rate,-1,"))
    rewrite(raw_copy, "establishments.csv", lambda t: t.replace(",422,", ",quatre cents,", 1))
    with pytest.raises(DataValidationError) as info:
        raw.validate_all(raw_copy)
    files = {Path(v.file).name for v in info.value.violations}
    assert files == {CARD, "establishments.csv"}


def test_message_format_names_file_line_column_value_rule(raw_copy):
    rewrite(raw_copy, CARD, replace_once(HAUTS_POVERTY, '2018,qpv-hauts-de-chambery,poverty_rate,"41,4",'))
    with pytest.raises(DataValidationError) as info:
        raw.validate_all(raw_copy)
    line = line_of(raw_copy, CARD, '"41,4"')
    assert re.search(
        rf"identity_card\.csv, line {line}, column 'value': value '41,4' — expected a number", str(info.value)
    )
