"""Whether degraded text is still readable, judged from pixels against the clean ink mask.

Degradation is drawn at random, and rare mixes (heavy noise, then binarization
and ink bleed) bury the text in blobs that no reader could decode. A sample
whose label cannot be read from its pixels teaches a model to guess and makes a
benchmark measure noise, so the page renderer redraws such pages more mildly.
Single lines keep the coarser ink-count check of `synth.lines.legible`: on
strong-level lines this criterion flagged blurred or unevenly lit lines that
are easy to read as often as buried ones (checked by eye on 400 renders).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["MAX_CONFUSABLE", "confusable_share", "text_legible"]

#: Share of paper pixels (away from any letter) allowed to be as dark as the median letter pixel.
MAX_CONFUSABLE = 0.03


def confusable_share(mask: np.ndarray, image: np.ndarray, inverted: bool = False) -> float:
    """Share of paper pixels at least as dark as the median letter pixel.

    ``mask`` is the clean ink (uint8, ink = 255) in the image's geometry. On a
    legible image, however noisy, such paper pixels are rare; where light,
    grain and binarization turned regions black they are many, and the text
    there is gone for any reader. Returns 0.0 when it cannot be judged.
    """
    if image.shape != mask.shape:
        return 0.0
    text = mask > 127
    if not text.any():
        return 0.0
    paper = cv2.dilate(mask, np.ones((7, 7), np.uint8)) == 0
    if not paper.any():
        return 0.0
    grey = 255 - image if inverted else image
    median_text = float(np.median(grey[text]))
    return float((grey[paper] <= median_text).mean())


def text_legible(mask: np.ndarray, image: np.ndarray, inverted: bool = False,
                 max_confusable: float = MAX_CONFUSABLE) -> bool:
    """Whether the text of ``mask`` still stands out from the paper in ``image``."""
    return confusable_share(mask, image, inverted) <= max_confusable
