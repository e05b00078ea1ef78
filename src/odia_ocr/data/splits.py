"""Deterministic train/val/test assignment by hashing, with every group of same-text samples in one split.

A group's split depends only on (seed, the group's text), not on the input
order or on the other samples, so adding data never moves existing groups,
and a line that appears twice (two scans, two fonts) cannot be in train and
test at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["assign_splits", "check_fractions", "split_for_key"]

#: When a group mixes given splits (``keep_splits``), the most held-out one wins, so nothing leaks into test.
_STRICTNESS = {"train": 0, "val": 1, "test": 2}


def check_fractions(val: float, test: float) -> None:
    """Refuse fractions that leave no room for training data."""
    if not (0.0 <= val < 1.0 and 0.0 <= test < 1.0 and val + test < 1.0):
        raise ValueError(f"val ({val}) and test ({test}) must each be in [0, 1) and sum to less than 1")


def split_for_key(key: str, val: float, test: float, seed: int = 0) -> str:
    """'train', 'val' or 'test' for a group key: a uniform hash in [0, 1) cut at ``test`` and ``test + val``."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode("utf-8", "surrogatepass")).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    return "test" if u < test else "val" if u < test + val else "train"


def assign_splits(
    texts: Sequence[str],
    val: float,
    test: float,
    seed: int = 0,
    fixed: Sequence[str | None] | None = None,
) -> list[str]:
    """The split of each sample; samples with the same text share one.

    ``fixed`` holds splits to keep (e.g. a source's own test set): a group
    with a fixed member takes the most held-out fixed split among them.
    """
    check_fractions(val, test)
    group_split: dict[str, str] = {}
    if fixed is not None:
        for text, split in zip(texts, fixed, strict=True):
            if split in _STRICTNESS and _STRICTNESS[split] >= _STRICTNESS.get(group_split.get(text, ""), -1):
                group_split[text] = split
    out = []
    for text in texts:
        if text not in group_split:
            group_split[text] = split_for_key(text, val, test, seed)
        out.append(group_split[text])
    return out
