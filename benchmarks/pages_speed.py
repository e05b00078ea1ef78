"""Seconds per typical printed book page, end to end, with the time of each stage and Tesseract beside it.

A book page here is one column of 10.5-12 pt body text with the usual running
header and page number, lightly degraded, in a font family the recognizer was
not trained on, scanned at 300 dpi: on a demy octavo page (143 x 222 mm, a
common Indian book size; 1689 x 2622 px) or on A4 (210 x 297 mm, 2480 x 3508
px; government documents and reports). Pages are rendered by the synthetic page renderer from
held-out text, so anyone can rebuild them. Each page is read once to warm up,
then timed; the median is reported. Tesseract's page mode (psm 3, ``ori``)
reads the same pages in the same run, as a reference point.

    python benchmarks/pages_speed.py [--paper demy|a4] [--pages 5] [--detector rapidocr] [--dpi 300]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import numpy as np

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.engines.registry import create_engine
from odia_ocr.engines.tesseract import TesseractEngine
from odia_ocr.metrics import ErrorCounts, score_pair
from odia_ocr.pages.detect import create_detector
from odia_ocr.pages.layout import analyze_layout
from odia_ocr.pages.preprocess import prepare_page
from odia_ocr.pages.reader import PageReader, ReadOptions, detect_segments
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines
from odia_ocr.synth.fonts import DEFAULT_HELDOUT_FAMILIES, discover_fonts
from odia_ocr.synth.pages import PageSynthesizer, SynthPage
from pages_data import _CITATION, SHARED

PAPER_MM = {"demy": (143, 222), "a4": (210, 297)}


def book_pages(count: int, dpi: float, seed: int, paper: str = "demy") -> list[SynthPage]:
    """Single-column pages of ``paper`` size at ``dpi`` with 10.5-12 pt body text in the held-out font."""
    width, height = (round(mm / 25.4 * dpi) for mm in PAPER_MM[paper])
    pt = dpi / 72
    fonts = [f for f in discover_fonts([SHARED / "fonts"]) if f.family in DEFAULT_HELDOUT_FAMILIES]
    text = [_CITATION.sub("", s) for s in load_corpus_lines([SHARED / "corpora" / "odianlp-nmt-or.txt"])]
    synth = PageSynthesizer(
        fonts, TextSampler(text, p_sentence=0.85, p_words=0.0), page_size=(width, height),
        sizes=(round(10.5 * pt), round(12 * pt)), scale=(1.0, 1.0), column_weights=(1.0, 0.0, 0.0),
    )
    return [synth.sample((seed, i), level="light") for i in range(count)]


def _median(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=5)
    p.add_argument("--dpi", type=float, default=300.0)
    p.add_argument("--paper", choices=sorted(PAPER_MM), default="demy")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--engine", default="default")
    p.add_argument("--detector", default="rapidocr", choices=["rapidocr", "classical"])
    p.add_argument("--no-baseline", action="store_true", help="skip Tesseract's page mode")
    p.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = p.parse_args()
    info = machine_info()
    pages = book_pages(args.pages, args.dpi, args.seed, args.paper)
    detector = create_detector(args.detector)
    reader = PageReader(create_engine(args.engine), detector, ReadOptions(detector=args.detector))
    baseline = None if args.no_baseline else TesseractEngine(psm=3)
    reader.read_image(pages[0].image)  # warm-up: model loading and first-run allocation are not per page

    stages: dict[str, list[float]] = {"total": [], "preprocess": [], "detect": [], "layout": [], "tesseract": []}
    ours, theirs = ErrorCounts(), ErrorCounts()
    lines = []
    for page in pages:
        t0 = time.perf_counter()
        result = reader.read_image(page.image)
        stages["total"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        grey = prepare_page(np.asarray(page.image), reader.options.preprocess).grey
        t1 = time.perf_counter()
        segments = detect_segments(grey, detector, reader.options.detect_despeckled)  # as the reader does it
        t2 = time.perf_counter()
        analyze_layout(segments)
        t3 = time.perf_counter()
        stages["preprocess"].append(t1 - t0)
        stages["detect"].append(t2 - t1)
        stages["layout"].append(t3 - t2)
        ours += score_pair(page.text, result.text, page_mode=True)
        lines.append(len(result.lines))
        if baseline is not None:
            t0 = time.perf_counter()
            text = baseline.recognize_page(page.image)
            stages["tesseract"].append(time.perf_counter() - t0)
            theirs += score_pair(page.text, text, page_mode=True)
    h, w = pages[0].image.shape[:2]
    med = {k: _median(v) for k, v in stages.items() if v}
    recognize = round(med["total"] - med["preprocess"] - med["detect"] - med["layout"], 3)
    md = "\n".join([
        f"# Book page speed: {args.engine} + {args.detector}, {args.paper} at {args.dpi:g} dpi ({w}x{h} px)", "",
        machine_line(info), "",
        "| pages | lines/page (median) | s/page (median) | preprocess | detect | layout | recognize (rest) "
        "| Tesseract psm 3 s/page | page CER | Tesseract page CER |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {len(pages)} | {statistics.median(lines):g} | {med['total']} | {med['preprocess']} | {med['detect']} | "
        f"{med['layout']} | {recognize} | {med.get('tesseract', '-')} | {ours.cer:.2%} | "
        f"{theirs.cer:.2%} |" if baseline else f"| {len(pages)} | {statistics.median(lines):g} | {med['total']} | "
        f"{med['preprocess']} | {med['detect']} | {med['layout']} | {recognize} | - | {ours.cer:.2%} | - |",
    ])
    print(md)
    data: dict[str, Any] = {"machine": info, "args": vars(args), "size": [w, h], "median_seconds": med,
                            "recognize_seconds": recognize, "lines": lines, "page_cer": ours.cer,
                            "tesseract_page_cer": theirs.cer if baseline else None}
    write_results(args.out, f"pages_speed_{args.paper}_{args.detector}_{args.dpi:g}dpi", md, data)


if __name__ == "__main__":
    main()
