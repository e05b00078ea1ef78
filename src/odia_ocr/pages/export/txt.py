"""Plain-text export: lines as on the page, blocks separated by an empty line, pages by a form feed."""

from __future__ import annotations

from odia_ocr.pages.results import Document

__all__ = ["export_txt"]


def export_txt(document: Document) -> str:
    """The document's text; a skipped page contributes an empty page, so page numbers stay aligned."""
    return document.text + "\n"
