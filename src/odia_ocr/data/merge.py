"""Merge datasets into one standard-format dataset: drop bad and duplicate samples, saying why, and split.

Sources are read in the given order and the first copy of a duplicate is
kept, so list the source you trust most first. Every dropped item goes to
``dropped.jsonl`` with its reason; nothing is left out silently.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.images import ImageError, load_image
from odia_ocr.data.sample import Problem, Sample
from odia_ocr.data.splits import assign_splits, check_fractions
from odia_ocr.data.writer import file_stem, save_png, write_manifest

__all__ = ["CONFLICT", "DROPPED_NAME", "DUPLICATE", "Dropped", "MergeResult", "merge_datasets"]

DROPPED_NAME = "dropped.jsonl"
DUPLICATE = "duplicate"
CONFLICT = "same image, other text"


@dataclass(frozen=True)
class Dropped:
    """An input item that is not in the merged dataset, and why."""

    source: str
    id: str  # the sample's id in its source; "" for an item that never became a sample
    problem: Problem
    kept: str = ""  # for duplicates: the id of the kept copy in the merged dataset

    @property
    def reason(self) -> str:
        return self.problem.reason

    def to_json(self) -> dict[str, Any]:
        record = {"source": self.source, "id": self.id, "item": self.problem.item, "reason": self.reason}
        if self.problem.detail:
            record["detail"] = self.problem.detail
        if self.kept:
            record["kept"] = self.kept
        return record


@dataclass
class MergeResult:
    """The merged samples (images written, splits set) and everything that was dropped."""

    out_dir: Path
    samples: list[Sample] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def _raw_bytes(sample: Sample) -> bytes:
    if isinstance(sample.image, bytes):
        return sample.image
    try:
        return sample.image.read_bytes()
    except FileNotFoundError:
        raise ImageError(f"{sample.image_name}: file not found") from None
    except OSError as err:
        raise ImageError(f"{sample.image_name}: cannot read ({err.strerror or type(err).__name__})") from None


def _pixel_hash(image: Any) -> bytes:
    """Same pixels under another encoding (PNG vs BMP, other compression) hash the same."""
    h = hashlib.sha256(f"{image.mode}{image.size}".encode())
    h.update(image.tobytes())
    return h.digest()


class _Deduplicator:
    """Remembers the images kept so far, by file bytes and by decoded pixels."""

    def __init__(self) -> None:
        self._seen: dict[bytes, tuple[str, str]] = {}  # hash -> (kept id, its text)

    def check(self, keys: Sequence[bytes], sample: Sample) -> Dropped | None:
        for key in keys:
            if key in self._seen:
                kept_id, kept_text = self._seen[key]
                if kept_text == sample.text:
                    problem = Problem(sample.image_name, DUPLICATE, f"same image and text as {kept_id}")
                else:
                    problem = Problem(sample.image_name, CONFLICT, f"{kept_id} is kept, with text {kept_text!r}")
                return Dropped(sample.source, sample.id, problem, kept_id)
        return None

    def add(self, keys: Sequence[bytes], kept_id: str, text: str) -> None:
        for key in keys:
            self._seen[key] = (kept_id, text)


def merge_datasets(
    datasets: Sequence[LineDataset],
    out_dir: str | os.PathLike[str],
    *,
    val: float = 0.05,
    test: float = 0.05,
    seed: int = 0,
    keep_splits: bool = False,
    progress: Callable[[Sample], None] | None = None,
) -> MergeResult:
    """Merge ``datasets`` into ``out_dir`` (standard format, plus ``dropped.jsonl``).

    Dropped: every item in a dataset's ``problems``; unreadable images;
    repeats of a kept image (same file bytes or same pixels), whether the text
    is the same (duplicate) or not (the first text wins). Kept samples get
    ids ``<source>-<n>`` (``meta["orig_id"]`` keeps the old one) and a split
    from :func:`assign_splits`; ``keep_splits`` keeps the splits the sources
    already had. ``progress`` is called once per sample read.
    """
    check_fractions(val, test)
    out = Path(out_dir)
    result = MergeResult(out)
    dedup = _Deduplicator()
    per_source: dict[str, int] = {}
    for ds in datasets:
        result.dropped.extend(Dropped(ds.name, "", p) for p in ds.problems)
        for sample in ds:
            if progress is not None:
                progress(sample)
            try:
                raw = _raw_bytes(sample)
                keys = [hashlib.sha256(raw).digest()]
                dropped = dedup.check(keys, sample)  # before decoding: an exact copy costs no decode
                if dropped is None:
                    image = load_image(raw, name=sample.image_name)
                    keys.append(_pixel_hash(image))
                    dropped = dedup.check(keys[1:], sample)
            except ImageError as err:
                problem = Problem.from_image_error(sample.image_name, err)
                result.dropped.append(Dropped(sample.source, sample.id, problem))
                continue
            if dropped is not None:
                result.dropped.append(dropped)
                continue
            stem = file_stem(sample.source)
            per_source[stem] = per_source.get(stem, 0) + 1
            new_id = f"{stem}-{per_source[stem]:06d}"
            dedup.add(keys, new_id, sample.text)
            path = save_png(image, out, new_id)
            result.samples.append(replace(sample, id=new_id, image=path, meta={**sample.meta, "orig_id": sample.id}))
    fixed = [s.split for s in result.samples] if keep_splits else None
    splits = assign_splits([s.text for s in result.samples], val, test, seed, fixed)
    result.samples = [replace(s, split=sp) for s, sp in zip(result.samples, splits, strict=True)]
    write_manifest(out, result.samples)
    with (out / DROPPED_NAME).open("w", encoding="utf-8", newline="\n") as f:
        for d in result.dropped:
            f.write(json.dumps(d.to_json(), ensure_ascii=False) + "\n")
    return result
