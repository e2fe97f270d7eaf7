"""Helpers shared by the notebooks of "Machine Learning for Physicists".

Modules:

* ``helpers.config``: seeding, quiet TensorFlow start-up, and the switch
  between the default (shortened) size and the lecture's full size.
* ``helpers.data``: MNIST and image loading, verified and offline-friendly.
* ``helpers.batches``: training batches drawn with ``numpy.random.Generator``.
* ``helpers.plotting``: labelled figures and a live display for training.
* ``helpers.network``: the numpy network derived in the backpropagation
  notebook.
* ``helpers.keras_tools``: one float loss per ``train_on_batch`` step.

All modules but ``helpers.network`` are imported with the package.

Importing this package does not import TensorFlow; ``setup(use_keras=True)``
does, after silencing TensorFlow's C++ start-up messages.
"""

from helpers import batches, config, data, keras_tools, plotting
from helpers.config import FULL_SIZE, choose_size, setup, size_name, size_note

__all__ = ["FULL_SIZE", "batches", "choose_size", "config", "data", "keras_tools", "plotting", "setup",
           "size_name", "size_note"]
__version__ = "0.1.0"
