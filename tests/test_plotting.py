"""Tests for helpers.plotting: figures, their labels and errors, and LiveDisplay."""

import os
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_import_keeps_backend():
    """Importing helpers.plotting must not select a backend (it would crash headless runs)."""
    code = (
        "import matplotlib\n"
        "before = dict.__getitem__(matplotlib.rcParams, 'backend')\n"
        "import helpers.plotting\n"
        "after = dict.__getitem__(matplotlib.rcParams, 'backend')\n"
        "print(repr(before) == repr(after))\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=environment, timeout=120, check=True)
    assert result.stdout.strip() == "True"
    assert result.stderr == ""


def test_import_keeps_chosen_backend():
    code = (
        "import matplotlib\n"
        "matplotlib.use('svg')\n"
        "import helpers.plotting\n"
        "print(matplotlib.get_backend())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "svg"


@pytest.mark.parametrize("value, expected", [("0", False), ("off", False), ("1", True), ("yes", True)])
def test_live_updates_variable(monkeypatch, value, expected):
    monkeypatch.setenv("ML4P_LIVE", value)
    monkeypatch.delenv("CI", raising=False)
    assert plotting.live_updates_enabled() is expected


def test_live_updates_off_under_ci(monkeypatch):
    monkeypatch.delenv("ML4P_LIVE", raising=False)
    monkeypatch.setenv("CI", "true")
    assert plotting.live_updates_enabled() is False


def test_live_updates_on_by_default(monkeypatch):
    monkeypatch.delenv("ML4P_LIVE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert plotting.live_updates_enabled() is True


def test_plot_cost_log_axis():
    ax = plotting.plot_cost([1.0, 0.5, 0.1])
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "training step"
    assert ax.get_ylabel() == "cost"


def test_plot_cost_data():
    ax = plotting.plot_cost([3.0, 2.0, 1.0], log=False)
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [0, 1, 2])
    np.testing.assert_array_equal(y, [3.0, 2.0, 1.0])
    assert ax.get_yscale() == "linear"


def test_plot_cost_same_axes_legend():
    ax = plotting.plot_cost([1.0, 0.5], label="eta = 0.1", title="two runs")
    plotting.plot_cost([1.0, 0.2], ax=ax, label="eta = 0.5")
    assert len(ax.lines) == 2
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["eta = 0.1", "eta = 0.5"]
    assert ax.get_title() == "two runs"


@pytest.mark.parametrize("costs", [[1.0, 0.0], [0.5, -0.1]])
def test_plot_cost_log_nonpositive(costs):
    with pytest.raises(ValueError, match="log=False"):
        plotting.plot_cost(costs)


def test_plot_cost_linear_accepts_zero():
    ax = plotting.plot_cost([1.0, 0.0], log=False)
    assert len(ax.lines) == 1


@pytest.mark.parametrize("costs", [[], [[1.0, 2.0]]])
def test_plot_cost_invalid_shape(costs):
    with pytest.raises(ValueError, match="non-empty 1D"):
        plotting.plot_cost(costs)


@pytest.mark.parametrize("value", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("log", [True, False], ids=["log", "linear"])
def test_plot_cost_rejects_nonfinite(value, log):
    costs = [1.0, 0.5, value, 0.2, value]
    expected = rf"costs contain 2 NaN or infinite values, the first \({value}\) at index 2, so training probably diverged"
    with pytest.raises(ValueError, match=expected + r".*costs\[:2\]"):
        plotting.plot_cost(costs, log=log)


def test_evaluate_on_grid_orientation():
    values = plotting.evaluate_on_grid(lambda x, y: 10 * x + y, resolution=3, extent=(0, 2, -1, 1))
    expected = np.array([[-1.0, 9.0, 19.0], [0.0, 10.0, 20.0], [1.0, 11.0, 21.0]])
    np.testing.assert_allclose(values, expected)


def test_evaluate_on_grid_default_extent():
    values = plotting.evaluate_on_grid(lambda x, y: y, resolution=5)
    assert values.shape == (5, 5)
    np.testing.assert_allclose(values[0], -0.5)
    np.testing.assert_allclose(values[-1], 0.5)


@pytest.mark.parametrize("resolution", [1, 0, 2.5, True, "100"])
def test_evaluate_on_grid_invalid_resolution(resolution):
    with pytest.raises(ValueError, match="Invalid resolution"):
        plotting.evaluate_on_grid(lambda x, y: x, resolution=resolution)


def test_evaluate_on_grid_not_elementwise():
    with pytest.raises(ValueError, match="elementwise"):
        plotting.evaluate_on_grid(lambda x, y: float(np.sum(x)), resolution=4)


def test_plot_function_2d_array():
    values = np.arange(6.0).reshape(2, 3)
    image = plotting.plot_function_2d(values, title="values")
    np.testing.assert_array_equal(image.get_array(), values)
    assert image.origin == "lower"
    assert image.get_extent() == [-0.5, 0.5, -0.5, 0.5]
    assert image.axes.get_title() == "values"
    assert image.axes.get_xlabel() != ""
    assert image.axes.get_ylabel() != ""


def test_plot_function_2d_callable():
    image = plotting.plot_function_2d(lambda x, y: x + 2 * y, extent=(0, 1, 0, 2))
    expected = plotting.evaluate_on_grid(lambda x, y: x + 2 * y, extent=(0, 1, 0, 2))
    np.testing.assert_allclose(image.get_array(), expected)
    assert image.get_extent() == [0, 1, 0, 2]


def test_plot_function_2d_colorbar():
    with_bar = plotting.plot_function_2d(np.zeros((4, 4)))
    without_bar = plotting.plot_function_2d(np.zeros((4, 4)), colorbar=False)
    assert len(with_bar.figure.axes) == 2
    assert len(without_bar.figure.axes) == 1


def test_plot_function_2d_given_axes():
    fig, axes = plt.subplots(1, 2)
    image = plotting.plot_function_2d(np.ones((3, 3)), ax=axes[1], vmin=0, vmax=2)
    assert image.axes is axes[1]
    assert image.get_clim() == (0, 2)


def test_plot_function_2d_not_2d():
    with pytest.raises(ValueError, match="2D array"):
        plotting.plot_function_2d(np.zeros((2, 2, 2)))


def test_show_image():
    image = np.array([[0.0, 0.2], [0.7, 1.0]])
    artist = plotting.show_image(image, title="tiny")
    np.testing.assert_array_equal(artist.get_array(), image)
    assert artist.origin == "upper"
    assert artist.get_clim() == (0.0, 1.0)
    assert artist.axes.get_title() == "tiny"


def test_show_image_not_2d():
    with pytest.raises(ValueError, match="must be 2D"):
        plotting.show_image(np.zeros((4, 4, 3)))


def test_image_grid_layout():
    fig = plotting.image_grid(np.zeros((7, 3, 5)), ncols=3, suptitle="seven")
    assert len(fig.axes) == 9
    assert sum(len(ax.images) for ax in fig.axes) == 7
    assert fig.axes[0].images[0].get_array().shape == (3, 5)
    assert fig._suptitle.get_text() == "seven"


def test_image_grid_fewer_images_than_columns():
    fig = plotting.image_grid(np.zeros((2, 3, 3)), ncols=10)
    assert len(fig.axes) == 2


def test_image_grid_flattened():
    images = np.arange(32.0).reshape(2, 16)
    fig = plotting.image_grid(images)
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), images[1].reshape(4, 4))


def test_image_grid_flattened_not_square():
    with pytest.raises(ValueError, match="not square"):
        plotting.image_grid(np.zeros((2, 15)))


def test_image_grid_titles():
    fig = plotting.image_grid(np.zeros((3, 2, 2)), titles=["a", 1, "c"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "1", "c"]


def test_image_grid_titles_mismatch():
    with pytest.raises(ValueError, match="2 titles for 3 images"):
        plotting.image_grid(np.zeros((3, 2, 2)), titles=["a", "b"])


def test_image_grid_symmetric_scale():
    images = np.array([[[0.0, 2.0], [-1.0, 0.5]], [[0.0, 0.0], [0.0, 0.0]]])
    fig = plotting.image_grid(images, symmetric=True)
    assert fig.axes[0].images[0].get_clim() == (-2.0, 2.0)
    assert fig.axes[1].images[0].get_clim() == (-1.0, 1.0)


@pytest.mark.parametrize("images", [np.zeros((0, 3, 3)), np.zeros(9), np.zeros((2, 3, 3, 3))])
def test_image_grid_invalid_shape(images):
    with pytest.raises(ValueError, match="images must have shape"):
        plotting.image_grid(images)


@pytest.mark.parametrize("ncols", [0, 2.0, True])
def test_image_grid_invalid_ncols(ncols):
    with pytest.raises(ValueError, match="Invalid ncols"):
        plotting.image_grid(np.zeros((2, 3, 3)), ncols=ncols)


class DrawRecorder:
    """A draw function for LiveDisplay that records the states it was called with."""

    def __init__(self):
        self.states = []

    def __call__(self, axes, **state):
        self.states.append(state)
        np.atleast_1d(axes)[0].plot(state["costs"])


def test_live_display_off_draws_at_finish():
    draw = DrawRecorder()
    live = plotting.LiveDisplay(draw, live=False, min_interval=0.0)
    for step in range(5):
        assert live.update(costs=[1.0, 0.5][: step % 2 + 1]) is False
    assert live.draw_count == 0
    figure = live.finish(costs=[1.0, 0.5, 0.2])
    assert live.draw_count == 1
    assert draw.states == [{"costs": [1.0, 0.5, 0.2]}]
    assert figure is live.figure


def test_live_display_follows_variable(monkeypatch):
    monkeypatch.setenv("ML4P_LIVE", "0")
    assert plotting.LiveDisplay(DrawRecorder()).live is False
    monkeypatch.setenv("ML4P_LIVE", "1")
    assert plotting.LiveDisplay(DrawRecorder()).live is True


def test_live_display_min_interval():
    draw = DrawRecorder()
    live = plotting.LiveDisplay(draw, live=True, min_interval=3600.0)
    assert live.update(costs=[1.0]) is True
    assert live.update(costs=[1.0, 0.5]) is False
    assert live.draw_count == 1
    live.finish(costs=[1.0, 0.5])
    assert live.draw_count == 2


def test_live_display_zero_interval():
    live = plotting.LiveDisplay(DrawRecorder(), live=True, min_interval=0.0)
    results = [live.update(costs=[1.0]) for _ in range(3)]
    assert results == [True, True, True]
    assert live.draw_count == 3


def test_live_display_clears_axes():
    live = plotting.LiveDisplay(DrawRecorder(), live=True, min_interval=0.0)
    live.update(costs=[1.0])
    live.update(costs=[1.0, 0.5])
    assert len(live.axes.lines) == 1


def test_live_display_axes_grid():
    live = plotting.LiveDisplay(DrawRecorder(), nrows=2, ncols=2, live=False)
    assert len(live.axes) == 4


def test_live_display_bad_draw():
    with pytest.raises(TypeError, match="draw must be callable"):
        plotting.LiveDisplay("not a function")


def test_live_display_negative_interval():
    with pytest.raises(ValueError, match="Invalid min_interval"):
        plotting.LiveDisplay(DrawRecorder(), min_interval=-1.0)


def test_backend_untouched_by_figures():
    backend = matplotlib.get_backend()
    plotting.plot_cost([1.0, 0.5])
    plotting.LiveDisplay(DrawRecorder(), live=False).finish(costs=[1.0])
    assert matplotlib.get_backend() == backend
