"""Cast a model file's (or checkpoint's model part's) float weights to another dtype, keeping its metadata.

    python scripts/cast_model.py runs/x/best.safetensors --dtype float16 --out x-fp16.safetensors
    python scripts/cast_model.py x-fp16.safetensors --dtype float32 --out x.safetensors

Why: a lent GPU machine hands back files of at most 16 MiB, and a 5.6M-parameter
model is 21 MiB in float32; float16 halves it, and its rounding (about 1e-3
relative) is far below what INT8 export then does. Training loads either dtype.
"""

from __future__ import annotations

import argparse
import sys

import torch

from odia_ocr.training.checkpoint import cast_model_file


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="model file or training checkpoint (.safetensors)")
    ap.add_argument("--dtype", choices=["float16", "bfloat16", "float32"], required=True)
    ap.add_argument("--out", required=True, help="output model file (.safetensors)")
    args = ap.parse_args()
    try:
        count = cast_model_file(args.model, args.out, getattr(torch, args.dtype))
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {count} tensors as {args.dtype}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
