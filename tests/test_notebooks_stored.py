"""Every notebook is stored clean (no outputs, no execution counts), starts with its papermill
parameters and hides its code behind the reader's toggle."""

from __future__ import annotations

import ast
import json
import re

import pytest

from contrat_ville.data.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def test_every_notebook_is_checked():
    assert len(NOTEBOOKS) >= 17


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_stored_clean(name):
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"]["tags"]
    assert all("hide-input" in c["metadata"].get("tags", []) for c in code)


# --- cells a reviewer can follow -------------------------------------------------------------

LINE_LIMIT = 120


def code_cells(name: str) -> list[str]:
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_lines_fit_on_a_screen(name):
    """A reviewer reads every line of a cell without scrolling sideways."""
    long = [
        (i, line) for i, cell in enumerate(code_cells(name), 1) for line in cell.splitlines() if len(line) > LINE_LIMIT
    ]
    assert not long, f"code cells {[i for i, _ in long]} have lines over {LINE_LIMIT} characters: {long[0][1]!r}"


FIGURE_ID = re.compile(r"\bkf-\d+")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_figure_id_is_typed_in_code(name):
    """Figure ids come from the catalogue's columns or from notebooks/<name>.figures.yaml
    (Chapter.figure_ids), never from a literal in a code cell, comments included."""
    typed = sorted({m for cell in code_cells(name) for m in FIGURE_ID.findall(cell)})
    assert not typed, f"notebooks/{name}.ipynb types figure ids {typed}"


def typed_line_lists(cell: str) -> list[str]:
    """Lists, tuples and sets of integers passed as report lines (`lines=[763, 778]`)."""
    found = []
    for node in ast.walk(ast.parse(cell)):
        if isinstance(node, ast.keyword) and node.arg in {"lines", "line", "report_line", "report_lines"}:
            value = node.value
            if isinstance(value, ast.Constant) or (
                isinstance(value, (ast.List, ast.Tuple, ast.Set))
                and any(isinstance(e, ast.Constant) for e in value.elts)
            ):
                found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_report_line_is_typed_in_code(name):
    """Report lines cited under a table come from the rows shown (their report_line) or the sidecar."""
    typed = [t for cell in code_cells(name) for t in typed_line_lists(cell)]
    assert not typed, f"notebooks/{name}.ipynb types report lines: {typed}"


def test_the_line_list_check_sees_typed_lines():
    assert typed_line_lists('source("t", lines=[341], computed=True)') == ["lines=[341]"]
    assert typed_line_lists('source("t", lines=rows["report_line"].tolist())') == []


@pytest.mark.parametrize("name", sorted(p.name[: -len(".figures.yaml")] for p in NOTEBOOKS_DIR.glob("*.figures.yaml")))
def test_declared_figure_ids_exist_and_are_used(name):
    """Every role of notebooks/<name>.figures.yaml names rows of key_figures.csv and is read by the notebook."""
    import yaml

    from contrat_ville.data import raw
    from contrat_ville.data.paths import RAW_DIR

    known = set(raw.load("key_figures", RAW_DIR)["figure_id"])
    declared = yaml.safe_load((NOTEBOOKS_DIR / f"{name}.figures.yaml").read_text(encoding="utf-8"))
    code = "\n".join(code_cells(name))
    assert "chapter.figure_ids()" in code
    for role, ids in declared.items():
        assert set(ids if isinstance(ids, list) else [ids]) <= known, role
        assert re.search(rf"kf\[[\"']{role}[\"']\]", code), f"role {role!r} is never read by notebooks/{name}.ipynb"
