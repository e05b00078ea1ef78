"""The recognizer interface every engine implements: line images in, text with confidence out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["LineResult", "Recognizer"]


@dataclass(frozen=True)
class LineResult:
    """Canonical text of one line image and a confidence in [0, 1]."""

    text: str
    confidence: float


@runtime_checkable
class Recognizer(Protocol):
    """Reads cropped text-line images.

    ``images`` are uint8 arrays, (H, W) grey or (H, W, 3) RGB. Results come
    back in the same order, with canonical text. Engines batch internally.
    """

    name: str

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]: ...
