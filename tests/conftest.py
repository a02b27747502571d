"""Shared fixtures. The pipeline runs once per test session into a temporary folder
(never over the project's own data/processed or book), and tests read its outputs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from contrat_ville.data.files import read_source_report
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.run import pipeline


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    """The source report, one string per line (index 0 is line 1).

    It is an external input (paths.SOURCE_REPORT). Without it the tests comparing raw rows
    with the report's lines are skipped, saying why; under CI, which has it, they fail."""
    try:
        return read_source_report()
    except FileNotFoundError as missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (CI must have it)")
        pytest.skip(f"{missing}: the tests that check raw rows against the report's lines need it")


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    """A writable copy of data/raw for tests that break it on purpose."""
    target = tmp_path / "raw"
    shutil.copytree(RAW_DIR, target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One full run (validation, papermill, Jupyter Book) on the shipped data."""
    base = tmp_path_factory.mktemp("run")
    report = pipeline.run(
        processed_root=base / "processed", site_dir=base / "site", build_dir=base / "build", log=lambda *_: None
    )
    return {"report": report, "processed": base / "processed" / str(report.year), "site": base / "site", "base": base}


SYNTHETIC_2019 = Path(__file__).parent / "fixtures" / "synthetic_2019"


def add_drop(raw_dir: Path, drop_dir: Path) -> None:
    """Append the rows of every CSV of `drop_dir` to the table of the same name in `raw_dir`."""
    for fragment in sorted(drop_dir.glob("*.csv")):
        target = raw_dir / fragment.name
        header, *rows = fragment.read_text(encoding="utf-8").splitlines()
        existing = target.read_text(encoding="utf-8")
        assert existing.splitlines()[0] == header, f"{fragment.name}: header differs from data/raw"
        target.write_text(existing.rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def built_2019(tmp_path_factory, built):
    """A full run of the 2019 edition on data/raw plus the SYNTHETIC 2019 drop, published
    over a copy of the 2018 site (editions side by side: 2019 at the root, 2018 in 2018/)."""
    base = tmp_path_factory.mktemp("run2019")
    shutil.copytree(built["site"], base / "site")
    raw_dir = base / "raw"
    shutil.copytree(RAW_DIR, raw_dir)
    add_drop(raw_dir, SYNTHETIC_2019)
    report = pipeline.run(
        year=2019,
        raw_dir=raw_dir,
        processed_root=base / "processed",
        site_dir=base / "site",
        build_dir=base / "build",
        log=lambda *_: None,
    )
    return {
        "report": report,
        "processed": base / "processed" / "2019",
        "site": base / "site",
        "raw": raw_dir,
        "base": base,
    }


@pytest.fixture(scope="session")
def synthetic_series():
    """SYNTHETIC series with known annual rates (tests/fixtures/synthetic_trend_series.csv),
    by series id. Test data only: nothing in it describes Chambéry."""
    import pandas as pd

    frame = pd.read_csv(Path(__file__).parent / "fixtures" / "synthetic_trend_series.csv")
    assert frame["note"].str.startswith("SYNTHETIC").all()
    return {series_id: group.reset_index(drop=True) for series_id, group in frame.groupby("series_id")}
