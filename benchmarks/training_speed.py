"""Training-step speed of the shipped architecture: memory format and precision, in one run.

    python benchmarks/training_speed.py [--threads 1] [--rounds 4]

Times forward + CTC-free loss + backward + AdamW on random lines of height 32
(batch 32, width 400) for fp32 and bf16 autocast, each with contiguous (NCHW)
and channels_last (NHWC) convolutions. The variants take turns, round after
round, so a change in the machine's load hits them alike; the best round of
each is reported. `odia-ocr train` uses bf16 + channels_last by default.
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from bench_io import machine_info, machine_line, write_results
from odia_ocr.recognizer.model import CRNN, CRNNConfig
from odia_ocr.text import default_charset

VARIANTS = (("fp32", False, False), ("fp32 + channels_last", False, True), ("bf16", True, False),
            ("bf16 + channels_last (default)", True, True))


def _step_rate(model: CRNN, opt: torch.optim.Optimizer, x: torch.Tensor, bf16: bool, steps: int) -> float:
    t = time.perf_counter()
    for _ in range(steps):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            y = model(x)
        y.float().logsumexp(-1).mean().backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    return steps * x.shape[0] / (time.perf_counter() - t)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (training runs 1 beside a render worker)")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--steps", type=int, default=5, help="training steps per variant per round")
    ap.add_argument("--out", default="bench-out")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.rand(32, 1, 32, 400)
    runs = {}
    for name, bf16, cl in VARIANTS:
        model = CRNN(CRNNConfig(default_charset().num_classes, 32, (32, 64, 96, 96, 160, 160), 160, 2)).train()
        if cl:
            model = model.to(memory_format=torch.channels_last)
        opt = torch.optim.AdamW(model.parameters(), 1e-4)
        xi = x.to(memory_format=torch.channels_last) if cl else x
        _step_rate(model, opt, xi, bf16, 1)  # warm-up
        runs[name] = (model, opt, xi, bf16)
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, (model, opt, xi, bf16) in runs.items():
            rates[name].append(_step_rate(model, opt, xi, bf16, args.steps))
    info = machine_info()
    base = max(rates["fp32"])
    rows = [{"variant": n, "lines_per_s": round(max(r), 1), "vs_fp32": round(max(r) / base, 2)}
            for n, r in rates.items()]
    md = "\n".join([
        f"# Training speed, shipped CRNN, batch 32 x 32x400, {args.threads} thread(s), best of {args.rounds} rounds",
        "", machine_line(info), "", "| variant | lines/s | vs fp32 |", "|---|---:|---:|",
        *[f"| {r['variant']} | {r['lines_per_s']} | {r['vs_fp32']}x |" for r in rows],
    ])
    write_results(args.out, "training_speed", md, {"machine": info, "threads": args.threads, "rows": rows})
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
