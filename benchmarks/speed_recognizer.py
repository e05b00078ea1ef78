"""Speed and memory of the compact recognizer against Tesseract, measured in the same run.

    python benchmarks/speed_recognizer.py --data bench-out/synth-bench --lines 200

Reports batched lines/s of the compact model with greedy decoding (engine
`compact`) and with beam search + the bundled character LM (engine `default`,
what `odia-ocr read` uses), Tesseract lines/s on the same lines, the ratios,
the peak RSS of `odia-ocr read` on 100 line images (a separate process,
measured with getrusage), and the wall time of a whole `odia-ocr read` command
on one line image, start-up included. Targets (issue #3): >=150 lines/s, >=25x
Tesseract, <=400 MB. As a same-run baseline for the engine's batch
pipelining, `compact` is also timed with one batch at a time on all threads
(``workers=1``), as the engine ran before it had worker threads, and
`default` without deskewing (``deskew=False``), as it ran before 2026-11-27.

The ratio to Tesseract is also measured in interleaved rounds (``--rounds``):
each round times `compact` on the lines and then Tesseract on its share of
them, back to back, so both see the same moment of a shared machine. This
machine's throughput drifts by a third within a minute, and the one-off
figures above, taken minutes apart, carry that drift into their ratio; the
median of the per-round ratios, with its range, does not.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench_io import machine_info, machine_line
from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.registry import create_engine


def _manifest_images(data: Path, n: int) -> list[Path]:
    rows = [json.loads(x) for x in (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[:n]]
    return [data / r["image"] for r in rows]


def _lines_per_s(engine_name: str, images: list[np.ndarray], model: str | None, repeats: int,
                 **options: object) -> float:
    opts = {"model": model, **options} if model else options
    engine = create_engine(engine_name, **opts)
    engine.recognize(images[:8])  # warm-up
    best = 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        engine.recognize(images)
        best = max(best, len(images) / (time.perf_counter() - t))
    return best


def _interleaved_ratios(images: list[np.ndarray], model: str | None, tess_lines: int,
                        rounds: int) -> list[tuple[float, float]]:
    """(compact lines/s, Tesseract lines/s) per round, each pair timed back to back on the same lines."""
    opts = {"model": model} if model else {}
    compact, tess = create_engine("compact", **opts), create_engine("tesseract")
    compact.recognize(images[:8])
    tess.recognize(images[:2])
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        compact.recognize(images)
        c = len(images) / (time.perf_counter() - t)
        t = time.perf_counter()
        tess.recognize(images[:tess_lines])
        out.append((c, tess_lines / (time.perf_counter() - t)))
    return out


def _read_command(paths: list[Path], model: str | None) -> list[str]:
    """`odia-ocr read PATHS` in a fresh interpreter, with ``--model`` when one is given."""
    return [sys.executable, "-m", "odia_ocr", "read", *map(str, paths), *(["--model", model] if model else [])]


def _one_file_seconds(path: Path, model: str | None, repeats: int = 3) -> float:
    """Wall time of a whole `odia-ocr read FILE` command on one line image (start-up included), best of ``repeats``.

    What a user waits for reading one image: interpreter start, imports, loading
    the model, LM and word list, and the reading itself.
    """
    cmd = _read_command([path], model)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best


def _peak_rss_mb(paths: list[Path], model: str | None) -> float:
    subprocess.run(_read_command(paths, model), check=True, stdout=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="bench-out/synth-bench", help="a line dataset in the standard format")
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--model", help="compact model (.onnx); default: the bundled one")
    ap.add_argument("--tesseract-lines", type=int, default=100, help="Tesseract is slow: time it on fewer lines")
    ap.add_argument("--rounds", type=int, default=7, help="interleaved compact/Tesseract rounds for the ratio")
    ap.add_argument("--out", default="bench-out/speed_recognizer.json")
    args = ap.parse_args()
    paths = _manifest_images(Path(args.data), args.lines)
    images = [to_array(load_image(p)) for p in paths]
    compact = _lines_per_s("compact", images, args.model, 3)
    serial = _lines_per_s("compact", images, args.model, 3, workers=1)
    default = _lines_per_s("default", images, args.model, 3)
    no_deskew = _lines_per_s("default", images, args.model, 3, deskew=False)
    tess = _lines_per_s("tesseract", images[: args.tesseract_lines], None, 1)
    rounds = _interleaved_ratios(images, args.model, min(args.tesseract_lines, len(images)), max(1, args.rounds))
    ratios = sorted(c / t for c, t in rounds)
    rss = _peak_rss_mb(paths[:100], args.model)
    one_file = _one_file_seconds(paths[0], args.model)
    result = {
        "machine": machine_line(machine_info()),
        "lines": len(images),
        "compact_lines_per_s": round(compact, 1),
        "compact_one_batch_at_a_time_lines_per_s": round(serial, 1),
        "default_lm_lines_per_s": round(default, 1),
        "default_lm_no_deskew_lines_per_s": round(no_deskew, 1),
        "tesseract_lines_per_s": round(tess, 2),
        "speedup_vs_tesseract": round(compact / tess, 1),
        "default_lm_speedup_vs_tesseract": round(default / tess, 1),
        "interleaved_rounds": [{"compact_lines_per_s": round(c, 1), "tesseract_lines_per_s": round(t, 2),
                                "ratio": round(c / t, 1)} for c, t in rounds],
        "speedup_vs_tesseract_interleaved_median": round(float(np.median(ratios)), 1),
        "read_100_lines_peak_rss_mb": round(rss, 1),
        "read_one_line_command_seconds": round(one_file, 2),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(result["machine"])
    print("| engine | lines/s |\n|---|---|")
    print(f"| compact, greedy (ONNX Runtime) | {compact:.1f} |\n| default, beam + LM | {default:.1f} |")
    print(f"| default without deskewing (--no-deskew) | {no_deskew:.1f} |")
    print(f"| compact, one batch at a time (workers=1) | {serial:.1f} |")
    print(f"| tesseract ori (psm 7) | {tess:.2f} |")
    print(f"speed-up: greedy {compact / tess:.1f}x, beam + LM {default / tess:.1f}x; "
          f"peak RSS of `odia-ocr read` on 100 lines: {rss:.0f} MB; "
          f"`odia-ocr read` of one line image, start-up included: {one_file:.2f} s")
    print(f"greedy speed-up in {len(rounds)} interleaved rounds: median {np.median(ratios):.1f}x "
          f"(range {ratios[0]:.1f}-{ratios[-1]:.1f}x; per round: "
          + ", ".join(f"{c:.0f}/{t:.1f}" for c, t in rounds) + " lines/s compact/Tesseract)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
