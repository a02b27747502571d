"""The annex "Code des calculs": one page per module that the notebooks compute with, generated
at each build from the package's source, with one section (and anchor) per top-level function
or class; and the links that turn every `contrat_ville.module.function` named in a page (the
"calcul : …" of source lines) into a link to that section.

Pages are written into the book's source folder when Sphinx starts (`write_pages`, called by
contrat_ville.publish.book_ext on config-inited, before the table of contents is read); the
links are added to each page's HTML body (`link_names`)."""

from __future__ import annotations

import ast
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

from contrat_ville.data.paths import PACKAGE_DIR, ROOT

CODE_DIR = "code"  # folder of the annex pages in the book
INDEX = "index"
# the layers a notebook computes with; run/ and publish/ build the site and are not cited
DOCUMENTED = ("data", "evaluation", "presentation", "notebook")
NAME = re.compile(r"\bcontrat_ville(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


@dataclass(frozen=True)
class Definition:
    name: str
    kind: str  # "fonction" or "classe"
    first_line: int
    last_line: int
    source: str


def modules(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Documented module names ('contrat_ville.evaluation.trends') and their files, sorted."""
    found = {}
    for layer in DOCUMENTED:
        for path in sorted((package_dir / layer).glob("*.py")):
            if path.name != "__init__.py":
                found[f"contrat_ville.{layer}.{path.stem}"] = path
    return found


@functools.lru_cache(maxsize=256)
def _tree(text: str) -> ast.Module:
    # a build parses each module three times (its page's docstring and sections, the links)
    return ast.parse(text)


def definitions(path: Path) -> list[Definition]:
    """Top-level functions and classes of a module, in file order, decorators included."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in _tree(text).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            kind = "classe" if isinstance(node, ast.ClassDef) else "fonction"
            found.append(
                Definition(node.name, kind, first, node.end_lineno, "\n".join(lines[first - 1 : node.end_lineno]))
            )
    return found


def anchor(module: str, name: str) -> str:
    """The id of a function's or class's section: its full dotted name, unique and case-sensitive
    (section ids made from titles are not: class `Verdict` and function `verdict`)."""
    return f"{module}.{name}"


def page_name(module: str) -> str:
    return f"{CODE_DIR}/{module}"


def module_page(module: str, path: Path) -> str:
    """MyST source of one module's page: a section per function or class, its exact source."""
    relative = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    docstring = ast.get_docstring(_tree(path.read_text(encoding="utf-8"))) or ""
    parts = [
        f"# {module}",
        "",
        f"Code source du module `{module}` (fichier `{relative}`), tel que l'édition l'a exécuté : une section "
        "par fonction ou classe, avec les lignes du fichier qu'elle occupe.",
        "",
    ]
    if docstring:
        parts += ["```{code-block} text", ":class: cv-docstring", "", docstring, "```", ""]
    for definition in definitions(path):
        parts += [
            f'<div class="cv-code-anchor" id="{anchor(module, definition.name)}"></div>',
            "",
            f"## `{definition.name}`",
            "",
            f"{definition.kind.capitalize()} `{module}.{definition.name}`, lignes {definition.first_line} "
            f"à {definition.last_line} de `{relative}`.",
            "",
            "````{code-block} python",
            f":lineno-start: {definition.first_line}",
            "",
            definition.source,
            "````",
            "",
        ]
    return "\n".join(parts)


def index_page(names: list[str]) -> str:
    lines = [
        "# Code des calculs",
        "",
        "Chaque « calcul : contrat_ville.… » cité sous un tableau ou un graphique renvoie ici, à la fonction "
        "qui l'a produit. Ces pages sont générées à chaque construction du livre à partir du code exécuté "
        "par les carnets : elles ne peuvent pas différer de lui.",
        "",
    ]
    lines += [f"- {{doc}}`{module} <{module}>`" for module in names]
    return "\n".join(lines) + "\n"


def write_pages(srcdir: Path, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Write `code/index.md` and one `code/<module>.md` per documented module into `srcdir`
    (a page of a module that no longer exists is removed)."""
    folder = Path(srcdir) / CODE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    found = modules(package_dir)
    written = []
    for stale in folder.glob("contrat_ville.*.md"):
        if stale.stem not in found:
            stale.unlink()
    for module, path in found.items():
        target = folder / f"{module}.md"
        text = module_page(module, path)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")  # unchanged pages keep their date: no rebuild
        written.append(target)
    index = folder / f"{INDEX}.md"
    text = index_page(list(found))
    if not index.exists() or index.read_text(encoding="utf-8") != text:
        index.write_text(text, encoding="utf-8")
    return [index, *written]


def targets(package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """Every linkable name -> its page and anchor, relative to the site root:
    'contrat_ville.evaluation.trends.fit_series' ->
    'code/contrat_ville.evaluation.trends.html#contrat_ville.evaluation.trends.fit_series'."""
    found = {}
    for module, path in modules(package_dir).items():
        page = f"{page_name(module)}.html"
        found[module] = page
        for definition in definitions(path):
            found[f"{module}.{definition.name}"] = f"{page}#{anchor(module, definition.name)}"
    return found


_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)\s*([a-zA-Z0-9]+)")
_NO_LINK_TAGS = {"a", "pre", "script", "style", "textarea", "title", "head", "summary"}


def link_names(body: str, links: dict[str, str], prefix: str) -> str:
    """Every `contrat_ville.…` name of the page's text that names a documented module or
    function becomes a link to its source (`prefix`: from the page to the site root). Text in
    links, code blocks, scripts and summaries is left as it is; attributes are never touched."""
    if "contrat_ville." not in body:  # most pages: nothing to link (NAME needs this text)
        return body
    out, skip = [], []
    for piece in _TAG.split(body):
        if piece.startswith("<") and piece.endswith(">"):
            match = _TAG_NAME.match(piece)
            if match and match.group(2).lower() in _NO_LINK_TAGS and not piece.endswith("/>"):
                if match.group(1):
                    if skip and skip[-1] == match.group(2).lower():
                        skip.pop()
                else:
                    skip.append(match.group(2).lower())
            out.append(piece)
        elif skip or "contrat_ville." not in piece:
            out.append(piece)
        else:
            out.append(NAME.sub(lambda m: _link(m.group(), links, prefix), piece))
    return "".join(out)


def _link(name: str, links: dict[str, str], prefix: str) -> str:
    # `module.function`, or a trailing attribute of it: link the longest documented prefix
    parts = name.split(".")
    for end in range(len(parts), 1, -1):
        candidate = ".".join(parts[:end])
        if candidate in links:
            rest = name[len(candidate) :]
            href = html.escape(prefix + links[candidate], quote=True)
            return f'<a class="cv-code-link" href="{href}">{candidate}</a>{rest}'
    return name
