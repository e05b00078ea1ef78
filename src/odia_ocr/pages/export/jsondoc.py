"""JSON export: the Document → Page → Block → Line → Word tree, exactly as ``Document.to_dict`` gives it."""

from __future__ import annotations

import json
from typing import Any

from odia_ocr.pages.results import Document

__all__ = ["document_record", "export_json", "load_json"]


def export_json(document: Document, indent: int | None = 1) -> str:
    """UTF-8-ready JSON text (Odia is written as characters, not escapes)."""
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=indent) + "\n"


def document_record(document: Document, name: str | None = None) -> dict[str, Any]:
    """One JSON object per input, as `read --json` prints it: file, text, mean line confidence, then the tree.

    The first three keys are the same as for a line image, so consumers of
    ``--json`` can treat lines and pages alike.
    """
    lines = [ln for p in document.pages for ln in p.lines]
    conf = sum(ln.confidence for ln in lines) / len(lines) if lines else 0.0
    return {"file": name or document.name, "text": document.text, "confidence": round(conf, 4), **document.to_dict()}


def load_json(text: str) -> Document:
    """The document written by :func:`export_json`."""
    return Document.from_dict(json.loads(text))
