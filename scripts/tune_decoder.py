"""Choose the beam decoder's settings and the LM's build on validation lines, never on the benchmark.

    python scripts/tune_decoder.py [--model MODEL.onnx] [--lines 600] [--config configs/crnn-v2.toml]
    python scripts/tune_decoder.py --config configs/crnn-v7.toml --lm-weights 0.15 --word-bonuses 0,1,2,4 --seed 77

Lines are rendered as training validation renders them: text from the corpora's
'val' hash split, the training fonts, degradation strengths drawn at random.
The benchmark's text ('test' split, OdiaNLP) and its held-out font are not used,
and neither is anything from eval-real. The network runs once; each decoder
setting and each LM variant then decodes the same logits, with the bundled
word list (``--word-bonuses``: its bonus per known word; 0 is none). Prints a
table of CER per setting, sorted best first, and writes it as JSON with ``--out``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
from validation_lines import add_fonts_argument, render_validation_lines

from odia_ocr.engines.compact import CompactEngine, default_lexicon_path
from odia_ocr.metrics import score_corpus
from odia_ocr.recognizer.beam import BeamConfig, beam_decode
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.lexicon import Lexicon
from odia_ocr.recognizer.lm import CharNgramLM
from odia_ocr.synth.corpus import load_corpus_lines, read_wordlist, split_of

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",")]


def build_lms(orders: list[int], min_counts: list[int]) -> dict[str, CharNgramLM]:
    """LM variants from the same text as scripts/build_lm.py (training split only)."""
    sentences = [s for s in load_corpus_lines([CORPORA / "common-voice-or.txt"]) if split_of(s) == "train"]
    words = read_wordlist(CORPORA / "tesseract-langdata" / "ori.wordlist")
    out = {}
    for order in orders:
        full = CharNgramLM.from_texts(sentences + words, order=order)
        for mc in min_counts:
            out[f"order{order}-min{mc}"] = full.prune(mc) if mc > 1 else full
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v2.toml"))
    ap.add_argument("--lines", type=int, default=600)
    ap.add_argument("--seed", type=int, default=77, help="validation render seed (not the training run's)")
    add_fonts_argument(ap)
    ap.add_argument("--orders", default="5", help="LM orders to build, e.g. 5,6")
    ap.add_argument("--min-counts", default="2", help="LM pruning thresholds, e.g. 1,2")
    ap.add_argument("--lm-weights", default="0.3")
    ap.add_argument("--bonuses", default="2.0")
    ap.add_argument("--beams", default="8")
    ap.add_argument("--prunes", default="0.001", help="frame-probability floors for candidate characters")
    ap.add_argument("--max-candidates", default=str(BeamConfig.max_candidates),
                    help="most classes explored per frame (0: no limit)")
    ap.add_argument("--word-bonuses", default="0", help="word-list bonuses to try (0: no word list)")
    ap.add_argument("--out", help="write the table as JSON here")
    args = ap.parse_args()

    val = render_validation_lines(args.config, args.seed, args.lines, fonts=args.fonts)
    engine = CompactEngine(args.model)
    refs = val.references(engine.charset)
    logits = engine.logits(val.images)
    greedy = [greedy_decode(lg[None], np.array([lg.shape[0]]), engine.charset)[0].text for lg in logits]
    rows = [{"setting": "greedy", "cer": score_corpus(refs, greedy)[0].cer, "s": 0.0}]
    lms = build_lms([int(x) for x in args.orders.split(",")], [int(x) for x in args.min_counts.split(",")])
    lexicon = Lexicon.load(default_lexicon_path())
    first: list[str] | None = None
    for (name, lm), w, bonus, beam, word, prune, most in itertools.product(
        lms.items(), _floats(args.lm_weights), _floats(args.bonuses), [int(b) for b in args.beams.split(",")],
        _floats(args.word_bonuses), _floats(args.prunes), [int(k) for k in args.max_candidates.split(",")],
    ):
        cfg = BeamConfig(beam=beam, prune=prune, lm_weight=w, insertion_bonus=bonus, word_bonus=word,
                         max_candidates=most or engine.charset.num_classes)
        t0 = time.perf_counter()
        hyps = [beam_decode(lg, engine.charset, lm, cfg, lexicon if word else None).text for lg in logits]
        setting = f"{name} w={w} bonus={bonus} beam={beam} words={word} prune={prune:g} max_candidates={most}"
        first = hyps if first is None else first
        rows.append({"setting": setting, "cer": score_corpus(refs, hyps)[0].cer, "s": time.perf_counter() - t0,
                     "differ_from_first": sum(a != b for a, b in zip(first, hyps, strict=True)),
                     **{k: v for k, v in val.cer_by_band(refs, hyps).items() if k != "cer"}})
        skip = ("setting", "cer", "s", "differ_from_first")
        bands = "  ".join(f"{k} {v:.2%}" for k, v in rows[-1].items() if k not in skip)
        print(f"{setting}: CER {rows[-1]['cer']:.2%}  {bands} ({rows[-1]['s']:.1f} s; "
              f"{rows[-1]['differ_from_first']} lines read differently than the first setting)", flush=True)
    rows.sort(key=lambda r: r["cer"])
    print(f"\n{args.lines} validation lines, model {engine.model_path}")
    for r in rows:
        print(f"{r['cer']:.2%}  {r['setting']}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
