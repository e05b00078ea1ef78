"""How clearly the ink profiles tell across from down, on synthetic prose and contents pages (no recognizer).

    python benchmarks/pages_orientation.py [--count 40] [--seed 2]

Renders ``count`` prose pages and ``count`` tables of contents (training-side
text from Common Voice, every font, degradation levels in turn) and prints,
per kind, how many pages the profiles turned sideways by mistake and the
spread of :func:`~odia_ocr.pages.preprocess.orientation_margin`. The page
reader's ``quarter_turn_below`` (4.0) was chosen from these figures at seed 2.
"""

from __future__ import annotations

import argparse

import numpy as np

from bench_io import machine_info, machine_line, repo_root, write_results
from odia_ocr.pages.preprocess import prepare_page
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines
from odia_ocr.synth.degrade import LEVELS
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.pages import PageSynthesizer

SHARED = repo_root().parent / "shared" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--below", type=float, default=4.0, help="margin under which the reader tries a quarter turn")
    ap.add_argument("--out", default=str(repo_root() / "bench-out"))
    args = ap.parse_args()
    info = machine_info()
    fonts = discover_fonts([SHARED / "fonts"])
    sampler = TextSampler(load_corpus_lines([SHARED / "corpora" / "common-voice-or.txt"]), p_sentence=0.85,
                          p_words=0.0)
    levels = list(LEVELS)
    rows, data = [], {"machine": info, "count": args.count, "seed": args.seed, "below": args.below, "kinds": {}}
    for kind, share in (("prose", 0.0), ("contents", 1.0)):
        synth = PageSynthesizer(fonts, sampler, table_share=share)
        margins, turned = [], []
        for i in range(args.count):
            image = np.asarray(synth.sample((args.seed, i), level=levels[i % len(levels)]).image)
            prepared = prepare_page(image)  # the margin as the page reader sees it
            margins.append(prepared.orientation_margin)
            if prepared.rotation:
                turned.append(i)
        m = np.array(margins)
        below = int((m < args.below).sum())
        data["kinds"][kind] = {"turned": turned, "margins": [round(float(x), 3) for x in m], "below": below}
        rows.append(f"| {kind} | {args.count} | {len(turned)} {turned} | {m.min():.2f} | {np.median(m):.2f} "
                    f"| {below} |")
    md = "\n".join([
        "# Orientation margins of synthetic pages", "", machine_line(info), "",
        f"| pages | count | turned sideways by mistake | min margin | median margin | margin < {args.below} |",
        "|---|---|---|---|---|---|", *rows,
    ])
    print(md)
    write_results(args.out, "pages_orientation", md, data)


if __name__ == "__main__":
    main()
