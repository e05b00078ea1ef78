"""JSON export: the Document → Page → Block → Line → Word tree, exactly as ``Document.to_dict`` gives it."""

from __future__ import annotations

import json

from odia_ocr.pages.results import Document

__all__ = ["export_json", "load_json"]


def export_json(document: Document, indent: int | None = 1) -> str:
    """UTF-8-ready JSON text (Odia is written as characters, not escapes)."""
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=indent) + "\n"


def load_json(text: str) -> Document:
    """The document written by :func:`export_json`."""
    return Document.from_dict(json.loads(text))
