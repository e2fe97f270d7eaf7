"""Pieces for fitting an image with a network of two inputs and one output.

The image-fitting notebook trains networks that map pixel coordinates (x, y)
to grey values. This module measures how well such a network reproduces the
image, and predicts the whole picture in chunks, for a numpy ``Network`` or a
Keras model alike. It also takes networks apart: it converts a trained Keras
model of Dense layers into a numpy ``Network``, deletes weights in a copy and
splits the output into the contributions of single neurons.

Coordinates follow ``helpers.batches``: ``pixel_coordinates(image.shape)``
lists every pixel in the order of ``image.ravel()``.
"""

import numpy as np

from helpers._checks import is_integer
from helpers.batches import pixel_coordinates
from helpers.network import ACTIVATIONS, Network

DEFAULT_CHUNK_SIZE = 16384
"""Pixels per prediction call: large enough to be fast, small enough to keep memory low."""


def _check_image(image):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2 or min(image.shape) < 1:
        raise ValueError(f"image must be a 2D grey-scale array (rows, columns), got shape {image.shape}.")
    return image


def unexplained_variance(prediction, image):
    """Return the fraction of the image's variance that the prediction leaves unexplained.

    The fraction is ``mean((prediction - image)^2) / var(image)`` over every
    pixel: 0 for a perfect copy, 1 for a constant prediction at the image's
    mean, and above 1 for something worse. ``prediction`` has the image's
    shape, or contains one value per pixel in the order of ``image.ravel()``
    (shape (pixels,) or (pixels, 1)).
    """
    image = _check_image(image)
    prediction = np.asarray(prediction, dtype=np.float64)
    if prediction.size != image.size:
        raise ValueError(
            f"prediction has {prediction.size} values (shape {prediction.shape}) but the image has "
            f"{image.size} pixels (shape {image.shape}): predict one value per pixel."
        )
    if prediction.shape not in (image.shape, (image.size,), (image.size, 1)):
        raise ValueError(
            f"prediction has shape {prediction.shape}: use the image's shape {image.shape}, "
            f"({image.size},) or ({image.size}, 1)."
        )
    variance = image.var()
    if variance == 0:
        raise ValueError("The image is constant (variance 0), so the fraction of its variance is undefined.")
    error = prediction.reshape(image.shape) - image
    return float(np.mean(error**2) / variance)


def _predict_function(model):
    """Return a function that maps a chunk of inputs to a numpy array of outputs."""
    if hasattr(model, "forward") and hasattr(model, "weights") and hasattr(model, "activations"):
        return model.forward  # helpers.network.Network
    if hasattr(model, "predict_on_batch"):
        # A direct call runs the layers eagerly, so nothing is traced: predict_on_batch
        # would trace a new function per model, and TensorFlow warns about retracing
        # when a loop builds and evaluates several models.
        return lambda inputs: model(inputs, training=False)
    raise TypeError(
        f"model must be a helpers.network.Network or a Keras model, got {type(model).__name__}."
    )


def predict_in_chunks(model, inputs, chunk_size=DEFAULT_CHUNK_SIZE):
    """Return the outputs of ``model`` for ``inputs`` (shape (n, 2)), computed chunk by chunk.

    ``model`` is a ``helpers.network.Network`` (its ``forward``) or a Keras
    model, which is called directly, ``model(chunk, training=False)``.
    Returns a float64 array of shape (n, n_out).
    """
    if not is_integer(chunk_size) or chunk_size < 1:
        raise ValueError(f"Invalid chunk_size {chunk_size!r}: use a positive integer such as {DEFAULT_CHUNK_SIZE}.")
    predict = _predict_function(model)
    inputs = np.asarray(inputs, dtype=np.float32)
    if inputs.ndim != 2 or len(inputs) == 0:
        raise ValueError(f"inputs must have shape (n, n_in) with n >= 1, got {inputs.shape}.")
    chunks = [np.asarray(predict(inputs[start : start + chunk_size])) for start in range(0, len(inputs), chunk_size)]
    return np.concatenate(chunks).astype(np.float64)


def predict_image(model, shape, chunk_size=DEFAULT_CHUNK_SIZE):
    """Return the image that ``model`` draws on a pixel grid of ``shape`` (rows, columns).

    Every pixel's coordinates come from ``helpers.batches.pixel_coordinates``,
    so the result has the orientation of the image the model was trained on.
    The model must have one output.
    """
    shape = tuple(shape)
    outputs = predict_in_chunks(model, pixel_coordinates(shape, dtype=np.float32), chunk_size)
    if outputs.shape[1] != 1:
        raise ValueError(f"The model has {outputs.shape[1]} outputs; an image needs a model with one output.")
    return outputs.reshape(shape)


def network_from_keras(model, dtype=np.float32):
    """Return a ``helpers.network.Network`` with the weights and biases of a Keras model.

    The model must consist of Dense layers with biases (an ``InputLayer`` is
    skipped) whose activations exist in ``helpers.network.ACTIVATIONS``. A
    leading ``Rescaling`` layer with one scale and offset for all inputs is
    folded into the first layer's weights and biases.
    Keras stores a Dense kernel as (n_in, n_out), the layout of
    ``Network.weights``, so the arrays are copied as they are. The copy is
    independent: changing it leaves the Keras model unchanged.
    """
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    input_scale, input_offset = 1.0, 0.0
    if layers and type(layer := layers[0]).__name__ == "Rescaling":
        input_scale, input_offset = _rescaling_factors(layer)
        layers = layers[1:]
    if not layers:
        raise ValueError("The model has no Dense layers to copy: build it from Dense layers first.")
    sizes, activations = [], []
    for layer in layers:
        config = layer.get_config()
        if type(layer).__name__ != "Dense" or not config.get("use_bias", False):
            raise ValueError(
                f"Layer {layer.name!r} ({type(layer).__name__}) cannot be copied: "
                "network_from_keras supports Dense layers with biases only."
            )
        activation = config["activation"]
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise ValueError(
                f"Layer {layer.name!r} has activation {activation!r}, which the numpy Network lacks: "
                f"use one of {sorted(ACTIVATIONS)}."
            )
        kernel = np.asarray(layer.kernel)
        if not sizes:
            sizes.append(kernel.shape[0])
        sizes.append(kernel.shape[1])
        activations.append(activation)
    net = Network(sizes, activations=activations, dtype=dtype, seed=0)
    for k, layer in enumerate(layers):
        net.weights[k][...] = np.asarray(layer.kernel)
        net.biases[k][...] = np.asarray(layer.bias)
    # Fold the input rescaling into the first layer:
    # (s y + o) @ w + b = y @ (s w) + (o * sum of w over its rows + b).
    first_kernel = np.asarray(layers[0].kernel, dtype=np.float64)
    net.weights[0][...] = input_scale * first_kernel
    net.biases[0][...] = np.asarray(layers[0].bias, dtype=np.float64) + input_offset * first_kernel.sum(axis=0)
    return net


def _rescaling_factors(layer):
    """Return (scale, offset) of a Keras Rescaling layer, which must apply one number to every input."""
    config = layer.get_config()
    scale, offset = np.asarray(config["scale"], dtype=np.float64), np.asarray(config["offset"], dtype=np.float64)
    if scale.size != 1 or offset.size != 1:
        raise ValueError(
            f"Layer {layer.name!r} rescales each input differently (scale {config['scale']!r}, "
            f"offset {config['offset']!r}): network_from_keras supports one scale and one offset only."
        )
    return float(scale.reshape(())), float(offset.reshape(()))


def _check_layer(net, layer):
    if not is_integer(layer) or not -net.depth <= layer < net.depth:
        raise ValueError(
            f"Invalid layer {layer!r}: the network has weight layers 0 to {net.depth - 1} "
            "(negative values count from the output, -1 is the last)."
        )
    return int(layer) % net.depth


def delete_weights(net, layer, neurons):
    """Return a copy of ``net`` with the weights leaving some neurons of one layer set to zero.

    ``layer`` is a weight layer, ``net.weights[layer]`` of shape (n_in,
    n_out). ``neurons`` selects rows of it, which are neurons of the layer
    below, as a slice, a list of indices or a boolean mask. Deleting all
    weights that leave a neuron silences that neuron for every layer above.
    The original network is unchanged.
    """
    layer = _check_layer(net, layer)
    n_in = net.weights[layer].shape[0]
    selected = np.arange(n_in)[neurons]  # IndexError names an index out of range
    copy = net.copy()
    copy.weights[layer][selected, :] = 0
    return copy


def keep_weights(net, layer, neurons):
    """Return a copy of ``net`` that keeps only the weights leaving ``neurons`` in weight layer ``layer``.

    The complement of ``delete_weights``: every other row of
    ``net.weights[layer]`` is set to zero.
    """
    layer = _check_layer(net, layer)
    n_in = net.weights[layer].shape[0]
    mask = np.ones(n_in, dtype=bool)
    mask[np.arange(n_in)[neurons]] = False
    return delete_weights(net, layer, mask)


def neuron_contributions(net, inputs):
    """Return what each neuron of the last hidden layer adds to the output, shape (n, neurons).

    For a network with one linear output neuron,
    ``y_out = sum_k w_k y_k(x, y) + b``, so column k is ``w_k y_k`` at every
    input: the picture that neuron k alone draws (on top of the constant
    bias b) when every other neuron of its layer is switched off. The
    columns sum to ``y_out - b``.
    """
    if net.depth < 2:
        raise ValueError(f"The network {net!r} has no hidden layer.")
    if net.sizes[-1] != 1 or net.activations[-1] != "linear":
        raise ValueError(
            f"neuron_contributions needs one linear output neuron, got {net!r}: "
            "with a nonlinear output the contributions do not add up."
        )
    ys, _ = net.forward_pass(inputs)
    return ys[-2] * net.weights[-1][:, 0]
