"""Load MNIST and grey-scale images, verified and usable offline.

MNIST
-----
``load_mnist()`` returns training, validation and test splits. It looks for
a copy in this order and uses the first place that has one:

1. the ``path`` argument: an ``.npz`` file or a folder (only this place is
   searched when it is given);
2. the folder named by the environment variable ``ML4P_DATA_DIR``;
3. the repository's ``data/`` folder next to the ``helpers`` package, if it
   exists;
4. the Keras cache, ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``;
5. a download of the official ``mnist.npz`` through ``keras.utils.get_file``
   with the origin and SHA-256 that ``keras.datasets.mnist.load_data`` uses.
   The file goes into the Keras cache, where ``load_data`` finds it as well.

A folder may contain ``mnist.npz`` (the Keras layout: arrays ``x_train``,
``y_train``, ``x_test``, ``y_test``) or the four original IDX files
(``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``, each gzipped with a
``.gz`` suffix or not). Pickled objects are never loaded.

Every copy is checked by content, not by container: each of the four arrays
must have the expected dtype and shape and the SHA-256 of its raw bytes given
in ``MNIST_ARRAY_SHA256``. So a correct copy passes whatever program wrote
the file, and a corrupt or truncated one raises ``CorruptFileError``. A
check that passed is remembered for the file's path, size and modification
time, so repeated loads in one kernel skip the hashing.

Images
------
``load_image()`` returns a grey-scale float64 image in [0, 1] with shape
(rows, columns) and row 0 at the top, the orientation ``imshow`` shows and
``helpers.batches`` assumes. Without a path it loads the portrait of Grace
Hopper that matplotlib ships in its sample data (a public-domain US Navy
photograph), so no download is needed.

Sources and licences of the data are listed in ``data/README.md``.
"""

import dataclasses
import gzip
import hashlib
import os
import shutil
import socket
import tempfile
import threading
import urllib.parse
import urllib.request
import zipfile
import zlib
from pathlib import Path

import numpy as np

from helpers._checks import is_integer

DATA_DIR_VARIABLE = "ML4P_DATA_DIR"
"""Environment variable naming a folder that contains MNIST."""

PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The repository's ``data/`` folder; searched only if it exists."""

MNIST_FILE_NAME = "mnist.npz"

# The origin and file hash are those of keras.datasets.mnist.load_data
# (Keras 3.15). keras.utils.get_file checks the hash after downloading.
MNIST_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_FILE_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

MNIST_ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
"""SHA-256 of each MNIST array's raw bytes, ``np.ascontiguousarray(a).tobytes()``."""

MNIST_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
"""Shape of each MNIST array. All four have dtype uint8."""

MNIST_IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
"""Name of the original IDX file of each array (a ``.gz`` suffix is accepted too)."""

NUM_CLASSES = 10

PROBE_TIMEOUT_S = 3.0
"""Seconds to wait for a TCP connection to the download host (or proxy) before giving up."""

DOWNLOAD_TIMEOUT_S = 60.0
"""Socket timeout in seconds for each read while downloading."""

# IDX type codes (third byte of the magic number) and their big-endian dtypes.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

# Checks that passed: (real path, size, mtime_ns, array name).
_verified = set()


class MnistNotFoundError(FileNotFoundError):
    """No copy of MNIST was found and none could be downloaded.

    The message lists every place searched and where to put ``mnist.npz``.
    """


class CorruptFileError(ValueError):
    """A data file exists but is malformed or its content is not the expected data.

    The message names the file and what differs (array, expected and actual
    shape or hash, or the malformed part of an IDX header).
    """


@dataclasses.dataclass(frozen=True, repr=False)
class MnistSplits:
    """The MNIST splits returned by ``load_mnist``.

    Unpacks into the six arrays, in this order:
    ``x_train, y_train, x_val, y_val, x_test, y_test = load_mnist()``.
    ``source`` is the path of the file (or IDX folder) the arrays came from.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def __iter__(self):
        return iter((self.x_train, self.y_train, self.x_val, self.y_val, self.x_test, self.y_test))

    def __repr__(self):
        parts = [
            f"{name}={getattr(self, name).dtype}{getattr(self, name).shape}"
            for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")
        ]
        return f"MnistSplits({', '.join(parts)}, source={self.source!r})"


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------


def read_idx(path):
    """Read one IDX file (gzipped or not) into a native-endian numpy array.

    The header is a magic number (two zero bytes, a type code, the number of
    dimensions) followed by each dimension as a big-endian uint32. The data
    follows in big-endian order. Raises ``CorruptFileError`` naming the file
    for a wrong magic number, an unknown type code, or data that is shorter
    or longer than the dimensions require.
    """
    path = Path(path)
    with open(path, "rb") as file:
        compressed = file.read(2) == b"\x1f\x8b"
    try:
        if compressed:
            with gzip.open(path, "rb") as file:
                content = file.read()
        else:
            content = path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        raise CorruptFileError(f"Invalid IDX file {path}: gzip decompression failed ({error}).") from error

    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise CorruptFileError(
            f"Invalid IDX file {path}: the magic number {content[:4].hex() or 'is missing'} "
            "does not start with two zero bytes, so this is not an IDX file."
        )
    type_code, ndim = content[2], content[3]
    if type_code not in _IDX_DTYPES:
        raise CorruptFileError(
            f"Invalid IDX file {path}: unknown type code 0x{type_code:02x} in the magic number "
            f"(known codes: {', '.join(f'0x{code:02x}' for code in _IDX_DTYPES)})."
        )
    if ndim == 0:
        raise CorruptFileError(f"Invalid IDX file {path}: the magic number gives 0 dimensions.")
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise CorruptFileError(
            f"Invalid IDX file {path}: the header needs {header_size} bytes for {ndim} dimensions, "
            f"but the file has only {len(content)} bytes."
        )

    shape = tuple(int(size) for size in np.frombuffer(content, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_DTYPES[type_code]
    expected_size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual_size = len(content) - header_size
    if actual_size != expected_size:
        problem = "truncated" if actual_size < expected_size else "has trailing bytes"
        raise CorruptFileError(
            f"Invalid IDX file {path}: the data is {problem}: shape {shape} of {dtype.name} needs "
            f"{expected_size} bytes after the header, found {actual_size}."
        )
    values = np.frombuffer(content, dtype=dtype, offset=header_size).reshape(shape)
    # astype copies into a writable array in the machine's byte order.
    return values.astype(dtype.newbyteorder("="))


def _read_npz(path, advice=""):
    """Read the four MNIST arrays from a Keras-layout ``.npz`` file, rejecting pickled data.

    ``advice`` (what to do about a bad file) ends every ``CorruptFileError`` message.
    """
    if not zipfile.is_zipfile(path):
        raise CorruptFileError(
            f"Invalid MNIST file {path}: it is not an .npz (zip) archive. It may be truncated, or be "
            f"a pickle such as mnist.pkl.gz, which is not supported. {advice}".rstrip()
        )
    arrays = {}
    name = None
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [name for name in MNIST_SHAPES if name not in archive.files]
            if missing:
                raise CorruptFileError(
                    f"Invalid MNIST file {path}: arrays {missing} are missing; found {archive.files}, "
                    f"expected {list(MNIST_SHAPES)} as in keras.datasets.mnist. {advice}".rstrip()
                )
            for name in MNIST_SHAPES:
                arrays[name] = archive[name]
    except CorruptFileError:
        raise
    except ValueError as error:
        # numpy 2.4 raises "Object arrays cannot be loaded when allow_pickle=False"
        # for an object array, and ValueError for a malformed array header too.
        if "allow_pickle" in str(error):
            raise CorruptFileError(
                f"Invalid MNIST file {path}: array {name} is an object array, which only pickle can load, "
                "and pickled data is never loaded. Use the Keras mnist.npz, whose four arrays are plain "
                f"uint8, or the four original IDX files. {advice}".rstrip()
            ) from error
        raise CorruptFileError(f"Invalid MNIST file {path}: reading it failed ({error}). {advice}".rstrip()) from error
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise CorruptFileError(f"Invalid MNIST file {path}: reading it failed ({error}). {advice}".rstrip()) from error
    return arrays


def _file_key(path):
    status = os.stat(path)
    return (os.path.realpath(path), status.st_size, status.st_mtime_ns)


def _verify(arrays, files, advice):
    """Check dtype, shape and content hash of each array and raise CorruptFileError on a mismatch.

    ``files`` maps each array name to the file it came from (for the cache
    key and the message).
    """
    for name, expected_shape in MNIST_SHAPES.items():
        array, path = arrays[name], files[name]
        if array.dtype != np.uint8 or array.shape != expected_shape:
            raise CorruptFileError(
                f"Invalid MNIST file {path}: array {name} has dtype {array.dtype} and shape {array.shape}, "
                f"expected uint8 and {expected_shape}. {advice}".rstrip()
            )
        key = _file_key(path) + (name,)
        if key in _verified:
            continue
        actual = hashlib.sha256(np.ascontiguousarray(array).data).hexdigest()
        if actual != MNIST_ARRAY_SHA256[name]:
            raise CorruptFileError(
                f"Invalid MNIST file {path}: array {name} differs from MNIST: the SHA-256 of its bytes is "
                f"{actual}, expected {MNIST_ARRAY_SHA256[name]}. {advice}".rstrip()
            )
        _verified.add(key)


def _corrupt_advice(copy_name, explicit):
    """Return what to do about a corrupt copy, where ``copy_name`` is "this file" or "these IDX files".

    ``explicit`` is true when the copy came from the ``path`` argument,
    which is then the only place searched, and false for the default search.
    """
    if explicit:
        return (
            f"Replace or fix {copy_name}, or pass another path, because load_mnist searches only the path "
            "it is given (path=None searches the default places)."
        )
    return (
        f"Replace {copy_name} with a correct copy, or delete {copy_name} and call load_mnist() again. The next "
        "search then continues with the other places and, if none has a copy, downloads one into the "
        "Keras cache (unless download=False)."
    )


# ---------------------------------------------------------------------------
# Searching
# ---------------------------------------------------------------------------


def keras_cache_dir():
    """Return the Keras dataset cache folder, as Keras chooses it.

    That is ``$KERAS_HOME/datasets`` if ``KERAS_HOME`` is set, else
    ``~/.keras/datasets``, or ``/tmp/.keras/datasets`` when the home folder is
    not writable (Keras 3.15 makes the same choice).
    """
    if "KERAS_HOME" in os.environ:
        return Path(os.environ["KERAS_HOME"]).expanduser() / "datasets"
    home = Path("~").expanduser()
    if not os.access(home, os.W_OK):
        home = Path("/tmp")
    return home / ".keras" / "datasets"


def _find_idx_file(folder, base_name):
    for candidate in (folder / base_name, folder / (base_name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def _load_from_folder(folder, explicit):
    """Load verified MNIST arrays from a folder, or return (None, reason) if it has no copy.

    ``explicit`` is true when the folder was the ``path`` argument (see ``_corrupt_advice``).
    """
    npz = folder / MNIST_FILE_NAME
    if npz.is_file():
        return _load_npz(npz, _corrupt_advice("this file", explicit)), str(npz)
    idx_files = {name: _find_idx_file(folder, base) for name, base in MNIST_IDX_FILES.items()}
    found = [name for name, file in idx_files.items() if file is not None]
    if not found:
        return None, f"no {MNIST_FILE_NAME} and no IDX files"
    if len(found) < len(idx_files):
        missing = [MNIST_IDX_FILES[name] for name in idx_files if idx_files[name] is None]
        raise MnistNotFoundError(
            f"Incomplete MNIST IDX files in {folder}: {', '.join(missing)} (or .gz) missing. "
            f"Add them, or put {MNIST_FILE_NAME} there instead."
        )
    advice = _corrupt_advice("these IDX files", explicit)
    try:
        arrays = {name: read_idx(file) for name, file in idx_files.items()}
    except CorruptFileError as error:
        raise CorruptFileError(f"{error} {advice}") from error
    _verify(arrays, idx_files, advice)
    return arrays, str(folder)


def _load_npz(path, advice):
    arrays = _read_npz(path, advice)
    _verify(arrays, dict.fromkeys(arrays, path), advice)
    return arrays


def _load_from_path_argument(path):
    if path.is_dir():
        arrays, source = _load_from_folder(path, explicit=True)
        if arrays is None:
            raise MnistNotFoundError(
                f"MNIST not found in the folder {path} given as path: it contains {source}. "
                f"Put {MNIST_FILE_NAME} (or the four IDX files) there, or pass path=None to search "
                "the default places."
            )
        return arrays, source
    if path.is_file():
        if path.name.split(".")[0] in MNIST_IDX_FILES.values():
            raise ValueError(
                f"Invalid path {path}: it is a single IDX file; pass the folder that contains all four "
                "IDX files instead."
            )
        return _load_npz(path, _corrupt_advice("this file", explicit=True)), str(path)
    raise MnistNotFoundError(
        f"MNIST not found: the path {path} does not exist. Pass the {MNIST_FILE_NAME} file or the "
        "folder that contains it, or pass path=None to search the default places."
    )


def _search_folders():
    """Return (label, folder or None, note) for each default place, in search order."""
    places = []
    env_value = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if env_value:
        places.append((f"{DATA_DIR_VARIABLE}={env_value}", Path(env_value).expanduser(), None))
    else:
        places.append((DATA_DIR_VARIABLE, None, "not set"))
    if PROJECT_DATA_DIR.is_dir():
        places.append(("project data folder", PROJECT_DATA_DIR, None))
    places.append(("Keras cache", keras_cache_dir(), None))
    return places


# ---------------------------------------------------------------------------
# Downloading
# ---------------------------------------------------------------------------


def _probe_address(url):
    """Return (host, port) that a download of ``url`` connects to first (the proxy, if one is set)."""
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname):
        proxy_parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        return proxy_parts.hostname, proxy_parts.port or 80
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def _probe_host(host, port, timeout):
    """Try a TCP connection in a worker thread and return None if it works, else the reason it failed.

    The thread keeps the caller from hanging on a DNS lookup, which the
    connect timeout does not cover.
    """
    outcome = {}

    def connect():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                outcome["error"] = None
        except OSError as error:
            outcome["error"] = error

    worker = threading.Thread(target=connect, name="mnist-download-probe", daemon=True)
    worker.start()
    worker.join(timeout + 1.0)
    if "error" not in outcome:
        return f"no answer from {host}:{port} within {timeout + 1.0:g} s"
    if outcome["error"] is not None:
        return f"cannot connect to {host}:{port} ({outcome['error']})"
    return None


def _import_keras():
    from helpers.config import _import_tensorflow_quietly

    return _import_tensorflow_quietly()


def _download(target):
    """Download mnist.npz to ``target`` through Keras, verify it, and return its arrays.

    Returns (None, reason) when the host cannot be reached or the download
    fails. ``keras.utils.get_file`` writes straight to its destination and
    leaves a file that fails its hash check in place, so it downloads into a
    temporary folder next to ``target``. Only a verified file is moved to
    ``target``, with an atomic ``os.replace``. The temporary folder is
    removed in every case.
    """
    reason = _probe_host(*_probe_address(MNIST_ORIGIN), PROBE_TIMEOUT_S)
    if reason is not None:
        return None, reason
    try:
        keras = _import_keras()
    except ImportError as error:
        return None, f"Keras is not installed ({error})"

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # NOTE: a process killed during the download leaves this hidden folder
        # behind, but never a partial mnist.npz. The folder is safe to delete.
        temporary = Path(tempfile.mkdtemp(prefix=".mnist-download-", dir=target.parent))
    except OSError as error:
        return None, f"cannot write to {target.parent} ({error})"
    try:
        # urlretrieve, which get_file uses, has no timeout of its own.
        previous_timeout = socket.getdefaulttimeout()
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
        try:
            downloaded = keras.utils.get_file(
                fname=MNIST_FILE_NAME,
                origin=MNIST_ORIGIN,
                file_hash=MNIST_FILE_SHA256,
                cache_dir=str(temporary),
                cache_subdir=str(temporary),
            )
        # get_file re-raises network errors as a bare Exception and a hash mismatch as ValueError.
        except Exception as error:
            return None, f"download from {MNIST_ORIGIN} failed ({error})"
        finally:
            socket.setdefaulttimeout(previous_timeout)
        try:
            arrays = _read_npz(downloaded)
            _verify(arrays, dict.fromkeys(arrays, downloaded), advice="")
        except CorruptFileError as error:
            raise CorruptFileError(
                f"{error} The download from {MNIST_ORIGIN} was discarded. Nothing was written to {target}."
            ) from error
        os.replace(downloaded, target)
        for name in arrays:
            _verified.add(_file_key(target) + (name,))
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return arrays, str(target)


def _not_found_message(searched):
    lines = ["MNIST not found. Places searched, in order:"]
    lines += [f"  {number}. {entry}" for number, entry in enumerate(searched, start=1)]
    cache = keras_cache_dir()
    lines += [
        f"To work offline, copy {MNIST_FILE_NAME} (the file keras.datasets.mnist.load_data downloads "
        f"from {MNIST_ORIGIN}) into {cache}/"
        + (f" or {PROJECT_DATA_DIR}/" if PROJECT_DATA_DIR.is_dir() else "")
        + f", or set {DATA_DIR_VARIABLE} to the folder that contains it.",
        "The four original IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
        "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, gzipped or not) work as well.",
    ]
    return "\n".join(lines)


def _find_mnist(path, download):
    """Return (arrays, source) from the first place that has MNIST."""
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}.")
        return _load_from_path_argument(Path(path).expanduser())

    searched = []
    for label, folder, note in _search_folders():
        if folder is None:
            searched.append(f"{label}: {note}")
            continue
        if not folder.is_dir():
            searched.append(f"{label}: {folder} does not exist")
            continue
        arrays, source = _load_from_folder(folder, explicit=False)
        if arrays is not None:
            return arrays, source
        searched.append(f"{label}: {folder} contains {source}")

    if not download:
        searched.append("download: skipped because download=False")
    else:
        arrays, source = _download(keras_cache_dir() / MNIST_FILE_NAME)
        if arrays is not None:
            return arrays, source
        searched.append(f"download from {MNIST_ORIGIN}: {source}")
    raise MnistNotFoundError(_not_found_message(searched))


# ---------------------------------------------------------------------------
# Public MNIST API
# ---------------------------------------------------------------------------


def one_hot_labels(labels, num_classes=NUM_CLASSES, dtype=np.float32):
    """Return one-hot rows for integer labels, shape (len(labels), num_classes).

    Row i has 1 in column ``labels[i]`` and 0 elsewhere, so every row sums
    to 1, as categorical cross-entropy expects.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be a 1D array of integers, got dtype {labels.dtype} and shape {labels.shape}."
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"labels must lie in 0 .. {num_classes - 1}, got values from {labels.min()} to {labels.max()}."
        )
    encoded = np.zeros((labels.size, num_classes), dtype=dtype)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def _check_sizes(validation_size, train_size):
    total = MNIST_SHAPES["x_train"][0]
    if not is_integer(validation_size):
        raise TypeError(f"validation_size must be an integer, got {type(validation_size).__name__}.")
    if not 0 <= validation_size < total:
        raise ValueError(
            f"Invalid validation_size {validation_size}: use 0 .. {total - 1} images taken from the "
            "end of the 60000 training images, such as 5000."
        )
    available = total - int(validation_size)
    if train_size is None:
        return int(validation_size), available
    if not is_integer(train_size):
        raise TypeError(f"train_size must be an integer or None, got {type(train_size).__name__}.")
    if not 1 <= train_size <= available:
        raise ValueError(
            f"Invalid train_size {train_size}: with validation_size={validation_size} use 1 .. {available}, "
            "or None for all the remaining training images."
        )
    return int(validation_size), int(train_size)


def _prepare(images, labels, flatten, scale, one_hot):
    if flatten:
        images = images.reshape(len(images), -1)
    if scale:
        images = images.astype(np.float32) / np.float32(255)
    labels = one_hot_labels(labels) if one_hot else labels.astype(np.int64)
    return images, labels


def load_mnist(
    path=None,
    *,
    validation_size=5000,
    train_size=None,
    flatten=False,
    scale=True,
    one_hot=False,
    download=True,
):
    """Load MNIST as training, validation and test splits; returns ``MnistSplits``.

    The validation images are the last ``validation_size`` of the 60000
    training images, never test images. The training split is the first
    ``train_size`` training images (default: all the others, 55000). The
    lecture's 45000 / 5000 / 10000 is ``train_size=45000`` (images 45000 to
    54999 are then unused). The test split is always the 10000 test images.

    Parameters:
        path: an ``.npz`` file or a folder with ``mnist.npz`` or the four IDX
            files. None searches the places listed in the module docstring.
        flatten: images of shape (n, 784) instead of (n, 28, 28).
        scale: float32 images in [0, 1] (pixel / 255) instead of uint8 0..255.
        one_hot: float32 labels of shape (n, 10) instead of int64 digits.
        download: whether to download into the Keras cache when no copy is
            found.

    Raises ``MnistNotFoundError`` (a ``FileNotFoundError``) when no copy is
    found and the download fails or its host cannot be reached within about
    ``PROBE_TIMEOUT_S`` + 1 s. Its message lists the places searched and where
    to put ``mnist.npz``. Raises ``CorruptFileError`` (a ``ValueError``)
    naming the file and the mismatch when a copy is corrupt.
    """
    validation_size, train_size = _check_sizes(validation_size, train_size)
    arrays, source = _find_mnist(path, download)

    total = MNIST_SHAPES["x_train"][0]
    split_at = total - validation_size
    x_train, y_train = _prepare(arrays["x_train"][:train_size], arrays["y_train"][:train_size], flatten, scale, one_hot)
    x_val, y_val = _prepare(arrays["x_train"][split_at:], arrays["y_train"][split_at:], flatten, scale, one_hot)
    x_test, y_test = _prepare(arrays["x_test"], arrays["y_test"], flatten, scale, one_hot)
    return MnistSplits(x_train, y_train, x_val, y_val, x_test, y_test, source)


# ---------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------

# ITU-R BT.601 luma weights, the ones Pillow's convert("L") uses.
_LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])

_ALPHA_MODES = ("white", "black", "ignore")


def grace_hopper_path():
    """Return the path of the Grace Hopper portrait in matplotlib's sample data.

    The photograph (US Navy, public domain) ships with matplotlib, so it needs
    no download.
    """
    import matplotlib.cbook

    return Path(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))


def _check_image_size(size):
    def is_positive_int(value):
        return is_integer(value) and value >= 1

    if size is None or is_positive_int(size):
        return size
    if isinstance(size, (tuple, list)) and len(size) == 2 and all(is_positive_int(value) for value in size):
        return (int(size[0]), int(size[1]))
    raise ValueError(
        f"Invalid size {size!r}: use None (keep the size), a positive integer for the length of the "
        "short side, or (rows, columns) with positive integers."
    )


def _open_image(path):
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}.")
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"Image file not found: {path}. Check the path, or pass path=None for the default image.")
    if not path.is_file():
        raise ValueError(f"Invalid image path {path}: it is not a file.")
    try:
        with Image.open(path) as image:
            # Only the first frame of an animated or multi-page file is read.
            image.load()
            # exif_transpose turns photos upright as viewers show them, and returns a copy.
            return ImageOps.exif_transpose(image)
    except UnidentifiedImageError as error:
        raise ValueError(f"Invalid image file {path}: Pillow cannot identify it as an image.") from error
    except (OSError, SyntaxError) as error:
        # Pillow raises OSError for truncated files and SyntaxError in some format parsers.
        raise ValueError(f"Invalid image file {path}: reading it failed ({error}).") from error


def _grey_and_alpha(image):
    """Return (grey values, full-scale value, alpha in [0, 1] or None) for a Pillow image."""
    mode = image.mode
    if mode.startswith("I;16"):
        return np.asarray(image, dtype=np.float64), 65535.0, None
    if mode == "I":
        # NOTE: mode "I" (32-bit integers) does not record a bit depth. The code
        # assumes 16-bit data, so values above 65535 need normalize=True.
        return np.asarray(image, dtype=np.float64), 65535.0, None
    if mode == "F":
        return np.asarray(image, dtype=np.float64), 1.0, None
    if mode in ("1", "L"):
        return np.asarray(image.convert("L"), dtype=np.float64), 255.0, None
    if mode in ("LA", "La"):
        values = np.asarray(image.convert("LA"), dtype=np.float64)
        return values[..., 0], 255.0, values[..., 1] / 255.0
    has_alpha = mode in ("RGBA", "RGBa", "PA") or "transparency" in image.info
    try:
        converted = image.convert("RGBA" if has_alpha else "RGB")
    except ValueError as error:
        raise ValueError(f"Unsupported image mode {mode!r}: Pillow cannot convert it to RGB ({error}).") from error
    values = np.asarray(converted, dtype=np.float64)
    grey = values[..., :3] @ _LUMA_WEIGHTS
    return grey, 255.0, (values[..., 3] / 255.0 if has_alpha else None)


def _resize(values, shape):
    from PIL import Image

    if values.shape == shape:
        return values
    rows, columns = shape
    resized = Image.fromarray(values.astype(np.float32)).resize((columns, rows), Image.Resampling.LANCZOS)
    # Lanczos filtering overshoots at edges, so the result is clipped to the original value range.
    return np.clip(np.asarray(resized, dtype=np.float64), values.min(), values.max())


def _target_shape(shape, size):
    if size is None:
        return shape
    if isinstance(size, tuple):
        return size
    rows, columns = shape
    if rows <= columns:
        return (size, max(1, round(columns * size / rows)))
    return (max(1, round(rows * size / columns)), size)


def load_image(path=None, size=None, *, normalize=False, alpha="white"):
    """Load an image file as a grey-scale float64 array in [0, 1], shape (rows, columns).

    Row 0 is the top of the picture, as ``imshow`` shows it and as
    ``helpers.batches`` expects. Without ``path`` the Grace Hopper portrait
    from ``grace_hopper_path()`` is loaded (shape (600, 512)).

    Pixel values are divided by the maximum of their bit depth (255 for
    8-bit, 65535 for 16-bit files), so the contrast is kept. Colour is
    converted to grey with the BT.601 luma weights 0.299, 0.587, 0.114.
    Palette and bilevel files are converted first. Photos are turned upright
    by their EXIF orientation tag.

    Parameters:
        size: None keeps the size. An integer sets the short side to that
            many pixels and keeps the aspect ratio. (rows, columns) sets both.
            Resizing uses Pillow's Lanczos filter, clipped to the original
            value range.
        normalize: stretch the values to exactly [0, 1] (minimum 0, maximum 1).
        alpha: for files with transparency, "white" composites onto a white
            background, "black" onto black, "ignore" drops the alpha channel.

    Raises ``FileNotFoundError`` for a missing file, ``ValueError`` for a
    file that is not a readable image, an invalid size or alpha option, or
    normalize=True on a constant image.
    """
    size = _check_image_size(size)
    if alpha not in _ALPHA_MODES:
        raise ValueError(f"Invalid alpha {alpha!r}: use one of {', '.join(map(repr, _ALPHA_MODES))}.")
    if path is None:
        path = grace_hopper_path()
    image = _open_image(path)

    grey, full_scale, opacity = _grey_and_alpha(image)
    values = grey / full_scale
    if opacity is not None and alpha != "ignore":
        background = 1.0 if alpha == "white" else 0.0
        values = opacity * values + (1.0 - opacity) * background
    if not normalize and (values.min() < 0.0 or values.max() > 1.0):
        raise ValueError(
            f"Image {path} (mode {image.mode}) has values outside the range of its bit depth "
            f"({grey.min():g} to {grey.max():g}): pass normalize=True to stretch them to [0, 1]."
        )

    values = _resize(values, _target_shape(values.shape, size))
    if normalize:
        low, high = values.min(), values.max()
        if high == low:
            raise ValueError(f"Cannot normalize image {path}: all pixels have the value {low:g}.")
        values = (values - low) / (high - low)
    return values
