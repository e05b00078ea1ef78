"""Batch planning: every line once, batches bounded, and the least padded area a cut can give."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from odia_ocr.recognizer.batching import plan_batches


def _cost(widths: np.ndarray, batches: list[np.ndarray], run_cost: int) -> int:
    return sum(int(widths[b].max()) * len(b) + run_cost for b in batches)


@pytest.mark.parametrize("seed", range(5))
def test_every_line_once_batches_bounded_and_workers_busy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    widths = rng.integers(16, 600, size=int(rng.integers(1, 80)))
    batches = plan_batches(widths, max_size=16, min_batches=2)
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(widths)))
    assert all(1 <= len(b) <= 16 for b in batches)
    assert len(batches) >= min(2, len(widths))


@pytest.mark.parametrize("seed", range(5))
def test_no_cut_of_the_sorted_lines_is_cheaper(seed: int) -> None:
    """Brute force over every way to cut 9 width-sorted lines into batches of at most 4."""
    rng = np.random.default_rng(seed)
    widths = rng.integers(16, 400, size=9)
    got = _cost(widths, plan_batches(widths, max_size=4, run_cost=32), 32)
    w = np.sort(widths)
    best = None
    for mask in itertools.product((0, 1), repeat=len(w) - 1):  # 1: a batch ends after this line
        ends = [i + 1 for i, m in enumerate(mask) if m] + [len(w)]
        starts = [0, *ends[:-1]]
        if any(b - a > 4 for a, b in zip(starts, ends, strict=True)):
            continue
        cost = sum(int(w[b - 1]) * (b - a) + 32 for a, b in zip(starts, ends, strict=True))
        best = cost if best is None else min(best, cost)
    assert got == best


def test_mixed_widths_waste_far_less_than_equal_halves() -> None:
    """Sixteen lines, short and long mixed, for two workers: the plan pads much less than cutting in halves."""
    widths = np.array([40, 400, 60, 380, 90, 350, 120, 300, 150, 260, 180, 240, 200, 220, 70, 410])
    order = np.argsort(widths, kind="stable")
    halves = [order[:8], order[8:]]
    plan = plan_batches(widths, max_size=16, min_batches=2)
    padded = sum(int(widths[b].max()) * len(b) for b in plan)
    assert padded < 0.8 * sum(int(widths[b].max()) * len(b) for b in halves)
    assert plan_batches([], max_size=16) == []
