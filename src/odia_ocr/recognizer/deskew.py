"""Straighten a skewed line image before it is scaled to the model's height.

A line image is scaled so that its height becomes the model's 32 pixels. A
line printed or photographed at a slant is taller than its text: a 900-pixel
line at 2° climbs 31 pixels, so once scaled its glyphs are much smaller than
those of a level line, and resolution the model needs is thrown away. On
validation lines at the benchmark's strongest degradation, the lines rotated
by more than 1° were read at 9.2% CER against 5.7% for the rest
(scripts/errors_by_artefact.py). Straightening first gives the network level
text, which it has seen most of in training.

The angle is the one whose horizontal projection of the ink is sharpest (the
classic projection-profile method, as in Tesseract's and Leptonica's deskew),
searched over a small range, which suffices for a single line.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from odia_ocr.recognizer.inkcrop import ink_mask
from odia_ocr.recognizer.preprocess import to_grey

__all__ = ["deskew_line", "estimate_skew", "turn_level"]

#: Ink pixels sampled for the angle search; more adds time, not accuracy.
_MAX_POINTS = 4000


def _sharpest(ys: np.ndarray, xs: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Sharpness (sum of squared row counts) of the ink's horizontal projection at each angle (degrees)."""
    # Row of each ink pixel once the image is turned by each candidate angle (small angles: a shear).
    rows = ys[None, :] + np.tan(np.radians(angles)).astype(np.float32)[:, None] * xs[None, :]
    r = np.rint(rows).astype(np.int32)
    r -= r.min()
    span = int(r.max()) + 1
    r += span * np.arange(len(angles), dtype=np.int32)[:, None]
    hist = np.bincount(r.ravel(), minlength=span * len(angles)).reshape(len(angles), span)
    return (hist.astype(np.float64) ** 2).sum(axis=1)


def _refine(angles: np.ndarray, sharpness: np.ndarray) -> float:
    """The best angle, refined between grid steps by a parabola through it and its neighbours."""
    best = int(np.argmax(sharpness))
    if 0 < best < len(angles) - 1:
        a, b, c = sharpness[best - 1 : best + 2]
        denom = a - 2 * b + c
        step = float(angles[1] - angles[0])
        return float(angles[best] + (0.5 * (a - c) / denom * step if denom else 0.0))
    return float(angles[best])


def estimate_skew(img: np.ndarray, max_deg: float = 5.0) -> float:
    """Slant of the text in ``img`` in degrees, counter-clockwise as seen (0.0 when it cannot tell).

    The sign follows :func:`cv2.getRotationMatrix2D`: a line rising to the
    right gives a positive angle, and rotating by minus it levels the line.
    Lines less than three times as wide as tall, or with little ink, give 0.0:
    their slant cannot be measured and hardly shrinks their glyphs. The search
    runs coarse (0.5° steps) then fine (0.1° around the best), a third of
    the work of one fine pass.
    """
    g = to_grey(img)
    h, w = g.shape[:2]
    if h < 4 or w < 3 * h:
        return 0.0
    ys, xs = np.nonzero(ink_mask(g))
    if len(xs) < 50:
        return 0.0
    if len(xs) > _MAX_POINTS:  # a fixed stride keeps the result a pure function of the image
        stride = math.ceil(len(xs) / _MAX_POINTS)
        ys, xs = ys[::stride], xs[::stride]
    ys32, xs32 = ys.astype(np.float32), xs.astype(np.float32) - np.float32(w / 2)
    coarse = np.arange(-max_deg, max_deg + 0.25, 0.5)
    centre = float(coarse[int(np.argmax(_sharpest(ys32, xs32, coarse)))])
    fine = centre + np.arange(-0.6, 0.65, 0.1)
    return float(np.clip(_refine(fine, _sharpest(ys32, xs32, fine)), -max_deg, max_deg))


def deskew_line(img: np.ndarray, min_deg: float = 0.5, max_deg: float = 5.0) -> np.ndarray:
    """``img`` turned level, or ``img`` itself when its slant is under ``min_deg``.

    A slanted line's image is the upright bounding box of a turned text band;
    after turning it back, the band is cut out of the middle by geometry,
    not by finding ink: in a one-off experiment on validation lines (not
    kept as a script), cutting by ink read clearly worse, because noise,
    uneven light and the filled corners mislead the ink mask. The uncovered corners are
    filled with the paper's grey (the image's median).
    """
    angle = estimate_skew(img, max_deg=max_deg)
    return img if abs(angle) < min_deg else turn_level(img, angle)


def turn_level(img: np.ndarray, angle: float) -> np.ndarray:
    """``img`` turned by minus ``angle`` degrees, with the text band cut out of the middle (see :func:`deskew_line`)."""
    h, w = img.shape[:2]
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    cos, sin = abs(float(rot[0, 0])), abs(float(rot[0, 1]))
    new_w, new_h = math.ceil(w * cos + h * sin), math.ceil(h * cos + w * sin)
    rot[0, 2] += (new_w - w) / 2
    rot[1, 2] += (new_h - h) / 2
    paper = np.median(img.reshape(-1, img.shape[2] if img.ndim == 3 else 1), axis=0)
    turned = cv2.warpAffine(
        img,
        rot,
        (new_w, new_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=tuple(float(v) for v in paper),
    )
    # The band of height H whose W-by-H box, turned by the angle, has the upright box h by w:
    # h = W sin + H cos and w = W cos + H sin, so H = (h cos - w sin) / (cos² - sin²).
    # Plus the climb of a 0.05° error over the line (the search's resolution): under a pixel on most
    # lines, but several on a very long one, whose band is otherwise cut too tight to hold its text.
    band = (h * cos - w * sin) / (cos * cos - sin * sin) + w * math.sin(math.radians(0.05))
    band = round(min(h, max(band, 8)))
    top = max(0, (new_h - band) // 2)
    return turned[top : top + band]
