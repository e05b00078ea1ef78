"""PageReader: batched recognition, upside-down pages, text layers and bad input that must not stop a batch."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from fixtures_data import png_header_only
from odia_ocr.pages.detect import ClassicalLineDetector
from odia_ocr.pages.export import export_pdf
from odia_ocr.pages.preprocess import rotate_quarter
from odia_ocr.pages.reader import PageReader, ReadOptions, line_crop_boxes
from odia_ocr.pages.results import Block, Document, Line, Page
from odia_ocr.pages.sources import DocumentError
from test_pages_support import FixedRecognizer, LeftHeavyRecognizer, clean_page, page_synthesizer


@pytest.fixture(scope="module")
def page():
    return clean_page(page_synthesizer(), 11)


def reader(recognizer, **options) -> PageReader:
    return PageReader(recognizer, ClassicalLineDetector(), ReadOptions(detector="classical", **options))


def test_all_lines_of_a_page_in_one_call(page) -> None:
    rec = FixedRecognizer()
    result = reader(rec, check_upside_down=False).read_image(page.image)
    assert len(rec.calls) == 1 and rec.calls[0] >= len(result.lines)  # a line cut at a wide gap is two crops
    assert abs(len(result.lines) - len(page.lines)) <= 1
    assert result.skipped is None and result.notes == []
    assert (result.width, result.height) == page.image.shape[::-1] and result.rotation == 0
    line = result.lines[0]
    assert line.text == "ଓଡ଼ିଆ ଲେଖା 12" and line.confidence == 0.9
    assert [w.text for w in line.words] == ["ଓଡ଼ିଆ", "ଲେଖା", "12"]
    assert result.text.count("\n") >= len(result.lines) - 1


def test_upright_check_only_for_unsure_pages(page) -> None:
    sure = FixedRecognizer(confidence=0.9)
    reader(sure).read_image(page.image)
    assert len(sure.calls) == 1
    n = sure.calls[0]
    unsure = FixedRecognizer(confidence=0.5)
    result = reader(unsure).read_image(page.image)
    # all lines; then the 3 widest upright and turned 180°: no better, so kept. A prose page's ink profiles
    # tell across from down clearly, so no quarter turn is tried...
    assert unsure.calls == [n, 3, 3] and result.rotation == 0
    # ...unless asked for at any margin: then also the page turned a quarter, 3 lines each way
    unsure.calls.clear()
    assert reader(unsure, quarter_turn_below=float("inf")).read_image(page.image).rotation == 0
    assert unsure.calls == [n, 3, 3, 3, 3]


def test_upside_down_page_is_turned(page) -> None:
    turned = rotate_quarter(page.image, 180)
    result = reader(LeftHeavyRecognizer()).read_image(turned)
    assert result.rotation == 180
    upright = reader(LeftHeavyRecognizer()).read_image(page.image)
    assert upright.rotation == 0
    assert [ln.box for ln in result.lines] == [ln.box for ln in upright.lines]


def test_confidence_floor_drops_lines(page) -> None:
    result = reader(FixedRecognizer(confidence=0.2), min_confidence=0.5, check_upside_down=False).read_image(page.image)
    assert result.lines == [] and result.skipped == "no text recognized"


def test_page_without_odia_gets_a_note(page) -> None:
    result = reader(FixedRecognizer(text="Hello 123")).read_image(page.image)
    assert result.lines and result.notes == ["no Odia text recognized"]


def test_blank_tiny_and_picture_pages_are_skipped_with_a_reason() -> None:
    r = reader(FixedRecognizer())
    assert r.read_image(np.full((600, 400), 250, np.uint8)).skipped == "blank page (no ink found)"
    assert "too small" in r.read_image(np.zeros((1, 1), np.uint8)).skipped
    yy, xx = np.mgrid[0:600, 0:400]
    photo = (128 + 100 * np.sin(xx / 60.0) * np.cos(yy / 80.0)).astype(np.uint8)
    # a smooth photo has no ink darker than its surroundings: nothing to read, and a reason says so
    assert r.read_image(photo).skipped in ("blank page (no ink found)", "no text lines found")


def test_document_of_mixed_pages_never_stops(tmp_path, page) -> None:
    path = tmp_path / "mixed.tif"
    frames = [Image.fromarray(page.image), Image.new("L", page.image.shape[::-1], 255), Image.fromarray(page.image)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    progress = []
    doc = reader(FixedRecognizer()).read_document(path, progress=lambda done, total: progress.append((done, total)))
    assert [p.skipped for p in doc.pages] == [None, "blank page (no ink found)", None]
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert doc.engine == "fixed" and doc.name == str(path)


def test_unreadable_documents_raise_one_line_errors(tmp_path) -> None:
    r = reader(FixedRecognizer())
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(30_000, 30_000))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")
    for path in (bomb, broken):
        with pytest.raises(DocumentError) as err:
            r.read_document(path)
        assert "\n" not in str(err.value)


def test_text_layer_is_used_only_when_asked(tmp_path) -> None:
    img = np.full((300, 400), 255, np.uint8)
    img[100:130, 50:350] = 0
    text = "ଓଡ଼ିଆ ପାଠ English 42"
    doc = Document("t", [Page(0, 400, 300, [Block((50, 100, 350, 130), [Line(text, (50, 100, 350, 130), 1.0)])],
                              dpi=100)])
    path = tmp_path / "layer.pdf"
    path.write_bytes(export_pdf(doc, [img]))
    layered = reader(FixedRecognizer(), use_text_layer=True, dpi=100).read_document(path)
    assert layered.pages[0].source == "text-layer" and layered.pages[0].text == text
    ocr = reader(FixedRecognizer(), dpi=100).read_document(path)
    assert ocr.pages[0].source == "ocr" and ocr.pages[0].text != text


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="dpi"):
        ReadOptions(dpi=5)
    with pytest.raises(ValueError, match="min_confidence"):
        ReadOptions(min_confidence=2)
    with pytest.raises(ValueError, match="unknown line detector"):
        ReadOptions(detector="magic")


def test_one_pixel_file_is_a_skipped_page(tmp_path) -> None:
    path = tmp_path / "dot.png"
    Image.new("L", (1, 1), 0).save(path)
    doc = reader(FixedRecognizer()).read_document(path)
    assert len(doc.pages) == 1 and "too small" in doc.pages[0].skipped


def test_huge_page_is_read_from_a_reduced_copy(page) -> None:
    big = np.kron(page.image, np.ones((2, 2), np.uint8))  # the page at twice the resolution
    limit = page.image.size + 1000
    result = reader(FixedRecognizer(), max_pixels=limit).read_image(big, dpi=300)
    assert result.width * result.height <= limit and result.dpi == pytest.approx(150, rel=0.01)
    assert abs(len(result.lines) - len(page.lines)) <= 1


def test_short_lines_are_cropped_at_their_blocks_full_line_height() -> None:
    """A line without tall signs or subscripts gets a short ink box; its crop grows evenly to the block's height."""
    layout = [[(10, 100, 500, 140), (10, 150, 500, 182), (10, 200, 500, 240)], [(600, 5, 900, 25)]]
    boxes = line_crop_boxes(layout)
    assert boxes[0] == (10, 100, 500, 140) and boxes[2] == (10, 200, 500, 240)  # full-height lines stay
    assert boxes[1] == (10, 146, 500, 186)  # 32 px grown to 40, centred
    assert boxes[3] == (600, 5, 900, 25)  # a one-line block keeps its own height
    assert line_crop_boxes([[(0, 2, 50, 10), (0, 20, 50, 40), (0, 50, 50, 70)]])[0] == (0, 0, 50, 16)  # clipped at 0
    # One box spanning two lines does not blow up the others (a high quantile, not the maximum).
    block = [(0, 50 * k, 400, 50 * k + 40) for k in range(10)] + [(0, 600, 400, 690)]
    assert all(b[3] - b[1] == 40 for b in line_crop_boxes([block])[:10])


def test_table_rows_are_read_cell_by_cell_with_word_boxes_in_their_cells() -> None:
    from odia_ocr.synth.corpus import TextSampler
    from odia_ocr.synth.pages import PageSynthesizer
    from test_pages_support import SENTENCES, fast_fonts

    synth = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0), table_share=1.0)
    image = synth.sample((7, 0), level="clean").image
    rec = FixedRecognizer()
    page = reader(rec, check_upside_down=False).read_image(image)
    assert rec.calls[0] > len(page.lines)  # rows were cut into cells, all read in the one call
    rows = [ln for ln in page.lines if len(ln.words) == 6]  # two cells, each read as the fixed three words
    assert rows and all(ln.text == f"{rec.text} {rec.text}" for ln in rows)
    for ln in rows:
        h = ln.box[3] - ln.box[1]
        assert ln.words[3].box[0] - ln.words[2].box[2] > 1.5 * h  # the gap between the cells stays a gap
        assert ln.box[0] <= ln.words[0].box[0] and ln.words[-1].box[2] <= ln.box[2]
    whole = reader(FixedRecognizer(), check_upside_down=False, cell_gap=0).read_image(image)
    assert all(len(ln.words) == 3 for ln in whole.lines)


def test_contents_page_taken_for_sideways_is_turned_back_by_the_recognizer() -> None:
    """A table of contents whose page-number column fools the ink profiles into a quarter turn (key 4 does)."""
    from odia_ocr.engines.compact import DefaultEngine
    from odia_ocr.metrics import score_pair
    from odia_ocr.pages.preprocess import prepare_page
    from odia_ocr.synth.corpus import TextSampler
    from odia_ocr.synth.pages import PageSynthesizer
    from test_pages_support import SENTENCES, fast_fonts

    synth = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0), table_share=1.0)
    page = synth.sample((99, 4), level="clean")
    prepared = prepare_page(page.image)
    assert prepared.rotation == 90 and prepared.orientation_margin < ReadOptions().quarter_turn_below
    result = reader(DefaultEngine()).read_image(page.image)
    assert result.rotation == 0 and (result.width, result.height) == page.image.shape[::-1]
    sideways = reader(DefaultEngine(), check_upside_down=False).read_image(page.image)
    assert sideways.rotation == 90
    assert reader(DefaultEngine(), quarter_turn_below=0).read_image(page.image).rotation == 90
    # (the classical detector splits this page's first half into number and title columns, hence not lower)
    assert score_pair(page.text, result.text, page_mode=True).cer < 0.25
    assert score_pair(page.text, sideways.text, page_mode=True).cer > 0.8


class _SeeingDetector(ClassicalLineDetector):
    """The classical detector, keeping the page it was given."""

    def detect(self, grey):
        self.seen = grey
        return super().detect(grey)


class _KeepingRecognizer(FixedRecognizer):
    """Reads every line as FixedRecognizer does, keeping the crops."""

    def recognize(self, images):
        self.crops = list(images)
        return super().recognize(images)


def _specks(grey: np.ndarray) -> int:
    """Dark connected components of at most 8 pixels."""
    import cv2

    _, _, stats, _ = cv2.connectedComponentsWithStats((grey < 128).astype(np.uint8), connectivity=8)
    return int((stats[1:, cv2.CC_STAT_AREA] <= 8).sum())


def test_the_detector_sees_the_page_without_specks_and_the_recognizer_as_it_is(page) -> None:
    rng = np.random.default_rng(3)
    noisy = page.image.copy()
    noisy[(rng.random(noisy.shape) < 0.002) & (page.image == 255)] = 0
    seen = {}
    for despeckle in (True, False):
        detector, rec = _SeeingDetector(), _KeepingRecognizer()
        opts = ReadOptions(detector="classical", check_upside_down=False, detect_despeckled=despeckle)
        result = PageReader(rec, detector, opts).read_image(noisy)
        assert abs(len(result.lines) - len(page.lines)) <= 1
        seen[despeckle] = _specks(detector.seen), sum(_specks(c) for c in rec.crops)
    # the detector's view: specks on the paper gone (those within 3 px of a letter stay, as the letter's own bits)
    assert seen[False][0] > 1000 and seen[True][0] < 0.15 * seen[False][0]
    assert seen[True][1] > 100 and seen[True][1] == seen[False][1]  # the recognizer's crops keep them
