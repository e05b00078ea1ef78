"""Compare engines on the real page images in eval-real: page-level CER with whitespace collapsed.

FOR EVALUATION ONLY: nothing may be tuned to these images. blog-6 has five
pages with full ground truth (scored together) and one, 23_newspaper_story,
with only its first ~500 characters transcribed: it is scored apart, against
the prefix of the prediction that matches it best, and left out of the total.
letterpress-5 has unproofread ground truth, so its figures only rank engines
against each other; a box an earlier tool drew in each image's top-left
corner is painted over with the paper colour before reading.

    python benchmarks/run_real.py [--engines tesseract,tesseract-script] [--root ../shared/data/eval-real]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from rapidfuzz.distance import Levenshtein

from bench_io import engine_spec, folder_name, machine_info, machine_line, repo_root, write_results
from odia_ocr.cli.common import report_problem
from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.registry import create_engine
from odia_ocr.evaluation import build_report, evaluate, write_report
from odia_ocr.evaluation.writers import markdown_table, percent
from odia_ocr.metrics import page_text, score_pair

Box = tuple[int, int, int, int]

#: The top-left box (x0, y0, x1, y1) a previous tool drew on the letterpress scans.
LETTERPRESS_BOX = (0, 0, 300, 70)
PARTIAL_SUFFIX = ".gt.partial.txt"


@dataclass
class PageSample:
    """A page image and its reference text, with an optional box to paint over before reading."""

    id: str
    text: str
    path: Path
    source: str
    meta: dict[str, Any] = field(default_factory=dict)
    blank_box: Box | None = None

    def load(self) -> Image.Image:
        img = load_image(self.path)
        if self.blank_box is None:
            return img
        arr = to_array(img).copy()
        # Paint with the page's median colour: a pure white patch on tinted paper would be a new edge to read.
        paper = np.median(arr.reshape(-1, arr.shape[2] if arr.ndim == 3 else 1), axis=0).astype(np.uint8)
        x0, y0, x1, y1 = self.blank_box
        arr[y0:y1, x0:x1] = paper if arr.ndim == 3 else paper[0]
        return Image.fromarray(arr)


def pages(folder: Path, suffix: str = ".gt.txt", blank_box: Box | None = None) -> list[PageSample]:
    """The .jpg pages of ``folder`` whose ground truth file ends in ``suffix``."""
    out = []
    for gt in sorted(folder.glob(f"*{suffix}")):
        image = gt.with_name(gt.name[: -len(suffix)] + ".jpg")
        if not image.is_file():
            report_problem(f"{gt}: no matching image {image.name}")
            continue
        out.append(PageSample(image.stem, page_text(gt.read_text(encoding="utf-8")), image, folder.name,
                              blank_box=blank_box))
    return out


def best_prefix(reference: str, prediction: str) -> str:
    """The prefix of ``prediction`` closest (fewest edits) to ``reference``: how a partial transcription is
    scored, since the rest of the prediction reads text nobody transcribed. Both are page-mode canonical."""
    ref, hyp = page_text(reference), page_text(prediction)
    best = min(range(len(hyp) + 1), key=lambda k: (Levenshtein.distance(ref, hyp[:k]), k))
    return hyp[:best]


class PagedEngine:
    """A line engine behind odia-ocr's page reader (line detection + layout + batched recognition)."""

    def __init__(self, engine: Any) -> None:
        from odia_ocr.pages.reader import PageReader

        self.name = engine.name
        self.reader = PageReader(engine)

    def recognize_page(self, image: np.ndarray) -> str:
        return self.reader.read_image(image).text


def _start(spec: str, model: str | None = None) -> Any | None:
    """The engine of ``spec`` (``NAME`` or ``NAME@KEY=VALUE...``, as in run_engines.py), reading whole pages."""
    name, options = engine_spec(spec)
    try:
        engine = create_engine(name, **({"model": model} if model else {}), **options)
    except Exception as err:  # any engine's start-up failure: report it and measure the others
        report_problem(f"engine {name}: cannot start ({str(err).splitlines()[0] if str(err) else type(err).__name__})")
        return None
    if not hasattr(engine, "recognize_page"):
        return PagedEngine(engine)  # a line recognizer reads pages through the page pipeline
    return engine


def _page_table(title: str, note: str, samples: Sequence[PageSample], reports: dict[str, dict[str, Any]],
                preds: dict[str, dict[str, Any]]) -> str:
    rows = []
    for s in samples:
        rows.append([s.id, len(s.text), *[percent(preds[e][s.id]["cer"]) if s.id in preds[e] else "–"
                                           for e in reports]])
    rows.append([f"**all {len(samples)} (corpus CER)**", sum(len(s.text) for s in samples),
                 *[f"**{percent(r['overall']['cer'])}**" for r in reports.values()]])
    return "\n".join([f"## {title}", "", note, "", markdown_table(["page", "ref chars", *reports], rows)])


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", type=Path, default=repo_root().parent / "shared" / "data" / "eval-real")
    p.add_argument("--engines", default="tesseract,tesseract-script",
                   help="comma-separated engine names; NAME@KEY=VALUE adds an option: default@model=path/to.onnx")
    p.add_argument("--model", action="append", default=[], metavar="ENGINE=PATH", help="model file for an engine")
    p.add_argument("--out", type=Path, default=Path("bench-out"))
    args = p.parse_args(argv)
    models = dict(m.split("=", 1) for m in args.model)

    info = machine_info()
    print(machine_line(info))
    blog = pages(args.root / "blog-6")
    partial = pages(args.root / "blog-6", PARTIAL_SUFFIX)
    letter = pages(args.root / "letterpress-5", blank_box=LETTERPRESS_BOX)
    sets = {"blog-6": blog, "letterpress-5": letter}
    reports: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in sets}
    preds: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in sets}
    partial_scores: dict[str, dict[str, dict[str, Any]]] = {}
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        engine = _start(name, models.get(name))
        if engine is None:
            continue
        for set_name, samples in sets.items():
            print(f"{name}: reading {set_name} ({len(samples)} pages) ...", flush=True)
            run = evaluate(engine, samples, page_mode=True, on_problem=report_problem)
            report = build_report(run, group_by=[], worst=len(samples), info={"data": str(args.root / set_name)})
            write_report(run, report, args.out / "real-engines" / set_name / folder_name(name))
            reports[set_name][name] = report
            preds[set_name][name] = {r.id: {"cer": r.counts.cer, "chars": r.counts.chars} for r in run.results}
        partial_scores[name] = {}
        for s in partial:
            predicted = engine.recognize_page(to_array(s.load()))
            prefix = best_prefix(s.text, predicted)
            c = score_pair(s.text, prefix, page_mode=True)
            partial_scores[name][s.id] = {"cer": c.cer, "chars": c.chars, "prefix_chars": len(prefix),
                                          "prediction_chars": len(page_text(predicted))}
    engines = list(reports["blog-6"])
    if not engines:
        report_problem("no engine could be measured")
        return 1

    blog_md = _page_table(
        "blog-6: five pages with full ground truth",
        "Page-level CER on canonical text with whitespace collapsed; the total is corpus CER (all edits over all "
        "reference characters).", blog, reports["blog-6"], preds["blog-6"])
    partial_rows = [[s.id, len(s.text), *[f"{percent(partial_scores[e][s.id]['cer'])} "
                                          f"(prefix {partial_scores[e][s.id]['prefix_chars']} of "
                                          f"{partial_scores[e][s.id]['prediction_chars']} chars)" for e in engines]]
                    for s in partial]
    partial_md = "\n".join([
        "## blog-6: page with partial ground truth (not in the total)", "",
        "Only the first characters are transcribed, so each prediction is scored on its prefix that best matches "
        "the transcription.", "", markdown_table(["page", "ref chars", *engines], partial_rows)])
    letter_md = _page_table(
        "letterpress-5: noisy ground truth (relative comparison only)",
        "The references are unproofread machine conversions, so absolute figures are too high; compare engines "
        "with each other only. The top-left tool box (~300×70 px) is painted over before reading.",
        letter, reports["letterpress-5"], preds["letterpress-5"])
    secs = [[e, *[f"{reports[k][e]['throughput']['engine_seconds'] / max(1, reports[k][e]['evaluated']):.1f}"
                  for k in sets]] for e in engines]
    md = "\n".join([
        "# Engines on real pages (eval-real)", "", machine_line(info), "",
        "Evaluation only: nothing is tuned to these images. Tesseract reads whole pages with its own layout "
        "analysis (psm 3).", "", blog_md, "", partial_md, "", letter_md, "",
        "## Seconds per page", "", markdown_table(["engine", *sets], secs),
    ])
    data = {"machine": info, "root": str(args.root),
            "sets": {k: {e: {"overall": r["overall"], "pages": preds[k][e], "throughput": r["throughput"]}
                         for e, r in reports[k].items()} for k in sets},
            "partial": partial_scores}
    md_path, _ = write_results(args.out, "real-engines", md, data)
    print(md)
    print(f"results: {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
