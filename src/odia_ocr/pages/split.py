"""Cut detector segments that run across a column gutter, where the page shows paper.

A line detector on a noisy page, or on columns set close together, now and
then draws one box over the ends of two lines side by side, or a box a
little long, into the first letters of the next column. Layout works on
boxes only, and such a box blocks the white channel that tells a gutter
from a word gap, or overlaps the line beside it, so the two columns' lines
are joined and read as one. The page's gutters are found from all its boxes
(:func:`~odia_ocr.pages.layout.page_gutter_spans`), where a few boxes across them
do not hide them. A body-text box that crosses one is cut there when its
pixels show a run of paper there at least half the gutter's width, and the
line above or below it stops at the gutter. A title set across the columns
is taller than body text, and a paragraph set across the page has lines
above and below it that cross the gutter too, and word gaps narrower than a
gutter: both stay whole.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from odia_ocr.pages.boxes import Box, margin_beside, median_height
from odia_ocr.pages.layout import page_gutter_spans

__all__ = ["split_at_gutters"]

#: A pixel is ink when darker than this on a contrast-normalized page (paper near 255).
_INK = 128


def split_at_gutters(grey: np.ndarray, segments: Sequence[Box], min_gap: float = 0.3) -> list[Box]:
    """``segments`` with each box that runs across a page gutter cut in two at the paper there.

    ``grey`` is the page the segments were detected on, dark ink on light
    paper. A box of body-text height is cut at a gutter when, noise filtered
    out, a run of columns without ink reaches to within a quarter line height
    of the gutter's middle, is at least half as wide as the gutter and wider
    than ``min_gap`` line heights and than the box's margin
    (:func:`~odia_ocr.pages.boxes.margin_beside`),
    and a line just above or below it stops at the gutter rather than
    running across it: the lines of a paragraph set across the whole page
    run across too, and their word gaps are narrower than a gutter. The
    pieces keep the box's rows.
    """
    boxes = [(int(s[0]), int(s[1]), int(s[2]), int(s[3])) for s in segments if s[2] > s[0] and s[3] > s[1]]
    if len(boxes) < 2:
        return boxes
    spans = page_gutter_spans(boxes)
    if not spans:
        return boxes
    usual = median_height(boxes)
    for _ in range(3):  # a cut box can be the line above that lets the next one be cut
        out: list[Box] = []
        for box in boxes:
            cuts = [g for g in spans if _in_columns(box, (g[0] + g[1]) // 2, boxes, usual)]
            out += _cut(grey, box, cuts, usual, max(min_gap * usual, margin_beside(box, boxes)))
        if len(out) == len(boxes):
            break
        boxes = out
    return out


def _in_columns(box: Box, x: int, boxes: Sequence[Box], usual: float) -> bool:
    """Whether ``box`` crosses ``x`` (a line height past it on one side at least), is of body height, and a
    line just above or below it, near ``x``, stops at ``x`` instead of crossing it."""
    x0, y0, x1, y1 = box
    if not (x0 < x < x1) or max(x - x0, x1 - x) < usual or y1 - y0 > 1.5 * usual:
        return False
    for b in boxes:
        above = 0 <= y0 - b[3] < 1.5 * usual and b[1] < y0
        below = 0 <= b[1] - y1 < 1.5 * usual and b[3] > y1
        near = b[0] - 3 * usual < x < b[2] + 3 * usual  # a gutter can be a few line heights wide
        if (above or below) and near and not b[0] < x < b[2]:
            return True
    return False


def _cut(grey: np.ndarray, box: Box, spans: Sequence[tuple[int, int]], usual: float, min_white: float) -> list[Box]:
    """``box`` cut at each gutter of ``spans`` where its paper runs wider than ``min_white`` pixels and half
    the gutter, within a quarter line height of the gutter's middle."""
    x0, y0, x1, y1 = box
    for g in spans:
        x = (g[0] + g[1]) // 2
        if not x0 < x < x1:
            continue
        reach = int(max(usual, g[1] - g[0]))
        lo, hi = max(x0, x - reach), min(x1, x + reach)
        crop = cv2.medianBlur(np.ascontiguousarray(grey[y0:y1, lo:hi]), 3)  # paper noise is not ink
        start, width = _widest_white((crop < _INK).sum(axis=0) >= 2)
        a, b = lo + start, lo + start + width
        if width > min_white and width >= (g[1] - g[0]) / 2 and a - usual / 4 <= x <= b + usual / 4:
            rest = [h for h in spans if h != g]
            # a piece narrower than a quarter line height is a sliver of the other column's box edge
            pieces = [q for q in ((x0, y0, a, y1), (b, y0, x1, y1)) if q[2] - q[0] >= usual / 4]
            return [q for piece in pieces for q in _cut(grey, piece, rest, usual, min_white)]
    return [box]


def _widest_white(inked: np.ndarray) -> tuple[int, int]:
    """Start and length of the longest run of False in ``inked`` (0, 0 when there is none)."""
    best = (0, 0)
    run_start = -1
    for i, v in enumerate([*inked.tolist(), True]):
        if not v and run_start < 0:
            run_start = i
        elif v and run_start >= 0:
            if i - run_start > best[1]:
                best = (run_start, i - run_start)
            run_start = -1
    return best
