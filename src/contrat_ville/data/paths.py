"""Where things live. Every path is derived from the project root so that the
package works from a clone anywhere, and from notebooks run in any folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/contrat_ville


def package_sources() -> list[Path]:
    """Every source file of the package, in path order (what its code hash covers): its
    modules and the data files they read (presentation/vocabulary.yaml)."""
    return sorted([*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.yaml")])


def project_root() -> Path:
    """The clone's root: `CONTRAT_VILLE_ROOT` if set, else two levels above the package."""
    env = os.environ.get("CONTRAT_VILLE_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parents[1]


ROOT = project_root()
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
NOTEBOOKS_DIR = ROOT / "notebooks"
BOOK_DIR = ROOT / "book"
BUILD_DIR = ROOT / "build"
SITE_DIR = BOOK_DIR / "_build" / "html"
RUN_PLAN = ROOT / "runplan.yaml"
# The source report is an external input, not part of the clone: located by one setting
# (CONTRAT_VILLE_REPORT, by default ../shared/seed/ beside the clone) and checked by its hash.
SOURCE_REPORT = Path(
    os.environ.get("CONTRAT_VILLE_REPORT", ROOT.parent / "shared" / "seed" / "rapport-annuel-2018.txt")
)
SOURCE_REPORT_SHA256 = "a81c57c2ea430229699f67a4c5f1cc60c17baed59332b38fd3bb94fdcebb37ef"
