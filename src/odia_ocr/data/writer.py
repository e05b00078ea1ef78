"""Write samples in the standard format: ``DIR/manifest.jsonl`` plus PNG images under ``DIR/images/``.

One JSON object per line: ``id``, ``image`` (``images/<name>.png``),
``text``, ``source``, ``split`` when known, then the metadata keys. Images
are decoded and re-encoded as PNG, so a written dataset holds only
readable, upright images. The manifest is written to a temporary file and
renamed, so a reader never sees half of it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PIL import Image

from odia_ocr.data.formats import MANIFEST_NAME
from odia_ocr.data.images import ImageError
from odia_ocr.data.records import RESERVED_KEYS
from odia_ocr.data.sample import Problem, Sample

__all__ = ["IMAGES_DIR", "WriteResult", "file_stem", "manifest_record", "save_png", "write_dataset", "write_manifest"]

IMAGES_DIR = "images"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(sample_id: str) -> str:
    """A portable file name for an id: ASCII letters, digits, '.', '_' and '-' only."""
    return _UNSAFE.sub("_", sample_id).strip("._") or "sample"


def save_png(image: Image.Image, out_dir: Path, stem: str) -> Path:
    """Save ``image`` as ``out_dir/images/<stem>.png`` and return that path."""
    path = out_dir / IMAGES_DIR / f"{stem}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return path


def manifest_record(sample: Sample, out_dir: Path) -> dict[str, Any]:
    """The manifest line of a sample whose image is a file under ``out_dir``."""
    if not isinstance(sample.image, Path):
        raise ValueError(f"{sample.id}: image must be a file under {out_dir} before it goes in a manifest")
    record: dict[str, Any] = {
        "id": sample.id,
        "image": sample.image.resolve().relative_to(out_dir.resolve()).as_posix(),
        "text": sample.text,
        "source": sample.source,
    }
    if sample.split:
        record["split"] = sample.split
    record.update((k, v) for k, v in sample.meta.items() if k not in RESERVED_KEYS)
    return record


def write_manifest(out_dir: str | os.PathLike[str], samples: Iterable[Sample]) -> Path:
    """Write ``out_dir/manifest.jsonl`` for samples whose images already lie under ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / MANIFEST_NAME
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        for sample in samples:
            f.write(json.dumps(manifest_record(sample, out), ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


@dataclass
class WriteResult:
    """What :func:`write_dataset` did: where the manifest is, how many samples, which ones failed and why."""

    manifest: Path
    written: int = 0
    problems: list[Problem] = field(default_factory=list)


def write_dataset(out_dir: str | os.PathLike[str], samples: Iterable[Sample]) -> WriteResult:
    """Write ``samples`` in the standard format; a sample whose image cannot be read is left out and reported.

    Image files are named after the sample ids, made file-safe; a repeated id gets a ``-2``, ``-3``... suffix.
    """
    out = Path(out_dir)
    kept: list[Sample] = []
    problems: list[Problem] = []
    taken: set[str] = set()
    for sample in samples:
        try:
            image = sample.load()
        except ImageError as err:
            problems.append(Problem.from_image_error(sample.image_name, err))
            continue
        sid, n = sample.id, 1
        while file_stem(sid).lower() in taken:  # lower: images/A.png and images/a.png clash on macOS and Windows
            n += 1
            sid = f"{sample.id}-{n}"
        taken.add(file_stem(sid).lower())
        kept.append(replace(sample, id=sid, image=save_png(image, out, file_stem(sid))))
    return WriteResult(write_manifest(out, kept), len(kept), problems)
