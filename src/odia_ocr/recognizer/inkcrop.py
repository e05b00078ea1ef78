"""A second view of a line: cropped to its ink plus a fixed margin, so the text fills the model's height.

A line image's margins decide how large its glyphs are once scaled to the
model's 32-pixel input: a loose crop makes them small. Read once as given and
once cropped to the ink, a doubtful line is more often read right one way or the
other. Used by the engines' ``recheck_below`` option (``--recheck``), which is off
by default; scripts/tune_recheck.py measures it on validation lines.
"""

from __future__ import annotations

import cv2
import numpy as np

from odia_ocr.recognizer.preprocess import to_grey

__all__ = ["crop_to_ink", "ink_mask"]


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Boolean ink of a grey uint8 image: Otsu's threshold, either polarity, speckle removed by a 3×3 median."""
    _, bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if np.median(grey) < 128:  # light text on dark paper
        bw = 255 - bw
    return cv2.medianBlur(bw, 3) > 0


def crop_to_ink(img: np.ndarray, margin: float = 0.15) -> np.ndarray:
    """``img`` cropped to its ink box plus ``margin`` × the ink's height on every side (a view, not a copy).

    Ink is found with Otsu's threshold (either polarity) and a 3×3 median filter,
    so that speckle noise does not stretch the box; rows need 0.5% ink and
    columns 1%. An image without two ink rows and two ink columns comes back whole.
    """
    g = to_grey(img)
    if g.size == 0:
        return img
    ink = ink_mask(g)
    rows = np.flatnonzero(ink.mean(axis=1) > 0.005)
    cols = np.flatnonzero(ink.mean(axis=0) > 0.01)
    if len(rows) < 2 or len(cols) < 2:
        return img
    m = round(margin * (rows[-1] - rows[0] + 1))
    return img[max(0, rows[0] - m) : rows[-1] + 1 + m, max(0, cols[0] - m) : cols[-1] + 1 + m]
