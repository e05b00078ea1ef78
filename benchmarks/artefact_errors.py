"""Which kinds of damage a run's errors come from: CER with and without each artefact, on the synthetic benchmark.

    python benchmarks/artefact_errors.py bench-out/synth-engines/default [--level strong] [--out DIR]

Reads the ``predictions.jsonl`` of a report folder (``benchmarks/run_engines.py``
on the set of ``benchmarks/build_synth_bench.py``), with no inference. Each line
of the set records the degradation it went through; per artefact of
``odia_ocr.synth.degrade.ARTEFACTS`` (binarized, resolution lost, low contrast,
...) this prints the lines with it, their CER with its 95% bootstrap interval,
the share of the level's character errors they hold, and the CER of the lines
without it. Lines of one level share a strength and draw their artefacts at
random, so the two columns differ in that artefact alone. It says where a
model's errors are; nothing is tuned on it (training recipes are chosen on
validation lines with ``scripts/errors_by_artefact.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bench_io import machine_info, machine_line, write_results
from odia_ocr.cli.common import report_problem
from odia_ocr.evaluation.compare import PredictionsError, load_predictions
from odia_ocr.evaluation.interval import cer_interval
from odia_ocr.evaluation.writers import markdown_table, percent
from odia_ocr.synth.degrade import ARTEFACTS, LEVELS, Degradation


def _degraded_rows(path: Path, level: str) -> list[tuple[dict[str, Any], Degradation]]:
    """The run's rows at ``level``, each with its degradation (PredictionsError naming the file otherwise)."""
    rows = [r for r in load_predictions(path).values() if level == "all" or r["meta"].get("level") == level]
    if not rows:
        raise PredictionsError(f"{path}: no rows at level {level!r}")
    out = []
    for r in rows:
        recorded = r["meta"].get("degradation")
        if not isinstance(recorded, dict):
            raise PredictionsError(f"{path}: the set records no degradation per line "
                                   "(rebuild it with benchmarks/build_synth_bench.py, then run the engines again)")
        try:
            out.append((r, Degradation.from_dict(recorded)))
        except (TypeError, ValueError) as err:
            raise PredictionsError(f"{path}: unreadable degradation ({err})") from None
    return out


def _cer(rows: list[dict[str, Any]]) -> float | None:
    chars = sum(r["chars"] for r in rows)
    return sum(r["char_edits"] for r in rows) / chars if chars else None


def by_artefact(rows: list[tuple[dict[str, Any], Degradation]]) -> list[dict[str, Any]]:
    """Per artefact: lines with it, their CER and interval, their share of all errors, and the CER without it."""
    total = sum(r["char_edits"] for r, _ in rows)
    out = []
    for name, present in ARTEFACTS.items():
        with_it = [r for r, d in rows if present(d)]
        without = [r for r, d in rows if not present(d)]
        edits = [r["char_edits"] for r in with_it]
        out.append({
            "artefact": name, "lines": len(with_it), "char_edits": sum(edits), "cer": _cer(with_it),
            "cer_interval": list(cer_interval(edits, [r["chars"] for r in with_it])) if with_it else None,
            "share_of_errors": sum(edits) / total if total else 0.0, "cer_without": _cer(without),
        })
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="a report folder or predictions.jsonl of the synthetic benchmark")
    ap.add_argument("--level", default="strong", choices=[*LEVELS, "all"])
    ap.add_argument("--out", type=Path, help="also write artefact_errors.{md,json} here")
    args = ap.parse_args(argv)
    try:
        rows = _degraded_rows(args.run, args.level)
    except PredictionsError as err:
        report_problem(str(err))
        return 2
    result = by_artefact(rows)
    plain = [r for r, _ in rows]
    table = [[a["artefact"], a["lines"], percent(a["cer"]),
              f"{100 * a['cer_interval'][0]:.2f}–{100 * a['cer_interval'][1]:.2f}" if a["cer_interval"] else "–",
              f"{a['share_of_errors']:.0%}", percent(a["cer_without"])] for a in result]
    info = machine_info()
    md = "\n".join([
        f"# Errors by artefact: {args.run}, level {args.level}", "", machine_line(info), "",
        f"{len(plain)} lines, {sum(r['char_edits'] for r in plain)} character errors, CER {percent(_cer(plain))}. "
        "An artefact's lines overlap with other artefacts' lines.", "",
        markdown_table(("artefact", "lines", "CER", "95% interval", "share of errors", "CER without it"), table),
    ])
    print(md)
    if args.out:
        write_results(args.out, "artefact_errors", md, {"machine": info, "run": str(args.run), "level": args.level,
                                                        "lines": len(plain), "artefacts": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
