"""Machine description, matmul peak and result files shared by the benchmark scripts.

Import it from a script in this folder (``import common``): running
``python bench/SCRIPT.py`` puts ``bench/`` first on ``sys.path``.

* ``machine_info()``: CPU model, core counts, load, Python, numpy and BLAS
  (through threadpoolctl when it is installed) and the thread environment.
* ``measure_matmul_peak(dtype)``: GFLOP/s of a large square matmul, the
  reference that training throughput is compared with.
* ``median_step_time(step, ...)``: warm-up, then the median over repeats.
* ``write_json_atomic(path, data)``: writes through a temporary file, so a
  crash never leaves a half-written result.
"""

import datetime
import importlib.metadata
import json
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Environment variables that change how many threads BLAS uses or which kernels it picks.
THREAD_VARIABLES = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NVPL_BLAS_DEBUG_CPU_TYPE",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
)


def cpu_model():
    """Return the CPU model name from /proc/cpuinfo, or platform's description elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_info():
    """Return the BLAS libraries numpy has loaded (threadpoolctl's view), or None without it."""
    try:
        import threadpoolctl
    except ImportError:
        return None
    keys = ("user_api", "internal_api", "prefix", "version", "num_threads", "threading_layer", "architecture")
    return [{key: entry.get(key) for key in keys} for entry in threadpoolctl.threadpool_info()]


def package_versions(names):
    """Return {name: installed version or None}, read from package metadata without importing."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def machine_info(packages=("numpy",)):
    """Return a JSON-ready description of this machine and software for a result file."""
    try:
        usable_cores = len(os.sched_getaffinity(0))
    except AttributeError:
        usable_cores = os.cpu_count()
    return {
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "usable_cores": usable_cores,
        "load_average_1_5_15min": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": package_versions(packages),
        "blas": blas_info(),
        "environment": {name: os.environ.get(name) for name in THREAD_VARIABLES},
    }


def command_line():
    """Return the command that started this process, as one shell-quoted string."""
    return shlex.join([sys.executable] + sys.argv)


def median_step_time(step, steps_per_repeat, repeats, warmup_steps):
    """Time ``step()``: run it ``warmup_steps`` times, then return the per-step seconds of each repeat.

    Each repeat runs ``steps_per_repeat`` calls and records their mean time.
    The caller takes the median of the returned list as the robust figure
    (the minimum is the optimistic one).
    """
    for _ in range(warmup_steps):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps_per_repeat):
            step()
        times.append((time.perf_counter() - start) / steps_per_repeat)
    return times


def measure_matmul_peak(dtype=np.float32, size=2048, repeats=5):
    """Return the best GFLOP/s of ``a @ b`` for random (size, size) matrices of ``dtype``.

    One product counts 2 * size**3 floating-point operations. The first
    product warms up the BLAS threads and is not timed. The best of
    ``repeats`` is reported, because interference from other processes only
    slows a run down.
    """
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(dtype)
    b = rng.standard_normal((size, size)).astype(dtype)
    out = np.empty((size, size), dtype)
    np.matmul(a, b, out=out)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - start)
    flops = 2.0 * size**3
    return {
        "dtype": np.dtype(dtype).name,
        "size": size,
        "repeats": repeats,
        "seconds": times,
        "gflops": flops / min(times) / 1e9,
        "gflops_median": flops / statistics.median(times) / 1e9,
    }


def timestamp():
    """Return the current UTC time in ISO 8601 format, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def write_json_atomic(path, data):
    """Write ``data`` as indented JSON to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=2)
            file.write("\n")
        os.chmod(temporary, 0o644)  # mkstemp gives read and write permission to the owner only
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
