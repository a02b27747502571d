"""The no-op check: a hash of everything a run reads, computed with the standard library
only (no pandas import), so that rerunning with nothing changed returns at once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from contrat_ville.data.paths import BOOK_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, RUN_PLAN

STAMP_NAME = ".run-key"


def _files(folder: Path, pattern: str = "*"):
    return sorted(
        p
        for p in folder.rglob(pattern)
        if p.is_file()
        and "_build" not in p.parts
        and "__pycache__" not in p.parts
        and ".ipynb_checkpoints" not in p.parts
    )


def run_key(year: int | None, raw_dir: Path, plan_path: Path = RUN_PLAN, book_dir: Path = BOOK_DIR) -> str:
    digest = hashlib.sha256(f"year={year}\nraw={Path(raw_dir).resolve()}\n".encode())
    groups = [(Path(raw_dir), "*"), (NOTEBOOKS_DIR, "*.ipynb"), (Path(book_dir), "*"), (PACKAGE_DIR, "*.py")]
    for folder, pattern in groups:
        for path in _files(folder, pattern):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(Path(plan_path).read_bytes())
    return digest.hexdigest()


def unchanged(key: str, site_dir: Path, processed_dir: Path) -> bool:
    """True when the published site was built from exactly these inputs and outputs exist."""
    stamp = Path(site_dir) / STAMP_NAME
    return stamp.exists() and stamp.read_text() == key and Path(processed_dir).is_dir()
