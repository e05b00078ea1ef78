"""Validation lines for the tuning scripts: rendered as a training run's validation renders them.

Training fonts, text from the corpora's 'val' hash split, random degradation
strength: never the benchmark set, so a setting chosen here can be tested on
the benchmark honestly. Shared by scripts/tune_recheck.py,
scripts/tune_second_model.py and scripts/tune_decoder.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Container, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from odia_ocr.engines.compact import DefaultEngine
from odia_ocr.evaluation.interval import Difference, paired_difference
from odia_ocr.metrics import score_corpus, score_pair
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

#: Degradation strength bands reported by the tuning scripts.
BANDS = {"clean": (0.0, 0.01), "light": (0.01, 0.4), "medium": (0.4, 0.75), "strong+": (0.75, 9.0)}


@dataclass
class ValidationLines:
    """Rendered validation lines: images, texts and each line's degradation strength."""

    images: list[np.ndarray]
    texts: list[str]
    strength: np.ndarray

    def references(self, charset: Container[str]) -> list[str]:
        """The texts without characters outside a model's charset (what it can be scored on)."""
        return ["".join(c for c in t if c in charset) for t in self.texts]

    def cer_by_band(self, refs: Sequence[str], hyps: Sequence[str]) -> dict[str, float]:
        """Corpus CER overall ("cer") and per strength band."""
        out = {"cer": score_corpus(refs, hyps)[0].cer}
        for band, (lo, hi) in BANDS.items():
            idx = np.flatnonzero((self.strength >= lo) & (self.strength < hi))
            out[band] = score_corpus([refs[i] for i in idx], [hyps[i] for i in idx])[0].cer
        return out

    def paired_by_band(self, refs: Sequence[str], hyps_a: Sequence[str],
                       hyps_b: Sequence[str]) -> dict[str, Difference]:
        """CER of B minus A overall ("cer") and per strength band, with paired 95% bootstrap intervals.

        Tells a candidate that reads these lines better from one that only
        drew luckier lines (odia_ocr.evaluation.interval).
        """
        a = [score_pair(r, h) for r, h in zip(refs, hyps_a, strict=True)]
        b = [score_pair(r, h) for r, h in zip(refs, hyps_b, strict=True)]
        groups = {"cer": np.arange(len(refs))}
        for band, (lo, hi) in BANDS.items():
            groups[band] = np.flatnonzero((self.strength >= lo) & (self.strength < hi))
        return {name: paired_difference([a[i].char_edits for i in idx], [b[i].char_edits for i in idx],
                                        [a[i].chars for i in idx]) for name, idx in groups.items()}


def render_validation_lines(config: str, seed: int, count: int, stream: int = 2_000_003,
                            fonts: str | None = None) -> ValidationLines:
    """``count`` lines from the validation synthesizer of ``config``, keyed ``[seed, stream, i]``.

    ``fonts``: a folder of fonts (one family per sub-folder) to render in
    instead of the training fonts, only those: a font no model was trained on
    (scripts/fetch_unseen_font.py) tells how a setting does on type the
    network has never seen, without touching the benchmark's held-out font.
    """
    try:
        val_fonts = discover_fonts([fonts], include_system=False) if fonts else None
    except FileNotFoundError as err:
        raise SystemExit(str(err)) from None
    if fonts and not val_fonts:
        raise SystemExit(f"{fonts}: no .ttf or .otf fonts found")
    _, val_syn, _ = build_synthesizers(load_config(config), val_fonts)
    samples = [val_syn.sample([seed, stream, i]) for i in range(count)]
    return ValidationLines(
        [s.image for s in samples], [s.text for s in samples],
        np.array([float(s.meta.get("strength", 0.0)) for s in samples]),
    )


def add_two_model_arguments(ap: argparse.ArgumentParser) -> None:
    """The options of the scripts that compare two models on validation lines: the models and the lines."""
    root = Path(__file__).resolve().parents[1]
    ap.add_argument("--first", help="first model (.onnx); default: the bundled one")
    ap.add_argument("--second", required=True, help="second model (.onnx)")
    ap.add_argument("--config", default=str(root / "configs" / "crnn-v7.toml"), help="fonts and corpora to render")
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=77, help="validation render seed (not a training run's)")
    add_fonts_argument(ap)
    ap.add_argument("--out", help="write the table as JSON here")


def add_fonts_argument(ap: argparse.ArgumentParser) -> None:
    """--fonts DIR: render validation text in these fonts only (e.g. an unseen one) instead of the training fonts."""
    ap.add_argument("--fonts", metavar="DIR",
                    help="render in the fonts under DIR only, instead of the config's training fonts (an unseen "
                         "font: python scripts/fetch_unseen_font.py)")


def two_models_on_lines(args: argparse.Namespace) -> tuple[ValidationLines, DefaultEngine, DefaultEngine, list[str]]:
    """The validation lines, both models as `default` engines, and the references (see add_two_model_arguments)."""
    val = render_validation_lines(args.config, args.seed, args.lines, fonts=args.fonts)
    first, second = DefaultEngine(args.first), DefaultEngine(args.second)
    return val, first, second, val.references(first.charset)
