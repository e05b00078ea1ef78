"""False text on pages that hold none: speckle, show-through, scan borders and stains.

    python benchmarks/pages_noise.py [--count 12] [--seed 2] [--thresholds 0,0.1,0.15,0.2]

Archive scans hold many pages without text: blank backs whose paper is
speckled, or shows the other side's print through it (mirrored and faint),
and the dark border a scanner leaves. A reader should return (almost) nothing
for them. Renders ``count`` such pages of each kind (a pure function of
``--seed``), reads each once with the page reader at ``min_confidence`` 0,
and reports, for each threshold, the characters and lines a reader with that
``min_confidence`` would have returned. Lines are dropped by confidence only,
so one reading answers every threshold. Tesseract's page mode (psm 3, ``ori``)
reads the same pages as the baseline unless ``--no-baseline``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator

import cv2
import numpy as np

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.engines.registry import create_engine
from odia_ocr.engines.tesseract import TesseractEngine
from odia_ocr.pages.detect import create_detector
from odia_ocr.pages.reader import PageReader, ReadOptions
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines
from odia_ocr.synth.degrade import LEVELS
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.pages import PageSynthesizer

SHARED = repo_root().parent / "shared" / "data"
SIZE = (1240, 1754)


def _paper(rng: np.random.Generator) -> np.ndarray:
    """Off-white paper with a little grain, as float32."""
    level = float(rng.uniform(200, 250))
    grain = cv2.GaussianBlur(rng.normal(0, 1, (SIZE[1] // 8, SIZE[0] // 8)).astype(np.float32), (0, 0), 2)
    grain = cv2.resize(grain, SIZE, interpolation=cv2.INTER_LINEAR) * float(rng.uniform(2, 8))
    return level + grain + rng.normal(0, float(rng.uniform(1, 6)), (SIZE[1], SIZE[0])).astype(np.float32)


def speckle(rng: np.random.Generator, _: PageSynthesizer) -> np.ndarray:
    """Dust and toner specks: dark dots of one to a few pixels, 0.5–5% of the page."""
    page = _paper(rng)
    dots = rng.random((SIZE[1], SIZE[0])) < float(rng.uniform(0.005, 0.05))
    dots = cv2.dilate(dots.astype(np.uint8), np.ones((2, 2), np.uint8)) if rng.random() < 0.5 else dots
    page[dots.astype(bool)] = float(rng.uniform(20, 90))
    return page


def show_through(rng: np.random.Generator, synth: PageSynthesizer) -> np.ndarray:
    """The other side's print seen through the paper: mirrored, blurred and faint (5–20% of full contrast)."""
    other = synth.sample((int(rng.integers(1 << 30)),), level="clean").image
    other = cv2.resize(other, SIZE, interpolation=cv2.INTER_AREA)[:, ::-1]
    ink = (255.0 - other.astype(np.float32)) / 255.0
    ink = cv2.GaussianBlur(ink, (0, 0), float(rng.uniform(0.8, 2.5)))
    page = _paper(rng)
    return page - ink * page * float(rng.uniform(0.05, 0.2))


def border(rng: np.random.Generator, _: PageSynthesizer) -> np.ndarray:
    """A scanner's dark border along one or two edges, with a ragged inner edge, on speckled paper."""
    page = _paper(rng)
    for side in rng.choice(4, size=int(rng.integers(1, 3)), replace=False):
        depth = int(rng.uniform(0.01, 0.05) * SIZE[0])
        n = SIZE[1] if side < 2 else SIZE[0]
        ragged = np.clip(depth + np.cumsum(rng.normal(0, 1.5, n)).astype(int), 2, 3 * depth)
        dark = float(rng.uniform(10, 60))
        for i, d in enumerate(ragged):
            if side == 0:
                page[i, :d] = dark
            elif side == 1:
                page[i, -d:] = dark
            elif side == 2:
                page[:d, i] = dark
            else:
                page[-d:, i] = dark
    return page


def stains(rng: np.random.Generator, _: PageSynthesizer) -> np.ndarray:
    """Water and foxing stains: a few soft blobs, 10–35% darker than the paper."""
    page = _paper(rng)
    mask = np.zeros((SIZE[1], SIZE[0]), np.float32)
    for _ in range(int(rng.integers(2, 8))):
        centre = (int(rng.integers(SIZE[0])), int(rng.integers(SIZE[1])))
        axes = (int(rng.uniform(20, 200)), int(rng.uniform(20, 200)))
        cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, float(rng.uniform(0.1, 0.35)), -1)
    mask = cv2.GaussianBlur(mask, (0, 0), float(rng.uniform(3, 15)))
    return page * (1 - mask)


KINDS: dict[str, Callable[[np.random.Generator, PageSynthesizer], np.ndarray]] = {
    "speckle": speckle, "show-through": show_through, "border": border, "stains": stains,
}


def pages(kind: str, count: int, seed: int, synth: PageSynthesizer) -> Iterator[np.ndarray]:
    for i in range(count):
        rng = np.random.default_rng([seed, list(KINDS).index(kind), i])
        yield np.clip(KINDS[kind](rng, synth), 0, 255).astype(np.uint8)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="default")
    ap.add_argument("--detector", default="rapidocr", choices=["rapidocr", "classical"])
    ap.add_argument("--count", type=int, default=12, help="pages of each kind")
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--thresholds", default="0,0.1,0.15,0.2,0.3", help="min_confidence values to report")
    ap.add_argument("--no-baseline", action="store_true", help="skip Tesseract's page mode")
    ap.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = ap.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    info = machine_info()
    fonts = discover_fonts([SHARED / "fonts"])
    sampler = TextSampler(load_corpus_lines([SHARED / "corpora" / "common-voice-or.txt"]), p_sentence=0.85,
                          p_words=0.0)
    synth = PageSynthesizer(fonts, sampler)
    reader = PageReader(create_engine(args.engine), create_detector(args.detector),
                        ReadOptions(detector=args.detector, min_confidence=0.0))
    baseline = None if args.no_baseline else TesseractEngine(psm=3)
    results: dict[str, dict] = {}
    for kind in KINDS:
        found: list[list[tuple[str, float]]] = []
        theirs: list[str] = []
        for image in pages(kind, args.count, args.seed, synth):
            page = reader.read_image(image)
            found.append([(ln.text, ln.confidence) for ln in page.lines])
            if baseline is not None:
                theirs.append("".join(baseline.recognize_page(image).split()))
        per = {}
        for t in thresholds:
            kept = [[text for text, c in lines if c >= t] for lines in found]
            per[str(t)] = {
                "pages_with_text": sum(1 for k in kept if k),
                "lines": sum(len(k) for k in kept),
                "characters": sum(len(x.replace(" ", "")) for k in kept for x in k),
            }
        confs = sorted(c for lines in found for _, c in lines)
        results[kind] = {"pages": args.count, "thresholds": per,
                         "max_confidence": round(confs[-1], 3) if confs else None,
                         "tesseract": {"pages_with_text": sum(1 for t in theirs if t),
                                       "characters": sum(map(len, theirs))} if baseline is not None else None}
        print(kind, results[kind], flush=True)
    lines = [f"# False text on pages without text: {args.engine} + {args.detector} (seed {args.seed})", "",
             machine_line(info), "",
             "| kind | pages | " + " | ".join(f"min_confidence {t}: pages with text / characters" for t in thresholds)
             + " | highest line confidence | Tesseract page mode: pages with text / characters |",
             "|---|---" + "|---" * len(thresholds) + "|---|---|"]
    for kind, res in results.items():
        cells = [f"{res['thresholds'][str(t)]['pages_with_text']} / {res['thresholds'][str(t)]['characters']}"
                 for t in thresholds]
        tess = res["tesseract"]
        base = f"{tess['pages_with_text']} / {tess['characters']}" if tess is not None else "-"
        lines.append(f"| {kind} | {res['pages']} | " + " | ".join(cells) + f" | {res['max_confidence']} | {base} |")
    write_results(args.out, "pages_noise", "\n".join(lines) + "\n",
                  {"machine": info, "args": vars(args), "levels": list(LEVELS), "results": results})
    print("\n".join(lines))


if __name__ == "__main__":
    main()
