"""Average the weights of checkpoints fine-tuned from one model (a "model soup"), then re-estimate BatchNorm.

    python scripts/average_checkpoints.py A.safetensors B.safetensors [...] --out soup.safetensors

Runs continued from the same model stay in one basin of the loss, where the
average of their weights is often better than each of them. The average of
BatchNorm running statistics is not the statistics of the averaged network, so
they are measured again: the averaged network reads ``--bn-lines`` training
lines (the recipe of --config, training split, its own seed) in train mode
without gradients, with cumulative averaging. Weights of different
architectures or character sets are refused. The output is a model file
(weights + metadata of the first checkpoint, the ingredients recorded under
``training_data.averaged_from``); export and ship it like any checkpoint, after
comparing it with its ingredients on validation lines
(scripts/compare_checkpoints.py), never on the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import torch

from odia_ocr.recognizer.model import CRNN, CRNNConfig
from odia_ocr.text import default_charset
from odia_ocr.training.batches import collate
from odia_ocr.training.checkpoint import load_model_weights, save_model_file
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

ROOT = Path(__file__).resolve().parents[1]


def average(paths: list[str]) -> tuple[dict[str, torch.Tensor], object]:
    """Mean of the floating-point tensors of ``paths``; integer ones (BatchNorm counters) from the first."""
    first, meta = load_model_weights(paths[0])
    sums = {k: v.double() if v.is_floating_point() else v for k, v in first.items()}
    for p in paths[1:]:
        weights, other = load_model_weights(p)
        if other.architecture != meta.architecture or other.charset != meta.charset:  # type: ignore[attr-defined]
            raise ValueError(f"{p}: architecture or character set differs from {paths[0]}")
        for k, v in weights.items():
            if v.is_floating_point():
                sums[k] += v.double()
    return {k: (v / len(paths)).float() if v.is_floating_point() else v for k, v in sums.items()}, meta


@torch.no_grad()
def reestimate_batchnorm(model: CRNN, config: str, lines: int, seed: int) -> None:
    """Running mean/var of every BatchNorm layer measured on ``lines`` training lines (cumulative average)."""
    cfg = load_config(config)
    train_syn, _, _ = build_synthesizers(cfg)
    charset = default_charset()
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average over all batches
    model.train()
    for start in range(0, lines, cfg.batch_size):
        samples = [train_syn.sample([seed, 7_000_003, i]) for i in range(start, min(lines, start + cfg.batch_size))]
        texts = ["".join(c for c in s.text if c in charset) for s in samples]
        model(collate([s.image for s in samples], texts, charset, cfg.input_height, cfg.max_width).images)
    for m in norms:
        m.momentum = 0.1
    model.eval()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoints", nargs="+", help="checkpoints or model files of one architecture")
    ap.add_argument("--out", required=True, help="output model file (.safetensors)")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v8.toml"), help="recipe to draw BN lines from")
    ap.add_argument("--bn-lines", type=int, default=2048, help="lines for BatchNorm statistics (0: keep the averages)")
    ap.add_argument("--seed", type=int, default=31)
    args = ap.parse_args()
    if len(args.checkpoints) < 2:
        print("error: give at least two checkpoints to average", file=sys.stderr)
        return 2
    try:
        weights, meta = average(args.checkpoints)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    torch.set_num_threads(1)
    model = CRNN(CRNNConfig(**meta.architecture))  # type: ignore[attr-defined]
    model.load_state_dict(weights)
    if args.bn_lines > 0:
        reestimate_batchnorm(model, args.config, args.bn_lines, args.seed)
    data = {**meta.training_data, "averaged_from": args.checkpoints, "batchnorm_lines": args.bn_lines}  # type: ignore[attr-defined]
    save_model_file(args.out, model, replace(meta, training_data=data, metrics={}))  # type: ignore[type-var]
    print(f"wrote {args.out}: mean of {len(args.checkpoints)} checkpoints, BatchNorm from {args.bn_lines} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
