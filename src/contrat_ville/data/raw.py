"""Load raw tables validated against their declared schemas.

`load(name)` is what notebooks call (through `Chapter.load`); `validate_all()` is what the
pipeline calls before any notebook runs, collecting every problem of every file into one
error.

A table's sidecar travels beside its frame, never inside it: `load_table` gives a
`RawTable` (frame and sidecar side by side) and `validate_all` a `Tables` mapping (frames by
name, sidecars in `.metas`). Keeping the sidecar in `DataFrame.attrs` made pandas deep-copy
it into every derived frame (key_figures.indicator_table took 23.2 s instead of 4.4 s)."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from contrat_ville.data.editions import violations as edition_violations
from contrat_ville.data.errors import DataValidationError, Violation
from contrat_ville.data.files import file_label, misnamed_files, read_csv_lines, read_meta, table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.schemas import validate_frame

REFERENCE_TABLES = ("territories", "sources")  # other tables' foreign keys point here


@dataclass(frozen=True)
class RawTable:
    """One validated raw table: its typed frame and, beside it, its sidecar."""

    name: str
    frame: pd.DataFrame
    meta: dict
    path: Path


class Tables(dict):
    """Raw tables by name (`tables[name]` is the frame), their sidecars in `metas[name]`."""

    def __init__(self, frames: dict[str, pd.DataFrame] | None = None, metas: dict[str, dict] | None = None):
        super().__init__(frames or {})
        self.metas: dict[str, dict] = dict(metas or {})

    def add(self, table: RawTable) -> None:
        self[table.name] = table.frame
        self.metas[table.name] = table.meta

    def meta(self, name: str) -> dict | None:
        """The sidecar of table `name`, or None when it has none (a frame built in code)."""
        return self.metas.get(name)


def _load_one(name: str, raw_dir: Path, references: dict[str, set[str]]) -> RawTable:
    path = Path(raw_dir) / f"{name}.csv"
    text, lines = read_csv_lines(path)  # first: a missing CSV is reported as such, not as a missing sidecar
    meta = read_meta(name, raw_dir)
    if text.empty:
        raise DataValidationError([Violation(file_label(path), "file has a header but no data rows", line=2)])
    frame = validate_frame(text, meta, file_label(path), references, lines)
    broken = edition_violations(frame, meta, file_label(path), references.get("sources"))
    if broken:  # the edition model (data/raw/README.md, "Editions"): duplicate figures, periods, sources
        raise DataValidationError(broken)
    return RawTable(name, frame, meta, path)


def _key_column(name: str) -> str:
    return {"territories": "territory_id", "sources": "source_id"}[name]


def references(raw_dir: Path = RAW_DIR) -> dict[str, set[str]]:
    """Ids of the reference tables, for foreign-key checks."""
    refs: dict[str, set[str]] = {}
    for name in REFERENCE_TABLES:
        table = _validated(name, raw_dir, dict(refs))
        refs[name] = set(table.frame[_key_column(name)].dropna())
    return refs


_VALIDATED: dict[tuple, RawTable] = {}  # per process: a warm kernel reuses it across notebooks
_VALIDATED_MAX = 64


def _fingerprint(raw_dir: Path, names: tuple[str, ...]) -> tuple | None:
    """The bytes a validation depends on: the table, its sidecar, the reference tables. Not
    the folder: a table that validates gives the same frame wherever it is (only the messages
    of a failed validation name the folder, and failures are not kept)."""
    digest = hashlib.sha256()
    for name in names:
        for path in (Path(raw_dir) / f"{name}.csv", Path(raw_dir) / f"{name}.meta.yaml"):
            if path.is_symlink():  # refused by the reading, whatever it points to
                digest.update(b"<link>")
            try:
                digest.update(path.read_bytes() if path.exists() else b"<missing>")
            except OSError:
                return None  # unreadable: let the reading report it
    return (names[0], digest.hexdigest())


def _validated(name: str, raw_dir: Path, refs: dict[str, set[str]] | None = None) -> RawTable:
    """Table `name` of `raw_dir` validated, or the kept result for the same bytes (fresh
    copies of the frame and sidecar, so that a caller may change them)."""
    if refs is None and name in REFERENCE_TABLES:
        refs = {}
    # the reference ids checked are part of the key (they come from the bytes fingerprinted),
    # by the names of their tables, known before any is read: a table kept here costs no
    # reading of the reference tables (a fiche loads eight tables). Any other table is checked
    # against every reference table.
    checked = tuple(sorted(refs)) if refs is not None else tuple(sorted(REFERENCE_TABLES))

    def load() -> RawTable:
        return _load_one(name, raw_dir, refs if refs is not None else references(raw_dir))

    fingerprint = _fingerprint(raw_dir, (name, *REFERENCE_TABLES))
    if fingerprint is None:
        return load()
    key = (*fingerprint, checked)
    if key not in _VALIDATED:
        table = load()
        if len(_VALIDATED) >= _VALIDATED_MAX:
            _VALIDATED.pop(next(iter(_VALIDATED)))
        _VALIDATED[key] = table
    kept = _VALIDATED[key]
    return RawTable(kept.name, kept.frame.copy(), copy.deepcopy(kept.meta), Path(raw_dir) / f"{name}.csv")


def load_table(name: str, raw_dir: Path = RAW_DIR) -> RawTable:
    """Table `name` of `raw_dir`, typed and validated, with its sidecar beside it.

    A table whose bytes (and those of the reference tables) were already validated in this
    process is not validated again: fiches run by the hundred in one warm kernel. The frame
    and its sidecar are fresh copies each time, so that a caller may change them."""
    return _validated(name, raw_dir)


def load(name: str, raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """The frame of `load_table(name, raw_dir)` (typed, validated, no attrs)."""
    return load_table(name, raw_dir).frame


def validate_all(raw_dir: Path = RAW_DIR, names: list[str] | None = None) -> Tables:
    """Every raw table validated; one DataValidationError listing all problems of all files
    (files named like a table but skipped, e.g. `*.CSV`, included)."""
    problems, tables = misnamed_files(raw_dir), Tables()
    try:
        refs = references(raw_dir)
    except DataValidationError as exc:
        raise DataValidationError(problems + exc.violations) from None
    for name in names or table_names(raw_dir):
        try:
            tables.add(_validated(name, raw_dir, refs))
        except DataValidationError as exc:
            problems += exc.violations
    if problems:
        raise DataValidationError(problems)
    return tables
