"""The one entry point: run plan → validate raw data → papermill (in parallel, cached)
→ Jupyter Book → publish. Everything is written under a staging folder and swapped in
only when the whole run succeeded, so a failed run leaves the last good outputs intact."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from contrat_ville.data import editions, raw
from contrat_ville.data.files import SAFE_LOADER, table_names
from contrat_ville.data.paths import (
    BOOK_DIR,
    BUILD_DIR,
    NOTEBOOKS_DIR,
    PROCESSED_DIR,
    RAW_DIR,
    ROOT,
    RUN_PLAN,
    SITE_DIR,
    package_sources,
)
from contrat_ville.data.slug import slug
from contrat_ville.notebook.provenance import sha256
from contrat_ville.publish.edition import EDITIONS_JS, editions_script, stamp_config
from contrat_ville.publish.jupyter_book_build import die_with_parent
from contrat_ville.run import cache

if TYPE_CHECKING:
    import pandas as pd

    from contrat_ville.run.kernels import Workers


class PipelineError(RuntimeError):
    """A step failed; the message says which and why. Published outputs are untouched."""


@dataclass
class Job:
    """One papermill execution: a notebook and its parameters."""

    id: str
    notebook: Path
    inputs: list[str]
    parameters: dict
    title: str = ""
    book_folder: str = "chapters"
    book_name: str | None = None  # page name in the book; default: the job's name
    heading: str | None = None  # replaces the notebook's first heading (per-territory pages)

    @property
    def name(self) -> str:
        """File and page name: the id when it is already a safe name, else its slug."""
        return self.id if re.fullmatch(r"[a-z0-9_][a-z0-9_-]*", self.id) else slug(self.id)

    @property
    def page(self) -> str:
        return f"{self.book_folder}/{self.book_name or self.name}"


@dataclass
class RunReport:
    year: int
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    book_built: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def load_plan(path: Path = RUN_PLAN) -> dict:
    plan = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not plan or "notebooks" not in plan:
        raise PipelineError(f"{path}: the run plan must list 'notebooks'")
    return plan


def entry_inputs(entry: dict, all_tables: list[str]) -> list[str]:
    """An entry's declared raw tables; `inputs: all` means every table of data/raw."""
    inputs = entry.get("inputs", [])
    return list(all_tables) if inputs == "all" else list(inputs)


def planned_jobs(plan: dict, year: int, tables: dict, all_tables: list[str]) -> list[Job]:
    """The jobs of a run on these validated raw tables: per-territory pages only where the
    edition has data of the territory's own (`only_with_data` entries)."""
    from contrat_ville.evaluation.fiche import territories_with_data

    return plan_jobs(
        plan,
        year,
        territories=tables["territories"],
        all_tables=all_tables,
        with_data=territories_with_data(tables, year),
    )


def plan_jobs(
    plan: dict,
    year: int | None = None,
    only: list[str] | None = None,
    territories: pd.DataFrame | None = None,
    all_tables: list[str] = (),
    with_data: set[str] | None = None,
) -> list[Job]:
    """The jobs of the run plan, with the year override applied.

    An entry with `for_each: territories` becomes one job per territory of
    territories.csv, with the parameter `territory_id` and a name derived from it; with
    `only_with_data: true` as well, only for the territories in `with_data` (those with data
    of their own in the edition, see evaluation.fiche.territories_with_data)."""
    defaults = dict(plan.get("defaults", {}))
    if year is not None:
        defaults["year"] = int(year)
    jobs = []
    for entry in plan["notebooks"]:
        if only and entry["id"] not in only:
            continue
        params = {**defaults, **entry.get("parameters", {})}
        common = dict(
            notebook=ROOT / entry["notebook"],
            inputs=entry_inputs(entry, all_tables),
            book_folder=entry.get("book_folder", "chapters"),
        )
        if entry.get("for_each") == "territories":
            if territories is None:
                raise PipelineError(f"'{entry['id']}' runs for each territory: territories.csv is needed")
            rows = territories.sort_values("territory_id")
            if entry.get("only_with_data") and with_data is not None:
                rows = rows[rows["territory_id"].isin(with_data)]
            for row in rows.itertuples():
                title = entry.get("title", "{name}").format(name=row.name, territory_id=row.territory_id)
                jobs.append(
                    Job(
                        id=f"{entry['id']}-{slug(row.territory_id)}",
                        parameters={**params, "territory_id": row.territory_id},
                        title=title,
                        heading=title,
                        **common,
                    )
                )
        else:
            jobs.append(
                Job(
                    id=entry["id"],
                    parameters=params,
                    title=entry.get("title", ""),
                    book_name=entry.get("book_name"),
                    **common,
                )
            )
    return jobs


def shown_path(path: Path) -> str:
    """A path as shown in messages: relative to the project when it is inside it."""
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _hash_files(paths: list[Path], base: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path.name).encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def notebook_code_digest(notebook: Path) -> str:
    """What a notebook's code is: the notebook, its declaration files (output titles and
    column descriptions, figure ids: <notebook>.*.yaml) and the package code."""
    declared = sorted(notebook.parent.glob(f"{notebook.stem}.*.yaml"))
    return _hash_files([f for f in [notebook, *declared, *package_sources()] if f.exists()])


def job_key(job: Job, raw_dir: Path, default_raw: bool | None = None, memo: dict | None = None) -> str:
    """Cache key: notebook, parameters, declared inputs (data + metadata) and the package code.

    `raw_dir` is where the bytes are read: the run's frozen copy, the very files the notebook
    will read. `default_raw` says whether they came from data/raw (shown in the notebooks).
    `memo`: one run's hashes of the code and of the frozen files, which do not change while
    it runs (a national run keys 1,500 fiches of one notebook on the same files)."""
    memo = {} if memo is None else memo
    if job.notebook not in memo:
        memo[job.notebook] = notebook_code_digest(job.notebook)
    digest = hashlib.sha256(memo[job.notebook].encode())
    # raw files by name only: the frozen copy's folder differs in every run
    for name in sorted(job.inputs):
        for file in (raw_dir / f"{name}.csv", raw_dir / f"{name}.meta.yaml"):
            if file not in memo:
                memo[file] = sha256(file) if file.exists() else None
            if memo[file] is not None:
                digest.update(f"{file.name}\n{memo[file]}\n".encode())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    if default_raw is None:
        default_raw = raw_dir.resolve() == RAW_DIR.resolve()
    digest.update(str(default_raw).encode())
    return digest.hexdigest()[:24]


VOLATILE_NOTEBOOK_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables")


def normalise_notebook(path: Path, shown_parameters: dict | None = None, heading: str | None = None) -> None:
    """Drop timestamps, durations and machine paths so that reruns give identical files.

    The injected parameters cell is rewritten with `shown_parameters`: the folders as a
    reviewer passes them when rerunning the notebook from notebooks/ (same outputs)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.get("papermill", {}).pop(key, None)
    if shown_parameters is not None:
        nb.metadata.get("papermill", {})["parameters"] = shown_parameters
    if heading is not None:
        first = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("# "))
        first.source = (
            "# " + markdown_escape(heading) + first.source[first.source.find("\n") :]
            if "\n" in first.source
            else "# " + markdown_escape(heading)
        )
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            # a warm kernel keeps counting across notebooks: number each notebook from 1
            count += 1 if cell.get("execution_count") is not None else 0
            cell.execution_count = count if cell.get("execution_count") is not None else None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = cell.execution_count
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell.id = "injected-parameters"  # papermill gives it a random id
            if shown_parameters is not None:
                cell.source = "# Parameters injected by the pipeline (papermill)\n" + "\n".join(
                    f"{k} = {v!r}" for k, v in shown_parameters.items()
                )
            if "hide-input" not in tags:
                cell.metadata["tags"] = [*tags, "hide-input"]
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration", "exception"):
            cell.metadata.get("papermill", {}).pop(key, None)
    nbformat.write(nb, path)


def shown_raw_dir(raw_dir: Path) -> str:
    """The raw folder as a reviewer passes it when rerunning a notebook from notebooks/."""
    return "../data/raw" if Path(raw_dir).resolve() == RAW_DIR.resolve() else str(raw_dir)


def execute(
    job: Job, job_dir: Path, raw_dir: Path, shown_raw: str | None = None, failed_dir: Path | None = None
) -> None:
    """Run one notebook with papermill into `job_dir` (notebook + processed tables).

    On failure the executed copy (with the error) is kept in `failed_dir`, and the message
    names it and the failing cell."""
    import papermill

    from contrat_ville.run import kernels

    params = {**job.parameters, "raw_dir": str(raw_dir.resolve()), "output_dir": str((job_dir / "processed").resolve())}
    shown = {
        **job.parameters,
        "raw_dir": shown_raw or shown_raw_dir(raw_dir),
        "output_dir": f"../data/processed/{job.parameters['year']}",
    }
    output = job_dir / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(
            str(job.notebook),
            str(output),
            parameters=params,
            kernel_name="python3",
            cwd=str(NOTEBOOKS_DIR),
            progress_bar=False,
            log_output=False,
            engine_name=kernels.ENGINE_NAME,
            request_save_on_cell_execute=False,
        )
    except Exception as exc:  # papermill wraps the cell's error; keep its text
        raise PipelineError(_failure_message(job, output, exc, failed_dir)) from exc
    normalise_notebook(output, shown, job.heading)


def _failure_message(job: Job, output: Path, exc: Exception, failed_dir: Path | None) -> str:
    kept = output
    if failed_dir is not None and output.exists():
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / output.name
        shutil.copy2(output, kept)  # the staging folder is removed at the end of the run
    cell = getattr(exc, "cell_index", None)
    where = ""
    if cell is not None:
        count = getattr(exc, "exec_count", None)
        where = f" in cell {cell + 1}" + (f" (execution count {count})" if count is not None else "")
        source = (getattr(exc, "source", "") or "").strip().splitlines()
        if source:
            where += f", which starts: {source[0][:100]}"
    return (
        f"notebook {shown_path(job.notebook)} ('{job.id}') failed{where}.\n"
        f"Its executed copy, with the error, is kept at {shown_path(kept)}.\n{exc}"
    )


def check_declared_inputs(job: Job, job_dir: Path) -> None:
    """A notebook may only read the raw tables the run plan declares (they key the cache)."""
    for meta in (job_dir / "processed").rglob("*.meta.yaml"):
        used = {
            Path(i["file"]).stem
            for i in yaml.load(meta.read_text(encoding="utf-8"), Loader=SAFE_LOADER).get("inputs", [])
        }
        undeclared = used - set(job.inputs)
        if undeclared:
            raise PipelineError(
                f"{shown_path(job.notebook)} read {sorted(undeclared)} not declared as inputs of '{job.id}' in runplan.yaml"
            )


def run_jobs(
    jobs: list[Job],
    staging: Path,
    raw_dir: Path,
    cache_dir: Path,
    workers: int,
    report: RunReport,
    executor: str = "local",
    scheduler: str | None = None,
    shown_raw: str | None = None,
    failed_dir: Path | None = None,
    log: Callable[[str], object] = print,
    ahead: Workers | None = None,
    idle: Callable[[], object] | None = None,
) -> dict[str, Path]:
    """Execute (or take from cache) every job; returns job id → its result folder.

    `raw_dir` is the run's frozen copy of the raw data: what the notebooks read and what the
    cache keys hash are the same bytes. A progress line is logged as each notebook ends.
    `ahead`: the local executor's threads and kernels (kernels.Workers), started by the caller
    before validation, which also closes them; without it they are started here. `idle`:
    called once, when a worker of the local executor has no notebook left to take (a core
    is free from then on)."""
    results: dict[str, Path] = {}
    todo = []
    default_raw = (shown_raw or shown_raw_dir(raw_dir)) == "../data/raw"
    memo: dict = {}
    for job in jobs:
        cached = cache_dir / f"{job.name}-{job_key(job, raw_dir, default_raw, memo)}"
        if (cached / "done").exists():
            results[job.id] = cached
            report.cached.append(job.id)
        else:
            todo.append((job, cached))
    if not todo:
        return results

    def one(item):
        job, cached = item
        job_dir = staging / "jobs" / job.name
        job_dir.mkdir(parents=True)
        begun = time.perf_counter()
        execute(job, job_dir, raw_dir, shown_raw, failed_dir)
        check_declared_inputs(job, job_dir)
        return job, job_dir, cached, time.perf_counter() - begun

    from concurrent.futures import as_completed

    def keep(job, job_dir, cached):
        if cached.exists():
            shutil.rmtree(cached)
        shutil.copytree(job_dir, cached)
        (cached / "done").write_text("ok\n")
        results[job.id] = cached
        report.executed.append(job.id)

    if executor == "dask":
        from contrat_ville.run import dask_executor

        log(f"notebooks: {len(todo)} to execute on the Dask cluster, {len(report.cached)} from cache")
        ran = dask_executor.map_jobs(
            todo, staging, raw_dir, NOTEBOOKS_DIR, scheduler, max(1, workers), shown_raw, failed_dir
        )
        finished = {job.id: (job, job_dir, cached) for job, job_dir, cached in ran}
        for job, _ in todo:  # plan order, whatever order the cluster finished in
            keep(*finished[job.id])
        return results
    if executor != "local":
        raise PipelineError(f"unknown executor {executor!r}: expected 'local' or 'dask'")

    from contrat_ville.run import kernels

    t0 = time.perf_counter()
    log(f"notebooks: {len(todo)} to execute, {len(report.cached)} from cache")
    threads = ahead or kernels.Workers(str(NOTEBOOKS_DIR), max(1, min(workers, len(todo))))
    try:
        # as_completed waits on each future once (wait() in a loop re-waits on all pending ones)
        for future in as_completed([threads.threads.submit(one, item) for item in todo]):
            job, job_dir, cached, seconds = future.result()  # re-raises a notebook's failure
            keep(job, job_dir, cached)
            log(
                f"  [{len(report.executed)}/{len(todo)}] {job.id} ({seconds:.1f} s; "
                f"{time.perf_counter() - t0:.0f} s elapsed)"
            )
            if idle is not None and len(todo) - len(report.executed) < threads.count:
                idle()
                idle = None
    except BaseException:
        # a failure, Ctrl-C or SIGTERM: drop the queued notebooks and stop the kernels now
        # (the running cells fail with them) instead of letting every queued one run
        threads.close(cancel=True)
        raise
    if ahead is None:
        threads.close()
    return results


def assemble(jobs: list[Job], results: dict[str, Path], staging: Path, year: int) -> tuple[Path, Path]:
    """Staging processed folder for the year, and the book sources with executed notebooks."""
    processed = staging / "processed" / str(year)
    processed.mkdir(parents=True)
    book = staging / "book"
    shutil.copytree(BOOK_DIR, book, ignore=shutil.ignore_patterns("_build"))
    stamp_config(book, year)  # title, footer and template context name this run's year
    owners: dict[Path, str] = {}
    for job in jobs:
        result = results[job.id]
        page = book / f"{job.page}.ipynb"
        page.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(result / f"{job.name}.ipynb", page)
        for file in sorted(p for p in (result / "processed").rglob("*") if p.is_file()):
            relative = file.relative_to(result / "processed")
            if relative in owners:
                raise PipelineError(f"{relative} is written by both '{owners[relative]}' and '{job.id}'")
            owners[relative] = job.id
            (processed / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, processed / relative)
    shutil.copytree(processed, book / "_static" / "data" / str(year))
    return processed, book


def markdown_escape(text: str) -> str:
    """Text from the data, made inert in a MyST heading (no markup, no raw HTML)."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~$&" else c for c in text)


def book_key(book: Path, raw_dir: Path | None = None) -> str:
    """What the built site depends on: the book sources, the raw files it publishes and the
    package code (the Sphinx extension writes the pages of the code annex from it)."""
    key = _hash_files([p for p in book.rglob("*") if p.is_file()], base=book)
    key = hashlib.sha256((key + _hash_files(package_sources())).encode()).hexdigest()
    if raw_dir is not None:
        key = hashlib.sha256((key + _hash_files(list(Path(raw_dir).glob("*")), base=raw_dir)).encode()).hexdigest()
    return key


UNCHANGED = "The last published data and book were left unchanged."


def failure_text(exc: Exception) -> str:
    """What the command line says of a run stopped by bad data (DataValidationError, whose
    message says that nothing was written) or by a failed step (PipelineError)."""
    from contrat_ville.data.errors import DataValidationError

    if isinstance(exc, DataValidationError):
        return f"error: invalid raw data\n{exc}"
    return f"error: {exc}\n{UNCHANGED}"


def cores() -> int:
    """The default number of notebook workers and of Sphinx processes: one per core (neither
    changes a byte of the outputs)."""
    return max(1, os.cpu_count() or 1)


class BookProcess:
    """A book build process (`jupyter_book_build --wait`): it imports Jupyter Book, Sphinx and
    the extensions, then builds when `build_book` sends it its arguments. The run starts one
    ahead, while its last notebooks run; `build_book` starts its own otherwise. Used once;
    `close()` stops it if it was not (the site could be reused, or the run failed). It dies
    with the run."""

    def __init__(self, book: Path | None = None):
        self.used = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "contrat_ville.publish.jupyter_book_build", "--wait", str(book or BOOK_DIR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )

    def build(self, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
        self.used = True
        stdout, stderr = self.proc.communicate(json.dumps({"argv": argv, "env": env}) + "\n")
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, stdout, stderr)

    def close(self) -> None:
        if not self.used:
            self.proc.kill()
            self.proc.communicate()


class BookServer:
    """A book build process kept between runs (`jupyter_book_build --serve`, for `contrat-ville
    watch`): it imports Jupyter Book, Sphinx and the extensions once, then builds each request
    in a child forked from that warm state. Same interface as BookProcess; never `used` up."""

    used = False

    def __init__(self, book: Path | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "contrat_ville.publish.jupyter_book_build", "--serve", str(book or BOOK_DIR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def build(self, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory(prefix="cv-book-") as folder:
            out, err = Path(folder) / "stdout", Path(folder) / "stderr"
            try:
                self.proc.stdin.write(
                    json.dumps({"argv": argv, "env": env, "stdout": str(out), "stderr": str(err)}) + "\n"
                )
                self.proc.stdin.flush()
                reply = self.proc.stdout.readline()
            except (OSError, ValueError):  # the process stopped, or was closed
                reply = ""
            code = json.loads(reply)["returncode"] if reply.strip() else -1
            text = {
                path: path.read_text(encoding="utf-8", errors="replace") if path.exists() else "" for path in (out, err)
            }
        if code == -1 and not text[err]:
            text[err] = "the book build process stopped"
        return subprocess.CompletedProcess(self.proc.args, code, text[out], text[err])

    def close(self) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        # it ends at the end of its input; a build under way (a run stopped by Ctrl-C) is
        # stopped with it: the build's child dies with the server (die_with_parent)
        for stop in (None, self.proc.terminate, self.proc.kill):
            if stop is not None:
                stop()
            try:
                self.proc.wait(timeout=2)
                break
            except subprocess.TimeoutExpired:
                continue
        self.proc.stdout.close()


def build_book(
    book: Path,
    out: Path,
    raw_dir: Path | None = None,
    jobs: int | None = None,
    process: BookProcess | BookServer | None = None,
) -> Path:
    """Jupyter Book 1.x, warnings as errors, no execution (papermill already ran), in `jobs`
    Sphinx processes (default: `cores()`; contrat_ville.publish.jupyter_book_build).

    `raw_dir`: the raw files the Données page lists and publishes (the run's frozen copy).
    `process`: a BookProcess started ahead, not used yet, to build in (else a new one)."""
    if process is None or process.used:
        process = BookProcess(book)
    env = {} if raw_dir is None else {"CONTRAT_VILLE_BOOK_RAW_DIR": str(Path(raw_dir).resolve())}
    argv = [str(jobs or cores()), "build", str(book), "--path-output", str(out)]
    proc = process.build([*argv, "--warningiserror", "--keep-going", "--quiet"], env)
    if proc.returncode != 0:
        raise PipelineError(f"book build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return out / "_build" / "html"


# ---------------------------------------------------------------- incremental book

BOOK_ENV_DIR = "book-env"  # under build/: one kept Sphinx build per edition
BOOK_LAYOUT_NAME = "layout"


def _book_layout(book: Path, raw_dir: Path | None) -> str:
    """What an incremental Sphinx build cannot follow by itself, hashed: the list of source
    and raw files (Sphinx never deletes the pages or copies of removed ones), every file that
    is not a page (configuration, table of contents, templates, styles: pages embed their
    checksums), the page titles (every page's sidebar and neighbours' links show them) and
    the package code (the Sphinx extension). Any change here means a clean build."""
    digest = hashlib.sha256()
    data = book / "_static" / "data"
    for path in sorted(p for p in book.rglob("*") if p.is_file()):
        relative = path.relative_to(book).as_posix()
        digest.update(f"{relative}\n".encode())
        if path.suffix in (".md", ".ipynb"):
            digest.update(_page_title(path).encode() + b"\n")
        elif not path.is_relative_to(data):  # processed tables: files only, the Données page lists them
            digest.update(sha256(path).encode())
    if raw_dir is not None:
        digest.update("\n".join(sorted(p.name for p in Path(raw_dir).iterdir() if p.is_file())).encode())
    digest.update(_hash_files([f for f in package_sources() if f.exists()]).encode())
    return digest.hexdigest()


def _page_title(path: Path) -> str:
    """The first heading of a Markdown page or notebook (what the sidebar shows)."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return next((line for line in text.splitlines() if line.startswith("# ")), "")


def _mirror(source: Path, target: Path) -> None:
    """Make `target` hold the files of `source`, rewriting only those whose bytes differ, with
    a new modification time: Sphinx re-reads a page (or a page depending on a file) when its
    time is later than the last read, and leaves the others as built."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target)
            if path.is_file() and relative not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for relative in sorted(wanted):
        src, dst = source / relative, target / relative
        data = src.read_bytes()
        if dst.is_file() and dst.read_bytes() == data:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.unlink(missing_ok=True)
        dst.write_bytes(data)  # a fresh mtime, on purpose (no copy2)


def build_book_kept(
    book: Path,
    work: Path,
    out: Path,
    raw_dir: Path | None = None,
    jobs: int | None = None,
    process: BookProcess | BookServer | None = None,
) -> Path:
    """Build the book in a kept folder (`work`: sources, raw files, Sphinx environment and
    output, one per edition under build/), so that a changed chapter re-renders its pages
    only; then copy the built site to `out` (the run's staging folder) for an atomic publish.

    The result is the site a clean build gives (tests/test_reliability.py checks the bytes):
    the kept build is dropped when the layout changes (`_book_layout`) and whenever a build
    fails, so that a page whose warnings failed a build is read again by the next one.
    `jobs`, `process`: as for `build_book`."""
    from contrat_ville.publish import code_pages

    # the pages of the code annex, which the build writes into its sources when it starts:
    # written here, they are mirrored like the others and keep their date (no re-read)
    code_pages.write_pages(book)
    # with the folder's own path: Sphinx refuses an environment read in another folder and
    # starts afresh over the old output ("source directory has changed"); a moved copy is dropped
    layout = f"{Path(work).resolve()}\n{_book_layout(book, raw_dir)}"
    stamp = work / BOOK_LAYOUT_NAME
    if not (stamp.is_file() and stamp.read_text(encoding="utf-8") == layout):
        shutil.rmtree(work, ignore_errors=True)
    stamp.unlink(missing_ok=True)  # written back only after a good build
    work.mkdir(parents=True, exist_ok=True)
    _mirror(book, work / "src")
    if raw_dir is not None:
        _mirror(Path(raw_dir), work / "raw")
    try:
        built = build_book(
            work / "src", work / "out", work / "raw" if raw_dir is not None else None, jobs, process=process
        )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    stamp.write_text(layout, encoding="utf-8")
    target = out / "_build" / "html"
    # a copy, not links: the next build rewrites its files in place
    shutil.copytree(built, target)
    return target


# ---------------------------------------------------------------- frozen inputs


def freeze_raw(raw_dir: Path, frozen: Path) -> Path:
    """Copy the raw folder's files into the run's staging folder: the run validates, hashes
    and reads these bytes only, so an edit of data/raw during the run cannot reach it."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise PipelineError(f"raw data folder {shown_path(raw_dir)} does not exist")
    frozen.mkdir(parents=True)
    for path in sorted(raw_dir.iterdir()):
        if path.is_file():
            shutil.copy2(path, frozen / path.name)
    return frozen


def _relabel(exc, frozen: Path, raw_dir: Path):
    """A validation error on the frozen copy, naming the files the user edits."""
    from dataclasses import replace

    from contrat_ville.data.errors import DataValidationError

    forms = {str(frozen), str(frozen.resolve())}
    for base in (ROOT, Path.cwd()):  # messages show paths relative to the project when they can
        if frozen.resolve().is_relative_to(base.resolve()):
            forms.add(str(frozen.resolve().relative_to(base.resolve())))
    prefixes = sorted(forms, key=len, reverse=True)
    shown = shown_path(raw_dir) if Path(raw_dir).is_absolute() else str(raw_dir)

    def label(text):
        if not isinstance(text, str):
            return text
        for prefix in prefixes:
            text = text.replace(prefix, shown)
        return text

    return DataValidationError([replace(v, file=label(v.file), rule=label(v.rule)) for v in exc.violations])


def edition_view(frozen: Path, view: Path, year: int) -> Path:
    """The raw tables as edition `year` sees them: rows of later editions left out, so that
    rebuilding an earlier edition reads exactly the bytes it read when it was current.
    A table with no later row is copied byte for byte; otherwise the kept records keep their
    original bytes (quoting, line ends)."""
    import csv

    view.mkdir(parents=True)
    for path in sorted(frozen.iterdir()):
        target = view / path.name
        if path.suffix != ".csv":
            shutil.copy2(path, target)
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        reader = csv.reader(lines)
        header = next(reader, [])
        if "edition" not in header:
            shutil.copy2(path, target)
            continue
        column, kept, dropped, consumed = header.index("edition"), lines[: reader.line_num], 0, reader.line_num
        for record in reader:
            chunk = lines[consumed : reader.line_num]
            consumed = reader.line_num
            cell = record[column].strip() if len(record) > column else ""
            if cell.isdigit() and int(cell) > year:
                dropped += 1
            else:
                kept.append("".join(chunk))
        if dropped:
            target.write_bytes("".join(kept).encode("utf-8"))
            shutil.copystat(path, target)
        else:
            shutil.copy2(path, target)
    return view


# ---------------------------------------------------------------- publishing


def _fs_error(action: str, exc: OSError) -> str:
    where = f" {shown_path(Path(exc.filename))}" if exc.filename else ""
    return f"could not {action}:{where}: {exc.strerror or exc}"


def _settle(entry: dict, forward: bool) -> None:
    """Bring one published folder to a final state from wherever a publish stopped.

    entry: target (the published folder), new (its replacement, a sibling), old (where the
    previous version is parked). Forward ends with target = new; backward with target = old."""
    target, new, old = Path(entry["target"]), Path(entry["new"]), Path(entry["old"])
    if forward:
        if new.exists():
            if target.exists() and not old.exists():
                os.rename(target, old)
            os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        if not new.exists() and target.exists() and (old.exists() or not entry["had_previous"]):
            os.rename(target, new)  # target holds the new version: put it back aside
        if old.exists() and not target.exists():
            os.rename(old, target)
        shutil.rmtree(new, ignore_errors=True)


def _write_journal(journal: Path, entries: list[dict]) -> None:
    tmp = journal.with_name(journal.name + f".tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(entries, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, journal)


def publish(folders: list[tuple[Path, Path]], journal: Path) -> None:
    """Publish several folders together: each (staged folder, target) pair.

    1. each staged folder is moved beside its target under a unique name (a copy when on
       another filesystem); a failure here publishes nothing;
    2. a journal listing the pairs is written: from here on the publish completes, even if
       the process is killed (the next run finishes it, see `recover`);
    3. renames: target -> unique old name, new -> target, for every pair; an error rolls
       every pair back, so the data and the site are never left from two different runs;
    4. the journal is removed, then the old copies."""
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    entries = []
    try:
        for staged, target in folders:
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            new = target.with_name(f".{target.name}.new-{token}")
            entries.append(
                {
                    "target": str(target),
                    "new": str(new),
                    "old": str(target.with_name(f".{target.name}.old-{token}")),
                    "had_previous": target.exists(),
                }
            )
            shutil.move(str(staged), str(new))
    except OSError as exc:
        for entry in entries:
            shutil.rmtree(entry["new"], ignore_errors=True)
        raise PipelineError(_fs_error("prepare the new outputs", exc) + "; nothing was published") from exc
    try:
        _write_journal(journal, entries)
    except OSError as exc:
        for entry in entries:
            shutil.rmtree(entry["new"], ignore_errors=True)
        raise PipelineError(_fs_error("write the publish journal", exc) + "; nothing was published") from exc
    try:
        for entry in entries:
            target, new, old = Path(entry["target"]), Path(entry["new"]), Path(entry["old"])
            if target.exists():
                os.rename(target, old)
            os.rename(new, target)
    except OSError as exc:
        message = _fs_error("publish", exc)
        try:
            for entry in reversed(entries):
                _settle(entry, forward=False)
            journal.unlink()
        except OSError as again:
            raise PipelineError(
                f"{message}; rolling back also failed ({_fs_error('restore', again)}): the next run "
                f"completes the publish recorded in {shown_path(journal)}"
            ) from exc
        raise PipelineError(f"{message}; every output was rolled back, nothing was published") from exc
    journal.unlink()
    for entry in entries:
        shutil.rmtree(entry["old"], ignore_errors=True)


def recover(build_dir: Path, targets: list[Path]) -> list[str]:
    """Finish a publish a killed run left half done, and remove what killed runs left behind
    (staging folders, unique new/old siblings of the published folders). Run under the lock."""
    notes = []
    journal = Path(build_dir) / cache.JOURNAL_NAME
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
            for entry in entries:
                _settle(entry, forward=True)
            journal.unlink()
            notes.append(f"completed the publish a stopped run left half done ({len(entries)} folders)")
        except (OSError, ValueError) as exc:
            raise PipelineError(
                f"{shown_path(journal)} records an interrupted publish that could not be completed ({exc}); "
                "fix the cause (permissions, disk space) and run again"
            ) from exc
    for staging in sorted(Path(build_dir).glob("staging-*")):
        shutil.rmtree(staging, ignore_errors=True)  # the lock is ours: no other run owns one
        notes.append(f"removed {shown_path(staging)} left by a stopped run")
    for target in targets:
        target = Path(target)
        if not target.parent.is_dir():
            continue
        for pattern in (f".{target.name}.new-*", f".{target.name}.old-*", f"{target.name}.old"):
            for leftover in sorted(target.parent.glob(pattern)):
                shutil.rmtree(leftover, ignore_errors=True)
                notes.append(f"removed {shown_path(leftover)} left by a stopped run")
    return notes


def _link_tree(source: Path, target: Path, skip_editions: bool = True) -> None:
    """Copy a published edition folder by hard links (same bytes, no space, instant); a file
    written later is first unlinked (`_write_fresh`), never written through the link."""

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    nested = (
        {c.name for c in source.iterdir() if c.is_dir() and cache.EDITION_FOLDER.fullmatch(c.name)}
        if skip_editions
        else set()
    )
    shutil.copytree(
        source,
        target,
        copy_function=link,
        ignore=lambda folder, names: [n for n in names if Path(folder) == source and n in nested],
    )


def _write_fresh(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


EDITIONS_SCRIPT = f"_static/{EDITIONS_JS}"  # the edition switch, one per placed edition


def assemble_site(new_edition: Path, year: int, site_dir: Path, out: Path) -> dict[int, Path]:
    """The whole published site: the latest edition at the root, every other in `<year>/`,
    `new_edition` replacing the published copy of `year`. Returns year -> its folder in `out`."""
    sources = {e: f for e, f in cache.published_editions(site_dir).items() if e != year}
    sources[year] = new_edition
    latest = max(sources)
    placed = {latest: out}
    _link_tree(sources[latest], out)
    for edition in sorted(sources):
        if edition != latest:
            placed[edition] = out / str(edition)
            _link_tree(sources[edition], placed[edition])
    for edition, folder in placed.items():
        # hrefs from this edition's root: the latest is the site root, the others `<year>/`
        up = "" if edition == latest else "../"
        links = {e: up + ("" if e == latest else f"{e}/") + "index.html" for e in placed}
        _write_fresh(folder / EDITIONS_SCRIPT, editions_script(edition, links, latest))
    return placed


def run(
    year: int | None = None,
    raw_dir: Path = RAW_DIR,
    processed_root: Path = PROCESSED_DIR,
    site_dir: Path = SITE_DIR,
    plan_path: Path = RUN_PLAN,
    workers: int | None = None,
    build: bool = True,
    build_dir: Path = BUILD_DIR,
    log: Callable[[str], object] = print,
    executor: str = "local",
    scheduler: str | None = None,
    kept_kernels: Workers | None = None,
    book_server: BookServer | None = None,
) -> RunReport:
    """The whole run. Raises DataValidationError or PipelineError; publishes only on success.

    One run at a time (a lock on `build_dir`). The raw data is frozen into the staging
    folder before validation; the processed data and the site are published together.
    `kept_kernels`, `book_server`: warm kernels (kernels.Workers, local executor) and a book
    build process kept by the caller between runs (`contrat-ville watch`), used and left
    running; a failed notebook still stops the kernels (the caller starts new ones)."""
    from contrat_ville.data.errors import DataValidationError

    raw_dir, site_dir, processed_root, build_dir = Path(raw_dir), Path(site_dir), Path(processed_root), Path(build_dir)
    plan = load_plan(plan_path)
    try:
        year = cache.check_year(
            year if year is not None else (cache.latest_edition(raw_dir) or plan["defaults"]["year"])
        )
    except ValueError as exc:
        raise PipelineError(str(exc)) from None
    report = RunReport(year)
    t0 = time.perf_counter()
    processed_target = processed_root / str(year)
    try:
        lock = cache.run_lock(build_dir)
        lock.__enter__()
    except cache.RunLocked as exc:
        raise PipelineError(str(exc)) from None
    except OSError as exc:
        raise PipelineError(_fs_error("create the build folder", exc)) from exc
    try:
        for note in recover(build_dir, [processed_target, site_dir]):
            log(note)
        key = cache.run_key(year, raw_dir, plan_path, BOOK_DIR)
        if build and cache.unchanged(key, site_dir, processed_target, year, build_dir):
            report.seconds["total"] = time.perf_counter() - t0
            log("nothing changed since the last run: data, notebooks, book, code and published outputs are identical")
            return report
        staging = build_dir / f"staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        # the notebooks' kernels start, and import their libraries, while the data is validated
        from contrat_ville.run import kernels

        ahead = None
        if executor == "local":
            ahead = kept_kernels or kernels.Workers(str(NOTEBOOKS_DIR), workers or cores())
        cleanup = contextlib.ExitStack()  # what _run_staged starts and leaves to stop here
        try:
            _run_staged(
                plan,
                year,
                raw_dir,
                processed_target,
                site_dir,
                plan_path,
                workers,
                build,
                build_dir,
                staging,
                report,
                log,
                executor,
                scheduler,
                ahead,
                cleanup=cleanup,
                keep_kernels=ahead is not None and ahead is kept_kernels,
                book_server=book_server,
            )
        except DataValidationError:
            raise
        except OSError as exc:
            raise PipelineError(_fs_error("write the run's files", exc) + "; nothing was published") from exc
        finally:
            cleanup.close()
            if ahead is not None and ahead is not kept_kernels:
                # closed after the notebooks already; on bad data, or any error before them, the
                # kernels warming up are stopped, not waited for (a warm-up ends within seconds)
                ahead.close(cancel=True, join=False)
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        lock.__exit__(None, None, None)
    report.seconds["total"] = time.perf_counter() - t0
    return report


def _run_staged(
    plan,
    year,
    raw_dir,
    processed_target,
    site_dir,
    plan_path,
    workers,
    build,
    build_dir,
    staging,
    report,
    log,
    executor="local",
    scheduler=None,
    ahead=None,
    *,
    cleanup: contextlib.ExitStack,
    keep_kernels: bool = False,
    book_server: BookServer | None = None,
):
    from contrat_ville.data.errors import DataValidationError

    t0 = time.perf_counter()
    frozen = freeze_raw(raw_dir, staging / "raw-frozen")
    key = cache.run_key(year, raw_dir, plan_path, BOOK_DIR, raw_files=frozen)
    all_tables = table_names(frozen)
    needed = sorted({name for entry in plan["notebooks"] for name in entry_inputs(entry, all_tables)} | {"territories"})
    try:
        tables = raw.validate_all(frozen, needed)
    except DataValidationError as exc:
        raise _relabel(exc, frozen, raw_dir) from None
    jobs = planned_jobs(plan, year, tables, all_tables)
    try:
        editions.check_year(tables, year)
    except editions.NoDataForYear as exc:
        raise PipelineError(str(exc)) from None
    view = edition_view(frozen, staging / "raw", year)
    report.seconds["validate"] = time.perf_counter() - t0
    log(f"validated {len(needed)} raw tables in {report.seconds['validate']:.1f} s")
    book_process = book_server

    def start_book_process():
        # the book build's imports, on the core the last notebooks leave free; stopped if not
        # used. Not when no notebook runs here: the site is then often reused as published
        nonlocal book_process
        if build and book_process is None:
            book_process = BookProcess()
            cleanup.callback(book_process.close)

    t1 = time.perf_counter()
    results = run_jobs(
        jobs,
        staging,
        view,
        build_dir / "cache",
        workers or cores(),
        report,
        executor,
        scheduler,
        shown_raw=shown_raw_dir(raw_dir),
        failed_dir=build_dir / "failed",
        log=log,
        ahead=ahead,
        idle=start_book_process,
    )
    if ahead is not None and not keep_kernels:  # before the book build, which needs the cores
        # every notebook from the cache: the kernels warming up are stopped, not waited for.
        # Stopping idle kernels is mostly waiting for them to exit: done beside the book build
        stopping = threading.Thread(
            target=ahead.close,
            kwargs={"cancel": not report.executed, "join": bool(report.executed)},
            name="stop-kernels",
        )
        stopping.start()
        cleanup.callback(stopping.join)
    report.seconds["notebooks"] = time.perf_counter() - t1
    log(
        f"notebooks: {len(report.executed)} executed, {len(report.cached)} from cache, {report.seconds['notebooks']:.1f} s"
    )
    processed, book = assemble(jobs, results, staging, year)
    folders = []
    target_unchanged = processed_target.exists() and _same_tree(processed, processed_target)
    if not build:
        if not target_unchanged:
            publish([(processed, processed_target)], build_dir / cache.JOURNAL_NAME)
        return
    book_hash = book_key(book, view)
    reusable = _site_reusable(cache.published_editions(site_dir).get(year), book_hash)
    if reusable:
        edition_site = staging / "edition"
        _link_tree(cache.published_editions(site_dir)[year], edition_site)
    else:
        t2 = time.perf_counter()
        # the kept Sphinx build of this edition: a changed chapter re-renders its pages only
        edition_site = build_book_kept(
            book, build_dir / BOOK_ENV_DIR / str(year), staging / "book-out", view, process=book_process
        )
        (edition_site / cache.BUILD_KEY_NAME).write_text(book_hash)
        report.seconds["book"] = time.perf_counter() - t2
        report.book_built = True
        log(f"book built in {report.seconds['book']:.1f} s")
    _write_fresh(edition_site / cache.EDITION_NAME, f"{year}\n")
    site = staging / "site"
    placed = assemble_site(edition_site, year, site_dir, site)
    for edition, folder in placed.items():
        if edition == year:
            _write_fresh(folder / cache.STAMP_NAME, key)
            (folder / cache.MANIFEST_NAME).unlink(missing_ok=True)
            cache.write_manifest(folder, processed)
        else:
            _refresh_manifest(folder)
    if not target_unchanged:
        folders.append((processed, processed_target))
    folders.append((site, site_dir))
    publish(folders, build_dir / cache.JOURNAL_NAME)


def _site_reusable(published: Path | None, book_hash: str) -> bool:
    """The published copy of this edition was built from the same book and is intact."""
    if published is None:
        return False
    stamp = published / cache.BUILD_KEY_NAME
    if not (stamp.exists() and stamp.read_text() == book_hash):
        return False
    try:
        recorded = json.loads((published / cache.MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    site_part = {k: v for k, v in recorded.items() if k.startswith("site/")}
    return site_part == cache.manifest(published, None)


def _refresh_manifest(folder: Path) -> None:
    """Another edition's manifest, with only the edition switch (rewritten here) updated:
    damage to that edition stays detectable by its own next run."""
    path = folder / cache.MANIFEST_NAME
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    recorded[f"site/{EDITIONS_SCRIPT}"] = cache._sha256(folder / EDITIONS_SCRIPT)
    _write_fresh(path, json.dumps(recorded, indent=0, sort_keys=True) + "\n")


def swap_if_changed(new: Path, target: Path, journal: Path | None = None) -> None:
    """Publish `new` unless `target` already holds the same bytes (keeps mtimes stable)."""
    if target.exists() and _same_tree(new, target):
        return
    publish([(new, target)], journal or target.with_name(f".{target.name}.journal"))


def _files(folder: Path):
    return (p for p in folder.rglob("*") if p.is_file())


def _same_tree(a: Path, b: Path) -> bool:
    rel = lambda folder: {p.relative_to(folder): sha256(p) for p in _files(folder)}  # noqa: E731
    return rel(a) == rel(b)
