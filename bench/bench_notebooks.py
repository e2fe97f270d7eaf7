"""Execute every notebook in a fresh kernel and record its wall-clock time.

The notebooks have time budgets at the default size (for example one
minute for notebook 01 and three minutes for notebook 04). This script
measures them in one run, on one machine, and writes the figures to
``bench/results/notebooks.json``; BENCHMARKS.md quotes them. It is no test:
timings depend on the machine and on its load.

Usage (MNIST must be findable, see the README)::

    python bench/bench_notebooks.py                 # all notebooks
    python bench/bench_notebooks.py 01 04           # notebooks whose names start with 01 or 04
    ML4P_SIZE=full python bench/bench_notebooks.py 03

Set ``ML4P_EXECUTED_DIR`` to a folder to keep the executed notebooks there,
with their outputs, for reading the numbers they printed.

Each notebook runs with ``ML4P_LIVE=0`` as in the tests, so the times
exclude live redrawing.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

import common

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def run_notebook(path, executed_dir=None, timeout_per_cell=3600):
    """Execute the notebook at ``path`` in its folder; returns seconds of wall time.

    With ``executed_dir`` set, the executed notebook is written there under
    its own name, also when a cell fails.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout_per_cell, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        if executed_dir is not None:
            executed_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, executed_dir / path.name)
    return time.perf_counter() - start


def main(prefixes):
    os.environ["ML4P_LIVE"] = "0"
    paths = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    if prefixes:
        paths = [path for path in paths if path.name.startswith(tuple(prefixes))]
    if not paths:
        raise SystemExit(f"No notebook in {NOTEBOOK_DIR} starts with any of {prefixes}.")
    size = os.environ.get("ML4P_SIZE", "default") or "default"
    executed_dir = os.environ.get("ML4P_EXECUTED_DIR")
    executed_dir = Path(executed_dir) if executed_dir else None
    results = {}
    for path in paths:
        seconds = run_notebook(path, executed_dir)
        results[path.name] = round(seconds, 1)
        print(f"{path.name:32s} {seconds:7.1f} s  (size: {size})", flush=True)
    output = common.RESULTS_DIR / (f"notebooks_{size}.json")
    common.write_json_atomic(output, {
        "machine": common.machine_info(packages=("numpy", "tensorflow", "keras")),
        "command": common.command_line(),
        "time": common.timestamp(),
        "size": size,
        "seconds": results,
    })
    print(f"Wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1:])
