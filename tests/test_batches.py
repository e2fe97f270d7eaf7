"""Tests for helpers.batches: shapes, reproducibility, the image coordinate convention."""

import numpy as np
import pytest

from helpers import batches

# A small image whose rows and columns are all different, so a flipped or
# transposed coordinate convention changes the values.
ASYMMETRIC_IMAGE = np.arange(12, dtype=float).reshape(3, 4) / 11.0


def product(x, y):
    return x * y


def pixel_index(inputs, shape):
    """Return the (row, column) of the pixel whose centre is at each input (x, y)."""
    rows, columns = shape
    column = (inputs[:, 0] + 0.5) * columns - 0.5
    row = (0.5 - inputs[:, 1]) * rows - 0.5
    return np.rint(row).astype(int), np.rint(column).astype(int), row, column


def test_random_points_shapes():
    inputs, targets = batches.random_points(product, 50, np.random.default_rng(0))
    assert inputs.shape == (50, 2)
    assert targets.shape == (50, 1)


def test_random_points_inside_square():
    inputs, _ = batches.random_points(product, 1000, np.random.default_rng(0), low=-2.0, high=3.0)
    assert inputs.min() >= -2.0
    assert inputs.max() < 3.0
    assert inputs.min() < -1.9
    assert inputs.max() > 2.9


def test_random_points_targets_match_function():
    inputs, targets = batches.random_points(product, 100, np.random.default_rng(1))
    np.testing.assert_allclose(targets[:, 0], inputs[:, 0] * inputs[:, 1])


def test_random_points_reproducible():
    first = batches.random_points(product, 20, np.random.default_rng(5))
    second = batches.random_points(product, 20, np.random.default_rng(5))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_random_points_differ_between_calls():
    rng = np.random.default_rng(5)
    first, _ = batches.random_points(product, 20, rng)
    second, _ = batches.random_points(product, 20, rng)
    assert not np.array_equal(first, second)


def test_random_points_dtype():
    inputs, targets = batches.random_points(product, 10, np.random.default_rng(0), dtype=np.float32)
    assert inputs.dtype == np.float32
    assert targets.dtype == np.float32


@pytest.mark.parametrize("batch_size", [0, -3, 1.5, True, "10", None])
def test_random_points_invalid_batch_size(batch_size):
    with pytest.raises(ValueError, match="Invalid batch_size"):
        batches.random_points(product, batch_size, np.random.default_rng(0))


@pytest.mark.parametrize("rng", [0, np.random.RandomState(0), None])
def test_random_points_invalid_rng(rng):
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        batches.random_points(product, 10, rng)


def test_random_points_function_not_callable():
    with pytest.raises(TypeError, match="callable"):
        batches.random_points(np.ones(10), 10, np.random.default_rng(0))


@pytest.mark.parametrize("low, high", [(0.5, 0.5), (1.0, -1.0)])
def test_random_points_empty_square(low, high):
    with pytest.raises(ValueError, match="Invalid square"):
        batches.random_points(product, 10, np.random.default_rng(0), low=low, high=high)


@pytest.mark.parametrize("function", [lambda x, y: 1.0, lambda x, y: np.stack([x, y], axis=1)])
def test_random_points_wrong_target_shape(function):
    with pytest.raises(ValueError, match="expected \\(10,\\)"):
        batches.random_points(function, 10, np.random.default_rng(0))


def test_random_points_rejects_nonfinite_targets():
    def infinite_right_half(x, y):
        return np.where(x > 0, np.inf, x * y)

    expected = r"function\(x, y\) returned \d+ NaN or infinite values for 100 points, the first inf at x=0\.\d+"
    with pytest.raises(ValueError, match=expected + r".*square \[-0.5, 0.5\]\^2"):
        batches.random_points(infinite_right_half, 100, np.random.default_rng(0))


def test_random_points_rejects_nan_target():
    with np.errstate(invalid="ignore"), pytest.raises(ValueError, match="returned 1 NaN or infinite values"):
        batches.random_points(lambda x, y: np.where(np.arange(x.size) == 7, np.nan, x), 10, np.random.default_rng(0))


def test_pixel_coordinates_values():
    coordinates = batches.pixel_coordinates((2, 4))
    expected = np.array([
        [-0.375, 0.25], [-0.125, 0.25], [0.125, 0.25], [0.375, 0.25],
        [-0.375, -0.25], [-0.125, -0.25], [0.125, -0.25], [0.375, -0.25],
    ])
    np.testing.assert_allclose(coordinates, expected)


def test_pixel_coordinates_top_left_first():
    x, y = batches.pixel_coordinates(ASYMMETRIC_IMAGE.shape)[0]
    assert x < 0
    assert y > 0


def test_pixel_coordinates_order_matches_ravel():
    coordinates = batches.pixel_coordinates(ASYMMETRIC_IMAGE.shape)
    rows, columns, _, _ = pixel_index(coordinates, ASYMMETRIC_IMAGE.shape)
    np.testing.assert_array_equal(ASYMMETRIC_IMAGE[rows, columns], ASYMMETRIC_IMAGE.ravel())


def test_pixel_coordinates_inside_square():
    coordinates = batches.pixel_coordinates((5, 7))
    assert coordinates.min() > -0.5
    assert coordinates.max() < 0.5


def test_pixel_coordinates_dtype():
    assert batches.pixel_coordinates((3, 3), dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("shape", [5, (3,), (3, 4, 1), (0, 4), (3, -1), (2.5, 3), "ab"])
def test_pixel_coordinates_invalid_shape(shape):
    with pytest.raises(ValueError, match="Invalid image shape"):
        batches.pixel_coordinates(shape)


def test_image_batch_shapes():
    inputs, targets = batches.image_batch(ASYMMETRIC_IMAGE, 30, np.random.default_rng(0))
    assert inputs.shape == (30, 2)
    assert targets.shape == (30, 1)


def test_image_batch_inputs_at_pixel_centres():
    inputs, _ = batches.image_batch(ASYMMETRIC_IMAGE, 200, np.random.default_rng(0))
    _, _, row, column = pixel_index(inputs, ASYMMETRIC_IMAGE.shape)
    np.testing.assert_allclose(row, np.rint(row), atol=1e-12)
    np.testing.assert_allclose(column, np.rint(column), atol=1e-12)


def test_image_batch_targets_match_pixels():
    inputs, targets = batches.image_batch(ASYMMETRIC_IMAGE, 200, np.random.default_rng(0))
    rows, columns, _, _ = pixel_index(inputs, ASYMMETRIC_IMAGE.shape)
    np.testing.assert_array_equal(targets[:, 0], ASYMMETRIC_IMAGE[rows, columns])


def test_image_batch_matches_pixel_coordinates():
    inputs, targets = batches.image_batch(ASYMMETRIC_IMAGE, 200, np.random.default_rng(2))
    coordinates = batches.pixel_coordinates(ASYMMETRIC_IMAGE.shape)
    distances = np.abs(inputs[:, None, :] - coordinates[None, :, :]).sum(axis=2)
    nearest = distances.argmin(axis=1)
    np.testing.assert_allclose(distances.min(axis=1), 0.0, atol=1e-12)
    np.testing.assert_array_equal(targets[:, 0], ASYMMETRIC_IMAGE.ravel()[nearest])


def test_image_batch_covers_all_pixels():
    _, targets = batches.image_batch(ASYMMETRIC_IMAGE, 2000, np.random.default_rng(0))
    np.testing.assert_array_equal(np.unique(targets), np.unique(ASYMMETRIC_IMAGE))


def test_image_batch_converts_uint8():
    image = np.array([[0, 255], [10, 20]], dtype=np.uint8)
    _, targets = batches.image_batch(image, 50, np.random.default_rng(0), dtype=np.float32)
    assert targets.dtype == np.float32
    assert set(targets[:, 0]) <= {0.0, 255.0, 10.0, 20.0}


def test_image_batch_reproducible():
    first = batches.image_batch(ASYMMETRIC_IMAGE, 20, np.random.default_rng(3))
    second = batches.image_batch(ASYMMETRIC_IMAGE, 20, np.random.default_rng(3))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("image", [np.zeros((3, 4, 3)), np.zeros(12)])
def test_image_batch_not_grey(image):
    with pytest.raises(ValueError, match="grey-scale image"):
        batches.image_batch(image, 10, np.random.default_rng(0))


def test_image_batch_too_small():
    with pytest.raises(ValueError, match="too small"):
        batches.image_batch(np.zeros((1, 5)), 10, np.random.default_rng(0))


@pytest.mark.parametrize("value", [np.nan, np.inf], ids=["nan", "inf"])
def test_image_batch_rejects_nonfinite_image(value):
    image = ASYMMETRIC_IMAGE.copy()
    image[2, 1] = value
    image[2, 3] = value
    expected = rf"Image contains 2 NaN or infinite values in 12 pixels, the first {value} at row 2, column 1"
    with pytest.raises(ValueError, match=expected + r".*np.nan_to_num"):
        batches.image_batch(image, 10, np.random.default_rng(0))


def test_image_batch_rejects_strings():
    with pytest.raises(TypeError, match=r"Image has dtype <U1, expected numbers"):
        batches.image_batch(np.full((3, 3), "a"), 10, np.random.default_rng(0))


def test_image_batch_invalid_batch_size():
    with pytest.raises(ValueError, match="Invalid batch_size"):
        batches.image_batch(ASYMMETRIC_IMAGE, 0, np.random.default_rng(0))


def test_image_batch_invalid_rng():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        batches.image_batch(ASYMMETRIC_IMAGE, 10, 42)


def test_image_batches_yields_batches():
    stream = batches.image_batches(ASYMMETRIC_IMAGE, 16, np.random.default_rng(0))
    first_inputs, first_targets = next(stream)
    second_inputs, _ = next(stream)
    assert first_inputs.shape == (16, 2)
    assert first_targets.shape == (16, 1)
    assert not np.array_equal(first_inputs, second_inputs)


def test_image_batches_match_image_batch():
    stream = batches.image_batches(ASYMMETRIC_IMAGE, 16, np.random.default_rng(4))
    expected_rng = np.random.default_rng(4)
    for _ in range(3):
        inputs, targets = next(stream)
        expected_inputs, expected_targets = batches.image_batch(ASYMMETRIC_IMAGE, 16, expected_rng)
        np.testing.assert_array_equal(inputs, expected_inputs)
        np.testing.assert_array_equal(targets, expected_targets)


def test_image_batches_checks_image_at_call():
    with pytest.raises(ValueError, match="grey-scale image"):
        batches.image_batches(np.zeros((3, 4, 3)), 10, np.random.default_rng(0))


def test_image_batches_checks_nan_at_call():
    image = ASYMMETRIC_IMAGE.copy()
    image[0, 0] = np.nan
    with pytest.raises(ValueError, match="Image contains 1 NaN or infinite values"):
        batches.image_batches(image, 10, np.random.default_rng(0))


def test_image_batches_checks_batch_size_at_call():
    with pytest.raises(ValueError, match="Invalid batch_size"):
        batches.image_batches(ASYMMETRIC_IMAGE, -1, np.random.default_rng(0))


def test_image_batches_checks_rng_at_call():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        batches.image_batches(ASYMMETRIC_IMAGE, 10, None)
