"""The run machinery under faults (issue 15): frozen inputs, verified no-op, one atomic
publish of data and site, one run at a time, YEAR checked before the shell, notebooks run
by hand kept out of data/processed, kernels over IPC; and editions published side by side
(issue 12). Fast tests here use small folders; the pipeline ones are in test_reliability.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from contrat_ville.data.paths import RAW_DIR, ROOT
from contrat_ville.run import cache, cli, pipeline


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_tree(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def published(tmp_path):
    """A published state (processed data and site) and the staged replacements of both."""
    build = tmp_path / "build"
    build.mkdir()
    data = make_tree(tmp_path / "processed" / "2018", {"a.csv": "old data\n"})
    site = make_tree(tmp_path / "site", {"index.html": "old site\n"})
    new_data = make_tree(build / "staging-1" / "processed", {"a.csv": "new data\n"})
    new_site = make_tree(build / "staging-1" / "site", {"index.html": "new site\n"})
    return {"build": build, "data": data, "site": site, "new_data": new_data, "new_site": new_site}


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


# ---------------------------------------------------------------- case 4: one atomic publish


def test_publish_replaces_data_and_site_together_with_no_leftovers(published):
    p = published
    pipeline.publish([(p["new_data"], p["data"]), (p["new_site"], p["site"])], p["build"] / cache.JOURNAL_NAME)
    assert tree(p["data"]) == {"a.csv": b"new data\n"} and tree(p["site"]) == {"index.html": b"new site\n"}
    assert siblings(p["data"]) == [] and "build" in siblings(p["site"])
    assert not (p["build"] / cache.JOURNAL_NAME).exists()
    assert not [n for n in os.listdir(p["site"].parent) if ".old" in n or ".new" in n]


def test_a_filesystem_error_while_publishing_rolls_both_back_with_a_clear_message(published, monkeypatch):
    """`book/_build` unwritable once the data is in place: nothing half-published."""
    p = published
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name.startswith(".site.new-"):
            raise PermissionError(13, "Permission denied", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(pipeline.os, "rename", rename)
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.publish([(p["new_data"], p["data"]), (p["new_site"], p["site"])], p["build"] / cache.JOURNAL_NAME)
    message = str(info.value)
    assert "could not publish" in message and "Permission denied" in message and "nothing was published" in message
    assert str(p["site"]) in message or "site" in message
    assert tree(p["data"]) == {"a.csv": b"old data\n"} and tree(p["site"]) == {"index.html": b"old site\n"}
    assert not (p["build"] / cache.JOURNAL_NAME).exists()
    assert not [n for n in os.listdir(p["site"].parent) if ".old" in n or ".new" in n]
    assert siblings(p["data"]) == []


def test_an_error_preparing_the_outputs_publishes_nothing(published, monkeypatch):
    p = published

    def move(src, dst):
        raise OSError(28, "No space left on device", dst)

    monkeypatch.setattr(pipeline.shutil, "move", move)
    with pytest.raises(pipeline.PipelineError, match="No space left on device.*nothing was published"):
        pipeline.publish([(p["new_data"], p["data"]), (p["new_site"], p["site"])], p["build"] / cache.JOURNAL_NAME)
    assert tree(p["data"]) == {"a.csv": b"old data\n"} and tree(p["site"]) == {"index.html": b"old site\n"}


def test_a_run_killed_between_the_two_renames_is_completed_by_the_next_run(published, monkeypatch):
    """A kill after the data was swapped in and before the site: the journal makes the next
    run finish the publish (data and site of the same run), and removes every leftover."""
    p = published
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name.startswith(".site.new-"):  # the data is in place; killed before the site
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(pipeline.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        pipeline.publish([(p["new_data"], p["data"]), (p["new_site"], p["site"])], p["build"] / cache.JOURNAL_NAME)
    monkeypatch.setattr(pipeline.os, "rename", real_rename)
    assert tree(p["data"]) == {"a.csv": b"new data\n"} and not p["site"].exists()  # the old site set aside
    assert cache.unchanged("any", p["site"], p["data"], 2018, p["build"]) is False  # the no-op check is not fooled
    (p["build"] / "staging-999").mkdir()  # a killed run's staging folder
    (p["data"].parent / "2018.old").mkdir()  # the fixed name older versions left
    notes = pipeline.recover(p["build"], [p["data"], p["site"]])
    assert tree(p["data"]) == {"a.csv": b"new data\n"} and tree(p["site"]) == {"index.html": b"new site\n"}
    assert any("completed the publish" in n for n in notes)
    assert siblings(p["data"]) == [] and sorted(os.listdir(p["build"])) == []
    assert not [n for n in os.listdir(p["site"].parent) if ".old" in n or ".new" in n]


# ---------------------------------------------------------------- case 3: the no-op check verifies outputs


def stamped_edition(tmp_path) -> tuple[Path, Path]:
    site = make_tree(tmp_path / "site", {"index.html": "accueil\n", "chapters/emploi.html": "emploi\n"})
    processed = make_tree(tmp_path / "processed" / "2018", {"scorecard.csv": "a,b\n1,2\n"})
    (site / cache.EDITION_NAME).write_text("2018\n")
    (site / cache.STAMP_NAME).write_text("key")
    cache.write_manifest(site, processed)
    return site, processed


def test_no_op_check_sees_a_deleted_page(tmp_path):
    site, processed = stamped_edition(tmp_path)
    assert cache.unchanged("key", site, processed, 2018)
    (site / "chapters" / "emploi.html").unlink()
    assert not cache.unchanged("key", site, processed, 2018)


def test_no_op_check_sees_a_hand_edited_processed_csv(tmp_path):
    site, processed = stamped_edition(tmp_path)
    (processed / "scorecard.csv").write_text("a,b\n1,3\n")
    assert not cache.unchanged("key", site, processed, 2018)


# ---------------------------------------------------------------- case 5: one run at a time


def test_a_second_run_is_refused_with_a_clear_message(tmp_path):
    build = tmp_path / "build"
    with cache.run_lock(build):
        with pytest.raises(pipeline.PipelineError, match=r"another run is in progress \(pid \d+"):
            pipeline.run(
                processed_root=tmp_path / "processed", site_dir=tmp_path / "site", build_dir=build, log=lambda *_: None
            )
        assert cache.lock_holder(build) == str(os.getpid())
    assert cache.lock_holder(build) is None  # released with the block (and by the kernel if killed)
    assert not (tmp_path / "processed").exists()


def test_the_command_line_refuses_a_second_run(tmp_path, monkeypatch, capsys):
    from contrat_ville.data import paths

    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path / "build")
    with cache.run_lock(tmp_path / "build"):
        assert cli.main(["run"]) == 1
    assert "another run is in progress" in capsys.readouterr().err


def test_the_book_publishes_the_raw_files_of_the_runs_raw_dir(tmp_path, monkeypatch):
    """With --raw-dir, the Données page lists and publishes that folder's (frozen) files."""
    from contrat_ville.publish import book_ext

    seen = {}

    class FakeProcess:  # the build process, as build_book starts it, recording its request
        used = False

        def __init__(self, book):
            pass

        def build(self, argv, env):
            seen.update(env)
            return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(pipeline, "BookProcess", FakeProcess)
    pipeline.build_book(tmp_path / "book", tmp_path / "out", raw_dir=tmp_path / "frozen-raw")
    assert seen[book_ext.RAW_DIR_ENV] == str((tmp_path / "frozen-raw").resolve())

    class App:
        class config:
            cv_raw_dir = None

    monkeypatch.setenv(book_ext.RAW_DIR_ENV, str(tmp_path / "frozen-raw"))
    assert book_ext.book_raw_dir(App) == tmp_path / "frozen-raw"


# ---------------------------------------------------------------- case 9: YEAR checked before the shell


@pytest.mark.parametrize("year", ["2018; touch {marker}", "2018 --raw-dir /etc", "$(shell touch {marker})", "20x8"])
def test_make_refuses_a_year_that_is_not_digits_before_any_shell(tmp_path, year):
    marker = tmp_path / "ran"
    proc = subprocess.run(
        ["make", "-n", "book", f"YEAR={year.format(marker=marker)}"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "YEAR must be a reporting year" in proc.stderr
    assert "contrat-ville run" not in proc.stdout and not marker.exists()


def test_make_passes_a_plain_year_and_no_year_for_the_latest_edition():
    def dry(*args):
        return subprocess.run(["make", "-n", "book", *args], cwd=ROOT, capture_output=True, text=True).stdout

    assert "contrat-ville run --year 2019" in dry("YEAR=2019")
    assert "contrat-ville run --year" not in dry()


@pytest.mark.parametrize("year", ["0", "18", "20189", "-2018"])
def test_the_command_line_refuses_an_impossible_year(year, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["run", "--year", year])
    assert info.value.code == 2
    assert "four-digit reporting year" in capsys.readouterr().err


def test_the_pipeline_refuses_an_impossible_year(tmp_path):
    with pytest.raises(pipeline.PipelineError, match="four-digit reporting year"):
        pipeline.run(year=0, build_dir=tmp_path / "build", site_dir=tmp_path / "site", log=lambda *_: None)


# ---------------------------------------------------------------- case 1: the run reads what it validated


def test_raw_files_are_frozen_byte_for_byte(tmp_path):
    frozen = pipeline.freeze_raw(RAW_DIR, tmp_path / "frozen")
    assert tree(frozen) == tree(RAW_DIR)
    assert cache.run_key(2018, RAW_DIR, raw_files=frozen) == cache.run_key(2018, RAW_DIR)


def test_a_validation_error_names_the_users_file_not_the_frozen_copy(raw_copy, tmp_path):
    from contrat_ville.data.errors import DataValidationError

    table = raw_copy / "annual_series.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",330,", ",trois cent trente,"), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        pipeline.run(raw_dir=raw_copy, processed_root=tmp_path / "p", site_dir=tmp_path / "s", build_dir=tmp_path / "b")
    assert "annual_series.csv" in str(info.value) and "staging" not in str(info.value)
    assert str(raw_copy) in str(info.value) or "raw/annual_series.csv" in str(info.value)


# ---------------------------------------------------------------- issue 12: editions side by side


def test_an_edition_reads_only_rows_up_to_its_year(raw_copy, tmp_path):
    from conftest import SYNTHETIC_2019, add_drop

    add_drop(raw_copy, SYNTHETIC_2019)
    assert cache.latest_edition(raw_copy) == 2019 and cache.latest_edition(RAW_DIR) == 2018
    view_2018 = tree(pipeline.edition_view(raw_copy, tmp_path / "v2018", 2018))
    dated = [name for name, data in tree(RAW_DIR).items() if data.startswith(b"edition,")]
    assert len(dated) > 10
    # rebuilding 2018 reads exactly today's bytes of every dated table (reference tables
    # such as territories.csv have no edition column: their rows are not dated)
    assert {n: view_2018[n] for n in dated} == {n: tree(RAW_DIR)[n] for n in dated}
    assert tree(raw_copy)["annual_series.csv"] != tree(RAW_DIR)["annual_series.csv"]
    view_2019 = pipeline.edition_view(raw_copy, tmp_path / "v2019", 2019)
    assert tree(view_2019) == tree(raw_copy)


def edition_site(folder: Path, year: int) -> Path:
    make_tree(folder, {"index.html": f"édition {year}\n", "chapters/emploi.html": f"emploi {year}\n"})
    (folder / cache.EDITION_NAME).write_text(f"{year}\n")
    return folder


def editions_data(script: Path) -> dict:
    text = script.read_text(encoding="utf-8")
    return json.loads(text.split("var data = ", 1)[1].split(";\n", 1)[0])


def test_editions_are_published_side_by_side_with_the_latest_at_the_root(tmp_path):
    site = tmp_path / "site"
    pipeline.assemble_site(edition_site(tmp_path / "e2018", 2018), 2018, site, tmp_path / "out1")
    shutil.move(tmp_path / "out1", site)
    # 2019 arrives: it takes the root, 2018 moves to 2018/
    pipeline.assemble_site(edition_site(tmp_path / "e2019", 2019), 2019, site, tmp_path / "out2")
    shutil.rmtree(site)
    shutil.move(tmp_path / "out2", site)
    # 2018 is rebuilt after 2019: 2019 stays at the root
    pipeline.assemble_site(edition_site(tmp_path / "e2018b", 2018), 2018, site, tmp_path / "out3")
    out = tmp_path / "out3"
    assert (out / "index.html").read_text(encoding="utf-8") == "édition 2019\n"
    assert (out / "2018" / "chapters" / "emploi.html").read_text(encoding="utf-8") == "emploi 2018\n"
    assert sorted(cache.published_editions(out)) == [2018, 2019]
    root, older = editions_data(out / pipeline.EDITIONS_SCRIPT), editions_data(out / "2018" / pipeline.EDITIONS_SCRIPT)
    assert root == {
        "current": 2019,
        "latest": 2019,
        "editions": [{"year": 2019, "href": "index.html"}, {"year": 2018, "href": "2018/index.html"}],
    }
    assert older["current"] == 2018
    assert older["editions"] == [{"year": 2019, "href": "../index.html"}, {"year": 2018, "href": "../2018/index.html"}]
    for data, folder in ((root, out), (older, out / "2018")):
        for edition in data["editions"]:
            assert (folder / edition["href"]).exists()  # every link of the switch resolves


def test_a_single_edition_shows_no_switch():
    from contrat_ville.publish import book_ext

    assert "var data = null;" in book_ext.editions_script(None, {}, None)
    assert '"editions": [{"year": 2018' in book_ext.editions_script(2018, {2018: "index.html"}, 2018)


# ---------------------------------------------------------------- case 10: notebooks run by hand


def test_a_notebook_run_by_hand_writes_to_a_scratch_folder(monkeypatch, capsys):
    from contrat_ville.data.paths import BUILD_DIR, NOTEBOOKS_DIR, PROCESSED_DIR
    from contrat_ville.notebook import chapter

    monkeypatch.delenv(chapter.WRITE_PROCESSED_ENV, raising=False)
    monkeypatch.chdir(NOTEBOOKS_DIR)
    # the parameters cell's default, as JupyterLab or `jupyter nbconvert --execute` run it
    folder = chapter.Chapter("emploi", 2018, 2015, "../data/raw", "../data/processed/2018").output_dir
    assert folder == (BUILD_DIR / "scratch" / "emploi" / "2018").resolve()
    assert "data/processed/" in capsys.readouterr().out
    monkeypatch.setenv(chapter.WRITE_PROCESSED_ENV, "1")  # told otherwise
    assert chapter.output_folder(Path("../data/processed/2018"), "emploi") == (PROCESSED_DIR / "2018").resolve()
    elsewhere = Path("/tmp/portrait-out")  # the README's rerun command: left as asked
    monkeypatch.delenv(chapter.WRITE_PROCESSED_ENV)
    assert chapter.output_folder(elsewhere, "portrait") == elsewhere.resolve()


# ---------------------------------------------------------------- case 4: child processes


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in {"Z", "X"}  # exited, waiting to be reaped by init


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="Linux only (prctl PDEATHSIG)")
def test_the_book_builder_dies_with_a_killed_run():
    """jupyter-book is started with `die_with_parent`: a run killed with SIGKILL (no
    clean-up code runs) leaves no orphaned builder behind."""
    import sys
    import time

    script = (
        "import subprocess, sys\n"
        "from contrat_ville.publish.jupyter_book_build import die_with_parent\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'], preexec_fn=die_with_parent)\n"
        "print(child.pid, flush=True)\n"
        "child.wait()\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(run.stdout.readline())
    assert not _gone(child)
    run.kill()
    run.wait()
    while not _gone(child):  # a condition, not a duration: the kernel signals it at once
        time.sleep(0.05)


def test_a_validation_error_in_the_projects_own_build_folder_names_data_raw(raw_copy):
    """Inside the project the staging copy is shown relative (build/staging-…): relabelled too."""
    from contrat_ville.data.errors import DataValidationError, Violation
    from contrat_ville.data.paths import BUILD_DIR

    frozen = BUILD_DIR / "staging-1-abc" / "raw-frozen"
    error = DataValidationError([Violation(f"{frozen.relative_to(ROOT)}/annual_series.csv", "a rule", 5, "value")])
    shown = str(pipeline._relabel(error, frozen, RAW_DIR))
    assert "data/raw/annual_series.csv, line 5" in shown and "staging" not in shown


def test_cache_keys_do_not_depend_on_where_the_frozen_copy_is(tmp_path):
    """Each run freezes the raw files into its own staging folder (inside the project for
    `make book`): the same bytes must give the same key, or the cache would never hit."""
    from contrat_ville.data.paths import BUILD_DIR
    from contrat_ville.data.raw import load

    job = pipeline.plan_jobs(pipeline.load_plan(), 2018, territories=load("territories"), only=["emploi"])[0]
    inside = pipeline.freeze_raw(RAW_DIR, BUILD_DIR / f"staging-test-{os.getpid()}" / "raw")
    try:
        outside = pipeline.freeze_raw(RAW_DIR, tmp_path / "raw")
        assert pipeline.job_key(job, inside, True) == pipeline.job_key(job, outside, True)
    finally:
        shutil.rmtree(inside.parent)
