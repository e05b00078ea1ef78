"""Where a model's errors on degraded lines come from: CER by artefact and by font size, on validation lines.

    python scripts/errors_by_artefact.py [--model MODEL.onnx] [--level strong] [--lines 800]

Renders validation lines (training fonts, text from the corpora's 'val' split) at one
benchmark degradation level, reads them with the `default` engine, and prints CER for
lines with and without each artefact (rotation, blur, resolution loss, ...) and by font
size. Lines at one level share a strength but draw their artefacts at random, so each
artefact's rows compare lines that differ in it, not in strength. Used to choose what a
training recipe should work on; it never touches the benchmark set or eval-real.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from odia_ocr.engines.compact import DefaultEngine
from odia_ocr.metrics import score_pair
from odia_ocr.synth.degrade import ARTEFACTS, LEVELS, Degradation
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v5.toml"), help="fonts and corpora to render")
    ap.add_argument("--level", default="strong", choices=list(LEVELS))
    ap.add_argument("--lines", type=int, default=800)
    ap.add_argument("--seed", type=int, default=91)
    args = ap.parse_args()

    _, val_syn, _ = build_synthesizers(load_config(args.config))
    samples = [val_syn.sample([args.seed, 3_000_017, i], level=args.level) for i in range(args.lines)]
    degs = [Degradation.from_dict(s.meta["degradation"]) for s in samples]  # the draw kept (illegible ones are redrawn)

    engine = DefaultEngine(args.model)
    refs = ["".join(c for c in s.text if c in engine.charset) for s in samples]
    hyps = engine.recognize([s.image for s in samples])
    edits = np.array([score_pair(r, h.text).char_edits for r, h in zip(refs, hyps, strict=True)])
    chars = np.array([max(1, len(r)) for r in refs])

    def cer(mask: np.ndarray) -> str:
        return f"{edits[mask].sum() / chars[mask].sum():.2%}" if mask.any() else "-"

    print(f"{args.lines} validation lines at level {args.level} (seed {args.seed}), model {engine.model_path}")
    print(f"CER {cer(np.ones(len(samples), bool))}\n")
    print("| artefact | lines with it | CER with | CER without |\n|:---|---:|---:|---:|")
    for name, test in ARTEFACTS.items():
        on = np.array([test(d) for d in degs])
        print(f"| {name} | {on.sum()} | {cer(on)} | {cer(~on)} |")
    sizes = np.array([s.size for s in samples])
    print("\n| font size (px) | lines | CER |\n|:---|---:|---:|")
    for lo, hi in ((0, 24), (25, 32), (33, 999)):
        m = (sizes >= lo) & (sizes <= hi)
        print(f"| {lo}–{hi if hi < 999 else ''} | {m.sum()} | {cer(m)} |")


if __name__ == "__main__":
    main()
