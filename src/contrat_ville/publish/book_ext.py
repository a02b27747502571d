"""Sphinx extension of the book (listed under `sphinx: extra_extensions` in book/_config.yml).

- `{catalogue-donnees}` directive: the "Données" page's list of every dataset, raw and
  processed, built from their metadata sidecars (never typed by hand), with download links.
- The raw tables and their sidecars are copied into the site (`_static/data/raw/`) so that
  those links work from any static server.
- The edition switch: `_static/editions.js`, rewritten by the pipeline when it publishes
  the editions side by side (`editions_script`), lists them in the sidebar.
- Formulas: MathJax is served by the book itself (npm package `mathjax`, pinned in
  package-lock.json, copied from node_modules into `_static/mathjax/`); a `mathjax_path`
  naming another host stops the build.
- The annex "Code des calculs" (contrat_ville.publish.code_pages): a page per module written
  from the package's source when Sphinx starts, and every `contrat_ville.…` name of a page
  linked to the section of its function.
- Offline and French pages: the Thebe (live code) scripts, which name a CDN, are dropped
  (launch buttons are off, so they would never run), and the one English label that
  myst-nb hard-codes on the code toggles is removed (the visible French text names it).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import logging
import os
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from contrat_ville.data.files import SAFE_LOADER
from contrat_ville.data.paths import RAW_DIR, ROOT
from contrat_ville.presentation import fmt
from contrat_ville.publish import code_pages, xlsx
from contrat_ville.publish.edition import EDITIONS_JS, editions_script

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

RAW_SITE_DIR = "_static/data/raw"  # where the raw tables are published in the site
PROCESSED_SITE_DIR = "_static/data"  # the pipeline copies data/processed/<year>/ to _static/data/<year>/
META_SUFFIX = ".meta.yaml"
RAW_DIR_ENV = "CONTRAT_VILLE_BOOK_RAW_DIR"  # set by the pipeline: the run's frozen raw files


def book_raw_dir(app: Sphinx) -> Path:
    """The raw folder the book lists and publishes: the run's own (`--raw-dir`, frozen)."""
    return Path(app.config.cv_raw_dir or os.environ.get(RAW_DIR_ENV) or RAW_DIR)


# ---------------------------------------------------------------- dataset metadata


def count_rows(csv_path: Path) -> int:
    """Data rows of a CSV file (header excluded, blank lines ignored)."""
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    return max(len(rows) - 1, 0)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return " ".join(str(value).split())


def raw_datasets(raw_dir: Path) -> list[dict]:
    """One record per raw table of `raw_dir`, from its sidecar; sorted by file name."""
    records = []
    for meta_file in sorted(Path(raw_dir).glob(f"*{META_SUFFIX}")):
        name = meta_file.name[: -len(META_SUFFIX)]
        csv_file = meta_file.with_name(f"{name}.csv")
        if not csv_file.exists():
            continue
        meta = yaml.load(meta_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        records.append(
            {
                "name": name,
                "title": _text(meta.get("title")) or name,
                "description": _text(meta.get("description")),
                "description_fr": _text(meta.get("description_fr")),
                "producer": _text(meta.get("producer")),
                "vintage": _text(meta.get("vintage")),
                "licence": _text(meta.get("licence")),
                "rows": count_rows(csv_file),
                "csv": csv_file.name,
                "meta": meta_file.name,
            }
        )
    return records


def processed_datasets(data_dir: Path) -> list[dict]:
    """One record per processed table of one edition folder (`<year>/`), from its sidecar."""
    data_dir = Path(data_dir)
    records = []
    for meta_file in sorted(data_dir.glob(f"*{META_SUFFIX}")):
        name = meta_file.name[: -len(META_SUFFIX)]
        csv_file = meta_file.with_name(f"{name}.csv")
        if not csv_file.exists():
            continue
        meta = yaml.load(meta_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        inputs = [Path(i.get("file", "")).stem for i in meta.get("inputs", []) if i.get("file")]
        rows = meta.get("rows")
        records.append(
            {
                "name": name,
                "edition": data_dir.name,
                "title": _text(meta.get("title")) or name,
                "description": _text(meta.get("description")),
                "produced_by": _text(meta.get("produced_by")),
                "inputs": inputs,
                "rows": int(rows) if rows is not None else count_rows(csv_file),
                "csv": csv_file.name,
                "meta": meta_file.name,
            }
        )
    return records


def editions(static_data_dir: Path) -> list[str]:
    """The edition folders (years) present under `_static/data/`."""
    folder = Path(static_data_dir)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


# ---------------------------------------------------------------- HTML of the catalogue


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _sort_key(record: dict) -> str:
    """French titles in alphabetical order, accents ignored (É with E)."""
    decomposed = unicodedata.normalize("NFKD", record["title"].casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _count(n: int, noun: str) -> str:
    """`1 table`, `35 tables` (French plural: more than one)."""
    return f"{fmt.number(n)} {noun}{'s' if n > 1 else ''}"


def _download(href: str, label: str, file_name: str) -> str:
    return f'<a class="cv-download" href="{_e(href)}" download="{_e(file_name)}">{_e(label)}</a>'


def _card(anchor: str, title: str, files: str, fields: list[tuple[str, str, bool]]) -> str:
    """One dataset: heading, files line, then its metadata as a definition list.
    `fields` holds (label, HTML value, value is English text)."""
    english_attr = ' lang="en"'
    items = "".join(
        f"<dt>{_e(label)}</dt><dd{english_attr if english else ''}>{value or fmt.MISSING}</dd>"
        for label, value, english in fields
    )
    return (
        f'<article class="cv-dataset" id="{_e(anchor)}" aria-labelledby="{_e(anchor)}-titre">'
        f'<h3 id="{_e(anchor)}-titre">{_e(title)}</h3>'
        f'<p class="cv-dataset-files">{files}</p>'
        f'<dl class="cv-dataset-meta">{items}</dl></article>'
    )


def raw_anchor(name: str) -> str:
    return f"brut-{name}"


def raw_catalogue_html(records: list[dict], prefix: str) -> str:
    """Every raw dataset; `prefix` is the path from the page to the site root."""
    cards = []
    for r in sorted(records, key=_sort_key):
        files = " · ".join(
            [
                f"<code>{_e(r['csv'])}</code>",
                _count(r["rows"], "ligne"),
                _download(f"{prefix}{RAW_SITE_DIR}/{r['csv']}", "télécharger le CSV", r["csv"]),
                _download(f"{prefix}{RAW_SITE_DIR}/{r['meta']}", "les métadonnées (YAML)", r["meta"]),
            ]
        )
        cards.append(
            _card(
                raw_anchor(r["name"]),
                r["title"],
                files,
                [
                    ("Description", _e(r["description_fr"]), False),
                    ("Détail (en anglais)", _e(r["description"]), True),
                    ("Producteur", _e(r["producer"]), True),
                    ("Millésime", _e(r["vintage"]), True),
                    ("Licence", _e(r["licence"]), True),
                ],
            )
        )
    return (
        '<section class="cv-catalogue" aria-labelledby="cv-catalogue-brut">'
        '<h2 id="cv-catalogue-brut">Données brutes</h2>'
        f'<p class="cv-catalogue-count">{_count(len(records), "table")}, par ordre alphabétique de titre.</p>'
        + "".join(cards)
        + '<p class="cv-source">Source : métadonnées des fichiers <code>data/raw/*.meta.yaml</code> ; '
        "nombre de lignes compté dans chaque fichier CSV.</p></section>"
    )


def processed_description_fr(record: dict) -> str:
    """The French sentence of a processed table, from its sidecar (French title, notebook, inputs):
    `Table « Titre » calculée par le carnet portrait.ipynb à partir de 2 tables brutes.`"""
    notebook = Path(record["produced_by"]).name if record.get("produced_by") else ""
    inputs = len(record.get("inputs") or [])
    text = f"Table « {record['title']} » calculée"
    if notebook:
        text += f" par le carnet {notebook}"
    if inputs == 1:
        text += " à partir d'une table brute"
    elif inputs:
        text += f" à partir de {fmt.number(inputs)} tables brutes"
    return text + "."


def processed_catalogue_html(
    records: list[dict], prefix: str, notebooks: dict[str, str], titles: dict[str, str]
) -> str:
    """Every processed dataset of one edition. `notebooks` maps a notebook path
    (`notebooks/portrait.ipynb`) to the site path of its executed copy; `titles` maps a raw
    table name to its French title (inputs link to their raw dataset above)."""
    edition = records[0]["edition"] if records else ""
    cards = []
    for r in sorted(records, key=_sort_key):
        folder = f"{prefix}{PROCESSED_SITE_DIR}/{r['edition']}"
        spreadsheet = r["csv"][: -len(".csv")] + SPREADSHEET_SUFFIX
        workbook = r["csv"][: -len(".csv")] + xlsx.XLSX_SUFFIX
        files = " · ".join(
            [
                f"<code>{_e(r['csv'])}</code>",
                _count(r["rows"], "ligne"),
                _download(f"{folder}/{r['csv']}", "télécharger le CSV", r["csv"]),
                _download(f"{folder}/{spreadsheet}", "version tableur (point-virgule, virgule décimale)", spreadsheet),
                _download(f"{folder}/{workbook}", "classeur Excel (XLSX)", workbook),
                _download(f"{folder}/{r['meta']}", "les métadonnées (YAML)", r["meta"]),
            ]
        )
        notebook = r["produced_by"]
        if notebook in notebooks:
            producer = (
                "Étude, carnet de calcul "
                + _download(f"{prefix}{notebooks[notebook]}", Path(notebook).name, Path(notebook).name)
                + " (exécuté)"
            )
        else:
            producer = f"Étude, carnet de calcul <code>{_e(notebook)}</code>" if notebook else ""
        inputs = ", ".join(
            f'<a href="#{_e(raw_anchor(name))}">{_e(titles[name])}</a>'
            if name in titles
            else f"<code>{_e(name)}</code>"
            for name in r["inputs"]
        )
        cards.append(
            _card(
                f"calcul-{r['edition']}-{r['name']}",
                r["title"],
                files,
                [
                    ("Description", _e(processed_description_fr(r)), False),
                    ("Détail (en anglais)", _e(r["description"]), True),
                    ("Producteur", producer, False),
                    ("Calculé à partir de", inputs, False),
                    ("Millésime", f"édition {_e(r['edition'])}", False),
                    ("Licence", "celle des données brutes lues", False),
                ],
            )
        )
    return (
        f'<section class="cv-catalogue" aria-labelledby="cv-catalogue-{_e(edition)}">'
        f'<h2 id="cv-catalogue-{_e(edition)}">Données calculées, édition {_e(edition)}</h2>'
        f'<p class="cv-catalogue-count">{_count(len(records), "table")}, par ordre alphabétique de titre. '
        + _download(
            f"{prefix}{PROCESSED_SITE_DIR}/{archive_name(edition)}",
            f"Tout télécharger : archive ZIP de l'édition {edition}",
            archive_name(edition),
        )
        + "</p>"
        + "".join(cards)
        + f'<p class="cv-source">Source : métadonnées des fichiers <code>data/processed/{_e(edition)}/*.meta.yaml</code> '
        "écrites par les carnets de calcul.</p></section>"
    )


class DatasetCatalogue(Directive):
    """`{catalogue-donnees}`: every raw and processed dataset with metadata and downloads."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        app = env.app
        srcdir = Path(env.srcdir)
        raw_dir = book_raw_dir(app)
        prefix = "../" * env.docname.count("/")
        raw = raw_datasets(raw_dir)
        titles = {r["name"]: r["title"] for r in raw}
        notebooks = {}
        for executed in sorted((srcdir / "chapters").glob("*.ipynb")):
            notebooks[f"notebooks/{executed.name}"] = f"_sources/chapters/{executed.name}"
        parts = [raw_catalogue_html(raw, prefix)]
        for edition in editions(srcdir / PROCESSED_SITE_DIR):
            records = processed_datasets(srcdir / PROCESSED_SITE_DIR / edition)
            if records:
                parts.append(processed_catalogue_html(records, prefix, notebooks, titles))
        for path in [*raw_dir.glob("*"), *(srcdir / PROCESSED_SITE_DIR).rglob("*")]:
            env.note_dependency(str(path))
        return [nodes.raw("", "\n".join(parts), format="html")]


# ---------------------------------------------------------------- French typography

NBSP, NARROW_NBSP = "\u00a0", "\u202f"
_FRENCH_SPACES = [
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
    (re.compile(r" (?=:(?:\s|$))"), NBSP),  # "Source : INSEE" (not "http://", not "a:b")
    (re.compile(r" (?=[;!?](?:\s|$|[)»]))"), NARROW_NBSP),
    # after a digit, or at the start of a text that follows a pasted value ({glue:text}`x` %)
    (re.compile(r"(?:(?<=\d)|^) (?=(?:%|k?€)(?:\W|$))"), NARROW_NBSP),
    # an elided article just before inline markup (l'**écart**, d'« ex-ZUS »): smart quotes take
    # its apostrophe, last character of its text node, for a closing quote (”)
    (re.compile(r"(?<![\w’'])([lLdDjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)”"), r"\1’"),
]
_NO_TYPOGRAPHY_TAGS = {"code", "pre", "script", "style", "kbd", "samp", "textarea"}
_TAG = re.compile(r"(<[^>]*>)")


def french_spacing(text: str) -> str:
    """No-break spaces where French typography wants them (inside « », before : ; ! ? %),
    so that a line never starts with a colon or a closing guillemet; the apostrophe of an elided
    article that smart quotes turned into a closing quote (`l”`) back to `’`."""
    for pattern, replacement in _FRENCH_SPACES:
        text = pattern.sub(replacement, text)
    return text


def french_spacing_html(markup: str) -> str:
    """`french_spacing` on the text of an HTML fragment: tags, attributes and the content of
    code, pre, script and style elements are left as they are."""
    out, skipping = [], 0
    for piece in _TAG.split(markup):
        if piece.startswith("<") and piece.endswith(">"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            if name and name.group(1).lower() in _NO_TYPOGRAPHY_TAGS and not piece.endswith("/>"):
                skipping += -1 if piece.startswith("</") else 1
                skipping = max(skipping, 0)
            out.append(piece)
        else:
            out.append(piece if skipping else french_spacing(piece))
    return "".join(out)


def apply_french_typography(document: nodes.document) -> None:
    """`french_spacing` on the prose of a doctree and on its raw HTML (notebook outputs);
    code, literal blocks and math are left as they are."""
    skipped = (nodes.literal, nodes.literal_block, nodes.math, nodes.math_block, nodes.comment, nodes.doctest_block)
    for raw in list(document.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and raw.children:
            spaced = french_spacing_html(raw.astext())
            if spaced != raw.astext():
                raw.children[0] = nodes.Text(spaced)
    for text in list(document.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, nodes.raw):
            continue
        ancestor = parent
        while ancestor is not None and not (isinstance(ancestor, skipped) or ancestor.get("language")):
            ancestor = ancestor.parent
        if ancestor is not None:
            continue
        spaced = french_spacing(str(text))
        if spaced != str(text):
            parent.replace(text, nodes.Text(spaced))


class FrenchTypography(SphinxTransform):
    """French no-break spaces, applied when a document is read: before Sphinx collects its
    titles (priority 880, doctree-read), so the sidebar and previous/next links get them too."""

    default_priority = 870

    def apply(self, **kwargs: object) -> None:
        if (self.config.language or "").startswith("fr"):
            apply_french_typography(self.document)


class FrenchTypographyLate(SphinxPostTransform):
    """The same once values glued from other notebooks have been pasted in."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: object) -> None:
        if (self.config.language or "").startswith("fr"):
            apply_french_typography(self.document)


# ---------------------------------------------------------------- site clean-up


_PLAIN_NUMBER = re.compile(r"^-?\d+\.\d+$")
SPREADSHEET_SUFFIX = ".tableur.csv"  # semicolon, decimal comma, UTF-8 with BOM: opens as columns in French Excel


def spreadsheet_csv(text: str) -> str:
    """A CSV for French spreadsheet software: `;` separator, decimal comma in plain numbers
    (`41.4` -> `41,4`; identifiers, years and text untouched), to be written with a BOM."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell.replace(".", ",") if _PLAIN_NUMBER.match(cell) else cell for cell in row])
    return out.getvalue()


def archive_name(edition: str) -> str:
    return f"donnees-{edition}.zip"


def _download_key(csv_file: Path, titles_digest: str) -> str:
    """What a CSV's two derived downloads are made of: its bytes, its sidecar's, the raw titles."""
    meta_file = csv_file.with_name(csv_file.name[: -len(".csv")] + ".meta.yaml")
    digest = hashlib.sha256(csv_file.read_bytes())
    digest.update(meta_file.read_bytes() if meta_file.exists() else b"")
    digest.update(titles_digest.encode())
    return digest.hexdigest()


def write_edition_downloads(
    edition_dir: Path, raw_dir: Path | None = None, keys_file: Path | None = None
) -> list[Path]:
    """Next to each processed CSV of one edition folder of the site, its spreadsheet variant and
    its XLSX copy (French headers, from the raw sidecars of `raw_dir` too); beside the folder, one
    zip of every file of the edition (fixed dates: same data, same bytes).

    `keys_file` (a kept build's, outside the site): what each CSV's downloads were made from;
    a CSV whose key is unchanged keeps the downloads already there (same inputs, same bytes)."""
    edition_dir = Path(edition_dir)
    written = []
    titles = xlsx.raw_field_titles(raw_dir) if raw_dir else {}
    titles_digest = hashlib.sha256(json.dumps(titles, sort_keys=True).encode()).hexdigest()
    known = json.loads(keys_file.read_text(encoding="utf-8")) if keys_file and keys_file.is_file() else {}
    keys = {}
    for csv_file in sorted(edition_dir.glob("*.csv")):
        if csv_file.name.endswith(SPREADSHEET_SUFFIX):
            continue
        target = csv_file.with_name(csv_file.name[: -len(".csv")] + SPREADSHEET_SUFFIX)
        workbook = csv_file.with_name(csv_file.name[: -len(".csv")] + xlsx.XLSX_SUFFIX)
        keys[csv_file.name] = _download_key(csv_file, titles_digest)
        if not (known.get(csv_file.name) == keys[csv_file.name] and target.is_file() and workbook.is_file()):
            target.write_text(spreadsheet_csv(csv_file.read_text(encoding="utf-8")), encoding="utf-8-sig", newline="")
            xlsx.write_xlsx(csv_file, workbook, titles)
        written += [target, workbook]
    if keys_file is not None:
        keys_file.parent.mkdir(parents=True, exist_ok=True)
        keys_file.write_text(json.dumps(keys, sort_keys=True, indent=0), encoding="utf-8")
    archive = edition_dir.parent / archive_name(edition_dir.name)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(p for p in edition_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(
                f"{edition_dir.name}/{path.relative_to(edition_dir).as_posix()}", (1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, path.read_bytes())
    written.append(archive)
    return written


def copy_raw_data(raw_dir: Path, outdir: Path) -> list[Path]:
    """Copy every raw CSV and its sidecar into `<outdir>/_static/data/raw/`."""
    target = Path(outdir) / RAW_SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for record in raw_datasets(raw_dir):
        for name in (record["csv"], record["meta"]):
            shutil.copy2(Path(raw_dir) / name, target / name)
            copied.append(target / name)
    return copied


_THEBE_CONFIG = re.compile(r'\s*<script type="text/x-thebe-config">.*?</script>', re.S)
_ENGLISH_TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'


def clean_body(body: str) -> str:
    """Page body without the inert Thebe configuration and the English toggle label."""
    return _THEBE_CONFIG.sub("", body).replace(_ENGLISH_TOGGLE_LABEL, "<summary>")


CODE_SWITCH = (
    '<p class="cv-code-switch"><input type="checkbox" id="cv-show-code"> '
    '<label for="cv-show-code">Afficher le code des calculs de ce chapitre</label></p>'
)


def add_code_switch(body: str) -> str:
    """One control per chapter for its code (readers.css hides every code cell until it is
    checked; CSS only, no script): inserted after the page title of a page with code cells."""
    if "tag_hide-input" not in body or 'id="cv-show-code"' in body:
        return body
    end = body.find("</h1>")
    if end < 0:
        return CODE_SWITCH + body
    end += len("</h1>")
    return body[:end] + CODE_SWITCH + body[end:]


def _is_thebe(asset) -> bool:
    filename = getattr(asset, "filename", None) or str(asset)
    body = (getattr(asset, "attributes", None) or {}).get("body", "")
    return "thebe" in (filename or "").lower() or "THEBE_JS_URL" in body


def _write_code_pages(app, config):
    code_pages.write_pages(Path(app.srcdir))


def _page_context(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = add_code_switch(clean_body(context["body"]))
        if not pagename.startswith(f"{code_pages.CODE_DIR}/"):  # a code page would link to itself
            if not hasattr(app, "_cv_code_targets"):
                app._cv_code_targets = code_pages.targets()
            prefix = "../" * pagename.count("/")
            context["body"] = code_pages.link_names(context["body"], app._cv_code_targets, prefix)
    launch = (app.config.html_theme_options or {}).get("launch_buttons", {}) or {}
    if not launch.get("thebe"):
        for key in ("script_files", "css_files"):
            if key in context:
                context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def label_toctree_toggles(toctree: object) -> object:
    """Name the sidebar's expand/collapse toggles (axe-core rule summary-name): the theme's
    `<summary>` holds only a decorative chevron, so screen readers announce nothing. Each gets an
    aria-label naming the page whose sub-pages it shows. `toctree` is what the theme's
    `generate_toctree_html` returns (a BeautifulSoup tree, or a string left as it is)."""
    if not hasattr(toctree, "find_all"):
        return toctree
    for summary in toctree.find_all("summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        item = summary.find_parent("li")
        link = item.find("a") if item is not None else None
        name = " ".join(link.get_text(" ", strip=True).split()) if link is not None else ""
        summary["aria-label"] = (
            f"Afficher ou masquer les pages de la section «{NBSP}{name}{NBSP}»"
            if name
            else "Afficher ou masquer les pages de la section"
        )
    return toctree


def _label_sidebar_toggles(app, pagename, templatename, context, doctree):
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "_cv_labelled", False):
        return

    def labelled(*args, **kwargs):
        return label_toctree_toggles(generate(*args, **kwargs))

    labelled._cv_labelled = True
    context["generate_toctree_html"] = labelled


# ---------------------------------------------------------------- MathJax, from the book itself

MATHJAX_PACKAGE = ROOT / "node_modules" / "mathjax" / "es5"  # `make env` installs it (npm ci)
MATHJAX_SITE_DIR = "_static/mathjax"
# the TeX input with every extension built in (nothing loaded on demand) and its fonts, which
# MathJax fetches relative to the script ([mathjax]/output/chtml/fonts/woff-v2)
MATHJAX_SCRIPT = "tex-chtml-full.js"
MATHJAX_FONTS = "output/chtml/fonts/woff-v2"


def check_mathjax_path(app: Sphinx, config: Config) -> None:
    """The book loads nothing from another host: `mathjax_path` must be the local copy."""
    path = str(config.mathjax_path or "")
    if "//" in path or path != f"mathjax/{MATHJAX_SCRIPT}":
        raise ExtensionError(
            f"book/_config.yml: mathjax_path is {path!r}; expected 'mathjax/{MATHJAX_SCRIPT}', the copy of "
            "the npm package mathjax served from _static (the book must not load anything from a CDN)"
        )


def copy_mathjax(outdir: Path, package: Path = MATHJAX_PACKAGE) -> list[Path]:
    """Copy MathJax's script and fonts from node_modules into `<outdir>/_static/mathjax/`."""
    script = Path(package) / MATHJAX_SCRIPT
    if not script.is_file():
        raise ExtensionError(f"{script} is missing: run `make env` (npm ci installs the mathjax package)")
    target = Path(outdir) / MATHJAX_SITE_DIR
    copied = [target / MATHJAX_SCRIPT]
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(script, copied[0])
    for font in sorted((Path(package) / MATHJAX_FONTS).glob("*.woff")):
        (target / MATHJAX_FONTS).mkdir(parents=True, exist_ok=True)
        copied.append(target / MATHJAX_FONTS / font.name)
        shutil.copy2(font, copied[-1])
    return copied


def _build_finished(app, exception):
    if exception is None and app.builder.format == "html":
        copy_raw_data(book_raw_dir(app), Path(app.outdir))
        copy_mathjax(Path(app.outdir))
        # a single edition until the pipeline publishes several (it rewrites this file)
        (Path(app.outdir) / "_static" / EDITIONS_JS).write_text(editions_script(None, {}, None), encoding="utf-8")
        for edition in editions(Path(app.outdir) / PROCESSED_SITE_DIR):
            # the keys live with the environment (kept between builds, never published)
            keys_file = Path(app.doctreedir) / f"cv-downloads-{edition}.json"
            write_edition_downloads(Path(app.outdir) / PROCESSED_SITE_DIR / edition, book_raw_dir(app), keys_file)


def _note_glue_sources(app: Sphinx, doctree: nodes.document) -> None:
    """A page showing values glued in another notebook (`{glue:text}`chapters/x.ipynb::key``)
    depends on that notebook: myst-nb resolves such references only when writing and records
    no dependency, so an incremental build would otherwise keep the page's old values."""
    from myst_nb.ext.glue.utils import PendingGlueReference

    env = app.env
    for node in doctree.findall(PendingGlueReference):
        if node.refdoc != env.docname:
            env.note_dependency(env.doc2path(node.refdoc))


# ---------------------------------------------------------------- kept (incremental) builds
# The pipeline keeps the Sphinx environment and output between runs (run.pipeline.build_book_kept);
# a kept build must write the pages a clean build writes, byte for byte.


def _files_written_after_pages(outdir: Path) -> list[Path]:
    """Linked assets that a build writes at its end (build-finished: ours and myst-nb's CSS)."""
    static = Path(outdir) / "_static"
    return [static / EDITIONS_JS, Path(outdir) / MATHJAX_SITE_DIR, *sorted(static.glob("mystnb.*.css"))]


def _clear_late_assets(app: Sphinx) -> None:
    """Sphinx adds `?v=<checksum>` to a linked CSS or script file that is in the output folder
    when it writes a page. A clean build writes these after its pages (so links have none);
    the previous build's copies, left in a kept output folder, would add one to every page it
    writes again. Removing them first gives a kept build the clean build's links."""
    if app.builder.format != "html":
        return
    for path in _files_written_after_pages(Path(app.outdir)):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


class _Warned(logging.Handler):
    """Notes whether a warning was logged while it was attached."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        self.warned = True


def memoise_highlighting(highlighter: object) -> None:
    """Give `highlighter` (Sphinx's PygmentsBridge) a memory of the blocks it coloured: every
    fiche shows the same code cells, which Pygments coloured once per fiche (a third of a
    fiche's write time). Same block and options, same HTML. A block whose colouring logged a
    warning is not remembered, so that each of its occurrences warns, with its own location."""
    original = highlighter.highlight_block
    seen: dict[tuple, str] = {}
    sphinx_log = logging.getLogger("sphinx")  # where every Sphinx logger's records go

    def highlight_block(source, lang, opts=None, force=False, location=None, **kwargs):
        key = (source, lang, repr(sorted((opts or {}).items())), force, repr(sorted(kwargs.items())))
        if key in seen:
            return seen[key]
        watch = _Warned()
        sphinx_log.addHandler(watch)
        try:
            result = original(source, lang, opts=opts, force=force, location=location, **kwargs)
        finally:
            sphinx_log.removeHandler(watch)
        if not watch.warned:
            seen[key] = result
        return result

    highlighter.highlight_block = highlight_block


# Extensions that Jupyter Book loads, that keep no state of their own between pages, but that
# do not say so: Sphinx would then read serially and warn (an error here, warnings are errors).
UNDECLARED_PARALLEL_SAFE = {
    # replaces TocTreeCollector.assign_section_numbers, which runs in the main process after reading
    "sphinx_multitoc_numbering",
    # its transforms change the page being read only; its environment flags are set for LaTeX
    "sphinx_jupyterbook_latex",
}


def _declare_parallel_safe(app: Sphinx) -> None:
    for name in UNDECLARED_PARALLEL_SAFE:
        if name in app.extensions:
            app.extensions[name].parallel_read_safe = True
            app.extensions[name].parallel_write_safe = True


def _memoise_highlighting(app: Sphinx) -> None:
    if getattr(app.builder, "highlighter", None) is not None:
        memoise_highlighting(app.builder.highlighter)


def drop_emptied_search_terms(builder: object) -> None:
    """Make `builder` leave out of its search index the words no page holds any more. Sphinx 7.4
    reloads the previous searchindex.js and takes the pages it writes again out of each word's
    pages (`IndexBuilder.prune`), but keeps a word left with no page, written as `[]`: an
    incremental build where a word disappears (a run from another raw folder, whose path the
    parameters cell shows) was not the clean build's bytes."""
    load_indexer = builder.load_indexer

    def load_and_drop(docnames: object) -> None:
        load_indexer(docnames)
        for words in (builder.indexer._mapping, builder.indexer._title_mapping):
            for word in [word for word, pages in words.items() if not pages]:
                del words[word]

    builder.load_indexer = load_and_drop


def _drop_emptied_search_terms(app: Sphinx) -> None:
    if getattr(app.builder, "search", False) and hasattr(app.builder, "load_indexer"):
        drop_emptied_search_terms(app.builder)


def _index_docs(env) -> set[str]:
    """The pages with index entries (the glossary's terms), kept in the pickled environment."""
    if not hasattr(env, "cv_index_docs"):
        env.cv_index_docs = set()
    return env.cv_index_docs


def _note_index_entries(app: Sphinx, doctree: nodes.document) -> None:
    from sphinx import addnodes

    docs = _index_docs(app.env)
    docs.discard(app.env.docname)
    if next(iter(doctree.findall(addnodes.index)), None) is not None:
        docs.add(app.env.docname)


def _purge_index_entries(app: Sphinx, env, docname: str) -> None:
    _index_docs(env).discard(docname)


def _merge_index_entries(app: Sphinx, env, docnames, other) -> None:
    _index_docs(env).update(_index_docs(other) & set(docnames))


def _rewrite_pages_with_index_entries(app: Sphinx, env) -> list[str]:
    """Pages to write again in every build: Sphinx 7.4 reloads the search index of the pages it
    does not write from the previous searchindex.js, except its index entries (`indexentries`,
    the glossary's terms), which only a page's writing feeds; an unchanged glossary would
    otherwise drop out of the index of a kept build."""
    return sorted(_index_docs(env))


def setup(app: Sphinx) -> dict:
    app.add_config_value("cv_raw_dir", None, "env")
    app.connect("config-inited", check_mathjax_path)
    app.connect("doctree-read", _note_glue_sources)
    # before sphinx-external-toc reads the table of contents (priority 900), which globs code/
    app.connect("config-inited", _write_code_pages, priority=400)
    app.add_js_file(EDITIONS_JS)
    app.add_directive("catalogue-donnees", DatasetCatalogue)
    app.add_transform(FrenchTypography)
    app.add_post_transform(FrenchTypographyLate)
    app.connect("html-page-context", _page_context)
    # after the theme's handler (priority 500) that puts generate_toctree_html in the context
    app.connect("html-page-context", _label_sidebar_toggles, priority=600)
    app.connect("build-finished", _build_finished)
    app.connect("builder-inited", _clear_late_assets)
    app.connect("builder-inited", _memoise_highlighting)
    app.connect("builder-inited", _drop_emptied_search_terms)
    app.connect("builder-inited", _declare_parallel_safe)
    app.connect("doctree-read", _note_index_entries)
    app.connect("env-purge-doc", _purge_index_entries)
    app.connect("env-merge-info", _merge_index_entries)
    app.connect("env-get-updated", _rewrite_pages_with_index_entries)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
