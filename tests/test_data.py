"""Tests for helpers.data: MNIST search, verification, splits, and image loading.

Tests that need the real MNIST arrays read them through ``ML4P_DATA_DIR``
and are skipped, with the reason, when that folder has no ``mnist.npz``.
Downloads are tested against an HTTP server on the loopback interface.
"""

import gzip
import hashlib
import http.server
import socket
import struct
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import data

EXPECTED_CLASS_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
PROXY_VARIABLES = ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


def _real_mnist_file():
    """Return the mnist.npz that load_mnist finds in its usual places, without downloading."""
    try:
        source = Path(data.load_mnist(download=False).source)
    except data.MnistNotFoundError as error:
        pytest.skip(f"The real MNIST is needed and was not found:\n{error}")
    if not source.is_file():
        pytest.skip(f"These tests need mnist.npz, but load_mnist found the IDX files in {source}.")
    return source.resolve()


@pytest.fixture(scope="module")
def mnist_file():
    return _real_mnist_file()


@pytest.fixture(scope="module")
def raw(mnist_file):
    """The four MNIST arrays as stored, uint8."""
    with np.load(mnist_file, allow_pickle=False) as archive:
        return {name: archive[name] for name in data.MNIST_SHAPES}


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Point every search place at empty folders; return the Keras cache folder."""
    home = tmp_path / "home"
    home.mkdir()
    keras_home = tmp_path / "keras_home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.delenv(data.DATA_DIR_VARIABLE, raising=False)
    monkeypatch.setattr(data, "PROJECT_DATA_DIR", tmp_path / "project_data")
    for variable in PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return keras_home / "datasets"


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def file_server():
    """Serve bytes on loopback: set ``server.content`` and fetch ``server.url``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = self.server.content
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.content = b""
    server.url = f"http://127.0.0.1:{server.server_address[1]}/mnist.npz"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _write_idx(path, array, compress=False):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    content = header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    if compress:
        with gzip.open(str(path) + ".gz", "wb", compresslevel=1) as file:
            file.write(content)
    else:
        Path(path).write_bytes(content)


def _listing(folder):
    return sorted(entry.name for entry in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------------------
# MNIST: content and splits
# ---------------------------------------------------------------------------


def test_mnist_class_counts(mnist_file):
    splits = data.load_mnist(mnist_file, validation_size=0, scale=False)
    assert np.bincount(splits.y_train).tolist() == EXPECTED_CLASS_COUNTS


def test_mnist_default_splits(mnist_file):
    splits = data.load_mnist(mnist_file)
    assert splits.x_train.shape == (55000, 28, 28)
    assert splits.x_val.shape == (5000, 28, 28)
    assert splits.x_test.shape == (10000, 28, 28)
    assert splits.y_train.shape == (55000,)
    assert splits.y_val.shape == (5000,)
    assert splits.y_test.shape == (10000,)
    assert splits.x_train.dtype == np.float32
    assert splits.y_train.dtype == np.int64
    assert splits.x_train.min() == 0.0
    assert splits.x_train.max() == 1.0
    assert splits.source == str(mnist_file)
    assert "x_train=float32(55000, 28, 28)" in repr(splits)


def test_mnist_lecture_split_unscaled(mnist_file, raw):
    x_train, y_train, x_val, y_val, x_test, y_test = data.load_mnist(mnist_file, train_size=45000, scale=False)
    assert x_train.dtype == np.uint8
    assert len(x_train) == 45000
    assert len(x_val) == 5000
    np.testing.assert_array_equal(x_train, raw["x_train"][:45000])
    np.testing.assert_array_equal(y_train, raw["y_train"][:45000])
    np.testing.assert_array_equal(x_val, raw["x_train"][55000:])
    np.testing.assert_array_equal(y_val, raw["y_train"][55000:])
    np.testing.assert_array_equal(x_test, raw["x_test"])
    np.testing.assert_array_equal(y_test, raw["y_test"])


def test_mnist_flatten_scale_one_hot(mnist_file, raw):
    splits = data.load_mnist(mnist_file, validation_size=1000, flatten=True, one_hot=True)
    assert splits.x_train.shape == (59000, 784)
    assert splits.x_val.shape == (1000, 784)
    assert splits.x_test.shape == (10000, 784)
    assert splits.x_test.dtype == np.float32
    assert splits.y_train.shape == (59000, 10)
    assert splits.y_test.dtype == np.float32
    np.testing.assert_array_equal(splits.y_test.sum(axis=1), np.ones(10000))
    np.testing.assert_array_equal(splits.y_test.argmax(axis=1), raw["y_test"])
    np.testing.assert_array_equal(splits.y_val.argmax(axis=1), raw["y_train"][59000:])
    np.testing.assert_array_equal(splits.x_test, raw["x_test"].reshape(10000, 784) / np.float32(255))


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"validation_size": -1}, ValueError, "Invalid validation_size -1"),
        ({"validation_size": 60000}, ValueError, "Invalid validation_size 60000"),
        ({"validation_size": 2.5}, TypeError, "validation_size must be an integer"),
        ({"validation_size": True}, TypeError, "validation_size must be an integer"),
        ({"train_size": 0}, ValueError, "Invalid train_size 0"),
        ({"train_size": 55001}, ValueError, r"use 1 \.\. 55000"),
        ({"train_size": "all"}, TypeError, "train_size must be an integer or None"),
    ],
)
def test_mnist_invalid_sizes(options, error, message):
    with pytest.raises(error, match=message):
        data.load_mnist(**options)


# ---------------------------------------------------------------------------
# MNIST: where it looks
# ---------------------------------------------------------------------------


@pytest.fixture
def loaded_paths(monkeypatch):
    """Replace the npz loader by a stub returning zero arrays; record the paths it loads."""
    paths = []

    def load(path, advice):
        paths.append(Path(path))
        return {name: np.zeros(shape, np.uint8) for name, shape in data.MNIST_SHAPES.items()}

    monkeypatch.setattr(data, "_load_npz", load)
    return paths


def test_mnist_path_file(mnist_file):
    assert data.load_mnist(mnist_file, validation_size=0, scale=False).source == str(mnist_file)


def test_mnist_path_folder(tmp_path, loaded_paths):
    (tmp_path / "mnist.npz").touch()
    assert data.load_mnist(tmp_path, scale=False).source == str(tmp_path / "mnist.npz")


def test_mnist_path_missing(tmp_path):
    with pytest.raises(data.MnistNotFoundError, match="does not exist"):
        data.load_mnist(tmp_path / "nowhere" / "mnist.npz")


def test_mnist_path_empty_folder(tmp_path):
    with pytest.raises(data.MnistNotFoundError, match="no mnist.npz and no IDX files"):
        data.load_mnist(tmp_path)


def test_mnist_path_single_idx_file(tmp_path):
    single = tmp_path / "train-images-idx3-ubyte.gz"
    single.write_bytes(b"")
    with pytest.raises(ValueError, match="single IDX file"):
        data.load_mnist(single)


def test_mnist_path_wrong_type():
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        data.load_mnist(42)


def test_mnist_finds_data_dir_variable(isolated, loaded_paths, monkeypatch, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "mnist.npz").touch()
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    assert data.load_mnist(scale=False).source == str(folder / "mnist.npz")


def test_mnist_finds_project_folder(isolated, loaded_paths):
    data.PROJECT_DATA_DIR.mkdir()
    (data.PROJECT_DATA_DIR / "mnist.npz").touch()
    assert data.load_mnist(scale=False).source == str(data.PROJECT_DATA_DIR / "mnist.npz")


def test_mnist_finds_keras_cache(isolated, loaded_paths):
    isolated.mkdir(parents=True)
    (isolated / "mnist.npz").touch()
    assert data.load_mnist(scale=False).source == str(isolated / "mnist.npz")


def test_mnist_search_order(isolated, loaded_paths, monkeypatch, tmp_path):
    folder = tmp_path / "shared"
    for place in (folder, data.PROJECT_DATA_DIR, isolated):
        place.mkdir(parents=True)
        (place / "mnist.npz").touch()
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    data.load_mnist(scale=False)
    monkeypatch.delenv(data.DATA_DIR_VARIABLE)
    data.load_mnist(scale=False)
    data.PROJECT_DATA_DIR.joinpath("mnist.npz").unlink()
    data.load_mnist(scale=False)
    assert loaded_paths == [folder / "mnist.npz", data.PROJECT_DATA_DIR / "mnist.npz", isolated / "mnist.npz"]


def test_mnist_data_dir_missing_folder(isolated, monkeypatch, tmp_path):
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(tmp_path / "typo"))
    with pytest.raises(data.MnistNotFoundError, match=f"ML4P_DATA_DIR={tmp_path / 'typo'}: .* does not exist"):
        data.load_mnist(download=False)


def test_keras_cache_dir_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert data.keras_cache_dir() == tmp_path / "datasets"


def test_keras_cache_dir_home(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data.keras_cache_dir() == tmp_path / ".keras" / "datasets"


# ---------------------------------------------------------------------------
# MNIST: corrupt files
# ---------------------------------------------------------------------------


def test_mnist_one_byte_changed(raw, tmp_path):
    x_test = raw["x_test"].copy()
    x_test[1234, 14, 14] ^= 1
    bad = tmp_path / "mnist.npz"
    np.savez(bad, x_train=raw["x_train"], y_train=raw["y_train"], x_test=x_test, y_test=raw["y_test"])
    actual = hashlib.sha256(x_test.tobytes()).hexdigest()
    with pytest.raises(data.CorruptFileError, match=f"{bad}.*x_test.*{actual}.*{data.MNIST_ARRAY_SHA256['x_test']}"):
        data.load_mnist(bad)


def test_mnist_truncated_array(raw, tmp_path):
    bad = tmp_path / "mnist.npz"
    np.savez(bad, x_train=raw["x_train"], y_train=raw["y_train"], x_test=raw["x_test"][:9999], y_test=raw["y_test"])
    with pytest.raises(data.CorruptFileError, match=r"x_test has dtype uint8 and shape \(9999, 28, 28\)"):
        data.load_mnist(bad)


def test_mnist_wrong_dtype(tmp_path):
    bad = tmp_path / "mnist.npz"
    np.savez(bad, **{name: np.zeros(2, dtype=np.float32) for name in data.MNIST_SHAPES})
    with pytest.raises(data.CorruptFileError, match=r"x_train has dtype float32 and shape \(2,\), expected uint8"):
        data.load_mnist(bad)


def test_mnist_missing_array(tmp_path):
    bad = tmp_path / "mnist.npz"
    np.savez(bad, x_train=np.zeros(3, np.uint8))
    with pytest.raises(data.CorruptFileError, match=r"arrays \['y_train', 'x_test', 'y_test'\] are missing"):
        data.load_mnist(bad)


def write_npz_with_object_array(path, object_name):
    arrays = {name: np.zeros(1, np.uint8) for name in data.MNIST_SHAPES}
    arrays[object_name] = np.array([{"pickled": True}], dtype=object)
    np.savez(path, **arrays)
    return path


def test_mnist_pickled_array_rejected(tmp_path):
    bad = write_npz_with_object_array(tmp_path / "mnist.npz", "x_train")
    with pytest.raises(data.CorruptFileError, match="pickled data is never loaded"):
        data.load_mnist(bad)


def test_mnist_pickled_array_message(tmp_path):
    bad = write_npz_with_object_array(tmp_path / "mnist.npz", "y_train")
    with pytest.raises(data.CorruptFileError) as caught:
        data.load_mnist(bad)
    message = str(caught.value)
    assert "array y_train is an object array" in message
    assert "Use the Keras mnist.npz" in message
    assert "IDX files" in message
    assert "allow_pickle=False Pickled" not in message
    assert message.endswith(".")


def _write_wrong_dtype_npz(path):
    np.savez(path, **{name: np.zeros(2, dtype=np.float32) for name in data.MNIST_SHAPES})


@pytest.mark.parametrize("pass_folder", [False, True], ids=["file", "folder"])
def test_mnist_corrupt_explicit_path_advice(tmp_path, pass_folder):
    bad = tmp_path / "mnist.npz"
    _write_wrong_dtype_npz(bad)
    with pytest.raises(data.CorruptFileError) as caught:
        data.load_mnist(tmp_path if pass_folder else bad)
    message = str(caught.value)
    assert "Replace or fix this file, or pass another path" in message
    assert "searches only the path it is given" in message
    assert "other places" not in message


def test_mnist_corrupt_found_by_search_advice(isolated, monkeypatch, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    _write_wrong_dtype_npz(folder / "mnist.npz")
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    with pytest.raises(data.CorruptFileError) as caught:
        data.load_mnist(download=False)
    message = str(caught.value)
    assert str(folder / "mnist.npz") in message
    assert "delete this file and call load_mnist() again" in message
    assert "continues with the other places" in message
    assert "pass another path" not in message


def test_mnist_not_npz_found_by_search_advice(isolated):
    isolated.mkdir(parents=True)
    (isolated / "mnist.npz").write_bytes(b"not a zip archive")
    with pytest.raises(data.CorruptFileError, match="not an .npz.*continues with the other places"):
        data.load_mnist(download=False)


def test_mnist_malformed_idx_explicit_path_advice(tmp_path):
    for name, base in data.MNIST_IDX_FILES.items():
        _write_idx(tmp_path / base, np.zeros(3, np.uint8))
    (tmp_path / data.MNIST_IDX_FILES["y_test"]).write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(data.CorruptFileError, match="magic number.*Replace or fix these IDX files, or pass another path"):
        data.load_mnist(tmp_path)


def test_mnist_pickle_file_rejected(tmp_path):
    bad = tmp_path / "mnist.pkl.gz"
    bad.write_bytes(gzip.compress(b"\x80\x04K\x01."))
    with pytest.raises(data.CorruptFileError, match="not an .npz"):
        data.load_mnist(bad)


def test_mnist_truncated_file(mnist_file, tmp_path):
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(mnist_file.read_bytes()[:100000])
    with pytest.raises(data.CorruptFileError, match="may be truncated"):
        data.load_mnist(bad)


def test_mnist_replaced_file_checked_again(mnist_file, tmp_path):
    link = tmp_path / "mnist.npz"
    link.symlink_to(mnist_file)
    data.load_mnist(link)
    link.unlink()
    arrays = {name: np.zeros(shape, np.uint8) for name, shape in data.MNIST_SHAPES.items()}
    np.savez(link, **arrays)
    with pytest.raises(data.CorruptFileError, match="x_train differs from MNIST"):
        data.load_mnist(link)


# ---------------------------------------------------------------------------
# MNIST: IDX files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_mnist_idx_folder(raw, tmp_path, compress):
    for name, base in data.MNIST_IDX_FILES.items():
        _write_idx(tmp_path / base, raw[name], compress=compress)
    splits = data.load_mnist(tmp_path, validation_size=0, scale=False)
    assert splits.source == str(tmp_path)
    np.testing.assert_array_equal(splits.x_train, raw["x_train"])
    np.testing.assert_array_equal(splits.y_train, raw["y_train"])
    np.testing.assert_array_equal(splits.x_test, raw["x_test"])
    np.testing.assert_array_equal(splits.y_test, raw["y_test"])


def test_mnist_idx_incomplete(tmp_path):
    _write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(3, np.uint8))
    with pytest.raises(data.MnistNotFoundError, match="t10k-images-idx3-ubyte"):
        data.load_mnist(tmp_path)


def test_mnist_idx_wrong_content(tmp_path):
    for name, base in data.MNIST_IDX_FILES.items():
        _write_idx(tmp_path / base, np.zeros(data.MNIST_SHAPES[name], np.uint8))
    with pytest.raises(data.CorruptFileError, match="train-images-idx3-ubyte: array x_train differs"):
        data.load_mnist(tmp_path)


def test_mnist_idx_found_by_search_advice(isolated):
    isolated.mkdir(parents=True)
    for name, base in data.MNIST_IDX_FILES.items():
        _write_idx(isolated / base, np.zeros(data.MNIST_SHAPES[name], np.uint8))
    with pytest.raises(data.CorruptFileError, match="delete these IDX files and call load_mnist"):
        data.load_mnist(download=False)


def test_read_idx_types(tmp_path):
    values = np.array([[1, -2, 300], [4, 5, -600]], dtype=">i2")
    path = tmp_path / "values.idx"
    path.write_bytes(bytes([0, 0, 0x0B, 2]) + struct.pack(">2I", 2, 3) + values.tobytes())
    loaded = data.read_idx(path)
    np.testing.assert_array_equal(loaded, values)
    assert loaded.dtype == np.dtype("int16")
    assert loaded.flags.writeable


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "does not start with two zero bytes"),
        (b"\x01\x00\x08\x01" + struct.pack(">I", 1) + b"\x00", "does not start with two zero bytes"),
        (b"\x00\x00\x07\x01" + struct.pack(">I", 1) + b"\x00", "unknown type code 0x07"),
        (b"\x00\x00\x08\x00", "0 dimensions"),
        (b"\x00\x00\x08\x03" + struct.pack(">I", 1), "header needs 16 bytes"),
        (b"\x00\x00\x08\x01" + struct.pack(">I", 5) + b"\x00" * 4, "truncated.*needs 5 bytes.*found 4"),
        (b"\x00\x00\x08\x01" + struct.pack(">I", 5) + b"\x00" * 6, "trailing bytes"),
        (b"\x1f\x8b\x08\x00garbage", "gzip decompression failed"),
    ],
    ids=["empty", "magic", "type", "no-dims", "short-header", "truncated", "trailing", "bad-gzip"],
)
def test_read_idx_malformed(tmp_path, content, message):
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(content)
    with pytest.raises(data.CorruptFileError, match=f"{path}.*{message}"):
        data.read_idx(path)


# ---------------------------------------------------------------------------
# MNIST: offline and download
# ---------------------------------------------------------------------------


def test_mnist_offline_lists_places(isolated, monkeypatch):
    monkeypatch.setattr(data, "MNIST_ORIGIN", f"http://127.0.0.1:{_closed_port()}/mnist.npz")
    data.PROJECT_DATA_DIR.mkdir()
    start = time.perf_counter()
    with pytest.raises(data.MnistNotFoundError) as caught:
        data.load_mnist()
    elapsed = time.perf_counter() - start
    message = str(caught.value)
    assert elapsed < 5.0
    assert isinstance(caught.value, FileNotFoundError)
    assert "1. ML4P_DATA_DIR: not set" in message
    assert f"2. project data folder: {data.PROJECT_DATA_DIR} contains no mnist.npz" in message
    assert f"3. Keras cache: {isolated} does not exist" in message
    assert "4. download from http://127.0.0.1" in message
    assert "copy mnist.npz (the file keras.datasets.mnist.load_data downloads" in message
    assert f"into {isolated}/" in message
    assert "set ML4P_DATA_DIR to the folder" in message
    assert _listing(isolated) == []


def test_mnist_offline_real_host(isolated):
    if data._probe_host(*data._probe_address(data.MNIST_ORIGIN), timeout=1.0) is None:
        pytest.skip("The download host is reachable, so the offline path cannot be tested here.")
    start = time.perf_counter()
    with pytest.raises(data.MnistNotFoundError, match="download from https://storage.googleapis.com"):
        data.load_mnist()
    assert time.perf_counter() - start < data.PROBE_TIMEOUT_S + 3.0


def test_mnist_download_disabled(isolated):
    with pytest.raises(data.MnistNotFoundError, match="skipped because download=False"):
        data.load_mnist(download=False)


def test_mnist_download_failure_leaves_nothing(isolated, file_server, monkeypatch):
    file_server.content = b"not the MNIST file"
    monkeypatch.setattr(data, "MNIST_ORIGIN", file_server.url)
    with pytest.raises(data.MnistNotFoundError, match=f"download from {file_server.url} failed"):
        data.load_mnist()
    assert _listing(isolated) == []


def test_mnist_download_wrong_content_discarded(isolated, file_server, monkeypatch, tmp_path):
    small = tmp_path / "small.npz"
    np.savez(small, **{name: np.zeros(2, np.uint8) for name in data.MNIST_SHAPES})
    file_server.content = small.read_bytes()
    monkeypatch.setattr(data, "MNIST_ORIGIN", file_server.url)
    monkeypatch.setattr(data, "MNIST_FILE_SHA256", hashlib.sha256(file_server.content).hexdigest())
    with pytest.raises(data.CorruptFileError, match="download .* was discarded"):
        data.load_mnist()
    assert _listing(isolated) == []


def test_mnist_download_into_keras_cache(isolated, file_server, monkeypatch, mnist_file):
    file_server.content = mnist_file.read_bytes()
    monkeypatch.setattr(data, "MNIST_ORIGIN", file_server.url)
    monkeypatch.setattr(data, "MNIST_FILE_SHA256", hashlib.sha256(file_server.content).hexdigest())
    splits = data.load_mnist(validation_size=0, scale=False)
    assert splits.source == str(isolated / "mnist.npz")
    assert _listing(isolated) == ["mnist.npz"]
    assert np.bincount(splits.y_train).tolist() == EXPECTED_CLASS_COUNTS


def test_probe_address_uses_proxy(monkeypatch):
    for variable in PROXY_VARIABLES + ["no_proxy", "NO_PROXY"]:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    assert data._probe_address("https://storage.googleapis.com/x") == ("proxy.example", 3128)


def test_probe_address_direct(monkeypatch):
    for variable in PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    assert data._probe_address("https://storage.googleapis.com/x") == ("storage.googleapis.com", 443)


# ---------------------------------------------------------------------------
# one_hot_labels
# ---------------------------------------------------------------------------


def test_one_hot_labels_rows():
    encoded = data.one_hot_labels(np.array([3, 0, 9]))
    assert encoded.shape == (3, 10)
    assert encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded.sum(axis=1), [1, 1, 1])
    np.testing.assert_array_equal(encoded.argmax(axis=1), [3, 0, 9])


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([0.0, 1.0]), "1D array of integers"),
        (np.array([[1, 2]]), "1D array of integers"),
        (np.array([0, 10]), r"0 \.\. 9, got values from 0 to 10"),
        (np.array([-1, 2]), "got values from -1"),
    ],
)
def test_one_hot_labels_invalid(labels, message):
    with pytest.raises(ValueError, match=message):
        data.one_hot_labels(labels)


# ---------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------


def _save(tmp_path, array, name="image.png"):
    path = tmp_path / name
    Image.fromarray(array).save(path)
    return path


def _mode(path):
    with Image.open(path) as image:
        return image.mode


def _luma(rgb):
    return (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]) / 255.0


def test_grace_hopper_path():
    path = data.grace_hopper_path()
    assert path.is_file()
    assert path.name == "grace_hopper.jpg"


def test_load_image_default():
    image = data.load_image()
    assert image.shape == (600, 512)
    assert image.dtype == np.float64
    assert image.min() >= 0.0
    assert image.max() <= 1.0
    np.testing.assert_array_equal(image, data.load_image(data.grace_hopper_path()))


def test_load_image_grey_8bit(tmp_path):
    values = np.array([[0, 10, 128], [200, 254, 255]], dtype=np.uint8)
    image = data.load_image(_save(tmp_path, values))
    np.testing.assert_array_equal(image, values / 255.0)


def test_load_image_grey_16bit(tmp_path):
    values = np.array([[0, 1, 256], [30000, 65534, 65535]], dtype=np.uint16)
    path = _save(tmp_path, values)
    assert _mode(path) == "I;16"
    np.testing.assert_array_equal(data.load_image(path), values / 65535.0)


def test_load_image_rgb(tmp_path):
    rgb = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [10, 20, 30]]], dtype=np.uint8)
    image = data.load_image(_save(tmp_path, rgb))
    np.testing.assert_allclose(image, _luma(rgb.astype(float)), rtol=0, atol=1e-15)


def test_load_image_rgba_on_white(tmp_path):
    rgba = np.array([[[0, 0, 0, 0], [0, 0, 0, 255]], [[100, 100, 100, 51], [255, 255, 255, 255]]], dtype=np.uint8)
    path = _save(tmp_path, rgba)
    opacity = rgba[..., 3] / 255.0
    grey = _luma(rgba.astype(float))
    np.testing.assert_allclose(data.load_image(path), opacity * grey + (1 - opacity), rtol=0, atol=1e-15)
    np.testing.assert_allclose(data.load_image(path, alpha="black"), opacity * grey, rtol=0, atol=1e-15)
    np.testing.assert_allclose(data.load_image(path, alpha="ignore"), grey, rtol=0, atol=1e-15)


def test_load_image_grey_alpha(tmp_path):
    values = np.array([[[0, 0], [200, 255]]], dtype=np.uint8)
    path = tmp_path / "grey_alpha.png"
    Image.merge("LA", [Image.fromarray(values[..., 0]), Image.fromarray(values[..., 1])]).save(path)
    assert _mode(path) == "LA"
    np.testing.assert_allclose(data.load_image(path), [[1.0, 200 / 255]], rtol=0, atol=1e-15)


def test_load_image_palette(tmp_path):
    rgb = np.array([[[255, 0, 0], [0, 0, 255]]], dtype=np.uint8)
    path = tmp_path / "palette.png"
    Image.fromarray(rgb).convert("P").save(path)
    assert _mode(path) == "P"
    np.testing.assert_allclose(data.load_image(path), _luma(rgb.astype(float)), rtol=0, atol=1e-15)


def test_load_image_exif_upright(tmp_path):
    values = np.array([[0, 50], [100, 150], [200, 250]], dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 3  # Orientation: rotated by 180 degrees.
    path = tmp_path / "rotated.png"
    Image.fromarray(values).save(path, exif=exif)
    np.testing.assert_array_equal(data.load_image(path), values[::-1, ::-1] / 255.0)


def test_load_image_float_outside_range(tmp_path):
    values = np.array([[-1.0, 0.0], [2.0, 3.0]], dtype=np.float32)
    path = tmp_path / "float.tiff"
    Image.fromarray(values).save(path)
    with pytest.raises(ValueError, match="outside the range.*normalize=True"):
        data.load_image(path)
    np.testing.assert_array_equal(data.load_image(path, normalize=True), [[0.0, 0.25], [0.75, 1.0]])


def test_load_image_normalize(tmp_path):
    values = np.array([[50, 100], [150, 200]], dtype=np.uint8)
    image = data.load_image(_save(tmp_path, values), normalize=True)
    assert image.min() == 0.0
    assert image.max() == 1.0
    np.testing.assert_allclose(image, [[0, 1 / 3], [2 / 3, 1]], rtol=0, atol=1e-15)


def test_load_image_normalize_constant(tmp_path):
    path = _save(tmp_path, np.full((3, 3), 7, dtype=np.uint8))
    with pytest.raises(ValueError, match="all pixels have the value"):
        data.load_image(path, normalize=True)


def test_load_image_resize_short_side():
    image = data.load_image(size=64)
    assert image.shape == (75, 64)
    assert image.min() >= 0.0
    assert image.max() <= 1.0


def test_load_image_resize_rows_columns():
    assert data.load_image(size=(30, 40)).shape == (30, 40)


def test_load_image_resize_same_size(tmp_path):
    values = np.array([[0, 10], [20, 30]], dtype=np.uint8)
    np.testing.assert_array_equal(data.load_image(_save(tmp_path, values), size=(2, 2)), values / 255.0)


def test_load_image_resize_constant_kept(tmp_path):
    path = _save(tmp_path, np.full((40, 60), 128, dtype=np.uint8))
    np.testing.assert_allclose(data.load_image(path, size=10), np.full((10, 15), 128 / 255), rtol=0, atol=1e-6)


@pytest.mark.parametrize("size", [0, -3, True, 2.5, (0, 4), (4,), (4, 4, 4), "64", (4.0, 4)])
def test_load_image_invalid_size(size):
    with pytest.raises(ValueError, match="Invalid size"):
        data.load_image(size=size)


def test_load_image_invalid_alpha():
    with pytest.raises(ValueError, match="Invalid alpha 'grey'"):
        data.load_image(alpha="grey")


def test_load_image_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="Image file not found"):
        data.load_image(tmp_path / "missing.png")


def test_load_image_folder(tmp_path):
    with pytest.raises(ValueError, match="it is not a file"):
        data.load_image(tmp_path)


def test_load_image_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("these are not pixels")
    with pytest.raises(ValueError, match="cannot identify it as an image"):
        data.load_image(path)


def test_load_image_truncated(tmp_path):
    path = _save(tmp_path, np.arange(10000, dtype=np.uint8).reshape(100, 100))
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="reading it failed"):
        data.load_image(path)


def test_load_image_wrong_path_type():
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        data.load_image(3)
