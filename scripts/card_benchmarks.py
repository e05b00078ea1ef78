"""Write a bundled model's benchmark figures into its model card, from the benchmark runs' own JSON.

    python scripts/card_benchmarks.py src/odia_ocr/models/odia-crnn-wide.MODEL_CARD.md --engine default \\
        --synth bench-out/synth-engines.json --real bench-out/real-engines.json

Why: a card that carries only validation CER says little about how the model reads the benchmark a user compares
it on. The section is rendered from the files `benchmarks/run_all.sh` writes (`run_engines.py`, `run_real.py`),
so every figure in it is a measured one with its date and machine, and it is replaced whole when the benchmarks
run again. A card that `scripts/ship_model.py` writes for a new model gets its section once the benchmarks have
run with that model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HEADING = "## Benchmarks"
LEVELS = ("clean", "light", "medium", "strong")
BASELINES = ("tesseract", "tesseract-script")
SET_NOTES = {"letterpress-5": "; references unproofread, so only the ranking means anything"}
ENGINE_NOTES = {
    "default": "the `default` engine (slanted lines levelled, beam search with the bundled character 5-gram LM and "
               "word list, doubtful lines read a second time)",
    "compact": "the `compact` engine (greedy decoding, no deskewing)",
}


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def _cell(group: dict[str, Any]) -> str:
    low, high = group.get("cer_interval") or (None, None)
    interval = f" ({_pct(low)}–{_pct(high)})" if low is not None else ""
    return _pct(group["cer"]) + interval


def _best_baseline(engines: dict[str, Any], pick: Any) -> str:
    """Tesseract's lower CER of its two Odia models on one group, with the model named."""
    found = [(pick(engines[b]), b) for b in BASELINES if b in engines and pick(engines[b]) is not None]
    if not found:
        return "–"
    cer, name = min(found, key=lambda f: f[0])
    return f"{_pct(cer)} (`{name}`)"


def _machine(run: dict[str, Any]) -> str:
    m = run.get("machine", {})
    return f"{m.get('date', 'unknown date')}, {m.get('cpu', 'unknown CPU')} with {m.get('cores', '?')} cores"


def benchmark_section(engine: str, synth: dict[str, Any], real: dict[str, Any] | None = None) -> str:
    """The card's benchmark section for ``engine``: synthetic lines by level and held-out font, then real pages."""
    engines = synth["engines"]
    if engine not in engines:
        raise ValueError(f"engine {engine!r} is not in the synthetic benchmark's results ({', '.join(engines)})")
    mine = engines[engine]
    groups = mine["groups"]
    rows = [(level, groups["level"][level], lambda e, lv=level: e["groups"]["level"].get(lv, {}).get("cer"))
            for level in LEVELS if level in groups.get("level", {})]
    rows.append(("all 700 lines" if mine["overall"].get("samples") == 700 else "all lines", mine["overall"],
                 lambda e: e["overall"]["cer"]))
    if "true" in groups.get("heldout_font", {}):
        rows.append(("font held out of training", groups["heldout_font"]["true"],
                     lambda e: e["groups"].get("heldout_font", {}).get("true", {}).get("cer")))
    out = [
        HEADING, "",
        f"As {ENGINE_NOTES.get(engine, f'the `{engine}` engine')}; `benchmarks/run_engines.py` on the synthetic "
        f"line benchmark (`benchmarks/build_synth_bench.py`: text held out of training, one font never trained on), "
        f"run {_machine(synth)}. CER with its 95% bootstrap interval over the lines:", "",
        "| lines | CER (95% interval) | Tesseract's best |", "|:---|---:|---:|",
        *[f"| {name} | {_cell(group)} | {_best_baseline(engines, pick)} |" for name, group, pick in rows],
    ]
    if real and any(engine in by_engine for by_engine in real.get("sets", {}).values()):
        out += ["", f"`benchmarks/run_real.py` on the real pages in `eval-real` (evaluation only, never trained or "
                f"tuned on), whole pages, run {_machine(real)}:", "",
                "| pages | CER | Tesseract's best |", "|:---|---:|---:|"]
        for name, by_engine in real["sets"].items():
            if engine in by_engine:
                out.append(f"| {name} ({by_engine[engine]['overall'].get('samples', '?')} pages"
                           f"{SET_NOTES.get(name, '')}) | "
                           f"{_pct(by_engine[engine]['overall']['cer'])} | "
                           f"{_best_baseline(by_engine, lambda e: e['overall']['cer'])} |")
        partial = real.get("partial", {})
        if engine in partial:
            for page, result in partial[engine].items():
                base = _best_baseline(partial, lambda e, p=page: e.get(p, {}).get("cer"))
                out.append(f"| {page} (transcribed in part) | {_pct(result['cer'])} | {base} |")
    out += ["", "The README's Results section has the full tables, with the commands that reproduce them."]
    return "\n".join(out) + "\n"


def replace_section(card: str, section: str) -> str:
    """``card`` with its benchmark section replaced by ``section``, or inserted before the known limits."""
    lines = card.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\n") == HEADING]
    if starts:
        start = starts[0]
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        return "".join(lines[:start]) + section + "\n" + "".join(lines[end:])
    limits = next((i for i, line in enumerate(lines) if line.startswith("## Known limits")), len(lines))
    return "".join(lines[:limits]) + section + "\n" + "".join(lines[limits:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("card", type=Path, help="the model card to update in place")
    ap.add_argument("--engine", required=True, help="the engine that reads with this model, as named in the results")
    ap.add_argument("--synth", type=Path, required=True, help="run_engines.py's JSON (bench-out/synth-engines.json)")
    ap.add_argument("--real", type=Path, help="run_real.py's JSON (bench-out/real-engines.json)")
    args = ap.parse_args(argv)
    try:
        card = args.card.read_text(encoding="utf-8")
        synth = json.loads(args.synth.read_text(encoding="utf-8"))
        real = json.loads(args.real.read_text(encoding="utf-8")) if args.real else None
        section = benchmark_section(args.engine, synth, real)
    except (OSError, ValueError, KeyError) as err:
        print(f"card_benchmarks: {err}", file=sys.stderr)
        return 1
    args.card.write_text(replace_section(card, section), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
