"""Settings and checks for the whole test run.

Notebook kernels inherit this process's environment, so the variables set
here reach them: live training displays draw once at the end instead of
redrawing every second.
"""

import os

import pytest

os.environ.setdefault("ML4P_LIVE", "0")

# Notebook file node id -> name of its first failed cell.
_failed_notebooks = {}


def _is_notebook_cell(item):
    return type(item.parent).__name__ == "IPyNbFile"


def pytest_runtest_setup(item):
    """Skip the remaining cells of a notebook once one of its cells has failed.

    Later cells depend on the failed one, so running them would only repeat
    the first error as a list of NameErrors. The first failure is the one to read.
    """
    if _is_notebook_cell(item) and item.parent.nodeid in _failed_notebooks:
        pytest.skip(f"{_failed_notebooks[item.parent.nodeid]} of this notebook failed; see its error")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and _is_notebook_cell(item):
        _failed_notebooks.setdefault(item.parent.nodeid, item.name)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a notebook cell that wrote to stderr (warnings, C++ log lines).

    nbval in lax mode only fails on exceptions; a warning printed by our
    own code, Keras or TensorFlow would pass unnoticed. nbval stores the
    cell's outputs in ``item.test_outputs``.
    """
    result = yield
    outputs = getattr(item, "test_outputs", None) or []
    stderr_text = "".join(
        output.get("text", "")
        for output in outputs
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )
    if stderr_text.strip():
        pytest.fail(
            f"Cell wrote to stderr (a warning or log line); fix its cause:\n{stderr_text[:2000]}",
            pytrace=False,
        )
    return result
