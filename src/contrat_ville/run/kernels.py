"""A papermill engine that keeps one warm kernel per worker thread.

Starting a kernel and importing pandas, seaborn and statsmodels costs about 3 s per
notebook (see shared/decisions.md), far more than any chapter's computation. Papermill
still parameterizes, executes (through its own nbclient-based client), records errors
and writes every notebook; this engine only hands it a kernel that is already running,
after clearing the previous notebook's variables (RESET_CODE) so notebooks cannot see
each other's state. Imported modules stay loaded: that is the saving."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nbclient import NotebookClient
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

ENGINE_NAME = "contrat-ville-warm"
# Clears the previous notebook's variables and figures. IPython's `%reset -f` does the same
# but also clears the input history and runs a full garbage collection: 0.5 s per notebook,
# more than a fact sheet's whole computation. Names starting with "_" are IPython's own.
RESET_CODE = """
import matplotlib.pyplot as _plt
_plt.close("all")
Out.clear()
for _name in [n for n in list(globals()) if not n.startswith("_") and n not in ("In", "Out", "get_ipython", "exit", "quit", "open")]:
    del globals()[_name]
del _plt, _name
"""


# Imported in each kernel as it starts, while the run validates its data (`Workers`): the
# libraries of the notebooks and the package's modules they call, about 3 s per kernel that
# the first notebook of each kernel no longer waits for. The names are cleared by RESET_CODE
# before every notebook; the modules stay loaded, as they do after any notebook.
PRELOAD_CODE = """
import importlib as _importlib, pkgutil as _pkgutil
import IPython.display, matplotlib.pyplot, myst_nb, pandas, seaborn, statsmodels.api
import contrat_ville
for _module in _pkgutil.walk_packages(contrat_ville.__path__, "contrat_ville."):
    if _module.name.split(".")[1] in ("data", "evaluation", "presentation", "notebook"):
        _importlib.import_module(_module.name)
del _importlib, _pkgutil, _module
"""


class _WarmClient(PapermillNotebookClient):
    def papermill_execute_cells(self):
        self.wait_for_reply(self.kc.execute(RESET_CODE, silent=True, store_history=False))
        super().papermill_execute_cells()


class KernelPool:
    """One started kernel (manager + client) per thread, shut down on close(). A kernel whose
    start ends after close() (a thread still starting one when the run stopped, as when the
    data turns out bad while the kernels warm up) is shut down at once, and its thread gets an
    error: no kernel outlives the pool. The folder of the kernels' sockets is removed once no
    kernel is starting any more: removed under a starting kernel, it made the kernel fail to
    bind its sockets and print a traceback below the run's own message."""

    def __init__(self, cwd: str, kernel_name: str = "python3", startup_timeout: int = 120):
        self.cwd, self.kernel_name, self.startup_timeout = cwd, kernel_name, startup_timeout
        self._local = threading.local()
        self._all: list[NotebookClient] = []
        self._lock = threading.Lock()
        self._ipc_dir: str | None = None
        self._closed = False
        self._starting = 0  # kernels being started by their threads

    def get(self) -> Any:
        starter = getattr(self._local, "starter", None)
        if starter is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the kernel pool is closed")
                self._starting += 1
            try:
                starter = self._start()
            finally:
                with self._lock:
                    self._starting -= 1
                    late = self._closed
                    if starter is not None and not late:
                        self._all.append(starter)
                    last = late and self._starting == 0
                if late:
                    if starter is not None:
                        _stop(starter)
                    if last:
                        self._remove_ipc_folder()
            if late:
                raise RuntimeError("the kernel pool was closed while this kernel started")
            self._local.starter = starter
        return starter.km, starter.kc

    def _start(self) -> NotebookClient:
        import nbformat

        starter = NotebookClient(
            nbformat.v4.new_notebook(), kernel_name=self.kernel_name, startup_timeout=self.startup_timeout
        )
        starter.km = starter.create_kernel_manager()
        use_ipc(starter.km, self._ipc_folder())
        starter.start_new_kernel(cwd=self.cwd)
        starter.start_new_kernel_client()
        return starter

    def preload(self) -> None:
        """Start this thread's kernel, if not yet, and import PRELOAD_CODE in it."""
        _, kc = self.get()
        self._local.starter.wait_for_reply(kc.execute(PRELOAD_CODE, silent=True, store_history=False))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            starters, self._all = self._all, []
            idle = self._starting == 0  # else the last kernel to start removes the folder
        for starter in starters:
            _stop(starter)
        if idle:
            self._remove_ipc_folder()

    def _ipc_folder(self) -> str | None:
        with self._lock:
            if self._ipc_dir is None and ipc_supported():
                self._ipc_dir = tempfile.mkdtemp(prefix="cv-kernels-")  # mode 0700: this user only
            return self._ipc_dir

    def _remove_ipc_folder(self) -> None:
        with self._lock:
            folder, self._ipc_dir = self._ipc_dir, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _stop(starter: NotebookClient) -> None:
    # each kernel belongs to its thread's event loop; shut down from another is best effort
    from jupyter_core.utils import run_sync

    try:
        starter.kc.stop_channels()
        run_sync(starter.km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - a dying kernel must not fail a finished run
        pass


def ipc_supported() -> bool:
    """Unix-domain sockets (ZeroMQ ipc://) exist on POSIX systems whose libzmq has them."""
    import zmq

    return os.name == "posix" and bool(zmq.has("ipc"))


def use_ipc(km: Any, folder: str | None) -> None:
    """Kernel traffic over Unix-domain sockets in a folder only this user can open, instead
    of TCP on 127.0.0.1, which any local user can connect to and which ipykernel warns is
    unencrypted. Where ipc is not available the kernel stays on TCP."""
    if folder is None:
        return
    km.transport = "ipc"
    km.ip = os.path.join(folder, f"kernel-{threading.get_ident()}")


_pool: KernelPool | None = None


class WarmKernelEngine(NBClientEngine):
    """Papermill engine using the active KernelPool (see `warm_kernels`)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        if _pool is None:
            return super().execute_managed_notebook(
                nb_man,
                kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                start_timeout=start_timeout,
                execution_timeout=execution_timeout,
                **kwargs,
            )
        km, kc = _pool.get()
        client = _WarmClient(
            nb_man,
            km=km,
            kernel_name=kernel_name,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client.kc = kc
        return client.execute()


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


@contextmanager
def warm_kernels(cwd: str) -> Iterator[KernelPool]:
    """Within this block, papermill runs with engine_name=ENGINE_NAME reuse warm kernels."""
    global _pool
    _pool = KernelPool(cwd)
    try:
        yield _pool
    finally:
        _pool.close()
        _pool = None


class Workers:
    """The local executor's threads, each with its warm kernel, started ahead of the notebooks:
    every thread starts its kernel and imports PRELOAD_CODE in it while the run freezes and
    validates its data. Best effort: a kernel that failed to start here is started again by
    the first notebook of its thread, which then reports any error itself."""

    def __init__(self, cwd: str, count: int):
        from concurrent.futures import ThreadPoolExecutor

        self.count = count
        self.threads = ThreadPoolExecutor(max_workers=count)
        self._context = warm_kernels(cwd)
        self.kernels = self._context.__enter__()
        self._closed = False
        barrier = threading.Barrier(count)  # one warm-up per thread: each holds its thread until all have one
        for _ in range(count):
            self.threads.submit(self._warm, barrier)

    def _warm(self, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=60)
            self.kernels.preload()
        except Exception:  # noqa: BLE001 - see the class docstring
            pass

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self, cancel: bool = False, join: bool = True) -> None:
        """Stop the threads and the kernels (once); `cancel`: drop the queued work and stop the
        kernels first (the running cells fail with them) instead of letting it run; `join`:
        wait for the threads to end (a warm-up left running ends by itself within seconds)."""
        if self._closed:
            return
        self._closed = True
        if cancel:
            self.threads.shutdown(wait=False, cancel_futures=True)
            self._context.__exit__(None, None, None)
            if join:
                self.threads.shutdown(wait=True)
            return
        self.threads.shutdown(wait=True)
        self._context.__exit__(None, None, None)
