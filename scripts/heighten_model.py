"""Make a trained CRNN read taller input (e.g. 48 pixels), as the starting point of a training run.

    python scripts/heighten_model.py checkpoints/crnn-xl-long4-step32000-fp16.safetensors --height 48 --out tall.st
    odia-ocr train --config configs/crnn-xl-h48.toml --init tall.st

See odia_ocr.training.heighten for how, and why the result must be trained before
it reads well. The output is a model file with the new input height in its metadata
and the source recorded under ``training_data.heightened_from``; the training config
must name the same architecture and ``input_height``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from odia_ocr.training.checkpoint import load_model, save_model_file
from odia_ocr.training.heighten import heighten


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a checkpoint or model file (.safetensors)")
    ap.add_argument("--height", type=int, required=True, help="new input height in pixels (a multiple of 16)")
    ap.add_argument("--out", required=True, help="output model file (.safetensors)")
    args = ap.parse_args()
    try:
        model, meta = load_model(args.model)
        tall = heighten(model, args.height)
        data = {**meta.training_data, "heightened_from": args.model}
        save_model_file(args.out, tall, replace(meta, architecture=tall.cfg.to_dict(), input_height=args.height,
                                                training_data=data, metrics={}))
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: input height {args.height} (was {meta.input_height})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
