"""The same papermill jobs on a Dask distributed cluster, for a national run.

`contrat-ville run --executor dask` submits every job that the cache does not already hold
to a Dask cluster: an existing scheduler (`--scheduler tcp://host:8786`, workers started
from the same locked environment and the same clone) or, without an address, a
`LocalCluster` of worker processes on this machine. No scheduler of ours: Dask places the
jobs; each worker process keeps one warm kernel (the `WarmKernels` plugin), as the local
executor does per thread. A job writes into its folder under the run's staging folder, which
must therefore be on storage shared by the workers (the case of a LocalCluster); so must the
content-addressed cache (`build/cache`) if workers are to reuse each other's results.

Outputs are byte-identical to the local executor's: the job is the same function
(`pipeline.execute`) on the same inputs, and the notebook is normalised the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from distributed import WorkerPlugin

if TYPE_CHECKING:
    from distributed import Client

PLUGIN_NAME = "contrat-ville-warm-kernels"


class WarmKernels(WorkerPlugin):
    """Worker plugin: one warm kernel pool per worker process, closed when the worker stops."""

    name = PLUGIN_NAME

    def __init__(self, cwd: str):
        self.cwd = cwd
        self._context = None

    def setup(self, worker: object = None) -> None:
        from contrat_ville.run import kernels

        self._context = kernels.warm_kernels(self.cwd)
        self._context.__enter__()

    def teardown(self, worker: object = None) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = None


def _run_job(job, job_dir: str, raw_dir: str, shown_raw: str | None, failed_dir: str | None) -> str:
    """What a worker does for one job (the local executor's `one`, less the cache copy)."""
    from contrat_ville.run import pipeline

    folder = Path(job_dir)
    folder.mkdir(parents=True)
    pipeline.execute(job, folder, Path(raw_dir), shown_raw, Path(failed_dir) if failed_dir else None)
    pipeline.check_declared_inputs(job, folder)
    return job_dir


def client_for(scheduler: str | None, workers: int) -> Client:
    """A client of the cluster at `scheduler`, or of a new LocalCluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    # one thread per worker: a worker's kernel runs one notebook at a time; no dashboard (no port to open)
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    return Client(cluster)


def map_jobs(
    todo: list,
    staging: Path,
    raw_dir: Path,
    notebooks_dir: Path,
    scheduler: str | None,
    workers: int,
    shown_raw: str | None = None,
    failed_dir: Path | None = None,
) -> Iterator[tuple]:
    """Run `todo` [(job, cache folder)] on the cluster; yields (job, job folder, cache folder) as each ends."""
    from distributed import as_completed

    client = client_for(scheduler, workers)
    try:
        client.register_plugin(WarmKernels(str(notebooks_dir)), name=PLUGIN_NAME)
        futures = {}
        for job, cached in todo:
            job_dir = staging / "jobs" / job.name
            future = client.submit(
                _run_job,
                job,
                str(job_dir),
                str(raw_dir),
                shown_raw,
                str(failed_dir) if failed_dir else None,
                key=f"notebook-{job.name}",
                pure=False,
            )
            futures[future] = (job, job_dir, cached)
        for future in as_completed(futures):
            future.result()  # a failed notebook raises its PipelineError here
            yield futures[future]
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and not scheduler:
            cluster.close()
