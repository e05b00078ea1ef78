"""Cut a line at wide gaps between its detected segments, so each cell of a table row is read on its own.

A row of a table of contents is "12 । title", a long run of paper, then
"34". The recognizer learned lines whose words are a space apart; across
a gap several line heights wide it sees paper (and on a poor scan, paper
noise) for many frames and reads letters into it. A gap that wide cannot
be inside a word, so it is a word boundary wherever it occurs: the pieces
are read apart and joined with one space. The gaps come from the line
detector's segments, not from the pixels, so noise cannot hide them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from odia_ocr.engines.base import LineResult
from odia_ocr.pages.boxes import Box

__all__ = ["cell_spans", "join_cells"]


def cell_spans(line: Box, segments: Sequence[Box], max_gap: float = 1.5) -> list[tuple[int, int]]:
    """Column ranges ``[x0, x1)`` of ``line``, cut where its segments leave more than ``max_gap`` × its height.

    A segment belongs to the line when its centre lies inside the line's box.
    ``max_gap`` ≤ 0, or a line with fewer than two such segments, gives the
    whole line.
    """
    x0, y0, x1, y1 = line
    if max_gap <= 0:
        return [(x0, x1)]
    inside = sorted(
        (s for s in segments if x0 <= (s[0] + s[2]) / 2 <= x1 and y0 <= (s[1] + s[3]) / 2 <= y1),
        key=lambda s: s[0],
    )
    if len(inside) < 2:
        return [(x0, x1)]
    widest = max_gap * (y1 - y0)
    spans: list[tuple[int, int]] = []
    start, end = x0, inside[0][2]
    for s in inside[1:]:
        if s[0] - end > widest:
            spans.append((start, int(end)))
            start = int(s[0])
        end = max(end, s[2])
    spans.append((start, x1))
    return spans


def join_cells(results: Sequence[LineResult]) -> LineResult:
    """One line's result from its cells': texts joined by a space, confidence weighted by text length."""
    if len(results) == 1:
        return results[0]
    texts = [r.text.strip() for r in results]
    weights = np.array([max(len(t), 1) for t in texts], np.float64)
    confidence = float(np.dot(weights, [r.confidence for r in results]) / weights.sum())
    return LineResult(" ".join(t for t in texts if t), confidence)
