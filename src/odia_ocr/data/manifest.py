"""JSONL and CSV manifests: one sample per line or row, image paths relative to the manifest.

The standard format is a JSONL manifest named ``manifest.jsonl`` with the
default columns, so it is read here too. Manifests are decoded as UTF-8
with ``surrogateescape``: one bad label is reported, the rest still load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.records import DEFAULT_COLUMNS, Columns, check_columns, sample_from_row
from odia_ocr.data.sample import DatasetError, Problem, Sample, normalize_split

__all__ = ["read_csv_manifest", "read_jsonl_manifest"]

_Row = tuple[str, Mapping[str, Any]]  # (where, row)


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    except OSError as err:
        raise DatasetError(f"{path}: cannot read ({err.strerror or type(err).__name__})") from None


def _jsonl_rows(path: Path, problems: list[Problem]) -> Iterator[_Row]:
    for lineno, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(where, "invalid JSON", err.msg))
            continue
        if not isinstance(row, dict):
            problems.append(Problem(where, "not a JSON object", type(row).__name__))
            continue
        yield where, row


def _csv_rows(path: Path, cols: Columns) -> Iterator[_Row]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""), delimiter=delimiter)
    check_columns(list(reader.fieldnames or []), cols, str(path))
    for row in reader:
        yield f"{path}:{reader.line_num}", {k: v for k, v in row.items() if k is not None}


def _build(
    path: Path, rows: Iterator[_Row], problems: list[Problem], cols: Columns, source: str | None, split: str | None
) -> LineDataset:
    base = path.parent
    default_source = base.resolve().name if path.name == "manifest.jsonl" else path.stem
    split = normalize_split(split)
    samples: list[Sample] = []
    seen_columns: set[str] = set()
    n_rows = 0
    for where, row in rows:
        n_rows += 1
        seen_columns.update(row)
        if split is not None and normalize_split(row.get("split") or None) != split:
            continue
        image = row.get(cols.image)
        if not isinstance(image, str) or not image:
            problems.append(Problem(where, "no image field", f"column {cols.image!r}"))
            continue
        image_path = base / image
        item = f"{where} ({image})"
        if not image_path.is_file():
            problems.append(Problem(item, "missing image", str(image_path)))
            continue
        built = sample_from_row(
            row,
            cols,
            item=item,
            default_id=Path(image).with_suffix("").as_posix(),
            default_source=default_source,
            source=source,
            image=image_path,
        )
        if isinstance(built, Problem):
            problems.append(built)
        else:
            samples.append(built)
    if n_rows and not (cols.image in seen_columns and cols.text in seen_columns):
        # Every row lacks a column: a wrong column option, not thousands of bad rows.
        check_columns(sorted(seen_columns), cols, str(path))
    return LineDataset(source or default_source, samples, problems)


def read_jsonl_manifest(
    path: Path, cols: Columns = DEFAULT_COLUMNS, *, source: str | None = None, split: str | None = None
) -> LineDataset:
    """Samples of a JSONL manifest (``{"image": "rel/path.png", "text": ..., ...}`` per line)."""
    problems: list[Problem] = []
    return _build(path, _jsonl_rows(path, problems), problems, cols, source, split)


def read_csv_manifest(
    path: Path, cols: Columns = DEFAULT_COLUMNS, *, source: str | None = None, split: str | None = None
) -> LineDataset:
    """Samples of a CSV (or ``.tsv``) manifest with a header row."""
    problems: list[Problem] = []
    return _build(path, _csv_rows(path, cols), problems, cols, source, split)
