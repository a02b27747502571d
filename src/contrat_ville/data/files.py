"""Read raw tables and their metadata sidecars.

Reading is strict: a file is decoded as UTF-8 (a byte-order mark is tolerated and
dropped), every cell is read as text, and types are applied by the declared schema
(`schemas.py`), so that a bad cell is reported with its line and column instead of
being silently guessed by pandas. Refused with a message naming file and line: symbolic
links, NUL bytes, CR-only (old Mac) line endings, cells over MAX_CELL_CHARS characters,
duplicated column names (text a spreadsheet would run as a formula: see schemas).
"""

from __future__ import annotations

import csv
import io as _io
import os
import re
from pathlib import Path

import pandas as pd
import yaml

from contrat_ville.data.errors import DataValidationError, Violation
from contrat_ville.data.paths import RAW_DIR

META_SUFFIX = ".meta.yaml"
BOM = "\ufeff"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The longest cell accepted: the longest cell of data/raw is a few hundred characters
# (anomaly notes); anything far longer is a paste accident, not a transcription.
MAX_CELL_CHARS = 10_000


def meta_path(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.name[: -len(".csv")] + META_SUFFIX)


def table_names(raw_dir: Path = RAW_DIR) -> list[str]:
    """Names of the raw tables (CSV files) in `raw_dir`, sorted."""
    return sorted(p.name[: -len(".csv")] for p in Path(raw_dir).glob("*.csv"))


def misnamed_files(raw_dir: Path = RAW_DIR) -> list[Violation]:
    """Files that look like raw tables or sidecars but would be skipped: `*.CSV`, `*.Csv`...
    (the glob is case-sensitive on Linux, so such a table would silently not be read)."""
    found = []
    for path in sorted(Path(raw_dir).iterdir()):
        name = path.name
        for suffix in (".csv", META_SUFFIX):
            if name.lower().endswith(suffix) and not name.endswith(suffix):
                stem = name[: -len(suffix)]
                found.append(
                    Violation(
                        file_label(path),
                        f"file name ends in '{name[-len(suffix) :]}', which is not read; rename it to '{stem}{suffix}'",
                    )
                )
    return found


def _refuse_symlink(path: Path) -> None:
    # a link can point outside data/raw, to a file whose bytes no commit records
    if path.is_symlink():
        raise DataValidationError(
            [
                Violation(
                    str(Path(file_label(path.parent)) / path.name),  # the link's name, not its target's
                    f"is a symbolic link (to {os.readlink(path)}); raw files must be regular files: copy the file here",
                )
            ]
        )


def read_meta(name: str, raw_dir: Path = RAW_DIR) -> dict:
    """The YAML sidecar of table `name`; a missing or unreadable sidecar is a data error."""
    path = meta_path(Path(raw_dir) / f"{name}.csv")
    _refuse_symlink(path)
    if not path.exists():
        raise DataValidationError(
            [Violation(str(path), "metadata sidecar is missing; every raw CSV needs one (see data/raw/README.md)")]
        )
    try:
        # libyaml's safe loader when PyYAML has it: the same documents, ten times faster
        # (every validation reads every sidecar)
        meta = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataValidationError([Violation(str(path), f"sidecar is not valid UTF-8 YAML ({exc})")]) from exc
    if not isinstance(meta, dict) or "schema" not in meta:
        raise DataValidationError([Violation(str(path), "sidecar has no 'schema' block (Frictionless Table Schema)")])
    problem = description_fr_problem(meta.get("description_fr"))
    if problem:
        raise DataValidationError([Violation(str(path), f"field 'description_fr': {problem}")])
    return meta


DESCRIPTION_FR_MAX = 400  # characters: one sentence that a reader of the Données page takes in


def description_fr_problem(text: object) -> str | None:
    """What is wrong with a sidecar's `description_fr` (the French sentence shown on the Données
    page), or None: one sentence of plain text, ending with a full stop."""
    if text is None:
        return "missing; expected one French sentence saying what a row of the table is (see data/raw/README.md)"
    if not isinstance(text, str) or not text.strip():
        return f"expected one French sentence (text), got {text!r}"
    text = text.strip()
    if "\n" in text:
        return "expected one sentence on one line, got several lines"
    if len(text) > DESCRIPTION_FR_MAX:
        return f"expected one sentence of at most {DESCRIPTION_FR_MAX} characters, got {len(text)}"
    if not text.endswith("."):
        return f"expected a sentence ending with a full stop, got {text[-20:]!r}"
    return None


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataValidationError(
            [
                Violation(
                    str(path),
                    f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)",
                    line=line,
                )
            ]
        ) from exc
    return text.removeprefix(BOM)


def read_csv_text(path: Path) -> pd.DataFrame:
    """Every cell as a stripped string; '' for an empty cell. Row index 0 is the first data row."""
    return read_csv_lines(path)[0]


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def read_csv_lines(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """`read_csv_text` and, per row, the 1-based line of the file where the row starts
    (a quoted cell may span several lines, so row i is not always line i + 2)."""
    path = Path(path)
    label = file_label(path)
    _refuse_symlink(path)
    if not path.exists():
        raise DataValidationError([Violation(str(path), "file is missing")])
    text = _decode(path)
    if not text.strip():
        raise DataValidationError([Violation(str(path), "file is empty; expected a header row and data rows")])
    bare_cr = re.search(r"\r(?!\n)", text)
    if bare_cr:
        raise DataValidationError(
            [
                Violation(
                    label,
                    "line ends with a carriage return alone (old Mac line endings); expected '\\n' or '\\r\\n' "
                    "line endings: save the file as 'CSV UTF-8'",
                    line=_line_at(text, bare_cr.start()),
                )
            ]
        )
    rows, starts = _parse(text, label)
    header, body = [h.strip() for h in rows[0]], rows[1:]
    problems = _header_problems(header, label)
    problems += [
        Violation(label, f"row has {len(r)} fields, header has {len(header)}", line=line)
        for r, line in zip(body, starts[1:])
        if r and len(r) != len(header)
    ]
    kept = [(r, line) for r, line in zip(body, starts[1:]) if r]  # a blank line is not a row
    body = [[c.strip() for c in r] for r, _ in kept]
    lines = [line for _, line in kept]
    if not problems:
        problems = _cell_problems(header, body, lines, label)
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(body, columns=header, dtype="string") if body else pd.DataFrame(columns=header, dtype="string")
    return frame, lines


def _parse(text: str, label: str) -> tuple[list[list[str]], list[int]]:
    """Rows and the line where each starts; a malformed file is a data error naming its line."""
    reader = csv.reader(_io.StringIO(text))
    rows, starts, line = [], [], 1
    try:
        for row in reader:
            rows.append(row)
            starts.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        rule = str(exc)
        if "field larger than field limit" in rule:
            rule = f"a cell is over {csv.field_size_limit()} characters; expected at most {MAX_CELL_CHARS}"
        raise DataValidationError([Violation(label, f"not a readable CSV: {rule}", line=line)]) from None
    return rows, starts


def _header_problems(header: list[str], label: str) -> list[Violation]:
    seen: dict[str, int] = {}
    problems = []
    for position, name in enumerate(header, start=1):
        if name in seen:
            problems.append(
                Violation(
                    label,
                    f"column name appears twice in the header (columns {seen[name]} and {position}); "
                    "expected each column once",
                    line=1,
                    column=name,
                )
            )
        else:
            seen[name] = position
    return problems


def _cell_problems(header: list[str], body: list[list[str]], lines: list[int], label: str) -> list[Violation]:
    """NUL bytes and oversized cells, each named by line and column (formula-like text is
    checked by the schema, which knows the text columns)."""
    problems = []
    for row, line in zip(body, lines):
        if max(map(len, row), default=0) <= MAX_CELL_CHARS and not any("\x00" in cell for cell in row):
            continue  # the common case, checked row by row without building messages
        for column, cell in zip(header, row):
            if "\x00" in cell:
                problems.append(
                    Violation(label, "a NUL byte (\\x00) is in the cell; expected text without it", line, column, cell)
                )
            elif len(cell) > MAX_CELL_CHARS:
                problems.append(
                    Violation(
                        label,
                        f"cell has {len(cell)} characters; expected at most {MAX_CELL_CHARS}",
                        line,
                        column,
                        cell[:40] + "...",
                    )
                )
    return problems


def file_label(path: Path) -> str:
    """A path as shown in messages: relative to the project when possible."""
    path = Path(path).resolve()
    for base in (RAW_DIR.parents[1], Path.cwd()):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def read_source_report(path: Path | None = None, expected_sha256: str | None = None) -> list[str]:
    """The source report's lines (index 0 is line 1), after checking it is the expected file."""
    import hashlib

    from contrat_ville.data.paths import SOURCE_REPORT, SOURCE_REPORT_SHA256

    path = Path(path or SOURCE_REPORT)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: the source report is missing; it is an external input (set CONTRAT_VILLE_REPORT to its path)"
        )
    data = path.read_bytes()
    expected = expected_sha256 or SOURCE_REPORT_SHA256
    if hashlib.sha256(data).hexdigest() != expected:
        raise ValueError(f"{path}: not the expected source report (SHA-256 differs from {expected})")
    return data.decode("utf-8").splitlines()
