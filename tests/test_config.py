"""Tests for helpers.config: seeding, the size switch and a quiet Keras start-up."""

import importlib
import os
import random
import subprocess
import sys

import numpy as np
import pytest

import helpers
from helpers import config


@pytest.fixture
def reload_config():
    """Return a function that re-imports helpers.config with ML4P_SIZE set to a value.

    helpers.config reads ML4P_SIZE once, at import. After the test the
    original variable is restored and the module imported again.
    """
    original = os.environ.get(config.SIZE_VARIABLE)

    def load(value):
        if value is None:
            os.environ.pop(config.SIZE_VARIABLE, None)
        else:
            os.environ[config.SIZE_VARIABLE] = value
        return importlib.reload(config)

    yield load
    if original is None:
        os.environ.pop(config.SIZE_VARIABLE, None)
    else:
        os.environ[config.SIZE_VARIABLE] = original
    importlib.reload(config)


def draw_numbers(seed):
    rng = config.setup(seed=seed, use_keras=False, verbose=False)
    return rng.random(3), np.random.random(3), [random.random() for _ in range(3)]


def test_setup_reproducible():
    first = draw_numbers(7)
    second = draw_numbers(7)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert first[2] == second[2]


def test_setup_seeds_differ():
    first = draw_numbers(7)
    second = draw_numbers(8)
    assert not np.array_equal(first[0], second[0])
    assert not np.array_equal(first[1], second[1])
    assert first[2] != second[2]


def test_setup_returns_generator():
    rng = config.setup(seed=np.int64(3), use_keras=False, verbose=False)
    assert isinstance(rng, np.random.Generator)
    np.testing.assert_array_equal(rng.random(2), np.random.default_rng(3).random(2))


def test_setup_largest_seed():
    rng = config.setup(seed=2**32 - 1, use_keras=False, verbose=False)
    assert isinstance(rng, np.random.Generator)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, True, "0", None])
def test_setup_invalid_seed(seed):
    with pytest.raises(ValueError, match="Invalid seed"):
        config.setup(seed=seed, use_keras=False)


def test_setup_prints_one_line(capsys):
    config.setup(seed=4, use_keras=False)
    output = capsys.readouterr()
    lines = output.out.splitlines()
    assert len(lines) == 1
    assert "numpy" in lines[0]
    assert "seed: 4" in lines[0]
    assert "TensorFlow" not in lines[0]
    assert output.err == ""


def test_setup_quiet(capsys):
    config.setup(seed=4, use_keras=False, verbose=False)
    assert capsys.readouterr().out == ""


def test_package_exports():
    assert helpers.setup is config.setup
    assert helpers.choose_size is config.choose_size


@pytest.mark.parametrize("value", [None, "", "default", " Default "])
def test_size_default(reload_config, value):
    module = reload_config(value)
    assert module.FULL_SIZE is False
    assert module.size_name() == "default"
    assert module.choose_size(default=10, full=1000) == 10


@pytest.mark.parametrize("value", ["full", "FULL", " full\n"])
def test_size_full(reload_config, value):
    module = reload_config(value)
    assert module.FULL_SIZE is True
    assert module.size_name() == "full"
    assert module.choose_size(default=10, full=1000) == 1000


def test_size_in_setup_line(reload_config, capsys):
    module = reload_config("full")
    module.setup(seed=0, use_keras=False)
    assert "size: full" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["large", "1", "fulll"])
def test_size_invalid(reload_config, value):
    with pytest.raises(ValueError, match=f"Invalid ML4P_SIZE='{value}'"):
        reload_config(value)


def test_size_read_at_import():
    environment = dict(os.environ, ML4P_SIZE="full")
    code = "import helpers; print(helpers.FULL_SIZE, helpers.choose_size(1, 2))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=environment, timeout=120, check=True)
    assert result.stdout.strip() == "True 2"


KERAS_SCRIPT = """
import helpers
helpers.setup(seed=5)
import keras
model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
output = model.predict_on_batch(keras.ops.ones((1, 2)))
print(float(keras.random.uniform(())), float(output[0, 0]))
"""


@pytest.fixture(scope="module")
def keras_runs():
    """Run KERAS_SCRIPT twice in fresh interpreters, with TensorFlow's log level unset."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("TF_CPP_MIN_LOG_LEVEL", "KERAS_BACKEND")}
    return [
        subprocess.run([sys.executable, "-c", KERAS_SCRIPT], capture_output=True, text=True,
                       env=environment, timeout=300)
        for _ in range(2)
    ]


def test_setup_keras_succeeds(keras_runs):
    assert keras_runs[0].returncode == 0, keras_runs[0].stderr


def test_setup_keras_stderr_empty(keras_runs):
    assert keras_runs[0].stderr == ""


def test_setup_keras_one_line(keras_runs):
    lines = keras_runs[0].stdout.splitlines()
    assert len(lines) == 2  # the setup line, then the script's numbers
    assert "TensorFlow" in lines[0]
    assert "Keras" in lines[0]
    assert "seed: 5" in lines[0]


def test_setup_keras_reproducible(keras_runs):
    assert keras_runs[0].stdout != ""
    assert keras_runs[0].stdout == keras_runs[1].stdout


def test_size_note_at_default_size(monkeypatch):
    monkeypatch.setattr(config, "FULL_SIZE", False)
    assert config.size_note("30 epochs") == "default size; 30 epochs with ML4P_SIZE=full"


def test_size_note_at_full_size(monkeypatch):
    monkeypatch.setattr(config, "FULL_SIZE", True)
    assert config.size_note("30 epochs") == "full size"
