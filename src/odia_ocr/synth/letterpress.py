"""Letterpress printing artefacts on a rendered line: the look of old Odia books and newspapers.

Scans of letterpress pages differ from a digital render before any scanner
touches them: metal sorts sit a little above or below the baseline, ink is
pressed unevenly (starved, pale patches next to full ones), stroke edges are
ragged where ink squeezed out or the paper's fibres took it, worn type breaks
strokes, and the text of the other side of the leaf shows through. Scanner
and camera effects (synth/degrade.py) come after these. All randomness comes
from the caller's generator, so a line stays a pure function of its seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

__all__ = ["Letterpress", "apply_letterpress", "sample_letterpress"]

#: Breaks are undone when they would keep less than this share of the ink: a gap too many turns
#: one letter into another (ଷ into ପ), and the label would lie.
_MIN_INK_KEPT = 0.85


@dataclass(frozen=True)
class Letterpress:
    """Parameters of the printing artefacts; the defaults leave a mask unchanged."""

    jitter: float = 0.0  # vertical misalignment of sorts: standard deviation as a fraction of line height
    ragged: float = 0.0  # roughness of stroke edges: threshold noise on a blurred mask, 0 to ~0.4
    breaks: float = 0.0  # share of the break field that prints as paper: 0 none, 0.2 a gap every few letters
    inking: float = 0.0  # depth of uneven inking: ink density drops to 1 - inking in starved patches
    show_through: float = 0.0  # ink density of the mirrored text of the leaf's other side

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def sample_letterpress(rng: np.random.Generator) -> Letterpress:
    """Draw a set of artefacts; each one is present on some lines only, so they combine freely."""

    def maybe(p: float) -> bool:
        return bool(rng.random() < p)

    return Letterpress(
        jitter=float(rng.uniform(0.01, 0.03)) if maybe(0.6) else 0.0,
        ragged=float(rng.uniform(0.1, 0.4)) if maybe(0.7) else 0.0,
        breaks=float(rng.uniform(0.05, 0.22)) if maybe(0.4) else 0.0,
        inking=float(rng.uniform(0.2, 0.6)) if maybe(0.6) else 0.0,
        show_through=float(rng.uniform(0.06, 0.22)) if maybe(0.3) else 0.0,
    )


def _field(rng: np.random.Generator, h: int, w: int, grain: float) -> np.ndarray:
    """Smooth random field in about [-1, 1] with features ``grain`` pixels across."""
    cy, cx = max(2, round(h / grain)), max(2, round(w / grain))
    coarse = rng.uniform(-1, 1, (cy, cx)).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)


def _jitter_sorts(mask: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    """Shift each run of inked columns (a cluster of touching letters) up or down by a few pixels."""
    h, w = mask.shape
    pad = max(1, int(np.ceil(3 * amount * h)))
    out = np.zeros((h + 2 * pad, w), mask.dtype)
    inked = np.concatenate([[False], mask.any(axis=0), [False]])
    edges = np.flatnonzero(inked[1:] != inked[:-1])  # starts and ends of inked runs, alternating
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        dy = int(np.clip(round(rng.normal(0, amount * h)), -pad, pad))
        out[pad + dy : pad + dy + h, start:end] = mask[:, start:end]
    return out


def _ragged(alpha: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    """Re-threshold a softened mask against fine noise: edges squeeze out or bite in by about a pixel."""
    h, w = alpha.shape
    soft = cv2.GaussianBlur(alpha, (0, 0), 0.8)
    level = 0.5 + amount * _field(rng, h, w, 2.5)
    return np.clip((soft - level) / 0.2 + 0.5, 0.0, 1.0)


def _breaks(alpha: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    """Small paper-coloured gaps where worn type did not print; skipped when they would erase too much."""
    h, w = alpha.shape
    gaps = _field(rng, h, w, max(2.0, h / 10)) > 1.0 - amount
    broken = np.where(gaps, 0.0, alpha).astype(np.float32)
    return broken if broken.sum() >= _MIN_INK_KEPT * alpha.sum() else alpha


def apply_letterpress(mask: np.ndarray, lp: Letterpress, rng: np.random.Generator) -> np.ndarray:
    """Apply ``lp`` to an ink mask (uint8, ink = 255); the result may be taller (misaligned sorts)."""
    m = _jitter_sorts(mask, lp.jitter, rng) if lp.jitter > 0 else mask
    alpha = m.astype(np.float32) / 255.0
    h, w = alpha.shape
    if lp.ragged > 0:
        alpha = _ragged(alpha, lp.ragged, rng)
    if lp.breaks > 0:
        alpha = _breaks(alpha, lp.breaks, rng)
    if lp.inking > 0:
        starved = 0.5 + 0.5 * np.clip(_field(rng, h, w, max(4.0, h * 0.8)), -1, 1)  # 0 full, 1 starved
        alpha = alpha * (1.0 - lp.inking * starved)
    if lp.show_through > 0:
        verso = cv2.GaussianBlur(np.ascontiguousarray(alpha[:, ::-1]), (0, 0), float(rng.uniform(0.8, 2.0)))
        dy, dx = int(rng.integers(-h // 4, h // 4 + 1)), int(rng.integers(0, max(1, w // 3)))
        verso = np.roll(verso, (dy, dx), axis=(0, 1))
        alpha = np.maximum(alpha, lp.show_through * verso)
    return (np.clip(alpha, 0.0, 1.0) * 255).astype(np.uint8)
