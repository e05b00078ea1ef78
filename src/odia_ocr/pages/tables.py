"""Tables of contents, indexes and numbered lists: join the cells of each row into one line read across.

Row grouping (:func:`odia_ocr.pages.layout.group_rows`) keeps a column
gutter between two lines, rightly for columns of text. In a table of
contents the numbers, dandas and page numbers stand in narrow columns with
white on both sides, so without this step each row falls apart and a page
is read as all its titles, then all its numbers. Works on line boxes only,
like the rest of the layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from odia_ocr.pages.boxes import Box, median_height, union_box

__all__ = ["TableOptions", "join_table_rows"]


@dataclass(frozen=True)
class TableOptions:
    """Thresholds of table-row joining, in units of the page's median line height.

    ``cell_width``: a line no wider than this is a table cell (a number, a
    page number, a danda) when at least ``cell_run`` such lines stand one
    under the other with no wider line between them. ``cell_gap``: the
    widest gap that still joins two cells of one row (a number and its
    danda), and that counts as a word gap beside a column of cells.
    """

    cell_width: float = 3.0
    cell_run: int = 3
    cell_gap: float = 1.0


def _cell_runs(lines: Sequence[Box], h: float, opts: TableOptions) -> list[tuple[list[int], bool]]:
    """Table cells, as runs of narrow lines stacked in one narrow column (each run top to bottom).

    A line is narrow when it is at most ``cell_width`` line heights wide. A
    run is followed up and down through the lines that share some of a
    line's width; it ends at a wider line or at a vertical gap of more than
    five line heights (a wrapped title leaves one page number out). Runs of
    fewer than ``cell_run`` lines are not cells. The short last lines of
    paragraphs are narrow too, but full lines stand between them in their
    column, so they never run. Each run comes with whether a wider line
    flush with its left edge stands right above and right below it: a list
    or a stanza inside a column of text, which starts lines rather than
    ending another column's.
    """
    arr = np.asarray(lines, np.int64).reshape(-1, 4)
    narrow = (arr[:, 2] - arr[:, 0] <= opts.cell_width * h).tolist()
    seen = [False] * len(lines)
    runs: list[tuple[list[int], bool]] = []
    for i, a in enumerate(lines):
        if not narrow[i] or seen[i]:
            continue
        h_over = np.minimum(arr[:, 2], a[2]) - np.maximum(arr[:, 0], a[0]) > 0
        v_over = np.minimum(arr[:, 3], a[3]) - np.maximum(arr[:, 1], a[1]) > 0
        above_or_below = np.flatnonzero(h_over & ~v_over).tolist()
        stack = sorted({i, *above_or_below}, key=lambda j: lines[j][1])
        pos = stack.index(i)
        run = [i]
        bounds = []  # the wider lines that end the run closely above and below
        for step in (-1, 1):
            k, prev = pos + step, i
            while 0 <= k < len(stack):
                upper, lower = sorted((lines[prev], lines[stack[k]]), key=lambda b: b[1])
                if lower[1] - upper[3] > 5 * h:
                    break
                if not narrow[stack[k]]:
                    if lower[1] - upper[3] <= 3 * h:
                        bounds.append(lines[stack[k]])
                    break
                run.append(stack[k])
                prev, k = stack[k], k + step
        if len(run) >= opts.cell_run:
            for k in run:
                seen[k] = True
            left = float(np.median([lines[k][0] for k in run]))
            flush = len(bounds) == 2 and all(abs(b[0] - left) <= 0.5 * h for b in bounds)
            runs.append((sorted(run, key=lambda k: lines[k][1]), flush))
    return runs


def _same_row(arr: np.ndarray, k: int) -> np.ndarray:
    """Which boxes of ``arr`` (n × 4) share a row with box ``k``: they overlap by half the lower one's height."""
    a = arr[k]
    overlap = np.minimum(arr[:, 3], a[3]) - np.maximum(arr[:, 1], a[1])
    return overlap >= 0.5 * np.minimum(arr[:, 3] - arr[:, 1], a[3] - a[1])


def _lean(run: Sequence[int], arr: np.ndarray, h: float, opts: TableOptions, flush: bool) -> int:
    """Which side a column of cells belongs with: -1 the text on its left (page numbers), 1 the text on its right
    (numbers before titles), 0 neither (a column of its own).

    Text runs into its page number across a ragged gap: titles end where
    they end. The next column of a table starts at one aligned edge. With
    neighbours on both sides, a column of cells leans to the side whose
    facing edges are ragged (their middle half spreads over more than half a
    line height) when only one side is, and otherwise to the side whose
    narrowest gap, over its rows, is narrower. With neighbours on one side
    only, it leans there when the gap is a word gap (at most ``cell_gap``
    line heights), or, on the left, ragged; a column gutter is neither, so
    a short list beside another column stays apart. A run flush with text
    lines above and below it (``flush``) never leans left.
    """
    left_edges, right_edges = [], []
    left_gap = right_gap = float("inf")
    for k in run:
        a, row = arr[k], _same_row(arr, k)
        row[k] = False
        lefts = arr[row & (arr[:, 2] <= a[0] + 2), 2]
        rights = arr[row & (arr[:, 0] >= a[2] - 2), 0]
        if lefts.size:
            left_edges.append(int(lefts.max()))
            left_gap = min(left_gap, int(a[0]) - left_edges[-1])
        if rights.size:
            right_edges.append(int(rights.min()))
            right_gap = min(right_gap, right_edges[-1] - int(a[2]))

    def ragged(edges: list[int]) -> bool:
        q1, q3 = np.percentile(edges, (25, 75))
        return len(edges) >= 3 and q3 - q1 > 0.5 * h

    near = opts.cell_gap * h
    if left_edges and right_edges:
        if ragged(left_edges) != ragged(right_edges):
            side = -1 if ragged(left_edges) else 1
        else:
            side = -1 if left_gap <= right_gap else 1
    elif left_edges:
        side = -1 if ragged(left_edges) or left_gap <= near else 0
    elif right_edges:
        side = 1 if right_gap <= near else 0
    else:
        side = 0
    return 0 if side == -1 and flush else side


def join_table_rows(lines: Sequence[Box], options: TableOptions | None = None) -> list[Box]:
    """Join the cells of table rows (number, danda, title, page number) into one line each.

    Row grouping keeps a column gutter between two lines. In a table of
    contents every cell column has such gutters, so each row falls apart
    and its numbers would be read as columns of their own, after all the
    titles. Here a column of cells joins, row by row, the text on the side
    it belongs to (``_lean``): page numbers the title before them,
    numbers (with their danda) the title after them. Titles as short as
    numbers are cells too, so a cell that leans left also joins a row of
    cells before it; otherwise two cells join when no more than
    ``cell_gap`` line heights apart (a number and its danda), and never
    when a cell that leans left meets one that leans right (a page number,
    then the next half's number, however narrow the gutter). Two runs of
    text are never joined across a gutter: a row of joins that would hold
    two is cut at its widest gap between them.
    """
    opts = options or TableOptions()
    boxes: list[Box] = [(int(b[0]), int(b[1]), int(b[2]), int(b[3])) for b in lines]
    if len(boxes) < opts.cell_run:
        return boxes
    h = median_height(boxes)
    runs = _cell_runs(boxes, h, opts)
    if not runs:
        return boxes
    arr = np.asarray(boxes, np.int64)
    lean: dict[int, int] = {}
    for run, flush in runs:
        lean.update(dict.fromkeys(run, _lean(run, arr, h, opts, flush)))
    cells = [k in lean for k in range(len(boxes))]
    taken = np.zeros(len(boxes), bool)
    out: list[Box] = []
    for i in sorted(range(len(boxes)), key=lambda k: boxes[k][0]):
        if taken[i]:
            continue
        row = [i]
        taken[i] = True
        while True:  # the next line to the right on this row, while the pair may join
            a, last = boxes[row[-1]], row[-1]
            right = np.flatnonzero(~taken & (arr[:, 0] >= a[2] - 2) & _same_row(arr, last))
            if not right.size:
                break
            j = int(right[np.argmin(arr[right, 0])])
            only_cells = all(cells[k] for k in row)
            if cells[last] and cells[j]:  # a number and its danda, or a page number; not the next half's number
                ends_then_starts = lean[last] == -1 and lean[j] == 1  # a page number, then the next half's number
                near = boxes[j][0] - a[2] <= opts.cell_gap * h
                joins = not ends_then_starts and (near or (lean[j] == -1 and only_cells))
            elif cells[j]:  # text, then a cell: a page number
                joins = lean[j] == -1
            elif cells[last]:  # cells, then text: a numbered title, when the cells lead the row
                joins = only_cells and lean[row[0]] == 1
            else:
                joins = False
            if not joins:
                break
            row.append(j)
            taken[j] = True
        out.extend(union_box(boxes[k] for k in part) for part in _cut_between_texts(row, boxes, cells))
    return out


def _cut_between_texts(row: list[int], boxes: Sequence[Box], cells: Sequence[bool]) -> list[list[int]]:
    """Split a joined row (indices left to right) at its widest gap between each two runs of text."""
    texts = [p for p, k in enumerate(row) if not cells[k]]
    if len(texts) < 2:
        return [row]
    cuts = []
    for t0, t1 in pairwise(texts):
        gaps = [boxes[row[p + 1]][0] - boxes[row[p]][2] for p in range(t0, t1)]
        cuts.append(t0 + 1 + int(np.argmax(gaps)))
    bounds = [0, *cuts, len(row)]
    return [row[a:b] for a, b in pairwise(bounds)]
