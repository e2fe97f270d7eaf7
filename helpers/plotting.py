"""Labelled figures for the notebooks, and a live display for training loops.

Nothing here selects a matplotlib backend: figures render with whatever
backend is active (the inline backend in Jupyter, Agg on a headless runner).
"""

import os
import time

import matplotlib.pyplot as plt
import numpy as np

from helpers._checks import is_integer

LIVE_VARIABLE = "ML4P_LIVE"


def live_updates_enabled():
    """Return whether live displays redraw during training.

    They do unless ``ML4P_LIVE=0`` is set or the ``CI`` variable is set, so
    a test run draws each live figure once, at the end.
    """
    value = os.environ.get(LIVE_VARIABLE)
    if value is not None:
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return not os.environ.get("CI")


def _new_axes(ax, figsize=(5, 4)):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    return ax.figure, ax


def plot_cost(costs, ax=None, log=True, label=None, xlabel="training step", ylabel="cost", title=None):
    """Plot a cost curve; returns the axes.

    ``costs`` is a sequence of floats, one per step. With ``log=True`` the
    y axis is logarithmic, which shows slow late progress. Call again with the
    same ``ax`` and a ``label`` to compare several runs in one figure.
    Raises ValueError for NaN or infinite costs, which matplotlib would
    silently leave out of the curve.
    """
    costs = np.asarray(costs, dtype=float)
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(f"costs must be a non-empty 1D sequence of floats, got shape {costs.shape}.")
    finite = np.isfinite(costs)
    if not finite.all():
        first = int(np.flatnonzero(~finite)[0])
        raise ValueError(
            f"costs contain {np.count_nonzero(~finite)} NaN or infinite values, the first ({costs[first]}) at "
            f"index {first}, so training probably diverged there. Lower the learning rate and train again, "
            f"or plot costs[:{first}] to see the curve before that step."
        )
    if log and np.any(costs <= 0):
        raise ValueError(
            f"A logarithmic cost axis needs positive costs, but the minimum is {costs.min():g}: "
            "pass log=False."
        )
    fig, ax = _new_axes(ax)
    ax.plot(np.arange(costs.size), costs, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if label is not None:
        ax.legend()
    return ax


def evaluate_on_grid(function, resolution=100, extent=(-0.5, 0.5, -0.5, 0.5)):
    """Evaluate ``function(x, y)`` on a square grid; returns an array (resolution, resolution).

    Row 0 of the result is the bottom edge (smallest y), which is the layout
    ``plot_function_2d`` expects with its default ``origin='lower'``.
    """
    if not is_integer(resolution) or resolution < 2:
        raise ValueError(f"Invalid resolution {resolution!r}: use an integer of at least 2, such as 100.")
    x_min, x_max, y_min, y_max = extent
    x = np.linspace(x_min, x_max, resolution)
    y = np.linspace(y_min, y_max, resolution)
    grid_x, grid_y = np.meshgrid(x, y)
    values = np.asarray(function(grid_x, grid_y), dtype=float)
    if values.shape != grid_x.shape:
        raise ValueError(
            f"function(x, y) returned shape {values.shape} on a grid of shape {grid_x.shape}: "
            "it must work elementwise on arrays."
        )
    return values


def plot_function_2d(values, ax=None, extent=(-0.5, 0.5, -0.5, 0.5), title=None, cmap="viridis",
                     colorbar=True, vmin=None, vmax=None, label="value"):
    """Show a function of two variables as a heat map; returns the image artist.

    ``values`` is either a 2D array with row 0 at the bottom (as returned by
    ``evaluate_on_grid``) or a callable ``f(x, y)`` that is evaluated on a
    100x100 grid over ``extent``.
    """
    if callable(values):
        values = evaluate_on_grid(values, extent=extent)
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"values must be a 2D array (rows, columns), got shape {values.shape}.")
    fig, ax = _new_axes(ax)
    image = ax.imshow(values, origin="lower", extent=extent, cmap=cmap, vmin=vmin, vmax=vmax,
                      interpolation="nearest")
    ax.set_xlabel("$x$ (input 1)")
    ax.set_ylabel("$y$ (input 2)")
    if title:
        ax.set_title(title)
    if colorbar:
        fig.colorbar(image, ax=ax, label=label)
    return image


def show_image(image, ax=None, title=None, vmin=0.0, vmax=1.0, cmap="gray"):
    """Show a grey-scale image (row 0 at the top, values in [vmin, vmax]); returns the artist."""
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError(f"image must be 2D (rows, columns), got shape {image.shape}.")
    fig, ax = _new_axes(ax)
    artist = ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return artist


def image_grid(images, ncols=10, titles=None, suptitle=None, cmap="gray", vmin=None, vmax=None,
               cell_size=1.2, symmetric=False):
    """Show many small images in a grid; returns the figure.

    ``images`` has shape (n, rows, columns), or (n, rows * columns) for square
    images such as flattened MNIST digits. ``titles`` gives one short string
    per image. With ``symmetric=True`` each image gets a colour scale centred
    on zero, which suits weights and filters with both signs.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(
                f"Flattened images of length {images.shape[1]} are not square: "
                "pass them as (n, rows, columns)."
            )
        images = images.reshape(-1, side, side)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, rows, columns) with n >= 1, got {images.shape}.")
    if not is_integer(ncols) or ncols < 1:
        raise ValueError(f"Invalid ncols {ncols!r}: use a positive integer.")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"Got {len(titles)} titles for {len(images)} images: pass one title per image.")
    count = len(images)
    ncols = min(ncols, count)
    nrows = -(-count // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(cell_size * ncols, cell_size * nrows + 0.3),
                             squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if index >= count:
            ax.axis("off")
            continue
        low, high = vmin, vmax
        if symmetric:
            high = float(np.abs(images[index]).max()) or 1.0
            low = -high
        ax.imshow(images[index], cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
        if titles is not None:
            ax.set_title(str(titles[index]), fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


class LiveDisplay:
    """One figure that a training loop redraws in place.

    ``draw(axes, **state)`` draws the current state onto the figure's axes
    (it is called on cleared axes). In an interactive session ``update``
    redraws at most once every ``min_interval`` seconds, replacing the
    previous picture in the same output area. When live updates are off (see
    ``live_updates_enabled``), ``update`` does nothing and ``finish`` draws
    the final state exactly once, so a test run produces one picture and no
    output flood.

    Usage::

        live = LiveDisplay(draw, ncols=2)
        for step in range(steps):
            ...
            live.update(costs=costs, image=prediction)
        live.finish(costs=costs, image=prediction)
    """

    def __init__(self, draw, nrows=1, ncols=1, figsize=None, min_interval=1.0, live=None):
        if not callable(draw):
            raise TypeError(f"draw must be callable as draw(axes, **state), got {type(draw).__name__}.")
        if min_interval < 0:
            raise ValueError(f"Invalid min_interval {min_interval!r}: use seconds >= 0.")
        self._draw = draw
        self.live = live_updates_enabled() if live is None else bool(live)
        self.min_interval = float(min_interval)
        figsize = figsize or (4.5 * ncols, 3.8 * nrows)
        self.figure, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
        self.axes = axes.ravel() if axes.size > 1 else axes[0, 0]
        plt.close(self.figure)  # keep the inline backend from showing it a second time
        self._handle = None
        self._last_draw = -np.inf
        self.draw_count = 0

    def _render(self, state):
        for ax in np.atleast_1d(self.axes):
            ax.clear()
        self._draw(self.axes, **state)
        self.figure.tight_layout()
        self.draw_count += 1
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        if get_ipython() is None:  # plain Python script: nothing to display into
            return
        if self._handle is None:
            self._handle = display(self.figure, display_id=True)
        else:
            self._handle.update(self.figure)

    def update(self, **state):
        """Redraw with ``state`` if live and at least ``min_interval`` seconds have passed."""
        if not self.live:
            return False
        now = time.monotonic()
        if now - self._last_draw < self.min_interval:
            return False
        self._render(state)
        self._last_draw = time.monotonic()
        return True

    def finish(self, **state):
        """Draw the final state once; returns the figure."""
        self._render(state)
        return self.figure
