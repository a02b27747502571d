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
its imports. Importing first changes no byte of the site.

`python -m contrat_ville.publish.jupyter_book_build --serve [BOOK]` imports the same, then
serves requests, one JSON line each, for as long as its input stays open (`contrat-ville
watch`, run.pipeline.BookServer): each request also names the files that take the build's
`stdout` and `stderr`; each build runs in a child forked from the warm process, so that it
starts from the same state as a `--wait` build (nothing one build sets is seen by the next),
and the reply is one line, `{"returncode": N}`."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

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


def die_with_parent() -> None:
    """In a child process (before exec, or just forked): be sent SIGTERM when its parent dies,
    even by SIGKILL (Linux): a run's book build, or a book server's build, dies with them."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the run's own clean-up (finally blocks) still stops the child


def serve(requests: Iterable[str], replies: TextIO) -> None:
    """Build once per request line read from `requests`, each in a forked child (see the
    module's docstring); reply on `replies` with the child's exit code. Ends at end of input."""
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        replies.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _build_in_child(request)
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


def _build_in_child(request: dict) -> None:
    code = 1
    try:
        import signal

        signal.signal(signal.SIGINT, signal.default_int_handler)
        if sys.platform.startswith("linux"):
            die_with_parent()
        for stream, fd in (("stdout", 1), ("stderr", 2)):
            target = os.open(request[stream], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        # new streams on the redirected descriptors, whatever the parent had bound to the names
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - flushed at exit
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        os.environ.update(request.get("env", {}))
        main(request["argv"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - reported in the build's own stderr file
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run Jupyter Book's command line (`argv[1:]`) with `argv[0]` Sphinx processes; exits."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["--wait"], ["--serve"]):
        from contrat_ville.data.paths import BOOK_DIR

        warm_up(Path(argv[1]) if len(argv) > 1 else BOOK_DIR)
        if argv[0] == "--serve":
            import signal

            # Ctrl-C reaches the whole terminal's process group: the watch it stops closes this
            # server (a build under way gets it too, in its own output files)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            serve(sys.stdin, sys.stdout)
            raise SystemExit(0)
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
