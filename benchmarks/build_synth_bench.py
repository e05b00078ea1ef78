"""Build the synthetic benchmark set: every font family × degradation level, from text training never sees.

Text comes only from the OdiaNLP corpus (never used for training), cut into
line-length spans; the held-out family (Lohit Odia) is never used for
training either, so its rows measure generalization to unseen type. The set
is written in the standard format and is a pure function of the seed and the
installed fonts.

    python benchmarks/build_synth_bench.py [--out bench-out/synth-bench] [--per-cell 25] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines
from odia_ocr.synth.degrade import LEVELS
from odia_ocr.synth.fonts import DEFAULT_HELDOUT_FAMILIES, FontSpec, discover_fonts
from odia_ocr.synth.lines import LineSynthesizer

SHARED = repo_root().parent / "shared" / "data"
_CITATION = re.compile(r"\s*\[\d+\]")


def line_spans(sentences: Sequence[str], rng: np.random.Generator, min_chars: int, max_chars: int) -> list[str]:
    """Cut sentences at word boundaries into spans of about ``min_chars``–``max_chars`` characters.

    Each span aims at its own random length, so the set has short and long
    lines as real crops do. Citation marks like "[3]" are Wikipedia artefacts,
    not text anyone prints, so they are dropped. Spans that are mostly not
    Odia (an English phrase cut out of a sentence) are dropped too: mixed
    lines stay, but an Odia benchmark should not be partly an English one.
    """
    spans: list[str] = []
    for sentence in sentences:
        words = _CITATION.sub("", sentence).split()
        target, current = int(rng.integers(min_chars, max_chars + 1)), []
        for w in words:
            if current and len(" ".join([*current, w])) > target:
                spans.append(" ".join(current))
                target, current = int(rng.integers(min_chars, max_chars + 1)), []
            current.append(w)
        if current:
            spans.append(" ".join(current))
    keep = sorted({s for s in spans if min_chars // 2 <= len(s) <= max_chars * 3 // 2 and _odia_share(s) >= 0.5})
    return [keep[i] for i in rng.permutation(len(keep))]


def _odia_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum("\u0b00" <= c <= "\u0b7f" for c in chars) / max(1, len(chars))


def _family_key(family: str) -> int:
    """A stable number per family, so adding a font does not reshuffle the others' samples."""
    return zlib.crc32(family.encode())


def build(
    out: Path, fonts: Sequence[FontSpec], spans: Sequence[str], per_cell: int, seed: int,
    heldout: Sequence[str], levels: Sequence[str],
) -> list[dict[str, object]]:
    syn = LineSynthesizer(fonts, TextSampler(spans))
    families = sorted({f.family for f in fonts})
    (out / "images").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    for family in families:
        styles = [f for f in fonts if f.family == family]
        for level in levels:
            for i in range(per_cell):
                key = [seed, _family_key(family), list(LEVELS).index(level), i]
                pick = np.random.default_rng([*key, 1])  # apart from the renderer's own draws
                style = styles[int(pick.integers(len(styles)))]
                start = int(pick.integers(len(spans)))
                text = next((spans[(start + j) % len(spans)] for j in range(len(spans))
                             if syn.covers(style, spans[(start + j) % len(spans)])), None)
                if text is None:
                    raise SystemExit(f"{style.name}: covers none of the benchmark texts")
                line = syn.sample(key, level=level, text=text, font=style)
                sample_id = f"{family}-{level}-{i:03d}"
                image = f"images/{sample_id}.png"
                cv2.imwrite(str(out / image), line.image)
                rows.append({
                    "id": sample_id, "image": image, "text": line.text, "source": "synth-bench", "split": "test",
                    "font": family, "style": line.font, "level": level, "heldout_font": family in heldout,
                    "size": line.size, **line.meta,
                })
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("bench-out/synth-bench"), help="dataset folder (replaced)")
    p.add_argument("--results", type=Path, default=Path("bench-out"), help="where build_synth_bench.md/.json go")
    p.add_argument("--per-cell", type=int, default=25, help="lines per font family × level (default 25)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "odianlp-nmt-or.txt",
                   help="held-out text (default: the OdiaNLP corpus, which training never uses)")
    p.add_argument("--font-dir", action="append", type=Path, default=None,
                   help="font folders (default: ../shared/data/fonts; Debian's Odia fonts are always added)")
    p.add_argument("--levels", default=",".join(LEVELS), help="comma-separated degradation levels")
    p.add_argument("--min-chars", type=int, default=12)
    p.add_argument("--max-chars", type=int, default=48)
    args = p.parse_args(argv)

    info = machine_info()
    print(machine_line(info))
    levels = [x.strip() for x in args.levels.split(",") if x.strip()]
    if unknown := [x for x in levels if x not in LEVELS]:
        p.error(f"unknown levels {unknown}; choose from {list(LEVELS)}")
    fonts = discover_fonts(args.font_dir or [SHARED / "fonts"])
    spans = line_spans(load_corpus_lines([args.corpus]), np.random.default_rng([args.seed, 0]),
                       args.min_chars, args.max_chars)
    if not spans:
        p.error(f"{args.corpus}: no usable text")
    if args.out.exists():
        if not (args.out / "manifest.jsonl").is_file() and any(args.out.iterdir()):
            p.error(f"{args.out} exists and is not a benchmark set; not replacing it")
        shutil.rmtree(args.out)
    start = time.perf_counter()
    rows = build(args.out, fonts, spans, args.per_cell, args.seed, DEFAULT_HELDOUT_FAMILIES, levels)
    seconds = time.perf_counter() - start

    cells = Counter((str(r["font"]), str(r["level"])) for r in rows)
    families = sorted({f for f, _ in cells})
    header = "| family | held out | " + " | ".join(levels) + " |\n|:---|:---:|" + "---:|" * len(levels)
    table = [header] + [
        f"| {fam} | {'yes' if fam in DEFAULT_HELDOUT_FAMILIES else ''} | "
        + " | ".join(str(cells[(fam, lv)]) for lv in levels) + " |"
        for fam in families
    ]
    texts = {str(r["text"]) for r in rows}
    md = "\n".join([
        "# Synthetic benchmark set", "", machine_line(info), "",
        f"{len(rows)} lines ({args.per_cell} per family × level), {len(texts)} distinct texts from "
        f"`{args.corpus.name}` (never used for training), seed {args.seed}, written to `{args.out}` "
        f"in {seconds:.1f} s.", "", *table,
    ])
    data = {"machine": info, "out": str(args.out), "seed": args.seed, "per_cell": args.per_cell, "levels": levels,
            "corpus": str(args.corpus), "lines": len(rows), "distinct_texts": len(texts), "seconds": round(seconds, 2),
            "families": families, "heldout_families": list(DEFAULT_HELDOUT_FAMILIES),
            "styles": sorted({f.name for f in fonts})}
    md_path, _ = write_results(args.results, "build_synth_bench", md, data)
    print(md)
    print(f"results: {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
