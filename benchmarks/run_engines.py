"""Compare engines on the synthetic benchmark set: CER per degradation level and per font, and throughput.

All engines run in one process on the same lines one after another, so their
figures share the machine and its load. Full per-engine reports (worst lines,
confusions, predictions) go to ``OUT/synth-engines/<engine>/``.

    python benchmarks/run_engines.py [--data bench-out/synth-bench] [--engines tesseract,tesseract-script,compact]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from bench_io import engine_spec, folder_name, machine_info, machine_line, write_results
from odia_ocr.cli.common import report_problem
from odia_ocr.data import open_dataset
from odia_ocr.engines.registry import create_engine
from odia_ocr.evaluation import build_report, evaluate, write_report
from odia_ocr.evaluation.writers import interval_cell, markdown_table, percent
from odia_ocr.synth.degrade import LEVELS

GROUPS = ("level", "font", "heldout_font")


def _models(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for p in pairs:
        name, sep, path = p.partition("=")
        if not sep:
            raise SystemExit(f"--model {p!r}: expected ENGINE=PATH")
        out[name] = path
    return out


def measure(spec: str, options: dict[str, Any], data: Path, limit: int | None, out: Path) -> dict[str, Any] | None:
    """Evaluate one engine (``spec`` as in :func:`engine_spec`); None, with a one-line message, when it cannot start."""
    name, extra = engine_spec(spec)
    options = {**options, **extra}
    try:
        engine = create_engine(name, **options)
    except Exception as err:  # any engine's start-up failure: report it and measure the others
        report_problem(f"engine {name}: cannot start ({str(err).splitlines()[0] if str(err) else type(err).__name__})")
        return None
    dataset = open_dataset(data)
    samples = islice(dataset, limit) if limit else dataset
    print(f"{spec}: reading {min(len(dataset), limit or len(dataset))} lines ...", flush=True)
    run = evaluate(engine, samples, batch_size=int(options.get("batch_size", 16)), on_problem=report_problem)
    report = build_report(run, group_by=GROUPS, info={"data": str(data), "options": options})
    write_report(run, report, out / "synth-engines" / folder_name(spec))
    print(f"{spec}: CER {percent(run.total.cer)}, {run.items_per_second:.2f} lines/s", flush=True)
    return report


def tables(reports: dict[str, dict[str, Any]], held_fonts: set[str]) -> str:
    """The Markdown tables of the result: by level (+ throughput, and the CERs' intervals), by font, overall."""
    levels = [lv for lv in LEVELS if any(lv in r["groups"]["level"] for r in reports.values())]
    by_level = []
    for name, r in reports.items():
        held = r["groups"]["heldout_font"]
        by_level.append([name, *[percent(r["groups"]["level"].get(lv, {}).get("cer")) for lv in levels],
                         percent(r["overall"]["cer"]), percent(held.get("false", {}).get("cer")),
                         percent(held.get("true", {}).get("cer")), f"{r['throughput']['per_second']:.2f}"])
    intervals = [[name, *[interval_cell(r["groups"]["level"].get(lv, {})) for lv in levels],
                  interval_cell(r["overall"])] for name, r in reports.items()]
    fonts = sorted({f for r in reports.values() for f in r["groups"]["font"]})
    by_font = [[f + (" (held out)" if f in held_fonts else ""),
                *[percent(r["groups"]["font"].get(f, {}).get("cer")) for r in reports.values()]] for f in fonts]
    overall = [[name, percent(r["overall"]["cer"]), percent(r["overall"]["wer"]), percent(r["overall"]["aer"]),
                r["evaluated"], r["bad_samples"]["count"], f"{r['throughput']['per_second']:.2f}"]
               for name, r in reports.items()]
    return "\n".join([
        "## CER by degradation level", "",
        markdown_table(["engine", *levels, "all", "seen fonts", "held-out font", "lines/s"], by_level), "",
        "95% bootstrap intervals of these CERs over the lines (odia_ocr.evaluation.interval): how far another draw "
        "of as many lines could move them. Whether one engine reads better than another: "
        "`benchmarks/compare_runs.py`.", "",
        markdown_table(["engine", *levels, "all"], intervals), "",
        "## CER by font family", "",
        markdown_table(["font family", *reports], by_font), "",
        "## Overall", "",
        markdown_table(["engine", "CER", "WER", "akshara ER", "lines", "bad", "lines/s"], overall),
    ])


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=Path("bench-out/synth-bench"), help="benchmark set (standard format)")
    p.add_argument("--engines", default="tesseract,tesseract-script",
                   help="comma-separated engine names; NAME@KEY=VALUE adds an option: default@recheck_below=0.95")
    p.add_argument("--model", action="append", default=[], metavar="ENGINE=PATH", help="model file for an engine")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--limit", type=int, help="only the first N lines (quick checks; not for published figures)")
    p.add_argument("--out", type=Path, default=Path("bench-out"))
    args = p.parse_args(argv)

    info = machine_info()
    print(machine_line(info))
    models = _models(args.model)
    reports: dict[str, dict[str, Any]] = {}
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        options: dict[str, Any] = {"batch_size": args.batch_size}
        base, _ = engine_spec(name)
        if base in models:
            options["model"] = models[base]
        report = measure(name, options, args.data, args.limit, args.out)
        if report is not None:
            reports[name] = report
    if not reports:
        report_problem("no engine could be measured")
        return 1
    n = next(iter(reports.values()))["evaluated"]
    md = "\n".join([
        "# Engines on the synthetic benchmark", "", machine_line(info), "",
        f"Data: `{args.data}` ({n} lines; text never used for training; CER = edits / reference characters, "
        "canonical text). Throughput: lines per second of engine time (image loading and scoring excluded), "
        "measured in the same run for all engines.", "",
        tables(reports, {str(s.meta.get("font")) for s in open_dataset(args.data) if s.meta.get("heldout_font")}),
        "", "Per-engine reports (worst lines, confusions): " + ", ".join(
            f"`{args.out / 'synth-engines' / folder_name(name) / 'report.md'}`" for name in reports),
    ])
    data = {"machine": info, "data": str(args.data), "limit": args.limit,
            "engines": {name: {k: r[k] for k in ("overall", "throughput", "groups", "bad_samples", "evaluated")}
                        for name, r in reports.items()}}
    md_path, _ = write_results(args.out, "synth-engines", md, data)
    print(md)
    print(f"results: {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
