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
from safetensors.torch import save

from odia_ocr.recognizer.modelfile import META_KEY, atomic_write_bytes
from odia_ocr.training.checkpoint import load_model_weights


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="model file or training checkpoint (.safetensors)")
    ap.add_argument("--dtype", choices=["float16", "bfloat16", "float32"], required=True)
    ap.add_argument("--out", required=True, help="output model file (.safetensors)")
    args = ap.parse_args()
    try:
        weights, meta = load_model_weights(args.model)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    dtype = getattr(torch, args.dtype)
    cast = {k: (v.to(dtype) if v.is_floating_point() else v).contiguous() for k, v in weights.items()}
    atomic_write_bytes(args.out, save(cast, metadata={META_KEY: meta.to_json()}))
    print(f"wrote {args.out}: {len(cast)} tensors as {args.dtype}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
