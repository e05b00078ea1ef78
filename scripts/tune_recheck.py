"""Choose the `default` engine's second reading (threshold and trim) on validation lines, never on the benchmark.

    python scripts/tune_recheck.py --seed 77 --taus 0,0.8,0.9,0.95 --trims 0.06  # choose the threshold
    python scripts/tune_recheck.py --seed 77 --taus 0.9 --trims 0.04,0.08        # and the trim
    python scripts/tune_recheck.py --seed 78 --taus 0,0.9                         # confirm on another render
    python scripts/tune_recheck.py --seed 77 --taus 0.9 --deskew on,off           # does deskewing still help?
    python scripts/tune_recheck.py --model CAND.onnx --taus 0.9 --against src/odia_ocr/models/odia-crnn-wide.onnx
                                                                   # is a candidate better, or within noise?

Lines are rendered as training validation renders them (training fonts, text
from the corpora's 'val' hash split, random degradation strength), as in
scripts/tune_decoder.py. For each threshold and trim the `default` engine reads
every line as it ships (deskewing unless --deskew says otherwise, beam search,
LM, word list); lines read with
less confidence than the threshold are read again with the trim's share of
their height cut from the top and the bottom (odia_ocr.recognizer.recheck),
and the more confident reading is kept. Prints CER overall and per strength
band, and the time each setting took. With --against, a second model reads
the same lines at each setting, and the paired difference (model minus the
other, with its 95% bootstrap interval) is printed per band.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from validation_lines import BANDS, add_fonts_argument, render_validation_lines

from odia_ocr.engines.compact import DefaultEngine
from odia_ocr.recognizer.recheck import TRIM

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-xl-fig.toml"), help="fonts and corpora to render")
    ap.add_argument("--lines", type=int, default=800)
    ap.add_argument("--seed", type=int, default=77, help="validation render seed (not a training run's)")
    add_fonts_argument(ap)
    ap.add_argument("--taus", default="0,0.8,0.9,0.95,1.01", help="thresholds to try (0: no second reading)")
    ap.add_argument("--trims", default=str(TRIM), help="shares of the height to cut from top and bottom")
    ap.add_argument("--deskew", default="on", help="on, off or on,off: level slanted lines first")
    ap.add_argument("--against", help="another model (.onnx) read at each setting too, for a paired comparison")
    ap.add_argument("--out", help="write the table as JSON here")
    args = ap.parse_args()

    val = render_validation_lines(args.config, args.seed, args.lines, fonts=args.fonts)
    engine = DefaultEngine(args.model)
    other = DefaultEngine(args.against) if args.against else None
    refs = val.references(engine.charset)
    rows = []
    deskews = [{"on": True, "off": False}[d] for d in args.deskew.split(",")]
    for deskew, tau, trim in itertools.product(deskews, [float(t) for t in args.taus.split(",")],
                                               [float(t) for t in args.trims.split(",")]):
        engine.deskew, engine.recheck_below, engine.recheck_trim = deskew, tau, trim
        t0 = time.perf_counter()
        hyps = [r.text for r in engine.recognize(val.images)]
        row = {"deskew": deskew, "tau": tau, "trim": trim, "s": round(time.perf_counter() - t0, 2),
               **val.cer_by_band(refs, hyps)}
        rows.append(row)
        print(f"deskew {'on ' if deskew else 'off'} tau {tau:<5} trim {trim:<5} CER {row['cer']:.2%}  "
              + "  ".join(f"{b} {row[b]:.2%}" for b in BANDS)
              + f"  ({row['s']} s)", flush=True)
        if other is not None:
            other.deskew, other.recheck_below, other.recheck_trim = deskew, tau, trim
            diffs = val.paired_by_band(refs, [r.text for r in other.recognize(val.images)], hyps)
            row["against"] = {band: d._asdict() for band, d in diffs.items()}
            print("  minus --against: " + "  ".join(
                f"{band} {100 * d.diff:+.2f} ({100 * d.low:+.2f} to {100 * d.high:+.2f})" for band, d in diffs.items()),
                flush=True)
    print(f"{args.lines} validation lines (seed {args.seed}), model {engine.model_path}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
