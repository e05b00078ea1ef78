"""Typed OCR results: Document → Page → Block → Line → Word, with boxes, confidences and JSON round trip.

These are the objects the Python API returns and every exporter reads; the
HTTP API serves their ``to_dict()``. Boxes are ``(x0, y0, x1, y1)`` pixels of
the page image as read (after orientation correction). Word boxes are
estimates: a line box split in proportion to the words' lengths, because the
recognizer reads whole lines and does not report character positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from odia_ocr.pages.boxes import Box

__all__ = ["FORMAT_VERSION", "Block", "Document", "Line", "Page", "Word"]

#: Version of the JSON layout written by ``Document.to_dict``.
FORMAT_VERSION = 1


def _box(value: Any) -> Box:
    x0, y0, x1, y1 = (int(v) for v in value)
    return (x0, y0, x1, y1)


@dataclass
class Word:
    """A word of a line; its box is estimated and its confidence is its line's."""

    text: str
    box: Box
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": list(self.box), "confidence": round(self.confidence, 4)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Word:
        return cls(d["text"], _box(d["box"]), float(d["confidence"]))


@dataclass
class Line:
    """One text line: recognized text, confidence in [0, 1], box and words."""

    text: str
    box: Box
    confidence: float
    words: list[Word] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "box": list(self.box), "confidence": round(self.confidence, 4),
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Line:
        return cls(d["text"], _box(d["box"]), float(d["confidence"]), [Word.from_dict(w) for w in d.get("words", [])])


@dataclass
class Block:
    """A paragraph-like group of lines in reading order."""

    box: Box
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {"box": list(self.box), "lines": [ln.to_dict() for ln in self.lines]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Block:
        return cls(_box(d["box"]), [Line.from_dict(ln) for ln in d.get("lines", [])])


@dataclass
class Page:
    """One page: its blocks in reading order, or a reason it was skipped.

    ``index`` counts from 0 within the document. ``rotation`` is the clockwise
    turn (0, 90, 180, 270) and ``skew`` the small angle in degrees that were
    undone before reading, so boxes refer to the corrected image. ``source``
    says where the text came from: "ocr" or "text-layer". ``notes`` are
    one-line remarks (e.g. "no Odia text recognized") that do not stop a batch.
    """

    index: int
    width: int
    height: int
    blocks: list[Block] = field(default_factory=list)
    rotation: int = 0
    skew: float = 0.0
    dpi: float | None = None
    source: str = "ocr"
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    @property
    def text(self) -> str:
        """Lines separated by newlines, blocks by an empty line."""
        return "\n\n".join(b.text for b in self.blocks if b.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "width": self.width, "height": self.height,
            "rotation": self.rotation, "skew": round(self.skew, 3), "dpi": self.dpi,
            "source": self.source, "skipped": self.skipped, "notes": list(self.notes),
            "blocks": [b.to_dict() for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Page:
        return cls(
            index=int(d["index"]), width=int(d["width"]), height=int(d["height"]),
            blocks=[Block.from_dict(b) for b in d.get("blocks", [])],
            rotation=int(d.get("rotation", 0)), skew=float(d.get("skew", 0.0)), dpi=d.get("dpi"),
            source=d.get("source", "ocr"), skipped=d.get("skipped"), notes=list(d.get("notes", [])),
        )


@dataclass
class Document:
    """The pages read from one input file (image, multi-page TIFF or PDF)."""

    name: str
    pages: list[Page] = field(default_factory=list)
    engine: str = ""

    @property
    def text(self) -> str:
        """Page texts separated by a form feed, as pdftotext and Tesseract do."""
        return "\f".join(p.text for p in self.pages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION, "name": self.name, "engine": self.engine,
            "pages": [p.to_dict() for p in self.pages],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        version = int(d.get("format_version", 0))
        if version > FORMAT_VERSION:
            raise ValueError(f"document JSON format {version} is newer than this odia-ocr reads ({FORMAT_VERSION})")
        return cls(d.get("name", ""), [Page.from_dict(p) for p in d.get("pages", [])], d.get("engine", ""))
