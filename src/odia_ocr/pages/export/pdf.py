"""Searchable PDF: each page image with an invisible text layer that copies out as correct Unicode Odia.

The text layer uses the "glyphless font" technique of Tesseract and
OCRmyPDF: a Type0 font whose character codes are UTF-16 code units, whose
ToUnicode map sends every code back to itself and whose glyphs are all
empty. Text is written in logical (Unicode) order in render mode 3
(invisible), so copying, searching and ``pdftotext`` give exactly the
recognized text; no Odia shaping is involved, because nothing is drawn.
Each line is stretched (Tz) to its box, so selection follows the image.
PDF objects are written with pikepdf (qpdf).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
from PIL import Image

from odia_ocr.pages.results import Document, Page

__all__ = ["SearchablePdf", "export_pdf", "glyphless_font"]

_DEFAULT_DPI = 300.0
_CHAR_WIDTH = 500  # every glyph's advance, in 1/1000 em


def glyphless_font() -> bytes:
    """A tiny TrueType font with an empty .notdef and one empty glyph 500 units wide."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "blank"])
    fb.setupCharacterMap({})
    empty = TTGlyphPen(None).glyph()
    fb.setupGlyf({".notdef": empty, "blank": empty})
    fb.setupHorizontalMetrics({".notdef": (_CHAR_WIDTH, 0), "blank": (_CHAR_WIDTH, 0)})
    fb.setupHorizontalHeader(ascent=1000, descent=0)
    fb.setupNameTable({"familyName": "GlyphLessFont", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=1000, sTypoDescender=0, usWinAscent=1000, usWinDescent=0)
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()


def _to_unicode_cmap() -> bytes:
    """CMap mapping every 2-byte code to the same UTF-16 code unit (in 256 ranges, as the spec allows)."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)]
    chunks = []
    for i in range(0, 256, 100):  # at most 100 entries per bfrange block
        part = ranges[i : i + 100]
        chunks.append(f"{len(part)} beginbfrange\n" + "\n".join(part) + "\nendbfrange")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(chunks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _hex_utf16(text: str) -> str:
    """The text as a PDF hex string of UTF-16BE code units (characters outside the BMP become U+FFFD)."""
    safe = "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in text)
    return "<" + safe.encode("utf-16-be").hex().upper() + ">"


class SearchablePdf:
    """Builds a searchable PDF page by page; ``to_bytes()`` writes it.

    Page images are kept as JPEG (colour, grey) or Flate (black and white)
    streams, so a long document costs their compressed size in memory.
    """

    def __init__(self, jpeg_quality: int = 85) -> None:
        import pikepdf

        self._pikepdf = pikepdf
        self.pdf = pikepdf.new()
        self.jpeg_quality = jpeg_quality
        self._font = self._make_font()

    def _make_font(self) -> object:
        pikepdf, pdf = self._pikepdf, self.pdf
        Name = pikepdf.Name
        font_file = pikepdf.Stream(pdf, glyphless_font())
        descriptor = pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.FontDescriptor, FontName=Name.GlyphLessFont, Flags=5,
            FontBBox=[0, 0, _CHAR_WIDTH, 1000], ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000,
            StemV=80, FontFile2=font_file,
        ))
        cid_to_gid = pikepdf.Stream(pdf, zlib.compress(b"\x00\x01" * 65536), Filter=Name.FlateDecode)
        cid_font = pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name.GlyphLessFont,
            CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                             Supplement=0),
            FontDescriptor=descriptor, DW=_CHAR_WIDTH, CIDToGIDMap=cid_to_gid,
        ))
        to_unicode = pikepdf.Stream(pdf, _to_unicode_cmap())
        return pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.GlyphLessFont, Encoding=Name("/Identity-H"),
            DescendantFonts=[cid_font], ToUnicode=to_unicode,
        ))

    def _image_stream(self, image: np.ndarray) -> object:
        pikepdf = self._pikepdf
        Name = pikepdf.Name
        img = Image.fromarray(image)
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=self.jpeg_quality)
        colour = Name.DeviceRGB if img.mode == "RGB" else Name.DeviceGray
        return pikepdf.Stream(self.pdf, buf.getvalue(), Type=Name.XObject, Subtype=Name.Image, Width=img.width,
                              Height=img.height, ColorSpace=colour, BitsPerComponent=8, Filter=Name.DCTDecode)

    def add_page(self, page: Page, image: np.ndarray | Image.Image | None) -> None:
        """Add one page: its (corrected) image with the page's lines as invisible text.

        A page without an image (it could not be read) becomes a blank page
        of its size, or is left out when even the size is unknown.
        """
        pikepdf = self._pikepdf
        Name = pikepdf.Name
        arr = np.asarray(image) if image is not None else None
        width = arr.shape[1] if arr is not None else page.width
        height = arr.shape[0] if arr is not None else page.height
        if width <= 0 or height <= 0:
            return
        k = 72.0 / (page.dpi or _DEFAULT_DPI)  # points per pixel
        w_pt, h_pt = width * k, height * k
        ops = []
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=self._font))
        if arr is not None:
            resources.XObject = pikepdf.Dictionary(Im0=self._image_stream(arr))
            ops.append(f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q")
        ops.append("BT 3 Tr")
        for line in page.lines:
            x0, y0, x1, y1 = line.box
            size = max((y1 - y0) * k, 1.0)
            n = len(line.text)
            if n == 0:
                continue
            stretch = 100.0 * (x1 - x0) * k / (n * size * _CHAR_WIDTH / 1000)
            ops.append(f"/F1 {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 {x0 * k:.3f} {h_pt - y1 * k:.3f} Tm "
                       f"{_hex_utf16(line.text)} Tj")
        ops.append("ET")
        content = pikepdf.Stream(self.pdf, "\n".join(ops).encode("ascii"))
        self.pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=Name.Page, MediaBox=[0, 0, round(w_pt, 3), round(h_pt, 3)], Resources=resources, Contents=content,
        )))

    def to_bytes(self) -> bytes:
        """The finished PDF."""
        buf = io.BytesIO()
        self.pdf.save(buf, compress_streams=True)
        return buf.getvalue()


def export_pdf(document: Document, images: Iterable[np.ndarray | Image.Image | None] | None = None) -> bytes:
    """A searchable PDF of ``document``; ``images`` are the pages' corrected images, in order.

    Without images the pages are blank but still carry the text layer (useful
    for tests and for text-only output).
    """
    pdf = SearchablePdf()
    imgs: Sequence[np.ndarray | Image.Image | None] = list(images) if images is not None else []
    for i, page in enumerate(document.pages):
        pdf.add_page(page, imgs[i] if i < len(imgs) else None)
    return pdf.to_bytes()
