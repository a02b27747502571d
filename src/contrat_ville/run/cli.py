"""Command line: `contrat-ville run|watch|validate`. Exit code 1 with a readable message on
bad data or a failed step; the published outputs are then left as they were."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from contrat_ville.data.errors import DataValidationError
from contrat_ville.data.paths import RAW_DIR


def _year(text: str) -> int:
    from contrat_ville.run.cache import check_year

    try:
        return check_year(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _stop(signum, frame):
    # SIGTERM (a kill, a CI timeout) unwinds like Ctrl-C: the run's clean-up stops its child
    # processes and removes its staging folder, and nothing half-done is published
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="contrat-ville", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="validate, execute the notebooks and build the book")
    run_p.add_argument(
        "--year", type=_year, default=None, help="reporting year (default: the latest edition in the raw data)"
    )
    run_p.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    run_p.add_argument("--no-book", action="store_true", help="stop after the notebooks")
    run_p.add_argument("--workers", type=int, default=None)
    run_p.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="where notebooks run: local worker threads, or a Dask distributed cluster",
    )
    run_p.add_argument(
        "--scheduler",
        default=None,
        help="with --executor dask: address of a running Dask scheduler (default: a LocalCluster here)",
    )
    watch_p = sub.add_parser(
        "watch",
        help="run, then run again whenever the raw data, notebooks, book or run plan change, "
        "with the kernels and the book build kept warm (Ctrl-C stops)",
    )
    watch_p.add_argument("--year", type=_year, default=None, help="reporting year (default: the latest edition)")
    watch_p.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    watch_p.add_argument("--workers", type=int, default=None)
    watch_p.add_argument("--interval", type=float, default=1.0, help="seconds between two looks at the inputs")
    val_p = sub.add_parser("validate", help="validate the raw data only (writes nothing)")
    val_p.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    val_p.add_argument("--year", type=_year, default=None, help="also report what the raw data holds for this edition")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # progress lines show as they happen, even in a pipe

    if args.command == "watch":
        return _watch(args)
    if args.command == "run":
        from contrat_ville.data.paths import BUILD_DIR
        from contrat_ville.run.cache import lock_holder

        holder = lock_holder(BUILD_DIR)
        if holder is not None:
            print(
                f"error: another run is in progress (pid {holder}): wait for it to finish, or stop that "
                "process, then run again. Nothing was done.",
                file=sys.stderr,
            )
            return 1
        if not args.no_book and _nothing_changed(args.year, args.raw_dir):
            print("nothing changed since the last run: data, notebooks, book, code and published outputs are identical")
            return 0
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _stop)

    from contrat_ville.data import raw
    from contrat_ville.data.editions import NoDataForYear
    from contrat_ville.run import pipeline

    try:
        if args.command == "validate":
            tables = raw.validate_all(args.raw_dir)
            print(f"ok: {len(tables)} raw tables valid in {args.raw_dir}")
            if args.year:
                _report_year(tables, args.year)
        else:
            report = pipeline.run(
                year=args.year,
                raw_dir=args.raw_dir,
                build=not args.no_book,
                workers=args.workers,
                executor=args.executor,
                scheduler=args.scheduler,
            )
            print(f"done in {report.seconds['total']:.1f} s: edition {report.year}")
    except NoDataForYear as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (DataValidationError, pipeline.PipelineError) as exc:
        print(pipeline.failure_text(exc), file=sys.stderr)
        return 1
    return 0


def _watch(args: argparse.Namespace) -> int:
    """`contrat-ville watch`: until Ctrl-C or SIGTERM; restarts itself when the code changes."""
    from contrat_ville.run import watch

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _stop)
    try:
        watch.watch(args.year, args.raw_dir, args.workers, args.interval)
    except watch.CodeChanged as exc:
        print(f"{exc}: starting again")
        watch.restart()
    except KeyboardInterrupt:
        print("stopped watching")
    return 0


def _report_year(tables: dict, year: int) -> None:
    """Per dated table: rows for the year and rows of the previous edition still missing."""
    from contrat_ville.data import editions

    editions.check_year(tables, year)
    coverage = editions.availability(tables, year)
    print(f"edition {year}:")
    for row in coverage.itertuples():
        print(f"  data/raw/{row.table}.csv: {row.rows} rows ({_year_state(row, year)})")
    for warning in _stale_title_warnings(tables, year):
        print(warning)


def _stale_title_warnings(tables: dict, year: int) -> list[str]:
    """One line per sidecar title whose period the table's rows have outgrown."""
    from contrat_ville.data import editions

    return [
        f"  warning: data/raw/{row.table}.meta.yaml: title {row.title!r} names a period ending in "
        f"{row.period_end}, but the table holds rows of edition {row.latest_edition}: update `title`"
        for row in editions.stale_titles(tables, year).itertuples()
    ]


def _year_state(row, year: int) -> str:
    """A table's state for the edition: a carried table with no new row keeps its history
    (valid until an edition restates it), which is not "missing"."""
    import pandas as pd

    from contrat_ville.data import editions

    if row.missing_rows == 0 and row.rows:
        return "complete"
    if row.rows:
        return f"{row.missing_rows} rows of the previous edition missing"
    if row.rows_kind == editions.CARRIED and not pd.isna(row.latest_edition) and int(row.latest_edition) < year:
        return f"carried from edition {int(row.latest_edition)}: no new row, its history stays valid"
    if row.rows_kind == editions.OWN:
        return "none for this edition: its rows are its own, never carried"
    return "missing"


def _nothing_changed(year: int | None, raw_dir: Path) -> bool:
    """The no-op check, before the slow imports (pandas, pandera, papermill)."""
    import yaml

    from contrat_ville.data.paths import BUILD_DIR, PROCESSED_DIR, RUN_PLAN, SITE_DIR
    from contrat_ville.run import cache

    if year is None:
        year = cache.latest_edition(raw_dir) or yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))["defaults"]["year"]
    year = int(year)
    return cache.unchanged(cache.run_key(year, raw_dir, RUN_PLAN), SITE_DIR, PROCESSED_DIR / str(year), year, BUILD_DIR)


if __name__ == "__main__":
    sys.exit(main())
