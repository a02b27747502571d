"""contrat_ville.run.watch: `contrat-ville watch` runs again on a change, with warm processes
(the runs themselves are stand-ins here; tests/test_reliability.py runs the real ones)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contrat_ville.data.errors import DataValidationError
from contrat_ville.run import pipeline, watch


def test_the_inputs_fingerprint_follows_a_rewritten_added_or_removed_raw_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    table = raw / "a.csv"
    table.write_text("x\n1\n", encoding="utf-8")
    plan = tmp_path / "runplan.yaml"
    plan.write_text("notebooks: []\n", encoding="utf-8")
    first = watch.inputs_fingerprint(raw, plan)
    assert watch.inputs_fingerprint(raw, plan) == first
    table.write_text("x\n2\n", encoding="utf-8")
    os.utime(table, ns=(1, 1))  # same size, another date
    second = watch.inputs_fingerprint(raw, plan)
    assert second != first
    (raw / "b.csv").write_text("y\n", encoding="utf-8")
    third = watch.inputs_fingerprint(raw, plan)
    assert third != second
    (raw / "b.csv").unlink()
    assert watch.inputs_fingerprint(raw, plan) == second
    assert str(plan) in {name for name, _, _ in first}


class FakeWarm:
    def __init__(self, workers):
        self.closed = False

    def kernels(self):
        return "kernels"

    def book(self):
        return "book"

    def close(self):
        self.closed = True


@pytest.fixture
def looks(monkeypatch, tmp_path):
    """watch() with stand-in runs and warm processes; each look at the inputs takes the next
    fingerprint of `looks["prints"]`; returns what it recorded."""
    state = {"prints": [], "runs": [], "logs": [], "warm": [], "outcomes": []}
    monkeypatch.setattr(watch, "inputs_fingerprint", lambda raw_dir, plan: state["prints"].pop(0))
    monkeypatch.setattr(watch.time, "sleep", lambda seconds: None)

    def warm(workers):
        made = FakeWarm(workers)
        state["warm"].append(made)
        return made

    monkeypatch.setattr(watch, "Warm", warm)

    def run(**options):
        state["runs"].append(options)
        outcome = state["outcomes"].pop(0) if state["outcomes"] else None
        if isinstance(outcome, Exception):
            raise outcome
        report = pipeline.RunReport(2018)
        report.seconds["total"] = 1.0
        return report

    monkeypatch.setattr(pipeline, "run", run)
    state["keep_going"] = lambda: bool(state["prints"])
    return state


def test_it_runs_at_once_then_only_when_an_input_changes_with_the_same_warm_processes(looks, tmp_path):
    looks["prints"] = ["a", "a", "a", "b", "b"]
    watch.watch(2018, tmp_path, 2, log=looks["logs"].append, keep_going=looks["keep_going"], site_dir=tmp_path / "s")
    assert len(looks["runs"]) == 2
    for options in looks["runs"]:
        assert options["kept_kernels"] == "kernels" and options["book_server"] == "book"
        assert options["year"] == 2018 and options["raw_dir"] == tmp_path and options["site_dir"] == tmp_path / "s"
    assert looks["logs"] == ["done in 1.0 s: edition 2018; watching for changes"] * 2
    (warm,) = looks["warm"]
    assert warm.closed, "the warm processes outlived the watch"


def test_bad_data_or_a_failed_step_is_reported_and_the_next_change_runs_again(looks, tmp_path):
    looks["prints"] = ["a", "b", "c"]
    looks["outcomes"] = [
        DataValidationError(["territories.csv, line 2: bad"]),
        pipeline.PipelineError("book build failed"),
    ]
    watch.watch(None, tmp_path, 1, log=looks["logs"].append, keep_going=looks["keep_going"])
    assert len(looks["runs"]) == 3
    assert looks["logs"][0].startswith("error: invalid raw data\n")
    assert "territories.csv, line 2: bad" in looks["logs"][0]
    assert looks["logs"][1] == "error: book build failed\nThe last published data and book were left unchanged."
    assert looks["logs"][2].startswith("done in")


def test_a_change_of_the_package_code_stops_the_watch_for_a_restart(looks, tmp_path, monkeypatch):
    codes = iter(["v1", "v1", "v2"])
    monkeypatch.setattr(watch, "code_fingerprint", lambda: next(codes))
    looks["prints"] = ["a", "a", "a"]
    with pytest.raises(watch.CodeChanged):
        watch.watch(None, tmp_path, 1, log=looks["logs"].append, keep_going=looks["keep_going"])
    assert len(looks["runs"]) == 1
    assert looks["warm"][0].closed


def test_the_code_fingerprint_covers_the_package_and_the_locked_environment():
    names = {Path(name).name for name, _, _ in watch.code_fingerprint()}
    assert {"watch.py", "pipeline.py", "vocabulary.yaml", "requirements.lock", "pyproject.toml"} <= names


def test_warm_processes_are_started_again_once_stopped(monkeypatch):
    from contrat_ville.run import kernels

    made = []

    class Stub:
        def __init__(self, *args):
            self.closed = False
            made.append(self)

        def alive(self):
            return not self.closed

        def close(self, **options):
            self.closed = True

    monkeypatch.setattr(kernels, "Workers", Stub)
    monkeypatch.setattr(pipeline, "BookServer", Stub)
    warm = watch.Warm(2)
    first_kernels, first_book = warm.kernels(), warm.book()
    assert warm.kernels() is first_kernels and warm.book() is first_book
    first_kernels.close()
    first_book.close()
    assert warm.kernels() is not first_kernels and warm.book() is not first_book
    warm.close()
    assert all(stub.closed for stub in made) and len(made) == 4


@pytest.mark.parametrize("stop", [watch.CodeChanged("the package's code or environment changed"), KeyboardInterrupt()])
def test_the_command_restarts_on_a_code_change_and_ends_quietly_on_ctrl_c(monkeypatch, capsys, tmp_path, stop):
    from contrat_ville.run import cli

    calls = []

    def stopped(*args, **options):
        calls.append(args)
        raise stop

    monkeypatch.setattr(watch, "watch", stopped)
    monkeypatch.setattr(watch, "restart", lambda: calls.append("restart"))
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)  # the test process keeps its handlers
    assert cli.main(["watch", "--year", "2019", "--raw-dir", str(tmp_path), "--interval", "0.5"]) == 0
    assert calls[0] == (2019, tmp_path, None, 0.5)
    out = capsys.readouterr().out
    if isinstance(stop, KeyboardInterrupt):
        assert out == "stopped watching\n" and calls[1:] == []
    else:
        assert out == "the package's code or environment changed: starting again\n" and calls[1:] == ["restart"]
