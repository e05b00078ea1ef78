"""The synthetic page benchmark set: held-out text on every font family and degradation level, built once.

Text comes from the OdiaNLP corpus, which training never reads; the
held-out family (Lohit Odia) never appears in training data. Pages cycle
through the fonts and the named degradation levels, so every font and level
is represented. The set is cached in the standard format and rebuilt only
when asked, and is a pure function of the seed and the installed fonts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bench_io import repo_root
from odia_ocr.synth.corpus import TextSampler, load_corpus_lines
from odia_ocr.synth.fonts import DEFAULT_HELDOUT_FAMILIES, discover_fonts
from odia_ocr.synth.pages import PageSynthesizer, write_page_dataset

SHARED = repo_root().parent / "shared" / "data"
LEVELS = ("clean", "light", "medium", "strong")
_CITATION = re.compile(r"\s*\[\d+\]")

__all__ = ["SHARED", "build_page_set", "load_page_set"]


def build_page_set(
    out: Path, count: int, seed: int = 0, fonts: str = "all", contents: bool = False, insets: bool = False
) -> Path:
    """Render ``count`` pages into ``out`` unless a set of that size and seed is there already.

    ``fonts``: "all" families in turn, or "heldout" (only the held-out family).
    ``contents``: every page is a table of contents instead of prose.
    ``insets``: two-column prose pages with an inset (captions and a picture) set across the gutter.
    """
    # version 2: paper grain at line scale; 3: only digits and marks the font has
    stamp: dict[str, Any] = {"count": count, "seed": seed, "fonts": fonts, "version": 3}
    if contents:
        stamp["contents"] = True
    if insets:
        stamp["insets"] = True
    if (out / "set.json").exists() and json.loads((out / "set.json").read_text()) == stamp:
        return out
    specs = discover_fonts([SHARED / "fonts"])
    if fonts == "heldout":
        specs = [f for f in specs if f.family in DEFAULT_HELDOUT_FAMILIES]
    families = sorted({f.family for f in specs})
    if not families:
        raise SystemExit("no fonts found for the page benchmark")
    text = [_CITATION.sub("", s) for s in load_corpus_lines([SHARED / "corpora" / "odianlp-nmt-or.txt"])]
    sampler = TextSampler(text, p_sentence=0.85, p_words=0.0)
    extra: dict[str, Any] = {"column_weights": (0.0, 1.0, 0.0), "inset_share": 1.0} if insets else {}
    synth = PageSynthesizer(specs, sampler, table_share=1.0 if contents else 0.0, **extra)
    if (out / "manifest.jsonl").exists():
        (out / "manifest.jsonl").unlink()

    def pages():
        for i in range(count):
            family = families[i % len(families)]
            styles = [f for f in specs if f.family == family]
            font = styles[(i // len(families)) % len(styles)]
            level = LEVELS[(i // len(families)) % len(LEVELS)]
            yield f"page-{seed}-{i:04d}", synth.sample((seed, i), level=level, font=font)

    write_page_dataset(out, pages(), "test", "synth-pages-bench")
    (out / "set.json").write_text(json.dumps(stamp))
    return out


def load_page_set(root: Path) -> list[dict[str, Any]]:
    """Manifest records of a page set, with ``image`` made absolute."""
    records = []
    for line in (root / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        r["image"] = str(root / r["image"])
        records.append(r)
    return records
