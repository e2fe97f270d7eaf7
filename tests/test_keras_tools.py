"""Tests for helpers.keras_tools and the Keras 3 idioms the notebooks rely on."""

import numpy as np
import pytest

from helpers import keras_tools
from helpers.config import _import_tensorflow_quietly

keras = _import_tensorflow_quietly()


def small_model(metrics=None, learning_rate=0.1):
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse",
                  metrics=metrics or [])
    return model


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(8, 2)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")


@pytest.mark.parametrize("metrics", [None, ["mae"], ["mae", "mse"]])
def test_train_step_returns_float(metrics, batch):
    keras.utils.set_random_seed(0)
    loss = keras_tools.train_step(small_model(metrics), *batch)
    assert isinstance(loss, float)
    assert np.isfinite(loss)


def test_train_step_loss_is_batch_mse_before_update(batch):
    keras.utils.set_random_seed(0)
    model = small_model()
    expected = float(np.mean((model.predict_on_batch(batch[0]) - batch[1]) ** 2))
    assert keras_tools.train_step(model, *batch) == pytest.approx(expected, rel=1e-5)


def test_train_step_loss_is_each_batch_own(batch):
    keras.utils.set_random_seed(0)
    model = small_model()
    rng = np.random.default_rng(1)
    for step in range(4):
        inputs = rng.normal(size=(8, 2)).astype("float32")
        targets = rng.normal(size=(8, 1)).astype("float32") * (step + 1)
        expected = float(np.mean((model.predict_on_batch(inputs) - targets) ** 2))
        assert keras_tools.train_step(model, inputs, targets) == pytest.approx(expected, rel=1e-5), f"step {step}"


def test_train_on_batches_records_one_cost_per_step(batch):
    keras.utils.set_random_seed(0)
    calls = []
    costs = keras_tools.train_on_batches(small_model(), iter([batch] * 5), 5,
                                         callback=lambda step, so_far: calls.append((step, len(so_far))))
    assert costs.shape == (5,)
    assert calls == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert costs[-1] < costs[0]


@pytest.mark.parametrize("steps", [0, -1, 2.5, True])
def test_train_on_batches_rejects_bad_steps(steps, batch):
    with pytest.raises(ValueError, match="Invalid steps"):
        keras_tools.train_on_batches(small_model(), iter([batch]), steps)


def test_optimizer_learning_rate_after_compile():
    model = small_model(learning_rate=0.25)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.25)


def test_model_saved_as_keras_file_reloads_identically(tmp_path, batch):
    keras.utils.set_random_seed(0)
    model = small_model()
    path = tmp_path / "model.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_array_equal(reloaded.predict_on_batch(batch[0]), model.predict_on_batch(batch[0]))
