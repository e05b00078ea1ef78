"""Scoring VLM output: corpus CER/WER/AER plus the rate of catastrophic failures.

A mean CER hides the way VLMs fail on OCR: most lines nearly perfect, a few
lost to a loop, an empty answer or a hallucinated sentence. The report
therefore also counts samples that looped, came back empty, or scored at
or above ``catastrophic_cer``; any of these makes a sample catastrophic.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from odia_ocr.data.images import ImageError
from odia_ocr.metrics import score_corpus
from odia_ocr.vlm.collator import ChatEncoder
from odia_ocr.vlm.data import SampleLike
from odia_ocr.vlm.generate import Generation, generate_texts

__all__ = ["EvalReport", "SampleScore", "evaluate_model", "score_generations"]


@dataclass
class SampleScore:
    id: str
    reference: str
    prediction: str
    cer: float
    confidence: float
    looped: bool
    empty: bool
    catastrophic: bool


@dataclass
class EvalReport:
    samples: int
    cer: float  # corpus: all edits / all reference characters
    wer: float
    aer: float
    mean_cer: float  # mean of per-sample CERs
    median_cer: float
    catastrophic_rate: float
    loop_rate: float
    empty_rate: float
    catastrophic_cer: float
    unreadable: int = 0  # samples whose image could not be loaded (not scored)
    seconds: float = 0.0
    per_sample: list[SampleScore] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The numbers without the per-sample rows (for logs, metadata and model cards)."""
        d = asdict(self)
        d.pop("per_sample")
        return {k: round(v, 6) if isinstance(v, float) else v for k, v in d.items()}


def score_generations(ids: Sequence[str], references: Sequence[str], generations: Sequence[Generation],
                      catastrophic_cer: float = 0.5) -> EvalReport:
    """The report for aligned ids, canonical references and generations."""
    hyps = [g.text for g in generations]
    total, per = score_corpus(references, hyps)
    rows = []
    for sid, ref, g, counts in zip(ids, references, generations, per, strict=True):
        empty = not g.text.strip() and bool(ref.strip())
        cer = counts.cer
        rows.append(SampleScore(sid, ref, g.text, round(cer, 6), round(g.confidence, 6), g.looped, empty,
                                g.looped or empty or cer >= catastrophic_cer))
    n = len(rows)
    cers = [r.cer for r in rows]

    def rate(flag: str) -> float:
        return sum(getattr(r, flag) for r in rows) / n if n else 0.0

    return EvalReport(
        samples=n, cer=total.cer, wer=total.wer, aer=total.aer,
        mean_cer=statistics.fmean(cers) if cers else 0.0, median_cer=statistics.median(cers) if cers else 0.0,
        catastrophic_rate=rate("catastrophic"), loop_rate=rate("looped"), empty_rate=rate("empty"),
        catastrophic_cer=catastrophic_cer, per_sample=rows,
    )


def evaluate_model(model: Any, encoder: ChatEncoder, samples: Sequence[SampleLike], batch_size: int = 8,
                   catastrophic_cer: float = 0.5, on_problem: Callable[[str], None] | None = None,
                   chunk: int = 64) -> EvalReport:
    """Generate for every sample and score; unreadable images are reported and counted, not scored."""
    start = time.perf_counter()
    ids: list[str] = []
    refs: list[str] = []
    gens: list[Generation] = []
    unreadable = 0
    for k in range(0, len(samples), chunk):  # bounded memory: images are decoded a chunk at a time
        images = []
        for sample in (samples[i] for i in range(k, min(k + chunk, len(samples)))):
            try:
                images.append(sample.load())
            except ImageError as err:
                unreadable += 1
                if on_problem:
                    on_problem(str(err))
                continue
            ids.append(sample.id)
            refs.append(sample.text)
        gens += generate_texts(model, encoder, images, batch_size)
    report = score_generations(ids, refs, gens, catastrophic_cer)
    report.unreadable = unreadable
    report.seconds = time.perf_counter() - start
    return report
