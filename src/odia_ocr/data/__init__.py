"""Datasets of labelled line and page images: read any supported format, merge, split, write the standard format.

>>> ds = open_dataset("data/merged", split="train")   # doctest: +SKIP
>>> sample = ds[0]; image = sample.load()               # doctest: +SKIP
"""

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.formats import MANIFEST_NAME, open_dataset
from odia_ocr.data.images import ImageError, load_image, to_array
from odia_ocr.data.merge import Dropped, MergeResult, merge_datasets
from odia_ocr.data.sample import SPLITS, DatasetError, Problem, Sample
from odia_ocr.data.splits import assign_splits
from odia_ocr.data.summary import Summary, format_summary, summarize
from odia_ocr.data.writer import WriteResult, write_dataset, write_manifest

__all__ = [
    "MANIFEST_NAME",
    "SPLITS",
    "DatasetError",
    "Dropped",
    "ImageError",
    "LineDataset",
    "MergeResult",
    "Problem",
    "Sample",
    "Summary",
    "WriteResult",
    "assign_splits",
    "format_summary",
    "load_image",
    "merge_datasets",
    "open_dataset",
    "summarize",
    "to_array",
    "write_dataset",
    "write_manifest",
]
