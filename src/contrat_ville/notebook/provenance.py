"""Hashes, versions and the metadata that travels with every processed table."""

from __future__ import annotations

import functools
import hashlib
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from contrat_ville.data.formulas import looks_like_formula

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import HTML

TRACKED_PACKAGES = (
    "contrat-ville",
    "pandas",
    "numpy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "papermill",
    "babel",
    "jupyter-book",
    "myst-nb",
)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """The installed version of each tracked package (a fresh dict each call)."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> tuple[tuple[str, str], ...]:
    # once per process: reading the installed packages' metadata takes about 25 ms, and a
    # warm kernel asks twice per fact sheet; a process keeps the modules it imported anyway
    found = []
    for name in TRACKED_PACKAGES:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "not installed"))
    return tuple(found)


def dump_yaml(data: dict, path: Path) -> None:
    """Deterministic YAML: keys in insertion order, unicode kept, no timestamps."""
    Path(path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


# Published floats carry this many significant digits: far finer than anything the book
# prints, far coarser than the last-digit noise of another CPU or BLAS kernel (seen:
# -8.443968076191599 on one machine, -8.443968076191588 on another), so that processed
# files are byte-identical across machines.
SIGNIFICANT_DIGITS = 8


def at_stated_precision(value: object) -> object:
    """A float rounded to SIGNIFICANT_DIGITS significant digits; anything else unchanged."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    return value


def safe_text(value: object, where: str = "") -> object:
    """A text cell made safe to open in a spreadsheet; anything else unchanged.

    Text beginning with '=', '+', '-', '@', tab or carriage return is run as a formula by
    spreadsheets (OWASP "CSV injection"): it gets a leading single quote, which spreadsheets
    show as plain text. A number (a float, or text that is a plain number like '-8.4') stays
    as it is. Refused: a NUL byte (no reader expects one in a published file) and a carriage
    return not followed by a line feed (the CSV writer would not quote it, and readers would
    end the row there)."""
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        raise ValueError(f"{where}: a NUL byte in the text cell {value!r}; expected text without it")
    if "\r" in value.replace("\r\n", ""):
        raise ValueError(f"{where}: a carriage return alone in the text cell {value!r}; expected '\\n' line breaks")
    return "'" + value if looks_like_formula(value) else value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic CSV: UTF-8, '\\n' line ends, '.' decimals, index dropped, floats at
    the stated precision (SIGNIFICANT_DIGITS), text cells and column names neutralised
    against spreadsheet formulas (safe_text)."""
    import pandas as pd  # here: the no-op rerun path imports this module without pandas

    frame = frame.copy()
    frame.columns = [safe_text(c, f"{path}, header") for c in frame.columns]
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if series.dtype == object or pd.api.types.is_float_dtype(series):
            series = series.map(at_stated_precision, na_action="ignore")
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            series = series.map(lambda v, c=column: safe_text(v, f"{path}, column '{c}'"), na_action="ignore")
        frame.isetitem(position, series)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def package_sha256() -> str:
    """One SHA-256 over the package's source files (names and contents), in name order.

    Hashed again only when a file's size, date or inode changed since the last call in this
    process: a warm kernel asks twice per fact sheet, and stat-ing the files is 20 times
    cheaper than reading them."""
    from contrat_ville.data.paths import package_sources

    files = package_sources()
    signature = tuple((str(p), s.st_size, s.st_mtime_ns, s.st_ino) for p, s in ((p, p.stat()) for p in files))
    if _package_hash.get("signature") != signature:
        _package_hash.update(signature=signature, digest=_hash_package(files))
    return _package_hash["digest"]


_package_hash: dict[str, object] = {}


def _hash_package(files: list[Path]) -> str:
    from contrat_ville.data.paths import PACKAGE_DIR

    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def block(chapter: Any, notebook_id: str | None = None, shown_on: str | None = None, page: str | None = None) -> HTML:
    """Collapsed block ending every chapter: the executed notebook to download, the parameters,
    the command that reruns the chapter alone, the tables it wrote (with links and SHA-256), the
    raw files it read (with SHA-256 of data and sidecar) and the versions of the code.

    `notebook_id` is the name of the executed copy in the book (book/chapters/<id>.ipynb,
    served as _sources/chapters/<id>.ipynb), by default the notebook's name; `shown_on` is the
    page showing the block (default chapters/<id>), which sets the relative links.

    `page` is the book page of this execution when it is not chapters/<notebook> (a fiche:
    `fiches/fiche-<slug>`, the fiches index: `fiches/index`): the pipeline copies the executed
    notebook next to it (book/<page>.ipynb, served as _sources/<page>.ipynb) and the block is
    shown on it."""
    import html

    from IPython.display import HTML

    from contrat_ville.notebook.chapter import rerun_command
    from contrat_ville.presentation.display import link as _link

    notebook_id = notebook_id or chapter.notebook
    executed = page or f"chapters/{notebook_id}"
    up = "../" * (shown_on or executed).count("/")
    data = f"{up}_static/data/{chapter.year}/"
    esc = html.escape
    params = "".join(
        f"<tr><td><code>{esc(str(k))}</code></td><td><code>{esc(str(v))}</code></td></tr>"
        for k, v in chapter.parameters.items()
    )
    outputs = []
    for name in chapter.outputs:
        path = chapter.output_dir / f"{name}.csv"
        digest = sha256(path) if path.exists() else ""
        outputs.append(
            f"<tr><td>{_link(data + name + '.csv', name + '.csv')}</td><td>{_link(data + name + '.meta.yaml', 'métadonnées')}</td>"
            f"<td><code>{digest}</code></td></tr>"
        )
    inputs = "".join(
        f"<tr><td><code>{esc(v['file'])}</code></td><td><code>{v['sha256']}</code></td><td><code>{v.get('metadata_sha256', '')}</code></td>"
        f"<td>{esc(', '.join(v.get('source_ids', [])))}</td></tr>"
        for v in chapter.inputs.values()
    )
    versions = ", ".join(f"{k} {v}" for k, v in package_versions().items())
    scratch = f"/tmp/{chapter.notebook}-out"
    check = f'for f in {scratch}/*; do cmp "$f" "data/processed/{chapter.year}/${{f##*/}}"; done'
    head = (
        '<tr><th scope="col">{}</th><th scope="col">{}</th></tr>',
        "<tr>" + '<th scope="col">{}</th>' * 3 + "</tr>",
        "<tr>" + '<th scope="col">{}</th>' * 4 + "</tr>",
    )
    parts = [
        '<details class="cv-provenance"><summary>Provenance et reproduction de ce chapitre</summary>',
        f"<p>{_link(f'{up}_sources/{executed}.ipynb', 'Télécharger le carnet exécuté (.ipynb)')} "
        f"— carnet source : <code>notebooks/{esc(chapter.notebook)}.ipynb</code></p>",
        "<p><strong>Paramètres de cette exécution</strong></p>",
        f'<table class="cv-table cv-provenance-table"><thead>{head[0].format("Paramètre", "Valeur")}</thead><tbody>{params}</tbody></table>',
        "<p><strong>Relancer ce chapitre seul</strong>, depuis la racine du projet, puis comparer ses tables à celles publiées "
        "(aucune ligne affichée : fichiers identiques) :</p>",
        f"<pre><code>{esc(rerun_command(chapter))}\n{esc(check)}</code></pre>",
        "<p><strong>Tables produites</strong> (CSV et métadonnées : carnet, paramètres, fichiers lus et leurs empreintes)</p>",
        f'<table class="cv-table cv-provenance-table"><thead>{head[1].format("Table", "Métadonnées", "SHA-256")}</thead><tbody>{"".join(outputs)}</tbody></table>'
        if outputs
        else "<p>Aucune table produite.</p>",
        "<p><strong>Fichiers bruts lus</strong></p>",
        f'<table class="cv-table cv-provenance-table"><thead>{head[2].format("Fichier", "SHA-256 des données", "SHA-256 des métadonnées", "Sources")}</thead>'
        f"<tbody>{inputs}</tbody></table>",
        f"<p><strong>Versions</strong> : {esc(versions)} ; code du paquet (SHA-256) : <code>{package_sha256()}</code></p></details>",
    ]
    return HTML("\n".join(parts))
