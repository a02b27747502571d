"""Load raw tables validated against their declared schemas.

`load(name)` is what notebooks call; `validate_all()` is what the pipeline calls before
any notebook runs, collecting every problem of every file into one error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from contrat_ville.data.editions import violations as edition_violations
from contrat_ville.data.errors import DataValidationError, Violation
from contrat_ville.data.files import file_label, read_csv_text, read_meta, table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.schemas import validate_frame

REFERENCE_TABLES = ("territories", "sources")  # other tables' foreign keys point here


def _load_one(name: str, raw_dir: Path, references: dict[str, set[str]]) -> pd.DataFrame:
    path = Path(raw_dir) / f"{name}.csv"
    text = read_csv_text(path)  # first: a missing CSV is reported as such, not as a missing sidecar
    meta = read_meta(name, raw_dir)
    if text.empty:
        raise DataValidationError([Violation(file_label(path), "file has a header but no data rows", line=2)])
    frame = validate_frame(text, meta, file_label(path), references)
    broken = edition_violations(frame, meta, file_label(path), references.get("sources"))
    if broken:  # the edition model (data/raw/README.md, "Editions"): duplicate figures, periods, sources
        raise DataValidationError(broken)
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


_VALIDATED: dict[tuple, pd.DataFrame] = {}  # per process: a warm kernel reuses it across notebooks
_VALIDATED_MAX = 64


def _fingerprint(raw_dir: Path, names: tuple[str, ...]) -> tuple:
    """The bytes a validation depends on: the table, its sidecar, the reference tables."""
    digest = hashlib.sha256()
    for name in names:
        for path in (Path(raw_dir) / f"{name}.csv", Path(raw_dir) / f"{name}.meta.yaml"):
            digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return (str(Path(raw_dir).resolve()), names[0], digest.hexdigest())


def load(name: str, raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """Table `name` of `raw_dir`, typed and validated; its sidecar is in `.attrs['meta']`.

    A table whose bytes (and those of the reference tables) were already validated in this
    process is not validated again: fiches run by the hundred in one warm kernel."""
    key = _fingerprint(raw_dir, (name, *REFERENCE_TABLES))
    if key not in _VALIDATED:
        refs = {} if name in REFERENCE_TABLES else references(raw_dir)
        if len(_VALIDATED) >= _VALIDATED_MAX:
            _VALIDATED.pop(next(iter(_VALIDATED)))
        _VALIDATED[key] = _load_one(name, raw_dir, refs)
    cached = _VALIDATED[key]
    frame = cached.copy()
    frame.attrs = {"meta": cached.attrs["meta"], "path": cached.attrs["path"]}
    return frame


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
