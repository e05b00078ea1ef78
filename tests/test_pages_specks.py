"""Specks: painted over for the line detector, and boxes over clumps of them told from text and dropped."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from odia_ocr.pages.reader import PageReader, ReadOptions, detect_segments
from odia_ocr.pages.specks import drop_speck_boxes, find_specks, letter_share, remove_specks
from test_pages_support import FixedRecognizer, clean_page, page_synthesizer


@pytest.fixture(scope="module")
def page():
    return clean_page(page_synthesizer(), 7)


def _clumped_specks(shape: tuple[int, int], seed: int, density: float = 0.02) -> np.ndarray:
    """Dust as a scanner leaves it: dark dots, grown to 2×2 so that neighbours clump (as in pages_noise)."""
    rng = np.random.default_rng(seed)
    dots = (rng.random(shape) < density).astype(np.uint8)
    return cv2.dilate(dots, np.ones((2, 2), np.uint8)) > 0


class _BoxesDetector:
    """A line detector that returns the boxes it was given, as a real one boxes clumps of specks."""

    name = "boxes"

    def __init__(self, boxes):
        self.boxes = list(boxes)

    def detect(self, grey):
        return list(self.boxes)


def test_remove_specks_paints_over_specks_and_leaves_every_stroke(page) -> None:
    """Isolated dark pixels and clusters of up to 8 go; the text's strokes and a 3×3 dot stay exactly as they were."""
    rng = np.random.default_rng(2)
    noisy = page.image.copy()
    paper = cv2.erode(page.image, np.ones((7, 7), np.uint8)) > 250  # well clear of any stroke
    spots = (rng.random(noisy.shape) < 0.01) & paper
    noisy[spots] = 30
    noisy[10:12, 10:14] = 30  # a cluster of 8
    noisy[20:23, 20:23] = 30  # a dot of 9: kept
    out = remove_specks(noisy)
    assert (out[spots] > 200).all() and (out[10:12, 10:14] > 200).all()
    assert (out[20:23, 20:23] == 30).all()
    # every stroke of the text as it was; only marks of 8 pixels or less (a full stop in small type) can go
    _, labels, stats, _ = cv2.connectedComponentsWithStats((page.image < 128).astype(np.uint8), connectivity=8)
    strokes = (stats[labels, cv2.CC_STAT_AREA] > 8) & (labels > 0)
    assert strokes.sum() > 100_000 and (out[strokes] == noisy[strokes]).all()
    bar = np.full((50, 80), 255, np.uint8)
    bar[20:30, 10:70] = 0
    assert remove_specks(bar) is bar  # nothing to remove: the page itself, not a copy


def test_a_clean_page_with_a_few_stray_bits_is_left_as_it_is(page) -> None:
    """A handful of specks on a page (well under 500 per million pixels) is not worth changing the page."""
    few = page.image.copy()
    few[100:102, 100:102] = 0
    few[300, 900] = 0
    assert remove_specks(few) is few
    assert remove_specks(page.image) is page.image


def test_bits_beside_a_letter_are_not_specks() -> None:
    """A broken hairline's first piece, or a dot, within 3 px of a letter's stroke stays; specks on the paper go."""
    grey = np.full((400, 400), 255, np.uint8)
    grey[90:130, 40:48] = 0  # a letter's stem
    grey[100:102, 50:52] = 0  # a 4-pixel bit 2 px to its right
    grey[60:62, 44:46] = 0  # a dot 28 px above it: a speck by size and place
    rng = np.random.default_rng(4)
    ys, xs = rng.integers(200, 400, 200), rng.integers(0, 400, 200)
    grey[ys, xs] = 0  # specks on the paper below
    out = remove_specks(grey, find_specks(grey, min_density=0))
    assert (out[100:102, 50:52] == 0).all() and (out[90:130, 40:48] == 0).all()
    assert (out[60:62, 44:46] > 200).all()
    assert (out[ys, xs] > 200).mean() > 0.9


def test_letters_hold_letter_sized_ink_and_clumps_of_specks_do_not(page) -> None:
    """Every text line of a speckled page keeps most of its ink in letter-sized pieces; boxes on the paper none."""
    noisy = page.image.copy()
    paper = cv2.erode(page.image, np.ones((9, 9), np.uint8)) > 250
    noisy[_clumped_specks(noisy.shape, 5) & paper] = 40
    specks = find_specks(noisy)
    assert specks.speckled
    shares = [letter_share(specks, ln.box) for ln in page.lines]
    assert min(shares) > 0.8
    top = min(ln.box[1] for ln in page.lines)
    margin = (20, 2, noisy.shape[1] - 20, top - 4)  # the paper above the first line: specks only
    assert margin[3] - margin[1] > 20 and letter_share(specks, margin) < 0.1
    assert letter_share(specks, (0, 0, 0, 0)) == 0.0


def test_on_a_page_of_text_every_box_is_kept_speckled_or_not(page) -> None:
    """Where most of the boxes' ink is letters, the detector is trusted: worn small type breaks into pieces as
    small as clumped specks, and a page of text must not lose such a line."""
    lines = [ln.box for ln in page.lines]
    top = min(b[1] for b in lines)
    clump = (20, 2, page.image.shape[1] - 20, top - 4)
    assert drop_speck_boxes(find_specks(page.image), [*lines, clump]) == [*lines, clump]  # clean page
    noisy = page.image.copy()
    noisy[_clumped_specks(noisy.shape, 6) & (cv2.erode(page.image, np.ones((9, 9), np.uint8)) > 250)] = 40
    specks = find_specks(noisy)
    assert specks.speckled and drop_speck_boxes(specks, [*lines, clump]) == [*lines, clump]


def test_on_a_page_of_noise_only_the_boxes_with_letters_stay() -> None:
    """A speckled page whose boxes hold mostly clumps of specks keeps the one box with a letter in it (a page
    number) and loses the rest."""
    grey = np.full((900, 700), 235, np.uint8)
    grey[_clumped_specks(grey.shape, 9)] = 50
    grey[795:825, 340:372] = 235
    grey[800:820, 345:349] = 0  # a letter-like mark: an L of 4-px strokes
    grey[816:820, 345:365] = 0
    number = (345, 800, 365, 820)
    clumps = [(40, 100, 600, 130), (40, 300, 400, 340), (200, 600, 260, 615)]
    assert letter_share(find_specks(grey), number) == 1.0
    assert drop_speck_boxes(find_specks(grey), [*clumps, number]) == [number]


def test_a_speckled_blank_page_reads_as_no_text() -> None:
    """The boxes a detector draws over clumps of dust are not read; without despeckling they were."""
    blank = np.full((900, 700), 235, np.uint8)
    blank[_clumped_specks(blank.shape, 7)] = 50
    boxes = [(40, 100, 600, 130), (40, 300, 400, 340), (200, 600, 260, 615)]
    assert detect_segments(blank, _BoxesDetector(boxes)) == []
    assert len(detect_segments(blank, _BoxesDetector(boxes), despeckle=False)) == 3
    page = PageReader(FixedRecognizer(), _BoxesDetector(boxes)).read_image(blank)
    assert page.skipped and not page.lines
    seeing = PageReader(FixedRecognizer(), _BoxesDetector(boxes), ReadOptions(detect_despeckled=False))
    assert seeing.read_image(blank).lines  # the same boxes, read as text


def test_a_danda_boxed_on_its_own_is_a_letter() -> None:
    """In small type a danda is a stroke of 2 × 14 pixels, under any area a clump of specks reaches; a detector
    may box it apart from its line, and on a speckled page it must stay."""
    grey = np.full((400, 400), 235, np.uint8)
    grey[_clumped_specks(grey.shape, 8)] = 50
    grey[100:114, 200:202] = 0
    grey[98:116, 196:206][grey[98:116, 196:206] == 50] = 235  # clear paper around it
    specks = find_specks(grey)
    assert specks.speckled and letter_share(specks, (200, 100, 202, 114)) == 1.0
    assert drop_speck_boxes(specks, [(200, 100, 202, 114)]) == [(200, 100, 202, 114)]
