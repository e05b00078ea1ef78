"""The Python API: read Odia text from an image given as a path, bytes, PIL image or numpy array.

``Reader`` loads its engine once and reuses it; the module-level ``read`` is
a convenience for one-off calls (it loads the model each time). Like
`odia-ocr read`, ``read`` decides by the image's shape whether it holds one
line or a page, so a page photo is never squeezed into a single line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.base import LineResult, Recognizer
from odia_ocr.engines.registry import create_engine

if TYPE_CHECKING:
    from odia_ocr.pages.reader import PageReader, ReadOptions
    from odia_ocr.pages.results import Document, Page

__all__ = ["LAYOUTS", "ImageInput", "Reader", "read"]

ImageInput = str | os.PathLike[str] | bytes | Image.Image | np.ndarray

#: ``auto``: by shape, as `odia-ocr read --layout auto` (at most 160 px tall or 4x wider than tall is a line).
LAYOUTS = ("auto", "line", "page")


class Reader:
    """A loaded engine plus image handling. Use one per process and reuse it.

    The page reader (line detector and layout) is loaded on the first page,
    so reading only lines never pays for it.
    """

    def __init__(
        self,
        engine: str | Recognizer = "default",
        model: str | None = None,
        page_options: ReadOptions | None = None,
        **options: Any,
    ) -> None:
        if isinstance(engine, str):
            if model is not None:
                options["model"] = model
            engine = create_engine(engine, **options)
        self.engine = engine
        self.page_options = page_options
        self._pages: PageReader | None = None

    @property
    def page_reader(self) -> PageReader:
        """The page pipeline over this reader's engine (created on first use)."""
        if self._pages is None:
            from odia_ocr.pages.reader import PageReader

            self._pages = PageReader(self.engine, options=self.page_options)
        return self._pages

    def read_lines(self, images: Sequence[ImageInput]) -> list[LineResult]:
        """Recognize line images in one batch; raises ImageError naming a bad input."""
        arrays = [to_array(load_image(im)) for im in images]
        return self.engine.recognize(arrays)

    def read(self, image: ImageInput, layout: str = "auto") -> LineResult:
        """Text and confidence of a line image, or of a page (lines joined by newlines, blocks by a blank line).

        ``layout`` is ``auto`` (by the image's shape), ``line`` or ``page``;
        a page's confidence is the mean over its lines (0 when none was found).
        """
        from odia_ocr.pages.sources import is_line_shape  # pages load only when used: `import odia_ocr` stays quick

        if layout not in LAYOUTS:
            raise ValueError(f"layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
        img = load_image(image)
        if layout == "line" or (layout == "auto" and is_line_shape(*img.size)):
            return self.engine.recognize([to_array(img)])[0]
        page = self.read_page(img)
        lines = page.lines
        return LineResult(page.text, float(np.mean([ln.confidence for ln in lines])) if lines else 0.0)

    def read_page(self, image: ImageInput) -> Page:
        """One page image read into blocks, lines and words with boxes (see :mod:`odia_ocr.pages.results`)."""
        return self.page_reader.read_image(load_image(image))

    def read_document(self, path: str | os.PathLike[str]) -> Document:
        """Every page of an image, multi-page TIFF or PDF file."""
        return self.page_reader.read_document(path)


def read(image: ImageInput, engine: str = "default", model: str | None = None, layout: str = "auto") -> LineResult:
    """Read one line or page image with a freshly loaded engine (see ``Reader`` for many images)."""
    return Reader(engine, model).read(image, layout)
