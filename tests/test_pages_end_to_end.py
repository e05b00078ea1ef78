"""A small synthetic page read for real (Tesseract's Odia model as the line engine), then every format out.

The only test here that needs a real recognizer: it proves crops, layout and
exports fit together, which fake engines cannot. Skipped without tesseract.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image

from odia_ocr.metrics import score_pair
from odia_ocr.pages.detect import ClassicalLineDetector
from odia_ocr.pages.export import TEXT_FORMATS, export_pdf
from odia_ocr.pages.reader import PageReader, ReadOptions
from odia_ocr.pages.results import Document
from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.pages import PageSynthesizer
from test_pages_support import SENTENCES, fast_fonts


@pytest.mark.skipif(shutil.which("tesseract") is None or shutil.which("pdftotext") is None,
                    reason="needs tesseract (with ori) and pdftotext")
def test_read_a_page_and_copy_its_text_out_of_the_pdf(tmp_path) -> None:
    from odia_ocr.engines.tesseract import TesseractEngine, TesseractError

    try:
        engine = TesseractEngine()
    except TesseractError as err:
        pytest.skip(str(err))
    synth = PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=1.0, p_words=0.0),
                            page_size=(900, 420), sizes=(30, 30), scale=(1.0, 1.0), column_weights=(1, 0, 0))
    page = synth.sample((4, 2), level="clean")
    reader = PageReader(engine, ClassicalLineDetector(), ReadOptions(detector="classical", check_upside_down=False))
    path = tmp_path / "page.png"
    Image.fromarray(page.image).save(path, dpi=(150, 150))
    [(result, image)] = list(reader.iter_document_images(path))
    doc = Document(str(path), [result], engine.name)
    assert abs(len(result.lines) - len(page.lines)) <= 1
    read = score_pair(page.text, result.text, page_mode=True)
    assert read.cer < 0.15, (page.text, result.text)
    for fmt, write in TEXT_FORMATS.items():
        assert write(doc), fmt
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(export_pdf(doc, [image]))
    copied = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    assert score_pair(result.text, copied, page_mode=True).cer == 0.0
