"""How sure a CER is: bootstrap intervals over samples, for one run and for two runs on the same samples.

A benchmark level of 175 lines is a small sample, and a few badly damaged
lines hold most of its errors: three models of nearly equal quality read the
line benchmark's strong level at 4.09, 4.24 and 4.34% (docs/recognizer-log.md).
A CER without its uncertainty invites reading such differences as progress.

The sample (a line, or a page in page mode) is the unit that is resampled,
because errors cluster within lines; the rate of each resample is a corpus
rate (sum of edits over sum of reference characters), as every rate in the
reports is. Intervals are percentile bootstraps from a fixed seed, so a
report is a pure function of its predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = ["DEFAULT_RESAMPLES", "Difference", "cer_interval", "paired_difference"]

#: Resamples per interval: the ends of a 95% interval move by about a hundredth of a point between seeds.
DEFAULT_RESAMPLES = 2000

#: Resampled sample indices drawn per block, to bound memory on large runs (a block is at most this many ints).
_BLOCK = 4_000_000


class Difference(NamedTuple):
    """CER of run B minus CER of run A on the same samples, with a bootstrap interval of that difference."""

    cer_a: float
    cer_b: float
    diff: float  # cer_b - cer_a: negative when B reads better
    low: float
    high: float

    @property
    def clear(self) -> bool:
        """True when the interval excludes zero: the samples show a difference, not noise."""
        return self.low > 0 or self.high < 0


def _resampled_sums(columns: Sequence[np.ndarray], resamples: int, seed: int) -> list[np.ndarray]:
    """Per resample, the sum of each column over ``n`` samples drawn with replacement (the same draw for all)."""
    n = len(columns[0])
    rng = np.random.default_rng(seed)
    out = [np.empty(resamples, np.float64) for _ in columns]
    per_block = max(1, _BLOCK // max(1, n))
    for start in range(0, resamples, per_block):
        k = min(per_block, resamples - start)
        idx = rng.integers(0, n, size=(k, n))
        for col, acc in zip(columns, out, strict=True):
            acc[start : start + k] = col[idx].sum(axis=1)
    return out


def _check(edits: Sequence[int], chars: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    e, c = np.asarray(edits, np.float64), np.asarray(chars, np.float64)
    if e.shape != c.shape or e.ndim != 1:
        raise ValueError(f"edits and chars must be equally long lists (got {e.shape} and {c.shape})")
    return e, c


def _ends(values: np.ndarray, confidence: float) -> tuple[float, float]:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), not {confidence}")
    tail = (1 - confidence) / 2 * 100
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def cer_interval(edits: Sequence[int], chars: Sequence[int], confidence: float = 0.95,
                 resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> tuple[float, float]:
    """Bootstrap interval of the corpus CER ``sum(edits) / sum(chars)`` over samples.

    Samples without reference characters still count (their insertions are
    errors); a resample with no reference characters at all has rate 0.
    No samples give (0.0, 0.0).
    """
    e, c = _check(edits, chars)
    if len(e) == 0:
        return 0.0, 0.0
    se, sc = _resampled_sums([e, c], resamples, seed)
    return _ends(np.divide(se, sc, out=np.zeros_like(se), where=sc > 0), confidence)


def paired_difference(edits_a: Sequence[int], edits_b: Sequence[int], chars: Sequence[int],
                      confidence: float = 0.95, resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Difference:
    """CER of B minus CER of A on the same samples (same order), with a paired bootstrap interval.

    Pairing resamples a sample's two readings together, so the difference's
    interval is much narrower than the two runs' intervals suggest: both runs
    face the same hard lines.
    """
    a, c = _check(edits_a, chars)
    b, _ = _check(edits_b, chars)
    total = float(c.sum())
    cer_a, cer_b = (float(a.sum()) / total, float(b.sum()) / total) if total else (0.0, 0.0)
    if len(c) == 0:
        return Difference(cer_a, cer_b, 0.0, 0.0, 0.0)
    sa, sb, sc = _resampled_sums([a, b, c], resamples, seed)
    diffs = np.divide(sb - sa, sc, out=np.zeros_like(sc), where=sc > 0)
    low, high = _ends(diffs, confidence)
    return Difference(cer_a, cer_b, cer_b - cer_a, low, high)
