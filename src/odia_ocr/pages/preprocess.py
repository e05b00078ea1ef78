"""Page-image cleanup before layout analysis: grey, polarity, contrast, borders, skew and orientation.

Each step is a plain function of an array so it can be tested and reused on
its own; :func:`prepare_page` chains the ones :class:`PreprocessOptions`
asks for. The output is always dark ink on light paper, uint8.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from odia_ocr.recognizer.preprocess import to_grey  # one grey conversion for lines and pages

__all__ = [
    "PreparedPage",
    "PreprocessOptions",
    "apply_corrections",
    "binarize",
    "estimate_orientation",
    "estimate_skew",
    "ink_mask",
    "is_blank",
    "normalize_contrast",
    "orientation_margin",
    "prepare_page",
    "remove_border",
    "rotate",
    "rotate_quarter",
    "to_grey",
]


@dataclass(frozen=True)
class PreprocessOptions:
    """Which cleanup steps run.

    ``orientation``: find and undo a sideways (90°) turn; the reader settles
    upright against upside down with the recognizer. ``deskew``:
    undo a small tilt up to ``max_skew`` degrees. ``binarize``: hand the
    recognizer black-and-white line images instead of grey (grey is usually
    better for a neural recognizer; binarization helps with stained paper).
    ``remove_border``: whiten dark scanner borders touching the image edge.
    ``denoise``: a 3×3 median filter against salt-and-pepper noise (off by
    default: at low resolution it also thins strokes and dots).
    """

    orientation: bool = True
    deskew: bool = True
    max_skew: float = 10.0
    normalize: bool = True
    binarize: bool = False
    remove_border: bool = True
    denoise: bool = False


@dataclass
class PreparedPage:
    """A cleaned page and the corrections applied, so boxes can be related to the input."""

    grey: np.ndarray
    rotation: int = 0
    skew: float = 0.0
    blank: bool = False
    #: How clearly the ink profiles chose across against down (:func:`orientation_margin`); inf when not asked.
    orientation_margin: float = float("inf")


def _downscale(grey: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    s = max(grey.shape) / max_side
    if s <= 1:
        return grey, 1.0
    size = (max(1, round(grey.shape[1] / s)), max(1, round(grey.shape[0] / s)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA), s


def _dark_on_light(grey: np.ndarray) -> np.ndarray:
    """The page with dark ink on light paper: inverted when its background is darker than its ink."""
    lo, med, hi = np.percentile(grey[:: max(1, grey.shape[0] // 256), :: max(1, grey.shape[1] // 256)], (1, 50, 99))
    return 255 - grey if med < (lo + hi) / 2 and med < 128 else grey


def _paper_ratio(grey: np.ndarray) -> np.ndarray:
    """Each pixel's brightness over the local paper brightness (about 1 on paper, near 0 on ink).

    The paper is estimated by a max filter wider than any stroke on a page
    reduced to 512 pixels, then smoothed and scaled back up.
    """
    small, s = _downscale(grey, 512)
    k = max(7, (min(small.shape) // 25) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    if s > 1:
        bg = cv2.resize(bg, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return grey.astype(np.float32) / np.maximum(bg.astype(np.float32), 1.0)


def normalize_contrast(grey: np.ndarray) -> np.ndarray:
    """Dark ink on an even white background, stretched to the full range.

    Dividing by the paper's local brightness removes camera shading and
    yellowed paper. The darkest ink is stretched to black, but by at most
    2.5×, so that a page of mostly paper does not have its noise stretched
    into ink.
    """
    ratio = _paper_ratio(_dark_on_light(grey))
    dark = float(np.percentile(ratio[:: max(1, ratio.shape[0] // 512), :: max(1, ratio.shape[1] // 512)], 0.5))
    dark = min(dark, 0.6)
    out = (ratio - dark) / (1.0 - dark) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


def binarize(grey: np.ndarray) -> np.ndarray:
    """Black ink (0) on white (255) by Otsu's threshold; expects a contrast-normalized page."""
    _, out = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """uint8 mask, 255 where a normalized page has ink.

    The Otsu threshold is capped, so that on a page of mostly paper the
    faint noise is not split in two and half of it called ink.
    """
    t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    t = min(float(t), 170.0)
    return np.where(grey <= t, 255, 0).astype(np.uint8)


def is_blank(grey: np.ndarray, min_ink: float = 2e-4, ink_ratio: float = 0.8) -> bool:
    """True for a page with (almost) no ink: blank paper, with or without noise and shading.

    Ink is what stays at least 20% darker than the local paper
    (``ink_ratio``) after a median filter, which erases isolated noise
    pixels but keeps strokes. Faded print on grey paper is only 25–30%
    darker than the paper, and a page wrongly called blank loses its text,
    while a blank page wrongly read only costs the detector's time: so the
    test leans towards reading. Give the page as it came, before contrast
    stretching.
    """
    small, _ = _downscale(_dark_on_light(grey), 1024)
    if int(small.max()) - int(small.min()) < 40:
        return True
    ratio = _paper_ratio(cv2.medianBlur(small, 3))
    return float(np.count_nonzero(ratio < ink_ratio)) / ratio.size < min_ink


def remove_border(grey: np.ndarray) -> np.ndarray:
    """Whiten dark regions that touch the image edge and are large (scanner borders, book gutters).

    Text touching the edge is kept unless the dark region covers a long part
    of that edge, which text rarely does.
    """
    m = ink_mask(grey)
    h, w = m.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    out = grey
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        long_edge = (bw > 0.5 * w and (y == 0 or y + bh == h)) or (bh > 0.5 * h and (x == 0 or x + bw == w))
        if touches and long_edge and area > 0.3 * bw * bh * min(1.0, 20 / max(min(bw, bh), 1)):
            if out is grey:
                out = grey.copy()
            out[labels == i] = 255
    return out


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise by ``degrees`` about the centre, same size, white corners."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def apply_corrections(image: np.ndarray, rotation: int, skew: float) -> np.ndarray:
    """Turn and level an original (colour) page as :func:`prepare_page` did its grey copy.

    Exports that show the page image (the searchable PDF) use this, so the
    picture and the boxes of the result line up.
    """
    out = rotate_quarter(image, -rotation)
    return rotate(out, -skew) if abs(skew) >= 0.1 else out


def rotate_quarter(image: np.ndarray, clockwise: int) -> np.ndarray:
    """Rotate by 0, 90, 180 or 270 degrees clockwise, exactly (no resampling)."""
    k = (clockwise // 90) % 4
    if k == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, -k))


def _profile_score(mask: np.ndarray, strips: int = 1) -> float:
    """How line-like the rows of a mask are: variance of the row sums, scaled by their mean.

    Horizontal text lines give alternating full and empty rows, so the
    score peaks when the lines are level. With ``strips`` > 1 the rows of
    each vertical strip are scored apart and summed, so that columns whose
    lines do not line up across the page do not blur each other.
    """
    counts = np.stack([part.sum(axis=1, dtype=np.float64) for part in np.array_split(mask, strips, axis=1)])
    return _strip_score(counts, mask.shape[0])


def _strip_score(counts: np.ndarray, height: int, by_ink: bool = False) -> float:
    """Sum over strips of the variance of their row counts (strips × rows) scaled by the squared mean, both
    taken over ``height`` rows (as an image of that height gives them; further rows are empty); with
    ``by_ink`` each strip weighted by its share of the ink."""
    total, ink = 0.0, float(counts.sum())
    for rows in counts:
        n = float(rows.sum())
        mean = n / height
        if mean > 0:
            total += float((rows * rows).sum() / height - mean * mean) / (mean * mean) * (n / ink if by_ink else 1.0)
    return total


def _small_mask(grey: np.ndarray, max_side: int = 1000) -> np.ndarray:
    """Ink mask at about ``max_side`` pixels, 1.0 where any ink fell: found at full size first, so thin
    strokes that averaging would fade to grey are kept."""
    small, _ = _downscale(ink_mask(grey), max_side)
    return (small > 60).astype(np.float32)


def estimate_skew(grey: np.ndarray, max_angle: float = 10.0) -> float:
    """Tilt of the text lines in degrees (counter-clockwise positive), by projection-profile search.

    A coarse 0.5° search then a 0.05° refinement on a page reduced to about
    1000 pixels; the text angle is what maximizes the row-profile score.
    Text is scored in four vertical strips, so columns whose lines do not
    line up across the page agree. Pictures and backgrounds have profiles
    too: a best angle at the edge of the searched range means there was no
    peak, and the page is left as it is.

    The ink's coordinates are turned, not the image: each strip keeps the
    same ink at every angle. Turning the image moved ink across strip
    borders and out of its corners, and a strip holding only the ends of a
    few lines (a table of contents' page-number column) scored high at any
    angle that emptied it, which tilted level contents pages by up to 9°.
    """
    m = _small_mask(grey)
    if m.sum() < 50:
        return 0.0
    h, w = m.shape
    ys, xs = np.nonzero(m)
    strip = np.minimum(xs * 4 // w, 3)
    xc, yc = xs - w / 2, ys - h / 2
    rows = int(np.ceil(np.hypot(h, w))) + 2

    def score(angle: float) -> float:
        t = np.deg2rad(angle)
        y = np.floor(-np.sin(t) * xc + np.cos(t) * yc + rows / 2).astype(np.int64)
        counts = np.bincount(strip * rows + y, minlength=4 * rows).reshape(4, rows).astype(np.float64)
        return _strip_score(counts, h, by_ink=True)

    def best_of(angles: np.ndarray) -> float:
        scores = np.array([score(float(a)) for a in angles])
        tied = angles[scores >= scores.max() * (1 - 1e-9)]
        return float(tied[np.argmin(np.abs(tied))])  # level text scores equally at ±ε: prefer no turn

    coarse = best_of(np.round(np.arange(-max_angle, max_angle + 1e-9, 0.5), 3))
    if abs(coarse) >= max_angle:
        return 0.0
    return -best_of(np.round(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.05), 3))


def estimate_orientation(grey: np.ndarray) -> int:
    """0 when text lines run across the page, 90 when they run down it (a page turned sideways).

    Compares the row and column profile scores (by strips, as for skew) of
    a contrast-normalized page, as :func:`prepare_page` gives it. Whether a
    page is also upside down cannot be told from ink statistics reliably for
    Odia (they were measured to vote no better than 70% per line), so the
    page reader settles 0 against 180 by asking the recognizer which way
    reads with more confidence.

    An image at least three times wider than tall is taken as upright: that
    is a line or a strip of lines, and no page turned sideways is so wide,
    while the profiles of a single line can favour its columns (measured on
    the bundled sample line, which was read turned).
    """
    return orientation_margin(grey)[0]


def orientation_margin(grey: np.ndarray) -> tuple[int, float]:
    """:func:`estimate_orientation`'s answer, and the ratio of the winning profile score to the other (≥ 1).

    Prose pages choose by a wide margin (3.4 or more, median 6.3, on 40
    synthetic pages at seed 2); tables of contents by a narrow one (median
    2.5), and the one of 40 they got wrong by 1.07 (benchmarks/pages_orientation.py). The page reader asks the
    recognizer about a quarter turn only below a margin (``ReadOptions``).
    """
    h, w = grey.shape[:2]
    if w >= 3 * h:
        return 0, float("inf")
    m = _small_mask(grey)
    if m.sum() < 50:
        return 0, float("inf")
    rows, cols = _profile_score(m, strips=4), _profile_score(m.T, strips=4)
    if rows >= cols:
        return 0, rows / cols if cols > 0 else float("inf")
    return 90, cols / rows if rows > 0 else float("inf")


def prepare_page(image: np.ndarray, options: PreprocessOptions | None = None) -> PreparedPage:
    """Grey, cleaned, upright and level page, and the corrections that made it so."""
    opts = options or PreprocessOptions()
    grey = to_grey(image)
    if grey.shape[0] < 8 or grey.shape[1] < 8:
        return PreparedPage(grey, blank=True)
    if is_blank(grey):
        return PreparedPage(grey, blank=True)
    if opts.normalize:
        grey = normalize_contrast(grey)
    if opts.denoise:
        grey = cv2.medianBlur(grey, 3)
    if opts.remove_border:
        grey = remove_border(grey)
    rotation, margin = 0, float("inf")
    if opts.orientation:
        rotation, margin = orientation_margin(grey)
        grey = rotate_quarter(grey, -rotation)
    skew = 0.0
    if opts.deskew:
        skew = estimate_skew(grey, opts.max_skew)
        if abs(skew) >= 0.1:
            grey = rotate(grey, -skew)
        else:
            skew = 0.0
    if opts.binarize:
        grey = binarize(grey)
    return PreparedPage(grey, rotation, skew, orientation_margin=margin)
