"""Average the weights of checkpoints fine-tuned from one model (a "model soup"), then re-estimate BatchNorm.

    python scripts/average_checkpoints.py A.safetensors B.safetensors [...] --out soup.safetensors

See odia_ocr.training.average for why. BatchNorm statistics are measured on
``--bn-lines`` training lines (the recipe of --config, training split, its own
seed; 0 keeps the averaged statistics). The output is a model file; export and
ship it like any checkpoint, after comparing it with its ingredients on
validation lines (scripts/compare_checkpoints.py), never on the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import torch

from odia_ocr.text import default_charset
from odia_ocr.training.average import average_models, reestimate_batchnorm
from odia_ocr.training.batches import collate
from odia_ocr.training.checkpoint import save_model_file
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

ROOT = Path(__file__).resolve().parents[1]


def training_batches(config: str, lines: int, seed: int) -> Iterator[torch.Tensor]:
    """``lines`` training lines of the recipe ``config``, in its batch size, as model input."""
    cfg = load_config(config)
    train_syn, _, _ = build_synthesizers(cfg)
    charset = default_charset()
    for start in range(0, lines, cfg.batch_size):
        samples = [train_syn.sample([seed, 7_000_003, i]) for i in range(start, min(lines, start + cfg.batch_size))]
        texts = ["".join(c for c in s.text if c in charset) for s in samples]
        yield collate([s.image for s in samples], texts, charset, cfg.input_height, cfg.max_width).images


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
        model, meta = average_models(args.checkpoints)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    torch.set_num_threads(1)
    if args.bn_lines > 0:
        reestimate_batchnorm(model, training_batches(args.config, args.bn_lines, args.seed))
    meta.training_data["batchnorm_lines"] = args.bn_lines
    save_model_file(args.out, model, meta)
    print(f"wrote {args.out}: mean of {len(args.checkpoints)} checkpoints, BatchNorm from {args.bn_lines} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
