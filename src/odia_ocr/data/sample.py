"""The records of the data layer: a labelled sample, a per-item problem, a whole-dataset error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from odia_ocr.data.images import ImageError, load_image

__all__ = ["SPLITS", "DatasetError", "Problem", "Sample", "normalize_split"]

#: The split names of the standard format.
SPLITS: tuple[str, ...] = ("train", "val", "test")

_SPLIT_ALIASES = {"validation": "val", "valid": "val", "dev": "val", "eval": "val", "training": "train"}


def normalize_split(name: str | None) -> str | None:
    """Standard split name of ``name`` ('validation' and 'dev' become 'val'); unknown names pass through."""
    if name is None:
        return None
    name = str(name).strip().lower()
    return _SPLIT_ALIASES.get(name, name) or None


class DatasetError(ValueError):
    """A dataset that cannot be opened or written at all; ``str()`` is one line."""


@dataclass(frozen=True)
class Problem:
    """One input item left out of a dataset, and why: printed as one line, counted by ``reason``."""

    item: str  # the file, or file and row, the problem is in
    reason: str  # short category used for counting, e.g. "empty text"
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}" + (f" ({self.detail})" if self.detail else "")

    @classmethod
    def from_image_error(cls, item: str, err: ImageError) -> Problem:
        """'missing image' or 'bad image', with ImageError's own words as the detail."""
        message = str(err)
        detail = message[len(item) + 2 :] if message.startswith(f"{item}: ") else message
        return cls(item, "missing image" if detail == "file not found" else "bad image", detail)


@dataclass(frozen=True)
class Sample:
    """A labelled line or page image.

    ``text`` is canonical (:func:`odia_ocr.text.canonicalize`). ``image`` is a
    path or the encoded file's bytes; nothing is decoded until :meth:`load`.
    ``meta`` holds any other manifest keys (font, level, ...).
    """

    id: str
    text: str
    source: str
    image: Path | bytes
    meta: dict[str, Any] = field(default_factory=dict)
    split: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.image, str):
            object.__setattr__(self, "image", Path(self.image))

    @property
    def image_name(self) -> str:
        """How error messages name the image: its path, or source/id for in-table bytes."""
        return str(self.image) if isinstance(self.image, Path) else f"{self.source}/{self.id}"

    def load(self) -> Image.Image:
        """The decoded, upright RGB or L image; raises ImageError with a one-line message naming it."""
        return load_image(self.image, name=self.image_name)

    def __repr__(self) -> str:
        image = str(self.image) if isinstance(self.image, Path) else f"<{len(self.image)} bytes>"
        return (
            f"Sample(id={self.id!r}, text={self.text!r}, source={self.source!r}, image={image!r}, "
            f"split={self.split!r}, meta={self.meta!r})"
        )
