"""Shared fixtures. The pipeline runs once per test session into a temporary folder
(never over the project's own data/processed or book), and tests read its outputs.

Under pytest-xdist (`make test` runs three workers) every worker is a process with its own
session fixtures: `built` and `built_2019` are made once for the whole session by whichever
worker needs them first and read by the others (`shared_run`); the slow tests go in three
lanes, one per worker (`lane_of`)."""

from __future__ import annotations

import dataclasses
import fcntl
import html
import json
import os
import re
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


PIPELINE_FIXTURES = {"built", "built_2019"}

# Three lanes (xdist groups), one per worker of `make test` (three workers, even on two cores:
# the browser and the kernels' starts leave a core idle for part of a lane), so that all work
# from the start and end together:
# - "run2018": the tests reading the 2018 run `built`, which the lane makes first; then the
#   incremental book's own builds (LAST_IN_LANE_2018);
# - "run2019": first runs of their own (FIRST_IN_LANE_2019), about as long as `built` takes on
#   another worker; then the tests reading `built_2019` (made here from `built`), then the
#   tests that read `built` last (LAST_IN_LANE_2019);
# - "browser": first the other slow tests that need no shared run (fresh interpreters, a
#   simulation), while `built` is made; then the tests in Chromium.
LANE_2018, LANE_2019, LANE_BROWSER = "run2018", "run2019", "browser"
LANES = (LANE_2018, LANE_2019, LANE_BROWSER)
# `path::name` of tests that do their own run first (in the test or a fixture)
FIRST_IN_LANE_2019 = {
    "test_reliability.py::test_clean_runs_are_byte_identical",
    "test_years.py::test_rebuilding_2018_after_2019_and_2020_is_byte_identical",
}
LAST_IN_LANE_2019 = {
    "test_reliability.py::test_failing_book_build_leaves_published_outputs_untouched",
    # after the one-change test, whose build folder (built_2019's) it runs on
    "test_reliability.py::test_the_no_op_check_verifies_the_published_outputs_and_repairs_them",
    # the whole-report PDF (about 20 s) reads the 2018 site; in Chromium, but in a process of its own
    "test_pdf.py::test_pdf_of_the_whole_report",
}
LAST_IN_LANE_2018 = {
    # five book builds of its own (about 40 s)
    "test_incremental_book.py::test_an_incremental_book_build_gives_the_clean_builds_bytes",
}


def lane_of(item) -> tuple[str | None, int]:
    """(xdist group, rank in the lane) of a test; (None, 0) for a test of no lane."""
    fixtures = set(getattr(item, "fixturenames", ()))
    name = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
    if name in FIRST_IN_LANE_2019:
        return LANE_2019, 0
    if name in LAST_IN_LANE_2019:
        return LANE_2019, 2
    if "built_2019" in fixtures:
        return LANE_2019, 1
    if name in LAST_IN_LANE_2018:
        return LANE_2018, 2
    if item.get_closest_marker("browser"):
        return LANE_BROWSER, 1
    if "built" in fixtures:
        return LANE_2018, 0
    if item.get_closest_marker("slow"):
        return LANE_BROWSER, 0
    return None, 0


def pytest_itemcollected(item):
    """The lane of each test as its xdist group, set as the test is collected, before
    pytest-xdist reads the groups (its `pytest_collection_modifyitems` runs before this
    conftest's)."""
    group, _ = lane_of(item)
    if group:
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(trylast=True)  # after xdist's own hook
def pytest_collection_modifyitems(config, items):
    """With `--dist loadgroup` (`make test`), each lane goes to one xdist worker, which runs it
    in its order (see LANES): xdist hands out its groups, the largest first, one to each worker
    before anything else; the tests of no lane go to whichever worker is free.
    Other ways of distributing still share the runs (`shared_run`).

    xdist 3.8 tells its scheduler a test's group by appending "@group" to the node id, which
    pytest 9.2's structured node ids ignore (pytest-xdist issue 1386): the groups were silently
    lost and every slow test went to either worker. Until xdist is fixed, the suffix is set here
    (a no-op once xdist sets it itself)."""
    ranks = {id(item): lane_of(item)[1] for item in items}
    items.sort(key=lambda item: ranks[id(item)])  # stable: the collection order within a rank
    if not getattr(config.option, "loadgroup", False):  # set by xdist in its workers under --dist loadgroup
        return
    from _pytest.nodeid import NodeId

    for item in items:
        group, _ = lane_of(item)
        if group and not item.nodeid.endswith(f"@{group}"):
            item._id = NodeId.parse(f"{item.nodeid}@{group}")


def shared_run(tmp_path_factory, name: str, make) -> dict:
    """`make(base)` once per test session, even with several xdist workers: its result (paths
    and the RunReport) is kept in the session's common temporary folder, made under a lock
    (the pattern pytest-xdist documents for session fixtures)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent  # common to the workers of this session
    base, saved = root / name, root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or the worker dies
        if saved.exists():
            data = json.loads(saved.read_text(encoding="utf-8"))
            return {
                **{k: Path(v) for k, v in data.items() if k != "report"},
                "report": pipeline.RunReport(**data["report"]),
            }
        shutil.rmtree(base, ignore_errors=True)  # left by a worker whose run failed
        base.mkdir()
        result = make(base)
        data = {k: (dataclasses.asdict(v) if k == "report" else str(v)) for k, v in result.items()}
        saved.write_text(json.dumps(data), encoding="utf-8")
        return result


def own_build_dir(base: Path, target: Path) -> Path:
    """A private copy of a shared run's build folder (its execution cache), for a test that runs
    the pipeline again on it: runs take a lock on their build folder, and tests on other workers
    must not see what this one adds. Cached executions are never written in place (a new one
    replaces the folder), so they are hard links. The kept book build is not copied: Sphinx
    refuses an environment read in another folder, and the run drops a moved one
    (`pipeline.build_book_kept`), so a test's run builds its book from nothing either way."""
    source = base / "build"
    target.mkdir(parents=True)

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    for child in source.iterdir():
        if child.name == "cache":
            shutil.copytree(child, target / child.name, copy_function=link)
        elif child.is_dir() and child.name not in ("failed", pipeline.BOOK_ENV_DIR):
            shutil.copytree(child, target / child.name)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One full run (validation, papermill, Jupyter Book) on the shipped data."""

    def make(base):
        report = pipeline.run(
            processed_root=base / "processed", site_dir=base / "site", build_dir=base / "build", log=lambda *_: None
        )
        return {
            "report": report,
            "processed": base / "processed" / str(report.year),
            "site": base / "site",
            "base": base,
        }

    return shared_run(tmp_path_factory, "run2018", make)


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

    def make(base):
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

    return shared_run(tmp_path_factory, "run2019", make)


@pytest.fixture(scope="session")
def synthetic_series():
    """SYNTHETIC series with known annual rates (tests/fixtures/synthetic_trend_series.csv),
    by series id. Test data only: nothing in it describes Chambéry."""
    import pandas as pd

    frame = pd.read_csv(Path(__file__).parent / "fixtures" / "synthetic_trend_series.csv")
    assert frame["note"].str.startswith("SYNTHETIC").all()
    return {series_id: group.reset_index(drop=True) for series_id, group in frame.groupby("series_id")}


def synthetic_catalogue(**overrides):
    """One SYNTHETIC catalogue row (tests of the scorecard): a count meant to rise, read from
    the synthetic series `s` of territory `t`; `overrides` change any column."""
    import pandas as pd

    row = {
        "indicator_id": "synthetic_count",
        "label": "Synthétique",
        "pillar": "cohesion_sociale",
        "theme": "t",
        "kind": "count",
        "unit": "personnes",
        "definition": "Donnée synthétique de test.",
        "desired_direction": "up",
        "indicator_class": "outcome",
        "exhaustive": "no",
        "territory_id": "t",
        "source_id": "synthetic",
        "data": "series[series_id=s;territory_id=t]",
        "aggregate": pd.NA,
        "comparison": pd.NA,
        "reference": pd.NA,
        "published_change": pd.NA,
        "published_change_sign": pd.NA,
        "caveats": pd.NA,
        "note": pd.NA,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def plain(result):
    """Babel's no-break spaces (thousands, before € and %) read as plain spaces."""
    if isinstance(result, str):
        return re.sub("[\u00a0\u202f]", " ", result)
    if isinstance(result, tuple):
        return tuple(plain(r) for r in result)
    return result


class Plain:
    """A module whose functions return their text with plain spaces (sentence-builder tests)."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        attribute = getattr(self._module, name)
        return (lambda *a, **k: plain(attribute(*a, **k))) if callable(attribute) else attribute


def page_prose(site, page: str) -> str:
    """The visible prose of a built page, spaces plain, code left out (built-book prose tests)."""
    raw = (site / page).read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", raw, flags=re.S)  # code is not prose
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    text = re.sub(r"[\u00a0\u202f]", " ", text).replace("’", "'")
    text = re.sub(r"\s+([.,])", r"\1", text)  # a glued value followed by its full stop
    return re.sub(r"\s+", " ", text)
