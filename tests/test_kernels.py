"""The warm-kernel papermill engine: notebooks share a kernel, never each other's variables."""

from pathlib import Path

import nbformat
import papermill

from contrat_ville.run import kernels


def notebook(path, code):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return str(path)


def test_second_notebook_does_not_see_the_first_ones_variables(tmp_path):
    first = notebook(tmp_path / "a.ipynb", "secret = 42\nimport os\nkernel_pid = os.getpid()\nprint(kernel_pid)")
    second = notebook(
        tmp_path / "b.ipynb", "import os\nassert 'secret' not in globals(), 'state leaked'\nprint(os.getpid())"
    )
    with kernels.warm_kernels(str(tmp_path)):
        out_a = papermill.execute_notebook(
            first,
            str(tmp_path / "a-out.ipynb"),
            kernel_name="python3",
            progress_bar=False,
            engine_name=kernels.ENGINE_NAME,
        )
        out_b = papermill.execute_notebook(
            second,
            str(tmp_path / "b-out.ipynb"),
            kernel_name="python3",
            progress_bar=False,
            engine_name=kernels.ENGINE_NAME,
        )
    pid = lambda nb: nb.cells[0].outputs[0]["text"].strip()  # noqa: E731
    assert pid(out_a) == pid(out_b)  # one warm kernel served both


def test_kernels_talk_over_ipc_in_a_private_folder_not_tcp(tmp_path, capfd):
    """Issue 15 case 11: no kernel port on 127.0.0.1 that another local user could read, and
    no "Kernel is running over TCP without encryption" on runs."""
    import os
    import stat
    from pathlib import Path

    if not kernels.ipc_supported():
        import pytest

        pytest.skip("this libzmq has no ipc transport: kernels stay on TCP")
    code = notebook(tmp_path / "a.ipynb", "print('ok')")
    with kernels.warm_kernels(str(tmp_path)) as pool:
        papermill.execute_notebook(
            code,
            str(tmp_path / "a-out.ipynb"),
            kernel_name="python3",
            progress_bar=False,
            engine_name=kernels.ENGINE_NAME,
        )
        km, _ = pool.get()
        info = km.get_connection_info()
        folder = Path(info["ip"]).parent
        assert info["transport"] == "ipc" and km.transport == "ipc"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
    assert not folder.exists()  # removed with the kernels
    assert "without encryption" not in capfd.readouterr().err


def test_workers_start_one_preloaded_kernel_per_thread_and_notebooks_see_no_preload_name(tmp_path):
    """The run's threads start their kernels and import the notebooks' libraries before the
    notebooks (while the data is validated); a notebook then finds the modules loaded and none
    of the names the preload used."""
    code = notebook(
        tmp_path / "a.ipynb",
        "import os, sys\n"
        "assert 'pandas' not in globals() and '_module' not in globals(), 'preload names leaked'\n"
        "assert 'contrat_ville.evaluation.trends' in sys.modules and 'seaborn' in sys.modules\n"
        "print(os.getpid())",
    )
    workers = kernels.Workers(str(tmp_path), 2)
    try:

        def run(name):
            out = papermill.execute_notebook(
                code,
                str(tmp_path / f"{name}.ipynb"),
                kernel_name="python3",
                progress_bar=False,
                engine_name=kernels.ENGINE_NAME,
            )
            return out.cells[0].outputs[0]["text"].strip()

        pids = {future.result() for future in [workers.threads.submit(run, n) for n in ("x", "y", "z", "w")]}
        assert len(workers.kernels._all) == 2 and 1 <= len(pids) <= 2  # one kernel per thread, never more
    finally:
        workers.close()
    workers.close()  # closing twice is a no-op
    assert workers.kernels._all == []


def test_a_closed_pool_starts_no_kernel(tmp_path):
    import pytest

    pool = kernels.KernelPool(str(tmp_path))
    pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        pool.get()
    assert pool._all == []


def test_a_kernel_starting_when_the_pool_closes_is_shut_down_quietly(tmp_path, capfd):
    """The run closes its pool while the kernels still start (bad data found during their
    warm-up): the starting kernel ends its start, is shut down, and its thread gets an error;
    the sockets' folder goes only then, so the kernel prints no error of its own."""
    import threading
    import time

    import pytest

    pool = kernels.KernelPool(str(tmp_path))
    errors, folders = [], []

    def start():
        try:
            pool.get()
        except RuntimeError as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=start)
    thread.start()
    ipc = kernels.ipc_supported()
    deadline = time.monotonic() + 60
    # until the kernel is starting (its sockets' folder made, where there is one)
    while (pool._starting == 0 or (ipc and pool._ipc_dir is None)) and time.monotonic() < deadline:
        time.sleep(0.002)
    assert pool._starting == 1, "the kernel's start was not seen"
    folders.append(pool._ipc_dir)
    pool.close()
    assert folders[0] is None or Path(folders[0]).is_dir()  # kept while the kernel starts
    thread.join(timeout=120)
    assert errors == ["the kernel pool was closed while this kernel started"]
    assert pool._all == [] and pool._ipc_dir is None
    assert folders[0] is None or not Path(folders[0]).exists()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ZMQError" not in err, err
    with pytest.raises(RuntimeError, match="closed"):
        pool.get()
