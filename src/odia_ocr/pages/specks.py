"""Specks of dust, toner and scanner noise: found once per page, painted over for the detector, and told from text.

A speckled page misleads the line detector twice. Rows of single specks
bridge lines and column gutters, so boxes run over two lines and across the
columns (:func:`remove_specks` paints them over for the detector). And specks
clump: a few dark pixels side by side make pieces larger than a speck, which
the detector boxes as short lines and the recognizer then reads letters into.
Such a box holds no ink the size of a letter (:func:`letter_share`), so on a
speckled page :func:`drop_speck_boxes` takes it out before layout.

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

    ``labels``: the component of each pixel (0 is paper); ``areas``: each
    component's size in pixels, indexed by label; ``speck``: whether each
    label is a speck; ``speckled``: whether the page holds enough specks to be
    treated as speckled.
    """

    labels: np.ndarray
    areas: np.ndarray
    speck: np.ndarray
    speckled: bool


def find_specks(grey: np.ndarray, max_area: int = 8, reach: int = 3, min_density: float = 500.0) -> SpeckMap:
    """The ink components of a prepared page, its specks and whether it counts as speckled.

    A speck is a connected component of ink of at most ``max_area`` pixels
    (8: a 3×3 patch less one; at 300 dpi about 0.25 mm across) with no larger
    ink within ``reach`` pixels: the hairlines of a light typeface break into
    such small pieces too, but beside the rest of their letter. A page is
    speckled when it holds at least ``min_density`` specks per million
    pixels: on a clean page the few stray pieces are not worth acting on.
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink_mask(grey), connectivity=8)
    areas = stats[:, cv2.CC_STAT_AREA].copy()
    areas[0] = 0
    small = np.zeros(n, bool)
    small[1:] = areas[1:] <= max_area
    larger = (labels > 0) & ~small[labels]
    near = cv2.dilate(larger.astype(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    beside = np.zeros(n, bool)
    beside[labels[near]] = True
    speck = small & ~beside
    return SpeckMap(labels, areas, speck, bool(speck.sum() >= min_density * grey.size / 1e6))


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


def letter_share(specks: SpeckMap, box: Box, min_area: int = 30) -> float:
    """The share of the ink inside ``box`` that belongs to components of at least ``min_area`` pixels (0 if none).

    A letter of print that is readable at all covers more than 30 pixels of
    ink (at 150 dpi a 10-point Odia letter covers 60 or more), as do a
    danda and the pieces of a broken letter; clumped specks stay below that.
    Whole components are measured, so a letter the box cuts still counts.
    """
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    inside = specks.labels[y0:y1, x0:x1]
    ink = inside[inside > 0]
    if ink.size == 0:
        return 0.0
    return float(np.count_nonzero(specks.areas[ink] >= min_area)) / ink.size


def drop_speck_boxes(specks: SpeckMap, boxes: Sequence[Box], min_share: float = 0.5) -> list[Box]:
    """The boxes of a speckled page that hold letters: at least ``min_share`` of their ink letter-sized.

    On a page that is not speckled every box is kept: the test is there for
    the clumps of a speckled page, and a clean page's small type should never
    depend on it. On synthetic development pages (seed 2, all degradation
    levels) every line read has at least 0.82 of its ink in letter-sized
    components; the boxes over specks on speckled blank pages at most 0.07.
    """
    if not specks.speckled:
        return list(boxes)
    return [b for b in boxes if letter_share(specks, b) >= min_share]
