"""A second view of a doubtful line: its top and bottom margins trimmed, so the text fills more of the height.

A line image's margins decide how large its glyphs are once scaled to the
model's 32-pixel input: a loose crop makes them small, and small, degraded
glyphs are where the model errs most. The engines read a line whose
confidence is below ``recheck_below`` a second time with a fixed share of its
height cut from the top and from the bottom, and keep the more confident of
the two readings. A fixed share, not the ink's box: on validation lines,
cropping to the ink (the earlier second view) gained about half as much,
because speckle and stains mislead the ink mask on exactly the lines that
need a second look. The share and the threshold were chosen on validation
lines with scripts/tune_recheck.py (docs/recognizer-log.md).
"""

from __future__ import annotations

import numpy as np

__all__ = ["TRIM", "trim_margins"]

#: Share of the height cut from the top and from the bottom (scripts/tune_recheck.py --trims).
TRIM = 0.06


def trim_margins(img: np.ndarray, share: float = TRIM) -> np.ndarray:
    """``img`` without ``share`` × its height at the top and at the bottom (a view, not a copy).

    At least one row is cut from each side when ``share`` is above 0; an image
    too low to lose them (under 8 rows left) comes back whole.
    """
    if share <= 0:
        return img
    h = img.shape[0]
    cut = max(1, round(share * h))
    return img if h - 2 * cut < 8 else img[cut : h - cut]
