"""Compare two evaluation runs of the same samples: per group, the CER difference and whether it is clear.

Which model to ship is decided by a benchmark, and two close models can swap
order with the draw of a benchmark's lines. Pairing each sample's two
readings (:func:`~odia_ocr.evaluation.interval.paired_difference`) says
whether a difference is larger than that noise.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from odia_ocr.evaluation.interval import Difference, cer_interval, paired_difference
from odia_ocr.evaluation.summary import label_of

__all__ = ["ALL", "GroupComparison", "PredictionsError", "compare_groups", "load_predictions"]

#: Label of the whole run, beside the groups.
ALL = "(all)"


class GroupComparison(NamedTuple):
    """One group of samples read by both runs: each run's CER interval, and B minus A with its paired interval."""

    samples: int
    interval_a: tuple[float, float]
    interval_b: tuple[float, float]
    difference: Difference


class PredictionsError(ValueError):
    """A predictions file that cannot be read or compared; the message names the file."""


def load_predictions(path: str | Path) -> dict[str, dict[str, Any]]:
    """Rows of a ``predictions.jsonl`` (or of the one in a report folder), by sample id.

    Each row keeps its counts, confidence (None when the engine gives none),
    source and metadata. Samples that could not be evaluated (rows with
    ``error``) are left out: they have no counts to compare.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "predictions.jsonl"
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise PredictionsError(f"{p}: cannot read predictions ({err.strerror or err})") from None
    rows: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if "error" in row:
                continue
            meta, conf = row.get("meta") or {}, row.get("confidence")
            if not isinstance(meta, dict):
                raise TypeError(f"meta is {type(meta).__name__}, not an object")
            rows[str(row["id"])] = {"char_edits": int(row["char_edits"]), "chars": int(row["chars"]),
                                    "confidence": None if conf is None else float(conf),
                                    "meta": meta, "source": str(row.get("source", ""))}
        except (ValueError, KeyError, TypeError) as err:
            raise PredictionsError(f"{p}, line {n}: not a prediction row ({type(err).__name__}: {err})") from None
    if not rows:
        raise PredictionsError(f"{p}: no evaluated samples")
    return rows


def compare_groups(a: Mapping[str, Mapping[str, Any]], b: Mapping[str, Mapping[str, Any]], key: str | None = None,
                   confidence: float = 0.95, seed: int = 0) -> dict[str, GroupComparison]:
    """Per value of ``key`` (and :data:`ALL`, the whole run), how the two runs read those samples.

    Both runs must hold the same samples with the same reference lengths;
    otherwise the comparison would not be of like with like.
    """
    if a.keys() != b.keys():
        only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
        raise PredictionsError(f"the runs hold different samples: {len(only_a)} only in A (e.g. "
                               f"{(only_a or ['-'])[0]}), {len(only_b)} only in B (e.g. {(only_b or ['-'])[0]})")
    differ = [i for i in a if a[i]["chars"] != b[i]["chars"]]
    if differ:
        raise PredictionsError(f"the runs' references differ in length for {len(differ)} samples (e.g. {differ[0]})")
    # A's file order, which is the evaluation's order: the same resamples as the report's own intervals
    ids = list(a)
    groups: dict[str, list[str]] = {}
    for i in ids if key else ():
        groups.setdefault(label_of(a[i]["source"], a[i]["meta"], key), []).append(i)
    out: dict[str, GroupComparison] = {}
    for label, members in [(ALL, ids), *sorted(groups.items())]:
        ea, eb = [a[i]["char_edits"] for i in members], [b[i]["char_edits"] for i in members]
        chars = [a[i]["chars"] for i in members]
        out[label] = GroupComparison(len(members), cer_interval(ea, chars, confidence, seed=seed),
                                     cer_interval(eb, chars, confidence, seed=seed),
                                     paired_difference(ea, eb, chars, confidence=confidence, seed=seed))
    return out
