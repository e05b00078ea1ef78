"""Real datasets as training line sources (adapters over the data layer)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from odia_ocr.training.batches import LineSource

__all__ = ["DatasetLineSource", "open_line_sources"]


class DatasetLineSource(LineSource):
    """Random access to (grey image, text) of a dataset; unreadable samples are replaced by the next one."""

    def __init__(self, path: str) -> None:
        from odia_ocr.data import open_dataset

        self.path = path
        self.ds = open_dataset(path)
        if len(self.ds) == 0:
            raise FileNotFoundError(f"{path}: dataset has no samples")

    def __len__(self) -> int:
        return len(self.ds)

    def get(self, index: int) -> tuple[np.ndarray, str]:
        from odia_ocr.data.images import ImageError

        for k in range(len(self.ds)):
            sample = self.ds[(index + k) % len(self.ds)]
            try:
                return np.asarray(sample.load().convert("L")), sample.text
            except ImageError:
                continue
        raise FileNotFoundError(f"{self.path}: no readable image in the dataset")


def open_line_sources(paths: Sequence[str]) -> list[LineSource]:
    return [DatasetLineSource(p) for p in paths]
