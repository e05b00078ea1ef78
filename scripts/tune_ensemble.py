"""Would averaging two models' per-frame log-probabilities read better than one? Validation lines only.

    python scripts/tune_ensemble.py --second bench-out/crnn-wide-v2.onnx --seed 77   # choose a weight
    python scripts/tune_ensemble.py --second bench-out/crnn-wide-v2.onnx --seed 78   # confirm it

Both models must share the frame rate (the widened models all descend from
v7's layout). Each line is deskewed and run through both networks once; for
each weight ``w`` the log-softmax of the two is mixed as ``(1-w)·first +
w·second`` and decoded as the ``default`` engine decodes (beam search, the
bundled character LM and word list). Prints CER overall and per strength band.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from validation_lines import BANDS, add_two_model_arguments, two_models_on_lines

from odia_ocr.recognizer.beam import beam_decode
from odia_ocr.recognizer.decode import log_softmax


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_two_model_arguments(ap)
    ap.add_argument("--weights", default="0,0.2,0.3,0.4,0.5,1", help="the second model's weights")
    args = ap.parse_args()

    val, first, second, refs = two_models_on_lines(args)
    if list(first.charset.chars) != list(second.charset.chars):
        raise SystemExit("the two models have different character sets")
    a = [log_softmax(x) for x in first.logits(val.images)]
    b = [log_softmax(x) for x in second.logits(val.images)]
    if any(x.shape != y.shape for x, y in zip(a, b, strict=True)):
        raise SystemExit("the two models emit different frame counts")
    rows = []
    for w in (float(t) for t in args.weights.split(",")):
        hyps = [beam_decode((1 - w) * x + w * y, first.charset, first.lm, first.beam_cfg, first.lexicon).text
                for x, y in zip(a, b, strict=True)]
        out = {"weight": w, **val.cer_by_band(refs, hyps)}
        rows.append(out)
        print(f"w {w:<5} CER {out['cer']:.2%}  " + "  ".join(f"{k} {out[k]:.2%}" for k in BANDS), flush=True)
    print(f"{args.lines} validation lines (seed {args.seed}); first {first.model_path}, second {second.model_path}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
