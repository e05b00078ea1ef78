#!/usr/bin/env bash
# Build .gpu/, everything scripts/gpu_train.sh needs on a lent GPU machine that this repository does not hold.
#
#   scripts/prepare_gpu.sh
#
# Why a script: a GPU lease is 15 minutes in all, and nothing outside the machine can be reached from it, so the
# wheels, the fonts and the corpora must travel with the call (`carry: [".gpu"]`), ready before the lease starts.
# The machine's image has Python 3.12 with PyTorch, NumPy, OpenCV, ONNX Runtime and safetensors (see
# /work/.library/device/KINDS.md); the training path imports nothing else of ours but Pillow and RapidFuzz.
# What it writes (about 20 MB; the working tree and its carried paths may hold 64 MiB in all, which is why only
# the bundled models' checkpoints stay in checkpoints/):
#   .gpu/whl/       Pillow and RapidFuzz wheels for CPython 3.12, the versions installed here
#   .gpu/lib/       libfribidi.so.0, which Pillow's raqm loads at run time to shape Odia conjuncts
#   .gpu/shared/    ../shared/data's fonts and the training corpora (gpu_train.sh links ../shared to it there);
#                   the benchmark's text (odianlp-nmt-or.txt) stays behind
#   .gpu/sysfonts/  the Debian Odia fonts of odia_ocr.synth.fonts.SYSTEM_FONT_FILES but the held-out ones (Lohit),
#                   under their full paths
# Then, with a machine lent:  run(command="OUT=$OUT scripts/gpu_train.sh max_seconds=400", carry=[".gpu"]).
# gpu_train.sh starts from the bundled model's checkpoint; to start from another file, copy it into .gpu/ and
# set INIT to it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
SHARED=${SHARED:-../shared/data}
[ -d "$SHARED/fonts" ] || { echo "prepare_gpu.sh: $SHARED/fonts: not found (set SHARED)" >&2; exit 2; }

version() { "$PY" -c "import importlib.metadata as m; print(m.version('$1'))"; }
rm -rf .gpu
mkdir -p .gpu/whl .gpu/lib .gpu/shared/data/corpora/tesseract-langdata .gpu/sysfonts
platforms=()
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64; do
  platforms+=(--platform "$p")
done
"$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" \
  -d .gpu/whl "pillow==$(version pillow)" "rapidfuzz==$(version rapidfuzz)"

fribidi=$("$PY" -c "import ctypes.util; print(ctypes.util.find_library('fribidi') or '')")
[ -n "$fribidi" ] || { echo "prepare_gpu.sh: libfribidi not found here (apt-get install libfribidi0)" >&2; exit 2; }
cp -L "/usr/lib/x86_64-linux-gnu/$fribidi" .gpu/lib/libfribidi.so.0

cp -r "$SHARED/fonts" .gpu/shared/data/
for f in common-voice-or.txt ud-odia-odtb.txt ud-odia-odtb.LICENSE.txt tesseract-langdata/ori.wordlist \
         tesseract-langdata/LICENSE; do
  cp "$SHARED/corpora/$f" ".gpu/shared/data/corpora/$f"
done
"$PY" - <<'EOF'
import shutil
from pathlib import Path

from odia_ocr.synth.fonts import DEFAULT_HELDOUT_FAMILIES, SYSTEM_FONT_FILES

for path, (family, _) in SYSTEM_FONT_FILES.items():
    if family in DEFAULT_HELDOUT_FAMILIES:
        continue  # a benchmark font: it never travels to training
    if Path(path).is_file():
        dest = Path(".gpu/sysfonts") / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    else:
        print(f"prepare_gpu.sh: {path}: not installed here, so it will not be trained on there")
EOF
du -sh .gpu
# What a call sends: tracked and untracked-but-not-ignored files, plus .gpu/. A run carried in checkpoints/
# (scripts/carry_checkpoint.py, 22 MB) can push it past the limit; say so here, before a lease is spent on it.
sent=$(( $(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1) \
         + $(du -sb .gpu | cut -f1) ))
limit=$(( 64 * 1024 * 1024 ))
echo "a call would send $(( sent / 1048576 )) MiB of the $(( limit / 1048576 )) MiB a call may carry"
if (( sent > limit )); then
  echo "prepare_gpu.sh: a call would send more than 64 MiB; move the carried checkpoints" \
       "(checkpoints/*-carry.safetensors, *-best-fp16.safetensors) out of the tree for the GPU call" >&2
  exit 1
fi
