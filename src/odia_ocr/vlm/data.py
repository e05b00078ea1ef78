"""Training data for the VLM: datasets through the data layer, in an order that is a pure function of the position.

Item ``k`` of a rank's stream is always the same sample (epoch ``k // n``,
shuffled by (seed, epoch)), and whether it is skipped depends only on that
sample. Resuming at position ``k`` therefore replays exactly the data an
uninterrupted run would have seen, whatever number of loader processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from odia_ocr.data.images import ImageError
from odia_ocr.vlm.collator import ChatEncoder, Example, Skipped

__all__ = ["SampleLike", "StreamItem", "TrainStream", "holdout_split", "open_samples"]


class SampleLike(Protocol):
    """What the VLM needs of a data-layer sample."""

    id: str
    text: str
    source: str

    def load(self) -> Any: ...


def open_samples(path: str, split: str | None = None) -> Sequence[SampleLike]:
    """The samples of a dataset at ``path`` (any format the data layer reads), optionally one split."""
    from odia_ocr.data import open_dataset

    ds = open_dataset(path, split=split)
    if len(ds) == 0:
        raise ValueError(f"{path}: no usable samples" + (f" in split {split!r}" if split else ""))
    return ds


def holdout_split(n: int, size: int, seed: int) -> tuple[list[int], list[int]]:
    """(train indices, validation indices): ``size`` samples chosen by ``seed``, the rest for training."""
    size = max(0, min(size, n // 2))
    order = np.random.default_rng([seed, 7919]).permutation(n)
    val = sorted(int(i) for i in order[:size])
    held = set(val)
    return [i for i in range(n) if i not in held], val


@dataclass
class StreamItem:
    position: int
    result: Example | Skipped


class TrainStream:
    """Map-style dataset: item ``k`` is this rank's ``k``-th training example (or why it was skipped)."""

    def __init__(self, samples: Sequence[SampleLike], indices: Sequence[int], encoder: ChatEncoder, seed: int,
                 rank: int = 0, world_size: int = 1) -> None:
        if not indices:
            raise ValueError("no training samples")
        self.samples = samples
        self.indices = list(indices)
        self.encoder = encoder
        self.seed = seed
        self.rank = rank
        self.world_size = world_size
        self._orders: dict[int, np.ndarray] = {}

    def sample_at(self, position: int) -> SampleLike:
        k = position * self.world_size + self.rank
        epoch, offset = divmod(k, len(self.indices))
        order = self._orders.get(epoch)
        if order is None:
            order = np.random.default_rng([self.seed, epoch]).permutation(len(self.indices))
            self._orders = {epoch: order}  # one epoch at a time is all a sequential reader needs
        return self.samples[self.indices[int(order[offset])]]

    def __getitem__(self, position: int) -> StreamItem:
        sample = self.sample_at(position)
        try:
            img = sample.load()
        except ImageError as err:
            return StreamItem(position, Skipped(sample.id, "unreadable image", str(err)))
        return StreamItem(position, self.encoder.encode_training(img, sample.text, sample.id))

    def __len__(self) -> int:
        return 2**62  # endless: the training loop decides when to stop
