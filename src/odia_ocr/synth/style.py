"""Type-style variation of a rendered line: width, stroke weight and small shape warps.

A recognizer trained on a handful of font families learns those families; the
benchmark's held-out font and real books use others. Degradation alone does not
close that gap, because it changes the print and scan, not the letter shapes.
This module varies the shapes themselves, as other typefaces would: condensed
or extended letters, lighter or heavier strokes, and smooth local warps that
move curves and joins by a pixel or two. Everything is drawn from the caller's
generator, so a varied line stays a pure function of its seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

__all__ = ["StyleVariation", "sample_style", "vary_style"]

#: A variation is undone when it would keep less ink than this share of the original
#: (thin strokes of small fonts can vanish under a light weight).
_MIN_INK_KEPT = 0.55


@dataclass(frozen=True)
class StyleVariation:
    """Parameters of one variation; the defaults leave the mask unchanged."""

    x_scale: float = 1.0  # <1 condensed, >1 extended
    weight: float = 0.0  # stroke offset in pixels: >0 heavier, <0 lighter
    warp: float = 0.0  # amplitude of a smooth displacement field, as a fraction of height

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def sample_style(rng: np.random.Generator, amount: float) -> StyleVariation:
    """Draw a variation; ``amount`` in [0, 1] scales how often and how far shapes move."""
    a = float(amount)
    if a <= 0:
        return StyleVariation()

    def maybe(p: float) -> bool:
        return bool(rng.random() < p)

    return StyleVariation(
        x_scale=float(np.exp(rng.uniform(-0.22, 0.22) * a)) if maybe(0.6) else 1.0,
        weight=float(rng.uniform(-0.5, 0.6) * a) if maybe(0.5) else 0.0,
        warp=float(rng.uniform(0.01, 0.035) * a) if maybe(0.4) else 0.0,
    )


def _reweight(mask: np.ndarray, offset: float) -> np.ndarray:
    """Move stroke edges out (offset > 0) or in by a fraction of a pixel, keeping anti-aliasing.

    Blurring the mask turns it into a smooth ink field; re-thresholding that field at a
    lower or higher level grows or thins every stroke evenly, fractional offsets included.
    """
    field = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 1.0)
    level = float(np.clip(0.5 - 0.35 * offset, 0.15, 0.85))
    alpha = np.clip((field - level) / 0.25 + 0.5, 0.0, 1.0)
    return (alpha * 255).astype(np.uint8)


def _warp(mask: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    """Displace pixels along a smooth random field: about one wobble per letter height."""
    h, w = mask.shape
    cells_y, cells_x = 3, max(3, 3 * w // max(h, 1))
    amp = amount * h
    fields = []
    for _ in range(2):
        coarse = rng.uniform(-amp, amp, (cells_y, cells_x)).astype(np.float32)
        fields.append(cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC))
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return cv2.remap(mask, xs + fields[0], ys + fields[1], cv2.INTER_LINEAR, borderValue=0)


def vary_style(mask: np.ndarray, v: StyleVariation, rng: np.random.Generator) -> np.ndarray:
    """Apply ``v`` to an ink mask (uint8, ink = 255); returns a new mask, maybe of another width."""
    m = mask
    if abs(v.x_scale - 1.0) > 0.01:
        h, w = m.shape
        m = cv2.resize(m, (max(1, round(w * v.x_scale)), h), interpolation=cv2.INTER_AREA)
    if v.warp > 0:
        m = _warp(m, v.warp, rng)
    if abs(v.weight) > 0.05:
        heavier_or_lighter = _reweight(m, v.weight)
        if heavier_or_lighter.sum(dtype=np.int64) >= _MIN_INK_KEPT * m.sum(dtype=np.int64):
            m = heavier_or_lighter
    return m
