"""Synthetic pages: deterministic, boxes hold the ink, the standard format on disk; detectors measured on them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from odia_ocr.pages.boxes import score_detection
from odia_ocr.pages.detect import (
    ClassicalLineDetector,
    RapidLineDetector,
    create_detector,
    fit_to_ink,
    split_at_gaps,
)
from odia_ocr.pages.layout import LayoutOptions, analyze_layout
from odia_ocr.pages.preprocess import prepare_page
from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.pages import PageSynthesizer, page_legible, write_page_dataset, write_pages
from test_pages_support import SENTENCES, clean_page, fast_fonts, page_synthesizer


@pytest.fixture(scope="module")
def synth():
    return page_synthesizer()


@pytest.fixture(scope="module")
def pages(synth):
    return [clean_page(synth, k) for k in range(3)]


def test_same_key_same_page(synth) -> None:
    a, b = synth.sample((5, 1)), synth.sample((5, 1))
    assert np.array_equal(a.image, b.image) and a.text == b.text
    c = synth.sample((5, 2))
    assert c.image.shape != a.image.shape or not np.array_equal(a.image, c.image)


def test_boxes_hold_the_ink_and_text_is_in_reading_order(pages) -> None:
    for page in pages:
        h, w = page.image.shape
        ink = page.image < 128
        covered = np.zeros_like(ink)
        for line in page.lines:
            x0, y0, x1, y1 = line.box
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
            assert ink[y0:y1, x0:x1].any(), line
            covered[y0:y1, x0:x1] = True
        # every ink pixel outside pictures and rules lies in some line box
        text_ink = ink & covered
        assert text_ink.sum() > 0.5 * ink.sum() or any(ln.role == "caption" for ln in page.lines)
        assert page.text.split("\n") == [ln.text for ln in page.lines]
        assert {ln.role for ln in page.lines} <= {"body", "header", "title", "caption", "page-number"}


def test_standard_format_on_disk(tmp_path, synth, pages) -> None:
    n = write_page_dataset(tmp_path, [("p0", pages[0]), ("p1", pages[1])], "test")
    assert n == 2
    rows = [json.loads(x) for x in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p0", "p1"]
    r = rows[0]
    assert {"id", "image", "text", "source", "split", "lines"} <= set(r) and r["split"] == "test"
    assert r["text"] == "\n".join(ln["text"] for ln in r["lines"])
    assert all(len(ln["box"]) == 4 for ln in r["lines"])
    assert Image.open(tmp_path / r["image"]).size == pages[0].image.shape[::-1]


def test_write_pages_as_the_synth_command_calls_it(tmp_path) -> None:
    n = write_pages(fast_fonts(), SENTENCES, tmp_path, 2, seed=3, level="light", source="s")
    assert n == 2
    assert len((tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert write_pages(fast_fonts(), SENTENCES, tmp_path, 1, seed=3) == 1  # a fresh set, not appended
    assert len((tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def _detect(detector, page):
    grey = prepare_page(page.image).grey
    return [b for block in analyze_layout(detector.detect(grey)) for b in block]


def test_classical_detector_finds_the_lines(pages) -> None:
    total = None
    for page in pages:
        s = score_detection([ln.box for ln in page.lines], _detect(ClassicalLineDetector(), page))
        total = s if total is None else total.__iadd__(s)
    assert total.precision >= 0.9 and total.recall >= 0.9, total


def test_rapidocr_detector_finds_the_lines(pages) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    detector = create_detector("rapidocr")
    assert isinstance(detector, RapidLineDetector)
    page = pages[0]
    s = score_detection([ln.box for ln in page.lines], _detect(detector, page))
    assert s.precision >= 0.9 and s.recall >= 0.9, s


def test_fit_to_ink_shrinks_and_drops_empty_boxes() -> None:
    grey = np.full((100, 200), 255, np.uint8)
    grey[40:60, 50:150] = 0
    assert fit_to_ink(grey, [(30, 20, 170, 80), (0, 0, 20, 20)]) == [(50, 40, 150, 60)]


def test_boxes_are_cut_at_wide_gaps_only() -> None:
    grey = np.full((100, 400), 255, np.uint8)
    grey[40:60, 10:100] = 0
    grey[40:60, 105:190] = 0  # a 5 px word gap
    grey[40:60, 230:390] = 0  # a 40 px gutter
    assert split_at_gaps(grey, [(0, 30, 400, 70)], 0.5) == [(10, 40, 190, 60), (230, 40, 390, 60)]


def test_unknown_detector_name() -> None:
    with pytest.raises(ValueError, match="unknown line detector"):
        create_detector("nope")


def test_page_legibility_catches_buried_text() -> None:
    """Noise and grey paper keep text legible; a region turned black around the letters does not."""
    mask = np.zeros((200, 300), np.uint8)
    for y in range(20, 180, 40):
        mask[y : y + 12, 20:280:8] = 255  # letter-like strokes
    rng = np.random.default_rng(0)
    noisy = np.clip(200 - 0.6 * mask + rng.normal(0, 15, mask.shape), 0, 255).astype(np.uint8)
    assert page_legible(mask, noisy)
    assert page_legible(mask, mask, inverted=True)  # white letters on black, as printed inverted
    buried = noisy.copy()
    buried[:100] = 0  # half the page black: the text there is gone
    assert not page_legible(mask, buried)



def test_contents_pages_are_tables_read_row_by_row() -> None:
    synth = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0), table_share=1.0)
    page = synth.sample((7, 0), level="clean")
    assert page.meta["table"] is True
    rows = [ln for ln in page.lines if ln.role == "body"]
    assert len(rows) >= 10
    # a numbered row reads "12 । title 34" and its box spans number to page number
    first = next(ln for ln in rows if ln.text[0].isdigit())
    number, *_, page_no = first.text.split()
    assert number.isdigit() and page_no.isdigit() and int(page_no) >= 1
    segments = ClassicalLineDetector().detect(prepare_page(page.image).grey)
    joined = [b for block in analyze_layout(segments) for b in block]
    apart = [b for block in analyze_layout(segments, LayoutOptions(table_rows=False)) for b in block]
    truth = [ln.box for ln in page.lines]
    assert score_detection(truth, joined).recall >= 0.85
    assert score_detection(truth, apart).recall < 0.5


def test_prose_pages_are_unchanged_by_the_contents_option() -> None:
    plain = page_synthesizer().sample((5, 1))
    with_option = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0), table_share=0.0)
    assert np.array_equal(plain.image, with_option.sample((5, 1)).image)


def test_inset_pages_flow_both_columns_around_the_inset() -> None:
    synth = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0),
                            column_weights=(0.0, 1.0, 0.0), inset_share=1.0)
    page = next(p for k in range(6) if (p := synth.sample((11, k), level="clean")).meta.get("inset"))
    insets = [ln for ln in page.lines if ln.role == "inset"]
    body = [ln for ln in page.lines if ln.role == "body"]
    assert insets and len(body) >= 20
    assert page.lines[-len(insets):] == insets  # read after the columns
    left = min(ln.box[0] for ln in insets)
    right = max(ln.box[2] for ln in insets)
    top = min(ln.box[1] for ln in insets)
    bottom = max(ln.box[3] for ln in insets)
    for ln in body:  # no column line runs into the inset's rows where the inset is
        if ln.box[3] > top and ln.box[1] < bottom:
            assert ln.box[2] <= left or ln.box[0] >= right, ln.box


def test_prose_pages_are_unchanged_by_the_inset_option() -> None:
    plain = page_synthesizer().sample((5, 1))
    with_option = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0), inset_share=0.0)
    assert np.array_equal(plain.image, with_option.sample((5, 1)).image)
