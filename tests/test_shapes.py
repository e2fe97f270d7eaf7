"""Tests for helpers.shapes: generated circle and square images."""

import numpy as np
import pytest

from helpers.shapes import CLASS_NAMES, circles_and_squares


def draw(count=10, seed=0, **options):
    return circles_and_squares(count, np.random.default_rng(seed), **options)


def test_shapes_output_types():
    images, labels = draw(count=7, size=20, min_extent=3, max_extent=6)
    assert images.shape == (7, 20, 20)
    assert images.dtype == np.float32
    assert labels.shape == (7,)
    assert labels.dtype == np.int64


def test_shapes_values_in_unit_interval():
    images, _ = draw(count=50, noise=0.3)
    assert images.min() >= 0.0
    assert images.max() <= 1.0


def test_shapes_labels_balanced():
    _, labels = draw(count=101)
    assert set(np.unique(labels)) == {0, 1}
    assert np.sum(labels == 0) == 51
    assert np.sum(labels == 1) == 50


def test_shapes_class_names():
    assert CLASS_NAMES == ("circle", "square")


def test_shapes_same_seed_same_images():
    first_images, first_labels = draw(seed=3, noise=0.1)
    second_images, second_labels = draw(seed=3, noise=0.1)
    np.testing.assert_array_equal(first_images, second_images)
    np.testing.assert_array_equal(first_labels, second_labels)


def test_shapes_other_seed_other_images():
    first_images, _ = draw(seed=3)
    second_images, _ = draw(seed=4)
    assert not np.array_equal(first_images, second_images)


@pytest.mark.parametrize("extent", [3.0, 5.0, 8.5])
def test_shapes_area_matches_geometry(extent):
    images, labels = draw(count=20, min_extent=extent, max_extent=extent, supersample=8)
    areas = images.sum(axis=(1, 2))
    expected = np.where(labels == 0, np.pi * extent**2, 4 * extent**2)
    # Supersampling estimates each edge pixel's coverage to about 1/8 of a pixel.
    np.testing.assert_allclose(areas, expected, rtol=0.03)


def test_shapes_centre_pixel_fully_covered():
    images, _ = draw(count=20, min_extent=4, max_extent=4)
    assert np.all(images.max(axis=(1, 2)) == 1.0)


def test_shapes_lie_inside_image():
    # With half-widths close to half the image size, a shape that stuck out
    # would lose area, so the covered area shows whether each shape fits.
    images, labels = draw(count=30, size=16, min_extent=7.5, max_extent=8.0, supersample=8)
    extents_from_area = np.where(labels == 0, np.sqrt(images.sum(axis=(1, 2)) / np.pi),
                                 np.sqrt(images.sum(axis=(1, 2)) / 4))
    assert np.all(extents_from_area > 7.3)


def test_shapes_background_zero_without_noise():
    images, _ = draw(count=20, min_extent=3, max_extent=4)
    # A shape at most 8 pixels wide touches at most 9 x 9 pixels, and one at
    # least 6 pixels wide covers an area of more than 25 pixels.
    assert np.all(np.count_nonzero(images, axis=(1, 2)) <= 81)
    assert np.all(np.count_nonzero(images, axis=(1, 2)) >= 25)


def test_shapes_noise_changes_background():
    clean, _ = draw(count=20, seed=5)
    noisy, _ = draw(count=20, seed=5, noise=0.2)
    assert np.std(noisy - clean) > 0.05


def test_shapes_outline_smaller_than_filled():
    filled, _ = draw(count=20, seed=2, min_extent=8, max_extent=8)
    outline, _ = draw(count=20, seed=2, min_extent=8, max_extent=8, line_width=1.5)
    assert np.all(outline.sum(axis=(1, 2)) < 0.5 * filled.sum(axis=(1, 2)))


def test_shapes_outline_centre_empty():
    images, _ = draw(count=10, min_extent=6, max_extent=6, line_width=1.0)
    assert np.all(np.sort(images.reshape(10, -1), axis=1)[:, 0] == 0.0)
    assert np.all(images.max(axis=(1, 2)) > 0.9)


def test_shapes_supersample_one_hard_edges():
    images, _ = draw(count=10, supersample=1)
    assert set(np.unique(images)) <= {0.0, 1.0}


def test_shapes_circle_and_square_differ():
    images, labels = draw(count=40, min_extent=8, max_extent=8, supersample=8)
    circle_area = images[labels == 0].sum(axis=(1, 2)).mean()
    square_area = images[labels == 1].sum(axis=(1, 2)).mean()
    np.testing.assert_allclose(circle_area / square_area, np.pi / 4, rtol=0.02)


@pytest.mark.parametrize("count", [0, -3, 2.5, True, "10"])
def test_shapes_rejects_bad_count(count):
    with pytest.raises(ValueError, match="Invalid count"):
        circles_and_squares(count, np.random.default_rng(0))


def test_shapes_rejects_missing_generator():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        circles_and_squares(4, 0)


@pytest.mark.parametrize("size", [3, 0, 28.0])
def test_shapes_rejects_bad_size(size):
    with pytest.raises(ValueError, match="Invalid size"):
        circles_and_squares(4, np.random.default_rng(0), size=size)


@pytest.mark.parametrize("name", ["min_extent", "max_extent"])
@pytest.mark.parametrize("value", [0.0, -1.0, float("nan")])
def test_shapes_rejects_bad_extent(name, value):
    options = {"min_extent": 2.0, "max_extent": 5.0, name: value}
    with pytest.raises(ValueError, match=f"Invalid {name}"):
        circles_and_squares(4, np.random.default_rng(0), **options)


def test_shapes_rejects_extent_of_wrong_type():
    with pytest.raises(TypeError, match="min_extent must be a number"):
        circles_and_squares(4, np.random.default_rng(0), min_extent="3")


def test_shapes_rejects_swapped_extents():
    with pytest.raises(ValueError, match="min_extent=6.0 is larger than max_extent=5.0"):
        circles_and_squares(4, np.random.default_rng(0), min_extent=6.0, max_extent=5.0)


def test_shapes_rejects_extent_too_large():
    with pytest.raises(ValueError, match="does not fit into an image of size 28"):
        circles_and_squares(4, np.random.default_rng(0), max_extent=14.5)


@pytest.mark.parametrize("noise", [-0.1, float("inf")])
def test_shapes_rejects_bad_noise(noise):
    with pytest.raises(ValueError, match="Invalid noise"):
        circles_and_squares(4, np.random.default_rng(0), noise=noise)


def test_shapes_rejects_noise_of_wrong_type():
    with pytest.raises(TypeError, match="noise must be a number"):
        circles_and_squares(4, np.random.default_rng(0), noise=None)


@pytest.mark.parametrize("line_width", [0, 0.0, -1.0])
def test_shapes_rejects_bad_line_width(line_width):
    with pytest.raises(ValueError, match="Invalid line_width"):
        circles_and_squares(4, np.random.default_rng(0), line_width=line_width)


@pytest.mark.parametrize("supersample", [0, 1.5])
def test_shapes_rejects_bad_supersample(supersample):
    with pytest.raises(ValueError, match="Invalid supersample"):
        circles_and_squares(4, np.random.default_rng(0), supersample=supersample)
