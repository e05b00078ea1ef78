"""Read pages and documents: cleanup + line detection + layout + one batched recognizer call per page.

:class:`PageReader` composes the parts, each swappable: any
:class:`~odia_ocr.engines.base.Recognizer`, any
:class:`~odia_ocr.pages.detect.LineDetector`, and one :class:`ReadOptions`
that the command line, the Python API and the server all build.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from PIL import Image

from odia_ocr.data.images import ImageError, load_image, to_array
from odia_ocr.engines.base import LineResult, Recognizer
from odia_ocr.pages.boxes import Box, union_box
from odia_ocr.pages.cells import cell_spans, join_cells
from odia_ocr.pages.detect import DETECTORS, LineDetector, create_detector
from odia_ocr.pages.layout import LayoutOptions, analyze_layout, find_blocks, order_blocks
from odia_ocr.pages.preprocess import (
    PreprocessOptions,
    apply_corrections,
    prepare_page,
    rotate_quarter,
)
from odia_ocr.pages.results import Block, Document, Line, Page
from odia_ocr.pages.sources import SourcePage, iter_pages
from odia_ocr.pages.specks import drop_speck_boxes, find_specks, remove_specks
from odia_ocr.pages.split import split_at_gutters
from odia_ocr.pages.words import estimate_words
from odia_ocr.text import canonicalize

__all__ = ["PageReader", "Progress", "ReadOptions", "detect_segments", "line_crop_boxes"]

#: Called after each page with (pages done, pages in the document or None).
Progress = Callable[[int, int | None], None]

_ODIA = ("\u0b00", "\u0b7f")


@dataclass(frozen=True)
class ReadOptions:
    """Everything that steers reading, validated once.

    ``detector``: line detector name when no detector object is given.
    ``dpi``: PDF rasterization resolution. ``use_text_layer``: take a PDF
    page's own text instead of OCR when it has any. ``check_upside_down``:
    when a page reads with mean confidence below ``upside_down_below``, also
    read its longest lines turned 180° and those of the page turned a
    quarter, and turn the page if one of them reads clearly better (pages
    that read well cost nothing extra). The quarter turn is tried only when
    the ink profiles chose across or down by a margin below
    ``quarter_turn_below`` (:func:`~odia_ocr.pages.preprocess.orientation_margin`;
    4.0 leaves out 38 of 40 synthetic prose pages), since it costs one more
    line detection.
    ``min_confidence``: drop lines read with less (pictures and rules read
    as text). ``crop_pad``: white space kept around each line crop, as a
    fraction of its height, like the margins of the recognizer's training
    lines. ``max_pixels``: larger pages are read from a reduced copy (the
    default is an A4 page at 600 dpi); boxes then refer to that copy.
    ``cell_gap``: a line is cut where its detected segments leave a gap
    wider than this many of its heights, and the pieces (cells of a table
    row) are read apart and joined by a space; 0 reads every line whole.
    ``detect_despeckled``: on a speckled page, the line detector sees the
    page with its specks of dust and noise painted over
    (:func:`~odia_ocr.pages.specks.remove_specks`), or it draws boxes across
    column gutters and over two lines at once; and its boxes that hold no ink
    the size of a letter (clumps of specks) are dropped
    (:func:`~odia_ocr.pages.specks.drop_speck_boxes`). The recognizer reads
    the page as it is: it was trained on noisy lines.
    """

    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    layout: LayoutOptions = field(default_factory=LayoutOptions)
    detector: str = "rapidocr"
    dpi: float = 300.0
    use_text_layer: bool = False
    check_upside_down: bool = True
    upside_down_below: float = 0.75
    quarter_turn_below: float = 4.0
    min_confidence: float = 0.0
    crop_pad: float = 0.2
    max_pixels: int = 40_000_000
    cell_gap: float = 1.5
    detect_despeckled: bool = True

    def __post_init__(self) -> None:
        if self.detector not in DETECTORS:
            raise ValueError(f"unknown line detector {self.detector!r}; choose from {', '.join(sorted(DETECTORS))}")
        if not 36 <= self.dpi <= 1200:
            raise ValueError(f"dpi must be between 36 and 1200, got {self.dpi}")
        if not 0 <= self.min_confidence <= 1:
            raise ValueError(f"min_confidence must be in [0, 1], got {self.min_confidence}")
        if self.max_pixels < 10_000:
            raise ValueError(f"max_pixels must be at least 10000, got {self.max_pixels}")
        if self.quarter_turn_below < 0:
            raise ValueError(f"quarter_turn_below must be 0 (never) or more, got {self.quarter_turn_below}")
        if self.cell_gap < 0:
            raise ValueError(f"cell_gap must be 0 (off) or more, got {self.cell_gap}")
        if not 0 <= self.crop_pad <= 1:
            raise ValueError(f"crop_pad must be in [0, 1], got {self.crop_pad}")


def _crop(grey: np.ndarray, box: Box, pad: float) -> np.ndarray:
    x0, y0, x1, y1 = box
    p = max(2, round(pad * (y1 - y0)))
    h, w = grey.shape[:2]
    return np.ascontiguousarray(grey[max(0, y0 - p) : min(h, y1 + p), max(0, x0 - p) : min(w, x1 + p)])


def detect_segments(grey: np.ndarray, detector: LineDetector, despeckle: bool = True) -> list[Box]:
    """The detector's line segments on a prepared page, cut where one runs across a column gutter.

    With ``despeckle``, on a speckled page (:mod:`~odia_ocr.pages.specks`) both
    the detector and the gutter cut (:mod:`~odia_ocr.pages.split`) see the
    page with its specks painted over, and segments that hold no ink the size
    of a letter (clumps of specks) are dropped. The boxes refer to the page
    either way.
    """
    if not despeckle:
        return split_at_gutters(grey, detector.detect(grey))
    specks = find_specks(grey)
    seen = remove_specks(grey, specks)
    return drop_speck_boxes(specks, split_at_gutters(seen, detector.detect(seen)))


def line_crop_boxes(layout: list[list[Box]], quantile: float = 0.9) -> list[Box]:
    """Boxes to crop for recognition, in reading order: short lines grown evenly to their block's full line height.

    Detected boxes fit the ink, so a line without tall vowel signs or low
    subscripts gets a short box, and scaled to the model's height its letters
    come out larger than in the lines the model learned from, which it then
    misreads. The block's full line height is the ``quantile`` of its box
    heights: lines holding both tall signs and subscripts show it, and a high
    quantile rather than the maximum survives a few boxes that span two lines.
    Chosen on a development set of synthetic pages (seed 2; CER 6.4% with no
    growth to the median, 5.3% at 0.9, 5.0% at the maximum).
    """
    out: list[Box] = []
    for block in layout:
        full = float(np.quantile([b[3] - b[1] for b in block], quantile)) if block else 0.0
        for x0, y0, x1, y1 in block:
            grow = (full - (y1 - y0)) / 2
            if grow > 0:
                y0, y1 = max(0, round(y0 - grow)), round(y1 + grow)
            out.append((x0, y0, x1, y1))
    return out


def _clean(text: str) -> str:
    """A recognizer's line text in canonical form, on one line."""
    return canonicalize(text).replace("\n", " ").strip()


def _joined(cells: list[tuple[Box, LineResult]]) -> LineResult:
    """A line's reading from its cells' readings."""
    return join_cells([r for _, r in cells])


def _has_odia(text: str) -> bool:
    return any(_ODIA[0] <= ch <= _ODIA[1] for ch in text)


class PageReader:
    """Reads page images and documents with one recognizer and one line detector, both loaded once."""

    def __init__(
        self, recognizer: Recognizer, detector: LineDetector | None = None, options: ReadOptions | None = None
    ) -> None:
        self.recognizer = recognizer
        self.options = options or ReadOptions()
        self.detector = detector or create_detector(self.options.detector)

    # -- one page -------------------------------------------------------------------------------------------------

    def read_image(self, image: Image.Image | np.ndarray, index: int = 0, dpi: float | None = None) -> Page:
        """Read one page image (any size, colour or grey); never raises for a bad page, it marks it skipped."""
        return self._read(image, index, dpi)[0]

    def _read(
        self, image: Image.Image | np.ndarray, index: int, dpi: float | None
    ) -> tuple[Page, np.ndarray | None]:
        """The page, and the original image turned and levelled as the boxes assume (None if skipped)."""
        array = to_array(image) if isinstance(image, np.ndarray) else np.asarray(load_image(image))
        h, w = array.shape[:2]
        if h < 8 or w < 8:
            return Page(index, w, h, dpi=dpi, skipped=f"image too small to hold text ({w}x{h} pixels)"), None
        opts = self.options
        if h * w > opts.max_pixels:
            # Beyond ~600 dpi more pixels only cost time and memory: read a reduced copy.
            f = (opts.max_pixels / (h * w)) ** 0.5
            array = cv2.resize(array, (max(8, int(w * f)), max(8, int(h * f))), interpolation=cv2.INTER_AREA)
            dpi = dpi * f if dpi else None
            h, w = array.shape[:2]
        prepared = prepare_page(array, opts.preprocess)
        if prepared.blank:
            return Page(index, w, h, dpi=dpi, skipped="blank page (no ink found)"), array
        grey, rotation = prepared.grey, prepared.rotation
        segments = self._segments(grey)
        layout = analyze_layout(segments, opts.layout)
        if not layout:
            page = Page(index, grey.shape[1], grey.shape[0], rotation=rotation, skew=prepared.skew, dpi=dpi,
                        skipped="no text lines found")
            return page, apply_corrections(array, rotation, prepared.skew)
        cells = self._recognize(grey, layout, segments)
        unsure = float(np.mean([_joined(c).confidence for c in cells])) < opts.upside_down_below
        quarter = prepared.orientation_margin < opts.quarter_turn_below
        turn = self._better_turn(grey, layout, segments, quarter) if opts.check_upside_down and unsure else 0
        if turn:
            # Prepared again from the original, so levelling is measured on the page as it now stands.
            rotation = (rotation - turn) % 360
            prepared = prepare_page(rotate_quarter(array, -rotation), replace(opts.preprocess, orientation=False))
            grey = prepared.grey
            segments = self._segments(grey)
            layout = analyze_layout(segments, opts.layout)
            cells = self._recognize(grey, layout, segments)
        blocks, k = [], 0
        for block in layout:
            lines = []
            for box in block:
                line_cells = cells[k]
                k += 1
                r = _joined(line_cells)
                if r.text and r.confidence >= opts.min_confidence:
                    # word boxes from each cell's own box, so a page number sits where it is printed
                    words = [w for b, c in line_cells for w in estimate_words(c.text, b, c.confidence)]
                    lines.append(Line(r.text, box, r.confidence, words))
            if lines:
                blocks.append(Block(union_box(ln.box for ln in lines), lines))
        page = Page(index, grey.shape[1], grey.shape[0], blocks, rotation, prepared.skew, dpi)
        if not blocks:
            page.skipped = "no text recognized"
        elif not any(_has_odia(ln.text) for b in blocks for ln in b.lines):
            page.notes.append("no Odia text recognized")
        return page, apply_corrections(array, rotation, prepared.skew)

    def _segments(self, grey: np.ndarray) -> list[Box]:
        return detect_segments(grey, self.detector, self.options.detect_despeckled)

    def _recognize(
        self, grey: np.ndarray, layout: list[list[Box]], segments: Sequence[Box] = ()
    ) -> list[list[tuple[Box, LineResult]]]:
        """All lines of the page in one recognizer call, in reading order, each as its cells (box and reading).

        A line is one cell unless wide gaps between its detected segments cut it (``cell_spans``).
        Readings come back canonical and on one line.
        """
        pieces, boxes = self._pieces(grey, layout, segments)
        results = self.recognizer.recognize(pieces)
        if len(results) != len(pieces):
            name = getattr(self.recognizer, "name", "?")
            raise RuntimeError(f"recognizer {name!r} returned {len(results)} results for {len(pieces)} lines")
        clean = [LineResult(_clean(r.text), float(r.confidence)) for r in results]
        out, k = [], 0
        for line_boxes in boxes:
            out.append(list(zip(line_boxes, clean[k : k + len(line_boxes)], strict=True)))
            k += len(line_boxes)
        return out

    def _pieces(
        self, grey: np.ndarray, layout: list[list[Box]], segments: Sequence[Box]
    ) -> tuple[list[np.ndarray], list[list[Box]]]:
        """The crops to read, in reading order, and each line's cell boxes (one per crop)."""
        lines = [b for block in layout for b in block]
        pieces, boxes = [], []
        for line, (_, y0, _, y1) in zip(lines, line_crop_boxes(layout), strict=True):
            spans = cell_spans(line, segments, self.options.cell_gap)
            pieces += [_crop(grey, (a, y0, b, y1), self.options.crop_pad) for a, b in spans]
            boxes.append([(a, line[1], b, line[3]) for a, b in spans])
        return pieces, boxes

    def _better_turn(
        self, grey: np.ndarray, layout: list[list[Box]], segments: Sequence[Box], quarter: bool = True
    ) -> int:
        """The quarter turn (degrees clockwise) after which the page reads clearly more confidently; 0 for none.

        Ink statistics cannot tell upright Odia from upside down (measured),
        and the row/column profiles that tell across from down can be fooled:
        the page-number column of a table of contents is a tall stripe of ink
        beside a wide white channel, and 1 in 40 synthetic contents pages
        (seed 2) came out turned sideways. A recognizer reading turned text
        is unsure of every character, so the longest few lines are read as
        they stand and turned 180°, and so are those of the page turned a
        quarter (which costs one more line detection, on unsure pages only,
        and only when ``quarter``).
        """
        scores = dict(zip((0, 180), self._confidence_both_ways(grey, layout, segments), strict=True))
        if quarter:
            side = rotate_quarter(grey, 90)
            side_segments = self._segments(side)
            side_layout = analyze_layout(side_segments, self.options.layout)
            if side_layout:
                scores.update(zip((90, 270), self._confidence_both_ways(side, side_layout, side_segments),
                                  strict=True))
        best = max(scores, key=lambda t: scores[t])
        return best if scores[best] > scores[0] + 0.15 else 0

    def _confidence_both_ways(
        self, grey: np.ndarray, layout: list[list[Box]], segments: Sequence[Box], sample: int = 3
    ) -> tuple[float, float]:
        """Mean confidence of the ``sample`` widest crops read as they stand, and turned 180°.

        Crops as the page is read (cells of table rows apart): a whole row with
        a wide white channel in it reads unsure whichever way it is turned.
        """
        pieces, _ = self._pieces(grey, layout, segments)
        crops = sorted(pieces, key=lambda c: -c.shape[1])[:sample]
        upright = self.recognizer.recognize(crops)
        turned = self.recognizer.recognize([np.ascontiguousarray(c[::-1, ::-1]) for c in crops])
        return float(np.mean([r.confidence for r in upright])), float(np.mean([r.confidence for r in turned]))

    def read_source(self, source: SourcePage) -> Page:
        """Read one page from :func:`~odia_ocr.pages.sources.iter_pages` (text layer, skip or OCR)."""
        return self._read_source(source)[0]

    def _read_source(self, source: SourcePage) -> tuple[Page, np.ndarray | None]:
        if source.skipped or source.image is None:
            return Page(source.index, 0, 0, dpi=source.dpi, skipped=source.skipped or "no image"), None
        if source.text_lines:
            return _page_from_text_layer(source), np.asarray(source.image)
        return self._read(source.image, source.index, source.dpi)

    # -- documents ------------------------------------------------------------------------------------------------

    def iter_document_images(
        self, path: str | os.PathLike[str], progress: Progress | None = None
    ) -> Iterator[tuple[Page, np.ndarray | None]]:
        """Pages of a document in order, each with its corrected image (for the searchable PDF).

        Raises :class:`~odia_ocr.pages.sources.DocumentError` when the file
        cannot be opened; a page that fails is yielded skipped, with a reason.
        """
        opts = self.options
        for done, source in enumerate(iter_pages(path, opts.dpi, opts.use_text_layer), start=1):
            try:
                page, image = self._read_source(source)
            except (ImageError, ValueError, MemoryError, RuntimeError) as err:
                reason = str(err).splitlines()[0] if str(err) else type(err).__name__
                page, image = Page(source.index, 0, 0, dpi=source.dpi, skipped=f"failed: {reason}"), None
            yield page, image
            if progress is not None:
                progress(done, source.total)

    def iter_document(self, path: str | os.PathLike[str], progress: Progress | None = None) -> Iterator[Page]:
        """Pages of a document in order, read one at a time (see :meth:`iter_document_images`)."""
        for page, _ in self.iter_document_images(path, progress):
            yield page

    def read_document(self, path: str | os.PathLike[str], progress: Progress | None = None) -> Document:
        """All pages of a document, as one :class:`~odia_ocr.pages.results.Document`."""
        pages = list(self.iter_document(path, progress))
        return Document(os.fspath(path), pages, getattr(self.recognizer, "name", ""))


def _page_from_text_layer(source: SourcePage) -> Page:
    """A page built from a PDF's own text: its runs become lines, grouped and ordered like OCR lines."""
    assert source.image is not None and source.text_lines
    boxes = [b for b, _ in source.text_lines]
    texts = [t for _, t in source.text_lines]
    blocks_idx = find_blocks(boxes)
    block_boxes = [union_box(boxes[i] for i in b) for b in blocks_idx]
    blocks = []
    for k in order_blocks(block_boxes):
        lines = [Line(texts[i], boxes[i], 1.0, estimate_words(texts[i], boxes[i], 1.0)) for i in blocks_idx[k]]
        blocks.append(Block(block_boxes[k], lines))
    w, h = source.image.size
    return Page(source.index, w, h, blocks, dpi=source.dpi, source="text-layer")
