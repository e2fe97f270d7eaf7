"""Seeding, quiet start-up and the size switch shared by every notebook.

The size switch is the environment variable ``ML4P_SIZE``:

* unset or ``default``: shortened runs that finish within each notebook's
  time budget on two CPU cores (what the tests and CI execute);
* ``full``: the lecture's full sizes (more samples, larger networks, more
  epochs), which take several minutes per training section.
"""

import os
import platform
import random
import sys

import numpy as np

from helpers._checks import is_integer

SIZE_VARIABLE = "ML4P_SIZE"
_SIZES = ("default", "full")


def _read_size():
    value = os.environ.get(SIZE_VARIABLE, "default").strip().lower() or "default"
    if value not in _SIZES:
        raise ValueError(
            f"Invalid {SIZE_VARIABLE}={os.environ[SIZE_VARIABLE]!r}: "
            f"use 'default' (shortened runs) or 'full' (the lecture's sizes), "
            f"or leave it unset."
        )
    return value


FULL_SIZE = _read_size() == "full"
"""True when ``ML4P_SIZE=full`` was set before the package was imported."""


def size_name():
    """Return ``'full'`` or ``'default'``, the size this kernel runs at."""
    return "full" if FULL_SIZE else "default"


def choose_size(default, full):
    """Return ``full`` when running at the lecture's full size, else ``default``."""
    return full if FULL_SIZE else default


def size_note(full_description):
    """Return a note for printed results: which size ran, and what the full size does.

    ``size_note("30 epochs")`` returns ``"default size; 30 epochs with
    ML4P_SIZE=full"`` at the default size and ``"full size"`` at full size.
    """
    if FULL_SIZE:
        return "full size"
    return f"default size; {full_description} with {SIZE_VARIABLE}=full"


def _import_tensorflow_quietly():
    """Import TensorFlow and Keras with the C++ start-up lines suppressed.

    TensorFlow 2.21 writes its oneDNN and CUDA-probe messages to file
    descriptor 2 before its logging is initialised, so TF_CPP_MIN_LOG_LEVEL
    alone does not remove them. Redirecting the descriptor for the duration
    of the import does; Python exceptions still propagate as usual.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if "tensorflow" in sys.modules:
        import keras

        return keras
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
        import keras
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(devnull)
    return keras


def setup(seed=0, use_keras=True, verbose=True):
    """Seed every random number generator and print one line of versions.

    Seeds Python's ``random``, numpy's legacy global generator and, when
    ``use_keras`` is true, Keras and TensorFlow through
    ``keras.utils.set_random_seed``. Returns a ``numpy.random.Generator``
    seeded with ``seed``, which notebooks pass to the batch helpers.
    """
    # numpy's global generator accepts seeds from 0 to 2**32 - 1 only.
    if not is_integer(seed) or not 0 <= seed < 2**32:
        raise ValueError(f"Invalid seed {seed!r}: use an integer from 0 to 2**32 - 1, such as 0.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    parts = [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    if use_keras:
        keras = _import_tensorflow_quietly()
        import tensorflow as tf

        keras.utils.set_random_seed(seed)
        parts += [f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}"]
    import matplotlib

    parts.append(f"matplotlib {matplotlib.__version__}")
    if verbose:
        print(", ".join(parts) + f" | size: {size_name()} | seed: {seed}")
    return np.random.default_rng(seed)
