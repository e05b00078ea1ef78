"""Greedy vs beam search vs beam + character LM vs beam + LM + word list for the compact model, on the benchmark.

    python benchmarks/lm_decoding.py [--data bench-out/synth-bench] [--model src/odia_ocr/models/odia-crnn.onnx]

The LM is built from the training side of the corpora (Common Voice sentences
in the train hash split + Tesseract's word list), never from the benchmark
text. The word list is the bundled one (scripts/build_lexicon.py: the same
sources). Reports CER per degradation level and lines/s for each decoder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench_io import machine_info, machine_line
from odia_ocr.data import open_dataset
from odia_ocr.data.images import to_array
from odia_ocr.engines.compact import CompactEngine, default_lexicon_path
from odia_ocr.metrics import ErrorCounts, score_pair
from odia_ocr.recognizer.beam import BeamConfig, beam_decode
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.lexicon import Lexicon
from odia_ocr.recognizer.lm import CharNgramLM
from odia_ocr.synth.corpus import load_corpus_lines, read_wordlist, split_of

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="bench-out/synth-bench")
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--lm-weight", type=float, default=BeamConfig.lm_weight)
    ap.add_argument("--out", default="bench-out/lm_decoding.json")
    args = ap.parse_args()
    print(machine_line(machine_info()))
    corpus = [s for s in load_corpus_lines([SHARED / "corpora" / "common-voice-or.txt"]) if split_of(s) == "train"]
    words = read_wordlist(SHARED / "corpora" / "tesseract-langdata" / "ori.wordlist")
    lm = CharNgramLM.from_texts(corpus + words, order=5)
    lexicon = Lexicon.load(default_lexicon_path())
    engine = CompactEngine(args.model)
    ds = open_dataset(args.data)
    samples = [ds[i] for i in range(len(ds))]
    logits = engine.logits([to_array(s.load()) for s in samples])
    decoders = {
        "greedy": lambda lg: greedy_decode(lg[None], np.array([lg.shape[0]]), engine.charset)[0].text,
        "beam": lambda lg: beam_decode(lg, engine.charset, None, BeamConfig(lm_weight=0.0)).text,
        "beam+LM": lambda lg: beam_decode(lg, engine.charset, lm, BeamConfig(lm_weight=args.lm_weight)).text,
        "beam+LM+words": lambda lg: beam_decode(lg, engine.charset, lm, BeamConfig(lm_weight=args.lm_weight),
                                                lexicon).text,
    }
    results: dict[str, dict[str, float]] = {}
    for name, decode in decoders.items():
        per_level: dict[str, ErrorCounts] = defaultdict(ErrorCounts)
        t = time.perf_counter()
        texts = [decode(lg) for lg in logits]
        dt = time.perf_counter() - t
        for s, text in zip(samples, texts, strict=True):
            c = score_pair(s.text, text)
            per_level[str(s.meta.get("level", "all"))] += c
            per_level["all"] += c
        results[name] = {k: round(v.cer, 5) for k, v in per_level.items()}
        results[name]["decode_lines_per_s"] = round(len(samples) / dt, 1)
    levels = [k for k in ("clean", "light", "medium", "strong", "all")]
    print("| decoder | " + " | ".join(levels) + " | decoding lines/s |")
    print("|---" * (len(levels) + 2) + "|")
    for name, r in results.items():
        cells = " | ".join(f"{100 * r.get(k, float('nan')):.2f}%" for k in levels)
        print(f"| {name} | {cells} | {r['decode_lines_per_s']:.0f} |")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
