"""Text-line detectors: find line (or line-segment) boxes on a cleaned page image.

Two detectors plug in behind one small interface: a classical one built on
connected components (fast, no model) and the PP-OCRv4 text detector shipped
inside ``rapidocr-onnxruntime`` (learned, slower). Both may return a widely
spaced justified line as several segments; :func:`odia_ocr.pages.layout.group_rows`
joins them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from odia_ocr.pages.boxes import Box, median_height
from odia_ocr.pages.preprocess import ink_mask

__all__ = ["DETECTORS", "ClassicalLineDetector", "LineDetector", "RapidLineDetector", "create_detector", "fit_to_ink"]


@runtime_checkable
class LineDetector(Protocol):
    """Finds text-line boxes on a grey page (dark ink on light paper, uint8 (H, W))."""

    name: str

    def detect(self, grey: np.ndarray) -> list[Box]: ...


def fit_to_ink(grey: np.ndarray, boxes: list[Box], min_ink: int = 1, mask: np.ndarray | None = None) -> list[Box]:
    """Shrink each box to the ink inside it; boxes holding no ink are dropped.

    The learned detector pads its boxes by about half a line; shrinking them
    makes boxes comparable across detectors. Crops are padded again later.
    ``mask`` is the page's :func:`ink_mask`, when the caller has it already.
    """
    m = ink_mask(grey) if mask is None else mask
    out = []
    for x0, y0, x1, y1 in boxes:
        sub = m[y0:y1, x0:x1]
        rows = np.flatnonzero(np.count_nonzero(sub, axis=1) >= min_ink)
        cols = np.flatnonzero(np.count_nonzero(sub, axis=0) >= min_ink)
        if len(rows) and len(cols):
            out.append((x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1))
    return out


def median_letter_height(mask: np.ndarray, min_height: int = 4) -> float | None:
    """Median height of the ink components that could be letters, or None when there are none."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w, area = stats[1:, 3], stats[1:, 2], stats[1:, 4]
    ok = (h >= min_height) & (area >= 12) & (w < mask.shape[1] * 0.5)
    return float(np.median(h[ok])) if ok.any() else None


def split_at_gaps(grey: np.ndarray, boxes: list[Box], min_gap: float, mask: np.ndarray | None = None) -> list[Box]:
    """Cut each box where a run of ink-free columns is wider than ``min_gap`` line heights.

    The line height is the box's own, or the page's usual one when the box is
    taller (a box drawn over two lines must still be cut at a gutter).
    """
    if not boxes:
        return []
    m = ink_mask(grey) if mask is None else mask
    usual = median_height(boxes)
    out: list[Box] = []
    for x0, y0, x1, y1 in boxes:
        cols = np.count_nonzero(m[y0:y1, x0:x1], axis=0) > 0
        limit = max(2, min_gap * min(y1 - y0, usual))
        start, run_start = None, None
        for i, inked in enumerate(cols):
            if inked:
                if start is None:
                    start = i
                elif run_start is not None and i - run_start >= limit:
                    out.extend(fit_to_ink(grey, [(x0 + start, y0, x0 + run_start, y1)], mask=m))
                    start = i
                run_start = None
            elif run_start is None:
                run_start = i
        if start is not None:
            end = run_start if run_start is not None else len(cols)
            out.extend(fit_to_ink(grey, [(x0 + start, y0, x0 + end, y1)], mask=m))
    return out


class _DisjointSet:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


class ClassicalLineDetector:
    """Connected components chained into line segments; no model, ~50–150 ms a page.

    Odia breaks projection profiles: vowel signs rise above the letters and
    subscript consonants hang below, often as separate components, and they
    touch the next line when spacing is tight. So lines are built from the
    *letter bodies* only: components of about the page's typical height are
    chained left to right when their vertical centres agree, and the small
    marks are then attached to the nearest segment. Components far taller or
    wider than letters (pictures, rules, borders) are ignored.

    ``join_gap`` is the widest gap, in letter heights, that joins components
    into one segment; wider gaps (columns, wide justified spacing) are
    decided by row grouping.
    """

    name = "classical"

    def __init__(self, join_gap: float = 0.7, min_height: int = 4) -> None:
        self.join_gap = join_gap
        self.min_height = min_height

    def detect(self, grey: np.ndarray) -> list[Box]:
        mask = ink_mask(grey)
        body_h = median_letter_height(mask, self.min_height)
        if body_h is None:
            return []
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        if n <= 1:
            return []
        st = stats[1:].astype(np.int64)
        x0, y0, w, h, area = st[:, 0], st[:, 1], st[:, 2], st[:, 3], st[:, 4]
        x1, y1 = x0 + w, y0 + h
        candidates = (h >= self.min_height) & (area >= 12) & (w < grey.shape[1] * 0.5)
        if not candidates.any():
            return []
        # Letter bodies: not tiny marks, not pictures or rules; filled less than a solid block.
        fill = area / np.maximum(w * h, 1)
        big = (h > 6 * body_h) | (w > 25 * body_h) | ((h > 2.5 * body_h) & (fill > 0.6))
        rule = ((h < 0.25 * body_h) & (w > 2 * body_h)) | ((w < 0.25 * body_h) & (h > 1.6 * body_h))
        rule |= _broken_rules(x0, y0, w, h, body_h)
        bridge = _bridges(x0, y0, x1, y1, body_h, candidates & ~big & ~rule)
        body = candidates & (h >= 0.5 * body_h) & ~big & ~rule & ~bridge
        marks = ~body & ~big & ~rule & ~bridge & (area >= 3)
        idx = np.flatnonzero(body)
        if len(idx) == 0:
            return []
        segments = self._chain(x0[idx], y0[idx], x1[idx], y1[idx])
        boxes = [
            (int(x0[idx[g]].min()), int(y0[idx[g]].min()), int(x1[idx[g]].max()), int(y1[idx[g]].max()))
            for g in segments
        ]
        boxes = _attach_marks(boxes, x0[marks], y0[marks], x1[marks], y1[marks])
        pictures = np.flatnonzero(big & (w * h > 100 * body_h * body_h))
        return _outside(boxes, [(int(x0[k]), int(y0[k]), int(x1[k]), int(y1[k])) for k in pictures])

    def _chain(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> list[list[int]]:
        """Groups of components that chain left to right along a line."""
        n = len(x0)
        h = (y1 - y0).astype(np.float64)
        cy = (y0 + y1) / 2.0
        order = np.argsort(x0, kind="stable")
        xs = x0[order]
        ds = _DisjointSet(n)
        reach = self.join_gap * h
        for i in range(n):
            # Candidates start left of this component's right end plus the join gap.
            hi = int(np.searchsorted(xs, x1[i] + reach[i], side="right"))
            lo = int(np.searchsorted(xs, x0[i] - 1, side="left"))
            if hi <= lo:
                continue
            cand = order[lo:hi]
            cand = cand[cand != i]
            if len(cand) == 0:
                continue
            hp = (h[cand] + h[i]) / 2
            ok = (np.abs(cy[cand] - cy[i]) < 0.45 * hp) & (np.minimum(h[cand], h[i]) > 0.4 * np.maximum(h[cand], h[i]))
            ok &= x0[cand] - x1[i] <= self.join_gap * hp
            ok &= x1[cand] > x1[i]  # to the right: each join is made once, from its left side
            for j in cand[ok]:
                ds.union(i, int(j))
        return ds.groups()


def _outside(boxes: list[Box], pictures: list[Box]) -> list[Box]:
    """The boxes that do not lie (mostly) inside a picture: speckle in a photo is not text."""
    if not pictures:
        return boxes
    out = []
    for b in boxes:
        area = (b[2] - b[0]) * (b[3] - b[1])
        inside = max(
            max(0, min(b[2], p[2]) - max(b[0], p[0])) * max(0, min(b[3], p[3]) - max(b[1], p[1])) for p in pictures
        )
        if inside < 0.5 * area:
            out.append(b)
    return out


def _bridges(
    x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, body_h: float, usable: np.ndarray
) -> np.ndarray:
    """Tall components that are letters of two lines touching each other, not big type.

    Such a component must not join the two lines. It gives itself away by
    its neighbours: ordinary letters beside it sit in its top part and in its
    bottom part, while the letters beside a headline letter are as tall as it.
    """
    h = y1 - y0
    out = np.zeros(len(x0), bool)
    normal = usable & (h >= 0.5 * body_h) & (h <= 1.4 * body_h)
    cy = (y0 + y1) / 2
    for k in np.flatnonzero(usable & (h > 1.8 * body_h) & (h <= 6 * body_h)):
        near = normal & (x1 > x0[k] - 3 * body_h) & (x0 < x1[k] + 3 * body_h) & (y1 > y0[k]) & (y0 < y1[k])
        third = h[k] / 3
        out[k] = bool((near & (cy < y0[k] + third)).any() and (near & (cy > y1[k] - third)).any())
    return out


def _broken_rules(x0: np.ndarray, y0: np.ndarray, w: np.ndarray, h: np.ndarray, body_h: float) -> np.ndarray:
    """Thin upright pieces stacked at one x over several letter heights: a column rule broken by print or scan.

    Each piece alone looks like a danda, so only the stack gives it away;
    dandas of successive lines rarely share an x.
    """
    out = np.zeros(len(x0), bool)
    thin = np.flatnonzero((w <= 0.25 * body_h) & (h >= 0.5 * body_h))
    if len(thin) < 3:
        return out
    cx = x0[thin] + w[thin] / 2
    order = thin[np.argsort(cx, kind="stable")]
    cx = np.sort(cx)
    start = 0
    for end in range(1, len(order) + 1):
        if end == len(order) or cx[end] - cx[end - 1] > 0.3 * body_h:
            group = order[start:end]
            if len(group) >= 3:
                g = group[np.argsort(y0[group])]
                top, bottom = y0[g], y0[g] + h[g]
                gaps = top[1:] - np.maximum.accumulate(bottom)[:-1]
                if bottom.max() - top.min() >= 4 * body_h and (gaps < 2 * body_h).all():
                    out[g] = True
            start = end
    return out


def _attach_marks(
    boxes: list[Box], mx0: np.ndarray, my0: np.ndarray, mx1: np.ndarray, my1: np.ndarray
) -> list[Box]:
    """Grow each segment box by the marks (vowel signs, dots, subscripts) that belong to it.

    A mark belongs to the segment that overlaps it horizontally and is
    nearest vertically, within about half a segment height; marks far from
    any text (noise) are dropped.
    """
    if not boxes:
        return []
    b = np.array(boxes, dtype=np.int64)
    grown = b.copy()
    seg_h = (b[:, 3] - b[:, 1]).astype(np.float64)
    for x0, y0, x1, y1 in zip(mx0, my0, mx1, my1, strict=True):
        overlap = (np.minimum(b[:, 2], x1) - np.maximum(b[:, 0], x0)) > 0
        if not overlap.any():
            continue
        dist = np.maximum(0, np.maximum(b[:, 1] - y1, y0 - b[:, 3])).astype(np.float64)
        dist[~overlap] = np.inf
        k = int(np.argmin(dist))
        if dist[k] <= 0.6 * seg_h[k] and (y1 - y0) <= 1.5 * seg_h[k]:
            grown[k] = (min(grown[k, 0], x0), min(grown[k, 1], y0), max(grown[k, 2], x1), max(grown[k, 3], y1))
    return [tuple(int(v) for v in row) for row in grown]  # type: ignore[misc]


class RapidLineDetector:
    """The PP-OCRv4 DB text detector from ``rapidocr-onnxruntime``, loaded once per instance.

    The network's time grows with the pixels it sees, and it finds lines
    about as well when letters are ``letter_height`` pixels tall as at any
    larger size, so the page is scaled down until its median letter is that
    tall (or its longer side is ``max_side``). Measured on synthetic pages:
    12 px finds lines as well as 16 px (recall 0.982 vs 0.985) in 57% of the
    time, but its boxes cost the recognizer (held-out page CER 16.9% vs
    15.1%), so 16 px stays the default. Boxes are mapped back and shrunk to the ink they hold.
    ``letter_height=0`` keeps the page's own size. The network sometimes
    runs a line on across a narrow column gutter, so boxes are cut at white
    gaps wider than ``split_gap`` box heights; row grouping joins the pieces
    again where the gap is only a wide word space.
    """

    name = "rapidocr"

    def __init__(
        self,
        max_side: int = 2048,
        letter_height: float = 16,
        split_gap: float = 0.5,
        threads: int = 0,
        box_thresh: float = 0.5,
    ) -> None:
        try:
            import rapidocr_onnxruntime
            from rapidocr_onnxruntime.ch_ppocr_det.text_detect import TextDetector
        except ImportError as err:
            raise RuntimeError("the rapidocr line detector needs `pip install rapidocr-onnxruntime`") from err
        model = Path(rapidocr_onnxruntime.__file__).parent / "models" / "ch_PP-OCRv4_det_infer.onnx"
        config: dict[str, Any] = {
            # The page is already scaled to ``max_side``; "min" with a small limit keeps that size.
            "model_path": str(model), "limit_side_len": 32, "limit_type": "min",
            "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "thresh": 0.3, "box_thresh": box_thresh,
            "max_candidates": 1000, "unclip_ratio": 1.6, "use_dilation": True, "score_mode": "fast",
            "use_cuda": False, "use_dml": False,
            "intra_op_num_threads": threads or -1, "inter_op_num_threads": -1,
        }
        self._detector = TextDetector(config)
        self.max_side = max_side
        self.letter_height = letter_height
        self.split_gap = split_gap

    def detect(self, grey: np.ndarray) -> list[Box]:
        if min(grey.shape[:2]) < 8:
            return []
        mask = ink_mask(grey)
        scale = min(1.0, self.max_side / max(grey.shape[:2]))
        if self.letter_height:
            body_h = median_letter_height(mask)
            if body_h:
                scale = min(scale, max(self.letter_height / body_h, 0.25))
        small = grey if scale == 1.0 else cv2.resize(
            grey, (round(grey.shape[1] * scale), round(grey.shape[0] * scale)), interpolation=cv2.INTER_AREA
        )
        # The network misses text that touches the image edge, as in a tightly cropped line: give such
        # images a paper margin. Pages with margins of their own are left as they are (padding every
        # page was measured to worsen the synthetic pages' oracle CER from 1.34% to 3.49%).
        m = _DETECT_MARGIN if _ink_near_edge(mask, max(2, round(_DETECT_MARGIN / scale))) else 0
        padded = cv2.copyMakeBorder(small, m, m, m, m, cv2.BORDER_CONSTANT, value=255) if m else small
        quads, _ = self._detector(cv2.cvtColor(padded, cv2.COLOR_GRAY2BGR))
        if quads is None or len(quads) == 0:
            return []
        h, w = grey.shape[:2]
        boxes = []
        for q in (np.asarray(quads, dtype=np.float64) - m) / scale:
            x0, y0 = max(0, int(q[:, 0].min())), max(0, int(q[:, 1].min()))
            x1, y1 = min(w, int(np.ceil(q[:, 0].max())) + 1), min(h, int(np.ceil(q[:, 1].max())) + 1)
            if x1 > x0 and y1 > y0:
                boxes.append((x0, y0, x1, y1))
        return split_at_gaps(grey, fit_to_ink(grey, boxes, mask=mask), self.split_gap, mask=mask)


#: Paper added around the (scaled) page before the learned detector sees it, in pixels.
_DETECT_MARGIN = 16

def _ink_near_edge(mask: np.ndarray, band: int) -> bool:
    """True when ink lies within ``band`` pixels of any image edge."""
    return bool(mask[:band].any() or mask[-band:].any() or mask[:, :band].any() or mask[:, -band:].any())


#: Detector names -> classes, for options and the command line.
DETECTORS: dict[str, type] = {"classical": ClassicalLineDetector, "rapidocr": RapidLineDetector}


def create_detector(name: str, **options: Any) -> LineDetector:
    """Build the line detector called ``name`` with keyword options."""
    cls = DETECTORS.get(name)
    if cls is None:
        raise ValueError(f"unknown line detector {name!r}; choose from {', '.join(sorted(DETECTORS))}")
    return cls(**options)
