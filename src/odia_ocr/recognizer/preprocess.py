"""Line-image preprocessing shared by training and inference (numpy + OpenCV, no torch).

Training and inference must see identical inputs, so there is exactly one
implementation: grey, polarity to dark-on-light, contrast stretch, resize to
the model's height, then ink = 1.0 and paper = 0.0.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

__all__ = ["MIN_WIDTH", "pad_batch", "prepare_line"]

#: Narrower inputs are padded: the encoder downsamples width by 4 and CTC needs frames.
MIN_WIDTH = 16


def to_grey(img: np.ndarray) -> np.ndarray:
    """uint8 (H, W) grey from grey, RGB or RGBA (other dtypes are rescaled to 0–255)."""
    if img.ndim == 3:
        if img.shape[2] == 4:
            img = img[:, :, :3]
        img = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2GRAY)
    if img.dtype != np.uint8:
        img = cv2.normalize(img.astype(np.float32), None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return img


def prepare_line(img: np.ndarray, height: int, max_width: int = 4096) -> np.ndarray:
    """float32 (height, W) array with ink near 1 and paper near 0.

    Light text on a dark background is inverted (decided by the median, since
    most pixels of a line are paper), so one model reads both polarities.
    """
    g = to_grey(img)
    h, w = g.shape[:2]
    if h < 1 or w < 1:
        raise ValueError("empty image")
    new_w = int(np.clip(round(w * height / h), MIN_WIDTH, max_width))
    interp = cv2.INTER_AREA if h > height else cv2.INTER_LINEAR
    g = cv2.resize(g, (new_w, height), interpolation=interp).astype(np.float32)
    lo, med, hi = np.percentile(g, (1, 50, 99))
    if hi - lo < 1:
        return np.zeros((height, new_w), np.float32)
    x = (g - lo) / (hi - lo)
    np.clip(x, 0, 1, out=x)
    return x if med < (lo + hi) / 2 else 1.0 - x


def pad_batch(lines: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Stack prepared lines into (N, 1, H, Wmax) with zero (paper) padding, plus widths."""
    widths = np.array([x.shape[1] for x in lines], np.int64)
    h = lines[0].shape[0]
    out = np.zeros((len(lines), 1, h, int(widths.max())), np.float32)
    for i, x in enumerate(lines):
        out[i, 0, :, : x.shape[1]] = x
    return out, widths
