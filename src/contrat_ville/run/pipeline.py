"""The one entry point: run plan → validate raw data → papermill (in parallel, cached)
→ Jupyter Book → publish. Everything is written under a staging folder and swapped in
only when the whole run succeeded, so a failed run leaves the last good outputs intact."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from contrat_ville.data import editions, raw
from contrat_ville.data.files import table_names
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
from contrat_ville.publish.edition import stamp_config
from contrat_ville.run import cache


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


def plan_jobs(
    plan: dict, year: int | None = None, only: list[str] | None = None, territories=None, all_tables: list[str] = ()
) -> list[Job]:
    """The jobs of the run plan, with the year override applied.

    An entry with `for_each: territories` becomes one job per territory of
    territories.csv, with the parameter `territory_id` and a name derived from it."""
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
            for row in territories.sort_values("territory_id").itertuples():
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


def job_key(job: Job, raw_dir: Path) -> str:
    """Cache key: notebook, parameters, declared inputs (data + metadata) and the package code."""
    files = [job.notebook] + package_sources()
    for name in job.inputs:
        files += [raw_dir / f"{name}.csv", raw_dir / f"{name}.meta.yaml"]
    digest = hashlib.sha256(_hash_files([f for f in files if f.exists()]).encode())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(str(raw_dir.resolve() == RAW_DIR.resolve()).encode())
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


def execute(job: Job, job_dir: Path, raw_dir: Path) -> None:
    """Run one notebook with papermill into `job_dir` (notebook + processed tables)."""
    import papermill

    from contrat_ville.run import kernels

    params = {**job.parameters, "raw_dir": str(raw_dir.resolve()), "output_dir": str((job_dir / "processed").resolve())}
    shown = {
        **job.parameters,
        "raw_dir": "../data/raw" if raw_dir.resolve() == RAW_DIR.resolve() else str(raw_dir),
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
        raise PipelineError(f"notebook {shown_path(job.notebook)} failed (executed copy: {output}):\n{exc}") from exc
    normalise_notebook(output, shown, job.heading)


def _check_declared_inputs(job: Job, job_dir: Path) -> None:
    """A notebook may only read the raw tables the run plan declares (they key the cache)."""
    for meta in (job_dir / "processed").rglob("*.meta.yaml"):
        used = {Path(i["file"]).stem for i in yaml.safe_load(meta.read_text(encoding="utf-8")).get("inputs", [])}
        undeclared = used - set(job.inputs)
        if undeclared:
            raise PipelineError(
                f"{shown_path(job.notebook)} read {sorted(undeclared)} not declared as inputs of '{job.id}' in runplan.yaml"
            )


def run_jobs(
    jobs: list[Job], staging: Path, raw_dir: Path, cache_dir: Path, workers: int, report: RunReport
) -> dict[str, Path]:
    """Execute (or take from cache) every job; returns job id → its result folder."""
    results: dict[str, Path] = {}
    todo = []
    for job in jobs:
        cached = cache_dir / f"{job.name}-{job_key(job, raw_dir)}"
        if (cached / "done").exists():
            results[job.id] = cached
            report.cached.append(job.id)
        else:
            todo.append((job, cached))

    def one(item):
        job, cached = item
        job_dir = staging / "jobs" / job.name
        job_dir.mkdir(parents=True)
        execute(job, job_dir, raw_dir)
        _check_declared_inputs(job, job_dir)
        return job, job_dir, cached

    from contrat_ville.run import kernels

    with (
        kernels.warm_kernels(str(NOTEBOOKS_DIR)),
        ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo) or 1))) as pool,
    ):
        for job, job_dir, cached in pool.map(one, todo):
            if cached.exists():
                shutil.rmtree(cached)
            shutil.copytree(job_dir, cached)
            (cached / "done").write_text("ok\n")
            results[job.id] = cached
            report.executed.append(job.id)
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


def book_key(book: Path) -> str:
    return _hash_files([p for p in book.rglob("*") if p.is_file()], base=book)


def build_book(book: Path, out: Path) -> Path:
    """Jupyter Book 1.x, warnings as errors, no execution (papermill already ran)."""
    cmd = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(book),
        "--path-output",
        str(out),
        "--warningiserror",
        "--keep-going",
        "--quiet",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise PipelineError(f"book build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return out / "_build" / "html"


def swap(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames; the old copy is removed only after."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def run(
    year: int | None = None,
    raw_dir: Path = RAW_DIR,
    processed_root: Path = PROCESSED_DIR,
    site_dir: Path = SITE_DIR,
    plan_path: Path = RUN_PLAN,
    workers: int | None = None,
    build: bool = True,
    build_dir: Path = BUILD_DIR,
    log=print,
) -> RunReport:
    """The whole run. Raises DataValidationError or PipelineError; publishes only on success."""
    plan = load_plan(plan_path)
    year = int(year if year is not None else plan["defaults"]["year"])
    report = RunReport(year)
    t0 = time.perf_counter()
    key = cache.run_key(year, raw_dir, plan_path, BOOK_DIR)
    if build and cache.unchanged(key, site_dir, Path(processed_root) / str(year)):
        report.seconds["total"] = time.perf_counter() - t0
        log("nothing changed since the last run: data, notebooks, book and code are identical")
        return report
    all_tables = table_names(raw_dir)
    needed = sorted({name for entry in plan["notebooks"] for name in entry_inputs(entry, all_tables)} | {"territories"})
    tables = raw.validate_all(raw_dir, needed)
    jobs = plan_jobs(plan, year, territories=tables["territories"], all_tables=all_tables)
    try:
        editions.check_year(tables, year)
    except editions.NoDataForYear as exc:
        raise PipelineError(str(exc)) from None
    report.seconds["validate"] = time.perf_counter() - t0
    log(f"validated {len(needed)} raw tables in {report.seconds['validate']:.1f} s")

    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    staging = build_dir / f"staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        t1 = time.perf_counter()
        results = run_jobs(jobs, staging, Path(raw_dir), build_dir / "cache", workers or os.cpu_count() or 1, report)
        report.seconds["notebooks"] = time.perf_counter() - t1
        log(
            f"notebooks: {len(report.executed)} executed, {len(report.cached)} from cache, {report.seconds['notebooks']:.1f} s"
        )
        processed, book = assemble(jobs, results, staging, year)
        book_hash = book_key(book)
        stamp = site_dir / ".build-key"
        if build and not (stamp.exists() and stamp.read_text() == book_hash):
            t2 = time.perf_counter()
            site = build_book(book, staging / "site")
            (site / ".build-key").write_text(book_hash)
            report.seconds["book"] = time.perf_counter() - t2
            report.book_built = True
            log(f"book built in {report.seconds['book']:.1f} s")
        # publish: processed data first, then the site; both were complete in staging
        swap_if_changed(processed, Path(processed_root) / str(year))
        if report.book_built:
            swap(site, site_dir)
        if build:
            (Path(site_dir) / cache.STAMP_NAME).write_text(key)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds["total"] = time.perf_counter() - t0
    return report


def swap_if_changed(new: Path, target: Path) -> None:
    """Publish `new` unless `target` already holds the same bytes (keeps mtimes stable)."""
    if target.exists() and _same_tree(new, target):
        return
    swap(new, target)


def _files(folder: Path):
    return (p for p in folder.rglob("*") if p.is_file())


def _same_tree(a: Path, b: Path) -> bool:
    rel = lambda folder: {p.relative_to(folder): sha256(p) for p in _files(folder)}  # noqa: E731
    return rel(a) == rel(b)
