"""Turn each sidecar's declared schema (Frictionless Table Schema) into pandera
schemas, and validate a table in two passes: types first (so that a bad cell is
reported once, clearly), then constraints, keys and references."""

from __future__ import annotations

import math
import re

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from contrat_ville.data.errors import DataValidationError, Violation
from contrat_ville.data.formulas import FORMULA_STARTS, looks_like_formula

PANDAS_DTYPE = {"string": "string", "integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "boolean"}
EXPECTED = {
    "string": "text",
    "integer": "a whole number written with digits only (e.g. 6270)",
    "year": "a year written with four digits (e.g. 2018)",
    "number": "a number with '.' as decimal mark and no thousands separator (e.g. 41.4)",
    "boolean": "true or false",
}
PERCENT_UNITS = {"%", "pct", "percent"}
# What a numeric cell may look like, checked on the text before any conversion: Python and
# pandas would also read '3_30', Arabic-Indic or full-width digits as 330, and 'inf', 'NaN'
# or '1e309' as non-finite floats.
NUMERIC_TEXT = {
    "number": re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII),
    "integer": re.compile(r"[+-]?\d+", re.ASCII),
    "year": re.compile(r"[+-]?\d+", re.ASCII),
}
NON_FINITE = {"inf", "infinity", "nan"}


def _hint(value: str) -> str:
    """What is probably wrong with a cell that did not parse as a number."""
    hints = []
    if "," in value:
        hints.append("',' looks like a French decimal mark: write '.'")
    if re.search(r"\d[\s\u00a0\u202f]\d", value):
        hints.append("remove the thousands spaces")
    if re.search(r"[€%$]", value):
        hints.append("remove the unit symbol; the unit belongs in the sidecar or the unit column")
    if any(ch.isdigit() and not ch.isascii() for ch in value):
        hints.append("non-ASCII digits (e.g. Arabic-Indic or full-width): write the digits 0-9")
    if "_" in value:
        hints.append("'_' is not a digit separator here: remove it")
    if value.strip().lstrip("+-").lower() in NON_FINITE:
        hints.append("not a finite number: a missing value is an empty cell with value_status ND")
    return f" ({'; '.join(hints)})" if hints else ""


def _fields(meta: dict) -> list[dict]:
    return meta["schema"]["fields"]


def type_schema(meta: dict) -> pa.DataFrameSchema:
    """Columns and types only: every column nullable, coercion from text."""
    columns = {
        f["name"]: pa.Column(PANDAS_DTYPE[f.get("type", "string")], nullable=True, coerce=True) for f in _fields(meta)
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=False)


def _checks(field: dict) -> list[pa.Check]:
    c = field.get("constraints", {})
    checks = []
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], error=f"must be >= {c['minimum']}"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], error=f"must be <= {c['maximum']}"))
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"], error=f"must be one of {c['enum']}"))
    if "pattern" in c:
        checks.append(
            pa.Check.str_matches("^(?:" + c["pattern"] + ")$", error=f"must match the pattern {c['pattern']}")
        )
    return checks


def _frame_checks(names: set[str]) -> list[pa.Check]:
    """Rules that hold for every table having these columns (see data/raw/README.md)."""
    checks = []
    if {"value", "value_status"} <= names:
        checks.append(
            pa.Check(
                lambda df: (df["value_status"] == "ND") == df["value"].isna(),
                element_wise=False,
                name="value_status_matches_value",
                error="value_status must be 'ND' exactly when the value is empty",
            )
        )
    if {"value", "unit"} <= names:
        checks.append(
            pa.Check(
                lambda df: ~df["unit"].isin(PERCENT_UNITS) | df["value"].isna() | df["value"].between(0, 100),
                element_wise=False,
                name="percentage_in_range",
                error="a percentage must lie between 0 and 100",
            )
        )
    return checks


def constraint_schema(meta: dict, references: dict[str, set[str]]) -> pa.DataFrameSchema:
    """Required cells, ranges, enumerations, patterns, unique and foreign keys, on typed data."""
    foreign = {}
    for fk in meta["schema"].get("foreignKeys", []):
        ref = fk["reference"]["resource"]
        if ref in references:
            foreign[fk["fields"]] = ref
    columns = {}
    for f in _fields(meta):
        checks = _checks(f)
        if f["name"] in foreign:
            ref = foreign[f["name"]]
            checks.append(pa.Check.isin(sorted(references[ref]), error=f"unknown {f['name']}: not in {ref}.csv"))
        c = f.get("constraints", {})
        columns[f["name"]] = pa.Column(
            PANDAS_DTYPE[f.get("type", "string")],
            checks=checks,
            nullable=not c.get("required", False),
            unique=bool(c.get("unique", False)),
        )
    key = meta["schema"].get("primaryKey")
    names = {f["name"] for f in _fields(meta)}
    return pa.DataFrameSchema(columns, checks=_frame_checks(names), unique=key or None, strict=True)


def _line(index, lines: list[int] | None = None) -> int | None:
    """The file line of row `index`: from `lines` (rows may span lines), else row 0 is line 2."""
    try:
        row = int(index)
    except (TypeError, ValueError):
        return None
    return lines[row] if lines is not None and 0 <= row < len(lines) else row + 2


def _text_problems(raw: pd.DataFrame, meta: dict, label: str, lines: list[int] | None) -> list[Violation]:
    """Cells refused on their text: numbers not written as plain finite ASCII numbers, and
    text that a spreadsheet would run as a formula."""
    found = []
    for f in _fields(meta):
        name, kind = f["name"], f.get("type", "string")
        if name not in raw.columns:
            continue  # reported by the type pass
        pattern = NUMERIC_TEXT.get(kind)
        for index, cell in _suspects(raw[name], kind).items():
            if pattern is not None:
                if not pattern.fullmatch(cell):
                    found.append(
                        Violation(label, f"expected {EXPECTED[kind]}{_hint(cell)}", _line(index, lines), name, cell)
                    )
                elif kind == "number" and not math.isfinite(float(cell)):
                    found.append(
                        Violation(
                            label,
                            f"expected {EXPECTED[kind]}, finite: this one is beyond the largest number a float can hold",
                            _line(index, lines),
                            name,
                            cell,
                        )
                    )
            elif kind == "string" and looks_like_formula(cell):
                found.append(
                    Violation(
                        label,
                        f"text begins with {cell[0]!r}, which a spreadsheet runs as a formula; expected text "
                        "beginning with a letter, digit or quote mark (reword it; record the published wording "
                        "in the sidecar's anomalies)",
                        _line(index, lines),
                        name,
                        cell,
                    )
                )
    return found


def _suspects(column: pd.Series, kind: str) -> pd.Series:
    """The cells of `column` that _text_problems must look at one by one (vectorised first:
    a million-row table is mostly plain cells)."""
    filled = column[column.notna() & (column != "")].astype(str)
    pattern = NUMERIC_TEXT.get(kind)
    if pattern is not None:
        plain = filled.str.fullmatch(pattern.pattern, flags=re.ASCII)
        # a plain number overflows only with an exponent or over 308 digits
        may_overflow = filled.str.contains("[eE]", regex=True) | (filled.str.len() > 308)
        return filled[~plain | (may_overflow if kind == "number" else False)]
    if kind == "string":
        return filled[filled.str[:1].isin(FORMULA_STARTS)]
    return filled.iloc[:0]


def _violations(
    errors: SchemaErrors, meta: dict, label: str, raw: pd.DataFrame, lines: list[int] | None = None
) -> list[Violation]:
    types = {f["name"]: f.get("type", "string") for f in _fields(meta)}
    found = []
    for case in errors.failure_cases.itertuples(index=False):
        check, column, value = str(case.check), case.column, case.failure_case
        line = _line(case.index, lines)
        if check == "column_in_dataframe":
            found.append(Violation(label, f"required column '{value}' is missing", line=1))
        elif check == "column_in_schema":
            found.append(Violation(label, f"unexpected column '{value}': not declared in the sidecar schema", line=1))
        elif check.startswith("coerce_dtype"):
            found.append(
                Violation(label, f"expected {EXPECTED[types[column]]}{_hint(str(value))}", line, column, value)
            )
        elif check.startswith("dtype("):
            continue  # reported by the coercion failure of the same cell
        elif check == "field_uniqueness":
            found.append(Violation(label, "must be unique: another row has the same value", line, column, value))
        elif check == "not_nullable":
            found.append(Violation(label, "a value is required here", line, column, None))
        elif column in (None, "") or case.schema_context == "DataFrameSchema":
            key = meta["schema"].get("primaryKey")
            if check in ("unique", "multiple_fields_uniqueness") or str(check).startswith("unique"):
                row = raw.iloc[int(case.index)] if line else None
                shown = {k: row[k] for k in key} if row is not None else value
                found.append(
                    Violation(label, f"duplicate key {key}: another row has the same values", line, None, shown)
                )
            else:
                cols = [c for c in ("value", "value_status", "unit") if c in raw.columns]
                shown = raw.iloc[int(case.index)][cols].to_dict() if line else value
                found.append(Violation(label, check, line, None, shown))
        else:
            found.append(Violation(label, check, line, column, value))
    return _in_file_order(found)


def _in_file_order(found: list[Violation]) -> list[Violation]:
    """One message per cell and rule, in file order."""
    unique = {(v.line or 0, v.column or "", v.rule): v for v in found}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1], k[2]))]


def validate_frame(
    raw: pd.DataFrame,
    meta: dict,
    label: str,
    references: dict[str, set[str]] | None = None,
    lines: list[int] | None = None,
) -> pd.DataFrame:
    """Typed, validated copy of `raw` (all-text cells), or DataValidationError.

    `lines` gives the file line of each row (see files.read_csv_lines); without it row 0 is line 2."""
    refused = _text_problems(raw, meta, label, lines)
    text = raw.replace("", pd.NA)
    for v in refused:  # blanked so that the type pass does not report the same cell again
        if v.column in text.columns:
            text.loc[text[v.column] == v.value, v.column] = pd.NA
    try:
        typed = type_schema(meta).validate(text, lazy=True)
    except SchemaErrors as exc:
        raise DataValidationError(_in_file_order(refused + _violations(exc, meta, label, raw, lines))) from None
    if refused:
        raise DataValidationError(_in_file_order(refused))
    try:
        return constraint_schema(meta, references or {}).validate(typed, lazy=True)
    except SchemaErrors as exc:
        raise DataValidationError(_violations(exc, meta, label, raw, lines)) from None
