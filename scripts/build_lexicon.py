"""Build the bundled Odia word list used by beam search (`odia_ocr.recognizer.lexicon`).

    python scripts/build_lexicon.py [--out src/odia_ocr/models/odia-words.txt.gz]

Words: Tesseract's Odia word list (Apache-2.0) and the words of the training
side of the Common Voice sentences (CC0; the hash split keeps validation and
test sentences out), the same text as the character LM (scripts/build_lm.py).
No benchmark text (OdiaNLP) and nothing from eval-real goes in. The output
is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from odia_ocr.recognizer.lexicon import Lexicon
from odia_ocr.synth.corpus import load_corpus_lines, read_wordlist, split_of

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "src" / "odia_ocr" / "models" / "odia-words.txt.gz"))
    args = ap.parse_args()
    words = read_wordlist(CORPORA / "tesseract-langdata" / "ori.wordlist")
    sentences = [s for s in load_corpus_lines([CORPORA / "common-voice-or.txt"]) if split_of(s) == "train"]
    lexicon = Lexicon([*words, *(w for s in sentences for w in s.split())])
    lexicon.save(args.out)
    print(f"{args.out}: {len(lexicon)} words, {Path(args.out).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
