"""Build the bundled character 5-gram language model used by the `lm` decoder.

    python scripts/build_lm.py [--min-count 2] [--out src/odia_ocr/models/odia-char5.lm.json.gz]

Text: the training side of the Common Voice sentences (CC0; the hash split
keeps the validation and test sentences out) and Tesseract's Odia word list
(Apache-2.0). No benchmark text (OdiaNLP) and nothing from eval-real goes in.
The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from odia_ocr.recognizer.lm import CharNgramLM
from odia_ocr.synth.corpus import load_corpus_lines, read_wordlist, split_of

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--order", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=2, help="drop rarer n-grams of order >= 3 (default 2)")
    ap.add_argument("--out", default=str(ROOT / "src" / "odia_ocr" / "models" / "odia-char5.lm.json.gz"))
    args = ap.parse_args()
    sentences = [s for s in load_corpus_lines([CORPORA / "common-voice-or.txt"]) if split_of(s) == "train"]
    words = read_wordlist(CORPORA / "tesseract-langdata" / "ori.wordlist")
    lm = CharNgramLM.from_texts(sentences + words, order=args.order).prune(args.min_count)
    lm.save(args.out)
    grams = sum(len(c) for c in lm.counts.values())
    size = Path(args.out).stat().st_size
    print(f"{args.out}: {len(sentences)} sentences + {len(words)} words, {grams} n-grams, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
