"""Layout from boxes: rows across wide justified gaps but not across gutters, blocks, reading order."""

from __future__ import annotations

import numpy as np

from odia_ocr.pages.boxes import union_box
from odia_ocr.pages.layout import (
    LayoutOptions,
    analyze_layout,
    find_blocks,
    group_rows,
    order_blocks,
    page_gutter_spans,
    page_gutters,
)
from odia_ocr.pages.tables import join_table_rows


def two_column_page(rows: int = 12, split_words: bool = False):
    """Segments of a two-column page with a full-width title; words of a row are separate segments if asked."""
    segs = [(100, 20, 1100, 60)]  # title
    for r in range(rows):
        y = 100 + r * 50
        for x0, x1 in ((100, 560), (640, 1100)):
            if split_words:
                # justified row: four words of random lengths, separated by equal wide gaps
                rng = np.random.default_rng(r * 2 + x0)
                widths = rng.integers(40, 160, 4)
                g = (x1 - x0 - widths.sum()) / 3
                x = float(x0)
                for w in widths:
                    segs.append((int(x), y, int(x + w), y + 30))
                    x += w + g
            else:
                segs.append((x0, y, x1, y + 30))
    return segs


def test_wide_word_gaps_join_but_gutter_does_not() -> None:
    lines = group_rows(two_column_page(split_words=True))
    assert len(lines) == 1 + 2 * 12
    body = [b for b in lines if b[1] >= 100]
    assert all(b[2] - b[0] >= 455 for b in body)  # each line spans exactly one column


def test_single_column_justified_line_is_one_line() -> None:
    segs = []
    for r in range(8):
        y = 100 + r * 45
        segs += [(100, y, 300, y + 30), (380, y, 700, y + 30), (790, y, 1000, y + 30)]
    assert len(group_rows(segs)) == 8


def test_reading_order_title_then_columns_top_to_bottom() -> None:
    blocks = analyze_layout(two_column_page())
    flat = [b for block in blocks for b in block]
    assert flat[0] == (100, 20, 1100, 60)
    left = [b for b in flat if b[0] == 100 and b[1] >= 100]
    right = [b for b in flat if b[0] == 640]
    assert flat[1:] == left + right
    assert len(blocks) == 3  # title, left column, right column


def test_paragraph_break_by_indent_and_short_line() -> None:
    lines = [(100, 0, 900, 30), (60, 40, 900, 70), (60, 80, 500, 110), (100, 120, 900, 150), (60, 160, 900, 190)]
    assert find_blocks(lines) == [[0, 1, 2], [3, 4]]


def test_large_gap_starts_a_new_block() -> None:
    lines = [(0, 0, 500, 30), (0, 40, 500, 70), (0, 80, 500, 110), (0, 300, 500, 330), (0, 340, 500, 370)]
    assert find_blocks(lines) == [[0, 1, 2], [3, 4]]


def test_order_blocks_columns_and_footer() -> None:
    boxes = [(600, 100, 1000, 800), (0, 900, 1000, 950), (0, 100, 400, 800), (0, 0, 1000, 50)]
    assert order_blocks(boxes) == [3, 2, 0, 1]


def test_empty_and_single_inputs() -> None:
    assert group_rows([]) == []
    assert analyze_layout([]) == []
    assert analyze_layout([(5, 5, 50, 20)]) == [[(5, 5, 50, 20)]]


def test_specks_a_few_pixels_apart_do_not_crash_the_gutter_test() -> None:
    """A detector on a turned noisy page can box single-pixel specks; two such boxes 2 px apart once made the
    white-channel test reduce an empty array (a ValueError from reading a whole page)."""
    lines = group_rows([(456, 914, 457, 915), (459, 914, 460, 915), (100, 100, 560, 130)])
    assert sorted(lines) == [(100, 100, 560, 130), (456, 914, 460, 915)]  # no gap between them: one row


def test_box_inside_a_line_box_is_part_of_that_line() -> None:
    """The detector sometimes boxes a mark twice (a danda at the line end): it must not become a line."""
    segs = [(100, 100 + 50 * r, 560, 130 + 50 * r) for r in range(4)] + [(550, 152, 556, 178)]
    lines = group_rows(segs)
    assert len(lines) == 4 and (100, 150, 560, 180) in lines


def test_gutter_interrupted_by_an_inset_is_still_a_gutter() -> None:
    """Text set across the gutter for a few rows (an inset's caption) does not merge the columns elsewhere."""
    segs = two_column_page(rows=16)
    segs += [(480, 100 + 50 * r, 720, 130 + 50 * r) for r in (6, 7)]  # inset captions across the gutter
    lines = group_rows(segs)
    body = [b for b in lines if b[1] >= 100 and not 6 <= (b[1] - 100) // 50 <= 7]
    assert all(b[2] - b[0] <= 460 for b in body)  # every other row is still two lines, one per column


def contents_segments(lefts=(100,), rows: int = 10, wrap: int = -1, seed: int = 0, longest: int = 340):
    """Detector segments of a table of contents: number, danda, title and page-number cells per row.

    Each half starts at one of ``lefts`` and is 460 px wide; row ``wrap`` of
    every half has a title that wraps onto the next row, which carries the
    page number. Returns the segments and, per half, the expected row boxes.
    """
    rng = np.random.default_rng(seed)
    segs, expected = [], []
    for x0 in lefts:
        rows_out, y = [], 100
        for r in range(rows):
            title_w = int(rng.integers(60, longest)) if r != 3 else 60  # row 3: a title as narrow as a number
            title = (x0 + 60, y - 2, x0 + 60 + title_w, y + 32)
            cells = [(x0, y + 6, x0 + 30, y + 26), (x0 + 40, y, x0 + 46, y + 30), title]
            if r == wrap:
                rows_out.append((x0, y - 2, x0 + 60 + title_w, y + 32))
                segs += cells
                y += 50
                cells = [(x0 + 60, y - 2, x0 + 260, y + 32)]
            page_w = int(rng.integers(25, 45))
            cells.append((x0 + 460 - page_w, y + 6, x0 + 460, y + 26))
            segs += cells
            rows_out.append((min(c[0] for c in cells), min(c[1] for c in cells), x0 + 460, max(c[3] for c in cells)))
            y += 50
        expected.append(rows_out)
    return segs, expected


def test_contents_rows_are_read_across_their_cells() -> None:
    segs, (rows,) = contents_segments()
    flat = [b for block in analyze_layout(segs) for b in block]
    assert flat == rows
    # without table rows, numbers, dandas and page numbers are columns of their own
    apart = [b for block in analyze_layout(segs, LayoutOptions(table_rows=False)) for b in block]
    assert len(apart) > len(rows) and (100, 106, 130, 126) in apart


def test_contents_in_two_halves_keep_their_halves_and_order() -> None:
    segs, (left, right) = contents_segments(lefts=(100, 620), wrap=5)
    flat = [b for block in analyze_layout(segs) for b in block]
    assert flat == left + right  # the wrapped title's row never joins the other half's numbered row


def test_page_numbers_keep_to_their_ragged_titles_across_a_narrow_gutter() -> None:
    # titles end at least 115 px before the page numbers; the next half starts 20 px after them
    segs, (left, right) = contents_segments(lefts=(100, 580), longest=240)
    flat = [b for block in analyze_layout(segs) for b in block]
    assert flat == left + right


def test_joined_rows_never_span_two_text_columns() -> None:
    segs, _ = contents_segments(lefts=(100, 620), wrap=5)
    lines = join_table_rows(group_rows(segs))
    assert all(b[2] <= 560 or b[0] >= 620 for b in lines)


def test_prose_with_short_last_lines_is_not_a_table() -> None:
    segs = []
    for r in range(15):
        y = 100 + r * 50
        for x0 in (100, 640):
            short = r % 3 == 2  # a paragraph's last line, as narrow as a page number
            segs.append((x0, y, x0 + (70 if short else 460), y + 30))
    on, off = analyze_layout(segs), analyze_layout(segs, LayoutOptions(table_rows=False))
    assert on == off
    assert len([b for block in on for b in block]) == 30


def test_a_short_list_inside_a_text_column_stays_in_its_column() -> None:
    segs = []
    for r in range(16):
        y = 100 + r * 50
        segs.append((100, y, 560, y + 30))  # left column: full lines
        short = 5 <= r <= 9  # right column: a list of five one-word items between paragraphs
        segs.append((640, y, 640 + (70 if short else 460), y + 30))
    on, off = analyze_layout(segs), analyze_layout(segs, LayoutOptions(table_rows=False))
    assert on == off
    assert all(b[2] <= 560 or b[0] >= 640 for block in on for b in block)


def test_a_short_list_in_the_left_column_does_not_join_the_right_column() -> None:
    segs = []
    for r in range(16):
        y = 100 + r * 50
        short = 5 <= r <= 9
        segs.append((100, y, 100 + (70 if short else 460), y + 30))
        segs.append((640, y, 1100, y + 30))
    on, off = analyze_layout(segs), analyze_layout(segs, LayoutOptions(table_rows=False))
    assert on == off
    assert all(b[2] <= 560 or b[0] >= 640 for block in on for b in block)


def inset_page(title_words: bool = False):
    """Two columns of 16 rows that narrow around an inset across the gutter in rows 6-9 (a caption in rows 6 and
    9, a picture between them that draws no text box). Returns the segments and the two caption boxes."""
    segs = [(100, 20, 500, 60), (510, 20, 690, 60), (700, 20, 1100, 60)] if title_words else [(100, 20, 1100, 60)]
    for r in range(16):
        y = 100 + r * 50
        for x0, x1 in ((100, 440), (760, 1100)) if 6 <= r <= 9 else ((100, 560), (640, 1100)):
            segs.append((x0, y, x1, y + 30))
    captions = [(480, 100 + 6 * 50 + 8, 720, 100 + 6 * 50 + 38), (480, 100 + 9 * 50 - 8, 720, 100 + 9 * 50 + 22)]
    return segs + captions, captions


def test_page_gutters_of_columns_and_of_a_table() -> None:
    segs, _ = inset_page()
    (x,) = page_gutters(segs)
    assert 560 < x < 640
    assert page_gutters(two_column_page(split_words=True)) and not page_gutters([(100, 100, 900, 130)])
    table, _ = contents_segments()
    assert page_gutters(table) == []  # the channels beside number and page-number columns are not gutters


def test_an_inset_across_the_gutter_is_read_after_both_columns() -> None:
    segs, captions = inset_page(title_words=True)
    lines = [b for block in analyze_layout(segs) for b in block]
    assert lines[0] == (100, 20, 1100, 60)  # the title, set in word pieces across the gutter, stays one line first
    body = lines[1:-2]
    assert sorted(lines[-2:]) == sorted(captions)  # the inset's captions, on their own, after the columns
    assert all(b[2] - b[0] <= 460 for b in body)  # no line joins a column to the inset or across it
    xs = [b[0] for b in body]
    assert xs[:16] == [100] * 16 and all(x >= 640 for x in xs[16:])  # the whole left column first
    assert [b[1] for b in body[:16]] == sorted(b[1] for b in body[:16])


def test_insets_off_reads_an_inset_caption_into_the_columns_as_before() -> None:
    segs, captions = inset_page()
    lines = [b for block in analyze_layout(segs, LayoutOptions(insets=False)) for b in block]
    assert any(b[0] < 440 and b[2] > 760 for b in lines)  # a caption row joined across both columns
    assert not set(captions) & set(lines)


def tall_inset_page(caption_above: bool = False):
    """Two columns of 16 rows narrowing around a tall picture across the gutter in rows 2-13, with a caption
    under it (row 13) and, if asked, one just above the first narrowed row (touching it, in no row of its own
    shared with column text). Returns the segments and the captions."""
    segs = [(100, 20, 1100, 60)]
    for r in range(16):
        y = 100 + r * 50
        for x0, x1 in ((100, 400), (800, 1100)) if 2 <= r <= 13 else ((100, 560), (640, 1100)):
            segs.append((x0, y, x1, y + 30))
    captions = [(440, 100 + 13 * 50 + 8, 760, 100 + 13 * 50 + 38)]
    if caption_above:
        captions.insert(0, (440, 100 + 2 * 50 - 30, 760, 100 + 2 * 50))
    return segs + captions, captions


def test_the_white_beside_a_tall_inset_is_not_a_gutter() -> None:
    """A two-line caption in the middle of the inset crosses the gutter but not the white between the left
    column's edge and the picture, which is white in most rows with text on both sides: a gutter by share,
    but the text right of it is a picture's width away in all rows but the caption's."""
    segs, captions = tall_inset_page()
    segs = [b for b in segs if b not in captions] + [(500, 100 + r * 50, 700, 130 + r * 50) for r in (7, 8)]
    (x,) = page_gutters(segs)
    assert 560 < x < 640


def test_a_caption_just_above_the_narrowed_columns_is_an_inset_too() -> None:
    segs, captions = tall_inset_page(caption_above=True)
    lines = [b for block in analyze_layout(segs) for b in block]
    assert lines[-2:] == captions  # both captions after the columns, top one first
    xs = [b[0] for b in lines[1:-2]]
    assert xs[:16] == [100] * 16 and all(x >= 640 for x in xs[16:])


def test_columns_overlapping_by_a_sliver_are_side_by_side() -> None:
    """The right column starts a little higher, and one line of the left column was drawn 6 px into it."""
    left = [(100, 120 + r * 50, 560, 150 + r * 50) for r in range(10)]
    left[4] = (100, 320, 646, 350)
    right = [(640, 100 + r * 50, 1100, 130 + r * 50) for r in range(10)]
    assert order_blocks([union_box(left), union_box(right)]) == [0, 1]
    # blocks in different rows keep the strict test: a page number under the right column's edge comes last
    assert order_blocks([union_box(left), union_box(right), (630, 700, 660, 720)]) == [0, 1, 2]


def test_on_a_short_page_with_an_inset_the_page_gutter_keeps_columns_apart() -> None:
    """Large type: ten rows only, an inset in rows 4-6 with captions in rows 4 and 6. Around the top rows the
    gutter's own channel is cut short by the title and the captions, but the page's gutter is clear."""
    segs = [(100, 20, 1100, 60)]
    for r in range(10):
        y = 100 + r * 50
        for x0, x1 in ((100, 440), (760, 1100)) if 4 <= r <= 6 else ((100, 560), (640, 1100)):
            segs.append((x0, y, x1, y + 30))
    segs += [(480, 300, 720, 330), (480, 400, 720, 430)]
    lines = [b for block in analyze_layout(segs) for b in block]
    assert all(b[2] <= 560 or b[0] >= 640 or b[1] in (300, 400) or b[1] == 20 for b in lines)
    assert [b[0] for b in lines[1:11]] == [100] * 10  # the left column first, top to bottom



def test_a_caption_just_past_a_narrow_gutter_stays_an_inset_while_rows_join() -> None:
    """Column lines come in word segments out of step by a few pixels (a word with a tall vowel sign), so each
    joined line is taller than its segments. The caption reaches just over a segment's height past the gutter's
    middle on the left: measured on the joined lines instead, it would stop counting as set across the gutter
    after the first round of joins and be joined to the column lines beside it (seen on a large-type page)."""
    segs = []
    for r in range(16):
        y = 100 + r * 50
        for x0, x1 in ((100, 520), (700, 1100)) if 6 <= r <= 9 else ((100, 560), (640, 1100)):
            mid = x0 + (x1 - x0) * (3 + (r * 7) % 5) // 10  # word gaps in no column of their own
            segs += [(x0, y, mid - 10, y + 30), (mid + 10, y + 6, x1, y + 36)]
    captions = [(567, 100 + 6 * 50 + 8, 660, 100 + 6 * 50 + 38), (567, 100 + 9 * 50 - 2, 660, 100 + 9 * 50 + 28)]
    lines = [b for block in analyze_layout(segs + captions) for b in block]
    assert sorted(lines[-2:]) == sorted(captions)
    body = lines[:-2]
    assert all(b[2] <= 560 or b[0] >= 640 for b in body)
    assert [b[0] for b in body[:16]] == [100] * 16  # the whole left column first


def test_word_gaps_overlapping_in_a_sliver_are_no_gutter() -> None:
    """One column in large type, each word boxed apart. The middle gap of each row is at 372-404 or at 400-432 in
    turn, so only a sliver 4 px wide is white in every row (and either side of it, in half of them only); the other
    gaps fall anywhere. Taken for a gutter, the sliver made the word over it an inset caption, and its line fell
    into three."""
    segs = []
    for r in range(16):
        y, a, b = 100 + 50 * r, 150 + 30 * ((3 * r) % 6), 600 + 40 * ((5 * r) % 6)
        mid = (372, 404) if r % 2 else (400, 432)
        segs += [(100, y, a, y + 30), (a + 25, y, mid[0], y + 30), (mid[1], y, b, y + 30), (b + 25, y, 900, y + 30)]
    assert page_gutter_spans(segs, min_width=0) == [(400, 404)]  # the sliver passes every other test
    assert page_gutters(segs) == []
    lines = [b for block in analyze_layout(segs) for b in block]
    assert lines == [(100, 100 + 50 * r, 900, 130 + 50 * r) for r in range(16)]
