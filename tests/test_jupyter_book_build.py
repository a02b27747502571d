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
