"""What a chapter notebook needs to stay thin and auditable: it loads raw tables
through a `Chapter`, which records every input's SHA-256, and saves processed tables
with metadata naming the notebook, parameters and inputs that produced them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from contrat_ville.data import editions, raw
from contrat_ville.data.files import SAFE_LOADER, meta_path, read_meta, table_names
from contrat_ville.data.paths import BUILD_DIR, NOTEBOOKS_DIR, PROCESSED_DIR
from contrat_ville.notebook.provenance import dump_yaml, package_sha256, package_versions, sha256, write_csv
from contrat_ville.presentation import citation

if TYPE_CHECKING:
    from IPython.display import HTML


class Chapter:
    """One notebook run: its parameters, the inputs it read, the tables it wrote."""

    def __init__(
        self, notebook: str, year: int, baseline_year: int, raw_dir: str | Path, output_dir: str | Path, **extra
    ):
        self.notebook = notebook
        self.year, self.baseline_year = int(year), int(baseline_year)
        self.raw_dir = Path(raw_dir).resolve()
        self.output_dir = output_folder(Path(output_dir), notebook)
        self.parameters = {"year": self.year, "baseline_year": self.baseline_year, **extra}
        self.inputs: dict[str, dict] = {}
        self.outputs: list[str] = []
        self.missing: dict[str, pd.DataFrame] = {}  # rows of the previous edition absent from this one
        self.tables: dict[str, pd.DataFrame] = {}  # every table read, editions up to `year`
        self.views: dict[str, pd.DataFrame] = {}  # the rows of edition `year` (source lines cite them)
        self._sources: dict[str, pd.DataFrame] = {}
        self.metas: dict[str, dict] = {}  # sidecar of each table loaded

    def load(self, name: str, edition: int | None = None) -> pd.DataFrame:
        """Raw table `name`, validated; recorded as an input of this notebook. Its sidecar
        is `self.meta(name)`.

        With `edition`, the rows published in that year's annual report, plus the previous
        edition's rows that the year lacks, blanked to "ND" (see editions.for_edition)."""
        loaded = raw.load_table(name, self.raw_dir)
        table, meta = loaded.frame, loaded.meta
        csv = self.raw_dir / f"{name}.csv"
        self.inputs[name] = {
            "file": f"data/raw/{name}.csv",
            "sha256": sha256(csv),
            "metadata_sha256": sha256(meta_path(csv)),
            "source_ids": meta.get("source_ids", []),
        }
        # an edition never sees a later one: rebuilding 2018 after 2019 exists reads what it read before
        table = editions.up_to(table, self.year)
        self.tables[name] = table
        self.metas[name] = meta
        if edition is not None and "edition" in table:
            table, missing = editions.for_edition(table, meta, edition)
            self.views[name] = table
            if not missing.empty:
                self.missing[name] = missing
        return table

    def figure_ids(self) -> dict[str, str | list[str]]:
        """The key figures the notebook's prose names one by one: role -> figure_id (or a list of
        them), declared in notebooks/<notebook>.figures.yaml. Every id must be a row of the
        key_figures table this chapter loaded; errors name the file, the role and the id."""
        import yaml

        path = NOTEBOOKS_DIR / f"{self.notebook}{FIGURES_SUFFIX}"
        if "key_figures" not in self.tables:
            raise RuntimeError(f"{path}: load the key_figures table before reading the figure ids")
        declared = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        known = set(self.tables["key_figures"]["figure_id"])
        for role, ids in declared.items():
            for figure_id in ids if isinstance(ids, list) else [ids]:
                if not isinstance(figure_id, str) or figure_id not in known:
                    raise ValueError(
                        f"{path}, role {role!r}: {figure_id!r} is not a figure_id of data/raw/key_figures.csv"
                    )
        return FigureIds(path, declared)

    def sources(self) -> pd.DataFrame:
        """sources.csv (validated), for source lines citing rows of later editions."""
        if "sources" not in self._sources:
            self._sources["sources"] = raw.load("sources", self.raw_dir)
        return self._sources["sources"]

    def meta(self, name: str) -> dict:
        """The sidecar of raw table `name`, loaded by this chapter."""
        return self.metas[name]

    def load_all(self) -> raw.Tables:
        """Every raw table of the folder (full history, all editions), each recorded as an
        input; the sidecars are in the result's `.metas`."""
        return raw.Tables({name: self.load(name) for name in table_names(self.raw_dir)}, self.metas)

    def show_provenance(self, **options: object) -> HTML:
        """The collapsed provenance block ending every chapter (see provenance.block)."""
        from contrat_ville.notebook.provenance import block

        return block(self, **options)

    def source_line(self, name: str, rows: pd.DataFrame | None = None) -> str:
        """The French source line printed under a table built from raw table `name`.

        `rows`: the rows shown (default: the rows of edition `year` loaded from `name`). The
        sidecar's wording cites the first edition's rows; rows of later editions or other
        sources are cited from their own source_id and edition."""
        meta = read_meta(name, self.raw_dir)
        described = meta["source_fr"].strip().rstrip(".")
        shown = rows if rows is not None else self.views.get(name)
        first = self.tables.get(name)
        first = int(first["edition"].min()) if first is not None and "edition" in first and len(first) else None
        origin = citation.rows_origin(shown, meta, self.sources() if shown is not None else None, first)
        if origin is not None:
            described = " ; ".join(([described] if origin["sidecar"] else []) + origin["later"])
        return f"{described} ; données : data/raw/{name}.csv"

    def save(
        self, frame: pd.DataFrame, name: str, *inline: object, inputs: list[str] | None = None, **fill: object
    ) -> None:
        """Write `name`.csv and `name`.meta.yaml into the output folder.

        Title, description and column descriptions come from the notebook's declaration file,
        notebooks/<notebook>.outputs.yaml (see `declared_output`): `name` is its entry, and
        `{placeholders}` of the entry are filled from the run's parameters and `fill`. `inputs`:
        the raw tables the output depends on (default: every table loaded).

        Returns nothing: a path shown as a cell's output would put a machine path into the
        executed notebook and break byte-identical reruns."""
        if inline or fill.keys() & {"title", "description", "columns"}:
            # the older inline form: its metadata would be silently ignored, so refuse it by name
            raise TypeError(
                f"save({name!r}): title, description and columns are declared in "
                f"{outputs_file(self.notebook)} (entry {name!r}), not passed to chapter.save"
            )
        declared = declared_output(self.notebook, name, frame.columns, {**self.parameters, **fill})
        name, title, description, columns = (declared[k] for k in ("name", "title", "description", "columns"))
        path = self.output_dir / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(frame, path)
        used = inputs or sorted(self.inputs)
        meta = {
            "title": title,
            "description": description,
            "produced_by": f"notebooks/{self.notebook}.ipynb",
            "parameters": self.parameters,
            "inputs": [self.inputs[n] for n in used],
            "columns": [{"name": c, "description": columns[c]} for c in frame.columns],
            "rows": len(frame),
            "sha256": sha256(path),
            "rerun": rerun_command(self),
            "packages": package_versions(),
            "package_code_sha256": package_sha256(),
        }
        dump_yaml(meta, path.with_name(path.name[: -len(".csv")] + ".meta.yaml"))
        self.outputs.append(name)


OUTPUTS_SUFFIX = ".outputs.yaml"
FIGURES_SUFFIX = ".figures.yaml"


class FigureIds(dict):
    """role -> figure_id; an undeclared role is an error naming the declaration file."""

    def __init__(self, path: Path, declared: dict):
        super().__init__(declared)
        self.path = path

    def __missing__(self, role: str):
        raise KeyError(f"{self.path}: no role {role!r} declared (roles: {', '.join(sorted(self))})")


def outputs_file(notebook: str, notebooks_dir: Path | None = None) -> Path:
    """notebooks/<notebook>.outputs.yaml: the declaration of what the notebook saves."""
    return Path(notebooks_dir or NOTEBOOKS_DIR) / f"{notebook}{OUTPUTS_SUFFIX}"


def read_outputs(notebook: str, notebooks_dir: Path | None = None) -> dict[str, dict]:
    """The declared outputs of `notebook`: entry name -> {title, description, columns}.

    `columns` is a mapping (column or column template -> description), the dotted name of a
    package mapping shared by several notebooks (e.g. contrat_ville.evaluation.key_figures.TIDY_COLUMNS),
    or a list of both, merged in order (a table's own columns beside the columns of a shared mapping).
    Errors name the file and the entry."""
    import yaml

    path = outputs_file(notebook, notebooks_dir)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no declaration of the outputs of notebooks/{notebook}.ipynb")
    declared = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    if not isinstance(declared, dict):
        raise ValueError(f"{path}: expected a mapping of output name -> title, description, columns")
    for entry, fields in declared.items():
        where = f"{path}, output {entry!r}"
        if not isinstance(fields, dict) or set(fields) != {"title", "description", "columns"}:
            raise ValueError(f"{where}: expected exactly the keys title, description and columns")
        for key in ("title", "description"):
            if not isinstance(fields[key], str) or not fields[key].strip():
                raise ValueError(f"{where}: {key} must be a non-empty string")
        fields["columns"] = _columns(fields["columns"], where)
    return declared


def _columns(columns: object, where: str) -> dict[str, str]:
    if isinstance(columns, list):  # mappings merged in order: own entries beside shared ones
        merged: dict[str, str] = {}
        for part in columns:
            if not isinstance(part, (str, dict)):
                raise ValueError(f"{where}: each item of a columns list is a mapping or a package mapping's name")
            merged.update(_columns(part, where))
        return merged
    if isinstance(columns, str):  # a mapping of the package, shared by several notebooks
        import importlib

        module, _, attribute = columns.rpartition(".")
        if not module.startswith("contrat_ville."):
            raise ValueError(f"{where}: columns {columns!r} must name a mapping of the contrat_ville package")
        try:
            columns = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as exc:
            raise ValueError(f"{where}: columns {columns!r} cannot be imported ({exc})") from exc
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ValueError(f"{where}: columns must map each column name to its description")
    if blank := [c for c, text in columns.items() if not text.strip()]:
        raise ValueError(f"{where}: columns {blank} have an empty description")
    return dict(columns)


def _template(pattern: str) -> re.Pattern:
    """`gap_{comparator}` -> a regex capturing `comparator` (literal text escaped)."""
    parts = re.split(r"\{(\w+)\}", pattern)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+)" for i, p in enumerate(parts))
    return re.compile(regex + r"\Z")


def describe_columns(declared: dict[str, str], frame_columns: Iterable[str], where: str) -> dict[str, str]:
    """Description of each column: its own entry, else the first template it matches
    (`gap_{comparator}`: `{comparator}` in the description is the matched text). A column
    neither declares is an error naming it."""
    described = {}
    templates = [(_template(k), v) for k, v in declared.items() if "{" in k]
    for column in frame_columns:
        if column in declared:
            described[column] = declared[column]
            continue
        for regex, text in templates:
            if match := regex.match(str(column)):
                described[column] = text.format(**match.groupdict())
                break
        else:
            raise ValueError(f"{where}: column {column!r} of the saved table is not described (columns)")
    return described


def declared_output(
    notebook: str, entry: str, frame_columns: Iterable[str], fill: dict, notebooks_dir: Path | None = None
) -> dict:
    """Name, title, description and column descriptions of output `entry` of `notebook`, with the
    placeholders filled from `fill`; an undeclared entry, a missing placeholder or an
    undescribed column is an error naming the declaration file."""
    outputs = read_outputs(notebook, notebooks_dir)
    path = outputs_file(notebook, notebooks_dir)
    if entry not in outputs:
        raise KeyError(f"{path}: no output {entry!r} declared (notebooks/{notebook}.ipynb saves it)")
    fields, where = outputs[entry], f"{path}, output {entry!r}"
    try:
        name, title, description = (text.format(**fill) for text in (entry, fields["title"], fields["description"]))
    except KeyError as exc:
        raise KeyError(f"{where}: placeholder {exc} not given to chapter.save") from None
    return {
        "name": name,
        "title": title,
        "description": description,
        "columns": describe_columns(fields["columns"], frame_columns, where),
    }


WRITE_PROCESSED_ENV = "CONTRAT_VILLE_WRITE_PROCESSED"
SCRATCH_DIR = BUILD_DIR / "scratch"


def output_folder(requested: Path, notebook: str) -> Path:
    """Where a notebook writes its tables. data/processed/ is published output, written only
    by the pipeline's swap: a notebook run by hand (nbconvert, JupyterLab) with the default
    `output_dir` writes to build/scratch/<notebook>/ instead, unless told otherwise with the
    environment variable CONTRAT_VILLE_WRITE_PROCESSED=1."""
    requested = Path(requested).resolve()
    processed = PROCESSED_DIR.resolve()
    if os.environ.get(WRITE_PROCESSED_ENV) == "1" or not requested.is_relative_to(processed):
        return requested
    scratch = (SCRATCH_DIR / notebook / requested.relative_to(processed)).resolve()
    print(
        f"note: tables go to {scratch}, not to data/processed/ (published by `make book` only); "
        f"set {WRITE_PROCESSED_ENV}=1 to write there"
    )
    return scratch


def rerun_command(chapter: Chapter, scratch: str = "/tmp") -> str:
    """The papermill command that reruns this notebook alone from the project root, with the
    parameters of this run, writing its tables to a scratch folder (compare them with
    data/processed/<year>/: they are identical byte for byte)."""
    import shlex

    params = {**chapter.parameters, "raw_dir": "../data/raw", "output_dir": f"{scratch}/{chapter.notebook}-out"}
    flags = " ".join(f"-p {shlex.quote(str(k))} {shlex.quote(str(v))}" for k, v in params.items())
    return f".venv/bin/papermill notebooks/{chapter.notebook}.ipynb {scratch}/{chapter.notebook}.ipynb {flags} --cwd notebooks"
