"""Samples from column tables (Parquet files, Hugging Face datasets), with images read lazily by row.

Texts and metadata are read at open time (small); image cells stay in the
table until a sample is asked for, so a multi-gigabyte table opens fast and
training can still sample lines at random.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.records import Columns, check_columns, image_ref, sample_from_row
from odia_ocr.data.sample import Problem, Sample, normalize_split

__all__ = ["CellReader", "TableImages", "TablePart", "table_dataset"]

#: Reads the image cell of one row of one table.
CellReader = Callable[[int], Any]


@dataclass
class TablePart:
    """One table (a Parquet file, an HF split): its non-image columns as lists and a reader for image cells."""

    name: str  # names rows in messages and default ids, e.g. "train" or "data-00000"
    columns: dict[str, list[Any]]
    n_rows: int
    images: CellReader
    base_dir: Path  # image paths in cells are relative to it
    split: str | None = None  # the split of every row, unless a 'split' column says otherwise


class TableImages:
    """The image (path or bytes) of a global row number across several table parts."""

    def __init__(self, parts: Sequence[TablePart]) -> None:
        self.readers = [p.images for p in parts]
        self.base_dirs = [p.base_dir for p in parts]
        self.starts = [0]
        for p in parts[:-1]:
            self.starts.append(self.starts[-1] + p.n_rows)

    def __call__(self, row: int) -> Path | bytes:
        k = bisect.bisect_right(self.starts, row) - 1
        return image_ref(self.readers[k](row - self.starts[k]), self.base_dirs[k])


def table_dataset(
    name: str, parts: Sequence[TablePart], cols: Columns, *, source: str | None, split: str | None
) -> LineDataset:
    """The dataset of ``parts`` (all already checked to have the image column), filtered by ``split``."""
    split = normalize_split(split)
    samples: list[Sample] = []
    problems: list[Problem] = []
    rows: list[int] = []
    offset = 0
    for part in parts:
        check_columns([*part.columns, cols.image], cols, part.name)
        keys = list(part.columns)
        for i in range(part.n_rows):
            row = {k: part.columns[k][i] for k in keys}
            if row.get("split") in (None, "") and part.split:
                row["split"] = part.split
            if split is not None and normalize_split(row.get("split") or None) != split:
                continue
            built = sample_from_row(
                row,
                cols,
                item=f"{part.name} row {i}",
                default_id=f"{part.name}-{i:06d}",
                default_source=name,
                source=source,
                image=b"",
            )
            if isinstance(built, Problem):
                problems.append(built)
            else:
                samples.append(built)
                rows.append(offset + i)
        offset += part.n_rows
    return LineDataset(source or name, samples, problems, fetch_image=TableImages(parts), rows=rows)
