"""Nothing lost, same bytes, rebuild only what changed."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import own_build_dir
from contrat_ville.data.files import table_names
from contrat_ville.data.paths import BOOK_DIR, PROCESSED_DIR, RUN_PLAN
from contrat_ville.data.raw import validate_all
from contrat_ville.run import pipeline

pytestmark = pytest.mark.slow


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def published_hashes(processed_root: Path, site: Path) -> dict[str, str]:
    """SHA-256 of every published file: the processed data, and the site under `site/`."""
    return {**tree_hashes(processed_root), **{f"site/{k}": v for k, v in tree_hashes(site).items()}}


def published_copy(built, tmp_path):
    """A copy of a good published state (processed data of its edition, and site) to run over."""
    processed_root, site = tmp_path / "processed", tmp_path / "site"
    shutil.copytree(built["processed"], processed_root / built["processed"].name)
    shutil.copytree(built["site"], site)
    return (
        processed_root,
        site,
        published_hashes(processed_root, site),
    )


def plan_with(tmp_path, extra_entry) -> Path:
    plan = yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))
    plan["notebooks"].append(extra_entry)
    path = tmp_path / "runplan.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def notebook(tmp_path, name, code) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('year = 2018\nbaseline_year = 2015\nraw_dir = "../data/raw"\noutput_dir = "out"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_failing_notebook_leaves_published_outputs_untouched(built, tmp_path):
    processed_root, site, before = published_copy(built, tmp_path)
    failing = notebook(tmp_path, "failing", 'raise RuntimeError("injected failure")')
    plan = plan_with(tmp_path, {"id": "failing", "notebook": str(failing), "inputs": ["territories"]})
    build = own_build_dir(built["base"], tmp_path / "build")
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.run(
            processed_root=processed_root,
            site_dir=site,
            build_dir=build,
            plan_path=plan,
            log=lambda *_: None,
        )
    message = str(info.value)
    assert "injected failure" in message and "failing.ipynb" in message
    # the executed copy outlives the staging folder, and the message names it and the cell
    kept = build / "failed" / "failing.ipynb"
    assert kept.exists() and "injected failure" in kept.read_text(encoding="utf-8")
    assert pipeline.shown_path(kept) in message
    assert re.search(r"in cell \d+ .*which starts: raise RuntimeError", message), message
    after = published_hashes(processed_root, site)
    assert after == before
    assert not list(build.glob("staging-*")), "staging folder left behind"


def test_failing_book_build_leaves_published_outputs_untouched(built, tmp_path, monkeypatch):
    processed_root, site, before = published_copy(built, tmp_path)
    book = tmp_path / "book"
    shutil.copytree(BOOK_DIR, book, ignore=shutil.ignore_patterns("_build"))
    # a Sphinx extension that does not exist: Jupyter Book fails as it starts, where a page's
    # warning (an error here) fails it only once every page is read and written, about 15 s of
    # CPU later; that case is test_incremental_book's last build, through the same function
    config = book / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert "contrat_ville.publish.navigation]" in text
    broken = text.replace("contrat_ville.publish.navigation]", "contrat_ville.publish.navigation, no_such_extension]")
    config.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(pipeline, "BOOK_DIR", book)
    with pytest.raises(pipeline.PipelineError, match="(?s)book build failed.*no_such_extension"):
        pipeline.run(
            processed_root=processed_root,
            site_dir=site,
            build_dir=own_build_dir(built["base"], tmp_path / "build"),
            log=lambda *_: None,
        )
    after = published_hashes(processed_root, site)
    assert after == before


@pytest.fixture()
def second_clean_run(tmp_path):
    """A run from scratch (no cache) on the Dask executor (a LocalCluster of two workers), made
    before `built` is asked for: under `make test` it runs while another worker makes `built`
    (conftest.FIRST_IN_LANE_2019)."""
    report = pipeline.run(
        processed_root=tmp_path / "processed",
        site_dir=tmp_path / "site",
        build_dir=tmp_path / "build",
        build=False,
        executor="dask",
        log=lambda *_: None,
    )
    return report, tmp_path


def test_clean_runs_are_byte_identical(second_clean_run, built):
    """A second run from scratch (no cache) gives the same processed files and executed
    notebooks, byte for byte, as the first; the first ran on the local executor, the second on
    Dask (issue 16: every job of the edition, where a test of its own ran four)."""
    report, tmp_path = second_clean_run
    assert not report.cached
    assert sorted(report.executed) == sorted(built["report"].executed)
    assert tree_hashes(tmp_path / "processed" / "2018") == tree_hashes(built["processed"])
    first = {p.name: p.read_bytes() for p in (built["base"] / "build" / "cache").glob("*/*.ipynb")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "build" / "cache").glob("*/*.ipynb")}
    assert second and all(first[name] == content for name, content in second.items())


def test_committed_processed_data_matches_the_pipeline(built):
    """data/processed is committed for review: it must be what the pipeline produces."""
    committed, produced = tree_hashes(PROCESSED_DIR / "2018"), tree_hashes(built["processed"])
    differing = sorted(k for k in committed.keys() | produced.keys() if committed.get(k) != produced.get(k))
    assert not differing, f"data/processed/2018 is stale, run `make book` and commit: {differing[:10]}"


def test_changing_one_raw_file_reruns_only_its_readers(built_2019, tmp_path):
    """The 2019 run's own build folder, with its kept book build: no other test uses it at the
    same time (the tests reading built_2019 read its outputs; the no-op check runs on it after
    this one), so the book is rebuilt incrementally, as a yearly rerun would be (a copy of the
    folder would build it from nothing, see own_build_dir)."""
    raw_dir = tmp_path / "raw"
    shutil.copytree(built_2019["raw"], raw_dir)
    table = raw_dir / "bellevue_coeur_de_cite.csv"
    changed = table.read_text(encoding="utf-8") + "\n"  # same data, new bytes
    table.write_text(changed, encoding="utf-8")
    folders = dict(
        processed_root=tmp_path / "processed", site_dir=tmp_path / "site", build_dir=built_2019["base"] / "build"
    )
    cache_dir = folders["build_dir"] / "cache"
    cached_before = set(cache_dir.iterdir())
    report = pipeline.run(year=2019, raw_dir=raw_dir, log=lambda *_: None, **folders)
    jobs = pipeline.planned_jobs(pipeline.load_plan(), 2019, validate_all(raw_dir), table_names(raw_dir))
    readers = {j.id for j in jobs if "bellevue_coeur_de_cite" in j.inputs}
    assert set(report.executed) == readers and readers
    assert report.book_built
    published = published_hashes(folders["processed_root"], folders["site_dir"])
    check_watch_gives_the_same_bytes(
        raw_dir, table, changed, set(cache_dir.iterdir()) - cached_before, folders, len(readers), published
    )


def check_watch_gives_the_same_bytes(raw_dir, table, changed, cached_by_run, folders, readers, published):
    """`contrat-ville watch` on the same folders: its first look finds nothing to do; then one
    more byte in the table (its readers run in the warm kernels, the book in the warm book
    server); then the run's bytes again, with the run's cache entries removed so that the
    readers run a second time in the same kernels. The last publish is the run's, byte for byte."""
    from contrat_ville.run import watch

    logs, looks = [], iter(range(4))

    def keep_going():
        look = next(looks)
        if look == 1:
            table.write_text(changed + "\n", encoding="utf-8")
        elif look == 2:
            table.write_text(changed, encoding="utf-8")
            for entry in cached_by_run:
                shutil.rmtree(entry)
        return look < 3

    watch.watch(2019, raw_dir, 2, interval=0.01, log=logs.append, keep_going=keep_going, **folders)
    runs = [line for line in logs if line.startswith("notebooks:") and "executed" in line]
    assert logs[0].startswith("nothing changed since the last run"), logs
    assert [line.split(",")[0] for line in runs] == [f"notebooks: {readers} executed"] * 2, logs
    assert sum(line.startswith("book built in") for line in logs) == 2, logs
    after = published_hashes(folders["processed_root"], folders["site_dir"])
    differing = sorted(k for k in after.keys() | published.keys() if after.get(k) != published.get(k))
    assert not differing, f"watch published other bytes than a run of the same inputs: {differing[:10]}"


PLIE_2018 = "2018,plie_participants,200069110,2018,330,"


def emploi_only_plan(tmp_path) -> Path:
    plan = yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))
    plan["notebooks"] = [e for e in plan["notebooks"] if e["id"] == "emploi"]
    path = tmp_path / "runplan-emploi.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def test_an_edit_during_the_run_neither_reaches_it_nor_poisons_the_cache(built, raw_copy, tmp_path):
    """Issue 15 case 1: PLIE 2018 changed from 330 to 300 one moment after "validated"; the
    run works on the bytes it validated (330), and caches its result under them, so that
    once 330 is back the cached result is the right one."""
    table = raw_copy / "annual_series.csv"
    good = table.read_text(encoding="utf-8")
    assert PLIE_2018 in good
    lines = []

    def log(line):
        lines.append(line)
        if line.startswith("validated"):
            table.write_text(good.replace(PLIE_2018, PLIE_2018.replace(",330,", ",300,")), encoding="utf-8")

    kwargs = dict(
        raw_dir=raw_copy,
        processed_root=tmp_path / "processed",
        plan_path=emploi_only_plan(tmp_path),
        build_dir=tmp_path / "build",
        build=False,
    )
    first = pipeline.run(log=log, **kwargs)
    assert first.executed == ["emploi"]
    assert any(re.fullmatch(r"  \[1/1\] emploi \(\d+\.\d s; \d+ s elapsed\)", line) for line in lines), lines
    produced = tree_hashes(tmp_path / "processed" / "2018")
    expected = {name: digest for name, digest in tree_hashes(built["processed"]).items() if name in produced}
    assert produced and produced == expected, "the run read the raw file edited after validation"
    table.write_text(good, encoding="utf-8")
    shutil.rmtree(tmp_path / "processed")
    second = pipeline.run(log=lambda *_: None, **kwargs)
    assert second.cached == ["emploi"]
    assert tree_hashes(tmp_path / "processed" / "2018") == expected, "the cache holds results of other bytes"


def test_the_no_op_check_verifies_the_published_outputs_and_repairs_them(built_2019, tmp_path):
    """Issue 15 case 3: a deleted chapter page and a hand-edited processed CSV are seen by
    the next run, which republishes both; with nothing damaged it is a no-op. On the 2019
    run's own build folder, after test_changing_one_raw_file_reruns_only_its_readers used it
    (conftest.LAST_IN_LANE_2019): the repair is then an incremental book build from the state
    another change left, as a yearly rerun's would be."""
    processed_root, site, before = published_copy(built_2019, tmp_path)
    lines = []
    kwargs = dict(
        year=2019,
        raw_dir=built_2019["raw"],
        processed_root=processed_root,
        site_dir=site,
        build_dir=built_2019["base"] / "build",
        log=lines.append,
    )
    report = pipeline.run(**kwargs)
    assert not report.executed and not report.cached and any("nothing changed" in line for line in lines)
    (site / "chapters" / "emploi.html").unlink()
    scorecard = processed_root / "2019" / "scorecard.csv"
    scorecard.write_text(scorecard.read_text(encoding="utf-8").replace("1", "7", 1), encoding="utf-8")
    report = pipeline.run(**kwargs)
    assert report.book_built and not report.executed
    after = published_hashes(processed_root, site)
    assert after == before
    assert not [p.name for p in tmp_path.iterdir() if ".old" in p.name or ".new" in p.name]


def test_editions_are_published_side_by_side(built, built_2019):
    """Issue 12 deliverable 5: the 2019 run, published over the 2018 site, keeps 2018 in
    2018/ with its own downloads, and both list the two editions in their switch."""
    site = built_2019["site"]
    assert (site / ".edition").read_text().strip() == "2019"
    assert (site / "2018" / ".edition").read_text().strip() == "2018"
    old, kept = tree_hashes(built["site"]), tree_hashes(site / "2018")
    bookkeeping = {".run-key", ".manifest", "_static/editions.js"}
    assert {k: v for k, v in kept.items() if k not in bookkeeping} == {
        k: v for k, v in old.items() if k not in bookkeeping
    }
    assert (site / "_static" / "data" / "2019").is_dir() and not (site / "2018" / "_static" / "data" / "2019").exists()
    for script in (site / "_static" / "editions.js", site / "2018" / "_static" / "editions.js"):
        text = script.read_text(encoding="utf-8")
        assert '"year": 2019' in text and '"year": 2018' in text
    assert 'src="_static/editions.js' in (site / "index.html").read_text(encoding="utf-8")
