"""The Python API: read Odia text from an image given as a path, bytes, PIL image or numpy array.

``Reader`` loads its engine once and reuses it; the module-level ``read`` is
a convenience for one-off calls (it loads the model each time).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.base import LineResult, Recognizer
from odia_ocr.engines.registry import create_engine

__all__ = ["ImageInput", "Reader", "read"]

ImageInput = str | os.PathLike[str] | bytes | Image.Image | np.ndarray


class Reader:
    """A loaded engine plus image handling. Use one per process and reuse it."""

    def __init__(self, engine: str | Recognizer = "default", model: str | None = None, **options: Any) -> None:
        if isinstance(engine, str):
            if model is not None:
                options["model"] = model
            engine = create_engine(engine, **options)
        self.engine = engine

    def read_lines(self, images: Sequence[ImageInput]) -> list[LineResult]:
        """Recognize line images in one batch; raises ImageError naming a bad input."""
        arrays = [to_array(load_image(im)) for im in images]
        return self.engine.recognize(arrays)

    def read(self, image: ImageInput) -> LineResult:
        """Recognize one line image."""
        return self.read_lines([image])[0]


def read(image: ImageInput, engine: str = "default", model: str | None = None) -> LineResult:
    """Read one line image with a freshly loaded engine (see ``Reader`` for many images)."""
    return Reader(engine, model).read(image)
