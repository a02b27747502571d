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
