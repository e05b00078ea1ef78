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
from collections.abc import Callable
from pathlib import Path

import numpy as np

import odia_ocr.synth.lines as synth_lines
from odia_ocr.engines.compact import DefaultEngine
from odia_ocr.metrics import score_pair
from odia_ocr.synth.degrade import LEVELS, Degradation
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

ROOT = Path(__file__).resolve().parents[1]

ARTEFACTS: dict[str, Callable[[Degradation], bool]] = {
    "inverted (light on dark)": lambda d: d.invert,
    "ink bleed": lambda d: d.morph > 0,
    "erosion": lambda d: d.morph < 0,
    "rotation > 1°": lambda d: abs(d.rotate_deg) > 1,
    "perspective > 2%": lambda d: d.perspective > 0.02,
    "blur σ > 1": lambda d: d.blur_sigma > 1.0,
    "noise σ > 15": lambda d: d.noise_sigma > 15,
    "salt and pepper": lambda d: d.salt_pepper > 0,
    "binarized": lambda d: d.binarize,
    "resolution lost > 2×": lambda d: d.downscale > 2,
    "JPEG quality < 40": lambda d: 0 < d.jpeg_quality < 40,
    "low contrast (< 120 levels)": lambda d: abs(d.paper - d.ink) < 120,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v5.toml"), help="fonts and corpora to render")
    ap.add_argument("--level", default="strong", choices=list(LEVELS))
    ap.add_argument("--lines", type=int, default=800)
    ap.add_argument("--seed", type=int, default=91)
    args = ap.parse_args()

    # The synthesizer does not report the degradation it drew; record it on the way through.
    drawn: list[Degradation] = []
    degrade = synth_lines.degrade

    def recording(mask: np.ndarray, deg: Degradation, rng: np.random.Generator) -> np.ndarray:
        drawn.append(deg)
        return degrade(mask, deg, rng)

    synth_lines.degrade = recording  # type: ignore[assignment]
    _, val_syn, _ = build_synthesizers(load_config(args.config))
    samples, degs = [], []
    for i in range(args.lines):
        drawn.clear()
        samples.append(val_syn.sample([args.seed, 3_000_017, i], level=args.level))
        degs.append(drawn[-1])  # the last draw is the one kept (illegible draws are redrawn milder)
    synth_lines.degrade = degrade  # type: ignore[assignment]

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
