"""What a line's confidence says about its errors: CER and share of all errors per confidence band.

    python benchmarks/confidence_bins.py bench-out/synth-engines/default [--edges 0.5,0.7,0.9,0.97]

Reads the ``predictions.jsonl`` of a report folder (``benchmarks/run_engines.py``
or ``odia-ocr eval --out``), with no inference, and prints, per band of the
engine's confidence: lines, their CER (with its 95% bootstrap interval) and
the share of the run's character errors they hold. It tells a user which
lines to send to a person for review: where the errors are, at what cost in
lines. Nothing is chosen from it; the bands are fixed by ``--edges``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from bench_io import machine_info, machine_line, write_results
from odia_ocr.cli.common import report_problem
from odia_ocr.evaluation.compare import PredictionsError, load_predictions
from odia_ocr.evaluation.interval import cer_interval
from odia_ocr.evaluation.writers import markdown_table, percent


def _rows(path: Path) -> list[dict]:
    """The evaluated rows of a run, each with a confidence (ValueError naming the file otherwise)."""
    rows = list(load_predictions(path).values())
    missing = sum(r["confidence"] is None for r in rows)
    if missing:
        raise PredictionsError(f"{path}: {missing} of {len(rows)} rows have no confidence (this engine gives none)")
    return rows


def bands(rows: list[dict], edges: list[float]) -> list[dict]:
    """Per band [edge_i, edge_i+1) of confidence (the last band includes 1.0): counts, CER and share of errors."""
    bounds = [0.0, *edges, float("inf")]
    total = sum(r["char_edits"] for r in rows)
    out = []
    for lo, hi in itertools.pairwise(bounds):
        b = [r for r in rows if lo <= r["confidence"] < hi]
        edits, chars = [r["char_edits"] for r in b], [r["chars"] for r in b]
        out.append({"from": lo, "to": hi if hi != float("inf") else None, "lines": len(b),
                    "share_of_lines": len(b) / len(rows), "char_edits": sum(edits), "chars": sum(chars),
                    "cer": sum(edits) / sum(chars) if sum(chars) else None,
                    "cer_interval": list(cer_interval(edits, chars)) if b else None,
                    "share_of_errors": sum(edits) / total if total else 0.0})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="a report folder or predictions.jsonl")
    ap.add_argument("--edges", default="0.5,0.7,0.9,0.97", help="band edges of confidence, increasing, in (0, 1]")
    ap.add_argument("--out", type=Path, help="also write confidence_bins.{md,json} here")
    args = ap.parse_args(argv)
    try:
        edges = [float(x) for x in args.edges.split(",")]
    except ValueError:
        report_problem(f"--edges {args.edges!r}: expected numbers separated by commas")
        return 2
    if not edges or edges != sorted(edges) or not all(0 < e <= 1 for e in edges):
        report_problem(f"--edges {args.edges!r}: must increase and lie in (0, 1]")
        return 2
    try:
        rows = _rows(args.run)
    except PredictionsError as err:
        report_problem(str(err))
        return 2
    result = bands(rows, edges)
    table = [[f"{b['from']:.2f}–{b['to']:.2f}" if b["to"] is not None else f"≥ {b['from']:.2f}", b["lines"],
              f"{b['share_of_lines']:.1%}", percent(b["cer"]),
              f"{100 * b['cer_interval'][0]:.2f}–{100 * b['cer_interval'][1]:.2f}" if b["cer_interval"] else "–",
              f"{b['share_of_errors']:.0%}"] for b in result]
    info = machine_info()
    md = "\n".join([f"# Confidence bands of {args.run}", "", machine_line(info), "",
                    markdown_table(("confidence", "lines", "share of lines", "CER", "95% interval",
                                    "share of errors"), table)])
    print(md)
    if args.out:
        write_results(args.out, "confidence_bins", md, {"machine": info, "run": str(args.run), "edges": edges,
                                                        "bands": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
