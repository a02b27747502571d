"""Hashes, versions and the metadata that travels with every processed table."""
from __future__ import annotations

import hashlib
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


def write_csv(frame, path: Path) -> None:
    """Deterministic CSV: UTF-8, '\\n' line ends, '.' decimals, index dropped."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def package_sha256() -> str:
    """One SHA-256 over the package's source files (names and contents), in name order."""
    from .paths import PACKAGE_DIR

    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()
