"""Whole pages and documents: sources, cleanup, line detection, layout, reading and exports.

``PageReader(recognizer).read_document(path)`` is the entry point; exporters
live in :mod:`odia_ocr.pages.export`.
"""

from odia_ocr.pages.layout import LayoutOptions
from odia_ocr.pages.reader import PageReader, Progress, ReadOptions
from odia_ocr.pages.results import Block, Document, Line, Page, Word
from odia_ocr.pages.sources import DocumentError, SourcePage, count_pages, iter_pages

__all__ = [
    "Block", "Document", "DocumentError", "LayoutOptions", "Line", "Page", "PageReader", "Progress", "ReadOptions",
    "SourcePage", "Word", "count_pages", "iter_pages",
]
