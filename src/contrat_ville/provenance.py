"""Hashes, versions and the metadata that travels with every processed table."""
from __future__ import annotations

import hashlib
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml

TRACKED_PACKAGES = ("contrat-ville", "pandas", "numpy", "statsmodels", "seaborn", "matplotlib", "pandera", "papermill", "babel", "jupyter-book", "myst-nb")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    found = {}
    for name in TRACKED_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def dump_yaml(data: dict, path: Path) -> None:
    """Deterministic YAML: keys in insertion order, unicode kept, no timestamps."""
    Path(path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


# Published floats carry this many significant digits: far finer than anything the book
# prints, far coarser than the last-digit noise of another CPU or BLAS kernel (seen:
# -8.443968076191599 on one machine, -8.443968076191588 on another), so that processed
# files are byte-identical across machines.
SIGNIFICANT_DIGITS = 8


def at_stated_precision(value):
    """A float rounded to SIGNIFICANT_DIGITS significant digits; anything else unchanged."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    return value


def write_csv(frame, path: Path) -> None:
    """Deterministic CSV: UTF-8, '\\n' line ends, '.' decimals, index dropped, floats at
    the stated precision (SIGNIFICANT_DIGITS)."""
    import pandas as pd  # here: the no-op rerun path imports this module without pandas

    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].map(at_stated_precision, na_action="ignore")
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def package_sha256() -> str:
    """One SHA-256 over the package's source files (names and contents), in name order."""
    from .paths import PACKAGE_DIR

    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()
