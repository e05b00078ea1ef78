"""Training batches as a pure function of the batch index.

Batch ``b`` is rendered from a generator seeded by (seed, b), so resuming at
step ``s`` replays exactly the data an uninterrupted run would have seen, and
a worker process can render ahead without any shared state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import Dataset

from odia_ocr.recognizer.preprocess import pad_batch, prepare_line, prepared_width
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.text import Charset

__all__ = ["Batch", "BatchMaker", "BucketedBatches", "LineSource", "collate", "width_sorted_batches"]


class LineSource:
    """A labelled line dataset: ``len`` and ``get(i) -> (grey image, canonical text)``."""

    def __len__(self) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def get(self, index: int) -> tuple[np.ndarray, str]:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class Batch:
    images: torch.Tensor  # N,1,H,W
    widths: torch.Tensor  # N
    targets: torch.Tensor  # sum(L)
    target_lengths: torch.Tensor  # N
    texts: list[str]


def collate(images: Sequence[np.ndarray], texts: Sequence[str], charset: Charset, height: int, max_width: int) -> Batch:
    lines = [prepare_line(im, height, max_width) for im in images]
    arr, widths = pad_batch(lines)
    encoded = [charset.encode(t) for t in texts]
    return Batch(
        torch.from_numpy(arr),
        torch.from_numpy(widths),
        torch.tensor([i for e in encoded for i in e], dtype=torch.long),
        torch.tensor([len(e) for e in encoded], dtype=torch.long),
        list(texts),
    )


def width_sorted_batches(
    lines: Sequence[tuple[np.ndarray, str]], charset: Charset, height: int, max_width: int, size: int = 64
) -> list[Batch]:
    """Evaluation batches of (image, text) lines, lines of similar aspect together so little is padding.

    Characters outside ``charset`` are dropped from the texts, as the model cannot emit them.
    """
    ordered = sorted(lines, key=lambda line: line[0].shape[1] / max(1, line[0].shape[0]))
    out = []
    for k in range(0, len(ordered), size):
        chunk = ordered[k : k + size]
        texts = ["".join(c for c in text if c in charset) for _, text in chunk]
        out.append(collate([image for image, _ in chunk], texts, charset, height, max_width))
    return out


class BatchMaker(Dataset):
    """Map-style dataset whose item ``b`` is the whole batch ``b``."""

    def __init__(
        self,
        synth: LineSynthesizer,
        charset: Charset,
        seed: int,
        batch_size: int,
        height: int,
        max_width: int,
        length_range: tuple[int, int],
        sources: Sequence[LineSource] = (),
        source_ratio: float = 0.0,
        num_batches: int = 10**9,
    ) -> None:
        self.synth, self.charset, self.seed = synth, charset, seed
        self.batch_size, self.height, self.max_width = batch_size, height, max_width
        self.length_range = length_range
        self.sources, self.source_ratio = list(sources), source_ratio
        self.num_batches = num_batches

    def __len__(self) -> int:
        return self.num_batches

    def texts_and_images(self, b: int) -> tuple[list[np.ndarray], list[str]]:
        rng = np.random.default_rng([self.seed, b])
        # One target length per batch keeps widths similar, so little padding is wasted.
        lo, hi = self.length_range
        target = int(rng.integers(lo, hi + 1))
        images, texts = [], []
        for j in range(self.batch_size):
            if self.sources and rng.random() < self.source_ratio:
                src = self.sources[int(rng.integers(len(self.sources)))]
                img, text = src.get(int(rng.integers(len(src))))
            else:
                jitter = max(1, int(target * rng.uniform(0.75, 1.25)))
                s = self.synth.sample([self.seed, b, j], target_len=jitter)
                img, text = s.image, s.text
            text = "".join(c for c in text if c in self.charset) or " "
            images.append(img)
            texts.append(text)
        return images, texts

    def __getitem__(self, b: int) -> Batch:
        images, texts = self.texts_and_images(b)
        return collate(images, texts, self.charset, self.height, self.max_width)


class BucketedBatches(Dataset):
    """Map-style dataset whose item ``g`` is the lines of batches ``g*group .. g*group+group-1`` of ``maker``,
    sorted by width and cut into batches again, in an order drawn from (seed, g).

    Why: a batch runs at the width of its widest line, and even with one target text length per batch, fonts,
    sizes and spacing make a batch's widths differ 2-4 times, so about half of a training step's convolutions
    and LSTM steps ran over padding. The same lines in batches of similar width cost a group of 8 about 0.84 of
    its padded area as lines (0.54 unbucketed; see ``benchmarks/train_throughput.py``). Every line an
    unbucketed run would see in those steps is still seen, once, and the item is still a pure function of
    its index, so a resumed run replays exactly what an uninterrupted one saw.
    """

    def __init__(self, maker: BatchMaker, group: int) -> None:
        if group < 1:
            raise ValueError(f"group must be at least 1, not {group}")
        self.maker, self.group = maker, group

    def __len__(self) -> int:
        return -(-len(self.maker) // self.group)

    def __getitem__(self, g: int) -> list[Batch]:
        m = self.maker
        if self.group == 1:  # the batch as BatchMaker renders it, lines in their own order: runs resume bit for bit
            return [m[g]]
        first = g * self.group
        images: list[np.ndarray] = []
        texts: list[str] = []
        for b in range(first, min(first + self.group, len(m))):
            ims, txs = m.texts_and_images(b)
            images += ims
            texts += txs
        order = sorted(range(len(images)), key=lambda i: prepared_width(images[i].shape, m.height, m.max_width))
        chunks = [order[k : k + m.batch_size] for k in range(0, len(order), m.batch_size)]
        rng = np.random.default_rng([m.seed, g, 0xB0C7])  # short and long batches in no fixed order
        return [collate([images[i] for i in chunks[c]], [texts[i] for i in chunks[c]], m.charset, m.height,
                        m.max_width) for c in rng.permutation(len(chunks))]
