"""Page sources: every input format, page by page, and one-line errors for inputs that cannot be read."""

from __future__ import annotations

import inspect
import io

import numpy as np
import pytest
from PIL import Image

from fixtures_data import png_header_only
from odia_ocr.pages.export import export_pdf
from odia_ocr.pages.results import Block, Document, Line, Page
from odia_ocr.pages.sources import DocumentError, count_pages, is_pdf, iter_pages

pikepdf = pytest.importorskip("pikepdf")


def _image(seed: int, size=(240, 180)) -> Image.Image:
    arr = np.full((size[1], size[0]), 255, np.uint8)
    arr[40 + seed * 10 : 60 + seed * 10, 30:200] = 0
    return Image.fromarray(arr)


def _pdf(pages: int = 3, text: str | None = None, dpi: float = 150.0) -> bytes:
    doc_pages = []
    for i in range(pages):
        lines = [Line(text, (30, 40, 200, 60), 1.0)] if text else []
        doc_pages.append(Page(i, 240, 180, [Block((30, 40, 200, 60), lines)] if lines else [], dpi=dpi))
    return export_pdf(Document("t", doc_pages), [np.asarray(_image(i)) for i in range(pages)])


@pytest.mark.parametrize("fmt,suffix", [("PNG", ".png"), ("JPEG", ".jpg"), ("WEBP", ".webp"), ("TIFF", ".tif")])
def test_single_images(tmp_path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    _image(0).save(path, fmt, **({"dpi": (200, 200)} if fmt in ("PNG", "JPEG", "TIFF") else {}))
    pages = list(iter_pages(path))
    assert len(pages) == 1 and pages[0].image is not None and pages[0].image.size == (240, 180)
    assert pages[0].skipped is None and pages[0].total == 1
    if fmt != "WEBP":
        assert pages[0].dpi == pytest.approx(200, abs=1)
    assert count_pages(path) == 1


def test_multi_page_tiff_is_read_page_by_page(tmp_path) -> None:
    path = tmp_path / "book.tif"
    frames = [_image(i) for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    pages = list(iter_pages(path))
    assert [p.index for p in pages] == [0, 1, 2] and all(p.total == 3 for p in pages)
    for i, p in enumerate(pages):
        assert np.array_equal(np.asarray(p.image), np.asarray(frames[i]))
    assert count_pages(path) == 3


def test_pdf_pages_render_at_the_asked_dpi(tmp_path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(_pdf(3))  # 240x180 px pages at 150 dpi = 115.2 x 86.4 pt
    assert is_pdf(path) and count_pages(path) == 3
    pages = list(iter_pages(path, dpi=300))
    assert len(pages) == 3 and [p.index for p in pages] == [0, 1, 2]
    assert pages[0].image.size == pytest.approx((480, 360), abs=2)
    assert pages[0].dpi == pytest.approx(300)
    small = next(iter(iter_pages(path, dpi=75)))
    assert small.image.size == pytest.approx((120, 90), abs=2)
    # the bar drawn on page 2 is where it was put
    arr = np.asarray(pages[1].image.convert("L"))
    assert arr[110, 200] < 100 and arr[20, 200] > 200


def test_huge_pdf_page_is_rendered_smaller(tmp_path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(_pdf(1))
    page = next(iter(iter_pages(path, dpi=600, max_pixels=20_000)))
    assert page.image.width * page.image.height <= 20_000 * 1.05
    assert page.dpi < 600


def test_pdf_is_streamed_one_page_at_a_time(tmp_path, monkeypatch) -> None:
    import pypdfium2 as pdfium

    path = tmp_path / "doc.pdf"
    path.write_bytes(_pdf(3))
    renders = []
    original = pdfium.PdfPage.render

    def counting(self, *a, **kw):
        renders.append(1)
        return original(self, *a, **kw)

    monkeypatch.setattr(pdfium.PdfPage, "render", counting)
    gen = iter_pages(path)
    assert inspect.isgenerator(gen) and not renders
    next(gen)
    assert len(renders) == 1
    gen.close()


def test_text_layer_only_when_asked(tmp_path) -> None:
    path = tmp_path / "doc.pdf"
    text = "ଓଡ଼ିଆ ଭାଷା 2024"
    path.write_bytes(_pdf(1, text=text))
    assert next(iter(iter_pages(path))).text_lines is None
    page = next(iter(iter_pages(path, dpi=150, text_layer=True)))
    assert [t for _, t in page.text_lines] == [text]
    x0, _y0, x1, y1 = page.text_lines[0][0]
    assert abs(x0 - 30) <= 3 and abs(x1 - 200) <= 3 and abs(y1 - 60) <= 3


def test_encrypted_pdf_is_one_clear_error(tmp_path) -> None:
    path = tmp_path / "secret.pdf"
    with pikepdf.open(io.BytesIO(_pdf(1))) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user="user"))
    with pytest.raises(DocumentError, match="encrypted") as err:
        list(iter_pages(path))
    assert "\n" not in str(err.value) and str(path) in str(err.value)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n garbage", _pdf(2)[:300]])
def test_broken_pdf_is_one_clear_error(tmp_path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match="broken") as err:
        list(iter_pages(path))
    assert "\n" not in str(err.value)


def test_bad_images_are_one_clear_error(tmp_path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(40_000, 40_000))
    with pytest.raises(DocumentError, match="too large"):
        list(iter_pages(bomb))
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image")
    with pytest.raises(DocumentError, match="not a readable image"):
        list(iter_pages(junk))
    with pytest.raises(DocumentError, match="not found"):
        list(iter_pages(tmp_path / "missing.png"))
    with pytest.raises(DocumentError, match="directory"):
        list(iter_pages(tmp_path))
    assert count_pages(junk) is None
