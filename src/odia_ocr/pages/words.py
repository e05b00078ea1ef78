"""Word boxes estimated from a line box and its text, for exports that want words.

Line recognizers report no character positions, so a line box is split in
proportion to the words' visible lengths: spacing marks and letters count
one unit, combining Odia signs (which stack on a letter) none, and each space
one unit. The boxes are close for even type and rough for mixed sizes;
exports and docs call them estimates.
"""

from __future__ import annotations

from odia_ocr.pages.boxes import Box
from odia_ocr.pages.results import Word
from odia_ocr.text import is_odia_mark

__all__ = ["estimate_words", "visible_length"]


def visible_length(text: str) -> int:
    """Characters that take horizontal room: everything except combining Odia signs."""
    return sum(1 for ch in text if not is_odia_mark(ch))


def estimate_words(text: str, box: Box, confidence: float) -> list[Word]:
    """The words of a line with boxes from a proportional split of ``box``; each gets the line's confidence."""
    words = text.split()
    if not words:
        return []
    x0, y0, x1, y1 = box
    units = [max(1, visible_length(w)) for w in words]
    total = sum(units) + (len(words) - 1)
    step = (x1 - x0) / total
    out, pos = [], 0.0
    for w, u in zip(words, units, strict=True):
        left, right = x0 + pos * step, x0 + (pos + u) * step
        out.append(Word(w, (round(left), y0, max(round(right), round(left) + 1), y1), confidence))
        pos += u + 1
    return out
