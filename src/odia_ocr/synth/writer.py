"""Write synthetic line samples as a dataset in the project's standard format.

Standard format: ``DIR/manifest.jsonl`` (one JSON object per sample: id,
image, text, source, split and metadata) plus ``DIR/images/``. Samples are
rendered in worker processes in fixed chunks; each is a pure function of
(seed, index), so the output does not depend on the number of workers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2

from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.fonts import FontSpec
from odia_ocr.synth.lines import LineSynthesizer

__all__ = ["LineJob", "write_lines"]


@dataclass(frozen=True)
class LineJob:
    fonts: tuple[FontSpec, ...]
    sentences: tuple[str, ...]
    words: tuple[str, ...]
    seed: int
    level: str | None
    min_chars: int
    max_chars: int
    sizes: tuple[int, int]
    source: str
    letterpress: float = 0.0  # share of lines printed as by letterpress (synth/letterpress.py)
    binarize: float = 0.0  # share of degraded lines also binarized (LineSynthesizer's p_binarize)


def _render_chunk(job: LineJob, out: str, start: int, stop: int) -> list[dict[str, object]]:
    syn = LineSynthesizer(job.fonts, TextSampler(job.sentences, job.words), job.sizes, p_letterpress=job.letterpress,
                          p_binarize=job.binarize)
    rows = []
    for i in range(start, stop):
        length = job.min_chars + (i * 7919 + job.seed) % max(1, job.max_chars - job.min_chars + 1)
        s = syn.sample([job.seed, i], target_len=length, level=job.level)
        name = f"images/{i:07d}.png"
        cv2.imwrite(str(Path(out) / name), s.image)
        rows.append({"id": f"{job.source}-{i:07d}", "image": name, "text": s.text, "source": job.source,
                     "font": s.font.split("/")[0], "style": s.font, "level": s.level, "size": s.size, **s.meta})
    return rows


def write_lines(job: LineJob, out_dir: str | Path, count: int, workers: int = 1, chunk: int = 200) -> Iterator[int]:
    """Render ``count`` lines into ``out_dir``; yields the number written so far (for progress)."""
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    bounds: Sequence[tuple[int, int]] = [(a, min(count, a + chunk)) for a in range(0, count, chunk)]
    done = 0
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        if workers <= 1:
            results = (_render_chunk(job, str(out), a, b) for a, b in bounds)
            for rows in results:
                for r in rows:
                    manifest.write(json.dumps(r, ensure_ascii=False) + "\n")
                done += len(rows)
                yield done
            return
        with ProcessPoolExecutor(workers) as pool:
            futures = [pool.submit(_render_chunk, job, str(out), a, b) for a, b in bounds]
            for f in futures:  # in order, so the manifest is deterministic
                rows = f.result()
                for r in rows:
                    manifest.write(json.dumps(r, ensure_ascii=False) + "\n")
                done += len(rows)
                yield done
