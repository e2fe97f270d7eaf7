"""Tests for helpers.image_fitting: the quality measure, chunked prediction and weight surgery."""

import numpy as np
import pytest

from helpers.batches import pixel_coordinates
from helpers.image_fitting import (
    delete_weights,
    keep_weights,
    neuron_contributions,
    predict_image,
    predict_in_chunks,
    unexplained_variance,
)
from helpers.network import Network


@pytest.fixture
def image():
    rng = np.random.default_rng(1)
    return rng.uniform(0, 1, size=(6, 5))


@pytest.fixture
def net():
    network = Network([2, 7, 4, 1], activations=["relu", "relu", "linear"], dtype=np.float64, seed=3)
    network.biases[0][...] = 0.1  # so that every hidden neuron is active somewhere
    network.biases[-1][...] = 0.3
    return network


# --- unexplained_variance ---------------------------------------------------


def test_unexplained_variance_perfect_copy(image):
    assert unexplained_variance(image, image) == 0.0


def test_unexplained_variance_mean_is_one(image):
    assert unexplained_variance(np.full(image.shape, image.mean()), image) == pytest.approx(1.0)


def test_unexplained_variance_known_value(image):
    prediction = image + 0.1
    expected = 0.01 / image.var()
    assert unexplained_variance(prediction, image) == pytest.approx(expected)


def test_unexplained_variance_flat_prediction(image):
    shifted = image + 0.2
    assert unexplained_variance(shifted.ravel(), image) == pytest.approx(unexplained_variance(shifted, image))


def test_unexplained_variance_column_prediction(image):
    shifted = image + 0.2
    assert unexplained_variance(shifted.reshape(-1, 1), image) == pytest.approx(unexplained_variance(shifted, image))


def test_unexplained_variance_size_mismatch(image):
    with pytest.raises(ValueError, match="prediction has 29 values"):
        unexplained_variance(np.zeros(29), image)


def test_unexplained_variance_transposed_shape(image):
    with pytest.raises(ValueError, match=r"use the image's shape \(6, 5\)"):
        unexplained_variance(image.T, image)


def test_unexplained_variance_constant_image():
    with pytest.raises(ValueError, match="constant"):
        unexplained_variance(np.zeros((3, 3)), np.ones((3, 3)))


def test_unexplained_variance_not_2d():
    with pytest.raises(ValueError, match="2D grey-scale"):
        unexplained_variance(np.zeros(4), np.arange(4.0))


# --- predict_in_chunks and predict_image ------------------------------------


def test_predict_in_chunks_matches_forward(net):
    inputs = pixel_coordinates((6, 5))
    expected = net.forward(inputs)
    np.testing.assert_allclose(predict_in_chunks(net, inputs, chunk_size=7), expected)


def test_predict_in_chunks_bad_chunk_size(net):
    with pytest.raises(ValueError, match="Invalid chunk_size 0"):
        predict_in_chunks(net, np.zeros((3, 2)), chunk_size=0)


def test_predict_in_chunks_bad_model():
    with pytest.raises(TypeError, match="got str"):
        predict_in_chunks("model", np.zeros((3, 2)))


def test_predict_in_chunks_empty_inputs(net):
    with pytest.raises(ValueError, match=r"got \(0, 2\)"):
        predict_in_chunks(net, np.zeros((0, 2)))


def test_predict_image_orientation(net):
    image = predict_image(net, (6, 5), chunk_size=4)
    top_left = net.forward(np.array([[-0.4, 5 / 12]]))[0, 0]
    assert image[0, 0] == pytest.approx(top_left)


def test_predict_image_shape(net):
    assert predict_image(net, (6, 5)).shape == (6, 5)


def test_predict_image_two_outputs():
    two_outputs = Network([2, 3, 2], activations="relu", seed=0)
    with pytest.raises(ValueError, match="2 outputs"):
        predict_image(two_outputs, (4, 4))


# --- delete_weights and keep_weights ----------------------------------------


def test_delete_weights_zeroes_rows(net):
    pruned = delete_weights(net, -1, slice(0, 2))
    assert np.all(pruned.weights[-1][:2] == 0)


def test_delete_weights_keeps_other_rows(net):
    pruned = delete_weights(net, -1, slice(0, 2))
    np.testing.assert_array_equal(pruned.weights[-1][2:], net.weights[-1][2:])


def test_delete_weights_leaves_original(net):
    before = net.weights[1].copy()
    delete_weights(net, 1, [0, 3])
    np.testing.assert_array_equal(net.weights[1], before)


def test_delete_weights_all_gives_bias(net):
    pruned = delete_weights(net, -1, slice(None))
    np.testing.assert_allclose(pruned.forward(np.zeros((2, 2))), 0.3)


def test_delete_weights_bad_layer(net):
    with pytest.raises(ValueError, match="weight layers 0 to 2"):
        delete_weights(net, 3, [0])


def test_delete_weights_index_out_of_range(net):
    with pytest.raises(IndexError):
        delete_weights(net, -1, [4])


def test_keep_weights_zeroes_the_rest(net):
    pruned = keep_weights(net, 1, [2])
    assert np.count_nonzero(np.any(pruned.weights[1] != 0, axis=1)) == 1


def test_keep_weights_keeps_selected_row(net):
    pruned = keep_weights(net, 1, [2])
    np.testing.assert_array_equal(pruned.weights[1][2], net.weights[1][2])


# --- neuron_contributions ---------------------------------------------------


def test_neuron_contributions_sum_to_output(net):
    inputs = pixel_coordinates((6, 5))
    total = neuron_contributions(net, inputs).sum(axis=1) + net.biases[-1][0]
    np.testing.assert_allclose(total, net.forward(inputs)[:, 0])


def test_neuron_contributions_shape(net):
    assert neuron_contributions(net, np.zeros((3, 2))).shape == (3, 4)


def test_neuron_contributions_single_neuron(net):
    inputs = pixel_coordinates((6, 5))
    alone = keep_weights(net, -1, [1])
    expected = alone.forward(inputs)[:, 0] - net.biases[-1][0]
    np.testing.assert_allclose(neuron_contributions(net, inputs)[:, 1], expected)


def test_neuron_contributions_nonlinear_output():
    sigmoid_output = Network([2, 3, 1], activations=["relu", "sigmoid"], seed=0)
    with pytest.raises(ValueError, match="one linear output neuron"):
        neuron_contributions(sigmoid_output, np.zeros((2, 2)))


def test_neuron_contributions_no_hidden_layer():
    single_layer = Network([2, 1], activations="linear", seed=0)
    with pytest.raises(ValueError, match="no hidden layer"):
        neuron_contributions(single_layer, np.zeros((2, 2)))


# --- network_from_keras -----------------------------------------------------


@pytest.fixture(scope="module")
def keras_model():
    keras = pytest.importorskip("keras")
    from helpers.config import _import_tensorflow_quietly

    keras = _import_tensorflow_quietly()
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(2,))
    hidden = keras.layers.Dense(5, activation="relu")(inputs)
    outputs = keras.layers.Dense(1, activation="linear")(hidden)
    model = keras.Model(inputs, outputs)
    model.layers[1].bias.assign(np.linspace(-0.2, 0.2, 5).astype(np.float32))
    return model


def test_network_from_keras_same_outputs(keras_model):
    from helpers.image_fitting import network_from_keras

    inputs = pixel_coordinates((4, 3), dtype=np.float32)
    net = network_from_keras(keras_model)
    np.testing.assert_allclose(net.forward(inputs), keras_model.predict_on_batch(inputs), rtol=1e-5, atol=1e-6)


def test_network_from_keras_activations(keras_model):
    from helpers.image_fitting import network_from_keras

    assert network_from_keras(keras_model).activations == ("relu", "linear")


def test_network_from_keras_is_a_copy(keras_model):
    from helpers.image_fitting import network_from_keras

    net = network_from_keras(keras_model)
    net.weights[0][...] = 0
    assert np.any(np.asarray(keras_model.layers[1].kernel) != 0)


def test_predict_image_keras_matches_network(keras_model):
    from helpers.image_fitting import network_from_keras

    net = network_from_keras(keras_model)
    np.testing.assert_allclose(predict_image(keras_model, (4, 3), chunk_size=5), predict_image(net, (4, 3)),
                               rtol=1e-5, atol=1e-6)


def test_network_from_keras_unknown_activation():
    from helpers.config import _import_tensorflow_quietly
    from helpers.image_fitting import network_from_keras

    keras = _import_tensorflow_quietly()
    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.Dense(1, activation="gelu")(keras.layers.Dense(3, activation="relu")(inputs))
    with pytest.raises(ValueError, match="activation 'gelu'"):
        network_from_keras(keras.Model(inputs, outputs))


def test_network_from_keras_non_dense_layer():
    from helpers.config import _import_tensorflow_quietly
    from helpers.image_fitting import network_from_keras

    keras = _import_tensorflow_quietly()
    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.Dense(1)(keras.layers.Dropout(0.1)(inputs))
    with pytest.raises(ValueError, match="Dense layers with biases only"):
        network_from_keras(keras.Model(inputs, outputs))


def test_network_from_keras_folds_rescaling():
    from helpers.config import _import_tensorflow_quietly
    from helpers.image_fitting import network_from_keras

    keras = _import_tensorflow_quietly()
    keras.utils.set_random_seed(2)
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Rescaling(3.0, offset=0.5),
        keras.layers.Dense(4, activation="relu", bias_initializer="ones"),
        keras.layers.Dense(1),
    ])
    inputs = pixel_coordinates((3, 4), dtype=np.float32)
    net = network_from_keras(model)
    np.testing.assert_allclose(net.forward(inputs), model.predict_on_batch(inputs), rtol=1e-5, atol=1e-6)


def test_network_from_keras_rejects_per_input_scale():
    from helpers.config import _import_tensorflow_quietly
    from helpers.image_fitting import network_from_keras

    keras = _import_tensorflow_quietly()
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Rescaling([1.0, 2.0]), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="one scale and one offset"):
        network_from_keras(model)
