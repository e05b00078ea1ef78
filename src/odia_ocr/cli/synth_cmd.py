"""`odia-ocr synth`: render synthetic Odia text lines (or pages) into a dataset."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from odia_ocr.cli.common import CliError, positive_int

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="output dataset folder (manifest.jsonl + images/)")
    parser.add_argument("--count", type=positive_int, default=1000, help="number of lines (default 1000)")
    parser.add_argument("--kind", choices=["lines", "pages"], default="lines", help="render lines or whole pages")
    parser.add_argument("--corpus", action="append", default=[], metavar="FILE",
                        help="text file(s), one sentence per line (repeatable; required)")
    parser.add_argument("--wordlist", action="append", default=[], metavar="FILE",
                        help="word list(s) for word-sequence lines (repeatable)")
    parser.add_argument("--font-dir", action="append", default=[], metavar="DIR",
                        help="extra font folders, one family per sub-folder (Debian's Odia fonts are always used)")
    parser.add_argument("--exclude-family", action="append", default=[], metavar="FAMILY",
                        help="font families to leave out (e.g. the held-out benchmark font)")
    parser.add_argument("--only-family", action="append", default=[], metavar="FAMILY", help="use only these families")
    parser.add_argument("--level", default="random", choices=["random", "clean", "light", "medium", "strong"],
                        help="degradation level (default: random strengths, as in training)")
    parser.add_argument("--letterpress", type=float, default=0.0, metavar="P",
                        help="share of lines printed as by letterpress: misaligned sorts, ragged, broken and uneven "
                        "ink, show-through (lines only; default 0)")
    parser.add_argument("--binarize", type=float, default=0.0, metavar="P",
                        help="share of degraded lines also binarized, as bitonal scans are, beyond their degradation's "
                        "own chance (lines only; default 0)")
    parser.add_argument("--contents", type=float, default=0.0, metavar="P",
                        help="pages: share of tables of contents (numbered titles with page numbers) (default 0)")
    parser.add_argument("--insets", type=float, default=0.0, metavar="P",
                        help="pages: share of two-column pages with an inset (captions, a picture) across the gutter "
                             "(default 0)")
    parser.add_argument("--min-chars", type=positive_int, default=8)
    parser.add_argument("--max-chars", type=positive_int, default=48)
    parser.add_argument("--sizes", default="18,40", help="font size range in pixels, MIN,MAX (default 18,40)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="synth", help="value of the `source` column")
    parser.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from odia_ocr.synth.corpus import load_corpus_lines, read_wordlist
    from odia_ocr.synth.fonts import discover_fonts

    if not args.corpus:
        raise CliError("give at least one --corpus text file")
    for name in ("letterpress", "binarize", "contents", "insets"):
        if not 0.0 <= getattr(args, name) <= 1.0:
            raise CliError(f"--{name} {getattr(args, name)}: must be a share in [0, 1]")
    for f in args.corpus + args.wordlist:
        if not Path(f).is_file():
            raise CliError(f"{f}: file not found")
    try:
        fonts = discover_fonts(args.font_dir)
    except FileNotFoundError as err:
        raise CliError(str(err)) from None
    fonts = [f for f in fonts if f.family not in args.exclude_family]
    if args.only_family:
        fonts = [f for f in fonts if f.family in args.only_family]
    if not fonts:
        raise CliError("no Odia fonts found (install fonts-noto-core / fonts-lohit-orya, or give --font-dir)")
    sentences = load_corpus_lines(args.corpus)
    words = [w for p in args.wordlist for w in read_wordlist(p)]
    if not sentences and not words:
        raise CliError("the corpus files hold no usable Odia text")
    try:
        lo, hi = (int(x) for x in args.sizes.split(","))
    except ValueError:
        raise CliError(f"--sizes {args.sizes!r}: expected MIN,MAX") from None
    out = Path(args.out)
    if args.kind == "pages":
        from odia_ocr.synth.pages import write_pages  # rendered by the page module

        written = write_pages(fonts, sentences, out, args.count, seed=args.seed, level=args.level, source=args.source,
                              table_share=args.contents, inset_share=args.insets)
    else:
        from odia_ocr.synth.writer import LineJob, write_lines

        job = LineJob(tuple(fonts), tuple(sentences), tuple(words), args.seed,
                      None if args.level == "random" else args.level, args.min_chars, args.max_chars, (lo, hi),
                      args.source, args.letterpress, args.binarize)
        written = 0
        with tqdm(total=args.count, unit="line") as bar:
            for written in write_lines(job, out, args.count, args.workers):
                bar.update(written - bar.n)
    (out / "fonts.json").write_text(json.dumps(
        sorted({(f.family, f.license) for f in fonts}), ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {written} {args.kind} to {out}")
    return 0
