"""Fetch an Odia font no model here was trained on, for validation only: Baloo Bhaina 2 (OFL-1.1), from npm.

    python scripts/fetch_unseen_font.py                      # -> runs/fonts/unseen/baloo-bhaina-2/*.ttf
    python scripts/tune_recheck.py --fonts runs/fonts/unseen --taus 0.9 --seed 91

Training draws from ../shared/data/fonts and Debian's Odia fonts, and the line
benchmark holds out Lohit Odia, so every decision checked on validation lines
saw only trained typefaces, and the only unseen one was the benchmark's.
Baloo Bhaina 2 (Ek Type, rounded, a design unlike the others) is a third kind:
seen neither in training nor in the benchmark. It comes from the npm registry
as `@fontsource/baloo-bhaina-2`, whose Odia subset is shipped as WOFF; fontTools
rewrites three weights as TrueType, which the renderer reads, with the
package's licence beside them. Nothing is added to the repository; never train
on this folder, or it stops being unseen.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont

PACKAGE = "@fontsource/baloo-bhaina-2@5.2.8"
FAMILY = "baloo-bhaina-2"
#: fontsource weight -> the style name the renderer's font discovery reads from the file name
WEIGHTS = {400: "Regular", 600: "SemiBold", 800: "ExtraBold"}


def fetch(out: Path) -> Path:
    """Download, unpack and convert the font into ``out``/baloo-bhaina-2; returns that folder."""
    if shutil.which("npm") is None:
        raise SystemExit("fetch_unseen_font: npm not found (apt-get install npm)")
    target = out / FAMILY
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, capture_output=True, text=True,
                              check=False)
        tgz = sorted(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tgz:
            message = (done.stderr.strip().splitlines() or ["no package file"])[-1]
            raise SystemExit(f"fetch_unseen_font: npm pack {PACKAGE} failed: {message}")
        with tarfile.open(tgz[0]) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        target.mkdir(parents=True, exist_ok=True)
        for weight, style in WEIGHTS.items():
            font = TTFont(package / "files" / f"{FAMILY}-oriya-{weight}-normal.woff")
            font.flavor = None
            font.save(target / f"BalooBhaina2-{style}.ttf")
        shutil.copyfile(package / "LICENSE", target / "OFL.txt")
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="runs/fonts/unseen", help="folder for the font family's sub-folder")
    args = ap.parse_args()
    target = fetch(Path(args.out))
    print(f"{target}: {', '.join(sorted(p.name for p in target.glob('*.ttf')))}; use --fonts {args.out}")


if __name__ == "__main__":
    main()
