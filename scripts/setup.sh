#!/usr/bin/env bash
# Set up odia-ocr on a fresh Debian machine (run as root): system packages, a virtualenv, the package.
#   scripts/setup.sh          core only: read images with the bundled model (no torch)
#   scripts/setup.sh dev      everything needed by the test suite: train, vlm, serve, hf and dev extras
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-core}"
VENV="${VENV:-.venv}"

APT_PKGS="tesseract-ocr tesseract-ocr-ori tesseract-ocr-script-orya fonts-noto-core fonts-lohit-orya \
fonts-samyak-orya fonts-orya-extra poppler-utils"
missing=""
for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "setup: please install:$missing (needs root)" >&2
  fi
fi

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PIP="$VENV/bin/pip"
"$PIP" install -q --upgrade pip >/dev/null 2>&1 || true
if [ "$MODE" = dev ]; then
  # CPU machines here carry these wheels on local disk; torchvision is needed by the Qwen2.5-VL processor.
  "$VENV/bin/python" -c "import torch, torchvision" 2>/dev/null || "$PIP" install -q torch==2.14.1 torchvision==0.29.1
  "$PIP" install -q -c constraints.txt -e ".[dev,train,vlm,serve,hf]"
else
  "$PIP" install -q -c constraints.txt .
fi
