"""Digit gaps of each font, and how checkpoints read numbers whose digits are set apart (never the benchmark).

    python scripts/figure_spacing_check.py CKPT.safetensors [CKPT.safetensors ...] [--lines 200]

First prints, per font family, the white between consecutive digits of a number
and the width of a space, in ems (rendered at 100 px): what
``synth.lines.FIGURE_SPACING_RANGE`` was chosen from. Then renders ``--lines``
validation lines (training fonts, text from the corpus 'val' split, a 2-4 digit
number inserted, sometimes two numbers a space apart; light degradation) twice:
with figure spacing drawn from that range and without, reads them with each
checkpoint in PyTorch (greedy) and prints CER and the spaces inserted or lost
between two digits.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from space_errors import space_edits

from odia_ocr.metrics import score_corpus
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.model import output_lengths
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines, split_of
from odia_ocr.synth.fonts import DEFAULT_HELDOUT_FAMILIES, discover_fonts, split_fonts
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.synth.render import LineRenderer
from odia_ocr.text import default_charset
from odia_ocr.training.batches import width_sorted_batches
from odia_ocr.training.checkpoint import load_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DIGITS = "୦୧୨୩୪୫୬୭୮୯"


def _white_runs(mask: np.ndarray) -> list[int]:
    """Widths of the ink-free column runs between the first and last inked column."""
    cols = np.flatnonzero((mask > 127).any(axis=0))
    inked = np.zeros(cols[-1] - cols[0] + 1, bool)
    inked[cols - cols[0]] = True
    runs, n = [], 0
    for v in inked:
        if v and n:
            runs.append(n)
        n = 0 if v else n + 1
    return runs


def print_font_gaps(fonts: list) -> None:
    renderer, size = LineRenderer(), 100
    for family in sorted({f.family for f in fonts}):
        spec = next(f for f in fonts if f.family == family)
        gaps = np.asarray(_white_runs(renderer.render("୧୦୦୨୫୩୮", spec, size))) / size
        space = renderer.font(spec, size).getlength(" ") / size
        print(f"{family:24s} digit gaps {gaps.min():.2f}-{gaps.max():.2f} em, space advance {space:.2f} em")


def number_lines(n: int, seed: int) -> list[str]:
    val = [s for s in load_corpus_lines([SHARED / "corpora" / "common-voice-or.txt"]) if split_of(s) == "val"]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        words = val[rng.integers(len(val))].split()[:4]
        number = "".join(rng.choice(list(DIGITS), int(rng.integers(2, 5))))
        if rng.random() < 0.3:
            number += " " + "".join(rng.choice(list(DIGITS), int(rng.integers(2, 4))))
        words.insert(int(rng.integers(0, len(words) + 1)), number)
        out.append(" ".join(words))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoints", nargs="*", help="training checkpoints (.safetensors)")
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--seed", type=int, default=77)
    args = ap.parse_args()
    fonts = discover_fonts([SHARED / "fonts"])
    print_font_gaps(fonts)
    train_fonts, _ = split_fonts(fonts, DEFAULT_HELDOUT_FAMILIES)
    texts = number_lines(args.lines, args.seed)
    sampler = TextSampler(texts, [], p_sentence=1.0)
    sets = {
        name: [LineSynthesizer(train_fonts, sampler, p_figure_spacing=p).sample([99, i], level="light", text=t)
               for i, t in enumerate(texts)]
        for name, p in (("figure-spaced", 1.0), ("plain", 0.0))
    }
    torch.set_num_threads(1)
    charset = default_charset()
    for path in args.checkpoints:
        model, _ = load_model(path)
        model.eval()
        for name, samples in sets.items():
            refs, hyps = [], []
            with torch.no_grad():
                for b in width_sorted_batches([(s.image, s.text) for s in samples], charset, 32, 1200):
                    logits = model(b.images).float().numpy()
                    hyps += [d.text for d in greedy_decode(logits, output_lengths(b.widths).numpy(), charset)]
                    refs += b.texts
            total, _ = score_corpus(refs, hyps)
            spaces = sum((space_edits(r, h) for r, h in zip(refs, hyps, strict=True)), Counter())
            print(f"{path} {name}: CER {total.cer:.2%}, spaces between digits inserted {spaces['ins-DD']}, "
                  f"lost {spaces['del-DD']}", flush=True)


if __name__ == "__main__":
    main()
