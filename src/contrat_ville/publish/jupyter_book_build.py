"""`jupyter-book build` with Sphinx's parallel processes:
`python -m contrat_ville.publish.jupyter_book_build JOBS <jupyter-book arguments>`.

Jupyter Book 1.x's command line has no `-j`; the function it calls, `jupyter_book.sphinx.
build_sphinx`, takes `jobs` and passes it to Sphinx, which then reads and writes pages in
that many processes (the search index and the environment are still built in this one, in
page order). On 2 cores, 1,500 SYNTHETIC fiches build in 0.79 of the serial time, and the
site has the same bytes: tests/test_incremental_book.py builds its reference site serially
and compares it with the pipeline's parallel builds. Extensions that do not declare that they
are safe for it are declared by contrat_ville.publish.book_ext (UNDECLARED_PARALLEL_SAFE)."""

from __future__ import annotations

import functools
import sys


def main(argv: list[str] | None = None) -> None:
    """Run Jupyter Book's command line (`argv[1:]`) with `argv[0]` Sphinx processes; exits."""
    import jupyter_book.sphinx
    from jupyter_book.cli import main as command_line

    argv = sys.argv[1:] if argv is None else argv
    given, arguments = (argv[0] if argv else ""), argv[1:]
    if not given.isdigit() or int(given) < 1:
        raise SystemExit(f"jupyter_book_build: JOBS is {given!r}; expected a whole number of processes, 1 or more")
    jobs = int(given)
    # the command imports the function from its module when it runs, so it gets this one
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    command_line.main(arguments, prog_name="jupyter-book")


if __name__ == "__main__":
    main()
