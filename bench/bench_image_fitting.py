"""Throughput of image fitting: Keras and the numpy network, against the matmul peak.

Measures training samples per second for the two layouts of the image-fitting
notebook, 2-150-150-100-1 and the lecture's 2-500-500-300-1 (ReLU hidden
layers, linear output, float32, mean squared error), with

* Keras ``train_on_batch`` in a Python loop (adam), as the notebook trains;
* the same with ``compile(jit_compile=True)`` (XLA), which may be faster;
* the numpy ``helpers.network.Network.train_step`` (plain SGD);

at batch sizes 1000 and 4000. Each case reports the achieved GFLOP/s,
counted as 6 floating-point operations per weight and sample (2 for the
forward pass, 4 for the backward pass). It also reports that rate as a
fraction of the float32 matmul peaks of numpy and of TensorFlow, measured in
the same run. Bias,
activation and optimiser work is not counted, so the fractions are a slight
underestimate.

A memory check follows: resident memory (RSS) before and after a long loop
in which each step trains on one batch and predicts the full image in
chunks, as the notebook's live display does. It runs twice: with
``helpers.image_fitting.predict_image`` (which calls the model directly) and
with ``predict_on_batch``. Memory should stay flat in both.

Usage: ``python bench/bench_image_fitting.py`` (about 3 minutes on two CPU
cores). Writes ``bench/results/image_fitting.json``.
"""

import argparse
import os
import time

import numpy as np
import psutil

import common

import helpers
import helpers.batches
import helpers.data
import helpers.image_fitting
import helpers.network

LAYOUTS = {"small": (2, 150, 150, 100, 1), "full": (2, 500, 500, 300, 1)}
BATCH_SIZES = (1000, 4000)
SECONDS_PER_REPEAT = 1.5
REPEATS = 3


def weight_count(sizes):
    return sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def build_keras_model(keras, sizes, jit_compile):
    model = keras.Sequential([keras.Input(shape=(sizes[0],))])
    for width in sizes[1:-1]:
        model.add(keras.layers.Dense(width, activation="relu"))
    model.add(keras.layers.Dense(sizes[-1], activation="linear"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mean_squared_error",
                  jit_compile=jit_compile)
    return model


def time_steps(step, seconds_per_repeat=SECONDS_PER_REPEAT):
    """Return per-step seconds of ``REPEATS`` repeats, each about ``seconds_per_repeat`` long."""
    for _ in range(3):  # warm-up, which also traces and compiles Keras's train function
        step()
    start = time.perf_counter()
    for _ in range(3):
        step()
    estimate = max((time.perf_counter() - start) / 3, 1e-4)
    steps_per_repeat = max(3, int(seconds_per_repeat / estimate))
    return common.median_step_time(step, steps_per_repeat=steps_per_repeat, repeats=REPEATS, warmup_steps=2)


def summarise(name, sizes, batch_size, step_times, peaks):
    median = float(np.median(step_times))
    samples_per_second = batch_size / median
    gflops = 6 * weight_count(sizes) * samples_per_second / 1e9
    result = {
        "name": name,
        "layout": "-".join(map(str, sizes)),
        "batch_size": batch_size,
        "step_seconds": step_times,
        "samples_per_second": samples_per_second,
        "gflops": gflops,
        "fraction_of_numpy_matmul_peak": gflops / peaks["numpy"]["gflops"],
        "fraction_of_tensorflow_matmul_peak": gflops / peaks["tensorflow"]["gflops"],
    }
    print(f"{name:28s} {result['layout']:16s} batch {batch_size:5d}: {samples_per_second:10,.0f} samples/s, "
          f"{gflops:6.1f} GFLOP/s = {result['fraction_of_numpy_matmul_peak']:.0%} of the numpy matmul peak", flush=True)
    return result


def measure_tensorflow_matmul_peak(size=2048, repeats=5):
    """Return the best GFLOP/s of a float32 TensorFlow matmul of two (size, size) matrices."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    a = tf.constant(rng.standard_normal((size, size)).astype(np.float32))
    b = tf.constant(rng.standard_normal((size, size)).astype(np.float32))
    tf.matmul(a, b).numpy()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        tf.matmul(a, b).numpy()  # .numpy() waits for the result
        times.append(time.perf_counter() - start)
    return {"dtype": "float32", "size": size, "repeats": repeats, "seconds": times,
            "gflops": 2.0 * size**3 / min(times) / 1e9}


def benchmark_keras(keras, image, rng, peaks):
    results = []
    for layout_name, sizes in LAYOUTS.items():
        for jit_compile in (False, True):
            for batch_size in BATCH_SIZES:
                model = build_keras_model(keras, sizes, jit_compile)
                batch = helpers.batches.image_batch(image, batch_size, rng, dtype=np.float32)
                step_times = time_steps(lambda: model.train_on_batch(*batch))
                name = "keras train_on_batch" + (" XLA" if jit_compile else "")
                results.append(summarise(name, sizes, batch_size, step_times, peaks))
    return results


def benchmark_numpy(image, rng, peaks):
    results = []
    for sizes in LAYOUTS.values():
        for batch_size in BATCH_SIZES:
            net = helpers.network.Network(list(sizes), activations=["relu"] * (len(sizes) - 2) + ["linear"],
                                          dtype=np.float32, seed=0)
            batch = helpers.batches.image_batch(image, batch_size, rng, dtype=np.float32)
            step_times = time_steps(lambda: net.train_step(*batch, eta=0.01))
            results.append(summarise("numpy Network.train_step", sizes, batch_size, step_times, peaks))
    return results


def predict_on_batch_in_chunks(model, coordinates, chunk_size=helpers.image_fitting.DEFAULT_CHUNK_SIZE):
    return np.concatenate([model.predict_on_batch(coordinates[start : start + chunk_size])
                           for start in range(0, len(coordinates), chunk_size)])


def check_memory(keras, image, rng, steps, method):
    """Train and predict the full image ``steps`` times; return resident memory before and after.

    ``method`` is "direct call" (``helpers.image_fitting.predict_image``) or "predict_on_batch".
    """
    process = psutil.Process()
    model = build_keras_model(keras, LAYOUTS["small"], jit_compile=False)
    batches = helpers.batches.image_batches(image, 1000, rng, dtype=np.float32)
    coordinates = helpers.batches.pixel_coordinates(image.shape, dtype=np.float32)

    def train_and_predict():
        model.train_on_batch(*next(batches))
        if method == "predict_on_batch":
            predict_on_batch_in_chunks(model, coordinates)
        else:
            helpers.image_fitting.predict_image(model, image.shape)

    for _ in range(20):  # warm-up: traces the train and predict functions once
        train_and_predict()
    before = process.memory_info().rss
    start = time.perf_counter()
    for _ in range(steps):
        train_and_predict()
    seconds = time.perf_counter() - start
    after = process.memory_info().rss
    growth_mib = (after - before) / 2**20
    print(f"memory, {method}: {steps} x (train_on_batch + full-image prediction) in {seconds:.0f} s, "
          f"RSS {before / 2**20:.0f} MiB -> {after / 2**20:.0f} MiB, growth {growth_mib:+.1f} MiB", flush=True)
    return {"prediction": method, "steps": steps, "image_shape": list(image.shape), "seconds": seconds,
            "rss_before_mib": before / 2**20, "rss_after_mib": after / 2**20, "growth_mib": growth_mib}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-steps", type=int, default=400,
                        help="train + predict iterations per memory check (default 400)")
    parser.add_argument("--output", default=str(common.RESULTS_DIR / "image_fitting.json"),
                        help="result file (default bench/results/image_fitting.json)")
    args = parser.parse_args()
    if args.memory_steps < 1:
        parser.error(f"--memory-steps must be a positive integer, got {args.memory_steps}")

    rng = helpers.setup(seed=0)
    import keras

    image = helpers.data.load_image(size=128)
    peaks = {"numpy": common.measure_matmul_peak(np.float32), "tensorflow": measure_tensorflow_matmul_peak()}
    print(f"float32 matmul peak: numpy {peaks['numpy']['gflops']:.1f} GFLOP/s, "
          f"TensorFlow {peaks['tensorflow']['gflops']:.1f} GFLOP/s", flush=True)

    throughput = benchmark_keras(keras, image, rng, peaks) + benchmark_numpy(image, rng, peaks)
    memory = [check_memory(keras, image, rng, args.memory_steps, method) for method in ("direct call", "predict_on_batch")]

    results = {
        "benchmark": "image_fitting",
        "time": common.timestamp(),
        "command": common.command_line(),
        "working_directory": os.getcwd(),
        "machine": common.machine_info(packages=("numpy", "tensorflow", "keras")),
        "flops_per_sample": "6 x weights (forward 2, backward 4); biases, activations and optimiser not counted",
        "matmul_peak": peaks,
        "throughput": throughput,
        "memory_checks": memory,
    }
    common.write_json_atomic(args.output, results)
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
