"""Is run B better than run A? CER differences per group on the same samples, with paired bootstrap intervals.

    python benchmarks/compare_runs.py bench-out/synth-engines/default /tmp/cand/synth-engines/default --by level

A and B are report folders (or ``predictions.jsonl`` files) of the same
samples, from ``benchmarks/run_engines.py`` or ``odia-ocr eval --out``. For
the whole run and each value of ``--by``, it prints both CERs with their 95%
intervals, B minus A and the 95% interval of that difference over samples: a difference whose interval
holds zero is within what the draw of the samples moves. Candidates are still
judged on validation lines first (docs/recognizer-log.md); this says how much
the benchmark's own verdict can be trusted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench_io import machine_info, machine_line, write_results
from odia_ocr.cli.common import report_problem
from odia_ocr.evaluation.compare import PredictionsError, compare_groups, load_predictions
from odia_ocr.evaluation.writers import markdown_table, percent


def _with_interval(cer: float, interval: tuple[float, float]) -> str:
    return f"{percent(cer)} ({100 * interval[0]:.2f}–{100 * interval[1]:.2f})"


def _points(x: float) -> str:
    return f"{100 * x:+.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="run A: a report folder or predictions.jsonl")
    ap.add_argument("b", type=Path, help="run B, of the same samples")
    ap.add_argument("--by", default="level", help="metadata key to break the comparison down by ('' for none)")
    ap.add_argument("--confidence", type=float, default=0.95)
    ap.add_argument("--out", type=Path, help="also write compare_runs.md and .json here")
    args = ap.parse_args(argv)
    if not 0 < args.confidence < 1:
        report_problem(f"--confidence {args.confidence}: must be between 0 and 1")
        return 2
    try:
        result = compare_groups(load_predictions(args.a), load_predictions(args.b), args.by or None,
                                confidence=args.confidence)
    except PredictionsError as err:
        report_problem(str(err))
        return 2
    level = f"{args.confidence:.0%}"
    rows, data = [], {}
    for label, g in result.items():
        d = g.difference
        verdict = ("B better" if d.high < 0 else "A better") if d.clear else "within noise"
        rows.append([label, g.samples, _with_interval(d.cer_a, g.interval_a), _with_interval(d.cer_b, g.interval_b),
                     _points(d.diff), f"{_points(d.low)} to {_points(d.high)}", verdict])
        data[label] = {"samples": g.samples, **d._asdict(), "interval_a": list(g.interval_a),
                       "interval_b": list(g.interval_b), "verdict": verdict}
    info = machine_info()
    md = "\n".join([
        f"# {args.b} against {args.a}", "", machine_line(info), "",
        markdown_table(("group", "samples", f"CER A ({level} interval)", f"CER B ({level} interval)",
                        "B − A (points)", f"{level} interval of B − A", "verdict"), rows),
        "", f"Bootstrap over samples ({level}, 2,000 resamples, seed 0; B − A paired: each sample's two readings "
        "resampled together): see odia_ocr.evaluation.interval.",
    ])
    print(md)
    if args.out:
        write_results(args.out, "compare_runs", md, {"machine": info, "a": str(args.a), "b": str(args.b),
                                                     "by": args.by, "confidence": args.confidence, "groups": data})
    return 0


if __name__ == "__main__":
    sys.exit(main())
