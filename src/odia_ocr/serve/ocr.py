"""The OCR behind the HTTP server: one upload in, one formatted result out, with the model loaded once.

Kept free of any web framework so it can be tested and reused on its own.
Line images are recognized directly; pages and documents (PDF, multi-page
TIFF) go through the page reader from a temporary file, exactly as
`odia-ocr read` reads them, so the server and the command give the same text.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odia_ocr.api import Reader
from odia_ocr.data.images import ImageError, load_image, to_array
from odia_ocr.pages.export import FORMATS, TEXT_FORMATS, SearchablePdf, document_record
from odia_ocr.pages.reader import PageReader, ReadOptions
from odia_ocr.pages.results import Document
from odia_ocr.pages.sources import DocumentError, is_line_shape

__all__ = ["LAYOUTS", "MEDIA_TYPES", "InputError", "OcrResult", "OcrService"]

LAYOUTS = ("auto", "line", "page")

MEDIA_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
    "hocr": "text/html; charset=utf-8",
    "alto": "application/xml",
    "pdf": "application/pdf",
}


class InputError(ValueError):
    """A request the service cannot read; ``str()`` is one line naming the upload and the problem."""


@dataclass(frozen=True)
class OcrResult:
    """A formatted result and how to send it."""

    content: str | bytes
    media_type: str
    pages: int  # 0 for a line image
    skipped_pages: int = 0


class OcrService:
    """Reads uploads with one loaded engine; one request at a time, so a 2-core machine is not oversubscribed."""

    def __init__(self, reader: Reader, options: ReadOptions | None = None) -> None:
        self.reader = reader
        self.page_reader = PageReader(reader.engine, options=options or ReadOptions())
        self._lock = threading.Lock()

    @property
    def engine_name(self) -> str:
        return str(getattr(self.reader.engine, "name", type(self.reader.engine).__name__))

    def describe(self) -> dict[str, Any]:
        """What is loaded, for the health endpoint and the web page."""
        engine = self.reader.engine
        info: dict[str, Any] = {"engine": self.engine_name}
        if getattr(engine, "model_path", None) is not None:
            info["model"] = str(engine.model_path)  # type: ignore[attr-defined]
        decoder = getattr(engine, "decoder", None)
        if decoder is not None:  # named as `read --decoder` names it: beam search with the LM is "lm"
            info["decoder"] = "lm" if decoder == "beam" and getattr(engine, "lm", None) is not None else str(decoder)
        info["detector"] = self.page_reader.options.detector
        return info

    def ocr(self, data: bytes, name: str, layout: str = "auto", fmt: str = "json") -> OcrResult:
        """Read one upload (image or PDF bytes) named ``name`` and format the result as ``fmt``."""
        if layout not in LAYOUTS:
            raise InputError(f"layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
        if fmt not in FORMATS:
            raise InputError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
        if not data:
            raise InputError(f"{name}: empty upload")
        with self._lock:
            if self._is_line(data, name, layout, fmt):
                return self._read_line(data, name, fmt)
            return self._read_document(data, name, fmt)

    def _is_line(self, data: bytes, name: str, layout: str, fmt: str) -> bool:
        if layout != "auto":
            return layout == "line"
        if fmt not in ("txt", "json") or is_pdf_bytes(data):
            return False
        try:
            img = load_image(data, name)
        except ImageError as err:
            raise InputError(str(err)) from None
        if getattr(img, "n_frames", 1) > 1:
            return False
        return is_line_shape(*img.size)

    def _read_line(self, data: bytes, name: str, fmt: str) -> OcrResult:
        if fmt not in ("txt", "json"):
            raise InputError(f"{name}: format {fmt!r} needs page layout (a line image has no page geometry)")
        try:
            image = to_array(load_image(data, name))
        except ImageError as err:
            raise InputError(str(err)) from None
        res = self.reader.engine.recognize([image])[0]
        if fmt == "txt":
            return OcrResult(res.text + "\n", MEDIA_TYPES["txt"], 0)
        record = {"file": name, "text": res.text, "confidence": round(res.confidence, 4)}
        return OcrResult(json.dumps(record, ensure_ascii=False), MEDIA_TYPES["json"], 0)

    def _read_document(self, data: bytes, name: str, fmt: str) -> OcrResult:
        suffix = ".pdf" if is_pdf_bytes(data) else Path(name).suffix[:10]
        fd, tmp = tempfile.mkstemp(prefix="odia-ocr-", suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            doc = Document(name, [], self.engine_name)
            pdf = SearchablePdf() if fmt == "pdf" else None
            try:
                for page, image in self.page_reader.iter_document_images(tmp):
                    doc.pages.append(page)
                    if pdf is not None:
                        pdf.add_page(page, image)
            except DocumentError as err:
                raise InputError(str(err).replace(tmp, name)) from None
        finally:
            Path(tmp).unlink(missing_ok=True)
        skipped = sum(1 for p in doc.pages if p.skipped)
        if pdf is not None:
            return OcrResult(pdf.to_bytes(), MEDIA_TYPES["pdf"], len(doc.pages), skipped)
        if fmt == "json":
            content = json.dumps(document_record(doc, name), ensure_ascii=False)
        else:
            content = TEXT_FORMATS[fmt](doc)
        return OcrResult(content, MEDIA_TYPES[fmt], len(doc.pages), skipped)


def is_pdf_bytes(data: bytes) -> bool:
    """The same test as :func:`odia_ocr.pages.sources.is_pdf`, on bytes in memory."""
    return b"%PDF-" in data[:1024]
