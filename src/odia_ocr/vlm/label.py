"""`odia-ocr vlm label`: pseudo-label unlabeled images with one or more engines, into a training dataset.

The first engine's reading is the label; every engine's text and
confidence are kept in the manifest. A sample is kept when the first
engine's confidence reaches ``min_confidence`` and, with several engines,
when each other engine agrees with it to at least ``min_agreement``
(1 − CER between the two readings). Kept samples go to ``manifest.jsonl``
(the standard dataset format the compact model trains on), the rest to
``rejected.jsonl`` for review, and the counts to ``label_report.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from odia_ocr.data import Sample, write_manifest
from odia_ocr.data.images import ImageError, load_image, to_array
from odia_ocr.engines.base import LineResult, Recognizer
from odia_ocr.metrics import score_pair
from odia_ocr.recognizer.modelfile import atomic_write_bytes

__all__ = ["IMAGE_SUFFIXES", "LabelReport", "agreement", "find_images", "label_images", "parse_engine_spec"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif")


def parse_engine_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``"vlm:model=runs/vlm/best,batch_size=4"`` -> ("vlm", {"model": "runs/vlm/best", "batch_size": 4}).

    Values parse as JSON when they can (numbers, booleans), else stay strings.
    """
    name, _, rest = spec.partition(":")
    options: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"engine option {item!r} in {spec!r} is not key=value")
        try:
            options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            options[key.strip()] = value
    if not name:
        raise ValueError(f"engine spec {spec!r} has no engine name")
    return name, options


def agreement(a: str, b: str) -> float:
    """1 − CER of ``b`` against ``a`` (clipped at 0): 1.0 when two readings are identical."""
    if not a and not b:
        return 1.0
    return max(0.0, 1.0 - score_pair(a, b).cer)


def find_images(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Image files named directly or found (recursively, sorted) under the named folders."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return found


@dataclass
class LabelReport:
    images: int = 0
    kept: int = 0
    low_confidence: int = 0
    disagreement: int = 0
    empty: int = 0
    unreadable: int = 0
    duplicates: int = 0
    engines: list[str] = field(default_factory=list)
    min_confidence: float = 0.0
    min_agreement: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _decide(readings: list[LineResult], min_confidence: float, min_agreement: float) -> tuple[str | None, float | None]:
    """(rejection reason or None, agreement with the other engines or None with one engine)."""
    first = readings[0]
    agree = min((agreement(first.text, r.text) for r in readings[1:]), default=None)
    if not first.text.strip():
        return "empty", agree
    if first.confidence < min_confidence:
        return "low_confidence", agree
    if agree is not None and agree < min_agreement:
        return "disagreement", agree
    return None, agree


def label_images(
    paths: Sequence[Path],
    engines: Sequence[tuple[str, Recognizer]],
    out: str | Path,
    min_confidence: float = 0.9,
    min_agreement: float = 0.95,
    split: str = "train",
    batch_size: int = 16,
    on_problem: Callable[[str], None] | None = None,
) -> LabelReport:
    """Read ``paths`` with every engine and write the pseudo-labelled dataset to ``out``."""
    if not engines:
        raise ValueError("label needs at least one engine")
    out = Path(out)
    if (out / "manifest.jsonl").exists():
        raise FileExistsError(f"{out}: already holds a manifest.jsonl; choose a new folder")
    (out / "images").mkdir(parents=True, exist_ok=True)
    names = [name for name, _ in engines]
    report = LabelReport(engines=names, min_confidence=min_confidence, min_agreement=min_agreement)
    kept: list[Sample] = []
    rejected_rows: list[str] = []
    seen: set[str] = set()
    for k in range(0, len(paths), max(1, batch_size)):
        arrays, items = [], []
        for path in paths[k : k + batch_size]:
            report.images += 1
            try:
                data = path.read_bytes()
                arrays.append(to_array(load_image(data, name=str(path))))
            except (ImageError, OSError) as err:
                report.unreadable += 1
                if on_problem:
                    on_problem(str(err) if isinstance(err, ImageError) else f"{path}: {err.strerror or err}")
                continue
            sid = hashlib.sha1(data).hexdigest()[:16]
            if sid in seen:
                report.duplicates += 1
                arrays.pop()
                continue
            seen.add(sid)
            items.append((path, sid))
        if not items:
            continue
        results = [engine.recognize(arrays) for _, engine in engines]
        for j, (path, sid) in enumerate(items):
            readings = [r[j] for r in results]
            reason, agree = _decide(readings, min_confidence, min_agreement)
            row: dict[str, Any] = {
                "id": sid, "text": readings[0].text, "source": f"pseudo:{names[0]}", "split": split,
                "confidence": round(readings[0].confidence, 6),
                "engines": {n: {"text": r.text, "confidence": round(r.confidence, 6)}
                            for n, r in zip(names, readings, strict=True)},
                "agreement": None if agree is None else round(agree, 6),
                "origin": str(path),
            }
            if reason is None:
                image = out / "images" / f"{sid}{path.suffix.lower()}"
                shutil.copyfile(path, image)
                meta = {k: row[k] for k in ("confidence", "engines", "agreement", "origin")}
                kept.append(Sample(sid, row["text"], row["source"], image, meta, split))
                report.kept += 1
            else:
                row["rejected"] = reason
                rejected_rows.append(json.dumps(row, ensure_ascii=False))
                setattr(report, reason, getattr(report, reason) + 1)
    atomic_write_bytes(out / "rejected.jsonl", "".join(r + "\n" for r in rejected_rows).encode("utf-8"))
    atomic_write_bytes(out / "label_report.json", json.dumps(report.to_dict(), indent=2).encode("utf-8"))
    write_manifest(out, kept)
    return report
