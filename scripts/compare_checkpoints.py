"""Greedy CER per degradation level of training checkpoints on the same validation lines, never the benchmark.

    python scripts/compare_checkpoints.py CKPT.safetensors [CKPT.safetensors ...] [--lines 300]

Two runs with different recipes validate on different lines (each run's validation set
follows its own seed and strength weights), so their logged validation CERs cannot be
compared. This renders one set of validation lines per benchmark level (training fonts,
text from the corpora's 'val' split, the fonts and corpora of --config), reads them with
each checkpoint in PyTorch (fp32, greedy) and prints CER per level and overall. Used to
choose which candidate to export and benchmark.

Checkpoints of different input heights (scripts/heighten_model.py) read the same
lines, each prepared at its own model's height.

``--families LEVEL`` adds, per training font family, ``--lines`` lines at that degradation
level (every family alike, its styles in turn): whether a recipe reads every typeface well,
where the level sets draw each font file alike and so mostly Noto Sans Oriya's 20 styles.

``--rare N`` adds N light-level lines of words that hold a conjunct rare in the training
text (odia_ocr.synth.corpus.rare_akshara_words), taken from the word list's 'val' split, so
that no checkpoint trained on them: how well a model reads heavy conjuncts it has seldom seen.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import numpy as np
import torch

from odia_ocr.synth.corpus import TextSampler, load_corpus_lines, rare_akshara_words, read_wordlist, split_of
from odia_ocr.synth.degrade import LEVELS
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.text import default_charset
from odia_ocr.training.batches import Batch, width_sorted_batches
from odia_ocr.training.checkpoint import load_model
from odia_ocr.training.config import TrainConfig, load_config
from odia_ocr.training.loop import build_synthesizers, validate

ROOT = Path(__file__).resolve().parents[1]


Lines = list[tuple[np.ndarray, str]]


def level_lines(val_syn: LineSynthesizer, lines: int, seed: int) -> dict[str, Lines]:
    """``lines`` validation lines (image, text) per level."""
    out: dict[str, Lines] = {}
    for k, level in enumerate(LEVELS):
        samples = [val_syn.sample([seed, 5_000_011 + k, i], level=level) for i in range(lines)]
        out[level] = [(s.image, s.text) for s in samples]
    return out


def rare_lines(cfg: TrainConfig, val_syn: LineSynthesizer, lines: int, seed: int) -> Lines:
    """``lines`` light-level lines of 'val'-split words holding a conjunct rare in the training text."""
    train_text = [s for s in load_corpus_lines(cfg.corpora) if split_of(s) == "train"]
    words = [w for p in cfg.wordlists for w in read_wordlist(p)]
    train_text += [w for w in words if split_of(w) == "train"]
    pool = rare_akshara_words(train_text, [w for w in words if split_of(w) == "val"], cfg.rare_akshara_below)
    rare_syn = copy.copy(val_syn)  # the same fonts and sizes, other text
    rare_syn.texts = TextSampler([], pool, p_sentence=0.0, p_words=1.0)
    samples = [rare_syn.sample([seed, 7_000_003, i], level="light") for i in range(lines)]
    return [(s.image, s.text) for s in samples]


def family_lines(val_syn: LineSynthesizer, lines: int, seed: int, level: str) -> dict[str, Lines]:
    """``lines`` lines at ``level`` per font family of ``val_syn``, each with a text the family can render."""
    out: dict[str, Lines] = {}
    for k, (family, styles) in enumerate(sorted(val_syn.families.items())):
        syn = LineSynthesizer(styles, val_syn.texts, val_syn.sizes, font_sampling="family")
        samples = [syn.sample([seed, 9_100_000 + k, i], level=level) for i in range(lines)]
        out[f"{family} ({level})"] = [(s.image, s.text) for s in samples]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoints", nargs="+", help="training checkpoints (.safetensors)")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v8.toml"), help="fonts and corpora to render")
    ap.add_argument("--lines", type=int, default=300, help="lines per level")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--rare", type=int, default=0, help="lines of rare-conjunct words to add as a set of their own")
    ap.add_argument("--families", metavar="LEVEL", choices=list(LEVELS),
                    help="add --lines lines at this level per training font family")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    cfg = load_config(args.config)
    _, val_syn, _ = build_synthesizers(cfg)
    lines = level_lines(val_syn, args.lines, args.seed)
    rare = {"rare conjuncts": rare_lines(cfg, val_syn, args.rare, args.seed)} if args.rare else {}
    if args.families:
        rare |= family_lines(val_syn, args.lines, args.seed, args.families)
    charset = default_charset()
    names = [*lines, "all", *rare]
    batched: dict[int, dict[str, list[Batch]]] = {}  # per input height: batches by similar width, as in training
    print(f"| checkpoint | {' | '.join(names)} |\n|:---|{'---:|' * len(names)}")
    for path in args.checkpoints:
        model, meta = load_model(path)
        if meta.input_height not in batched:
            batched[meta.input_height] = {k: width_sorted_batches(v, charset, meta.input_height, cfg.max_width)
                                          for k, v in {**lines, **rare}.items()}
        sets = {k: b for k, b in batched[meta.input_height].items() if k in lines}
        rare_sets = {k: b for k, b in batched[meta.input_height].items() if k in rare}
        cers = [validate(model, batches, charset)["val_cer"] for batches in sets.values()]
        every = validate(model, [b for batches in sets.values() for b in batches], charset)["val_cer"]
        extra = [validate(model, batches, charset)["val_cer"] for batches in rare_sets.values()]
        print(f"| {path} | {' | '.join(f'{c:.2%}' for c in cers)} | {every:.2%} |"
              + "".join(f" {c:.2%} |" for c in extra), flush=True)


if __name__ == "__main__":
    main()
