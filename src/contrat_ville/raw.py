"""Load raw tables validated against their declared schemas.

`load(name)` is what notebooks call; `validate_all()` is what the pipeline calls before
any notebook runs, collecting every problem of every file into one error."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import DataValidationError, Violation
from .io import file_label, read_csv_text, read_meta, table_names
from .paths import RAW_DIR
from .schemas import validate_frame

REFERENCE_TABLES = ("territories", "sources")  # other tables' foreign keys point here


def _load_one(name: str, raw_dir: Path, references: dict[str, set[str]]) -> pd.DataFrame:
    path = Path(raw_dir) / f"{name}.csv"
    text = read_csv_text(path)  # first: a missing CSV is reported as such, not as a missing sidecar
    meta = read_meta(name, raw_dir)
    if text.empty:
        raise DataValidationError([Violation(file_label(path), "file has a header but no data rows", line=2)])
    frame = validate_frame(text, meta, file_label(path), references)
    frame.attrs["meta"] = meta
    frame.attrs["path"] = str(path)
    return frame


def _key_column(name: str) -> str:
    return {"territories": "territory_id", "sources": "source_id"}[name]


def references(raw_dir: Path = RAW_DIR) -> dict[str, set[str]]:
    """Ids of the reference tables, for foreign-key checks."""
    refs: dict[str, set[str]] = {}
    for name in REFERENCE_TABLES:
        table = _load_one(name, raw_dir, refs)
        refs[name] = set(table[_key_column(name)].dropna())
    return refs


def load(name: str, raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """Table `name` of `raw_dir`, typed and validated; its sidecar is in `.attrs['meta']`."""
    refs = {} if name in REFERENCE_TABLES else references(raw_dir)
    return _load_one(name, raw_dir, refs)


def validate_all(raw_dir: Path = RAW_DIR, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every raw table validated; one DataValidationError listing all problems of all files."""
    problems, tables = [], {}
    try:
        refs = references(raw_dir)
    except DataValidationError as exc:
        raise DataValidationError(exc.violations) from None
    for name in names or table_names(raw_dir):
        try:
            tables[name] = _load_one(name, raw_dir, refs)
        except DataValidationError as exc:
            problems += exc.violations
    if problems:
        raise DataValidationError(problems)
    return tables
