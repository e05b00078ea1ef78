"""Detector boxes that run across a column gutter are cut there, when the page shows paper; others stay whole."""

from __future__ import annotations

import numpy as np

from odia_ocr.pages.layout import analyze_layout
from odia_ocr.pages.split import split_at_gutters

COLUMNS = ((100, 560), (640, 1100))  # a gutter 80 px wide; lines 30 px tall


Box = tuple[int, int, int, int]


def page_image(rows: int = 14, full_width_from: int | None = None) -> tuple[np.ndarray, list[Box]]:
    """A two-column page drawn as ink bars (words) on white, and one box per column line.

    Rows from ``full_width_from`` on are a paragraph set across the whole page,
    with one of its word gaps right on the gutter.
    """
    img = np.full((100 + rows * 50, 1200), 255, np.uint8)
    boxes = []
    for r in range(rows):
        y = 100 + r * 50
        if full_width_from is not None and r >= full_width_from:
            for x0, x1 in ((100, 590), (612, 1100)):  # a 22 px word gap over the gutter
                img[y + 5 : y + 25, x0:x1] = 0
            boxes.append((100, y, 1100, y + 30))
            continue
        for x0, x1 in COLUMNS:
            for wx in range(x0, x1, 60):  # words 45 px wide, 15 px apart
                img[y + 5 : y + 25, wx : min(wx + 45, x1)] = 0
            boxes.append((x0, y, x1, y + 30))
    return img, boxes


def test_a_box_over_both_columns_is_cut_at_the_gutter() -> None:
    img, boxes = page_image()
    merged = [b for b in boxes if b[1] != 400] + [(100, 400, 1100, 430)]  # the detector joined row 6
    out = split_at_gutters(img, merged)
    assert len(out) == len(boxes)
    left, right = sorted((b for b in out if b[1] == 400), key=lambda b: b[0])
    assert left[0] == 100 and 560 <= left[2] <= 600
    assert 600 <= right[0] <= 640 and right[2] == 1100
    # and the page then reads column by column, not row 6 across
    blocks = analyze_layout(out)
    flat = [b for block in blocks for b in block]
    assert [b[0] for b in flat[: len(flat) // 2]] == [100] * (len(flat) // 2)


def test_a_box_drawn_into_the_next_columns_first_letters_is_cut_back() -> None:
    img, boxes = page_image()
    long = [b for b in boxes if not (b[1] == 400 and b[0] == 100)] + [(100, 400, 660, 430)]
    out = split_at_gutters(img, long)
    row = sorted(b for b in out if b[1] == 400)
    assert row[0][0] == 100 and 560 <= row[0][2] <= 600  # cut in the paper; the next column's sliver is apart
    assert all(b[0] > 600 for b in row[1:])


def test_boxes_without_paper_at_the_gutter_or_across_the_page_stay_whole() -> None:
    img, boxes = page_image()
    inked = img.copy()
    inked[400 + 5 : 400 + 25, 560:640] = 0  # row 6 really runs across: ink in the gutter
    merged = [b for b in boxes if b[1] != 400] + [(100, 400, 1100, 430)]
    assert sorted(split_at_gutters(inked, merged)) == sorted(merged)
    # a paragraph across the page under the columns: its word gap on the gutter is not a cut,
    # since the lines above and below it run across too
    img2, boxes2 = page_image(rows=16, full_width_from=12)
    out = split_at_gutters(img2, boxes2)
    assert [b for b in out if b[1] >= 100 + 13 * 50] == [b for b in boxes2 if b[1] >= 100 + 13 * 50]


def test_no_gutter_no_change() -> None:
    img = np.full((300, 800), 255, np.uint8)
    boxes = [(100, 100, 700, 130), (100, 150, 700, 180)]
    assert split_at_gutters(img, boxes) == boxes
    assert split_at_gutters(img, []) == []


def test_an_inset_caption_across_the_gutter_stays_whole() -> None:
    """Columns narrow around an inset in rows 4-7; its caption in row 7 has a word gap on the gutter, and the
    right column's line under it starts at the gutter. That gap (45 px) is narrower than the caption's margin
    to the narrowed lines beside it (60 px), so it is not taken for two column lines the detector joined."""
    img, boxes = page_image(rows=14)
    for r in range(4, 8):
        y = 100 + r * 50
        img[y : y + 30, 100:1100] = 255
        img[y + 5 : y + 25, 100:400] = 0
        img[y + 5 : y + 25, 800:1100] = 0
    y = 100 + 7 * 50
    img[y + 5 : y + 25, 470:580] = 0
    img[y + 5 : y + 25, 625:730] = 0
    narrowed = [(100, 100 + r * 50, 400, 130 + r * 50) for r in range(4, 8)]
    narrowed += [(800, 100 + r * 50, 1100, 130 + r * 50) for r in range(4, 8)]
    caption = (460, y, 740, y + 30)
    segs = [b for b in boxes if not 300 <= b[1] <= 450] + narrowed + [caption]
    assert caption in split_at_gutters(img, segs)
