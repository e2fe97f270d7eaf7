"""Algorithmically generated images: circles and squares at random places.

Used by the MNIST notebook's exercise on recognising generated images. Every
image is drawn from a seeded ``numpy.random.Generator``, so the same seed
always gives the same images.

Geometry: an image of ``size`` x ``size`` pixels covers the square
[0, size]^2, and the pixel at (row i, column j) is the unit square with its
centre at (x, y) = (j + 0.5, i + 0.5). Row 0 is at the top, as ``imshow``
shows it, so y grows downwards. A shape of half-width ``r`` (the radius of a circle, half the side of an
axis-aligned square) lies entirely inside the image, with its centre drawn
uniformly from [r, size - r] in both directions. A pixel's grey value is the
fraction of the pixel the shape covers, estimated on a grid of
``supersample`` x ``supersample`` points inside the pixel, so edges are
anti-aliased.
"""

import numpy as np

from helpers._checks import is_integer

CLASS_NAMES = ("circle", "square")
"""Names of the labels: label 0 is a circle, label 1 is a square."""


def _check_positive_int(name, value, minimum=1):
    if not is_integer(value) or value < minimum:
        raise ValueError(f"Invalid {name} {value!r}: use an integer of at least {minimum}.")
    return int(value)


def _check_extents(min_extent, max_extent, size):
    for name, value in (("min_extent", min_extent), ("max_extent", max_extent)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a number of pixels, got {type(value).__name__}.")
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"Invalid {name} {value!r}: use a positive number of pixels.")
    if min_extent > max_extent:
        raise ValueError(
            f"Invalid extents: min_extent={min_extent!r} is larger than max_extent={max_extent!r}."
        )
    if 2 * max_extent > size:
        raise ValueError(
            f"max_extent={max_extent!r} does not fit into an image of size {size}: "
            f"use at most {size / 2:g} (half the image size)."
        )


def _check_non_negative(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}.")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"Invalid {name} {value!r}: use a non-negative number.")


def _coverage(dx, dy, is_circle, line_width):
    """Return which sample points each shape covers, shape (count, points, points).

    ``dx`` (count, 1, points) and ``dy`` (count, points, 1) are the sample
    coordinates measured from each shape's centre in units of its half-width.
    A circle covers the points within Euclidean distance 1 of its centre and
    an axis-aligned square those within distance 1 in the maximum norm. With
    ``line_width`` (in the same units, shape (count, 1, 1)) only points at a
    distance of at least 1 - line_width are covered, which draws an outline.
    """
    if is_circle:
        distance = np.sqrt(dx**2 + dy**2)
    else:
        distance = np.maximum(np.abs(dx), np.abs(dy))
    inside = distance <= 1.0
    if line_width is not None:
        inside &= distance >= 1.0 - line_width
    return inside


def circles_and_squares(count, rng, size=28, min_extent=4.0, max_extent=10.0, noise=0.0,
                        line_width=None, supersample=4):
    """Draw ``count`` images, each of one circle or one square, with labels.

    Returns ``(images, labels)``: ``images`` is a float32 array of shape
    (count, size, size) with values in [0, 1] (shape 1, background 0);
    ``labels`` is an int64 array of shape (count,), 0 for a circle and 1 for a
    square (see ``CLASS_NAMES``). There are ``count - count // 2`` circles
    and ``count // 2`` squares, in random order.

    Each shape gets a random half-width, uniform in [min_extent, max_extent]
    pixels, and a random centre such that it lies entirely inside the image.
    ``line_width`` (pixels) draws outlines of that width instead of filled
    shapes. ``noise`` adds Gaussian noise of that standard deviation to every
    pixel, after which values are clipped to [0, 1]. ``supersample`` sets the
    number of sample points per pixel and direction (1 gives hard edges).
    """
    count = _check_positive_int("count", count)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}: "
            "create one with numpy.random.default_rng(seed) or helpers.setup(seed)."
        )
    size = _check_positive_int("size", size, minimum=4)
    _check_extents(min_extent, max_extent, size)
    _check_non_negative("noise", noise)
    if line_width is not None:
        _check_non_negative("line_width", line_width)
        if line_width == 0:
            raise ValueError("Invalid line_width 0: use a positive width in pixels, or None for filled shapes.")
    supersample = _check_positive_int("supersample", supersample)

    labels = rng.permutation(np.arange(count) % 2).astype(np.int64)
    extents = rng.uniform(min_extent, max_extent, size=count)
    centres = rng.uniform(extents[:, None], size - extents[:, None], size=(count, 2))

    # Sample points at the centres of a supersample x supersample grid in each
    # pixel, ordered pixel by pixel along each axis.
    offsets = (np.arange(supersample) + 0.5) / supersample
    coordinates = (np.arange(size)[:, None] + offsets[None, :]).ravel().astype(np.float32)
    scale = extents.astype(np.float32)[:, None, None]
    dx = (coordinates[None, None, :] - centres[:, 0, None, None].astype(np.float32)) / scale
    dy = (coordinates[None, :, None] - centres[:, 1, None, None].astype(np.float32)) / scale
    relative_width = None if line_width is None else np.float32(line_width) / scale

    images = np.empty((count, size, size), dtype=np.float32)
    # Draw in chunks so the boolean sample array stays small for large counts.
    chunk = max(1, 2**22 // coordinates.size**2)
    for label in (0, 1):
        indices = np.flatnonzero(labels == label)
        for start in range(0, indices.size, chunk):
            part = indices[start:start + chunk]
            width = None if relative_width is None else relative_width[part]
            inside = _coverage(dx[part], dy[part], label == 0, width)
            # Average over each pixel's samples: axes (image, row, sub-row, column, sub-column).
            inside = inside.reshape(-1, size, supersample, size, supersample)
            images[part] = inside.mean(axis=(2, 4), dtype=np.float32)

    if noise > 0:
        images += rng.normal(0.0, noise, size=images.shape).astype(np.float32)
        np.clip(images, 0.0, 1.0, out=images)
    return images, labels
