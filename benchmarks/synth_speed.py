"""Line-rendering throughput of the synthetic renderer (target: >=300 lines/s on 2 cores).

    python benchmarks/synth_speed.py --lines 2000

Renders the training mix (random degradation strengths) with `odia-ocr synth`'s
writer, single process and with one process per core, and reports lines/s
including PNG writing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench_io import machine_info, machine_line
from odia_ocr.synth.corpus import load_corpus_lines, read_wordlist
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.writer import LineJob, write_lines

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=2000)
    args = ap.parse_args()
    fonts = discover_fonts([SHARED / "fonts"])
    job = LineJob(
        tuple(fonts), tuple(load_corpus_lines([SHARED / "corpora" / "common-voice-or.txt"])),
        tuple(read_wordlist(SHARED / "corpora" / "tesseract-langdata" / "ori.wordlist")),
        0, None, 8, 48, (18, 40), "bench",
    )
    print(machine_line(machine_info()))
    print("| processes | lines | lines/s |\n|---|---|---|")
    for workers in sorted({1, os.cpu_count() or 1}):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            for _ in write_lines(job, tmp, args.lines, workers):
                pass
            dt = time.perf_counter() - t
        print(f"| {workers} | {args.lines} | {args.lines / dt:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
