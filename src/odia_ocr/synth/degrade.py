"""Realistic degradation of rendered lines: print, scan and camera artefacts.

A degradation is sampled from a named level (clean, light, medium, strong) or
a continuous strength, then applied with the same generator, so a degraded
image is a pure function of its seed. The benchmark uses fixed levels;
training draws strengths across and beyond them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace

import cv2
import numpy as np

__all__ = ["ARTEFACTS", "LEVELS", "Degradation", "degrade", "sample_degradation"]

#: Erosion is skipped where it would keep less than this share of the ink.
_MIN_INK_KEPT = 0.6

LEVELS: dict[str, float] = {"clean": 0.0, "light": 0.35, "medium": 0.65, "strong": 1.0}


@dataclass(frozen=True)
class Degradation:
    """Parameters of one degradation; all zero means a clean black-on-white render."""

    ink: int = 0
    paper: int = 255
    invert: bool = False
    morph: int = 0  # >0 ink bleed (dilate), <0 erosion; kernel size in pixels
    rotate_deg: float = 0.0
    shear: float = 0.0
    perspective: float = 0.0  # corner jitter as a fraction of height
    blur_sigma: float = 0.0
    lighting: float = 0.0  # amplitude of a smooth light gradient
    texture: float = 0.0  # amplitude of low-frequency paper texture
    texture_cells: int = 12  # texture grain: cells across the image height (a line: about 4 px grain)
    noise_sigma: float = 0.0
    salt_pepper: float = 0.0
    binarize: bool = False
    downscale: float = 1.0  # >1: render resolution lost by this factor
    jpeg_quality: int = 0  # 0: no JPEG
    clip_top: float = 0.0  # fraction of height cut away
    clip_bottom: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> Degradation:
        """The degradation a manifest row recorded (``to_dict``); ValueError on keys it does not know."""
        known = {f.name for f in fields(cls)}
        if unknown := sorted(set(values) - known):
            raise ValueError(f"unknown degradation keys: {', '.join(unknown)}")
        return cls(**values)  # type: ignore[arg-type]


#: Named artefacts of a degradation, for error analysis: which kinds of damage cost a model most. Lines at one
#: level share a strength but draw their artefacts at random, so lines with and without one differ in it alone.
ARTEFACTS: dict[str, Callable[[Degradation], bool]] = {
    "inverted (light on dark)": lambda d: d.invert,
    "ink bleed": lambda d: d.morph > 0,
    "erosion": lambda d: d.morph < 0,
    "rotation > 1°": lambda d: abs(d.rotate_deg) > 1,
    "perspective > 2%": lambda d: d.perspective > 0.02,
    "blur σ > 1": lambda d: d.blur_sigma > 1.0,
    "noise σ > 15": lambda d: d.noise_sigma > 15,
    "salt and pepper": lambda d: d.salt_pepper > 0,
    "binarized": lambda d: d.binarize,
    "resolution lost > 2×": lambda d: d.downscale > 2,
    "JPEG quality < 40": lambda d: 0 < d.jpeg_quality < 40,
    "low contrast (< 120 levels)": lambda d: abs(d.paper - d.ink) < 120,
}


def sample_degradation(rng: np.random.Generator, strength: float) -> Degradation:
    """Draw degradation parameters for a strength in [0, ~1.3]; 0 is clean."""
    s = float(strength)
    if s <= 0:
        return Degradation()

    def maybe(p: float) -> bool:
        return bool(rng.random() < p)

    paper = int(255 - rng.uniform(0, 90 * s))
    ink = int(rng.uniform(0, 60 + 60 * s))
    if paper - ink < 60:
        ink = max(0, paper - 60)
    contrast = paper - ink  # noise and texture stay well below it, or text becomes invisible
    d = Degradation(
        ink=ink,
        paper=paper,
        invert=maybe(0.08 * s),
        morph=int(rng.choice([-1, 1])) * int(rng.integers(1, 3)) if maybe(0.35 * s) else 0,
        rotate_deg=float(rng.normal(0, 1.2 * s)),
        shear=float(rng.normal(0, 0.12 * s)) if maybe(0.4 * s) else 0.0,
        perspective=float(rng.uniform(0, 0.12 * s)) if maybe(0.5 * s) else 0.0,
        blur_sigma=float(rng.uniform(0, 1.4 * s)),
        lighting=float(rng.uniform(0, 70 * s)) if maybe(0.6) else 0.0,
        texture=float(rng.uniform(0, 30 * s)) if maybe(0.6) else 0.0,
        noise_sigma=float(rng.uniform(0, 22 * s)),
        salt_pepper=float(rng.uniform(0, 0.02 * s)) if maybe(0.3 * s) else 0.0,
        binarize=maybe(0.2 * s),
        downscale=float(1 + rng.uniform(0, 1.6 * s)) if maybe(0.6) else 1.0,
        jpeg_quality=int(rng.integers(max(10, int(90 - 75 * s)), 95)) if maybe(0.7) else 0,
        clip_top=float(rng.uniform(0, 0.09 * s)) if maybe(0.25 * s) else 0.0,
        clip_bottom=float(rng.uniform(0, 0.09 * s)) if maybe(0.25 * s) else 0.0,
    )
    return replace(d, noise_sigma=min(d.noise_sigma, contrast / 4), texture=min(d.texture, contrast / 3))


def _smooth_field(rng: np.random.Generator, h: int, w: int, cells: int = 4) -> np.ndarray:
    """Low-frequency random field in [-1, 1], cheap: upsampled coarse noise."""
    coarse = rng.uniform(-1, 1, (cells, max(2, cells * w // max(h, 1)))).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)


def degrade(mask: np.ndarray, d: Degradation, rng: np.random.Generator) -> np.ndarray:
    """Turn an ink mask (uint8, ink = 255) into a grey image (dark ink on light paper unless inverted)."""
    m = mask
    h, w = m.shape
    if d.morph > 0:
        m = cv2.dilate(m, np.ones((d.morph + 1, d.morph + 1), np.uint8))
    elif d.morph < 0:
        # Strokes of small or thin fonts are ~2 px wide: erode gently, and not at all where the
        # text would lose much of its ink (a blank image with a label teaches nothing).
        eroded = cv2.erode(m, np.ones((2, 2), np.uint8))
        if eroded.sum(dtype=np.int64) >= _MIN_INK_KEPT * m.sum(dtype=np.int64):
            m = eroded
    if d.rotate_deg or d.shear or d.perspective:
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        j = d.perspective * h
        dst = src + rng.uniform(-j, j, (4, 2)).astype(np.float32) if j else src.copy()
        dst[:, 0] += d.shear * (h / 2 - src[:, 1])
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), d.rotate_deg, 1.0)
        dst = cv2.transform(dst[None], rot)[0].astype(np.float32)
        x0, y0 = dst.min(axis=0)
        x1, y1 = dst.max(axis=0)
        dst -= (x0, y0)
        size = (int(np.ceil(x1 - x0)) + 1, int(np.ceil(y1 - y0)) + 1)
        m = cv2.warpPerspective(m, cv2.getPerspectiveTransform(src, dst), size, flags=cv2.INTER_LINEAR)
        h, w = m.shape
    alpha = m.astype(np.float32) / 255.0
    img = d.paper + (d.ink - d.paper) * alpha
    if d.lighting:
        img += d.lighting * _smooth_field(rng, h, w, 2) - d.lighting / 2
    if d.texture:
        img += d.texture * _smooth_field(rng, h, w, d.texture_cells)
    if d.blur_sigma > 0.2:
        img = cv2.GaussianBlur(img, (0, 0), d.blur_sigma)
    if d.downscale > 1.05:
        small = (max(1, int(w / d.downscale)), max(1, int(h / d.downscale)))
        img = cv2.resize(cv2.resize(img, small, interpolation=cv2.INTER_AREA), (w, h), interpolation=cv2.INTER_LINEAR)
    if d.noise_sigma:
        img += rng.normal(0, d.noise_sigma, img.shape).astype(np.float32)
    if d.salt_pepper:
        spots = rng.random(img.shape) < d.salt_pepper
        img[spots] = rng.choice([0.0, 255.0], int(spots.sum()))
    out = np.clip(img, 0, 255).astype(np.uint8)
    if d.binarize:
        # Scanner-style binarization: Otsu's global threshold, jittered, or a local (adaptive)
        # one under uneven light, where a global threshold would turn shadows into blobs.
        if d.lighting > 20:
            block = max(3, (h // 2) * 2 + 1)
            out = cv2.adaptiveThreshold(out, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block,
                                        float(rng.uniform(5, 15)))
        else:
            otsu, _ = cv2.threshold(out, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            thr = float(np.clip(otsu + rng.normal(0, 8), 10, 245))
            out = np.where(out > thr, 255, 0).astype(np.uint8)
    if d.invert:
        out = 255 - out
    if d.jpeg_quality:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg_quality])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if d.clip_top or d.clip_bottom:
        t, b = int(d.clip_top * h), h - int(d.clip_bottom * h)
        out = out[t:max(b, t + 4)]
    return out
