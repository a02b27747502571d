"""contrat_ville.publish.jupyter_book_build: Jupyter Book's command line with Sphinx's `jobs`."""

from __future__ import annotations

import pytest

from contrat_ville.publish import jupyter_book_build

# Jupyter Book's command line uses a name Click deprecates (its own code, not ours)
pytestmark = pytest.mark.filterwarnings("ignore:'BaseCommand' is deprecated:DeprecationWarning")


def test_the_command_line_runs_with_the_jobs_given(monkeypatch):
    import jupyter_book.cli.main
    import jupyter_book.sphinx

    calls = []
    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", lambda *a, **k: calls.append(k))

    def command(arguments, prog_name):
        calls.append((arguments, prog_name))
        jupyter_book.sphinx.build_sphinx("src", "out", quiet=True)  # as the command calls it

    monkeypatch.setattr(jupyter_book.cli.main, "main", command)
    jupyter_book_build.main(["3", "build", "book", "--warningiserror"])
    assert calls == [(["build", "book", "--warningiserror"], "jupyter-book"), {"quiet": True, "jobs": 3}]


@pytest.mark.parametrize("given", ["0", "two", "-1", ""])
def test_jobs_must_be_a_whole_number_one_or_more(given):
    with pytest.raises(SystemExit, match=f"JOBS is {given!r}; expected a whole number of processes, 1 or more"):
        jupyter_book_build.main([given, "build", "book"] if given else [])


def test_a_waiting_build_imports_the_books_extensions_then_takes_its_request_from_its_input(monkeypatch):
    import io
    import os
    import sys

    import jupyter_book.cli.main

    calls = []
    monkeypatch.setattr(jupyter_book.cli.main, "main", lambda arguments, prog_name: calls.append(arguments))
    monkeypatch.setattr(jupyter_book_build, "warm_up", lambda book: calls.append(("warm", str(book))))
    monkeypatch.delenv("CV_TEST_SET_BY_REQUEST", raising=False)
    request = '{"argv": ["2", "build", "src"], "env": {"CV_TEST_SET_BY_REQUEST": "yes"}}\n'
    monkeypatch.setattr(sys, "stdin", io.StringIO(request))
    jupyter_book_build.main(["--wait", "some/book"])
    assert calls == [("warm", "some/book"), ["build", "src"]]
    assert os.environ["CV_TEST_SET_BY_REQUEST"] == "yes"


def test_a_waiting_build_given_no_request_exits_without_building(monkeypatch):
    import io
    import sys

    import jupyter_book.cli.main

    monkeypatch.setattr(jupyter_book.cli.main, "main", lambda *a, **k: pytest.fail("built without a request"))
    monkeypatch.setattr(jupyter_book_build, "warm_up", lambda book: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as stopped:
        jupyter_book_build.main(["--wait"])
    assert stopped.value.code == 0


def test_warming_up_imports_the_configured_extensions_and_survives_a_missing_one(tmp_path):
    import sys

    (tmp_path / "_config.yml").write_text(
        "title: t\nsphinx:\n  extra_extensions: [no_such_extension_here, sphinx.ext.githubpages]\n", encoding="utf-8"
    )
    sys.modules.pop("sphinx.ext.githubpages", None)
    jupyter_book_build.warm_up(tmp_path)  # the missing one is left for the build to report
    assert "sphinx.ext.githubpages" in sys.modules
    assert "myst_nb.sphinx_ext" in sys.modules  # imported late by a build, early here


def test_a_book_process_started_ahead_and_not_used_is_stopped():
    from contrat_ville.run import pipeline

    process = pipeline.BookProcess()
    process.close()
    assert process.proc.poll() is not None  # stopped and reaped, no build


def test_a_serving_build_forks_one_child_per_request_and_replies_with_its_exit_code(monkeypatch, tmp_path):
    """Each build runs in a child: its output goes to the files of its request, and what it
    sets (here an environment variable) is not seen by the next build."""
    import io
    import json
    import os

    def build(argv):
        print(f"argv={argv} seen={os.environ.get('CV_TEST_SERVE', 'unset')}")
        os.environ["CV_TEST_SERVE"] = "leaked"
        if argv == ["fail"]:
            raise SystemExit("injected failure")

    monkeypatch.setattr(jupyter_book_build, "main", build)
    monkeypatch.delenv("CV_TEST_SERVE", raising=False)
    files = {name: str(tmp_path / name) for name in ("out1", "err1", "out2", "err2")}
    requests = io.StringIO(
        json.dumps({"argv": ["ok"], "env": {}, "stdout": files["out1"], "stderr": files["err1"]})
        + "\n\n"
        + json.dumps({"argv": ["fail"], "env": {"X": "1"}, "stdout": files["out2"], "stderr": files["err2"]})
        + "\n"
    )
    replies = io.StringIO()
    jupyter_book_build.serve(requests, replies)
    assert [json.loads(line) for line in replies.getvalue().splitlines()] == [{"returncode": 0}, {"returncode": 1}]
    assert (tmp_path / "out1").read_text() == "argv=['ok'] seen=unset\n"
    assert (tmp_path / "out2").read_text() == "argv=['fail'] seen=unset\n"
    assert (tmp_path / "err2").read_text() == "injected failure\n"
    assert "CV_TEST_SERVE" not in os.environ and "X" not in os.environ


def test_a_book_server_serves_several_builds_then_stops_when_closed():
    """The real process (`--serve`): two requests, each answered with its build's exit code and
    output (here JOBS is wrong, so each build stops at once with its message)."""
    from contrat_ville.run import pipeline

    server = pipeline.BookServer()
    try:
        for jobs in ("none", "0"):
            done = server.build([jobs, "build", "book"], {})
            assert done.returncode == 1
            assert f"JOBS is {jobs!r}; expected a whole number" in done.stderr
        assert server.alive() and not server.used
    finally:
        server.close()
    assert not server.alive()
    assert server.build(["1"], {}).returncode == -1  # a stopped server answers nothing
