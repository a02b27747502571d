"""`contrat-ville watch`: run, then run again each time an input changes, with the kernels and
the book build kept warm between runs.

A run started afresh (`contrat-ville run`) spends most of a small change's time starting up:
on 2 cores, a one-table change costs about 14 CPU-seconds, of which about 6 go to starting
two kernels and importing the notebooks' libraries in them, to importing Sphinx and its
extensions, and to starting the command itself (issue 16). Here these are paid once: each
later run takes the kernels as they are (run.kernels clears a notebook's variables before
the next, as within a run) and builds the book in a child forked from a warm book process
(run.pipeline.BookServer). Each run is still a whole `pipeline.run`: same checks, same cache,
same atomic publish, same bytes.

What is watched: the inputs of the run's key (cache.run_key: raw folder, notebooks, book
sources, run plan), by modification time and size, every `interval` seconds. A change to the
package's code or to the locked environment restarts the command in a new process: the warm
kernels hold the old modules."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contrat_ville.data.paths import BOOK_DIR, NOTEBOOKS_DIR, ROOT, RUN_PLAN
from contrat_ville.run import cache

if TYPE_CHECKING:
    from contrat_ville.run.kernels import Workers
    from contrat_ville.run.pipeline import BookServer

# what the warm processes have imported: a change here needs new processes, not a new run
ENVIRONMENT_FILES = ("requirements.lock", "pyproject.toml")


def _stats(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:  # removed between the listing and now: the next look sees it gone
            continue
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def inputs_fingerprint(raw_dir: Path, plan_path: Path = RUN_PLAN, book_dir: Path = BOOK_DIR) -> tuple:
    """Name, modification time and size of every file a run reads but the package code (the
    files cache.run_key hashes)."""
    return _stats([*cache.group_files(cache.input_groups(raw_dir, book_dir)), Path(plan_path)])


def code_fingerprint() -> tuple:
    """The same for the package's code and the locked environment."""
    return _stats([*cache.group_files(cache.CODE_GROUPS), *(ROOT / name for name in ENVIRONMENT_FILES)])


class CodeChanged(Exception):
    """The package's code or the environment changed: the command starts again (cli)."""


class Warm:
    """The kernels and the book server kept between runs, started again when one has stopped
    (a failed notebook stops the kernels; see pipeline.run)."""

    def __init__(self, workers: int):
        self.workers = workers
        self._kernels = None
        self._book = None

    def kernels(self) -> Workers:
        from contrat_ville.run import kernels

        if self._kernels is None or self._kernels.closed:
            self._kernels = kernels.Workers(str(NOTEBOOKS_DIR), self.workers)
        return self._kernels

    def book(self) -> BookServer:
        from contrat_ville.run import pipeline

        if self._book is None or not self._book.alive():
            self._book = pipeline.BookServer()
        return self._book

    def close(self) -> None:
        if self._kernels is not None:
            self._kernels.close(cancel=True)
        if self._book is not None:
            self._book.close()


def watch(
    year: int | None = None,
    raw_dir: Path | None = None,
    workers: int | None = None,
    interval: float = 1.0,
    log: Callable[[str], object] = print,
    keep_going: Callable[[], bool] = lambda: True,
    **run_options: Any,
) -> None:
    """Run now, then whenever `inputs_fingerprint` changes, until `keep_going()` is false
    (asked before each look). Bad data or a failed step is reported and the last published
    outputs stay; the next change runs again. Raises CodeChanged when the package's code or
    environment changes. `run_options`: more arguments of pipeline.run (folders, run plan)."""
    from contrat_ville.data.errors import DataValidationError
    from contrat_ville.data.paths import RAW_DIR
    from contrat_ville.run import pipeline

    raw_dir = Path(raw_dir or RAW_DIR)
    warm = Warm(workers or pipeline.cores())
    code, seen = code_fingerprint(), None
    try:
        while keep_going():
            if code_fingerprint() != code:
                raise CodeChanged("the package's code or environment changed")
            now = inputs_fingerprint(raw_dir, run_options.get("plan_path", RUN_PLAN))
            if now == seen:
                time.sleep(interval)
                continue
            seen = now  # taken before the run: a change made during it runs again after it
            try:
                report = pipeline.run(
                    year=year,
                    raw_dir=raw_dir,
                    workers=workers,
                    log=log,
                    kept_kernels=warm.kernels(),
                    book_server=warm.book(),
                    **run_options,
                )
                log(f"done in {report.seconds['total']:.1f} s: edition {report.year}; watching for changes")
            except (DataValidationError, pipeline.PipelineError) as exc:
                log(pipeline.failure_text(exc))
    finally:
        warm.close()


def restart() -> None:
    """Start the command again in this process's place, with the same arguments."""
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "contrat_ville.run.cli", *sys.argv[1:]])
