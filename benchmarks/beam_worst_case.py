"""What the beam search's per-frame class limit (``BeamConfig.max_candidates``) costs and saves, in one run.

    python benchmarks/beam_worst_case.py [--data bench-out/synth-bench]

The `default` engine's network runs once on three sets of lines; each set's logits are then decoded twice,
with the shipped limit and with none, and the script prints the decoding time (whole set and slowest line)
and how many lines read differently:

- the line benchmark's lines, as the engine reads them (deskewed), where it should change next to nothing;
- speckle: lines of random black dots on white, 400 and 2000 pixels wide at the model's height, where the
  network is unsure of many classes at every frame;
- blank lines' logits (all paper), which the engine no longer decodes at all but which show the
  worst case the limit bounds.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.data import open_dataset
from odia_ocr.data.images import to_array
from odia_ocr.engines.compact import CompactEngine
from odia_ocr.engines.registry import create_engine
from odia_ocr.recognizer.beam import BeamConfig, beam_decode


def speckle_lines(count: int, seed: int = 0) -> list[np.ndarray]:
    """Grey lines of random dots (a fifth of the pixels black), alternately 400 and 2000 pixels wide."""
    rng = np.random.default_rng(seed)
    return [np.where(rng.random((32, 400 if i % 2 == 0 else 2000)) < 0.2, 0, 255).astype(np.uint8)
            for i in range(count)]


def decode_all(engine: CompactEngine, logits: list[np.ndarray], cfg: BeamConfig) -> tuple[list[str], float, float]:
    """Texts, total seconds and the slowest line's seconds of decoding ``logits`` with ``cfg``."""
    texts, worst, t0 = [], 0.0, time.perf_counter()
    for lg in logits:
        t = time.perf_counter()
        texts.append(beam_decode(lg, engine.charset, engine.lm, cfg, engine.lexicon).text)
        worst = max(worst, time.perf_counter() - t)
    return texts, time.perf_counter() - t0, worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(repo_root() / "bench-out" / "synth-bench"))
    ap.add_argument("--speckle", type=int, default=20, help="speckle lines")
    ap.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = ap.parse_args()
    info = machine_info()
    engine = create_engine("default")
    ds = open_dataset(args.data)
    sets = {
        f"line benchmark ({len(ds)} lines)": engine.logits([to_array(ds[i].load()) for i in range(len(ds))]),
        f"speckle ({args.speckle} lines)": engine.logits(speckle_lines(args.speckle)),
        "blank lines' logits (4 lines, 400 and 2000 pixels)": engine.logits(
            [np.full((32, w), 255, np.uint8) for w in (400, 2000, 400, 2000)]),
    }
    limit = engine.beam_cfg.max_candidates
    unlimited = replace(engine.beam_cfg, max_candidates=engine.charset.num_classes)
    rows = []
    for name, logits in sets.items():
        capped, t_cap, w_cap = decode_all(engine, logits, engine.beam_cfg)
        full, t_full, w_full = decode_all(engine, logits, unlimited)
        rows.append({"set": name, "differ": sum(a != b for a, b in zip(capped, full, strict=True)),
                     "s_limited": round(t_cap, 3), "s_unlimited": round(t_full, 3),
                     "worst_line_s_limited": round(w_cap, 4), "worst_line_s_unlimited": round(w_full, 4)})
    md = "\n".join([
        f"# Beam search with at most {limit} classes a frame against no limit (`default` engine, same logits)",
        "", machine_line(info), "",
        "| lines | read differently | decoding s, limited / unlimited | slowest line s, limited / unlimited |",
        "|:---|---:|---:|---:|",
        *[f"| {r['set']} | {r['differ']} | {r['s_limited']} / {r['s_unlimited']} | "
          f"{r['worst_line_s_limited']} / {r['worst_line_s_unlimited']} |" for r in rows],
    ])
    write_results(args.out, "beam_worst_case", md, {"machine": info, "max_candidates": limit, "rows": rows})
    print(md)


if __name__ == "__main__":
    main()
