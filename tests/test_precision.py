"""Published statistics are byte-identical across machines: floats are written at a stated
precision (provenance.SIGNIFICANT_DIGITS), so last-digit noise from another CPU or BLAS
kernel never reaches data/processed (issue 15, item 0)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pandas as pd
import pytest

from contrat_ville.notebook.provenance import SIGNIFICANT_DIGITS, at_stated_precision, write_csv


def test_last_digit_noise_seen_across_machines_gives_the_same_bytes(tmp_path):
    # The two values the same trend fit gave on two machines (see shared/decisions.md).
    files = []
    for value in (-8.443968076191599, -8.443968076191588):
        path = tmp_path / f"{len(files)}.csv"
        write_csv(pd.DataFrame({"annual_change_pct": [value], "label": ["PLIE"]}), path)
        files.append(path.read_bytes())
    assert files[0] == files[1] == b"annual_change_pct,label\n-8.4439681,PLIE\n"


def test_stated_precision_keeps_published_values_and_non_floats():
    assert SIGNIFICANT_DIGITS == 8
    assert at_stated_precision(41.4) == 41.4
    assert at_stated_precision(3563915.0) == 3563915.0
    assert at_stated_precision(8.632649510320683e-05) == 8.6326495e-05
    assert at_stated_precision("41.4") == "41.4"
    assert at_stated_precision(7) == 7
    assert at_stated_precision(float("inf")) == float("inf")


def test_object_and_nullable_float_columns_are_rounded_too(tmp_path):
    frame = pd.DataFrame(
        {
            "mixed": pd.Series([1 / 3, "ND"], dtype=object),
            "nullable": pd.array([2 / 3, None], dtype="Float64"),
            "text": ["0.333333333333", "x"],
        }
    )
    path = tmp_path / "t.csv"
    write_csv(frame, path)
    assert path.read_text().splitlines() == ["mixed,nullable,text", "0.33333333,0.66666667,0.333333333333", "ND,,x"]
    assert frame.loc[0, "mixed"] == 1 / 3  # the caller's frame is left as it was


_FIT_AND_WRITE = """
import json, sys
import pandas as pd
from contrat_ville.evaluation import trends
from contrat_ville.notebook.provenance import write_csv
fits = trends.fit_counts([2015, 2016, 2017, 2018], [440, 423, 402, 330])
frame = pd.DataFrame([f.as_row() for f in fits])
write_csv(frame, sys.argv[1])
print(json.dumps(repr(frame["annual_change_pct"].tolist())))
"""


def _kernels() -> list[str]:
    # OpenBLAS kernels this CPU can run: a generic one and the one it would pick itself.
    return ["Prescott", ""] if platform.machine() in ("x86_64", "AMD64") else [""]


@pytest.mark.slow  # four fresh interpreters importing statsmodels
@pytest.mark.parametrize("threads", ["1", "2"])
def test_trend_fits_publish_the_same_bytes_under_other_blas_kernels_and_threads(tmp_path, threads):
    published = {}
    for kernel in _kernels():
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        env.pop("OPENBLAS_CORETYPE", None)
        if kernel:
            env["OPENBLAS_CORETYPE"] = kernel
        path = tmp_path / f"fits-{kernel or 'default'}.csv"
        run = subprocess.run(
            [sys.executable, "-c", _FIT_AND_WRITE, str(path)], env=env, capture_output=True, text=True, check=True
        )
        json.loads(run.stdout)  # the raw floats may differ in their last digits; the file may not
        published[kernel] = path.read_bytes()
    assert len(set(published.values())) == 1, published
