"""Folders of line images with same-name ``.gt.txt`` labels (the tesstrain and kraken convention).

``x.png`` pairs with ``x.gt.txt`` in the same folder; subfolders are walked,
and a first-level subfolder named train, val (validation) or test sets the
split. Derived images such as kraken's ``x.bin.png`` next to ``x.gt.txt``
are ignored; any other image without a label is reported, as is a label
without an image.
"""

from __future__ import annotations

from pathlib import Path

from odia_ocr.data.dataset import LineDataset
from odia_ocr.data.labels import read_label
from odia_ocr.data.sample import SPLITS, Problem, Sample, normalize_split

__all__ = ["GT_SUFFIX", "IMAGE_SUFFIXES", "has_gt_files", "read_gt_folder"]

GT_SUFFIX = ".gt.txt"
#: Image suffixes looked for next to a label, in order of preference.
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp", ".webp", ".gif")


def has_gt_files(root: Path) -> bool:
    return next(root.rglob(f"*{GT_SUFFIX}"), None) is not None


def _split_of(rel_dir: Path) -> str | None:
    if not rel_dir.parts:
        return None
    split = normalize_split(rel_dir.parts[0])
    return split if split in SPLITS else None


def _is_variant(name: str, stems: set[str]) -> bool:
    """True if ``name`` is ``<stem>.<anything>`` for a labelled stem, e.g. ``x.bin.png`` next to ``x.gt.txt``."""
    parts = name.split(".")
    return any(".".join(parts[:k]) in stems for k in range(1, len(parts)))


def read_gt_folder(root: Path, *, source: str | None = None, split: str | None = None) -> LineDataset:
    """Samples of every ``*.gt.txt`` under ``root`` that has an image beside it, sorted by path."""
    split = normalize_split(split)
    by_dir: dict[Path, dict[str, Path]] = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            by_dir.setdefault(p.parent, {})[p.name.lower()] = p
    samples: list[Sample] = []
    problems: list[Problem] = []
    for folder, files in by_dir.items():
        rel_dir = folder.relative_to(root)
        folder_split = _split_of(rel_dir)
        if split is not None and folder_split != split:
            continue
        labels = {name[: -len(GT_SUFFIX)]: p for name, p in files.items() if name.endswith(GT_SUFFIX)}
        for stem, gt in sorted(labels.items(), key=lambda kv: kv[1].name):
            image = next((files[stem + s] for s in IMAGE_SUFFIXES if stem + s in files), None)
            if image is None:
                problems.append(
                    Problem(str(gt), "no image for label", f"no {gt.name[: -len(GT_SUFFIX)]}.png or similar")
                )
                continue
            try:
                raw = gt.read_bytes()
            except OSError as err:
                problems.append(Problem(str(gt), "unreadable label", err.strerror or type(err).__name__))
                continue
            text = read_label(raw, str(gt))
            if isinstance(text, Problem):
                problems.append(text)
                continue
            rel = image.relative_to(root)
            samples.append(
                Sample(
                    id=rel.with_suffix("").as_posix(),
                    text=text,
                    source=source or root.resolve().name,
                    image=image,
                    split=folder_split,
                )
            )
        for name, p in files.items():
            if name.endswith(IMAGE_SUFFIXES) and not _is_variant(name, set(labels)):
                problems.append(Problem(str(p), "image without label", f"no {p.name.rsplit('.', 1)[0]}{GT_SUFFIX}"))
    samples.sort(key=lambda s: s.id)
    return LineDataset(source or root.resolve().name, samples, problems)
