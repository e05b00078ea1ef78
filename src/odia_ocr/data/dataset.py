"""LineDataset: random access to the samples of one opened dataset, plus what was left out and why."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import SupportsIndex

from odia_ocr.data.sample import Problem, Sample

__all__ = ["ImageFetcher", "LineDataset"]

#: Resolves a table row number to its image (path or bytes); lets table-backed datasets read images lazily.
ImageFetcher = Callable[[int], "Path | bytes"]


class LineDataset:
    """The usable samples of a dataset: ``len(ds)``, ``ds[i]`` (random access) and iteration.

    Items that could not become samples (empty or undecodable label, missing
    image file, bad manifest line...) are not in the dataset; each is in
    ``ds.problems`` as a one-line :class:`Problem` for the caller to print
    and count. Images are not decoded here: call ``sample.load()``.
    """

    def __init__(
        self,
        name: str,
        samples: Sequence[Sample],
        problems: Iterable[Problem] = (),
        *,
        fetch_image: ImageFetcher | None = None,
        rows: Sequence[int] | None = None,
    ) -> None:
        """``fetch_image`` and ``rows`` (one table row per sample) serve images stored in a table, read on access."""
        if (fetch_image is None) != (rows is None) or (rows is not None and len(rows) != len(samples)):
            raise ValueError("fetch_image and rows go together, one row per sample")
        self.name = name
        self.problems: list[Problem] = list(problems)
        self._samples = list(samples)
        self._fetch = fetch_image
        self._rows = list(rows) if rows is not None else None

    def __len__(self) -> int:
        return len(self._samples)

    def __getitem__(self, index: SupportsIndex) -> Sample:
        i = operator.index(index)
        sample = self._samples[i]
        if self._fetch is not None and self._rows is not None:
            return replace(sample, image=self._fetch(self._rows[i]))
        return sample

    def __iter__(self) -> Iterator[Sample]:
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return f"LineDataset({self.name!r}, {len(self)} samples, {len(self.problems)} problems)"

    def select(self, indices: Iterable[SupportsIndex]) -> LineDataset:
        """A dataset of the given samples, in that order (problems are kept: they describe the source)."""
        idx = [operator.index(i) for i in indices]
        rows = [self._rows[i] for i in idx] if self._rows is not None else None
        return LineDataset(
            self.name, [self._samples[i] for i in idx], self.problems, fetch_image=self._fetch, rows=rows
        )
