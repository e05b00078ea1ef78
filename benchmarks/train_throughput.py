"""Training throughput (lines/s) of a config, with its batches made in different ways, in one run.

Why: on a 2-core machine the recognizer trains at about 70 lines/s on random tensors but 25-47 lines/s with its
render worker beside it, while rendering a batch costs only about a seventh of a step's CPU time. This measures
where the difference goes, with each way of rendering timed in interleaved rounds of the same steps, so that the
machine's drift falls on all of them alike:

- ``worker``: one render process ahead of training (``num_workers = 1``, as ``odia-ocr train`` runs by default);
- ``worker-nice``: the same, the render process at the lowest CPU priority;
- ``inline``: batches rendered in the training process between steps (``num_workers = 0``);
- ``prerendered``: batches rendered before timing starts: the bound that no rendering can beat;
- ``worker-bucketed``: the same lines, ``--bucket`` batches' worth rendered together and batched again by width
  (``bucket_batches`` in a training config), so that less of each step runs over padding.

Lines/s count lines, not padding. The report also gives the share of the batches' padded area that is lines.

Every variant trains the same model from the same weights on the same batches, as ``odia-ocr train`` would (bf16
autocast where the CPU has it, channels-last as configured). Nothing is written but the report. Example::

    python benchmarks/train_throughput.py --config configs/crnn-xl-long.toml --steps 30 --rounds 2 --out DIR
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

import torch
from torch.utils.data import DataLoader

from bench_io import machine_info, machine_line, write_results
from odia_ocr.recognizer.model import CRNN, output_lengths
from odia_ocr.text import default_charset
from odia_ocr.training.batches import BatchMaker, BucketedBatches
from odia_ocr.training.config import apply_overrides, load_config
from odia_ocr.training.device import bf16_supported
from odia_ocr.training.loop import build_synthesizers, model_config

VARIANTS = ("worker", "worker-nice", "inline", "prerendered", "worker-bucketed")


def _nice_worker(worker_id: int) -> None:
    os.nice(19)


def _batches(maker: BatchMaker, variant: str, rendered: list[Any], group: int) -> Any:
    """The batches ``0 .. len(rendered)-1`` (or their lines regrouped by width) as the variant delivers them."""
    steps = range(len(rendered))
    if variant == "prerendered":
        return rendered
    if variant == "inline":
        return (maker[b] for b in steps)
    if variant == "worker-bucketed":
        groups = BucketedBatches(maker, group)
        loader = DataLoader(groups, batch_size=None, sampler=range(len(groups)), num_workers=1, prefetch_factor=4)
        return (batch for batches in loader for batch in batches)
    init = _nice_worker if variant == "worker-nice" else None
    return DataLoader(maker, batch_size=None, sampler=steps, num_workers=1, prefetch_factor=4, worker_init_fn=init)


def _useful(batches: list[Any]) -> float:
    """The share of the batches' padded area that is lines."""
    return float(sum(b.widths.sum() for b in batches) / sum(b.images.shape[0] * b.images.shape[-1] for b in batches))


def _time_steps(model: CRNN, state: dict[str, Any], batches: Any, bf16: bool, nhwc: bool, warmup: int) -> float:
    """Train on ``batches`` from the weights in ``state``; lines/s over the steps after ``warmup``."""
    model.load_state_dict(state)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    lines, start = 0, 0.0
    for i, batch in enumerate(batches):
        if i == warmup:
            lines, start = 0, time.perf_counter()
        images = batch.images.to(memory_format=torch.channels_last) if nhwc else batch.images
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(images)
        logp = logits.float().log_softmax(-1).transpose(0, 1)
        loss = ctc(logp, batch.targets, output_lengths(batch.widths), batch.target_lengths)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        lines += len(batch.texts)
    return lines / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", required=True, help="a training config (TOML or JSON)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config overrides")
    ap.add_argument("--steps", type=int, default=30, help="timed steps per variant and round")
    ap.add_argument("--warmup", type=int, default=4, help="untimed steps first, in each timing")
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds of all variants")
    ap.add_argument("--bucket", type=int, default=8, help="batches regrouped by width together (worker-bucketed)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, of: " + ", ".join(VARIANTS))
    ap.add_argument("--out", default="bench-out", help="folder for train_throughput.{md,json}")
    args = ap.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        print(f"train_throughput: unknown variant(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        cfg = apply_overrides(load_config(args.config), args.set)
    except (OSError, ValueError) as err:  # ConfigFileError is a ValueError: one line naming the file
        print(f"train_throughput: {err}", file=sys.stderr)
        return 2
    threads = cfg.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    torch.manual_seed(cfg.seed)
    charset = default_charset()
    train_syn, _, _ = build_synthesizers(cfg)
    count = args.warmup + args.steps
    maker = BatchMaker(
        train_syn, charset, cfg.seed, cfg.batch_size, cfg.input_height, cfg.max_width,
        (cfg.min_chars, cfg.max_chars), [], cfg.dataset_ratio, count,
    )
    model = CRNN(model_config(cfg, charset))
    if cfg.channels_last:
        model = model.to(memory_format=torch.channels_last)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    bf16 = cfg.bf16 and bf16_supported(torch.device("cpu"))
    t0, load = time.perf_counter(), [round(x, 2) for x in os.getloadavg()]
    render_cpu = time.process_time()
    rendered = [maker[b] for b in range(count)]  # the render cost of one timing, measured alone
    render_per_line = (time.process_time() - render_cpu) / (count * cfg.batch_size)
    # oneDNN prepares kernels for each new input shape; one untimed pass over the same batches first, so that
    # no variant pays for it.
    _time_steps(model, state, rendered, bf16, cfg.channels_last, 0)
    padded = {"unbucketed": _useful(rendered)}
    if "worker-bucketed" in variants:
        groups = BucketedBatches(maker, args.bucket)
        regrouped = [b for g in range(len(groups)) for b in groups[g]]
        padded["bucketed"] = _useful(regrouped)
        _time_steps(model, state, regrouped, bf16, cfg.channels_last, 0)
    results: dict[str, list[float]] = {v: [] for v in variants}
    for r in range(args.rounds):
        for v in variants:
            lps = _time_steps(model, state, _batches(maker, v, rendered, args.bucket), bf16, cfg.channels_last,
                               args.warmup)
            results[v].append(lps)
            print(f"round {r + 1}: {v:12s} {lps:6.1f} lines/s", file=sys.stderr, flush=True)
    info = machine_info()
    info["load_average_at_start"] = load
    median = {v: round(statistics.median(xs), 1) for v, xs in results.items()}
    md = "\n".join([
        f"# Training throughput of {args.config}, batches made {len(variants)} ways, {args.rounds} interleaved rounds",
        "", machine_line(info), "",
        f"{threads} training thread(s), bf16 {bf16}, channels-last {cfg.channels_last}, batch {cfg.batch_size}, "
        f"{args.steps} timed steps a round; rendering alone takes {1000 * render_per_line:.1f} ms of CPU a line; "
        f"lines fill {padded['unbucketed']:.0%} of the batches' padded area"
        + (f" ({padded['bucketed']:.0%} bucketed by {args.bucket})" if "bucketed" in padded else "") + ".",
        "", "| rendering | median lines/s | each round |", "|:---|---:|:---|",
        *[f"| {v} | {median[v]} | {', '.join(f'{x:.1f}' for x in results[v])} |" for v in variants],
    ])
    write_results(args.out, "train_throughput", md, {
        "machine": info, "config": args.config, "overrides": args.set, "threads": threads, "bf16": bf16,
        "channels_last": cfg.channels_last, "batch_size": cfg.batch_size, "steps": args.steps,
        "rounds": args.rounds, "render_cpu_s_per_line": round(render_per_line, 5),
        "bucket": args.bucket, "useful_area": {k: round(v, 3) for k, v in padded.items()},
        "seconds": round(time.perf_counter() - t0, 1),
        "lines_per_s": {v: [round(x, 1) for x in xs] for v, xs in results.items()}, "median_lines_per_s": median,
    })
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
