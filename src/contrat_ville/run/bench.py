"""Benchmark (`make bench`): prints figures, asserts nothing.

Measured on a scratch copy of the project (data, notebooks, book, run plan), so the
project's own outputs are never touched:

1. clean run (validation, every notebook, the book) with an empty cache;
2. no-op rerun of the same command (nothing changed);
3. rerun after one raw file changed (only its readers execute, then the book), as a new
   command, and under `contrat-ville watch` (warm kernels and book server kept between
   runs): from the file's write to the publish, the median of several changes;
4. a naive loop: each notebook of the same run plan executed one after the other by
   papermill with its default engine (one fresh kernel per notebook), as the ratio's base;
5. fact sheets per second on SYNTHETIC territories (100 and 1,000 generated here, labelled
   SYNTHETIC, never written to data/raw): the fiche notebook alone, warm kernels;
6. a national run: 1,500 SYNTHETIC territories (about the number of QPV in France) end to
   end (every chapter and fiche executed, the site and its search index built), with the
   local executor and with the Dask executor (LocalCluster): time, seconds per territory
   all-in, and peak memory.

Machines here are shared and noisy: each figure is the median of --repeat runs."""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from contrat_ville.data.paths import ROOT

COPIED = ["data/raw", "notebooks", "book", "runplan.yaml"]


def scratch_project(base: Path) -> Path:
    """A copy of what a run reads, as a project root of its own (CONTRAT_VILLE_ROOT)."""
    root = base / "project"
    for item in COPIED:
        source, target = ROOT / item, root / item
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # installed dependencies, not project content: the book build copies MathJax from here
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return root


def timed_cli(root: Path, *args: str) -> tuple[float, str]:
    """Wall time of `contrat-ville <args>` run in a fresh process on the scratch project, and its output."""
    env = {**os.environ, "CONTRAT_VILLE_ROOT": str(root)}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "contrat_ville.run.cli", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: `contrat-ville {' '.join(args)}` failed:\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout


# the stage lines the run logs (run.pipeline): what a run's wall time is made of
STAGE_PATTERNS = {
    "validate": r"validated \d+ raw tables in ([\d.]+) s",
    "notebooks": r"notebooks: \d+ executed, \d+ from cache, ([\d.]+) s",
    "book": r"book built in ([\d.]+) s",
}


def stage_seconds(output: str, wall: float) -> dict[str, float]:
    """Seconds per stage of one run, read from its log; `other` is the rest of the wall time
    (process start and imports, freezing the raw files, assembling and publishing the site)."""
    stages = {}
    for stage, pattern in STAGE_PATTERNS.items():
        found = re.search(pattern, output)
        stages[stage] = float(found.group(1)) if found else 0.0
    stages["other"] = max(0.0, wall - sum(stages.values()))
    return stages


def executed_count(output: str) -> int:
    """How many notebooks a run executed (0 when it logged none)."""
    found = re.search(r"notebooks: (\d+) executed", output)
    return int(found.group(1)) if found else 0


def change_one_table(root: Path) -> None:
    """New bytes, same data, in the raw table of the one-change figures (5 notebooks read it)."""
    table = root / "data" / "raw" / "bellevue_coeur_de_cite.csv"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")


WATCH_READY = "watching for changes"


def watch_changes(root: Path, changes: int = 3, timeout: float = 600.0) -> list[float]:
    """Seconds from a raw file's write to the publish under `contrat-ville watch`, for each of
    `changes` successive changes (the first look, before them, finds nothing to do)."""
    import queue
    import threading

    env = {**os.environ, "CONTRAT_VILLE_ROOT": str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "contrat_ville.run.cli", "watch", "--interval", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def settled() -> None:
        seen = []
        while True:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                raise SystemExit(f"bench: watch did not publish within {timeout:.0f} s:\n{''.join(seen)}") from None
            seen.append(line)
            if line.startswith("error"):
                raise SystemExit(f"bench: watch failed:\n{''.join(seen)}")
            if WATCH_READY in line:
                return

    seconds = []
    try:
        settled()
        time.sleep(3)  # the kernels' warm-up ends: what a user editing a file later gets
        for _ in range(changes):
            start = time.perf_counter()
            change_one_table(root)
            settled()
            seconds.append(time.perf_counter() - start)
    finally:
        proc.terminate()
        proc.wait()
    return seconds


NAIVE_SCRIPT = """
import sys, time, papermill
from pathlib import Path
from contrat_ville.run import pipeline
from contrat_ville.data import raw
from contrat_ville.data.files import table_names
from contrat_ville.data.paths import NOTEBOOKS_DIR, RAW_DIR
plan = pipeline.load_plan()
jobs = pipeline.planned_jobs(plan, plan["defaults"]["year"], raw.validate_all(RAW_DIR), table_names(RAW_DIR))
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
for job in jobs:
    papermill.execute_notebook(str(job.notebook), str(out / f"{job.name}.ipynb"), kernel_name="python3",
        parameters={**job.parameters, "raw_dir": str(RAW_DIR), "output_dir": str(out / job.name)},
        cwd=str(NOTEBOOKS_DIR), progress_bar=False)
print(len(jobs))
"""


def naive_loop(root: Path, out: Path) -> tuple[float, int]:
    """Every job of the run plan, sequentially, one new kernel each (papermill's default engine)."""
    env = {**os.environ, "CONTRAT_VILLE_ROOT": str(root)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", NAIVE_SCRIPT, str(out)], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench: naive loop failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start, int(proc.stdout.strip().splitlines()[-1])


def add_synthetic_territories(raw_dir: Path, count: int) -> None:
    """Append `count` SYNTHETIC quartiers (territories + identity-card rows) to a scratch raw folder."""
    with (raw_dir / "territories.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for i in range(count):
            writer.writerow([f"qva-synthetic-{i:05d}", f"SYNTHETIC quartier {i:05d}", "qva", "73065", "", "", "", ""])
    card = raw_dir / "identity_card.csv"
    header = card.read_text(encoding="utf-8").splitlines()[0].split(",")
    with card.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        for i in range(count):
            for indicator, value, unit in [
                ("population", 1000 + i % 5000, "habitants"),
                ("social_housing_units", 300 + i % 900, "logements"),
            ]:
                writer.writerow(
                    {
                        "edition": 2018,
                        "territory_id": f"qva-synthetic-{i:05d}",
                        "indicator_id": indicator,
                        "value": value,
                        "unit": unit,
                        "value_status": "published",
                        "vintage": "",
                        "vintage_note": "SYNTHETIC",
                        "source_id": "rapport-annuel-2018",
                        "report_line": "",
                    }
                )


FICHE_SCRIPT = """
import sys, yaml
from pathlib import Path
from contrat_ville.run import pipeline
from contrat_ville.data.paths import RUN_PLAN
plan = yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))
plan["notebooks"] = [e for e in plan["notebooks"] if e["id"] == "fiche"]
only = Path(sys.argv[1]) / "runplan-fiches.yaml"
only.write_text(yaml.safe_dump(plan), encoding="utf-8")
base = Path(sys.argv[1])
report = pipeline.run(plan_path=only, processed_root=base / "processed", site_dir=base / "site", build_dir=base / "build",
                      build=False, log=lambda *_: None)
print(len(report.executed), report.seconds["notebooks"])
"""


def fiche_speed(count: int, base: Path) -> tuple[int, float]:
    """Seconds per fiche for the real territories plus `count` SYNTHETIC ones (notebooks only)."""
    root = scratch_project(base)
    add_synthetic_territories(root / "data" / "raw", count)
    env = {**os.environ, "CONTRAT_VILLE_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-c", FICHE_SCRIPT, str(base)], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench: fiches failed:\n{proc.stderr[-3000:]}")
    executed, seconds = proc.stdout.split()[-2:]
    return int(executed), float(seconds)


NATIONAL_SCRIPT = """
import resource, sys, time
from pathlib import Path
from contrat_ville.run import pipeline
base, executor = Path(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
report = pipeline.run(processed_root=base / "processed", site_dir=base / "site", build_dir=base / "build",
                      log=lambda *_: None, executor=executor)
elapsed = time.perf_counter() - start
pages = sum(1 for _ in (base / "site").rglob("*.html"))
index = (base / "site" / "searchindex.js").stat().st_size
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
print(len(report.executed), f"{elapsed:.1f}", f"{report.seconds.get('notebooks', 0):.1f}", f"{report.seconds.get('book', 0):.1f}",
      pages, index, f"{peak:.0f}")
"""


def national_run(count: int, executor: str, base: Path) -> dict:
    """One full run (notebooks and book) with `count` SYNTHETIC territories added, in a fresh process."""
    root = scratch_project(base)
    add_synthetic_territories(root / "data" / "raw", count)
    env = {**os.environ, "CONTRAT_VILLE_ROOT": str(root)}
    proc = subprocess.run(
        [sys.executable, "-c", NATIONAL_SCRIPT, str(base), executor], env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench: national run ({executor}) failed:\n{proc.stderr[-3000:]}")
    executed, total, notebooks, book, pages, index, peak = proc.stdout.split()[-7:]
    return {
        "executed": int(executed),
        "total": float(total),
        "notebooks": float(notebooks),
        "book": float(book),
        "pages": int(pages),
        "index_bytes": int(index),
        "peak_mib": int(peak),
    }


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contrat_ville.run.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument("--fiches", type=int, nargs="*", default=[100, 1000], help="SYNTHETIC territory counts")
    parser.add_argument(
        "--parts",
        nargs="*",
        default=["runs", "naive", "fiches", "national"],
        choices=["runs", "naive", "fiches", "national"],
        help="which measurements to make (the ratio needs runs and naive)",
    )
    parser.add_argument("--national", type=int, default=1500, help="SYNTHETIC territories of the national run")
    parser.add_argument(
        "--executors",
        nargs="*",
        default=["local", "dask"],
        choices=["local", "dask"],
        help="executors of the national run",
    )
    args = parser.parse_args(argv)
    print(
        f"machine: {os.cpu_count()} cores; figures are medians of {args.repeat} runs (shared, noisy machine: compare ratios)"
    )
    clean, noop, change, change_stages, change_executed, watched = [], [], [], [], [], []
    for _ in range(args.repeat if "runs" in args.parts else 0):
        with tempfile.TemporaryDirectory() as tmp:
            root = scratch_project(Path(tmp))
            clean.append(timed_cli(root, "run")[0])
            noop.append(timed_cli(root, "run")[0])
            change_one_table(root)
            seconds, output = timed_cli(root, "run")
            change.append(seconds)
            change_stages.append(stage_seconds(output, seconds))
            change_executed.append(executed_count(output))
            watched.extend(watch_changes(root))
    if clean:
        print(
            f"clean run (validation + all notebooks + book): {median(clean):7.1f} s  (runs: {', '.join(f'{v:.1f}' for v in clean)})"
        )
        print(
            f"no-op rerun (whole command):                   {median(noop):7.2f} s  (runs: {', '.join(f'{v:.2f}' for v in noop)})"
        )
        print(
            f"one raw file changed (readers + book):         {median(change):7.1f} s  (runs: {', '.join(f'{v:.1f}' for v in change)})"
        )
        stages = {stage: median([run[stage] for run in change_stages]) for stage in change_stages[0]}
        print(
            f"  of which ({median(change_executed):.0f} notebooks executed): "
            + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items())
        )
        print(f"ratio one raw file changed / clean run: {median(change) / median(clean):.2f} (target <= 0.25)")
        print(
            f"one raw file changed, under `contrat-ville watch`: {median(watched):5.1f} s, write to publish "
            f"(changes: {', '.join(f'{v:.1f}' for v in watched)}); ratio to the clean run: "
            f"{median(watched) / median(clean):.2f} (target <= 0.25)"
        )
    if "naive" in args.parts:
        naive = []
        for _ in range(max(1, args.repeat // 2)):
            with tempfile.TemporaryDirectory() as tmp:
                root = scratch_project(Path(tmp))
                seconds, jobs = naive_loop(root, Path(tmp) / "naive")
                naive.append(seconds)
        print(f"naive sequential papermill loop ({jobs} notebooks, no book): {median(naive):7.1f} s")
        if clean:
            print(f"ratio clean run / naive loop: {median(clean) / median(naive):.3f} (target <= 0.05)")
    for count in args.fiches if "fiches" in args.parts else []:
        with tempfile.TemporaryDirectory() as tmp:
            executed, seconds = fiche_speed(count, Path(tmp))
        print(
            f"fiches: {executed} executed ({count} SYNTHETIC territories) in {seconds:.1f} s -> {seconds / executed:.3f} s per fiche (target < 0.5)"
        )
    for executor in args.executors if "national" in args.parts else []:
        load_before = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as tmp:
            n = national_run(args.national, executor, Path(tmp))
        territories = args.national  # the SYNTHETIC ones; the real ones ride along
        print(
            f"national run, {executor} executor: {n['executed']} notebooks ({args.national} SYNTHETIC territories), "
            f"{n['pages']} pages, search index {n['index_bytes'] / 1e6:.1f} MB: {n['total']:.1f} s "
            f"(notebooks {n['notebooks']:.1f} s, Sphinx {n['book']:.1f} s, other {n['total'] - n['notebooks'] - n['book']:.1f} s) "
            f"-> {n['total'] / territories:.3f} s per territory all-in (target <= 0.2; notebooks "
            f"{n['notebooks'] / territories:.3f} s, Sphinx {n['book'] / territories:.3f} s); "
            f"peak memory of one process {n['peak_mib']} MiB; load average {load_before:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after (shared machine)"
        )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a child process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
