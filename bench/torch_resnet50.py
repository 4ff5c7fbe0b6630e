#!/usr/bin/python3
"""PyTorch peer for `npm run bench`: torchvision ResNet50 (random weights), CPU, 1x3x224x224.

Warm-up by time, then timed runs; prints one JSON object on stdout. Debian's python3-torch needs >= 2 threads
(with 1 thread ResNet50 takes the slow generic BLAS path).
"""
import argparse
import json
import platform
import statistics
import sys
import time


def quantile(sorted_xs, q):
    pos = (len(sorted_xs) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--warmup-ms", type=float, default=3000)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()

    import torch
    import torchvision

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    t0 = time.perf_counter()
    model = torchvision.models.resnet50(weights=None).eval()
    load_ms = (time.perf_counter() - t0) * 1000
    x = torch.rand(1, 3, 224, 224)

    warmup_runs = 0
    times = []
    with torch.no_grad():
        until = time.perf_counter() + a.warmup_ms / 1000
        while True:
            model(x)
            warmup_runs += 1
            if time.perf_counter() >= until:
                break
        for _ in range(a.runs):
            s = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - s) * 1000)

    xs = sorted(times)
    print(json.dumps({
        "model": "torchvision resnet50 (weights=None)",
        "runtime": "pytorch",
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "python": platform.python_version(),
        "loadMs": load_ms,
        "warmupRuns": warmup_runs,
        "times": times,
        "summary": {
            "runs": len(xs),
            "median": quantile(xs, 0.5),
            "p90": quantile(xs, 0.9),
            "mean": statistics.fmean(xs),
            "min": xs[0],
            "max": xs[-1],
            "stdev": statistics.stdev(xs) if len(xs) > 1 else 0.0,
        },
    }))


if __name__ == "__main__":
    sys.exit(main())
