"""The benchmark's log reading: a run's wall time split into its stages."""

import pytest

from contrat_ville.run import bench

RUN_LOG = """validated 31 raw tables in 1.2 s
executed portrait in 2.0 s
notebooks: 4 executed, 43 from cache, 9.5 s
book built in 20.1 s
done in 33.0 s: edition 2018
"""


def test_stage_seconds_reads_each_stage_and_leaves_the_rest_as_other():
    stages = bench.stage_seconds(RUN_LOG, wall=35.0)
    assert stages["validate"] == 1.2 and stages["notebooks"] == 9.5 and stages["book"] == 20.1
    assert stages["other"] == pytest.approx(35.0 - 1.2 - 9.5 - 20.1)


def test_stage_seconds_of_a_run_without_a_book_build():
    stages = bench.stage_seconds("validated 2 raw tables in 0.5 s\nnotebooks: 0 executed, 47 from cache, 0.3 s\n", 2.0)
    assert stages["book"] == 0.0 and stages["other"] == pytest.approx(1.2)


def test_executed_count():
    assert bench.executed_count(RUN_LOG) == 4
    assert bench.executed_count("nothing changed since the last run") == 0
