"""Turn an evaluation run into a report: totals, per-group rates, worst samples and confusions.

Every rate is a corpus rate (sum of edits over sum of reference lengths) of
its group, never a mean of per-sample rates, so a one-character line cannot
swing a group's figure. Each CER comes with a 95% bootstrap interval over
its samples (odia_ocr.evaluation.interval), so small groups read as such.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from odia_ocr.evaluation.interval import cer_interval
from odia_ocr.evaluation.runner import EvalRun, SampleResult
from odia_ocr.metrics import ErrorCounts
from odia_ocr.metrics.align import align, confusions, diff_view, visible

__all__ = ["DEFAULT_GROUP_KEYS", "MISSING", "build_report", "group_totals", "group_value", "label_of"]

#: Grouped by when the user names no keys, each only if the data carries it.
DEFAULT_GROUP_KEYS: tuple[str, ...] = ("source", "font", "level")

#: Group label of samples that lack the key.
MISSING = "(none)"


def label_of(source: str, meta: Mapping[str, Any], key: str) -> str:
    """The group label of a sample with this source and metadata, in the grouping by ``key``.

    One rule for reports and for comparisons of saved predictions, so both group alike.
    """
    value: Any = source if key == "source" else meta.get(key)
    if value is None or value == "":
        return MISSING
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def group_value(result: SampleResult, key: str) -> str:
    """The label of ``result`` in the grouping by ``key`` ('source' or a manifest metadata key)."""
    return label_of(result.source, result.meta, key)


def group_totals(results: Iterable[SampleResult], key: str) -> dict[str, ErrorCounts]:
    """Summed error counts per value of ``key``, sorted by label."""
    groups: dict[str, ErrorCounts] = {}
    for r in results:
        counts = groups.setdefault(group_value(r, key), ErrorCounts())
        counts += r.counts  # in place: the dict holds the same object
    return dict(sorted(groups.items()))


def _with_interval(results: Sequence[SampleResult], counts: ErrorCounts) -> dict[str, Any]:
    """``counts.summary()`` plus the 95% bootstrap interval of the CER over these samples."""
    lo, hi = cer_interval([r.counts.char_edits for r in results], [r.counts.chars for r in results])
    return {**counts.summary(), "cer_interval": [round(lo, 6), round(hi, 6)]}


def _group_summaries(results: Sequence[SampleResult], key: str) -> dict[str, dict[str, Any]]:
    members: dict[str, list[SampleResult]] = {}
    for r in results:
        members.setdefault(group_value(r, key), []).append(r)
    return {v: _with_interval(members[v], c) for v, c in group_totals(results, key).items()}


def _present_keys(results: Sequence[SampleResult], keys: Sequence[str]) -> list[str]:
    return [k for k in keys if any(group_value(r, k) != MISSING for r in results)]


def _worst(run: EvalRun, n: int) -> list[dict[str, Any]]:
    ranked = sorted(run.results, key=lambda r: (r.counts.cer, r.counts.char_edits), reverse=True)
    return [
        {
            "id": r.id,
            "cer": round(r.counts.cer, 6),
            "char_edits": r.counts.char_edits,
            "chars": r.counts.chars,
            "reference": r.reference,
            "prediction": r.prediction,
            "view": diff_view(r.reference, r.prediction, page_mode=run.page_mode),
            "edits": [list(e) for e in align(r.reference, r.prediction, page_mode=run.page_mode) if e.op != "equal"],
        }
        for r in ranked[:n]
        if r.counts.char_edits
    ]


def build_report(
    run: EvalRun,
    group_by: Sequence[str] | None = None,
    worst: int = 20,
    top_confusions: int = 30,
    info: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A JSON-ready report of ``run``.

    ``group_by`` None groups by :data:`DEFAULT_GROUP_KEYS` that the data
    carries; named keys are always reported, even if every sample lacks them.
    ``info`` (engine options, dataset path, ...) is copied in as is.
    """
    keys = _present_keys(run.results, DEFAULT_GROUP_KEYS) if group_by is None else list(group_by)
    pairs = ((r.reference, r.prediction) for r in run.results)
    conf = confusions(pairs, page_mode=run.page_mode).most_common(top_confusions)
    confidences = [r.confidence for r in run.results if r.confidence is not None]
    return {
        "engine": run.engine,
        "page_mode": run.page_mode,
        **(info or {}),
        "overall": _with_interval(run.results, run.total),
        "evaluated": len(run.results),
        "bad_samples": {"count": len(run.bad), "items": [{"id": b.id, "error": b.error} for b in run.bad]},
        "throughput": {
            "items": len(run.results),
            "unit": "pages" if run.page_mode else "lines",
            "engine_seconds": round(run.engine_seconds, 3),
            "per_second": round(run.items_per_second, 3),
        },
        "mean_confidence": round(sum(confidences) / len(confidences), 4) if confidences else None,
        "groups": {k: _group_summaries(run.results, k) for k in keys},
        "confusions": [
            {"ref": ref, "hyp": hyp, "shown": f"{visible(ref)} → {visible(hyp)}", "count": n} for (ref, hyp), n in conf
        ],
        "worst": _worst(run, worst),
    }
