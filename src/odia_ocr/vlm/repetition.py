"""Detecting the repetition loops VLMs fall into on OCR ("ଓଡ଼ିଆ ଓଡ଼ିଆ ଓଡ଼ିଆ ..." until max tokens).

A loop is a unit of 1..``max_period`` items repeated back to back at least
``min_repeats`` times and over at least ``min_span`` items. The same check
runs on token ids while generating (to stop early) and on characters of a
finished text (for engines whose generation we do not control).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["Loop", "LoopGuard", "find_tail_loop", "trim_loop"]


@dataclass(frozen=True)
class Loop:
    start: int  # index where the repeating run begins
    period: int  # length of the repeating unit
    repeats: int  # whole units in the run


@dataclass(frozen=True)
class LoopGuard:
    max_period: int = 32
    min_repeats: int = 4
    min_span: int = 16

    def find(self, items: Sequence[Hashable]) -> Loop | None:
        return find_tail_loop(items, self.max_period, self.min_repeats, self.min_span)


def find_tail_loop(items: Sequence[Hashable], max_period: int, min_repeats: int, min_span: int) -> Loop | None:
    """The loop the sequence ends in, if any (the shortest period wins)."""
    n = len(items)
    for p in range(1, max_period + 1):
        need = max(min_repeats, -(-min_span // p))
        if n < p * need:
            break
        # Length of the run at the tail where items[i] == items[i - p].
        run = 0
        i = n - 1
        while i - p >= 0 and items[i] == items[i - p]:
            run += 1
            i -= 1
        repeats = (run + p) // p
        if repeats >= need:
            return Loop(start=n - run - p, period=p, repeats=repeats)
    return None


def trim_loop(items: Sequence[Hashable], loop: Loop | None) -> Sequence[Hashable]:
    """The sequence with its looping tail cut to one copy of the unit."""
    if loop is None:
        return items
    return items[: loop.start + loop.period]
