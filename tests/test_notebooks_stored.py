"""Every notebook is stored clean (no outputs, no execution counts), starts with its papermill
parameters and hides its code behind the reader's toggle."""

from __future__ import annotations

import json

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
# Owned by another developer this session; what they still need is in the lead's notes.
NOT_CONVERTED = {"tableau_de_bord", "perspectives"}


def code_cells(name: str) -> list[str]:
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_lines_fit_on_a_screen(name):
    """A reviewer reads every line of a cell without scrolling sideways."""
    long = [
        (i, line) for i, cell in enumerate(code_cells(name), 1) for line in cell.splitlines() if len(line) > LINE_LIMIT
    ]
    if name in NOT_CONVERTED:
        pytest.skip(f"{len(long)} lines over {LINE_LIMIT} characters, notebook not converted yet")
    assert not long, f"code cells {[i for i, _ in long]} have lines over {LINE_LIMIT} characters: {long[0][1]!r}"
