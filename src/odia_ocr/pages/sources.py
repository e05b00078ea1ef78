"""Pages of an input file, one at a time: images, multi-page TIFF and PDF (rasterized with pypdfium2).

A 300-page PDF is never held in memory at once: :func:`iter_pages` renders a
page when it is asked for and lets it go before the next. A file that cannot
be opened at all raises :class:`DocumentError`; a single page that cannot be
read comes back with ``skipped`` set, so the rest of the document is still
read.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from odia_ocr.data.images import MAX_PIXELS, ImageError, load_image
from odia_ocr.pages.boxes import Box
from odia_ocr.text import canonicalize

__all__ = ["DocumentError", "SourcePage", "count_pages", "is_line_shape", "is_pdf", "iter_pages"]


class DocumentError(ValueError):
    """An input file that cannot be read at all; ``str()`` is a one-line message naming it."""


@dataclass
class SourcePage:
    """One page of an input: its image, or the reason it has none.

    ``text_lines`` holds the (box, text) lines of a PDF's own text layer, in
    pixels of ``image``, when the layer was asked for and is not empty.
    ``total`` is the number of pages of the document when known.
    """

    index: int
    image: Image.Image | None
    dpi: float | None = None
    text_lines: list[tuple[Box, str]] | None = None
    skipped: str | None = None
    total: int | None = None


def is_pdf(path: str | os.PathLike[str]) -> bool:
    """True when the file starts (within its first KiB, as readers allow) with a PDF header."""
    try:
        with open(path, "rb") as f:
            return b"%PDF-" in f.read(1024)
    except OSError:
        return False


def is_line_shape(width: int, height: int) -> bool:
    """The `auto` layout's rule: an image at most 160 px tall, or 4x wider than tall, is one text line.

    No page is that short, and a very wide strip is a line at any height.
    """
    return height <= 160 or width >= 4 * height


def count_pages(path: str | os.PathLike[str]) -> int | None:
    """Number of pages of a PDF or multi-page TIFF (1 for other images), or None when unreadable."""
    try:
        if is_pdf(path):
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            try:
                return len(pdf)
            finally:
                pdf.close()
        with Image.open(path) as img:
            return int(getattr(img, "n_frames", 1)) if img.format == "TIFF" else 1
    except Exception:
        return None


def iter_pages(
    path: str | os.PathLike[str], dpi: float = 300, text_layer: bool = False, max_pixels: int = MAX_PIXELS
) -> Iterator[SourcePage]:
    """Yield the pages of ``path`` in order.

    PDF pages are rendered at ``dpi`` (lowered for a page that would exceed
    ``max_pixels``). With ``text_layer`` the PDF's own text is extracted
    as well; it is used only when asked for, because the text layers of Odia
    PDFs made with legacy fonts are often mojibake.
    """
    p = Path(path)
    if not p.exists():
        raise DocumentError(f"{path}: file not found")
    if p.is_dir():
        raise DocumentError(f"{path}: is a directory, not a document")
    if is_pdf(p):
        yield from _pdf_pages(p, dpi, text_layer, max_pixels)
    else:
        yield from _image_pages(p, max_pixels)


def _image_pages(path: Path, max_pixels: int) -> Iterator[SourcePage]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(path)
    except Exception:
        probe = None
    frames = int(getattr(probe, "n_frames", 1)) if probe is not None and probe.format == "TIFF" else 1
    if frames <= 1:
        if probe is not None:
            probe.close()
        try:
            img = load_image(path)
        except ImageError as err:
            raise DocumentError(str(err)) from None
        yield SourcePage(0, img, _dpi_of(img), total=1)
        return
    assert probe is not None
    with probe:
        for i in range(frames):
            label = f"{path} page {i + 1}"
            try:
                probe.seek(i)
                if probe.width * probe.height > max_pixels:
                    raise ImageError(f"{label}: image too large ({probe.width}x{probe.height} pixels)")
                frame = load_image(probe.copy(), name=label)
            except ImageError as err:
                yield SourcePage(i, None, skipped=str(err), total=frames)
                continue
            except (OSError, ValueError, EOFError) as err:
                yield SourcePage(i, None, skipped=f"{label}: broken page ({str(err).splitlines()[0]})", total=frames)
                continue
            yield SourcePage(i, frame, _dpi_of(probe), total=frames)


def _dpi_of(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and value > 1 else None


def _pdf_pages(path: Path, dpi: float, text_layer: bool, max_pixels: int) -> Iterator[SourcePage]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        reason = str(err).splitlines()[0] if str(err) else "unknown error"
        if "password" in reason.lower():
            raise DocumentError(f"{path}: encrypted PDF (a password is required to open it)") from None
        raise DocumentError(f"{path}: broken or unreadable PDF ({reason})") from None
    try:
        total = len(pdf)
        if total == 0:
            raise DocumentError(f"{path}: PDF has no pages")
        for i in range(total):
            yield _render_pdf_page(pdf, i, path, dpi, text_layer, max_pixels, total)
    finally:
        pdf.close()


def _render_pdf_page(
    pdf: object, i: int, path: Path, dpi: float, text_layer: bool, max_pixels: int, total: int
) -> SourcePage:
    import pypdfium2 as pdfium

    label = f"{path} page {i + 1}"
    try:
        page = pdf[i]  # type: ignore[index]
    except pdfium.PdfiumError as err:
        return SourcePage(i, None, skipped=f"{label}: broken page ({err})", total=total)
    try:
        width_pt, height_pt = page.get_size()
        if width_pt <= 0 or height_pt <= 0:
            return SourcePage(i, None, skipped=f"{label}: empty page size", total=total)
        scale = dpi / 72.0
        if width_pt * height_pt * scale * scale > max_pixels:
            scale = (max_pixels / (width_pt * height_pt)) ** 0.5
        image = page.render(scale=scale).to_pil()
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        lines = _text_layer(page, scale, height_pt) if text_layer else None
        return SourcePage(i, image, scale * 72.0, lines or None, total=total)
    except pdfium.PdfiumError as err:
        return SourcePage(i, None, skipped=f"{label}: cannot render ({err})", total=total)
    finally:
        page.close()


def _text_layer(page: object, scale: float, height_pt: float) -> list[tuple[Box, str]]:
    """Lines of a PDF page's own text layer as (pixel box, canonical text), in the PDF's order.

    Lines are split where PDFium puts line breaks; boxes come from the
    characters' "loose" boxes (advance width by font height), which exist
    even for invisible OCR text whose glyphs are empty.
    """
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(text) != n:  # characters outside the BMP: fall back to one call per character
            text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(n))
        out: list[tuple[Box, str]] = []
        chars: list[str] = []
        boxes: list[tuple[float, float, float, float]] = []

        def flush() -> None:
            line = canonicalize("".join(chars)).strip()
            if line and boxes:
                left, top = min(b[0] for b in boxes), max(b[3] for b in boxes)
                right, bottom = max(b[2] for b in boxes), min(b[1] for b in boxes)
                out.append(((int(left * scale), int((height_pt - top) * scale),
                             round(right * scale) + 1, round((height_pt - bottom) * scale) + 1), line))
            chars.clear()
            boxes.clear()

        for i, ch in enumerate(text):
            if ch in "\r\n":
                flush()
                continue
            chars.append(ch)
            if not ch.isspace():
                boxes.append(textpage.get_charbox(i, loose=True))
        flush()
        return out
    finally:
        textpage.close()
