"""Greedy CER per degradation level of training checkpoints on the same validation lines, never the benchmark.

    python scripts/compare_checkpoints.py CKPT.safetensors [CKPT.safetensors ...] [--lines 300]

Two runs with different recipes validate on different lines (each run's validation set
follows its own seed and strength weights), so their logged validation CERs cannot be
compared. This renders one set of validation lines per benchmark level (training fonts,
text from the corpora's 'val' split, the fonts and corpora of --config), reads them with
each checkpoint in PyTorch (fp32, greedy) and prints CER per level and overall. Used to
choose which candidate to export and benchmark.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from odia_ocr.synth.degrade import LEVELS
from odia_ocr.text import default_charset
from odia_ocr.training.batches import Batch, width_sorted_batches
from odia_ocr.training.checkpoint import load_model
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers, validate

ROOT = Path(__file__).resolve().parents[1]


def level_batches(config: str, lines: int, seed: int) -> dict[str, list[Batch]]:
    """``lines`` validation lines per level, batched by similar width as training validation does."""
    cfg = load_config(config)
    _, val_syn, _ = build_synthesizers(cfg)
    charset = default_charset()
    out: dict[str, list[Batch]] = {}
    for k, level in enumerate(LEVELS):
        samples = [val_syn.sample([seed, 5_000_011 + k, i], level=level) for i in range(lines)]
        pairs = [(s.image, s.text) for s in samples]
        out[level] = width_sorted_batches(pairs, charset, cfg.input_height, cfg.max_width)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoints", nargs="+", help="training checkpoints (.safetensors)")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v8.toml"), help="fonts and corpora to render")
    ap.add_argument("--lines", type=int, default=300, help="lines per level")
    ap.add_argument("--seed", type=int, default=4242)
    args = ap.parse_args()

    torch.set_num_threads(1)
    sets = level_batches(args.config, args.lines, args.seed)
    charset = default_charset()
    print(f"| checkpoint | {' | '.join(sets)} | all |\n|:---|{'---:|' * (len(sets) + 1)}")
    for path in args.checkpoints:
        model, _ = load_model(path)
        cers = [validate(model, batches, charset)["val_cer"] for batches in sets.values()]
        every = validate(model, [b for batches in sets.values() for b in batches], charset)["val_cer"]
        print(f"| {path} | {' | '.join(f'{c:.2%}' for c in cers)} | {every:.2%} |", flush=True)


if __name__ == "__main__":
    main()
