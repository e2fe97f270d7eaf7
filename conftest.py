"""Settings and checks for the whole test run.

Notebook kernels inherit this process's environment, so the variables set
here reach them: live training displays draw once at the end instead of
redrawing every second.
"""

import os

import pytest

os.environ.setdefault("ML4P_LIVE", "0")


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
