"""Result objects: text assembly, JSON round trip, word-box estimates and box matching."""

from __future__ import annotations

import itertools
import json

import pytest

from odia_ocr.pages.boxes import box_iou, margin_beside, match_boxes, score_detection, union_box
from odia_ocr.pages.export.jsondoc import export_json, load_json
from odia_ocr.pages.results import FORMAT_VERSION, Block, Document, Line, Page
from odia_ocr.pages.words import estimate_words, visible_length


def sample_document() -> Document:
    l1 = Line("ଓଡ଼ିଆ ଭାଷା", (10, 10, 210, 40), 0.9, estimate_words("ଓଡ଼ିଆ ଭାଷା", (10, 10, 210, 40), 0.9))
    l2 = Line("Odisha 2024 ୧୨", (10, 50, 260, 80), 0.8, estimate_words("Odisha 2024 ୧୨", (10, 50, 260, 80), 0.8))
    l3 = Line("ନୂଆ ଅନୁଚ୍ଛେଦ", (10, 120, 200, 150), 0.7, estimate_words("ନୂଆ ଅନୁଚ୍ଛେଦ", (10, 120, 200, 150), 0.7))
    page = Page(0, 300, 400, [Block((10, 10, 260, 80), [l1, l2]), Block((10, 120, 200, 150), [l3])], dpi=300.0)
    skipped = Page(1, 0, 0, skipped="blank page (no ink found)")
    return Document("doc.pdf", [page, skipped], "fake")


def test_text_keeps_line_and_paragraph_breaks() -> None:
    doc = sample_document()
    assert doc.pages[0].text == "ଓଡ଼ିଆ ଭାଷା\nOdisha 2024 ୧୨\n\nନୂଆ ଅନୁଚ୍ଛେଦ"
    assert doc.text == doc.pages[0].text + "\f"
    assert [ln.text for ln in doc.pages[0].lines] == ["ଓଡ଼ିଆ ଭାଷା", "Odisha 2024 ୧୨", "ନୂଆ ଅନୁଚ୍ଛେଦ"]


def test_json_round_trip_is_exact() -> None:
    doc = sample_document()
    text = export_json(doc)
    assert "ଓଡ଼ିଆ" in text  # characters, not \u escapes
    data = json.loads(text)
    assert data["format_version"] == FORMAT_VERSION
    word = data["pages"][0]["blocks"][0]["lines"][0]["words"][0]
    assert set(word) == {"text", "box", "confidence"}
    assert load_json(text) == doc


def test_newer_json_format_is_refused() -> None:
    data = sample_document().to_dict()
    data["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(ValueError, match="newer"):
        Document.from_dict(data)


def test_word_boxes_split_the_line_in_order() -> None:
    words = estimate_words("କ୍ଷମା ଓ ଭୁବନେଶ୍ୱର", (100, 5, 500, 45), 0.5)
    assert [w.text for w in words] == ["କ୍ଷମା", "ଓ", "ଭୁବନେଶ୍ୱର"]
    assert words[0].box[0] == 100 and words[-1].box[2] == 500
    assert all(a.box[2] <= b.box[0] for a, b in itertools.pairwise(words))
    assert all(w.box[1] == 5 and w.box[3] == 45 and w.confidence == 0.5 for w in words)
    # combining signs take no room, so the one-letter word is narrowest
    widths = [w.box[2] - w.box[0] for w in words]
    assert widths[1] < widths[0] < widths[2]
    assert visible_length("କ୍ଷମା") == 3
    assert estimate_words("   ", (0, 0, 10, 10), 1.0) == []


def test_box_helpers() -> None:
    assert box_iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert box_iou((0, 0, 10, 10), (10, 0, 20, 10)) == 0.0
    assert abs(box_iou((0, 0, 10, 10), (5, 0, 15, 10)) - 1 / 3) < 1e-9
    assert union_box([(5, 5, 6, 6), (0, 2, 3, 9)]) == (0, 2, 6, 9)
    truth = [(0, 0, 100, 20), (0, 30, 100, 50)]
    found = [(0, 31, 100, 50), (0, 0, 100, 21), (200, 0, 300, 20)]
    assert sorted((i, j) for i, j, _ in match_boxes(truth, found)) == [(0, 1), (1, 0)]
    s = score_detection(truth, found)
    assert (s.matched, s.found, s.truth) == (2, 3, 2)
    assert s.recall == 1.0 and abs(s.precision - 2 / 3) < 1e-9


def test_margin_beside_is_the_narrower_white_to_text_in_the_same_rows() -> None:
    caption = (480, 300, 720, 330)
    columns = [(100, 290, 440, 320), (760, 310, 1100, 340), (100, 100, 1100, 130)]  # the last is in other rows
    assert margin_beside(caption, [*columns, caption]) == 40.0  # itself does not count
    assert margin_beside(caption, columns[:1]) == 0.0  # nothing on its right
    word = (270, 460, 420, 490)
    assert margin_beside(word, [(100, 460, 250, 490), (440, 465, 760, 495)]) == 20.0
