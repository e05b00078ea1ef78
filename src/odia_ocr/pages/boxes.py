"""Axis-aligned pixel boxes: overlap, union and one-to-one matching for detection scores.

A box is ``(x0, y0, x1, y1)`` in pixels of the page image, x1/y1 exclusive,
origin at the top left, as in PIL and the standard dataset format.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Box",
    "DetectionScore",
    "box_iou",
    "margin_beside",
    "match_boxes",
    "median_height",
    "score_detection",
    "union_box",
]

Box = tuple[int, int, int, int]


def union_box(boxes: Iterable[Sequence[float]]) -> Box:
    """Smallest box that holds all ``boxes`` (which must not be empty)."""
    bs = list(boxes)
    if not bs:
        raise ValueError("union of no boxes")
    return (
        int(min(b[0] for b in bs)), int(min(b[1] for b in bs)),
        int(max(b[2] for b in bs)), int(max(b[3] for b in bs)),
    )


def median_height(boxes: Iterable[Sequence[float]]) -> float:
    """Median height of ``boxes``: a page's usual line height, the unit of layout thresholds; 0 for none."""
    heights = [b[3] - b[1] for b in boxes]
    return float(statistics.median(heights)) if heights else 0.0


def margin_beside(box: Sequence[int], others: Iterable[Sequence[int]]) -> float:
    """The white between ``box`` and the nearest of ``others`` left and right of it in its rows (the narrower
    of the two), or 0 when one side has none.

    Any shared row counts: an inset's caption keeps its own baseline, out of
    step with the column lines beside it. A caption set between two columns
    has a margin of a line height or more on both sides; a word of a line, or
    a box the detector drew over the ends of two lines, has text a word gap
    away on one side or nothing.
    """
    beside = [o for o in others if tuple(o) != tuple(box) and min(box[3], o[3]) > max(box[1], o[1])]
    left = [box[0] - o[2] for o in beside if o[2] <= box[0]]
    right = [o[0] - box[2] for o in beside if o[0] >= box[2]]
    return float(min(min(left), min(right))) if left and right else 0.0


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two boxes; 0 when either is empty."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area_a + area_b - inter)


def match_boxes(
    truth: Sequence[Sequence[float]], found: Sequence[Sequence[float]], min_iou: float = 0.5
) -> list[tuple[int, int, float]]:
    """One-to-one (truth index, found index, IoU) pairs, greedily by falling IoU.

    With a threshold of 0.5 or more a box can overlap at most one other box
    that much on each side, so greedy matching equals the optimal assignment.
    """
    pairs = [
        (box_iou(t, f), i, j) for i, t in enumerate(truth) for j, f in enumerate(found)
    ]
    pairs = sorted((p for p in pairs if p[0] >= min_iou), reverse=True)
    used_t: set[int] = set()
    used_f: set[int] = set()
    out = []
    for iou, i, j in pairs:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            out.append((i, j, iou))
    return out


@dataclass
class DetectionScore:
    """Matched, found and true line counts, summed over pages; precision and recall from them."""

    matched: int = 0
    found: int = 0
    truth: int = 0

    def __iadd__(self, other: DetectionScore) -> DetectionScore:
        self.matched += other.matched
        self.found += other.found
        self.truth += other.truth
        return self

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_detection(
    truth: Sequence[Sequence[float]], found: Sequence[Sequence[float]], min_iou: float = 0.5
) -> DetectionScore:
    """Line-detection counts of one page at the given IoU threshold."""
    return DetectionScore(len(match_boxes(truth, found, min_iou)), len(found), len(truth))
