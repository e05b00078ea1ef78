#!/usr/bin/env bash
# Train a config (CONFIG, default configs/crnn-xl-gpu.toml) on a lent GPU machine and leave its results in $OUT.
#
# The machine has PyTorch but none of this repository's data, so the call carries `.gpu/` (ignored by git;
# scripts/prepare_gpu.sh builds it):
#   .gpu/whl/       Pillow (with raqm) and RapidFuzz wheels for the machine's Python 3.12
#   .gpu/lib/       libfribidi.so.0, which Pillow's raqm loads at run time to shape Odia conjuncts
#   .gpu/shared/    the fonts and corpora of ../shared/data that the config names
#   .gpu/sysfonts/  the Debian Odia fonts that discover_fonts() adds (copied to the same paths there)
# Results: $OUT/{best,last}-fp16.safetensors (16 MiB per file comes back), log.jsonl, config.json, train.out.
# It starts from the bundled `default` model's checkpoint; INIT=another model file starts from it instead;
# CONFIG=another training config; arguments are --set overrides (e.g. max_seconds=400 seed=22).
# The whole call must fit the lease: about 40 s to start the machine, 20 s of setup, max_seconds of training,
# 15 s to validate and pack.
# Locally (a CPU dry run, from a clone with .gpu/ and no ../shared beside it):
#   SKIP_WHEELS=1 PY=/work/main/.venv/bin/python OUT=/tmp/o scripts/gpu_train.sh max_seconds=20 num_workers=1 \
#     threads=2 device=cpu
set -euo pipefail
PY=${PY:-python3}
OUT=${OUT:?set OUT to a folder for the results}
RUN=${RUN:-runs/crnn-xl-gpu}
export PYTHONPATH=$PWD/src${PYTHONPATH:+:$PYTHONPATH}
if [ -z "${SKIP_WHEELS:-}" ]; then
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl
  export PYTHONPATH=/tmp/site:$PYTHONPATH
  export LD_LIBRARY_PATH=$PWD/.gpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
if [ -d .gpu/shared ] && [ ! -e ../shared ]; then ln -s "$PWD/.gpu/shared" ../shared; fi
if [ -d .gpu/sysfonts ]; then
  (cd .gpu/sysfonts && find . -type f | while read -r f; do mkdir -p "/${f%/*}" && cp -n "$f" "/$f"; done) \
    || echo "warning: could not copy the Debian fonts; training without them"
fi
export OMP_NUM_THREADS=1 PYTHONUNBUFFERED=1
"$PY" -c "from PIL import features; import sys; sys.exit(0 if features.check('raqm') else 'no raqm: Odia would render unshaped')"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
sets=()
for kv in "$@"; do sets+=(--set "$kv"); done
set +e
timeout -s TERM "${TRAIN_TIMEOUT:-540}" "$PY" -m odia_ocr train --config "${CONFIG:-configs/crnn-xl-gpu.toml}" \
  --init "${INIT:-checkpoints/crnn-xl-long4-step32000-fp16.safetensors}" --out "$RUN" --no-progress "${sets[@]}" 2>&1 | tee "$OUT/train.out"
rc=$?
set -e
echo "train exit status $rc"
for f in best last; do
  [ -f "$RUN/$f.safetensors" ] && "$PY" scripts/cast_model.py "$RUN/$f.safetensors" --dtype float16 --out "$OUT/$f-fp16.safetensors"
done
cp "$RUN/log.jsonl" "$RUN/config.json" "$OUT/"
ls -la "$OUT"
