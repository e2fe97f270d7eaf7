"""Helpers shared by the notebooks of "Machine Learning for Physicists".

Modules:

* ``helpers.config``: seeding, quiet TensorFlow start-up, and the switch
  between the default (shortened) size and the lecture's full size.
* ``helpers.data``: MNIST and image loading, verified and offline-friendly.
* ``helpers.batches``: training batches drawn with ``numpy.random.Generator``.
* ``helpers.plotting``: labelled figures and a live display for training.
* ``helpers.network``: the numpy network derived in the backpropagation
  notebook.

Importing this package does not import TensorFlow; ``setup(use_keras=True)``
does, after silencing TensorFlow's C++ start-up messages.
"""

from helpers.config import FULL_SIZE, choose_size, setup, size_name

__all__ = ["FULL_SIZE", "choose_size", "setup", "size_name"]
__version__ = "0.1.0"
