"""Hugging Face ``datasets``: a ``save_to_disk`` folder, or a Hub dataset by name (``hf:owner/name``).

``datasets`` is imported only here, and only when such a dataset is opened;
without it the error says how to install it. Image features are read
undecoded (``Image(decode=False)``), so only the bytes of the asked-for row
are touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.records import DEFAULT_COLUMNS, Columns, check_columns
from odia_ocr.data.sample import DatasetError, normalize_split
from odia_ocr.data.tables import TablePart, table_dataset

__all__ = ["HF_PREFIX", "HFCells", "is_hf_disk_folder", "read_hf_disk", "read_hf_hub"]

#: Prefix that marks a Hub dataset name, so that a mistyped local path is never looked up online.
HF_PREFIX = "hf:"
_BINARY = ("binary", "large_binary")


def _datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise DatasetError(
            "reading Hugging Face datasets needs the 'datasets' package: pip install odia-ocr[hf]"
        ) from None
    return datasets


def is_hf_disk_folder(path: Path) -> bool:
    """True for a folder written by ``Dataset.save_to_disk`` or ``DatasetDict.save_to_disk``."""
    return (path / "dataset_dict.json").is_file() or (
        (path / "state.json").is_file() and (path / "dataset_info.json").is_file()
    )


class HFCells:
    """The cells of one column of an HF dataset, by row number (the dataset is memory-mapped and picklable)."""

    def __init__(self, ds: Any, column: str) -> None:
        self.ds = ds.select_columns([column])
        self.column = column

    def __call__(self, row: int) -> Any:
        return self.ds[row][self.column]


def _part(ds: Any, name: str, split: str | None, cols: Columns, base_dir: Path) -> TablePart:
    datasets = _datasets()
    check_columns(list(ds.column_names), cols, name)
    if isinstance(ds.features[cols.image], datasets.Image):
        ds = ds.cast_column(cols.image, datasets.Image(decode=False))
    # Text plus plain scalar columns (id, split, source, metadata); never a second image or a list column.
    wanted = [
        col
        for col, feature in ds.features.items()
        if col != cols.image
        and (col == cols.text or (isinstance(feature, datasets.Value) and feature.dtype not in _BINARY))
    ]
    return TablePart(
        name=name,
        columns=ds.select_columns(wanted).to_dict(),
        n_rows=len(ds),
        images=HFCells(ds, cols.image),
        base_dir=base_dir,
        split=split,
    )


def _from_hf(obj: Any, name: str, cols: Columns, source: str | None, split: str | None, base_dir: Path) -> LineDataset:
    datasets = _datasets()
    if isinstance(obj, datasets.DatasetDict):
        named = [(normalize_split(key), key, ds) for key, ds in obj.items()]
        if split is not None:
            named = [n for n in named if n[0] == normalize_split(split)]
            if not named:
                raise DatasetError(f"{name}: no split {split!r} (splits: {', '.join(obj)})")
        parts = [_part(ds, key, std, cols, base_dir) for std, key, ds in named]
    else:
        parts = [_part(obj, name, None, cols, base_dir)]
    return table_dataset(name, parts, cols, source=source, split=split)


def read_hf_disk(
    path: Path, cols: Columns = DEFAULT_COLUMNS, *, source: str | None = None, split: str | None = None
) -> LineDataset:
    """Samples of a ``save_to_disk`` folder (a Dataset, or a DatasetDict whose keys are the splits)."""
    datasets = _datasets()
    try:
        obj = datasets.load_from_disk(str(path))
    except Exception as err:  # datasets raises many types for a bad folder
        raise DatasetError(f"{path}: not a readable Hugging Face dataset ({str(err).splitlines()[0]})") from None
    return _from_hf(obj, path.resolve().name, cols, source, split, path)


def read_hf_hub(
    name: str, cols: Columns = DEFAULT_COLUMNS, *, source: str | None = None, split: str | None = None
) -> LineDataset:
    """Samples of a Hub dataset (``owner/name``), downloaded or taken from the local HF cache."""
    datasets = _datasets()
    try:
        obj = datasets.load_dataset(name)
    except Exception as err:  # network, auth and format errors all end the same way
        raise DatasetError(f"{name}: cannot load from the Hugging Face Hub ({str(err).splitlines()[0]})") from None
    return _from_hf(obj, name.rstrip("/").split("/")[-1], cols, source, split, Path.cwd())
