"""Choose the `default` engine's recheck threshold on validation lines, never on the benchmark.

    python scripts/tune_recheck.py --seed 77               # choose
    python scripts/tune_recheck.py --seed 78 --taus 0,0.95  # confirm the choice on another render

Lines are rendered as training validation renders them (training fonts, text
from the corpora's 'val' hash split, random degradation strength), as in
scripts/tune_decoder.py. For each threshold the engine reads every line; lines
read with less confidence are read again cropped to their ink
(odia_ocr.recognizer.inkcrop) and the more confident reading is kept. Prints
CER overall and per strength band, and how many lines were read twice.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from odia_ocr.engines.compact import DefaultEngine
from odia_ocr.metrics import score_corpus
from odia_ocr.training.config import load_config
from odia_ocr.training.loop import build_synthesizers

ROOT = Path(__file__).resolve().parents[1]
BANDS = {"clean": (0.0, 0.01), "light": (0.01, 0.4), "medium": (0.4, 0.75), "strong+": (0.75, 9.0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--config", default=str(ROOT / "configs" / "crnn-v5.toml"), help="fonts and corpora to render")
    ap.add_argument("--lines", type=int, default=600)
    ap.add_argument("--seed", type=int, default=77, help="validation render seed (not a training run's)")
    ap.add_argument("--taus", default="0,0.5,0.7,0.8,0.9,0.95,1.01", help="thresholds to try (0: no recheck)")
    ap.add_argument("--out", help="write the table as JSON here")
    args = ap.parse_args()

    _, val_syn, _ = build_synthesizers(load_config(args.config))
    samples = [val_syn.sample([args.seed, 2_000_003, i]) for i in range(args.lines)]
    images = [s.image for s in samples]
    strength = np.array([float(s.meta.get("strength", 0.0)) for s in samples])
    engine = DefaultEngine(args.model)
    refs = ["".join(c for c in s.text if c in engine.charset) for s in samples]
    rows = []
    for tau in (float(t) for t in args.taus.split(",")):
        engine.recheck_below = tau
        t0 = time.perf_counter()
        hyps = [r.text for r in engine.recognize(images)]
        row = {"tau": tau, "s": round(time.perf_counter() - t0, 2), "cer": score_corpus(refs, hyps)[0].cer}
        for band, (lo, hi) in BANDS.items():
            idx = np.flatnonzero((strength >= lo) & (strength < hi))
            row[band] = score_corpus([refs[i] for i in idx], [hyps[i] for i in idx])[0].cer
        rows.append(row)
        print(f"tau {tau:<5} CER {row['cer']:.2%}  " + "  ".join(f"{b} {row[b]:.2%}" for b in BANDS)
              + f"  ({row['s']} s)", flush=True)
    print(f"{args.lines} validation lines (seed {args.seed}), model {engine.model_path}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
