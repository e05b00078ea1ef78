"""Measure line deskewing on validation lines, never on the benchmark.

    python scripts/measure_deskew.py --seed 91    # how deskew was chosen
    python scripts/measure_deskew.py --seed 92    # confirmed on another render

Renders validation lines as training validation renders them (training fonts,
text from the corpora's 'val' split) at each benchmark degradation level, and
reads them with the `default` engine twice: lines as given, and slanted lines
levelled first (odia_ocr.recognizer.deskew). Prints CER and character errors
per level, how many lines were levelled, and the time deskewing takes per line.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from odia_ocr.engines.compact import DefaultEngine
from odia_ocr.metrics import score_pair
from odia_ocr.recognizer.deskew import deskew_line
from odia_ocr.synth.degrade import LEVELS
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v7.toml"), help="fonts and corpora to render")
    ap.add_argument("--lines", type=int, default=500, help="lines per level (default 500)")
    ap.add_argument("--seed", type=int, default=91)
    args = ap.parse_args()

    _, val_syn, _ = build_synthesizers(load_config(args.config))
    plain, levelled = DefaultEngine(args.model, deskew=False), DefaultEngine(args.model, deskew=True)
    print(f"{args.lines} validation lines per level (seed {args.seed}), model {plain.model_path}\n")
    print("| level | CER as given | CER deskewed | errors as given | errors deskewed | lines levelled | ms/line |")
    print("|:---|---:|---:|---:|---:|---:|---:|")
    for level in LEVELS:
        samples = [val_syn.sample([args.seed, 3_000_017, i], level=level) for i in range(args.lines)]
        images = [s.image for s in samples]
        refs = ["".join(c for c in s.text if c in plain.charset) for s in samples]
        chars = sum(max(1, len(r)) for r in refs)
        start = time.perf_counter()
        turned = sum(deskew_line(im) is not im for im in images)
        ms = (time.perf_counter() - start) / len(images) * 1000
        row = []
        for engine in (plain, levelled):
            hyps = engine.recognize(images)
            row.append(int(np.sum([score_pair(r, h.text).char_edits for r, h in zip(refs, hyps, strict=True)])))
        print(f"| {level} | {row[0] / chars:.2%} | {row[1] / chars:.2%} | {row[0]} | {row[1]} | {turned} | {ms:.2f} |")


if __name__ == "__main__":
    main()
