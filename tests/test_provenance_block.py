"""Provenance on every page: the collapsed block (parameters, raw files and hashes, versions,
download links to the executed notebook and the processed tables, the rerun command), the
metadata of processed tables, and a chapter rerun alone with papermill giving the same bytes."""

import re
import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from contrat_ville.data.paths import ROOT
from contrat_ville.evaluation import claims
from contrat_ville.notebook import provenance
from contrat_ville.notebook.chapter import rerun_command
from contrat_ville.notebook.provenance import package_sha256


def fake_chapter(tmp_path):
    (tmp_path / "shares.csv").write_text("a\n1\n", encoding="utf-8")
    return SimpleNamespace(
        notebook="portrait",
        year=2018,
        parameters={"year": 2018, "baseline_year": 2015},
        output_dir=tmp_path,
        outputs=["shares"],
        inputs={
            "identity_card": {
                "file": "data/raw/identity_card.csv",
                "sha256": "ab" * 32,
                "metadata_sha256": "cd" * 32,
                "source_ids": ["insee-rp"],
            }
        },
    )


def test_block_links_to_notebook_and_tables_relative_to_the_page(tmp_path):
    block = provenance.block(fake_chapter(tmp_path)).data
    assert block.startswith('<details class="cv-provenance">')
    assert 'href="../_sources/chapters/portrait.ipynb"' in block
    assert 'href="../_static/data/2018/shares.csv"' in block and 'href="../_static/data/2018/shares.meta.yaml"' in block
    assert "ab" * 32 in block and "cd" * 32 in block and "insee-rp" in block
    assert "papermill notebooks/portrait.ipynb" in block and "baseline_year" in block
    assert package_sha256() in block and "pandas" in block
    root = provenance.block(fake_chapter(tmp_path), shown_on="journal_des_donnees").data
    assert 'href="_sources/chapters/portrait.ipynb"' in root and 'href="_static/data/2018/shares.csv"' in root
    fiche = provenance.block(fake_chapter(tmp_path), notebook_id="fiche-qpv-a").data
    assert 'href="../_sources/chapters/fiche-qpv-a.ipynb"' in fiche


def test_rerun_command_passes_every_parameter(tmp_path):
    chapter = fake_chapter(tmp_path)
    chapter.parameters["territory_id"] = "qpv a"
    command = rerun_command(chapter, scratch="/scratch")
    assert command.startswith(".venv/bin/papermill notebooks/portrait.ipynb /scratch/portrait.ipynb ")
    assert "-p year 2018 -p baseline_year 2015" in command and "-p territory_id 'qpv a'" in command
    assert "-p raw_dir ../data/raw -p output_dir /scratch/portrait-out --cwd notebooks" in command


def test_package_hash_covers_every_source_file_of_every_layer(tmp_path, monkeypatch):
    from contrat_ville.data import paths

    copy = tmp_path / "contrat_ville"
    shutil.copytree(paths.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", copy)
    before = package_sha256()
    assert re.fullmatch(r"[0-9a-f]{64}", before)
    assert {p.parent.name for p in paths.package_sources()} >= {"data", "evaluation", "presentation", "notebook", "run"}
    nested = copy / "evaluation" / "trends.py"
    nested.write_text(nested.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = package_sha256()
    assert edited != before
    nested.rename(copy / "data" / "trends.py")  # same bytes, another place: another package
    assert package_sha256() not in (before, edited)


def test_package_hash_is_read_again_only_when_a_file_changed(tmp_path, monkeypatch):
    import os

    from contrat_ville.data import paths
    from contrat_ville.notebook import provenance

    copy = tmp_path / "contrat_ville"
    shutil.copytree(paths.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", copy)
    reads = []
    monkeypatch.setattr(provenance, "sha256", lambda path, real=provenance.sha256: reads.append(path) or real(path))
    before = package_sha256()
    files = len(reads)
    assert package_sha256() == before and len(reads) == files  # nothing changed: nothing read
    module = copy / "evaluation" / "trends.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("def ", "def_", 1).replace("def_", "def ", 1)[:-1] + "#", encoding="utf-8")
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # same size, later date
    assert package_sha256() != before and len(reads) == 2 * files


def test_package_versions_are_a_fresh_dict_each_time():
    from contrat_ville.notebook.provenance import TRACKED_PACKAGES, package_versions

    versions = package_versions()
    assert list(versions) == list(TRACKED_PACKAGES)
    versions["pandas"] = "edited"
    assert package_versions()["pandas"] != "edited"


class Links(HTMLParser):
    """hrefs inside the provenance block(s) of a page."""

    def __init__(self):
        super().__init__()
        self.depth, self.hrefs, self.blocks = 0, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details" and "cv-provenance" in (attrs.get("class") or ""):
            self.depth, self.blocks = self.depth + 1, self.blocks + 1
        elif tag == "a" and self.depth and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "details" and self.depth:
            self.depth -= 1


def provenance_links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
def test_every_chapter_carries_its_provenance_and_its_links_resolve(built):
    site = built["site"]
    pages = sorted((site / "chapters").glob("*.html"))
    assert pages
    for page in pages:
        links = provenance_links(page)
        assert links.blocks >= 1, f"{page.name} has no provenance block"
        assert f"../_sources/chapters/{page.stem}.ipynb" in links.hrefs, (
            f"{page.name}: no link to its executed notebook"
        )
        html = page.read_text(encoding="utf-8")
        for href in links.hrefs:
            if href.startswith("#"):  # the cell that computed a table, on the same page
                assert f'id="{href[1:]}"' in html, f"{page.name}: {href} is not an anchor of the page"
                continue
            target = href.split("#")[0]
            assert (page.parent / target).resolve().is_file(), f"{page.name}: {href} is not in the built site"
    notebook = site / "_sources" / "chapters" / "controle.ipynb"
    assert '"output_type"' in notebook.read_text(encoding="utf-8")  # the executed copy, with outputs
    for page in ("journal_des_donnees.html", "hypotheses.html"):
        links = provenance_links(site / page)
        assert links.blocks == 1 and all((site / href).resolve().is_file() for href in links.hrefs)


@pytest.mark.slow
def test_processed_metadata_names_notebook_parameters_inputs_and_rerun(built):
    for meta_path in built["processed"].glob("*.meta.yaml"):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        assert meta["produced_by"].startswith("notebooks/") and meta["parameters"]["year"] == 2018
        assert meta["inputs"] and all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in meta["inputs"])
        assert meta["rerun"].startswith(".venv/bin/papermill " + meta["produced_by"])
        assert meta["package_code_sha256"] == package_sha256()


@pytest.mark.slow
def test_reconciliation_is_published_with_mismatches_first(built):
    table = pd.read_csv(built["processed"] / "reconciliation.csv")
    for column in [
        "claim_id",
        "chapter",
        "quote",
        "published_value",
        "recomputed_value",
        "rule",
        "status",
        "explanation",
    ]:
        assert column in table.columns
    rank = table["status"].map({s: i for i, s in enumerate(claims.REVIEW_ORDER)})
    assert rank.notna().all() and rank.is_monotonic_increasing and rank.iloc[0] == 0
    page = (built["site"] / "chapters" / "controle.html").read_text(encoding="utf-8")
    first_table = page.index("Chiffres publiés contredits par les données")
    assert first_table < page.index("Chiffres publiés vérifiés")
    assert "4\u202f265\u202f462" in page or "4 265 462" in page  # the published crédits spécifiques total


@pytest.mark.slow
def test_a_chapter_rerun_alone_gives_the_same_tables(built, tmp_path):
    meta = yaml.safe_load((built["processed"] / "portrait_comparisons.meta.yaml").read_text(encoding="utf-8"))
    command = shlex.split(meta["rerun"].replace(" /tmp/", f" {tmp_path}/"))
    command[0] = str(Path(sys.executable).with_name("papermill"))  # the same .venv, wherever the clone is
    subprocess.run(command + ["--log-level", "WARNING"], cwd=ROOT, check=True, capture_output=True)
    rerun = sorted((tmp_path / "portrait-out").iterdir())
    assert rerun
    for file in rerun:
        assert file.read_bytes() == (built["processed"] / file.name).read_bytes(), (
            f"{file.name} differs when rerun alone"
        )


def test_block_of_a_page_outside_chapters_links_its_own_executed_notebook(tmp_path):
    fiche = provenance.block(fake_chapter(tmp_path), page="fiches/fiche-qpv-a").data
    assert 'href="../_sources/fiches/fiche-qpv-a.ipynb"' in fiche and "_sources/chapters/" not in fiche
    assert 'href="../_static/data/2018/shares.csv"' in fiche
    index = provenance.block(fake_chapter(tmp_path), page="fiches/index").data
    assert 'href="../_sources/fiches/index.ipynb"' in index
