"""Tests for helpers.network: gradients, dtypes, initialisation, training and input checks.

Gradient checks compare backpropagation with centred finite differences
(``numerical_gradients``) and with TensorFlow's automatic differentiation.
The error measure is, per weight or bias array, max |a - b| / max |b|.
"""

import itertools
import subprocess
import sys
import warnings

import numpy as np
import pytest

from helpers.network import (
    ACTIVATIONS,
    Network,
    autodiff_gradients,
    numerical_gradients,
    sigmoid,
    sigmoid_derivative,
)

# (sizes, activations): every activation alone and mixed, shallow and deep.
LAYOUTS = [
    ([3, 5, 4, 2], "sigmoid"),
    ([2, 6, 1], "relu"),
    ([4, 3, 3], "linear"),
    ([3, 5, 4, 2], ["relu", "sigmoid", "linear"]),
    ([2, 4, 4, 4, 1], ["sigmoid", "relu", "relu", "linear"]),
]
LAYOUT_IDS = ["sigmoid", "relu", "linear", "mixed", "deep-mixed"]

# float32 keeps about 7 significant digits. A batch sum of 32 terms and
# three layers of products lose a few more, so 1e-4 leaves a wide margin.
FLOAT32_TOLERANCE = 1e-4
FLOAT64_TOLERANCE = 1e-6


def make_net(sizes, activations, dtype=np.float64, seed=0):
    """Return a network whose biases are random too, so their gradients are tested in general position."""
    net = Network(sizes, activations, dtype=dtype, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for b in net.biases:
        b[...] = rng.normal(0.0, 0.5, size=b.shape)
    return net


def make_batch(net, batch_size, seed=1):
    rng = np.random.default_rng(seed)
    y_in = rng.normal(size=(batch_size, net.sizes[0]))
    y_target = rng.normal(size=(batch_size, net.sizes[-1]))
    return y_in, y_target


def relative_errors(grads, reference):
    return [float(np.max(np.abs(g - r)) / max(np.max(np.abs(r)), 1e-30)) for g, r in zip(grads, reference)]


# --- gradients ---


@pytest.mark.parametrize("batch_size", [1, 7, 32])
@pytest.mark.parametrize(("sizes", "activations"), LAYOUTS, ids=LAYOUT_IDS)
def test_backward_float64_matches_finite_differences(sizes, activations, batch_size):
    net = make_net(sizes, activations)
    y_in, y_target = make_batch(net, batch_size)
    _, grads_w, grads_b = net.backward(y_in, y_target)
    numeric_w, numeric_b = numerical_gradients(net, y_in, y_target)
    assert max(relative_errors(grads_w, numeric_w)) < FLOAT64_TOLERANCE
    assert max(relative_errors(grads_b, numeric_b)) < FLOAT64_TOLERANCE


@pytest.mark.parametrize("batch_size", [1, 7, 32])
@pytest.mark.parametrize(("sizes", "activations"), LAYOUTS, ids=LAYOUT_IDS)
def test_backward_float32_matches_finite_differences(sizes, activations, batch_size):
    # numerical_gradients runs on a float64 copy of the float32 weights.
    net = make_net(sizes, activations, dtype=np.float32)
    y_in, y_target = make_batch(net, batch_size)
    _, grads_w, grads_b = net.backward(y_in, y_target)
    numeric_w, numeric_b = numerical_gradients(net, y_in, y_target)
    assert max(relative_errors(grads_w, numeric_w)) < FLOAT32_TOLERANCE
    assert max(relative_errors(grads_b, numeric_b)) < FLOAT32_TOLERANCE


def test_backward_float32_close_to_float64():
    net64 = make_net([3, 5, 4, 2], ["relu", "sigmoid", "linear"])
    net32 = net64.copy(dtype=np.float32)
    y_in, y_target = make_batch(net64, 32)
    cost64, grads_w64, grads_b64 = net64.backward(y_in, y_target)
    cost32, grads_w32, grads_b32 = net32.backward(y_in, y_target)
    assert cost32 == pytest.approx(cost64, rel=FLOAT32_TOLERANCE)
    assert max(relative_errors(grads_w32, grads_w64)) < FLOAT32_TOLERANCE
    assert max(relative_errors(grads_b32, grads_b64)) < FLOAT32_TOLERANCE


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_backward_matches_autodiff(reduction):
    net = make_net([2, 4, 4, 4, 1], ["sigmoid", "relu", "relu", "linear"])
    y_in, y_target = make_batch(net, 7)
    _, grads_w, grads_b = net.backward(y_in, y_target, reduction=reduction)
    reference_w, reference_b = autodiff_gradients(net, y_in, y_target, reduction=reduction)
    assert max(relative_errors(grads_w, reference_w)) < 1e-10
    assert max(relative_errors(grads_b, reference_b)) < 1e-10


def test_sum_reduction_scales_by_batch_size():
    net = make_net([3, 5, 4, 2], "sigmoid")
    y_in, y_target = make_batch(net, 7)
    cost_mean, grads_w_mean, grads_b_mean = net.backward(y_in, y_target, reduction="mean")
    cost_sum, grads_w_sum, grads_b_sum = net.backward(y_in, y_target, reduction="sum")
    assert cost_sum / 7 == cost_mean
    assert net.cost(y_in, y_target, reduction="sum") / 7 == net.cost(y_in, y_target)
    for mean, summed in zip(grads_w_mean + grads_b_mean, grads_w_sum + grads_b_sum):
        np.testing.assert_allclose(summed / 7, mean, rtol=1e-12)


def test_sum_reduction_matches_finite_differences():
    net = make_net([3, 5, 2], "sigmoid")
    y_in, y_target = make_batch(net, 7)
    _, grads_w, grads_b = net.backward(y_in, y_target, reduction="sum")
    numeric_w, numeric_b = numerical_gradients(net, y_in, y_target, reduction="sum")
    assert max(relative_errors(grads_w + grads_b, numeric_w + numeric_b)) < FLOAT64_TOLERANCE


def test_gradient_shapes():
    net = Network([3, 5, 4, 2], "relu")
    y_in, y_target = make_batch(net, 7)
    _, grads_w, grads_b = net.backward(y_in, y_target)
    assert [g.shape for g in grads_w] == [(3, 5), (5, 4), (4, 2)]
    assert [g.shape for g in grads_b] == [(5,), (4,), (2,)]


def test_backward_cost_equals_cost():
    net = make_net([3, 5, 2], "sigmoid")
    y_in, y_target = make_batch(net, 7)
    cost, _, _ = net.backward(y_in, y_target)
    assert cost == pytest.approx(net.cost(y_in, y_target), rel=1e-12)
    assert cost == pytest.approx(0.5 * np.mean(np.sum((net.forward(y_in) - y_target) ** 2, axis=1)), rel=1e-12)


def test_numerical_gradients_leave_net_unchanged():
    net = make_net([3, 5, 2], "sigmoid")
    before = net.copy()
    numerical_gradients(net, *make_batch(net, 4))
    for changed, original in zip(net.weights + net.biases, before.weights + before.biases):
        np.testing.assert_array_equal(changed, original)


# --- activations ---


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_extremes_without_warning(dtype):
    z = np.array([-1000.0, 0.0, 1000.0], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        values = sigmoid(z)
        derivatives = sigmoid_derivative(z)
    assert values.tolist() == [0.0, 0.5, 1.0]
    assert derivatives.tolist() == [0.0, 0.25, 0.0]
    assert values.dtype == dtype


def test_sigmoid_matches_logistic_formula():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=0, atol=1e-15)


def test_forward_saturated_sigmoid_without_warning():
    net = Network([2, 3, 1], "sigmoid", init_scale=1e4)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        output = net.forward(np.array([[-1.0, 1.0], [1.0, -1.0]]))
        net.backward(np.array([[-1.0, 1.0]]), np.array([[0.5]]))
    assert np.all((output >= 0) & (output <= 1))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_matches_difference_quotient(name):
    function, derivative = ACTIVATIONS[name]
    z = np.array([-2.5, -0.7, 0.3, 1.9])
    h = 1e-6
    numeric = (function(z + h) - function(z - h)) / (2 * h)
    np.testing.assert_allclose(derivative(z), numeric, rtol=1e-7, atol=1e-9)


def test_relu_derivative_at_zero_is_zero():
    _, derivative = ACTIVATIONS["relu"]
    assert derivative(np.array([0.0])).tolist() == [0.0]


def test_activations_list_names():
    assert sorted(ACTIVATIONS) == ["linear", "relu", "sigmoid"]


def test_single_activation_applies_to_output():
    assert Network([2, 3, 1], "sigmoid").activations == ("sigmoid", "sigmoid")


def test_output_activation_overrides_last_layer():
    net = Network([2, 3, 3, 1], "relu", output_activation="linear")
    assert net.activations == ("relu", "relu", "linear")


def test_forward_pass_stores_values_and_derivatives():
    net = make_net([3, 5, 4, 2], ["relu", "sigmoid", "linear"])
    y_in, _ = make_batch(net, 7)
    ys, dfs = net.forward_pass(y_in)
    np.testing.assert_array_equal(ys[0], y_in)
    np.testing.assert_allclose(ys[-1], net.forward(y_in), rtol=1e-14)
    np.testing.assert_array_equal(dfs[0], (ys[1] > 0).astype(float))
    np.testing.assert_allclose(dfs[1], ys[2] * (1 - ys[2]), rtol=1e-14)
    np.testing.assert_array_equal(dfs[2], np.ones((7, 2)))
    assert [y.shape for y in ys] == [(7, 3), (7, 5), (7, 4), (7, 2)]


# --- dtypes and initialisation ---


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(dtype):
    net = Network([2, 4, 1], "relu", dtype=dtype)
    y_in = np.random.default_rng(0).normal(size=(5, 2))  # float64 input, cast on entry
    y_target = np.zeros((5, 1))
    ys, dfs = net.forward_pass(y_in)
    _, grads_w, grads_b = net.backward(y_in, y_target)
    net.train_step(y_in, y_target, 0.1)
    arrays = [net.forward(y_in)] + ys + dfs + grads_w + grads_b + net.weights + net.biases
    assert {a.dtype for a in arrays} == {np.dtype(dtype)}


def test_dtype_accepts_names():
    assert Network([2, 1], dtype="float32").dtype == np.float32


def test_seed_reproducible():
    first, second = Network([2, 5, 1], seed=3), Network([2, 5, 1], seed=3)
    for a, b in zip(first.weights, second.weights):
        np.testing.assert_array_equal(a, b)


def test_different_seeds_differ():
    first, second = Network([2, 5, 1], seed=3), Network([2, 5, 1], seed=4)
    assert not np.array_equal(first.weights[0], second.weights[0])


def test_generator_seed_accepted():
    first = Network([2, 5, 1], seed=np.random.default_rng(3))
    second = Network([2, 5, 1], seed=3)
    np.testing.assert_array_equal(first.weights[1], second.weights[1])


def test_seed_gives_same_weights_in_both_dtypes():
    net32 = Network([2, 5, 1], dtype=np.float32, seed=3)
    net64 = Network([2, 5, 1], dtype=np.float64, seed=3)
    np.testing.assert_array_equal(net32.weights[0], net64.weights[0].astype(np.float32))


@pytest.mark.parametrize(("activation", "gain"), [("sigmoid", 4.0), ("relu", np.sqrt(2.0)), ("linear", 1.0)])
def test_default_init_std(activation, gain):
    net = Network([400, 300], activation, seed=0)
    assert np.std(net.weights[0]) == pytest.approx(gain / np.sqrt(400), rel=0.02)
    assert not np.any(net.biases[0])


def test_init_scale_sets_std():
    net = Network([400, 300, 200], "relu", init_scale=0.1)
    assert np.std(net.weights[0]) == pytest.approx(0.1, rel=0.02)
    assert np.std(net.weights[1]) == pytest.approx(0.1, rel=0.02)


def test_copy_is_independent():
    net = Network([2, 3, 1])
    clone = net.copy()
    clone.weights[0][...] = 0.0
    clone.biases[0][...] = 1.0
    assert np.any(net.weights[0])
    assert not np.any(net.biases[0])


def test_copy_converts_dtype():
    clone = Network([2, 3, 1]).copy(dtype=np.float32)
    assert clone.dtype == np.float32
    assert clone.weights[0].dtype == np.float32


def test_import_does_not_load_tensorflow():
    code = "import sys, helpers.network; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- training ---


def test_train_step_returns_cost_before_step():
    net = make_net([2, 5, 1], "sigmoid")
    y_in, y_target = make_batch(net, 16)
    cost_before = net.cost(y_in, y_target)
    assert net.train_step(y_in, y_target, 0.01) == pytest.approx(cost_before, rel=1e-12)
    assert net.cost(y_in, y_target) < cost_before


def test_train_step_applies_eta_times_gradient():
    net = make_net([3, 5, 4, 2], ["relu", "sigmoid", "linear"])
    y_in, y_target = make_batch(net, 7)
    _, grads_w, grads_b = net.backward(y_in, y_target)
    expected_w = [w - 0.3 * g for w, g in zip(net.weights, grads_w)]
    expected_b = [b - 0.3 * g for b, g in zip(net.biases, grads_b)]
    net.train_step(y_in, y_target, 0.3)
    for actual, expected in zip(net.weights + net.biases, expected_w + expected_b):
        np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)


def test_train_step_alternating_batch_sizes():
    # Each batch size has its own reused buffers; results must not mix.
    net, reference = make_net([2, 5, 1], "relu"), make_net([2, 5, 1], "relu")
    for size in (5, 3, 5, 3):
        y_in, y_target = make_batch(net, size, seed=size)
        net.train_step(y_in, y_target, 0.1)
        _, grads_w, grads_b = reference.backward(y_in, y_target)  # fresh arrays on every call
        for parameter, gradient in zip(reference.weights + reference.biases, grads_w + grads_b):
            parameter -= 0.1 * gradient
    for actual, expected in zip(net.weights + net.biases, reference.weights + reference.biases):
        np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)


def test_train_learns_xor():
    y_in = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y_target = np.array([[0.0], [1.0], [1.0], [0.0]])
    # XOR has local minima; seed 1 is one that reaches the global one.
    net = Network([2, 4, 1], "sigmoid", seed=1)
    costs = net.train(itertools.repeat((y_in, y_target)), steps=2000, eta=2.0)
    assert costs[-1] < 0.01, f"XOR cost after 2000 steps is {costs[-1]:.4f}, expected below 0.01"
    assert np.array_equal(net.forward(y_in) > 0.5, y_target > 0.5)


def test_train_returns_costs_and_calls_callback():
    net = make_net([2, 5, 1], "sigmoid")
    calls = []
    costs = net.train(itertools.repeat(make_batch(net, 8)), 5, 0.1, callback=lambda step, c: calls.append((step, len(c))))
    assert costs.shape == (5,)
    assert costs.dtype == np.float64
    assert calls == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]


def test_train_diverging_raises():
    net = Network([1, 1], "linear")
    batches = itertools.repeat((np.array([[1.0]]), np.array([[0.0]])))
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(FloatingPointError, match="diverged.*Lower eta"):
        net.train(batches, steps=2000, eta=10.0)


# --- bad input ---


BAD_CONSTRUCTION = [
    (dict(sizes=[2]), ValueError, r"at least the input and the output"),
    (dict(sizes=[2, 0, 1]), ValueError, r"Invalid layer width 0"),
    (dict(sizes=[2, 1.5]), ValueError, r"Invalid layer width 1.5"),
    (dict(sizes=[2, True]), ValueError, r"Invalid layer width True"),
    (dict(sizes="21"), TypeError, r"list of layer widths"),
    (dict(activations="tanh"), ValueError, r"Unknown activation 'tanh': use one of \['linear', 'relu', 'sigmoid'\]"),
    (dict(activations=["relu", "softmax"]), ValueError, r"Unknown activation 'softmax'"),
    (dict(activations=["relu"]), ValueError, r"Got 1 activations .* for 2 weight layers"),
    (dict(output_activation="tanh"), ValueError, r"Unknown activation 'tanh'"),
    (dict(dtype=np.float16), TypeError, r"Invalid dtype .*float16.*np.float32 or np.float64"),
    (dict(dtype=int), TypeError, r"Invalid dtype"),
    (dict(dtype="complex128"), TypeError, r"Invalid dtype"),
    (dict(seed=-1), ValueError, r"Invalid seed -1: use a non-negative integer or a numpy.random.Generator"),
    (dict(seed=1.5), TypeError, r"Invalid seed 1.5"),
    (dict(seed=None), TypeError, r"Invalid seed None"),
    (dict(init_scale=0), ValueError, r"Invalid init_scale 0"),
    (dict(init_scale=float("nan")), ValueError, r"Invalid init_scale nan"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_CONSTRUCTION, ids=[repr(k) for k, _, _ in BAD_CONSTRUCTION])
def test_constructor_rejects_bad_argument(kwargs, error, message):
    arguments = dict(sizes=[2, 3, 1]) | kwargs
    with pytest.raises(error, match=message):
        Network(**arguments)


BAD_BATCHES = [
    (np.zeros((4, 3)), np.zeros((4, 1)), r"y_in has shape \(4, 3\), expected \(batch, 2\)"),
    (np.zeros(2), np.zeros((1, 1)), r"for a single sample use y_in\[None, :\]"),
    (np.zeros((0, 2)), np.zeros((0, 1)), r"empty batch"),
    (np.full((4, 2), np.nan), np.zeros((4, 1)), r"y_in contains NaN"),
    (np.zeros((4, 2)), np.zeros((3, 1)), r"y_target has shape \(3, 1\), expected \(4, 1\)"),
    (np.zeros((4, 2)), np.zeros(4), r"use y_target\[:, None\]"),
    (np.zeros((4, 2)), np.full((4, 1), np.inf), r"y_target contains NaN or infinite"),
]


@pytest.mark.parametrize(("y_in", "y_target", "message"), BAD_BATCHES, ids=[m for _, _, m in BAD_BATCHES])
@pytest.mark.parametrize("method", ["cost", "backward", "train_step"])
def test_methods_reject_bad_batch(method, y_in, y_target, message):
    net = Network([2, 3, 1])
    arguments = (y_in, y_target, 0.1) if method == "train_step" else (y_in, y_target)
    with pytest.raises(ValueError, match=message):
        getattr(net, method)(*arguments)


def test_train_step_nonfinite_cost_raises():
    net = Network([1, 1], "linear")
    net.weights[0][...] = 1e200
    weights_before = net.weights[0].copy()
    with np.errstate(over="ignore"), pytest.raises(FloatingPointError, match="The cost is inf before this step"):
        net.train_step(np.array([[1e200]]), np.array([[0.0]]), 0.1)
    np.testing.assert_array_equal(net.weights[0], weights_before)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_forward_rejects_nonfinite_input(value):
    y_in = np.zeros((3, 2))
    y_in[1, 0] = value
    with pytest.raises(ValueError, match=rf"y_in contains NaN or infinite values \(1 of 6, the first {value} at row 1, column 0\)"):
        Network([2, 3, 1]).forward(y_in)


@pytest.mark.parametrize(
    "y_in",
    [np.array([["0.1", "0.2"]]), [[0.1, "a"]], np.array([[0.1, "a"]], dtype=object), np.array([[1j, 0.0]])],
    ids=["str", "mixed list", "object", "complex"],
)
def test_forward_rejects_non_numeric_input(y_in):
    with pytest.raises(TypeError, match=r"y_in has dtype .*, expected a numeric array of shape \(batch, 2\)"):
        Network([2, 3, 1]).forward(y_in)


def test_forward_accepts_numeric_object_array():
    net = Network([2, 3, 1])
    y_in = np.array([[0.1, 2]], dtype=object)
    np.testing.assert_array_equal(net.forward(y_in), net.forward(np.array([[0.1, 2.0]])))


def test_forward_rejects_ragged_input():
    with pytest.raises(ValueError, match=r"y_in is not a rectangular array: expected a numeric array of shape \(batch, 2\)"):
        Network([2, 3, 1]).forward([[0.1, 0.2], [0.3]])


def test_cost_rejects_non_numeric_target():
    with pytest.raises(TypeError, match=r"y_target has dtype <U1, expected a numeric array of shape \(2, 1\)"):
        Network([2, 3, 1]).cost(np.zeros((2, 2)), [["x"], ["y"]])


def test_forward_rejects_wrong_width():
    with pytest.raises(ValueError, match=r"expected \(batch, 2\)"):
        Network([2, 3, 1]).forward(np.zeros((4, 5)))


@pytest.mark.parametrize("eta", [float("nan"), float("inf"), 0.0, -0.1, "0.1", True])
def test_train_step_rejects_bad_eta(eta):
    net = Network([2, 1])
    with pytest.raises(ValueError, match="Invalid eta"):
        net.train_step(np.zeros((1, 2)), np.zeros((1, 1)), eta)


def test_reduction_rejects_unknown_name():
    with pytest.raises(ValueError, match=r"Invalid reduction 'median'"):
        Network([2, 1]).backward(np.zeros((1, 2)), np.zeros((1, 1)), reduction="median")


def test_train_rejects_zero_steps():
    with pytest.raises(ValueError, match="Invalid steps 0"):
        Network([2, 1]).train(itertools.repeat((np.zeros((1, 2)), np.zeros((1, 1)))), 0, 0.1)


def test_train_rejects_exhausted_batches():
    batches = [(np.zeros((1, 2)), np.zeros((1, 1)))] * 3
    with pytest.raises(ValueError, match="batches ran out after 3 steps"):
        Network([2, 1]).train(batches, 5, 0.1)


def test_train_rejects_single_pair():
    with pytest.raises(TypeError, match=r"itertools.repeat"):
        Network([2, 1]).train((np.zeros((1, 2)), np.zeros((1, 1))), 5, 0.1)


@pytest.mark.parametrize("batches", [5, 2.5, None], ids=["int", "float", "None"])
def test_train_rejects_non_iterable_batches(batches):
    expected = rf"batches must be an iterator of \(y_in, y_target\) pairs, got {type(batches).__name__}"
    with pytest.raises(TypeError, match=expected + r".*image_batches.*itertools.repeat"):
        Network([2, 1]).train(batches, 10, 0.1)


def test_train_rejects_batch_that_is_not_pair():
    with pytest.raises(TypeError, match="Each batch must be a pair"):
        Network([2, 1]).train(iter([np.zeros((1, 2))]), 1, 0.1)


def test_train_rejects_bad_callback():
    with pytest.raises(TypeError, match="callback must be callable"):
        Network([2, 1]).train(itertools.repeat((np.zeros((1, 2)), np.zeros((1, 1)))), 1, 0.1, callback=5)


def test_replaced_weights_with_wrong_dtype_rejected():
    net = Network([2, 3, 1], dtype=np.float32)
    net.weights[0] = np.zeros((2, 3))  # float64
    with pytest.raises(ValueError, match=r"net.weights\[0\] is \(2, 3\) float64, expected shape \(2, 3\) and dtype float32"):
        net.forward(np.zeros((1, 2)))


def test_numerical_gradients_reject_bad_epsilon():
    net = Network([2, 1])
    with pytest.raises(ValueError, match="Invalid epsilon"):
        numerical_gradients(net, np.zeros((1, 2)), np.zeros((1, 1)), epsilon=0.0)
