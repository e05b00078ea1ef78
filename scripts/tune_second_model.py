"""Choose when the `default` engine reads a line again with a second model, on validation lines only.

    python scripts/tune_second_model.py --second runs/wide.onnx --seed 77          # choose
    python scripts/tune_second_model.py --second runs/wide.onnx --seed 78          # confirm

Lines are rendered as training validation renders them (training fonts, text
from the corpora's 'val' hash split, random degradation strength), as in
scripts/tune_recheck.py. Both models read every line once; for each threshold,
a line the first model reads with less confidence takes the second model's
reading when that one is more confident. Prints CER overall and per strength
band, the share of lines read twice, and both models alone.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from validation_lines import BANDS, add_two_model_arguments, two_models_on_lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_two_model_arguments(ap)
    ap.add_argument("--taus", default="0,0.5,0.7,0.8,0.9,0.95,0.98,1.01", help="thresholds (0: first model only)")
    args = ap.parse_args()

    val, first, second, refs = two_models_on_lines(args)
    a, b = first.recognize(val.images), second.recognize(val.images)

    def row(name: str, hyps: list[str], twice: float) -> dict[str, object]:
        out: dict[str, object] = {"name": name, "twice": round(twice, 3), **val.cer_by_band(refs, hyps)}
        print(f"{name:<14} CER {out['cer']:.2%}  " + "  ".join(f"{k} {out[k]:.2%}" for k in BANDS)
              + f"  (read twice: {twice:.0%})", flush=True)
        return out

    rows = [row("second alone", [r.text for r in b], 1.0)]
    for tau in (float(t) for t in args.taus.split(",")):
        low = [x.confidence < tau for x in a]
        hyps = [y.text if lo and y.confidence > x.confidence else x.text for x, y, lo in zip(a, b, low, strict=True)]
        rows.append(row(f"tau {tau}", hyps, float(np.mean(low))))
    print(f"{args.lines} validation lines (seed {args.seed}); first {first.model_path}, second {second.model_path}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
