"""Training throughput of helpers.network compared with this machine's matmul peak.

For the lecture's two image-fitting layouts (2-150-150-100-1 and
2-500-500-300-1, ReLU hidden layers and a linear output) in float32 and
float64, this script times ``Network.train_step`` on a fixed batch, after a
warm-up, as the median over several repeats. In the same process it measures
the GFLOP/s of a large square matmul (the peak) and of the training step's
matmuls alone (the ceiling for this layout). It prints a table and writes
everything, with a description of the machine, to
``bench/results/numpy_network.json``.

FLOPs per sample count multiply and add separately. The forward pass takes
2 * sum(n_in * n_out), and the weight gradients the same again. The Deltas
take 2 * n_in * n_out for every layer except the first, because the input
layer needs no Delta. Bias additions, activations and the weight update are not counted.

Run from the repository root:

    .venv/bin/python bench/bench_numpy_network.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import common
from helpers.network import Network

LAYOUTS = {
    "2-150-150-100-1": [2, 150, 150, 100, 1],
    "2-500-500-300-1": [2, 500, 500, 300, 1],
}
DTYPES = (np.float32, np.float64)
ETA = 1e-3  # small, so the timed steps never diverge


def flops_per_sample(sizes):
    """Return the floating-point operations of one training step per sample (see the module docstring)."""
    products = [n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    forward = 2 * sum(products)
    weight_gradients = 2 * sum(products)
    deltas = 2 * sum(products[1:])
    return forward + weight_gradients + deltas


def make_batch(batch_size, dtype, seed=0):
    """Return random points in [-0.5, 0.5]^2 and a smooth target, shapes (batch, 2) and (batch, 1)."""
    rng = np.random.default_rng(seed)
    y_in = rng.uniform(-0.5, 0.5, size=(batch_size, 2))
    y_target = np.sin(3 * y_in[:, :1]) * np.cos(2 * y_in[:, 1:])
    return y_in.astype(dtype), y_target.astype(dtype)


def make_matmul_step(net, batch_size):
    """Return a function doing only the matmuls of one training step, into preallocated arrays."""
    pairs = list(zip(net.sizes[:-1], net.sizes[1:]))
    values = [np.ones((batch_size, n), net.dtype) for n in net.sizes]
    gradients = [np.empty(pair, net.dtype) for pair in pairs]

    def step():
        for k, w in enumerate(net.weights):
            np.matmul(values[k], w, out=values[k + 1])
        for k in range(len(pairs) - 1, -1, -1):
            np.matmul(values[k].T, values[k + 1], out=gradients[k])
            if k > 0:
                np.matmul(values[k + 1], net.weights[k].T, out=values[k])

    return step


def benchmark_layout(name, dtype, peak_gflops, args):
    """Time training steps and matmul-only steps for one layout and dtype; return a result row."""
    sizes = LAYOUTS[name]
    net = Network(sizes, "relu", output_activation="linear", dtype=dtype, seed=0)
    y_in, y_target = make_batch(args.batch_size, dtype)
    timing = dict(steps_per_repeat=args.steps, repeats=args.repeats, warmup_steps=args.warmup)
    step_times = common.median_step_time(lambda: net.train_step(y_in, y_target, ETA), **timing)
    final_cost = net.cost(y_in, y_target)
    matmul_times = common.median_step_time(make_matmul_step(net, args.batch_size), **timing)
    flops = flops_per_sample(sizes) * args.batch_size
    step_time = statistics.median(step_times)
    matmul_time = statistics.median(matmul_times)
    return {
        "layout": name,
        "dtype": np.dtype(dtype).name,
        "batch_size": args.batch_size,
        "flops_per_step": flops,
        "step_seconds": step_times,
        "step_seconds_median": step_time,
        "samples_per_second": args.batch_size / step_time,
        "gflops": flops / step_time / 1e9,
        "fraction_of_peak": flops / step_time / 1e9 / peak_gflops,
        "matmul_only_seconds": matmul_times,
        "matmul_only_gflops": flops / matmul_time / 1e9,
        "matmul_only_fraction_of_peak": flops / matmul_time / 1e9 / peak_gflops,
        "final_cost": final_cost,
    }


def print_table(peaks, rows):
    for dtype, peak in peaks.items():
        print(f"matmul peak {dtype}: {peak['gflops']:.1f} GFLOP/s ({peak['size']}x{peak['size']}, best of {peak['repeats']})")
    header = f"{'layout':<17} {'dtype':<8} {'ms/step':>8} {'samples/s':>10} {'GFLOP/s':>8} {'of peak':>8} {'matmuls only':>13}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['layout']:<17} {row['dtype']:<8} {1e3 * row['step_seconds_median']:8.2f} "
            f"{row['samples_per_second']:10.0f} {row['gflops']:8.1f} {row['fraction_of_peak']:8.0%} "
            f"{row['matmul_only_fraction_of_peak']:13.0%}"
        )


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-size", type=int, default=1000, help="samples per training step (default 1000)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps per repeat (default 10)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats; the median is reported (default 5)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps before timing (default 3)")
    parser.add_argument("--peak-size", type=int, default=2048, help="matrix size for the matmul peak (default 2048)")
    parser.add_argument(
        "--threads", type=int, default=None, help="limit BLAS threads through threadpoolctl (default: BLAS's own choice)"
    )
    parser.add_argument(
        "--output", type=Path, default=common.RESULTS_DIR / "numpy_network.json", help="JSON result file"
    )
    return parser.parse_args()


def main():
    args = parse_arguments()
    if args.threads is not None:
        import threadpoolctl

        with threadpoolctl.threadpool_limits(limits=args.threads, user_api="blas"):
            return run(args)
    return run(args)


def run(args):
    started = time.perf_counter()
    load_at_start = list(os.getloadavg())
    peaks = {np.dtype(d).name: common.measure_matmul_peak(d, size=args.peak_size) for d in DTYPES}
    rows = []
    for name in LAYOUTS:
        for dtype in DTYPES:
            rows.append(benchmark_layout(name, dtype, peaks[np.dtype(dtype).name]["gflops"], args))
    print_table(peaks, rows)
    result = {
        "benchmark": "helpers.network training throughput (ReLU hidden layers, linear output)",
        "command": common.command_line(),
        "timestamp": common.timestamp(),
        "machine": common.machine_info(),
        "load_average_at_start": load_at_start,
        "settings": {"eta": ETA, "blas_threads_limit": args.threads, "steps_per_repeat": args.steps, "repeats": args.repeats, "warmup_steps": args.warmup},
        "matmul_peak": peaks,
        "results": rows,
        "seconds_total": time.perf_counter() - started,
    }
    common.write_json_atomic(args.output, result)
    print(f"wrote {args.output} in {result['seconds_total']:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
