"""One manifest or table row to a Sample: the column rules shared by the JSONL, CSV, Parquet and HF readers."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from odia_ocr.data.labels import read_label
from odia_ocr.data.sample import DatasetError, Problem, Sample, normalize_split

__all__ = ["DEFAULT_COLUMNS", "RESERVED_KEYS", "Columns", "check_columns", "image_ref", "sample_from_row"]

#: Keys of the standard format that are fields of :class:`Sample`, never metadata.
RESERVED_KEYS = frozenset({"id", "image", "text", "source", "split"})


@dataclass(frozen=True)
class Columns:
    """Which columns hold the image and the text (sources name them differently)."""

    image: str = "image"
    text: str = "text"

    def is_field(self, key: str) -> bool:
        return key in RESERVED_KEYS or key in (self.image, self.text)


DEFAULT_COLUMNS = Columns()


def check_columns(available: list[str], cols: Columns, where: str) -> None:
    """Refuse a table or manifest that lacks the image or text column, naming the columns it has."""
    for role, col in (("image", cols.image), ("text", cols.text)):
        if col not in available:
            raise DatasetError(
                f"{where}: no {role} column {col!r} (columns: {', '.join(available) or 'none'}); "
                f"choose it with {role}_col="
            )


def image_ref(cell: object, base_dir: Path) -> Path | bytes:
    """The image of a table cell: bytes, an HF ``{"bytes", "path"}`` struct, or a path relative to ``base_dir``.

    An empty cell becomes ``b""`` so that loading it fails with a one-line ImageError, like any bad image.
    """
    if isinstance(cell, Mapping):
        data, path = cell.get("bytes"), cell.get("path")
        if data:
            return bytes(data)
        cell = path
    if isinstance(cell, bytes | bytearray | memoryview):
        return bytes(cell)
    if isinstance(cell, str | Path) and str(cell):
        return base_dir / cell  # an absolute path stays absolute
    if isinstance(cell, Image.Image):
        buf = io.BytesIO()
        cell.save(buf, "PNG")
        return buf.getvalue()
    return b""


def _meta_value(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def sample_from_row(
    row: Mapping[str, Any],
    cols: Columns,
    *,
    item: str,
    default_id: str,
    default_source: str,
    source: str | None,
    image: Path | bytes,
) -> Sample | Problem:
    """Build the sample of ``row`` (image already resolved by the caller), or the problem that keeps it out.

    ``source`` (given by the user) wins over the row's own ``source`` key, which wins over ``default_source``.
    """
    text = read_label(row.get(cols.text), item)
    if isinstance(text, Problem):
        return text
    meta = {k: v for k, v in row.items() if not cols.is_field(k) and _meta_value(v)}
    sid = row.get("id")
    return Sample(
        id=str(sid) if sid not in (None, "") else default_id,
        text=text,
        source=source or str(row.get("source") or "") or default_source,
        image=image,
        meta=meta,
        split=normalize_split(row.get("split")) if row.get("split") not in (None, "") else None,
    )
