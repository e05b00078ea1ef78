"""How much of the network's work is padding: planned batches against equal-sized ones, on the line benchmark.

    python benchmarks/padding_waste.py [--data bench-out/synth-bench]

A batch is padded to its widest line, and the network's time grows with the
padded area. For the benchmark's lines (widths as the model sees them, at
its 32-pixel height) this prints the padded area beyond the lines' own area,
for calls of 16 lines in the set's order (as ``odia-ocr eval`` sends them)
and for one call with every line (as ``odia-ocr read *.png``), with two
workers: batches cut by :func:`odia_ocr.recognizer.batching.plan_batches`
against the width-sorted equal-sized batches the engines used before. No
inference: it counts pixels, so it is exact and machine-independent.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from PIL import Image

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.recognizer.batching import plan_batches
from odia_ocr.recognizer.preprocess import prepared_width


def equal_batches(widths: np.ndarray, size: int = 16, workers: int = 2) -> list[np.ndarray]:
    """The engines' batches until 2026-11-28: width-sorted, equal-sized, a multiple of the workers."""
    order = np.argsort(widths, kind="stable")
    n = len(order)
    count = min(n, math.ceil(max(math.ceil(n / size), workers) / workers) * workers)
    step = max(1, math.ceil(n / count))
    return [order[k : k + step] for k in range(0, n, step)]


def waste(calls: list[np.ndarray], planner: str) -> tuple[float, float]:
    """Padded area beyond the lines' own (a fraction), and batches per call."""
    own = padded = batches = 0
    for widths in calls:
        plan = plan_batches(widths, 16, min_batches=2) if planner == "planned" else equal_batches(widths)
        own += int(widths.sum())
        padded += sum(int(widths[b].max()) * len(b) for b in plan)
        batches += len(plan)
    return padded / own - 1, batches / len(calls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(repo_root() / "bench-out" / "synth-bench"))
    ap.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = ap.parse_args()
    data = Path(args.data)
    rows = [json.loads(x) for x in (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    widths = np.array([prepared_width(Image.open(data / r["image"]).size[::-1], 32) for r in rows])
    patterns = {"16-line calls": [widths[k : k + 16] for k in range(0, len(widths), 16)], "one call": [widths]}
    lines, result = [], {}
    for name, calls in patterns.items():
        for planner in ("equal", "planned"):
            frac, per_call = waste(calls, planner)
            result[f"{name}, {planner}"] = {"padding": frac, "batches_per_call": per_call}
            lines.append(f"| {name} | {planner} | {frac * 100:.1f}% | {per_call:.1f} |")
            print(lines[-1], flush=True)
    md = "\n".join([
        "# Padding in network batches", "", machine_line(machine_info()), "",
        f"{len(widths)} lines of `{data.name}`, two workers, at most 16 lines per batch.", "",
        "| calls | batches | padded area beyond the lines' own | batches per call |", "|:---|:---|---:|---:|", *lines,
    ])
    md_path, _ = write_results(args.out, "padding_waste", md, {"lines": len(widths), "results": result})
    print(f"results: {md_path}")


if __name__ == "__main__":
    main()
