"""The Dask executor's refusals. That it runs the same papermill jobs as the local one, on a
LocalCluster of two worker processes, with outputs (executed notebooks and processed tables)
identical byte for byte, is tests/test_reliability.py::test_clean_runs_are_byte_identical:
its second clean run of the edition is a Dask run."""

from __future__ import annotations

import pytest

from contrat_ville.data.files import table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.raw import load
from contrat_ville.run import pipeline


def test_unknown_executor_is_refused(tmp_path):
    plan = pipeline.load_plan()
    territories = load("territories", RAW_DIR)
    (job,) = pipeline.plan_jobs(plan, 2018, only=["numerique"], territories=territories, all_tables=table_names())
    with pytest.raises(pipeline.PipelineError, match="unknown executor 'ray'"):
        pipeline.run_jobs([job], tmp_path / "s", RAW_DIR, tmp_path / "c", 1, pipeline.RunReport(2018), "ray")
