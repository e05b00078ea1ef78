"""How much of a page set's CER is whitespace, and where the wrong spaces are (between digits or letters).

    python scripts/space_errors.py bench-out/synth-contents-heldout-s2 [--model M.onnx]

Reads every page of a standard-format page set (as ``benchmarks/pages_read.py``
builds them) with the ``default`` engine and the rapidocr detector, and prints
page CER with whitespace collapsed, the same CER with spaces ignored, and the
spaces inserted or deleted by the contexts around them: ``DD`` between two
digits (a space read inside a number, or a gap between two numbers lost), ``LL``
between two other characters. Used to find that spaces read inside numbers were
the commonest page error (README, "The `default` engine's model").
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from odia_ocr.data.images import load_image
from odia_ocr.engines.registry import create_engine
from odia_ocr.pages.detect import create_detector
from odia_ocr.pages.reader import PageReader, ReadOptions
from pages_data import load_page_set


def _kind(c: str) -> str:
    return "D" if c.isdigit() else "L"  # str.isdigit is true for Odia digits too


def space_edits(ref: str, hyp: str) -> Counter[str]:
    """Spaces inserted (``ins-XY``) or deleted (``del-XY``) between characters of kinds X and Y."""
    out: Counter[str] = Counter()
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ref, hyp):
        if tag not in ("insert", "delete"):
            continue
        text, lo, hi = (hyp, j1, j2) if tag == "insert" else (ref, i1, i2)
        if text[lo:hi].strip() or lo == 0 or hi >= len(text):
            continue
        out[f"{tag[:3]}-{_kind(text[lo - 1])}{_kind(text[hi])}"] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", type=Path, help="page set folder (manifest.jsonl)")
    ap.add_argument("--model", help="model file for the default engine (default: the bundled one)")
    args = ap.parse_args()
    engine = create_engine("default", **({"model": args.model} if args.model else {}))
    reader = PageReader(engine, create_detector("rapidocr"), ReadOptions(detector="rapidocr"))
    chars = edits = edits_no_space = 0
    spaces: Counter[str] = Counter()
    for record in load_page_set(args.pages):
        ref = " ".join(record["text"].split())
        hyp = " ".join(reader.read_image(load_image(record["image"])).text.split())
        chars += len(ref)
        edits += Levenshtein.distance(ref, hyp)
        edits_no_space += Levenshtein.distance(ref.replace(" ", ""), hyp.replace(" ", ""))
        spaces += space_edits(ref, hyp)
    print(f"{args.pages}: {chars} characters, {edits} character errors ({edits / chars:.2%}); "
          f"spaces ignored {edits_no_space} ({edits_no_space / chars:.2%})")
    print("space edits by context:", dict(spaces.most_common()))


if __name__ == "__main__":
    main()
