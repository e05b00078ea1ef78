"""Parquet files: an image column of bytes, HF ``{"bytes", "path"}`` structs or paths, and a text column.

Image cells are read one row group at a time and the last group is cached,
so reading in order is fast and random access still works. The file is
reopened after a fork, so DataLoader workers never share a file handle.
"""

from __future__ import annotations

import bisect
import os
import re
from pathlib import Path
from typing import Any

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.records import DEFAULT_COLUMNS, Columns, check_columns
from odia_ocr.data.sample import SPLITS, DatasetError, normalize_split
from odia_ocr.data.tables import TablePart, table_dataset

__all__ = ["ParquetCells", "read_parquet"]

_SPLIT_PREFIX = re.compile(r"^(train|training|val|valid|validation|dev|test)(?=$|[-_.])", re.IGNORECASE)


def _split_of_file(path: Path) -> str | None:
    """The HF Hub layout names files ``train-00000-of-00002.parquet`` or puts them in ``train/``."""
    for name in (path.stem, path.parent.name):
        m = _SPLIT_PREFIX.match(name)
        if m and normalize_split(m.group(1)) in SPLITS:
            return normalize_split(m.group(1))
    return None


def _is_scalar(pa_type: Any) -> bool:
    import pyarrow as pa

    t = pa.types
    return (
        t.is_string(pa_type)
        or t.is_large_string(pa_type)
        or t.is_integer(pa_type)
        or t.is_floating(pa_type)
        or t.is_boolean(pa_type)
        or t.is_null(pa_type)
    )


class ParquetCells:
    """The cells of one column of a Parquet file, by row number."""

    def __init__(self, path: Path, column: str) -> None:
        import pyarrow.parquet as pq

        self.path, self.column = path, column
        meta = pq.read_metadata(path)
        self.starts = [0]
        for g in range(meta.num_row_groups - 1):
            self.starts.append(self.starts[-1] + meta.row_group(g).num_rows)
        self._file: Any = None
        self._pid = -1
        self._group = -1
        self._cells: list[Any] = []

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_file": None, "_pid": -1, "_group": -1, "_cells": []}

    def __call__(self, row: int) -> Any:
        import pyarrow.parquet as pq

        if self._pid != os.getpid():
            self._file, self._pid, self._group = pq.ParquetFile(self.path), os.getpid(), -1
        g = bisect.bisect_right(self.starts, row) - 1
        if g != self._group:
            self._cells = self._file.read_row_group(g, columns=[self.column]).column(0).to_pylist()
            self._group = g
        return self._cells[row - self.starts[g]]


def _part(path: Path, cols: Columns) -> TablePart:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a bad file
        raise DatasetError(f"{path}: not a readable Parquet file ({str(err).splitlines()[0]})") from None
    schema = pf.schema_arrow
    check_columns(list(schema.names), cols, str(path))
    wanted = [f.name for f in schema if f.name != cols.image and (f.name == cols.text or _is_scalar(f.type))]
    table = pf.read(columns=wanted)
    return TablePart(
        name=path.stem,
        columns={name: table.column(name).to_pylist() for name in wanted},
        n_rows=pf.metadata.num_rows,
        images=ParquetCells(path, cols.image),
        base_dir=path.parent,
        split=_split_of_file(path),
    )


def read_parquet(
    files: list[Path],
    cols: Columns = DEFAULT_COLUMNS,
    *,
    name: str,
    source: str | None = None,
    split: str | None = None,
) -> LineDataset:
    """Samples of one or more Parquet files, in the given order; image paths are relative to their file."""
    return table_dataset(name, [_part(f, cols) for f in files], cols, source=source, split=split)
