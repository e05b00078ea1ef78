#!/usr/bin/env bash
# Every benchmark behind the README's numbers, in order; logs go to bench-out/log-*.txt.
# Run from the repository root with the project's virtualenv active (or PY=path/to/python).
# Takes about 25 minutes on the 2-core reference machine; the slow, model-independent
# parts (variants, rendering speed) run only with --all.
set -euo pipefail
PY=${PY:-python}
mkdir -p bench-out
run() { local name=$1; shift; echo "== $name: $*"; "$PY" "$@" 2>&1 | tee "bench-out/log-$name.txt" | tail -25; }

run synth-bench benchmarks/build_synth_bench.py
run synth       benchmarks/run_engines.py --engines tesseract,tesseract-script,compact,default,default@recheck_below=0,default@deskew=false,default@lexicon=false,default@model=src/odia_ocr/models/odia-crnn.onnx
run compare     benchmarks/compare_runs.py bench-out/synth-engines/tesseract-script bench-out/synth-engines/default
run confidence  benchmarks/confidence_bins.py bench-out/synth-engines/default
run artefacts   benchmarks/artefact_errors.py bench-out/synth-engines/default --level strong --out bench-out
run lm          benchmarks/lm_decoding.py
run real        benchmarks/run_real.py --engines tesseract,tesseract-script,compact,default
# The bundled models' cards quote the two runs above (the card's Benchmarks section is replaced whole).
run card-compact scripts/card_benchmarks.py src/odia_ocr/models/MODEL_CARD.md --engine compact \
                  --synth bench-out/synth-engines.json --real bench-out/real-engines.json
run card-default scripts/card_benchmarks.py src/odia_ocr/models/odia-crnn-wide.MODEL_CARD.md --engine default \
                  --synth bench-out/synth-engines.json --real bench-out/real-engines.json
run speed       benchmarks/speed_recognizer.py --data bench-out/synth-bench --lines 200
run pages       benchmarks/pages_read.py --engine default --detector rapidocr --sets synth,contents,insets,real --count 8 \
                  --seed 3 --data bench-out/synth-pages-heldout-s3 --contents-data bench-out/synth-contents-heldout-s3 \
                  --insets-data bench-out/synth-insets-heldout-s3
run pages-noinsets benchmarks/pages_read.py --engine default --detector rapidocr --sets insets --count 8 --seed 3 \
                  --insets-data bench-out/synth-insets-heldout-s3 --no-insets --no-baseline
run pages-before benchmarks/pages_read.py --engine default --detector rapidocr --sets synth,contents --count 8 \
                  --seed 3 --data bench-out/synth-pages-heldout-s3 --contents-data bench-out/synth-contents-heldout-s3 \
                  --no-table-rows --cell-gap 0 --no-baseline
run pagespeed-demy benchmarks/pages_speed.py --paper demy
run pagespeed-a4   benchmarks/pages_speed.py --paper a4
run pagesdet    benchmarks/pages_detection.py --count 48 --seed 3 --data bench-out/synth-pages-s3
run pagesorient benchmarks/pages_orientation.py --count 40 --seed 2
run pagesnoise  benchmarks/pages_noise.py --count 12 --seed 2
run batchdep    benchmarks/batch_dependence.py
run padding     benchmarks/padding_waste.py
run beamworst   benchmarks/beam_worst_case.py
run int8        benchmarks/int8_variants.py
if [[ "${1:-}" == "--all" ]]; then
  run variants  benchmarks/recognizer_variants.py
  run trainspeed benchmarks/training_speed.py
  run trainthroughput benchmarks/train_throughput.py --config configs/crnn-xl-long.toml --steps 30 --rounds 2
  run synthspeed benchmarks/synth_speed.py --lines 2000
fi
