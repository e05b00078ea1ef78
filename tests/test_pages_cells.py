"""Lines cut at wide gaps between their segments, so table cells are read apart and joined by a space."""

from __future__ import annotations

from odia_ocr.engines.base import LineResult
from odia_ocr.pages.cells import cell_spans, join_cells


def test_a_gap_wider_than_the_limit_cuts_the_line() -> None:
    line = (0, 0, 1000, 30)
    segs = [(0, 0, 200, 30), (210, 2, 400, 28), (800, 5, 840, 25), (870, 0, 1000, 30)]
    assert cell_spans(line, segs, 1.5) == [(0, 400), (800, 1000)]  # 400 px is a cut, 30 px is not
    assert cell_spans(line, segs, 15.0) == [(0, 1000)]
    assert cell_spans(line, segs, 0) == [(0, 1000)]  # off


def test_segments_of_other_lines_and_single_segments_do_not_cut() -> None:
    line = (0, 100, 1000, 130)
    assert cell_spans(line, [(0, 100, 1000, 130)], 1.5) == [(0, 1000)]
    others = [(0, 100, 200, 130), (600, 0, 700, 30), (600, 200, 700, 230)]  # the gap is white only in this line
    assert cell_spans(line, others, 1.5) == [(0, 1000)]


def test_cells_join_with_one_space_and_length_weighted_confidence() -> None:
    joined = join_cells([LineResult("୧୨ । ଶରଣ ", 0.9), LineResult("", 0.1), LineResult("୩୪", 0.6)])
    assert joined.text == "୧୨ । ଶରଣ ୩୪"
    assert abs(joined.confidence - (8 * 0.9 + 1 * 0.1 + 2 * 0.6) / 11) < 1e-9
    single = LineResult("ଓଡ଼ିଆ", 0.8)
    assert join_cells([single]) is single
