"""Line detection on synthetic pages: precision and recall at IoU ≥ 0.5, reading order, and time per page.

For each detector the whole layout step runs as in `odia-ocr read`
(cleanup, detection, row grouping, blocks, reading order). Besides P/R, an
"oracle-text page CER" shows what layout alone costs: every detected line
that matches a true line is given that line's true text, the lines are put in
the detected reading order, and the page is scored against the true text with
whitespace collapsed. A perfect layout scores 0; a missed line, a merged pair
or a wrong column order adds errors. Tesseract's own layout analysis
(``--psm 3``, line level of its TSV) is measured the same way.

    python benchmarks/pages_detection.py [--count 48] [--detectors classical,rapidocr,tesseract]

A detector may carry options: ``--detectors "rapidocr:letter_height=0"``.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import numpy as np

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.data.images import load_image
from odia_ocr.metrics import score_pair
from odia_ocr.pages.boxes import Box, DetectionScore, match_boxes, score_detection
from odia_ocr.pages.detect import create_detector
from odia_ocr.pages.layout import analyze_layout
from odia_ocr.pages.preprocess import (
    PreprocessOptions,
    estimate_orientation,
    estimate_skew,
    normalize_contrast,
    prepare_page,
    rotate,
    rotate_quarter,
)
from odia_ocr.pages.reader import detect_segments
from pages_data import build_page_set, load_page_set


def tesseract_lines(image_path: str) -> list[Box]:
    """Line boxes of Tesseract's page layout analysis, in its reading order."""
    out = subprocess.run(
        ["tesseract", image_path, "stdout", "-l", "ori", "--psm", "3", "tsv"],
        capture_output=True, text=True, check=True,
    ).stdout
    lines: dict[tuple[int, int, int], Box] = {}
    for row in out.splitlines()[1:]:
        f = row.split("\t")
        if len(f) >= 11 and f[0] == "4":
            x, y, w, h = (int(v) for v in f[6:10])
            lines[(int(f[2]), int(f[3]), int(f[4]))] = (x, y, x + w, y + h)
    return [lines[k] for k in sorted(lines)]


def oracle_text(truth: list[dict], found: list[Box]) -> str:
    """Page text from the found lines in their order, each carrying the text of the true line it matches."""
    texts = [""] * len(found)
    for i, j, _ in match_boxes([t["box"] for t in truth], found):
        texts[j] = truth[i]["text"]
    return "\n".join(t for t in texts if t)


def cleanup_accuracy(records: list[dict], seed: int) -> dict:
    """How often a sideways page is recognized as such, and how close a random tilt is measured."""
    rng = np.random.default_rng(seed)
    sideways, upright, errors = 0, 0, []
    for r in records:
        grey = normalize_contrast(np.asarray(load_image(r["image"]).convert("L")))  # as prepare_page does
        upright += estimate_orientation(grey) == 0
        sideways += estimate_orientation(rotate_quarter(grey, int(rng.choice([90, 270])))) == 90
        angle = float(rng.uniform(-5, 5))
        errors.append(abs(estimate_skew(rotate(grey, angle)) - angle))
    n = len(records)
    return {
        "upright_kept": round(upright / n, 4), "sideways_found": round(sideways / n, 4),
        "skew_error_median_deg": round(float(np.median(errors)), 3),
        "skew_error_max_deg": round(float(np.max(errors)), 3),
    }


def parse_detector(spec: str) -> tuple[str, dict[str, float]]:
    """"rapidocr:letter_height=0" -> ("rapidocr", {"letter_height": 0.0})."""
    name, _, opts = spec.partition(":")
    return name, {k: float(v) for k, v in (kv.split("=") for kv in opts.split(";") if kv)}


def run(args: argparse.Namespace) -> dict:
    root = build_page_set(Path(args.data), args.count, args.seed, args.fonts)
    records = load_page_set(root)
    prep = PreprocessOptions(orientation=True, deskew=True)
    results = {}
    for name in args.detectors.split(","):
        kind, options = parse_detector(name)
        detector = None if kind == "tesseract" else create_detector(kind, **options)
        total, oracle_edits, oracle_chars, times = DetectionScore(), 0, 0, []
        per_level: dict[str, DetectionScore] = {}
        for r in records:
            image = np.asarray(load_image(r["image"]))
            t0 = time.perf_counter()
            if detector is None:
                found = tesseract_lines(r["image"])
            else:
                page = prepare_page(image, prep)
                segments = detect_segments(page.grey, detector, not args.no_despeckle)  # as the page reader does
                found = [ln for block in analyze_layout(segments) for ln in block]
            times.append(time.perf_counter() - t0)
            s = score_detection([t["box"] for t in r["lines"]], found)
            total += s
            level = r["meta"]["level"]
            per_level.setdefault(level, DetectionScore())
            per_level[level] += s
            c = score_pair(r["text"], oracle_text(r["lines"], found), page_mode=True)
            oracle_edits += c.char_edits
            oracle_chars += c.chars
        results[name] = {
            "precision": round(total.precision, 4), "recall": round(total.recall, 4), "f1": round(total.f1, 4),
            "true_lines": total.truth, "found_lines": total.found,
            "oracle_page_cer": round(oracle_edits / max(oracle_chars, 1), 4),
            "seconds_per_page_median": round(float(np.median(times)), 3),
            "seconds_per_page_mean": round(float(np.mean(times)), 3),
            "per_level": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4)}
                          for k, v in sorted(per_level.items())},
        }
        print(name, results[name], flush=True)
    results["cleanup"] = cleanup_accuracy(records, args.seed)
    print("cleanup", results["cleanup"], flush=True)
    return results


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=48, help="pages in the set (default 48)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--fonts", choices=["all", "heldout"], default="all")
    p.add_argument("--detectors", default="classical,rapidocr,tesseract")
    p.add_argument("--data", default=str(repo_root() / "bench-out" / "synth-pages"))
    p.add_argument("--no-despeckle", action="store_true",
                   help="the detectors see the page with its specks (as before 2026-11-28 06:00 UTC)")
    p.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = p.parse_args()
    info = machine_info()
    results = run(args)
    rows = [
        f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['oracle_page_cer']:.2%} | "
        f"{v['seconds_per_page_median']:.2f} |"
        for k, v in results.items() if k != "cleanup"
    ]
    c = results["cleanup"]
    md = "\n".join([
        f"# Line detection on {args.count} synthetic pages ({args.fonts} fonts, seed {args.seed})", "",
        machine_line(info), "",
        "| detector | precision | recall | oracle-text page CER | s/page (median) |",
        "|---|---|---|---|---|", *rows, "",
        f"Sideways pages found: {c['sideways_found']:.0%} (upright pages kept: {c['upright_kept']:.0%}); "
        f"tilt of ±5° measured to {c['skew_error_median_deg']}° (median), {c['skew_error_max_deg']}° (worst).",
    ])
    print(md)
    write_results(args.out, "pages_detection", md, {"machine": info, "args": vars(args), "results": results})


if __name__ == "__main__":
    main()
