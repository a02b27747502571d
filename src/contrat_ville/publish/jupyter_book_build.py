"""`jupyter-book build` with Sphinx's parallel processes:
`python -m contrat_ville.publish.jupyter_book_build JOBS <jupyter-book arguments>`.

Jupyter Book 1.x's command line has no `-j`; the function it calls, `jupyter_book.sphinx.
build_sphinx`, takes `jobs` and passes it to Sphinx, which then reads and writes pages in
that many processes (the search index and the environment are still built in this one, in
page order). On 2 cores, 1,500 SYNTHETIC fiches build in 0.79 of the serial time, and the
site has the same bytes: tests/test_incremental_book.py builds its reference site serially
and compares it with the pipeline's parallel builds. Extensions that do not declare that they
are safe for it are declared by contrat_ville.publish.book_ext (UNDECLARED_PARALLEL_SAFE).

`python -m contrat_ville.publish.jupyter_book_build --wait [BOOK]` first imports Jupyter Book,
Sphinx and every extension of BOOK's configuration (about 1.5 s of a one-chapter build), then
reads one request from its input: a JSON object with `argv` (the arguments above) and `env`
(variables to set), and builds. Empty input: it exits without building. The pipeline starts
it while the notebooks run (run.pipeline.BookProcess), so that the build does not wait for
its imports. Importing first changes no byte of the site."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import sys
from pathlib import Path

# imported by the build itself after its configuration is read: Sphinx's HTML builder and
# French search, and what myst-nb's extension imports when Sphinx sets it up
LATE_IMPORTS = ("sphinx.builders.html", "sphinx.search.fr", "myst_nb.sphinx_ext", "myst_nb.sphinx_")


def warm_up(book: Path) -> None:
    """Import what a build of `book` imports. Best effort: what fails to import here is left
    for the build, which reports it in its own words."""
    try:
        from jupyter_book.cli import main as _command_line  # noqa: F401
        from jupyter_book.config import get_final_config

        config, _ = get_final_config(
            user_yaml=Path(book) / "_config.yml",
            sourcedir=Path(book),
            cli_config={"latex_individualpages": False},
        )
        names = [*config.get("extensions", []), *LATE_IMPORTS]
    except Exception:  # noqa: BLE001 - see the docstring
        return
    for name in names:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def main(argv: list[str] | None = None) -> None:
    """Run Jupyter Book's command line (`argv[1:]`) with `argv[0]` Sphinx processes; exits."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--wait"]:
        from contrat_ville.data.paths import BOOK_DIR

        warm_up(Path(argv[1]) if len(argv) > 1 else BOOK_DIR)
        line = sys.stdin.readline()
        if not line.strip():
            raise SystemExit(0)
        request = json.loads(line)
        os.environ.update(request.get("env", {}))
        argv = request["argv"]

    import jupyter_book.sphinx
    from jupyter_book.cli import main as command_line

    given, arguments = (argv[0] if argv else ""), argv[1:]
    if not given.isdigit() or int(given) < 1:
        raise SystemExit(f"jupyter_book_build: JOBS is {given!r}; expected a whole number of processes, 1 or more")
    jobs = int(given)
    # the command imports the function from its module when it runs, so it gets this one
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    command_line.main(arguments, prog_name="jupyter-book")


if __name__ == "__main__":
    main()
