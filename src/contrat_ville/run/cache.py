"""The no-op check, the run lock and the layout of the published editions, with the
standard library only (no pandas import), so that rerunning with nothing changed returns
at once.

A run is a no-op only when the published outputs are exactly what the last run wrote:
each edition's site folder holds `.run-key` (a hash of everything the run read) and
`.manifest` (SHA-256 of every file it published, site and processed data), and both are
checked, so a deleted page or a hand-edited processed CSV makes the next run rebuild."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from contrat_ville.data.paths import BOOK_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, RUN_PLAN

STAMP_NAME = ".run-key"
MANIFEST_NAME = ".manifest"
EDITION_NAME = ".edition"  # the year of the edition a site folder holds
BUILD_KEY_NAME = ".build-key"
JOURNAL_NAME = "publish-journal.json"
LOCK_NAME = "run.lock"
# files the run writes about a folder rather than into it: never part of its manifest
BOOKKEEPING = {STAMP_NAME, MANIFEST_NAME}
EDITION_FOLDER = re.compile(r"[0-9]{4}")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # a reporting year outside this range is a typing error


class RunLocked(RuntimeError):
    """Another run holds the lock on the build folder."""


def check_year(value: object) -> int:
    """A reporting year, as an int; anything else (``0``, ``2018; echo``) is refused."""
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValueError(
            f"the year must be a four-digit reporting year between {FIRST_YEAR} and {LAST_YEAR} "
            f"(e.g. 2019), got {str(value)!r}"
        )
    return int(text)


def _files(folder: Path, pattern: str = "*"):
    return sorted(
        p
        for p in folder.rglob(pattern)
        if p.is_file()
        and "_build" not in p.parts
        and "__pycache__" not in p.parts
        and ".ipynb_checkpoints" not in p.parts
    )


# the package's code, as the run key hashes it (with the run's inputs, `input_groups`)
CODE_GROUPS = [
    (PACKAGE_DIR, "*.py"),
    (PACKAGE_DIR, "*.yaml"),  # the vocabulary read by the presentation layer
]


def input_groups(raw_dir: Path, book_dir: Path = BOOK_DIR) -> list[tuple[Path, str]]:
    """(folder, pattern) of every file a run reads besides the package code and the run plan."""
    return [
        (Path(raw_dir), "*"),
        (NOTEBOOKS_DIR, "*.ipynb"),
        (NOTEBOOKS_DIR, "*.yaml"),  # the notebooks' declaration files (outputs, figure ids)
        (Path(book_dir), "*"),
    ]


def group_files(groups: list[tuple[Path, str]]) -> list[Path]:
    """The files of (folder, pattern) groups, in order (built outputs and caches left out)."""
    return [path for folder, pattern in groups for path in _files(folder, pattern)]


def run_key(
    year: int | None,
    raw_dir: Path,
    plan_path: Path = RUN_PLAN,
    book_dir: Path = BOOK_DIR,
    raw_files: Path | None = None,
) -> str:
    """Hash of everything a run reads. `raw_files`: where the raw bytes are read from when
    they are a frozen copy of `raw_dir` (the run's staging folder): same key as the original."""
    digest = hashlib.sha256(f"year={year}\nraw={Path(raw_dir).resolve()}\n".encode())
    for folder, pattern in [*input_groups(Path(raw_files or raw_dir), book_dir), *CODE_GROUPS]:
        for path in _files(folder, pattern):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(Path(plan_path).read_bytes())
    return digest.hexdigest()


def latest_edition(raw_dir: Path) -> int | None:
    """The most recent `edition` found in the raw tables (what a run builds by default)."""
    latest = None
    for path in sorted(Path(raw_dir).glob("*.csv")):
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = csv.reader(handle)
                header = next(rows, [])
                if "edition" not in header:
                    continue
                column = header.index("edition")
                for row in rows:
                    cell = row[column].strip() if len(row) > column else ""
                    if re.fullmatch(r"[0-9]{4}", cell):
                        latest = max(latest or 0, int(cell))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # validation reports the broken file with its line; the default is a guess
    return latest


# ---------------------------------------------------------------- published editions


def edition_of(folder: Path) -> int | None:
    marker = Path(folder) / EDITION_NAME
    try:
        return int(marker.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def published_editions(site_dir: Path) -> dict[int, Path]:
    """Edition year -> its folder in the published site: the latest at the root, the
    others in `<year>/` sub-folders."""
    site_dir = Path(site_dir)
    found = {}
    root = edition_of(site_dir)
    if root is not None:
        found[root] = site_dir
    if site_dir.is_dir():
        for child in sorted(site_dir.iterdir()):
            if child.is_dir() and EDITION_FOLDER.fullmatch(child.name) and edition_of(child) == int(child.name):
                found[int(child.name)] = child
    return found


def edition_files(folder: Path) -> list[Path]:
    """The files of one edition's site folder: nested editions and bookkeeping excluded."""
    folder = Path(folder)
    nested = {
        child.name
        for child in (folder.iterdir() if folder.is_dir() else [])
        if child.is_dir() and EDITION_FOLDER.fullmatch(child.name) and (child / EDITION_NAME).exists()
    }
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.relative_to(folder).parts[0] not in nested
        and not (p.parent == folder and p.name in BOOKKEEPING)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(edition_dir: Path, processed_dir: Path | None) -> dict[str, str]:
    """SHA-256 of every published file of an edition: its site files and processed data."""
    files = {f"site/{p.relative_to(edition_dir).as_posix()}": _sha256(p) for p in edition_files(edition_dir)}
    if processed_dir is not None and Path(processed_dir).is_dir():
        for p in sorted(Path(processed_dir).rglob("*")):
            if p.is_file():
                files[f"processed/{p.relative_to(processed_dir).as_posix()}"] = _sha256(p)
    return files


def write_manifest(edition_dir: Path, processed_dir: Path | None) -> None:
    text = json.dumps(manifest(edition_dir, processed_dir), indent=0, sort_keys=True)
    (Path(edition_dir) / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")


def outputs_intact(edition_dir: Path, processed_dir: Path) -> bool:
    """True when the edition's site and processed data are exactly what the last run wrote."""
    try:
        recorded = json.loads((Path(edition_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
        return recorded == manifest(edition_dir, processed_dir)
    except (OSError, ValueError):
        return False


def unchanged(
    key: str, site_dir: Path, processed_dir: Path, year: int | None = None, build_dir: Path | None = None
) -> bool:
    """True when the published edition was built from exactly these inputs, its outputs are
    intact, and no publish was interrupted."""
    if build_dir is not None and (Path(build_dir) / JOURNAL_NAME).exists():
        return False
    if year is None:
        year = int(Path(processed_dir).name)
    folder = published_editions(site_dir).get(int(year))
    if folder is None:
        return False
    stamp = folder / STAMP_NAME
    return (
        stamp.exists()
        and stamp.read_text() == key
        and Path(processed_dir).is_dir()
        and outputs_intact(folder, processed_dir)
    )


# ---------------------------------------------------------------- one run at a time


@contextmanager
def run_lock(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `build_dir` for the whole run. The kernel releases it when
    the process ends, however it ends, so a killed run never leaves a stale lock."""
    import fcntl

    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunLocked(
                f"another run is in progress (pid {holder}, lock {path}): wait for it to finish, "
                "or stop that process, then run again. Nothing was done."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def lock_holder(build_dir: Path) -> str | None:
    """The pid holding the run lock, or None when no run is in progress."""
    import fcntl

    path = Path(build_dir) / LOCK_NAME
    if not path.exists():
        return None
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            return handle.read().strip() or "unknown"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
