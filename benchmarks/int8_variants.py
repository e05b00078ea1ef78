"""fp32 vs dynamic INT8 vs static-convolution INT8 of one trained model: CER and speed, in the same run.

    python benchmarks/int8_variants.py [--checkpoint checkpoints/crnn-v5-step8000.safetensors]

Exports the checkpoint to ONNX, quantizes it both ways (static calibration on
64 validation lines of its own recipe, as scripts/ship_model.py does), then
reads the synthetic benchmark set with each (greedy decoding, batch 32).
Needs the [train] extra (PyTorch) for the export.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.data import open_dataset
from odia_ocr.data.images import to_array
from odia_ocr.engines.compact import CompactEngine
from odia_ocr.metrics import score_corpus
from odia_ocr.recognizer.export import export_onnx, quantize_int8
from odia_ocr.training.config import TrainConfig

sys.path.insert(0, str(repo_root() / "scripts"))
from ship_model import validation_lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", default=str(repo_root() / "checkpoints" / "crnn-v5-step8000.safetensors"))
    ap.add_argument("--data", default=str(repo_root() / "bench-out" / "synth-bench"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = ap.parse_args()
    info = machine_info()
    ds = open_dataset(args.data)
    samples = [ds[i] for i in range(len(ds))]
    images, texts = [to_array(s.load()) for s in samples], [s.text for s in samples]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        fp32, dyn, static = (Path(tmp) / f"{n}.onnx" for n in ("fp32", "dynamic", "static"))
        meta = export_onnx(args.checkpoint, fp32)
        quantize_int8(fp32, dyn)
        quantize_int8(fp32, static, validation_lines(TrainConfig.from_dict(meta.config), 64, stream=3_000_017)[0])
        variants = (("fp32", fp32), ("INT8 dynamic (LSTM, linear)", dyn), ("INT8 + static convolutions", static))
        for name, path in variants:
            engine = CompactEngine(path, batch_size=32)
            engine.recognize(images[:32])
            best, preds = 0.0, []
            for _ in range(args.repeats):
                t = time.perf_counter()
                preds = [r.text for r in engine.recognize(images)]
                best = max(best, len(images) / (time.perf_counter() - t))
            cer = score_corpus(texts, preds)[0].cer
            rows.append({"variant": name, "cer": cer, "lines_per_s": round(best, 1), "mb": path.stat().st_size / 1e6})
    md = "\n".join([
        f"# INT8 variants of {Path(args.checkpoint).name} on {len(images)} benchmark lines (greedy)", "",
        machine_line(info), "", "| variant | CER | lines/s | MB |", "|---|---|---|---|",
        *[f"| {r['variant']} | {r['cer']:.2%} | {r['lines_per_s']} | {r['mb']:.1f} |" for r in rows],
    ])
    print(md)
    write_results(args.out, "int8_variants", md, {"machine": info, "args": vars(args), "rows": rows})


if __name__ == "__main__":
    main()
