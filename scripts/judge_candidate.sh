#!/usr/bin/env bash
# Judge a trained checkpoint against the bundled `default` model, the way every release since crnn-xl-fam was judged.
#
#   scripts/judge_candidate.sh CHECKPOINT OUTDIR            # stage 1: validation renders only (about 2 minutes)
#   BENCH=1 scripts/judge_candidate.sh CHECKPOINT OUTDIR    # stage 2 as well: the line benchmark, once
#
# Stage 1 exports CHECKPOINT to OUTDIR/odia-crnn-wide.onnx (INT8, as it would ship) and reads 800 validation lines
# per render with the `default` engine as it ships, candidate and bundled model on the same lines, with paired
# 95% intervals (scripts/tune_recheck.py --against):
#   - family-drawn lines in the training fonts (configs/crnn-xl-fam.toml), seeds 77 and 78;
#   - the same text in Baloo Bhaina 2, a font neither training nor the benchmark uses, seeds 91 and 92
#     (scripts/fetch_unseen_font.py fetches it from the npm registry the first time).
# Release rule (docs/recognizer-log.md): lower CER on every render; only then stage 2, whose rule is lower CER
# overall and no level clearly worse (benchmarks/compare_runs.py), before the README's figures are measured again.
# Stage 2 needs the benchmark set (benchmarks/build_synth_bench.py); it reads the bundled model and the candidate
# in one run, so the comparison is paired and from one machine. Keep the machine otherwise quiet.
set -euo pipefail
PY=${PY:-python}
CKPT=${1:?usage: scripts/judge_candidate.sh CHECKPOINT OUTDIR}
OUTDIR=${2:?usage: scripts/judge_candidate.sh CHECKPOINT OUTDIR}
BUNDLED=src/odia_ocr/models/odia-crnn-wide.onnx
mkdir -p "$OUTDIR"
"$PY" scripts/ship_model.py "$CKPT" --name odia-crnn-wide --out "$OUTDIR" > "$OUTDIR/ship.log" 2>&1 \
  || { echo "judge_candidate: export failed, see $OUTDIR/ship.log" >&2; exit 1; }
tail -n 3 "$OUTDIR/ship.log"
MODEL=$OUTDIR/odia-crnn-wide.onnx
if [ ! -d runs/fonts/unseen ]; then "$PY" scripts/fetch_unseen_font.py; fi
for seed in 77 78; do
  echo "== training fonts, family-drawn, seed $seed"
  "$PY" scripts/tune_recheck.py --model "$MODEL" --against "$BUNDLED" --config configs/crnn-xl-fam.toml \
    --taus 0.9 --seed "$seed" --out "$OUTDIR/recheck-$seed.json" | tail -n 4
done
for seed in 91 92; do
  echo "== unseen font (Baloo Bhaina 2), seed $seed"
  "$PY" scripts/tune_recheck.py --model "$MODEL" --against "$BUNDLED" --config configs/crnn-xl-fam.toml \
    --fonts runs/fonts/unseen --taus 0.9 --seed "$seed" --out "$OUTDIR/recheck-$seed.json" | tail -n 4
done
if [ -n "${BENCH:-}" ]; then
  echo "== line benchmark"
  "$PY" benchmarks/run_engines.py --engines "default,default@model=$MODEL" --out "$OUTDIR/bench" | tail -n 12
  a=$OUTDIR/bench/synth-engines/default
  b=$(find "$OUTDIR/bench/synth-engines" -maxdepth 1 -name 'default_model_*' | head -n 1)
  "$PY" benchmarks/compare_runs.py "$a" "$b" --out "$OUTDIR/bench"
fi
