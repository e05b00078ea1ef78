"""Size and speed of candidate recognizer architectures, measured in one run.

    python benchmarks/recognizer_variants.py [--width 400] [--batch 32]

For each CRNN variant: parameters, ONNX Runtime fp32 inference lines/s, and
training lines/s (forward + backward + AdamW step, bf16 autocast) on random
lines of height 32. CER needs a full training run per variant; the README
quotes CER only for variants that were trained.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import warnings

import numpy as np
import onnxruntime as ort
import torch

from bench_io import machine_info, machine_line
from odia_ocr.recognizer.model import CRNN, CRNNConfig
from odia_ocr.text import default_charset

VARIANTS = {
    "wide (32-256, LSTM 192)": ((32, 64, 128, 128, 256, 256), 192),
    "shipped (32-160, LSTM 160)": ((32, 64, 96, 96, 160, 160), 160),
    "slim (16-128, LSTM 128)": ((16, 32, 64, 64, 128, 128), 128),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--width", type=int, default=400)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    x = np.random.default_rng(0).random((args.batch, 1, 32, args.width)).astype(np.float32)
    print(machine_line(machine_info()))
    print(f"random lines 32x{args.width}, batch {args.batch}, {args.threads} threads\n")
    print("| variant | parameters | ONNX fp32 lines/s | training lines/s (bf16) |\n|---|---|---|---|")
    for name, (channels, hidden) in VARIANTS.items():
        model = CRNN(CRNNConfig(default_charset().num_classes, 32, channels, hidden, 2)).eval()
        params = sum(p.numel() for p in model.parameters())
        buf = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (torch.zeros(2, 1, 32, 200),), buf, input_names=["images"],
                              output_names=["logits"], dynamic_axes={"images": {0: "b", 3: "w"}},
                              opset_version=17, dynamo=False)
        so = ort.SessionOptions()
        so.intra_op_num_threads = args.threads
        sess = ort.InferenceSession(buf.getvalue(), so, providers=["CPUExecutionProvider"])
        sess.run(None, {"images": x})
        t = time.perf_counter()
        for _ in range(3):
            sess.run(None, {"images": x})
        infer = 3 * args.batch / (time.perf_counter() - t)
        model.train()
        opt = torch.optim.AdamW(model.parameters())
        xt = torch.from_numpy(x)
        t = time.perf_counter()
        for _ in range(3):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                y = model(xt)
            y.float().logsumexp(-1).mean().backward()
            opt.step()
            opt.zero_grad()
        train = 3 * args.batch / (time.perf_counter() - t)
        print(f"| {name} | {params / 1e6:.2f}M | {infer:.0f} | {train:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
