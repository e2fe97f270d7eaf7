"""Training batches drawn with a seeded ``numpy.random.Generator``.

Coordinate convention for images (used by every function here and by
``helpers.plotting.plot_function_2d``): an image array is indexed
``image[row, column]`` with row 0 at the top, as ``imshow`` shows it. A pixel
at (row i, column j) of an image with H rows and W columns has the input
coordinates

    x = (j + 0.5) / W - 0.5      (left to right, in [-0.5, 0.5])
    y = 0.5 - (i + 0.5) / H      (bottom to top, in [-0.5, 0.5])

so a network fitted to ``image`` as a function f(x, y) and evaluated on
``pixel_coordinates(image.shape)`` reproduces the image the right way up
after ``reshape(image.shape)``.
"""

import operator

import numpy as np

from helpers._checks import is_integer


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}: "
            "create one with numpy.random.default_rng(seed) or helpers.setup(seed)."
        )


def _check_batch_size(batch_size):
    if not is_integer(batch_size) or batch_size < 1:
        raise ValueError(f"Invalid batch_size {batch_size!r}: use a positive integer such as 1000.")
    return int(batch_size)


def random_points(function, batch_size, rng, low=-0.5, high=0.5, dtype=np.float64):
    """Draw points uniformly in the square [low, high]^2 and evaluate a target there.

    ``function(x, y)`` takes two arrays of shape (batch_size,) and returns the
    target values, shape (batch_size,). Returns ``(inputs, targets)`` with
    shapes (batch_size, 2) and (batch_size, 1): one sample per row, as the
    network and Keras expect. Raises ValueError if a target is NaN or infinite.
    """
    batch_size = _check_batch_size(batch_size)
    _check_rng(rng)
    if not callable(function):
        raise TypeError(f"function must be callable as function(x, y), got {type(function).__name__}.")
    if not low < high:
        raise ValueError(f"Invalid square: low={low!r} must be smaller than high={high!r}.")
    inputs = rng.uniform(low, high, size=(batch_size, 2)).astype(dtype)
    targets = np.asarray(function(inputs[:, 0], inputs[:, 1]), dtype=dtype)
    if targets.shape != (batch_size,):
        raise ValueError(
            f"function(x, y) returned shape {targets.shape}, expected ({batch_size},): "
            "it must return one value per point, e.g. np.sin(x) * y."
        )
    finite = np.isfinite(targets)
    if not finite.all():
        first = np.flatnonzero(~finite)[0]
        x, y = inputs[first]
        raise ValueError(
            f"function(x, y) returned {np.count_nonzero(~finite)} NaN or infinite values for {batch_size} "
            f"points, the first {targets[first]} at x={x:.6g}, y={y:.6g}: make it finite on the whole "
            f"square [{low}, {high}]^2, for example by guarding divisions and logarithms."
        )
    return inputs, targets[:, None]


def _check_image(image):
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(
            f"Expected a grey-scale image of shape (rows, columns), got shape {image.shape}: "
            "load it with helpers.data.load_image, which converts colour images to grey."
        )
    if image.shape[0] < 2 or image.shape[1] < 2:
        raise ValueError(f"Image of shape {image.shape} is too small: it needs at least 2x2 pixels.")
    if image.dtype.kind not in "biuf":
        raise TypeError(
            f"Image has dtype {image.dtype}, expected numbers (grey values): "
            "load it with helpers.data.load_image, which returns float64 values in [0, 1]."
        )
    if image.dtype.kind == "f":
        finite = np.isfinite(image)
        if not finite.all():
            row, column = np.argwhere(~finite)[0]
            raise ValueError(
                f"Image contains {np.count_nonzero(~finite)} NaN or infinite values in {image.size} pixels, "
                f"the first {image[row, column]} at row {row}, column {column}: replace them, for example "
                "with np.nan_to_num(image), or load the image again with helpers.data.load_image."
            )
    return image


def pixel_coordinates(shape, dtype=np.float64):
    """Return the (x, y) input coordinates of every pixel, shape (rows * columns, 2).

    Rows come in the order of ``image.ravel()``, so ``predictions.reshape(shape)``
    is an image in the orientation of the original.
    """
    try:
        rows, columns = (operator.index(size) for size in shape)
    except (TypeError, ValueError):
        rows = columns = 0
    if rows < 1 or columns < 1:
        raise ValueError(f"Invalid image shape {shape!r}: expected (rows, columns), two integers >= 1.")
    x = (np.arange(columns) + 0.5) / columns - 0.5
    y = 0.5 - (np.arange(rows) + 0.5) / rows
    grid_x, grid_y = np.meshgrid(x, y)  # shape (rows, columns), row 0 at the top
    return np.stack([grid_x.ravel(), grid_y.ravel()], axis=1).astype(dtype)


def image_batch(image, batch_size, rng, dtype=np.float64):
    """Draw random pixels of ``image`` with their grey values.

    Returns ``(inputs, targets)`` with shapes (batch_size, 2) and
    (batch_size, 1); the inputs follow the coordinate convention in this
    module's docstring. Pixels are drawn with replacement. Raises
    ValueError for an image that contains NaN or infinite values.
    """
    image = _check_image(image)
    batch_size = _check_batch_size(batch_size)
    _check_rng(rng)
    return _draw_pixels(image, batch_size, rng, dtype)


def _draw_pixels(image, batch_size, rng, dtype):
    rows, columns = image.shape
    i = rng.integers(0, rows, size=batch_size)
    j = rng.integers(0, columns, size=batch_size)
    inputs = np.empty((batch_size, 2), dtype=dtype)
    inputs[:, 0] = (j + 0.5) / columns - 0.5
    inputs[:, 1] = 0.5 - (i + 0.5) / rows
    targets = image[i, j].astype(dtype)[:, None]
    return inputs, targets


def image_batches(image, batch_size, rng, dtype=np.float64):
    """Return an endless iterator of ``image_batch`` results.

    The arguments are checked once, here, when the iterator is created, so
    each step skips the scan of the whole image for NaN values. An image
    changed in place afterwards is not checked again.
    """
    image = _check_image(image)
    batch_size = _check_batch_size(batch_size)
    _check_rng(rng)

    def generate():
        while True:
            yield _draw_pixels(image, batch_size, rng, dtype)

    return generate()
