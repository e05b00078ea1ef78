"""Run one engine over a dataset and score every sample; bad samples are recorded, never fatal.

Images are loaded and scored outside the timed region, so the throughput is
the engine's own speed, comparable across engines and datasets.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from PIL import Image

from odia_ocr.data.images import ImageError, to_array
from odia_ocr.engines.base import Recognizer
from odia_ocr.metrics import ErrorCounts, score_pair

__all__ = ["BadSample", "EvalRun", "EvalSample", "PageRecognizer", "SampleResult", "evaluate"]


class EvalSample(Protocol):
    """What the runner needs of a dataset sample (``odia_ocr.data``'s ``Sample`` fits)."""

    id: str
    text: str
    source: str
    meta: Mapping[str, Any]

    def load(self) -> Image.Image: ...


@runtime_checkable
class PageRecognizer(Protocol):
    """An engine that reads a whole page image into text (used in page mode)."""

    name: str

    def recognize_page(self, image: np.ndarray) -> str: ...


@dataclass
class SampleResult:
    """One scored sample: what the engine read and how far it is from the reference."""

    id: str
    reference: str
    prediction: str
    confidence: float | None
    counts: ErrorCounts
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BadSample:
    """A sample that could not be evaluated, with a one-line reason."""

    id: str
    error: str


@dataclass
class EvalRun:
    """Everything one evaluation produced; reports are computed from this."""

    engine: str
    page_mode: bool
    results: list[SampleResult] = field(default_factory=list)
    bad: list[BadSample] = field(default_factory=list)
    engine_seconds: float = 0.0

    @property
    def total(self) -> ErrorCounts:
        total = ErrorCounts()
        for r in self.results:
            total += r.counts
        return total

    @property
    def items_per_second(self) -> float:
        """Lines (or pages, in page mode) read per second of engine time."""
        return len(self.results) / self.engine_seconds if self.engine_seconds > 0 else 0.0


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def evaluate(
    engine: Recognizer | PageRecognizer,
    samples: Iterable[EvalSample],
    page_mode: bool = False,
    batch_size: int = 16,
    on_problem: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> EvalRun:
    """Read and score ``samples`` with ``engine``.

    Line mode sends batches of ``batch_size`` images to ``engine.recognize``;
    page mode sends each image to ``engine.recognize_page`` and scores with
    whitespace collapsed. A sample whose image cannot be loaded, or that
    makes the engine fail, becomes a :class:`BadSample` (and is passed to
    ``on_problem`` as one line); the run goes on. ``on_progress`` gets the
    number of samples handled after each batch.
    """
    if page_mode and not isinstance(engine, PageRecognizer):
        raise TypeError(f"engine {engine.name!r} cannot read whole pages (it has no recognize_page)")
    run = EvalRun(engine=engine.name, page_mode=page_mode)

    def bad(sample_id: str, message: str) -> None:
        run.bad.append(BadSample(sample_id, message))
        if on_problem:
            on_problem(f"{sample_id}: {message}")

    batch: list[tuple[EvalSample, np.ndarray]] = []
    handled = 0

    def flush() -> None:
        nonlocal handled
        if batch:
            _read_batch(engine, batch, run, page_mode, bad)
            handled += len(batch)
            batch.clear()
        if on_progress:
            on_progress(handled)

    for sample in samples:
        try:
            batch.append((sample, to_array(sample.load())))
        except (ImageError, OSError, ValueError) as err:
            handled += 1
            bad(str(sample.id), _one_line(err))
            continue
        if len(batch) >= (1 if page_mode else max(1, batch_size)):
            flush()
    flush()
    return run


def _recognize(engine: Any, images: Sequence[np.ndarray], page_mode: bool) -> list[tuple[str, float | None]]:
    if page_mode:
        return [(engine.recognize_page(img), None) for img in images]
    results = engine.recognize(images)
    if len(results) != len(images):
        raise RuntimeError(f"engine returned {len(results)} results for {len(images)} images")
    return [(r.text, float(r.confidence)) for r in results]


def _read_batch(
    engine: Any,
    batch: Sequence[tuple[EvalSample, np.ndarray]],
    run: EvalRun,
    page_mode: bool,
    bad: Callable[[str, str], None],
) -> None:
    images = [img for _, img in batch]
    start = time.perf_counter()
    try:
        outputs: list[tuple[str, float | None] | None] = list(_recognize(engine, images, page_mode))
        run.engine_seconds += time.perf_counter() - start
    except Exception:  # one bad image must not sink its batch: retry one by one
        run.engine_seconds += time.perf_counter() - start
        outputs = []
        for sample, img in batch:
            start = time.perf_counter()
            try:
                outputs.append(_recognize(engine, [img], page_mode)[0])
            except Exception as err:  # reported per sample, the run goes on
                outputs.append(None)
                bad(str(sample.id), f"engine failed: {_one_line(err)}")
            finally:
                run.engine_seconds += time.perf_counter() - start
    for (sample, _), out in zip(batch, outputs, strict=True):
        if out is None:
            continue
        text, conf = out
        run.results.append(SampleResult(
            id=str(sample.id),
            reference=sample.text,
            prediction=text,
            confidence=conf,
            counts=score_pair(sample.text, text, page_mode=page_mode),
            source=str(getattr(sample, "source", "") or ""),
            meta=dict(getattr(sample, "meta", None) or {}),
        ))
