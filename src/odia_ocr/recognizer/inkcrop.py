"""The ink of a line image, robust to polarity and speckle (used to measure a line's slant)."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["ink_mask"]


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Boolean ink of a grey uint8 image: Otsu's threshold, either polarity, speckle removed by a 3×3 median."""
    _, bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if np.median(grey) < 128:  # light text on dark paper
        bw = 255 - bw
    return cv2.medianBlur(bw, 3) > 0
