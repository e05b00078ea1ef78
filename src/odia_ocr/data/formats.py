"""open_dataset: find out what a path holds (standard format, .gt.txt folder, manifest, Parquet, HF) and read it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.gtfolder import has_gt_files, read_gt_folder
from odia_ocr.data.hf import HF_PREFIX, is_hf_disk_folder, read_hf_disk, read_hf_hub
from odia_ocr.data.manifest import read_csv_manifest, read_jsonl_manifest
from odia_ocr.data.parquet import read_parquet
from odia_ocr.data.records import Columns
from odia_ocr.data.sample import DatasetError

__all__ = ["MANIFEST_NAME", "open_dataset"]

#: The manifest of the standard format; a folder holding it is a standard dataset.
MANIFEST_NAME = "manifest.jsonl"


def _open_folder(p: Path, cols: Columns, source: str | None, split: str | None) -> LineDataset:
    if (p / MANIFEST_NAME).is_file():
        return read_jsonl_manifest(p / MANIFEST_NAME, cols, source=source, split=split)
    if is_hf_disk_folder(p):
        return read_hf_disk(p, cols, source=source, split=split)
    if has_gt_files(p):
        return read_gt_folder(p, source=source, split=split)
    parquets = sorted(p.rglob("*.parquet"))
    if parquets:
        return read_parquet(parquets, cols, name=p.resolve().name, source=source, split=split)
    raise DatasetError(
        f"{p}: no dataset found (expected {MANIFEST_NAME}, *.gt.txt files, a Hugging Face save_to_disk folder "
        "or .parquet files)"
    )


def open_dataset(
    path: str | os.PathLike[str],
    image_col: str = "image",
    text_col: str = "text",
    source: str | None = None,
    split: str | None = None,
) -> LineDataset:
    """Open the dataset at ``path``, whatever its format; texts come out canonical.

    ``path`` is a folder (with ``manifest.jsonl``: the standard format; from
    ``save_to_disk``; of ``*.gt.txt`` files; of ``.parquet`` files), a
    ``.jsonl``, ``.csv``/``.tsv`` or ``.parquet`` file, or ``hf:owner/name``
    for a Hub dataset. ``image_col``/``text_col`` name the columns of
    manifests and tables. ``source`` overrides each sample's source (default:
    the row's own ``source``, else the dataset's name). ``split`` keeps only
    that split ('validation' and 'dev' mean 'val').

    Raises :class:`DatasetError` (one line) when the path cannot be read as a
    dataset at all; bad items only land in ``ds.problems``.
    """
    cols = Columns(image_col, text_col)
    spec = os.fspath(path)
    if spec.startswith(HF_PREFIX):
        return read_hf_hub(spec[len(HF_PREFIX) :], cols, source=source, split=split)
    p = Path(spec)
    if not p.exists():
        looks_like_hub = re.fullmatch(r"[\w.-]+/[\w.-]+", spec) is not None
        hint = f" (for a Hugging Face Hub dataset write {HF_PREFIX}{spec})" if looks_like_hub else ""
        raise DatasetError(f"{p}: no such file or folder{hint}")
    if p.is_dir():
        return _open_folder(p, cols, source, split)
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl_manifest(p, cols, source=source, split=split)
    if suffix in (".csv", ".tsv"):
        return read_csv_manifest(p, cols, source=source, split=split)
    if suffix == ".parquet":
        return read_parquet([p], cols, name=p.stem, source=source, split=split)
    raise DatasetError(f"{p}: unknown dataset format (expected a folder, .jsonl, .csv, .tsv or .parquet)")
