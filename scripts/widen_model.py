"""Widen a trained CRNN (more channels, more LSTM units) without changing what it reads, to train it further.

    python scripts/widen_model.py checkpoints/crnn-v7-step6000.safetensors \\
        --channels 32,64,128,128,256,256 --rnn-hidden 192 --out wide.safetensors
    odia-ocr train --config configs/crnn-wide-v1.toml --init wide.safetensors

See odia_ocr.training.widen for how. The output is a model file with the wider
architecture in its metadata and the source recorded under
``training_data.widened_from``; the training config must name the same
architecture.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from odia_ocr.training.checkpoint import load_model, save_model_file
from odia_ocr.training.widen import widen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a checkpoint or model file (.safetensors)")
    ap.add_argument("--channels", required=True, help="comma-separated convolution widths, e.g. 32,64,128,128,256,256")
    ap.add_argument("--rnn-hidden", type=int, required=True, help="LSTM units per direction")
    ap.add_argument("--out", required=True, help="output model file (.safetensors)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the new units' initialization")
    args = ap.parse_args()
    try:
        channels = tuple(int(c) for c in args.channels.split(","))
        model, meta = load_model(args.model)
        wide = widen(model, channels, args.rnn_hidden, args.seed)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    data = {**meta.training_data, "widened_from": args.model}
    save_model_file(args.out, wide, replace(meta, architecture=wide.cfg.to_dict(), training_data=data, metrics={}))
    count = sum(p.numel() for p in wide.parameters())
    print(f"wrote {args.out}: channels {list(channels)}, LSTM {args.rnn_hidden}, {count / 1e6:.2f}M parameters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
