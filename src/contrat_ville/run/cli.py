"""Command line: `contrat-ville run|validate`. Exit code 1 with a readable message on
bad data or a failed step; the published outputs are then left as they were."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from contrat_ville.data.errors import DataValidationError
from contrat_ville.data.paths import RAW_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="contrat-ville", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="validate, execute the notebooks and build the book")
    run_p.add_argument("--year", type=int, default=None, help="reporting year (default: the run plan's)")
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
    val_p = sub.add_parser("validate", help="validate the raw data only (writes nothing)")
    val_p.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    val_p.add_argument("--year", type=int, default=None, help="also report what the raw data holds for this edition")
    args = parser.parse_args(argv)

    if args.command == "run" and not args.no_book and _nothing_changed(args.year, args.raw_dir):
        print("nothing changed since the last run: data, notebooks, book and code are identical")
        return 0

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
    except DataValidationError as exc:
        print(f"error: invalid raw data\n{exc}", file=sys.stderr)
        return 1
    except NoDataForYear as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except pipeline.PipelineError as exc:
        print(f"error: {exc}\nThe last published data and book were left unchanged.", file=sys.stderr)
        return 1
    return 0


def _report_year(tables: dict, year: int) -> None:
    """Per dated table: rows for the year and rows of the previous edition still missing."""
    from contrat_ville.data import editions

    editions.check_year(tables, year)
    coverage = editions.availability(tables, year)
    print(f"edition {year}:")
    for row in coverage.itertuples():
        state = (
            "complete"
            if row.missing_rows == 0 and row.rows
            else ("missing" if not row.rows else f"{row.missing_rows} rows of the previous edition missing")
        )
        print(f"  data/raw/{row.table}.csv: {row.rows} rows ({state})")


def _nothing_changed(year: int | None, raw_dir: Path) -> bool:
    """The no-op check, before the slow imports (pandas, pandera, papermill)."""
    import yaml

    from contrat_ville.data.paths import PROCESSED_DIR, RUN_PLAN, SITE_DIR
    from contrat_ville.run import cache

    year = year or yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))["defaults"]["year"]
    return cache.unchanged(cache.run_key(int(year), raw_dir, RUN_PLAN), SITE_DIR, PROCESSED_DIR / str(year))


if __name__ == "__main__":
    sys.exit(main())
