"""Each notebook's outputs are declared beside it, in notebooks/<notebook>.outputs.yaml (title,
description, one description per column), and read by `Chapter.save`; notebook code carries no
titles or column descriptions. These tests tie the declarations to the notebooks' code and to
the tables the pipeline last published (data/processed/, checked against the pipeline elsewhere)."""

from __future__ import annotations

import ast
import json
import re

import pandas as pd
import pytest
import yaml

from contrat_ville.data.paths import NOTEBOOKS_DIR, PROCESSED_DIR
from contrat_ville.notebook import chapter as chapter_module
from contrat_ville.notebook.chapter import Chapter, declared_output, describe_columns, read_outputs

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def save_calls(notebook: str) -> list[ast.Call]:
    """Every `<chapter>.save(...)` call of the notebook's code cells."""
    nb = json.loads((NOTEBOOKS_DIR / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    calls = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            tree = ast.parse("".join(cell["source"]))
            calls += [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "save"
            ]
    return calls


def saved_entries(notebook: str) -> list[str]:
    """The output names the notebook saves (a literal string: the entry of its declaration)."""
    names = []
    for call in save_calls(notebook):
        name = call.args[1]
        assert isinstance(name, ast.Constant) and isinstance(name.value, str), (
            f"notebooks/{notebook}.ipynb line {call.lineno}: the output name must be a literal string "
            "(an entry of its .outputs.yaml; a per-run part is a {placeholder} filled by chapter.save)"
        )
        names.append(name.value)
    return names


DECLARED = [n for n in NOTEBOOKS if save_calls(n)]


def test_the_notebooks_that_save_are_checked():
    assert len(DECLARED) >= 17
    assert {"tableau_de_bord", "perspectives"} <= set(DECLARED)


@pytest.mark.parametrize("notebook", DECLARED)
def test_save_calls_carry_no_metadata(notebook):
    for call in save_calls(notebook):
        keywords = {k.arg for k in call.keywords}
        assert len(call.args) == 2 and not keywords & {"title", "description", "columns"}, (
            f"notebooks/{notebook}.ipynb line {call.lineno}: title, description and columns belong in "
            f"notebooks/{notebook}.outputs.yaml"
        )


@pytest.mark.parametrize("notebook", DECLARED)
def test_every_output_is_declared_and_every_declaration_saved(notebook):
    declared = read_outputs(notebook)
    saved = saved_entries(notebook)
    assert len(saved) == len(set(saved)), "one save call per output"
    assert set(saved) - set(declared) == set(), f"saved but not declared in {notebook}.outputs.yaml"
    assert set(declared) - set(saved) == set(), f"declared in {notebook}.outputs.yaml but never saved"


def test_no_declaration_file_without_its_notebook():
    for path in NOTEBOOKS_DIR.glob("*.outputs.yaml"):
        assert path.name[: -len(".outputs.yaml")] in DECLARED, path


def published_outputs() -> list[tuple[str, str, dict]]:
    """(notebook, output name, metadata) of every table of the committed editions."""
    found = []
    for meta_path in sorted(PROCESSED_DIR.glob("*/**/*.meta.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        notebook = meta["produced_by"].removeprefix("notebooks/").removesuffix(".ipynb")
        edition_dir = next(p for p in meta_path.parents if p.parent == PROCESSED_DIR)
        name = str(meta_path.relative_to(edition_dir))[: -len(".meta.yaml")]
        found.append((notebook, name, meta))
    return found


def entry_of(notebook: str, name: str) -> str:
    """The declared entry a published file name comes from (`fiches/{slug}` for `fiches/73065`)."""
    for entry in read_outputs(notebook):
        if re.fullmatch(re.sub(r"\\\{\w+\\\}", ".+", re.escape(entry)), name):
            return entry
    raise AssertionError(f"{name} has no entry in {notebook}.outputs.yaml")


PUBLISHED = published_outputs()


def test_every_published_table_is_checked():
    assert len(PUBLISHED) >= 50
    assert {n for n, _, _ in PUBLISHED} == set(DECLARED)


@pytest.mark.parametrize(("notebook", "name", "meta"), PUBLISHED, ids=[f"{n}:{o}" for n, o, _ in PUBLISHED])
def test_every_column_of_every_published_table_is_described(notebook, name, meta):
    entry = entry_of(notebook, name)
    columns = [c["name"] for c in meta["columns"]]
    declared = declared_output(notebook, entry, columns, _fill_of(entry, name, meta))
    assert declared["name"] == name
    assert [c["description"] for c in meta["columns"]] == [declared["columns"][c] for c in columns]
    assert all(declared["columns"][c].strip() for c in columns), "every column has a description"


def _fill_of(entry: str, name: str, meta: dict) -> dict:
    """The placeholders of the entry as the published metadata shows them (name, title, description)."""
    fields = read_outputs(notebook_of(meta))[entry]
    fill = dict(meta["parameters"])
    for template, text in (
        (entry, name),
        (fields["title"], meta["title"]),
        (fields["description"], meta["description"]),
    ):
        match = chapter_module._template(template).match(text)
        assert match, f"{text!r} does not read as {template!r}"
        fill.update(match.groupdict())
    return fill


def notebook_of(meta: dict) -> str:
    return meta["produced_by"].removeprefix("notebooks/").removesuffix(".ipynb")


# --- the loader on its own -------------------------------------------------------------------


def write(tmp_path, text):
    (tmp_path / "nb.outputs.yaml").write_text(text, encoding="utf-8")
    return tmp_path


DECLARATION = """
things_{part}:
  title: 'Choses : {period}'
  description: One row per thing.
  columns:
    thing_id: thing
    gap_{comparator}: gap to {comparator}
"""


def test_placeholders_and_column_templates_are_filled(tmp_path):
    folder = write(tmp_path, DECLARATION)
    out = declared_output(
        "nb", "things_{part}", ["thing_id", "gap_73065"], {"part": "a", "period": "2015-2018"}, folder
    )
    assert out == {
        "name": "things_a",
        "title": "Choses : 2015-2018",
        "description": "One row per thing.",
        "columns": {"thing_id": "thing", "gap_73065": "gap to 73065"},
    }


@pytest.mark.parametrize(
    ("text", "columns", "fill", "message"),
    [
        (DECLARATION, ["thing_id", "other"], {"part": "a", "period": "p"}, "column 'other' of the saved table"),
        (DECLARATION, ["thing_id"], {"part": "a"}, "placeholder 'period' not given"),
        ("things_{part}:\n  title: T\n  columns: {}\n", [], {}, "exactly the keys title, description and columns"),
        ("things_{part}:\n  title: ''\n  description: D\n  columns: {}\n", [], {}, "title must be a non-empty"),
        (
            "things_{part}:\n  title: T\n  description: D\n  columns: {a: ''}\n",
            [],
            {},
            "['a'] have an empty description",
        ),
        (
            "things_{part}:\n  title: T\n  description: D\n  columns: os.environ\n",
            [],
            {},
            "of the contrat_ville package",
        ),
    ],
)
def test_a_bad_declaration_names_the_file_the_output_and_the_problem(tmp_path, text, columns, fill, message):
    folder = write(tmp_path, text)
    with pytest.raises((ValueError, KeyError)) as error:
        declared_output("nb", "things_{part}", columns, fill, folder)
    assert "nb.outputs.yaml" in str(error.value) and "things_{part}" in str(error.value)
    assert message in str(error.value)


def test_an_undeclared_output_is_refused(tmp_path):
    with pytest.raises(KeyError, match="no output 'missing' declared"):
        declared_output("nb", "missing", [], {}, write(tmp_path, DECLARATION))


def test_a_package_mapping_can_describe_the_columns(tmp_path):
    folder = write(
        tmp_path,
        "shown:\n  title: T\n  description: D\n  columns: contrat_ville.evaluation.key_figures.SHOWN_COLUMNS\n",
    )
    out = declared_output("nb", "shown", ["book_chapter", "item_id"], {}, folder)
    assert out["columns"]["item_id"] == "figure_id or raw table name"


def test_save_reads_the_declaration(tmp_path, monkeypatch):
    folder = write(tmp_path, DECLARATION)
    monkeypatch.setattr(chapter_module, "NOTEBOOKS_DIR", folder)
    (tmp_path / "raw").mkdir()
    chapter = Chapter("nb", 2018, 2015, tmp_path / "raw", tmp_path / "out")
    chapter.save(pd.DataFrame({"thing_id": ["t1"], "gap_73065": [1.5]}), "things_{part}", part="b", period="2015-2018")
    meta = yaml.safe_load((tmp_path / "out" / "things_b.meta.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "Choses : 2015-2018"
    assert meta["columns"] == [
        {"name": "thing_id", "description": "thing"},
        {"name": "gap_73065", "description": "gap to 73065"},
    ]
    assert chapter.outputs == ["things_b"]
    assert describe_columns({"a": "x"}, ["a"], "here") == {"a": "x"}


def test_a_list_merges_own_columns_with_a_package_mapping(tmp_path):
    folder = write(
        tmp_path,
        "counts:\n  title: T\n  description: D\n  columns:\n  - pillar: pillar\n"
        "  - contrat_ville.presentation.scorecard_text.VERDICT_COUNT_COLUMNS\n",
    )
    out = declared_output("nb", "counts", ["pillar", "improvement", "not_assessable"], {}, folder)
    assert out["columns"] == {
        "pillar": "pillar",
        "improvement": "indicators with verdict 'improvement' (amélioration)",
        "not_assessable": "indicators with verdict 'not_assessable' (non évaluable)",
    }
    bad = write(tmp_path, "counts:\n  title: T\n  description: D\n  columns:\n  - [pillar]\n")
    with pytest.raises(ValueError, match=r"nb.outputs.yaml, output 'counts': each item of a columns list"):
        declared_output("nb", "counts", ["pillar"], {}, bad)


@pytest.mark.parametrize(
    ("args", "keywords"),
    [(("Titre", "description", {"thing_id": "thing"}), {}), ((), {"title": "Titre"}), ((), {"columns": {}})],
)
def test_save_refuses_inline_metadata_and_names_the_declaration_file(tmp_path, monkeypatch, args, keywords):
    folder = write(tmp_path, DECLARATION)
    monkeypatch.setattr(chapter_module, "NOTEBOOKS_DIR", folder)
    (tmp_path / "raw").mkdir()
    chapter = Chapter("nb", 2018, 2015, tmp_path / "raw", tmp_path / "out")
    with pytest.raises(TypeError, match=r"save\('things'\): title, description and columns are declared in .*nb"):
        chapter.save(pd.DataFrame({"thing_id": ["t1"]}), "things", *args, **keywords)
    assert not (tmp_path / "out").exists(), "nothing written"
