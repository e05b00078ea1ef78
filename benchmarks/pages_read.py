"""End-to-end page reading: page CER (whitespace collapsed) and seconds per page, against Tesseract's page mode.

Three sets: synthetic degraded pages in the held-out font with held-out text
(benchmarks/pages_data.py), synthetic tables of contents made the same way
(``contents``: numbered titles with page numbers, read row by row), two-column
pages with an inset set across the gutter (``insets``: captions and a
picture that both columns narrow around, read after the columns), and the
real blog-6 pages with full ground truth (eval-real: EVALUATION ONLY,
nothing is tuned to them). Each page is read by
``PageReader`` with the chosen line engine and detector; the baseline is
Tesseract reading the whole page with its own layout analysis (psm 3).
Time per page is wall clock for the whole read (cleanup, detection,
layout, recognition), with the layout part alone reported beside it.

    python benchmarks/pages_read.py --engine compact [--detector rapidocr] [--sets synth,contents,real] [--count 8]
        [--no-table-rows]  # read narrow table columns as columns, the layout before table rows
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench_io import engine_spec, folder_name, machine_info, machine_line, repo_root, write_results
from odia_ocr.data.images import load_image
from odia_ocr.engines.registry import create_engine
from odia_ocr.engines.tesseract import TesseractEngine
from odia_ocr.metrics import ErrorCounts, score_pair
from odia_ocr.pages.detect import create_detector
from odia_ocr.pages.layout import LayoutOptions, analyze_layout
from odia_ocr.pages.preprocess import prepare_page
from odia_ocr.pages.reader import PageReader, ReadOptions
from odia_ocr.pages.split import split_at_gutters
from pages_data import SHARED, build_page_set, load_page_set


def real_pages(root: Path) -> list[dict[str, Any]]:
    """blog-6 pages with full ground truth (the partial newspaper transcription is left out)."""
    out = []
    for gt in sorted(root.glob("*.gt.txt")):
        image = gt.with_name(gt.name[: -len(".gt.txt")] + ".jpg")
        if image.is_file():
            out.append({"id": image.stem, "image": str(image), "text": gt.read_text(encoding="utf-8")})
    return out


def measure(records: list[dict[str, Any]], reader: PageReader, baseline: TesseractEngine | None) -> dict[str, Any]:
    ours, theirs = ErrorCounts(), ErrorCounts()
    rows, times, layout_times = [], [], []
    for r in records:
        image = load_image(r["image"])
        t0 = time.perf_counter()
        page = reader.read_image(image)
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        grey = prepare_page(np.asarray(image), reader.options.preprocess).grey
        analyze_layout(split_at_gutters(grey, reader.detector.detect(grey)), reader.options.layout)
        layout_times.append(time.perf_counter() - t0)
        c = score_pair(r["text"], page.text, page_mode=True)
        ours += c
        row = {"id": r["id"], "cer": round(c.cer, 4), "seconds": round(times[-1], 2), "lines": len(page.lines)}
        if baseline is not None:
            b = score_pair(r["text"], baseline.recognize_page(image), page_mode=True)
            theirs += b
            row["tesseract_page_cer"] = round(b.cer, 4)
        rows.append(row)
        print(row, flush=True)
    return {
        "pages": len(records), "cer": round(ours.cer, 4),
        "tesseract_page_cer": round(theirs.cer, 4) if baseline is not None else None,
        "seconds_per_page_median": round(float(np.median(times)), 2) if times else None,
        "layout_seconds_per_page_median": round(float(np.median(layout_times)), 2) if layout_times else None,
        "rows": rows,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--engine", default="compact",
                   help="line recognizer from the engine registry, NAME[@KEY=VALUE...] (default compact)")
    p.add_argument("--model", default=None, help="model option passed to the engine")
    p.add_argument("--detector", default="rapidocr", choices=["rapidocr", "classical"])
    p.add_argument("--sets", default="synth,real", help="comma-separated: synth, contents, insets, real")
    p.add_argument("--count", type=int, default=8, help="synthetic pages (default 8)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-baseline", action="store_true", help="skip Tesseract's page mode")
    p.add_argument("--data", default=str(repo_root() / "bench-out" / "synth-pages-heldout"))
    p.add_argument("--contents-data", default=str(repo_root() / "bench-out" / "synth-contents-heldout"))
    p.add_argument("--insets-data", default=str(repo_root() / "bench-out" / "synth-insets-heldout"))
    p.add_argument("--no-table-rows", action="store_true", help="layout without joining table rows")
    p.add_argument("--no-insets", action="store_true", help="layout without keeping insets apart (as before)")
    p.add_argument("--cell-gap", type=float, default=ReadOptions.cell_gap,
                   help="cut line crops at paper gaps this many heights wide (0: off)")
    p.add_argument("--no-despeckle", action="store_true",
                   help="the line detector sees the page with its specks (as before 2026-11-28 06:00 UTC)")
    p.add_argument("--real", default=str(SHARED / "eval-real" / "blog-6"))
    p.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = p.parse_args()
    info = machine_info()
    name, options = engine_spec(args.engine)
    engine = create_engine(name, **options, **({"model": args.model} if args.model else {}))
    layout = LayoutOptions(table_rows=not args.no_table_rows, insets=not args.no_insets)
    reader = PageReader(engine, create_detector(args.detector), ReadOptions(
        detector=args.detector, layout=layout, cell_gap=args.cell_gap, detect_despeckled=not args.no_despeckle))
    baseline = None if args.no_baseline else TesseractEngine(psm=3)
    results: dict[str, Any] = {}
    sets = args.sets.split(",")
    if "synth" in sets:
        root = build_page_set(Path(args.data), args.count, args.seed, fonts="heldout")
        results["synth"] = measure(load_page_set(root), reader, baseline)
    if "contents" in sets:
        root = build_page_set(Path(args.contents_data), args.count, args.seed, fonts="heldout", contents=True)
        results["contents"] = measure(load_page_set(root), reader, baseline)
    if "insets" in sets:
        root = build_page_set(Path(args.insets_data), args.count, args.seed, fonts="heldout", insets=True)
        results["insets"] = measure(load_page_set(root), reader, baseline)
    if "real" in sets:
        results["real"] = measure(real_pages(Path(args.real)), reader, baseline)
    lines = [
        f"# Page reading: {args.engine} + {args.detector} detector"
        + (" (table rows off)" if args.no_table_rows else "") + (" (insets off)" if args.no_insets else "")
        + f" (cell gap {args.cell_gap})" + (" (detector sees the specks)" if args.no_despeckle else ""), "",
        machine_line(info), "",
        "| set | pages | page CER | Tesseract page mode CER | s/page (median) | layout s/page |",
        "|---|---|---|---|---|---|",
    ]
    for name, res in results.items():
        base = f"{res['tesseract_page_cer']:.2%}" if res["tesseract_page_cer"] is not None else "-"
        lines.append(f"| {name} | {res['pages']} | {res['cer']:.2%} | {base} | {res['seconds_per_page_median']} | "
                     f"{res['layout_seconds_per_page_median']} |")
    md = "\n".join(lines)
    print(md)
    suffix = ("_no_table_rows" if args.no_table_rows else "") + ("_no_insets" if args.no_insets else "")
    suffix += ("" if args.cell_gap else "_no_cells") + ("_no_despeckle" if args.no_despeckle else "")
    write_results(args.out, f"pages_read_{folder_name(args.engine)}_{args.detector}{suffix}", md,
                  {"machine": info, "args": vars(args), "results": results})


if __name__ == "__main__":
    main()
