"""Specks of dust, toner and scanner noise: found once per page, painted over for the detector, and told from text.

A speckled page misleads the line detector twice. Rows of single specks
bridge lines and column gutters, so boxes run over two lines and across the
columns (:func:`remove_specks` paints them over for the detector). And specks
clump: a few dark pixels side by side make pieces larger than a speck, which
the detector boxes as short lines and the recognizer then reads letters into.
Such a box holds no ink the size of a letter (:func:`letter_share`), so on a
speckled page that holds mostly such boxes (a blank back, a page of noise)
:func:`drop_speck_boxes` takes them out before layout.

Both tests use one map of the page's ink components (:func:`find_specks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from odia_ocr.pages.boxes import Box
from odia_ocr.pages.preprocess import ink_mask

__all__ = ["SpeckMap", "drop_speck_boxes", "find_specks", "letter_share", "remove_specks"]


@dataclass(frozen=True)
class SpeckMap:
    """A page's ink components and which of them are specks.

    ``labels``: the component of each pixel (0 is paper); ``speck``: whether
    each label is a speck; ``letter``: whether each label is the size of a
    letter or a stroke of one (:func:`find_specks`); ``speckled``: whether
    the page holds enough specks to be treated as speckled.
    """

    labels: np.ndarray
    speck: np.ndarray
    letter: np.ndarray
    speckled: bool


def find_specks(
    grey: np.ndarray, max_area: int = 8, reach: int = 3, min_density: float = 500.0,
    letter_area: int = 30, stroke: int = 10,
) -> SpeckMap:
    """The ink components of a prepared page, its specks, its letter-sized pieces and whether it counts as speckled.

    A speck is a connected component of ink of at most ``max_area`` pixels
    (8: a 3×3 patch less one; at 300 dpi about 0.25 mm across) with no larger
    ink within ``reach`` pixels: the hairlines of a light typeface break into
    such small pieces too, but beside the rest of their letter. A page is
    speckled when it holds at least ``min_density`` specks per million
    pixels: on a clean page the few stray pieces are not worth acting on.

    A component is letter-sized when it covers at least ``letter_area``
    pixels, or when it is a stroke: at least ``stroke`` pixels tall and four
    times as tall as wide (a danda in small type is 2 × 14 pixels). Rendered by hand
    at 150 dpi, a 10-point Odia letter (ର, ଠ, ଓ, କ, ତ) covers 46–156 pixels in
    the regular to black weights of the bundled fonts, but 20–29 in Noto Sans
    Oriya Condensed Thin. Specks that clump mostly stay under both sizes.
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink_mask(grey), connectivity=8)
    areas = stats[:, cv2.CC_STAT_AREA]
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    ink = np.arange(n) > 0
    small = ink & (areas <= max_area)
    larger = (labels > 0) & ~small[labels]
    near = cv2.dilate(larger.astype(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    beside = np.zeros(n, bool)
    beside[labels[near]] = True
    speck = small & ~beside
    letter = ink & ((areas >= letter_area) | ((heights >= stroke) & (heights >= 4 * widths)))
    return SpeckMap(labels, speck, letter, bool(speck.sum() >= min_density * grey.size / 1e6))


def remove_specks(grey: np.ndarray, specks: SpeckMap | None = None) -> np.ndarray:
    """The page with its specks painted over with the paper around them, when it is speckled; else the page itself.

    For the line detector only: the recognizer reads the page as it is, since
    it was trained on noisy lines. A 3×3 median filter would remove specks
    too, but also thins the strokes of small type. ``specks``: the page's
    :func:`find_specks`, when already computed.
    """
    specks = specks if specks is not None else find_specks(grey)
    if not specks.speckled:
        return grey
    where = specks.speck[specks.labels]
    out = grey.copy()
    out[where] = cv2.medianBlur(grey, 5)[where]
    return out


def _letter_ink(specks: SpeckMap, box: Box) -> tuple[int, int]:
    """Pixels of letter-sized ink and of all ink inside ``box``."""
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    inside = specks.labels[y0:y1, x0:x1]
    ink = inside[inside > 0]
    return int(np.count_nonzero(specks.letter[ink])), int(ink.size)


def letter_share(specks: SpeckMap, box: Box) -> float:
    """The share of the ink inside ``box`` that belongs to letter-sized components (0 if it holds none).

    Whole components are measured (:func:`find_specks`), so a letter the box
    cuts still counts.
    """
    letters, ink = _letter_ink(specks, box)
    return letters / ink if ink else 0.0


def drop_speck_boxes(specks: SpeckMap, boxes: Sequence[Box], min_share: float = 0.5) -> list[Box]:
    """The boxes of a speckled page of noise that hold letters: at least ``min_share`` of their ink letter-sized.

    Only a page that is speckled, and whose boxes together hold less than
    ``min_share`` of their ink in letter-sized pieces (a page of noise, with
    at most a few words such as a page number), loses boxes. On every other
    page each box is kept: small type that is broken by wear breaks into
    pieces as small as clumped specks (a 13-pixel line of a strongly
    degraded development page kept 0–0.3 of its ink in letter-sized pieces),
    so a box is only judged this way where the page as a whole says noise.
    On synthetic development pages (seed 2, all degradation levels) every
    line read has at least 0.82 of its ink in pieces of 30 pixels or more;
    the boxes over specks on speckled blank pages at most 0.07. A danda boxed
    on its own has none (2 × 14 pixels), hence strokes. A speckled page set
    wholly in thin type at low resolution would be taken for noise:
    ``ReadOptions(detect_despeckled=False)`` (``--no-despeckle``) reads it.
    """
    if not specks.speckled or not boxes:
        return list(boxes)
    counts = [_letter_ink(specks, b) for b in boxes]
    if sum(c[0] for c in counts) >= min_share * sum(c[1] for c in counts):
        return list(boxes)
    return [b for b, (letters, ink) in zip(boxes, counts, strict=True) if ink and letters >= min_share * ink]
