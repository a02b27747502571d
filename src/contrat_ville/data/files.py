"""Read raw tables and their metadata sidecars.

Reading is strict: a file is decoded as UTF-8 (a byte-order mark is tolerated and
dropped), every cell is read as text, and types are applied by the declared schema
(`schemas.py`), so that a bad cell is reported with its line and column instead of
being silently guessed by pandas.
"""

from __future__ import annotations

import csv
import io as _io
from pathlib import Path

import pandas as pd
import yaml

from contrat_ville.data.errors import DataValidationError, Violation
from contrat_ville.data.paths import RAW_DIR

META_SUFFIX = ".meta.yaml"
BOM = "\ufeff"


def meta_path(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.name[: -len(".csv")] + META_SUFFIX)


def table_names(raw_dir: Path = RAW_DIR) -> list[str]:
    """Names of the raw tables (CSV files) in `raw_dir`, sorted."""
    return sorted(p.name[: -len(".csv")] for p in Path(raw_dir).glob("*.csv"))


def read_meta(name: str, raw_dir: Path = RAW_DIR) -> dict:
    """The YAML sidecar of table `name`; a missing or unreadable sidecar is a data error."""
    path = meta_path(Path(raw_dir) / f"{name}.csv")
    if not path.exists():
        raise DataValidationError(
            [Violation(str(path), "metadata sidecar is missing; every raw CSV needs one (see data/raw/README.md)")]
        )
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataValidationError([Violation(str(path), f"sidecar is not valid UTF-8 YAML ({exc})")]) from exc
    if not isinstance(meta, dict) or "schema" not in meta:
        raise DataValidationError([Violation(str(path), "sidecar has no 'schema' block (Frictionless Table Schema)")])
    return meta


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
    """Every cell as a stripped string; '' for an empty cell. Row index 0 is CSV line 2."""
    path = Path(path)
    if not path.exists():
        raise DataValidationError([Violation(str(path), "file is missing")])
    text = _decode(path)
    if not text.strip():
        raise DataValidationError([Violation(str(path), "file is empty; expected a header row and data rows")])
    rows = list(csv.reader(_io.StringIO(text)))
    header, body = [h.strip() for h in rows[0]], rows[1:]
    problems = [
        Violation(str(path), f"row has {len(r)} fields, header has {len(header)}", line=i + 2)
        for i, r in enumerate(body)
        if r and len(r) != len(header)
    ]
    if problems:
        raise DataValidationError(problems)
    body = [[c.strip() for c in r] for r in body if r]  # a blank line is not a row
    return pd.DataFrame(body, columns=header, dtype="string") if body else pd.DataFrame(columns=header, dtype="string")


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
