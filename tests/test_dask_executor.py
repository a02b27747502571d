"""The Dask executor runs the same papermill jobs as the local one, on a LocalCluster of two
worker processes, and its outputs (executed notebooks and processed tables) are identical
byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from contrat_ville.data.files import table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.raw import load
from contrat_ville.run import pipeline

pytestmark = pytest.mark.slow

# chapters quick to run, and two fiches (a job per territory)
CHAPTERS = ["perspectives", "numerique"]


def _jobs():
    plan = pipeline.load_plan()
    territories = load("territories", RAW_DIR)
    jobs = pipeline.plan_jobs(plan, 2018, only=CHAPTERS + ["fiche"], territories=territories, all_tables=table_names())
    fiches = [j for j in jobs if j.id.startswith("fiche-")][:2]
    return [j for j in jobs if j.id in CHAPTERS] + fiches


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_dask_local_cluster_gives_the_local_executors_bytes(tmp_path):
    jobs = _jobs()
    trees = {}
    for executor in ("local", "dask"):
        report = pipeline.RunReport(2018)
        results = pipeline.run_jobs(
            jobs,
            tmp_path / executor / "staging",
            RAW_DIR,
            tmp_path / executor / "cache",
            2,
            report,
            executor,
            log=lambda *_: None,
        )
        assert sorted(report.executed) == sorted(j.id for j in jobs) and not report.cached
        trees[executor] = {job_id: _tree(folder) for job_id, folder in results.items()}
    assert trees["dask"] == trees["local"]
    assert all(any(name.endswith(".csv") for name in tree) for tree in trees["dask"].values())


def test_unknown_executor_is_refused(tmp_path):
    with pytest.raises(pipeline.PipelineError, match="unknown executor 'ray'"):
        pipeline.run_jobs(_jobs()[:1], tmp_path / "s", RAW_DIR, tmp_path / "c", 1, pipeline.RunReport(2018), "ray")
