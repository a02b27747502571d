"""Bad input gets a clear error naming file, line, column, value and rule."""

import pytest

from contrat_ville.data import raw
from contrat_ville.data.errors import DataValidationError


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(raw_dir, name="identity_card"):
    with pytest.raises(DataValidationError) as info:
        raw.load(name, raw_dir)
    return info.value.violations


def card_line(raw_dir, needle):
    lines = (raw_dir / "identity_card.csv").read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if needle in line)


def test_french_decimal_comma_is_reported(raw_copy):
    line = card_line(raw_copy, ",41.4,")
    edit(raw_copy / "identity_card.csv", ",41.4,", ',"41,4",')
    (v,) = problems(raw_copy)
    assert v.line == line and v.column == "value" and v.value == "41,4"
    assert "identity_card.csv" in str(v) and "decimal" in str(v)


def test_unknown_territory_is_reported(raw_copy):
    edit(raw_copy / "identity_card.csv", "qpv-biollay-bellevue,", "qpv-inconnu,")
    (v, *_) = problems(raw_copy)
    assert v.column == "territory_id" and v.value == "qpv-inconnu" and "territories.csv" in v.rule


def test_missing_column_is_reported(raw_copy):
    path = raw_copy / "identity_card.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("value_status", "status")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = " ".join(str(v) for v in problems(raw_copy))
    assert "'value_status' is missing" in rules and "unexpected column 'status'" in rules


def test_missing_file_is_reported(raw_copy):
    (raw_copy / "identity_card.csv").unlink()
    (v,) = problems(raw_copy)
    assert "file is missing" in str(v)


def test_validate_all_collects_every_file(raw_copy):
    edit(raw_copy / "identity_card.csv", ",41.4,", ",-41.4,")
    edit(raw_copy / "establishments.csv", "qpv-hauts-de-chambery", "qpv-nulle-part")
    with pytest.raises(DataValidationError) as info:
        raw.validate_all(raw_copy)
    files = {v.file.split("/")[-1] for v in info.value.violations}
    assert {"identity_card.csv", "establishments.csv"} <= files
