"""The Python API picks line or page reading by the image's shape, as `odia-ocr read` does."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from odia_ocr import Reader
from odia_ocr.pages.reader import ReadOptions
from odia_ocr.pages.results import Page
from test_pages_support import FixedRecognizer, clean_page, page_synthesizer

TEXT = "ଓଡ଼ିଆ ଲେଖା 12"


class CountingRecognizer(FixedRecognizer):
    """Fixed text; remembers the shapes it was given."""

    def __init__(self) -> None:
        super().__init__(TEXT)
        self.shapes: list[tuple[int, ...]] = []

    def recognize(self, images):
        self.shapes += [im.shape for im in images]
        return super().recognize(images)


@pytest.fixture()
def reader() -> Reader:
    return Reader(CountingRecognizer(), page_options=ReadOptions(detector="classical", check_upside_down=False))


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    return Image.fromarray(clean_page(page_synthesizer(), 1).image)


def test_a_page_is_read_line_by_line_not_squeezed_into_one_line(reader, page_image) -> None:
    result = reader.read(page_image)
    assert result.text.count(TEXT) >= 3 and "\n" in result.text and result.confidence == pytest.approx(0.9)
    assert len(reader.engine.shapes) >= 3 and all(h < page_image.height / 3 for h, *_ in reader.engine.shapes)
    buf = io.BytesIO()
    page_image.save(buf, format="PNG")
    assert reader.read(buf.getvalue()).text == result.text


def test_read_page_gives_the_structure(reader, page_image) -> None:
    page = reader.read_page(page_image)
    assert isinstance(page, Page) and len(page.lines) >= 3 and all(ln.box for ln in page.lines)


def test_line_layouts(reader, page_image) -> None:
    line = Image.new("L", (400, 40), 255)
    assert reader.read(line).text == TEXT and reader.engine.shapes[-1][:2] == (40, 400)
    reader.read(page_image, layout="line")  # forced: the whole image goes to the recognizer as one line
    assert reader.engine.shapes[-1][:2] == (page_image.height, page_image.width)
    with pytest.raises(ValueError, match="layout 'column'"):
        reader.read(line, layout="column")
