"""A fully connected neural network in plain numpy, trained by backpropagation.

This module is the network that the backpropagation notebook derives step by
step, kept here so that later notebooks can reuse it. It is meant to be read:
every formula of the lecture appears once, in a short function, with the
array shapes in its docstring. It is also fast enough for the image-fitting
notebooks, because one training step reuses preallocated arrays and does its
arithmetic in place.

What it leaves out, on purpose: it has only the quadratic cost and plain
stochastic gradient descent, with no momentum, adam or learning-rate
schedules. It has no regularisation, dropout, softmax or cross-entropy, and
it runs on the CPU only. For those, the later notebooks use Keras.

Notation (the lecture's symbols, with one sample per row of every array):

* ``y^(n)``: values of the neurons in layer n, shape (batch, n_n). Layer 0 is
  the input, ``y^(0) = y_in``; the last layer is the output ``y_out``.
* ``z^(n) = y^(n-1) @ w^(n) + b^(n)``: the input of the neurons in layer n,
  shape (batch, n_n), and ``y^(n) = f(z^(n))`` with the layer's activation f.
* ``w^(n)``: weights from layer n-1 to layer n, shape (n_in, n_out) =
  (n_{n-1}, n_n), stored as ``weights[n - 1]``; ``b^(n)``: biases, shape
  (n_out,), stored as ``biases[n - 1]``. In code, "layer k" means weight
  layer k = 0 .. depth-1, which maps ``y^(k)`` to ``y^(k+1)``.
* Cost: ``C = 1/2 < |y_out - y_target|^2 >``, where ``< >`` is the mean over
  the batch (``reduction="mean"``, the lecture's choice) or the sum
  (``reduction="sum"``).
* ``Delta^(n)``: the derivative of one sample's cost with respect to
  ``z^(n)``, shape (batch, n_n). Backpropagation computes it from the top:

      Delta^(out) = (y_out - y_target) * f'(z^(out))
      Delta^(n-1) = (Delta^(n) @ w^(n).T) * f'(z^(n-1))
      dC/dw^(n)   = y^(n-1).T @ Delta^(n) / batch      shape (n_in, n_out)
      dC/db^(n)   = sum over the batch of Delta^(n) / batch      shape (n_out,)

  With ``reduction="sum"`` the two divisions by the batch size are dropped.

Activations: ``activations`` is either one name or a list with one name per
weight layer. One name applies to every layer, the output layer included, as
in the lecture's first backpropagation example, which uses the sigmoid
everywhere. A list such as ``["relu", "relu", "linear"]`` gives ReLU hidden
layers and a linear output, and ``output_activation="linear"`` is a
shortcut for that case.

Initial weights are drawn from a normal distribution with mean 0 and
standard deviation ``gain/sqrt(n_in)``, with gain 4 for sigmoid layers, the
square root of 2 for ReLU layers (He initialisation) and 1 for linear layers.
The sigmoid's gain 4 compensates its slope f'(0) = 1/4, so near z = 0 the
spread of z keeps its size from layer to layer. With gain 1, the sigmoid
networks 2-30-20-1 and 2-20-30-10-1 fitting exp(-5 r^2) |x + y| on the
square [-0.5, 0.5]^2 (batch 1000, eta 0.1 to 1.0) stayed for all of 2000
steps on the plateau where they output the mean of the target; with gain 4
their cost fell steadily, faster for larger eta. ``init_scale`` sets one
standard deviation for every layer instead. Biases start at zero. The
weights are drawn in float64 and then rounded to the network's dtype, so one
seed gives the same network in float32 and float64.

Speed: ``train_step`` keeps its arrays between calls (one set per batch
size) and writes every intermediate result into them with ``out=``. It
multiplies the output Delta once by eta/batch, so the weight gradients come
out already scaled for the update ``w -= eta dC/dw``. It skips the Delta of
the input layer, which no gradient needs. It computes f' from f(z) for the
sigmoid and as a 0/1 mask for ReLU. ``bench/bench_numpy_network.py`` measures the
throughput against the machine's matmul peak.
"""

import math
import numbers

import numpy as np

from helpers._checks import is_integer

__all__ = [
    "ACTIVATIONS",
    "Network",
    "autodiff_gradients",
    "linear",
    "linear_derivative",
    "numerical_gradients",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
]

DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
REDUCTIONS = ("mean", "sum")


# --- Activations ------------------------------------------------------------


def sigmoid(z):
    """Return the sigmoid 1 / (1 + exp(-z)), computed as (1 + tanh(z/2)) / 2.

    The tanh form cannot overflow: exp(-z) overflows, with a RuntimeWarning,
    for z below about -709 in float64 (-88 in float32), while tanh saturates
    at -1 and 1. So sigmoid(-1000) = 0, sigmoid(0) = 0.5 and sigmoid(1000) = 1
    exactly. Its absolute error is below the dtype's machine epsilon; values
    smaller than that (z below about -37 in float64) come out as 0.
    Float32 input gives float32 output.
    """
    z = np.asarray(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_derivative(z):
    """Return f'(z) = f(z) (1 - f(z)) for the sigmoid f."""
    y = sigmoid(z)
    return y * (1.0 - y)


def relu(z):
    """Return max(z, 0) elementwise."""
    return np.maximum(np.asarray(z), 0)


def relu_derivative(z):
    """Return 1 where z > 0 and 0 elsewhere (the derivative at 0 is taken as 0)."""
    z = np.asarray(z)
    dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
    return np.greater(z, 0).astype(dtype)


def linear(z):
    """Return a copy of z (the identity, f(z) = z)."""
    return np.array(z, copy=True)


def linear_derivative(z):
    """Return ones shaped like z."""
    z = np.asarray(z)
    dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
    return np.ones_like(z, dtype=dtype)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "relu": (relu, relu_derivative),
    "linear": (linear, linear_derivative),
}
"""Activation name -> (f, f'), both taking and returning arrays of z's shape."""


# In-place versions used by the network. ``values`` contains z on entry and
# f(z) on return, and f'(z) goes into ``derivatives`` unless it is None.
# Each derivative is computed from f(z) or z with one or two cheap passes.


def _sigmoid_in_place(values, derivatives):
    np.multiply(values, 0.5, out=values)
    np.tanh(values, out=values)
    np.add(values, 1.0, out=values)
    np.multiply(values, 0.5, out=values)
    if derivatives is not None:
        np.subtract(1.0, values, out=derivatives)
        np.multiply(derivatives, values, out=derivatives)


def _relu_in_place(values, derivatives):
    if derivatives is None:
        np.maximum(values, 0, out=values)
        return
    np.greater(values, 0, out=derivatives)  # the boolean mask, stored as 0.0 and 1.0
    # Multiplying by the mask was about 3x faster than np.maximum (float32,
    # shape (1000, 150), numpy 2.4) and gives the same values, except -0.0 for z < 0.
    np.multiply(values, derivatives, out=values)


def _linear_in_place(values, derivatives):
    # f(z) = z leaves ``values`` as it is; the derivatives of a linear layer
    # are ones, written once when its buffers are allocated.
    pass


_IN_PLACE = {"sigmoid": _sigmoid_in_place, "relu": _relu_in_place, "linear": _linear_in_place}

# Default initial weights: std = gain / sqrt(n_in), see the module docstring.
_INIT_GAINS = {"sigmoid": 4.0, "relu": math.sqrt(2.0), "linear": 1.0}


# --- Argument checks --------------------------------------------------------


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths such as [2, 30, 1], got {sizes!r}.")
    if len(sizes) < 2:
        raise ValueError(f"Invalid sizes {list(sizes)!r}: give at least the input and the output width, e.g. [2, 1].")
    for size in sizes:
        if not is_integer(size) or size < 1:
            raise ValueError(f"Invalid layer width {size!r} in sizes {list(sizes)!r}: every width must be a positive integer.")
    return tuple(int(size) for size in sizes)


def _check_activation_name(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {name!r}: use one of {sorted(ACTIVATIONS)}.")
    return name


def _check_activations(activations, output_activation, depth):
    if isinstance(activations, str):
        names = [_check_activation_name(activations)] * depth
    else:
        names = [_check_activation_name(name) for name in activations]
        if len(names) != depth:
            raise ValueError(
                f"Got {len(names)} activations {names!r} for {depth} weight layers: "
                f"give one name per layer (len(sizes) - 1 = {depth}) or a single name for all layers."
            )
    if output_activation is not None:
        names[-1] = _check_activation_name(output_activation)
    return tuple(names)


def _check_dtype(dtype):
    try:
        checked = np.dtype(dtype)
    except TypeError:
        checked = None
    if checked not in DTYPES:
        raise TypeError(f"Invalid dtype {dtype!r}: use np.float32 or np.float64.")
    return checked


def _make_rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if not is_integer(seed):
        raise TypeError(f"Invalid seed {seed!r}: use a non-negative integer or a numpy.random.Generator.")
    if seed < 0:
        raise ValueError(f"Invalid seed {seed!r}: use a non-negative integer or a numpy.random.Generator.")
    return np.random.default_rng(int(seed))


def _check_positive_number(value, name, example):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"Invalid {name} {value!r}: use a positive finite number such as {example}.")
    return float(value)


def _check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid reduction {reduction!r}: use 'mean' (the lecture's cost) or 'sum'.")
    return reduction


def _numeric_array(values, name, expected_shape, dtype):
    """Return ``values`` as a C-contiguous array of ``dtype``, rejecting non-numeric data.

    Booleans, integers and floats are converted, and so are object arrays
    whose elements are numbers. Strings, complex numbers, dates and ragged
    nested lists raise with the dtype and ``expected_shape`` in the message.
    """
    try:
        array = np.asarray(values)
    except ValueError as error:  # numpy 2.4 rejects ragged nested lists with ValueError
        raise ValueError(
            f"{name} is not a rectangular array: expected a numeric array of shape {expected_shape} with "
            f"the same number of values in every row (numpy: {error})"
        ) from None
    if array.dtype.kind in "biuf":
        return np.ascontiguousarray(array, dtype=dtype)
    if array.dtype.kind == "O":
        try:
            return np.ascontiguousarray(array, dtype=dtype)
        except (TypeError, ValueError):
            pass
    raise TypeError(
        f"{name} has dtype {array.dtype}, expected a numeric array of shape {expected_shape}: "
        "convert it to numbers first, e.g. with np.asarray(values, dtype=float)."
    )


def _describe_non_finite(batch):
    """Return how many entries of a 2D batch are NaN or infinite and where the first one is."""
    bad = ~np.isfinite(batch)
    row, column = np.argwhere(bad)[0]
    return f"{np.count_nonzero(bad)} of {bad.size}, the first {batch[row, column]} at row {row}, column {column}"


def _check_steps(steps):
    if not is_integer(steps) or steps < 1:
        raise ValueError(f"Invalid steps {steps!r}: use a positive integer.")
    return int(steps)


# --- Reusable arrays --------------------------------------------------------


class _Buffers:
    """Arrays for one batch size, which a training step fills in place.

    Weight layer k maps n_in to n_out neurons. ``values[k]`` (z, then f(z)),
    ``derivatives[k]`` (f'(z)) and ``deltas[k]`` have shape (batch, n_out).
    ``grads_w[k]`` has shape (n_in, n_out) and ``grads_b[k]`` shape (n_out,).
    """

    def __init__(self, sizes, activations, batch_size, dtype):
        widths = list(zip(sizes[:-1], sizes[1:]))
        self.values = [np.empty((batch_size, n_out), dtype) for _, n_out in widths]
        self.derivatives = [
            np.ones((batch_size, n_out), dtype) if name == "linear" else np.empty((batch_size, n_out), dtype)
            for (_, n_out), name in zip(widths, activations)
        ]
        self.deltas = [np.empty((batch_size, n_out), dtype) for _, n_out in widths]
        self.grads_w = [np.empty((n_in, n_out), dtype) for n_in, n_out in widths]
        self.grads_b = [np.empty(n_out, dtype) for _, n_out in widths]


# --- The network ------------------------------------------------------------


class Network:
    """A fully connected network y_out = f(... f(y_in @ w + b) ...) with the quadratic cost.

    Parameters:
        sizes: layer widths from input to output, e.g. [2, 30, 20, 1].
        activations: one name from ``ACTIVATIONS`` for every layer (output
            included), or a list of len(sizes) - 1 names.
        dtype: np.float32 or np.float64; weights, biases, inputs (cast once
            on entry) and all arithmetic use it.
        seed: an int or a ``numpy.random.Generator`` for the initial weights.
        init_scale: standard deviation of every initial weight; None uses
            gain/sqrt(n_in) with gain 4 (sigmoid), sqrt(2) (ReLU) or 1 (linear).
        output_activation: if given, replaces the output layer's activation.

    Attributes: ``weights[k]`` of shape (n_in, n_out) and ``biases[k]`` of
    shape (n_out,) for k = 0 .. depth-1; ``sizes``, ``activations``,
    ``dtype``, ``depth``. Change weights in place (``net.weights[0][:, :5] =
    0``); an assigned array must keep its shape and dtype.
    """

    def __init__(self, sizes, activations="sigmoid", dtype=np.float64, seed=0, init_scale=None, output_activation=None):
        self.sizes = _check_sizes(sizes)
        self.activations = _check_activations(activations, output_activation, len(self.sizes) - 1)
        self.dtype = _check_dtype(dtype)
        rng = _make_rng(seed)
        if init_scale is not None:
            init_scale = _check_positive_number(init_scale, "init_scale", "0.1")
        self.weights = []
        self.biases = []
        for n_in, n_out, name in zip(self.sizes[:-1], self.sizes[1:], self.activations):
            std = init_scale if init_scale is not None else _default_std(n_in, name)
            self.weights.append((std * rng.standard_normal((n_in, n_out))).astype(self.dtype))
            self.biases.append(np.zeros(n_out, self.dtype))
        self._buffers = {}

    @property
    def depth(self):
        """Number of weight layers, len(sizes) - 1."""
        return len(self.sizes) - 1

    @property
    def num_parameters(self):
        """Total number of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def __repr__(self):
        return f"Network({list(self.sizes)}, activations={list(self.activations)}, dtype={self.dtype.name})"

    def copy(self, dtype=None):
        """Return an independent copy, converted to ``dtype`` if one is given."""
        clone = object.__new__(Network)
        clone.sizes = self.sizes
        clone.activations = self.activations
        clone.dtype = self.dtype if dtype is None else _check_dtype(dtype)
        clone.weights = [w.astype(clone.dtype, copy=True) for w in self.weights]
        clone.biases = [b.astype(clone.dtype, copy=True) for b in self.biases]
        clone._buffers = {}
        return clone

    # --- forward pass ---

    def forward(self, y_in):
        """Return the network's output for ``y_in`` of shape (batch, n_in); shape (batch, n_out)."""
        y = self._check_inputs(y_in)
        for w, b, name in zip(self.weights, self.biases, self.activations):
            z = y @ w
            z += b
            _IN_PLACE[name](z, None)
            y = z
        return y

    def forward_pass(self, y_in):
        """Run the forward pass and keep what backpropagation needs.

        Returns ``(ys, dfs)``: ``ys[0]`` is ``y_in`` (cast to the network's
        dtype), ``ys[k + 1] = f(z)`` of layer k, shape (batch, n_out), and
        ``dfs[k] = f'(z)`` of layer k, same shape.
        """
        y_in = self._check_inputs(y_in)
        buffers = _Buffers(self.sizes, self.activations, len(y_in), self.dtype)
        self._forward_into(y_in, buffers)
        return [y_in] + buffers.values, buffers.derivatives

    def _forward_into(self, y_in, buffers):
        y = y_in
        for k, (w, b, name) in enumerate(zip(self.weights, self.biases, self.activations)):
            z = buffers.values[k]
            np.matmul(y, w, out=z)
            z += b
            _IN_PLACE[name](z, buffers.derivatives[k])
            y = z
        return y

    # --- cost and backward pass ---

    def cost(self, y_in, y_target, reduction="mean"):
        """Return C = 1/2 < |y_out - y_target|^2 > as a float (mean or sum over the batch)."""
        _check_reduction(reduction)
        y_in, y_target = self._check_batch(y_in, y_target)
        error = self.forward(y_in)
        error -= y_target
        flat = error.reshape(-1)
        cost = 0.5 * float(np.dot(flat, flat))
        return cost / len(y_in) if reduction == "mean" else cost

    def backward(self, y_in, y_target, reduction="mean"):
        """Return ``(cost, grads_w, grads_b)`` for one batch, by backpropagation.

        ``cost`` is C before any update (a float); ``grads_w[k] = dC/dw`` of
        layer k, shape (n_in, n_out), and ``grads_b[k] = dC/db``, shape
        (n_out,), in the network's dtype.
        """
        _check_reduction(reduction)
        y_in, y_target = self._check_batch(y_in, y_target)
        batch_size = len(y_in)
        buffers = _Buffers(self.sizes, self.activations, batch_size, self.dtype)
        self._forward_into(y_in, buffers)
        scale = 1.0 / batch_size if reduction == "mean" else 1.0
        summed_cost = self._backpropagate(y_in, y_target, buffers, scale)
        cost = summed_cost / batch_size if reduction == "mean" else summed_cost
        return cost, buffers.grads_w, buffers.grads_b

    def _backpropagate(self, y_in, y_target, buffers, scale):
        """Fill ``buffers.grads_w`` and ``grads_b`` with ``scale`` times the summed-cost gradients.

        Expects ``buffers`` filled by ``_forward_into`` and returns the summed
        cost. The recursion is linear in Delta, so multiplying the output
        Delta once by ``scale`` (1/batch for the mean cost, eta/batch in a
        training step) scales every gradient, instead of one division per
        gradient array.
        """
        last = self.depth - 1
        delta = buffers.deltas[last]
        np.subtract(buffers.values[last], y_target, out=delta)
        flat = delta.reshape(-1)
        summed_cost = 0.5 * float(np.dot(flat, flat))
        np.multiply(delta, scale, out=delta)
        self._multiply_by_derivative(delta, last, buffers)
        for k in range(last, -1, -1):
            y_below = y_in if k == 0 else buffers.values[k - 1]
            np.matmul(y_below.T, delta, out=buffers.grads_w[k])
            np.sum(delta, axis=0, out=buffers.grads_b[k])
            if k > 0:  # the input layer's Delta is never needed
                below = buffers.deltas[k - 1]
                np.matmul(delta, self.weights[k].T, out=below)
                self._multiply_by_derivative(below, k - 1, buffers)
                delta = below
        return summed_cost

    def _multiply_by_derivative(self, delta, k, buffers):
        if self.activations[k] != "linear":  # f' = 1 needs no multiplication
            np.multiply(delta, buffers.derivatives[k], out=delta)

    # --- training ---

    def train_step(self, y_in, y_target, eta):
        """Take one gradient-descent step w -> w - eta dC/dw on one batch (mean cost).

        Returns the batch's cost before the step, as a float. Raises
        FloatingPointError, before changing any weight, if the cost is not
        finite (the weights have diverged: lower eta).
        """
        eta = _check_positive_number(eta, "eta", "0.1")
        y_in, y_target = self._check_batch(y_in, y_target)
        batch_size = len(y_in)
        buffers = self._buffers_for(batch_size)
        self._forward_into(y_in, buffers)
        summed_cost = self._backpropagate(y_in, y_target, buffers, eta / batch_size)
        cost = summed_cost / batch_size
        if not math.isfinite(cost):
            raise FloatingPointError(
                f"The cost is {cost} before this step: training diverged. Lower eta (now {eta}) "
                "or the initial weights (init_scale), and start again from a fresh network."
            )
        # The gradient buffers already contain eta * dC/dw (see _backpropagate).
        for w, b, step_w, step_b in zip(self.weights, self.biases, buffers.grads_w, buffers.grads_b):
            np.subtract(w, step_w, out=w)
            np.subtract(b, step_b, out=b)
        return cost

    def train(self, batches, steps, eta, callback=None):
        """Run ``steps`` training steps on batches drawn from ``batches``.

        ``batches`` is an iterable yielding ``(y_in, y_target)`` pairs, such
        as a generator of fresh random samples (use ``itertools.repeat(pair)``
        to train on one fixed batch). ``callback(step, costs_so_far)``, if
        given, is called after every step with the 0-based step index and
        the costs up to and including it. Returns the per-step costs (each
        before its step), a float64 array of length ``steps``.
        """
        steps = _check_steps(steps)
        eta = _check_positive_number(eta, "eta", "0.1")
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable as callback(step, costs), got {type(callback).__name__}.")
        if isinstance(batches, tuple) and len(batches) == 2 and isinstance(batches[0], np.ndarray):
            raise TypeError("batches must yield (y_in, y_target) pairs; to train on one fixed batch, pass itertools.repeat((y_in, y_target)).")
        try:
            batch_iterator = iter(batches)
        except TypeError:
            raise TypeError(
                f"batches must be an iterator of (y_in, y_target) pairs, got {type(batches).__name__}: "
                "pass e.g. helpers.batches.image_batches(image, batch_size, rng), or "
                "itertools.repeat((y_in, y_target)) to train on one fixed batch."
            ) from None
        costs = np.empty(steps)
        for step in range(steps):
            y_in, y_target = _next_batch(batch_iterator, step)
            costs[step] = self.train_step(y_in, y_target, eta)
            if callback is not None:
                callback(step, costs[: step + 1])
        return costs

    # --- input checks and buffers ---

    def _buffers_for(self, batch_size):
        buffers = self._buffers.get(batch_size)
        if buffers is None:
            if len(self._buffers) >= 4:  # keep memory bounded when batch sizes vary
                self._buffers.clear()
            buffers = _Buffers(self.sizes, self.activations, batch_size, self.dtype)
            self._buffers[batch_size] = buffers
        return buffers

    def _check_parameters(self):
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            n_in, n_out = self.sizes[k], self.sizes[k + 1]
            for name, array, shape in (("weights", w, (n_in, n_out)), ("biases", b, (n_out,))):
                if not isinstance(array, np.ndarray) or array.shape != shape or array.dtype != self.dtype:
                    found = f"{array.shape} {array.dtype}" if isinstance(array, np.ndarray) else type(array).__name__
                    raise ValueError(
                        f"net.{name}[{k}] is {found}, expected shape {shape} and dtype {self.dtype.name}: "
                        f"assign values in place, e.g. net.{name}[{k}][...] = new_values."
                    )

    def _check_inputs(self, y_in):
        self._check_parameters()
        n_in = self.sizes[0]
        y_in = _numeric_array(y_in, "y_in", f"(batch, {n_in})", self.dtype)
        if y_in.ndim != 2 or y_in.shape[1] != n_in:
            hint = " (for a single sample use y_in[None, :])" if y_in.shape == (n_in,) and n_in > 1 else ""
            raise ValueError(f"y_in has shape {y_in.shape}, expected (batch, {n_in}): one sample per row{hint}.")
        if len(y_in) == 0:
            raise ValueError("y_in is an empty batch: give at least one sample.")
        if not np.isfinite(y_in).all():
            raise ValueError(
                f"y_in contains NaN or infinite values ({_describe_non_finite(y_in)}): "
                "remove or replace them before calling the network."
            )
        return y_in

    def _check_batch(self, y_in, y_target):
        y_in = self._check_inputs(y_in)
        expected = (len(y_in), self.sizes[-1])
        y_target = _numeric_array(y_target, "y_target", str(expected), self.dtype)
        if y_target.shape != expected:
            hint = " (use y_target[:, None] for one output)" if y_target.shape == (len(y_in),) else ""
            raise ValueError(f"y_target has shape {y_target.shape}, expected {expected} to match y_in{hint}.")
        if not np.isfinite(y_target).all():
            raise ValueError(
                f"y_target contains NaN or infinite values ({_describe_non_finite(y_target)}): "
                "remove or replace them before training."
            )
        return y_in, y_target


def _default_std(n_in, activation):
    return _INIT_GAINS[activation] / math.sqrt(n_in)


def _next_batch(batch_iterator, step):
    try:
        batch = next(batch_iterator)
    except StopIteration:
        raise ValueError(
            f"batches ran out after {step} steps: pass fewer steps or an endless generator of batches."
        ) from None
    if not isinstance(batch, (tuple, list)) or len(batch) != 2:
        raise TypeError(f"Each batch must be a pair (y_in, y_target), got {type(batch).__name__} at step {step}.")
    return batch


# --- Reference gradients for checking backpropagation -------------------------


def numerical_gradients(net, y_in, y_target, epsilon=1e-6, reduction="mean"):
    """Return ``(grads_w, grads_b)`` by centred finite differences, in float64.

    Each weight and bias in turn is moved by +epsilon and -epsilon and
    dC/dp = (C(p + epsilon) - C(p - epsilon)) / (2 epsilon), so this takes two
    forward passes per parameter: fine for small networks only. It runs on
    a float64 copy of ``net``, which keeps the differences accurate for
    float32 networks too, and leaves ``net`` unchanged.
    """
    epsilon = _check_positive_number(epsilon, "epsilon", "1e-6")
    _check_reduction(reduction)
    reference = net.copy(dtype=np.float64)
    y_in, y_target = reference._check_batch(y_in, y_target)
    grads_w = [_difference_quotients(reference, w, y_in, y_target, epsilon, reduction) for w in reference.weights]
    grads_b = [_difference_quotients(reference, b, y_in, y_target, epsilon, reduction) for b in reference.biases]
    return grads_w, grads_b


def _difference_quotients(net, parameters, y_in, y_target, epsilon, reduction):
    flat = parameters.reshape(-1)  # a view: changing it changes the network
    gradients = np.empty(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + epsilon
        cost_plus, p_plus = net.cost(y_in, y_target, reduction), flat[i]
        flat[i] = saved - epsilon
        cost_minus, p_minus = net.cost(y_in, y_target, reduction), flat[i]
        flat[i] = saved
        # Divide by the step actually taken, which rounding can make differ from 2 epsilon.
        gradients[i] = (cost_plus - cost_minus) / (p_plus - p_minus)
    return gradients.reshape(parameters.shape)


def autodiff_gradients(net, y_in, y_target, reduction="mean"):
    """Return ``(grads_w, grads_b)`` from TensorFlow's automatic differentiation, in float64.

    An independent reference for backpropagation: TensorFlow records the same
    forward pass and cost on a ``GradientTape`` and differentiates it. Imports
    TensorFlow on first use (importing this module does not).
    """
    _check_reduction(reduction)
    reference = net.copy(dtype=np.float64)
    y_in, y_target = reference._check_batch(y_in, y_target)
    from helpers.config import _import_tensorflow_quietly

    _import_tensorflow_quietly()
    import tensorflow as tf

    functions = {"sigmoid": tf.sigmoid, "relu": tf.nn.relu, "linear": tf.identity}
    weights = [tf.constant(w) for w in reference.weights]
    biases = [tf.constant(b) for b in reference.biases]
    with tf.GradientTape() as tape:
        tape.watch(weights + biases)
        y = tf.constant(y_in)
        for w, b, name in zip(weights, biases, reference.activations):
            y = functions[name](tf.matmul(y, w) + b)
        cost = 0.5 * tf.reduce_sum(tf.square(y - y_target))
        if reduction == "mean":
            cost = cost / len(y_in)
    gradients = tape.gradient(cost, weights + biases)
    grads_w = [g.numpy() for g in gradients[: net.depth]]
    grads_b = [g.numpy() for g in gradients[net.depth :]]
    return grads_w, grads_b
