"""Page layout from line boxes: segments joined into rows, rows into blocks, blocks into reading order.

Works on boxes only, so it serves every line detector. Columns are found
from whitespace, not assumed: a gap inside a row is a column gutter when a
vertical channel of white runs through the neighbouring rows at that place,
and a word gap (however wide, in justified text) otherwise. Tables of
contents, indexes and numbered lists are the exception: their numbers and
page numbers stand in narrow columns with white channels on both sides, yet
each row is read across, as one line (:mod:`odia_ocr.pages.tables`).

Newspapers also set insets across a gutter: a story's picture between two
short captions, with both columns narrowing around it. An inset line sits in
the same rows as column text on both sides of it, so it would join them into
one line across the columns and split them into bands. Lines that straddle a
page gutter are therefore kept apart from column text beside them, and the
blocks they form are read after the columns (:func:`page_gutters`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from odia_ocr.pages.boxes import Box, margin_beside, median_height, union_box
from odia_ocr.pages.tables import TableOptions, join_table_rows

__all__ = [
    "LayoutOptions",
    "analyze_layout",
    "find_blocks",
    "group_rows",
    "order_blocks",
    "page_gutter_spans",
    "page_gutters",
]


@dataclass(frozen=True)
class LayoutOptions:
    """Thresholds of layout analysis, in units of line height.

    ``word_gap``: gaps up to this always join segments of one row.
    ``gutter_rows``: a wider gap is a column gutter when a white channel
    through it passes at least this many line heights of text rows above
    and below.
    ``block_gap``: extra vertical space, beyond the page's usual line gap,
    that starts a new block.
    ``table_rows``: join the cells of table rows (numbers, page numbers)
    into lines read across (:func:`~odia_ocr.pages.tables.join_table_rows`,
    steered by ``tables``); False reads every narrow column as a column of
    its own.
    ``insets``: keep lines set across a column gutter (an inset's captions)
    apart from the column text beside them and read them after the columns;
    False joins and orders them as any other line.
    """

    word_gap: float = 0.3
    gutter_rows: float = 8.0
    block_gap: float = 0.6
    table_rows: bool = True
    insets: bool = True
    tables: TableOptions = field(default_factory=TableOptions)


def _v_overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return min(a[3], b[3]) - max(a[1], b[1])


def _h_overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return min(a[2], b[2]) - max(a[0], b[0])


class _Coverage:
    """A quarter-resolution map of where boxes are, for white-channel tests."""

    def __init__(self, boxes: Sequence[Box], scale: int = 4) -> None:
        self.scale = scale
        w = max(b[2] for b in boxes) // scale + 2
        h = max(b[3] for b in boxes) // scale + 2
        self.map = np.zeros((h, w), bool)
        for x0, y0, x1, y1 in boxes:
            self.map[y0 // scale : -(-y1 // scale), x0 // scale : -(-x1 // scale)] = True

    def channel(self, a: Box, b: Box, min_share: float = 0.6) -> float:
        """Text rows, in pixels, that a white channel through the gap between ``a`` and ``b`` passes.

        For each x inside the gap, white is followed up from the row's top and
        down from its bottom until it meets a box; only rows that hold text
        between ``a``'s left and ``b``'s right count, so margins and the space
        between lines add nothing. The best x counts.

        A gutter can also be interrupted: an inset, a boxed picture caption or a
        sub-heading set across both columns blocks it for a few rows, and the
        columns go on below. So an x also counts all the rows with text on both
        sides of it where it is white, when it is white in at least ``min_share``
        of them: a column gutter is white in nearly every row beside it, while
        the rivers of justified spacing are white in a few rows only.
        """
        s, m = self.scale, self.map
        lo, hi = a[2] // s + 1, max(a[2] // s + 2, b[0] // s)
        if -(-b[2] // s) <= lo:  # b ends in a's last cell (specks a few pixels apart): no gap to test
            return 0.0
        cols = m[:, lo:hi]
        text_rows = m[:, a[0] // s : -(-b[2] // s)].any(axis=1)
        top, bottom = min(a[1], b[1]) // s, -(-max(a[3], b[3]) // s)
        rows_up = np.concatenate([[0], np.cumsum(text_rows[:top][::-1])])
        rows_down = np.concatenate([[0], np.cumsum(text_rows[bottom:])])
        passed = rows_up[_first_inked(cols[:top][::-1])] + rows_down[_first_inked(cols[bottom:])]
        # Rows with text on both sides of each x of the gap, between a's left and b's right.
        left = np.maximum.accumulate(m[:, a[0] // s : hi], axis=1)[:, lo - a[0] // s :]
        right = np.maximum.accumulate(m[:, lo : -(-b[2] // s)][:, ::-1], axis=1)[:, ::-1][:, : hi - lo]
        beside = left & right
        beside[top:bottom] = False  # the pair's own row is not evidence either way
        white = (beside & ~cols).sum(axis=0)
        share = white / np.maximum(beside.sum(axis=0), 1)
        interrupted = np.where(share >= min_share, white, 0)
        return float(max(passed.max(), interrupted.max())) * s


def _ordinary_coverage(boxes: Sequence[Box], usual: float) -> _Coverage:
    """Coverage of the boxes of ordinary line height: a box the detector drew over two lines (or a big
    heading) must not hide a gutter from every row around it."""
    return _Coverage([b for b in boxes if b[3] - b[1] <= 2 * usual] or list(boxes))


def _int_boxes(segments: Sequence[Box]) -> list[Box]:
    """Detector boxes as integer tuples, empty ones dropped."""
    return [(int(s[0]), int(s[1]), int(s[2]), int(s[3])) for s in segments if s[2] > s[0] and s[3] > s[1]]


def page_gutters(boxes: Sequence[Box], gutter_rows: float = 8.0, min_share: float = 0.6) -> list[int]:
    """x positions (pixels) of the page's column gutters: the middle of each of :func:`page_gutter_spans`."""
    return [(a + b) // 2 for a, b in page_gutter_spans(boxes, gutter_rows, min_share)]


def page_gutter_spans(
    boxes: Sequence[Box], gutter_rows: float = 8.0, min_share: float = 0.6, min_width: float = 0.25
) -> list[tuple[int, int]]:
    """x ranges (pixels) of the page's column gutters, found from line boxes of ordinary height.

    An x is in a gutter when it is white in at least ``min_share`` of the rows
    that hold text on both sides of it, and in at least ``gutter_rows`` line
    heights of them: a gutter interrupted by an inset or a heading still
    qualifies, the rivers of justified spacing do not. Each run of such x's
    is one gutter, if it is at least ``min_width`` line heights wide: where a
    detector boxes each word of large type, the word gaps of many rows can
    overlap in a sliver of white a few pixels wide, which no column gutter is.
    """
    if len(boxes) < 2:
        return []
    usual = median_height(boxes)
    cover = _ordinary_coverage(boxes, usual)
    m, scale = cover.map, cover.scale
    left = np.maximum.accumulate(m, axis=1)
    right = np.maximum.accumulate(m[:, ::-1], axis=1)[:, ::-1]
    both = np.zeros_like(m)
    both[:, 1:-1] = left[:, :-2] & right[:, 2:]
    white = (both & ~m).sum(axis=0)
    share = white / np.maximum(both.sum(axis=0), 1)
    ok = (share >= min_share) & (white * scale >= gutter_rows * usual)
    xs: list[tuple[int, int]] = []
    x = 0
    while x < len(ok):
        if ok[x]:
            end = x
            while end + 1 < len(ok) and ok[end + 1]:
                end += 1
            rows = np.flatnonzero(both[:, x] & ~m[:, x])
            mid = (x + end) // 2
            crossed = int((both[:, mid] & m[:, mid]).sum())
            wide_enough = (end + 1 - x) * scale >= min_width * usual
            if wide_enough and _columns_beside(m, rows, crossed, x, end, 2 * usual / scale, 3 * usual / scale):
                xs.append((x * scale, (end + 1) * scale))
            x = end + 1
        else:
            x += 1
    return xs


def _columns_beside(
    m: np.ndarray, rows: np.ndarray, crossed: int, x0: int, x1: int, max_gap: float, wide: float, min_close: float = 0.4
) -> bool:
    """Whether the text on each side of the white run ``x0..x1`` (map cells) is column text, not a table's.

    Only rows where text comes within ``max_gap`` (two line heights) of the
    run on both sides count ("close" rows). There must be at least ``wide``
    of them (three line heights), and they must be at least ``min_close`` of
    the close rows and the ``crossed`` rows, where text runs through the
    run's middle (an inset's captions cross a true gutter in a few rows).
    The white beside an inset, between a column's edge and the
    picture, has the far column a picture's width away in most rows, and
    text crossing it above and below the inset; so has a river of wide
    justified spacing that happens to line up beside a picture. In the close
    rows, text runs are followed away from the gap across word gaps (white
    shorter than ``max_gap``: justified spacing); in the median row they
    must reach ``wide`` cells on both sides. The channels of a table of
    contents have narrow number or page-number columns beside them and
    fail; a gutter between two columns of prose passes.
    """
    reach: list[float] = []
    for r in rows:
        left, right = m[r, :x0][::-1], m[r, x1 + 1 :]
        if _first_inked(left[:, None])[0] > max_gap or _first_inked(right[:, None])[0] > max_gap:
            continue
        reach.append(min(_run_length(left, max_gap), _run_length(right, max_gap)))
    close = len(reach)
    return close >= wide and close >= min_close * (close + crossed) and float(np.median(reach)) >= wide


def _run_length(row: np.ndarray, max_gap: float) -> int:
    """Cells from the start of ``row`` to the end of its first text run, gaps shorter than ``max_gap`` bridged."""
    inked = np.flatnonzero(row)
    if inked.size == 0:
        return 0
    gaps = np.diff(inked) > max_gap
    end = inked[np.argmax(gaps)] if gaps.any() else inked[-1]
    return int(end - inked[0] + 1)


def _straddles(box: Sequence[int], gutters: Sequence[int], reach: float) -> bool:
    """Whether ``box`` reaches across one of the page's gutters, by more than ``reach`` pixels on each side.

    The reach (a line height) keeps a box the detector drew a little wide, over
    the edge of a column, from counting as set across the gutter.
    """
    return any(box[0] < x - reach and box[2] > x + reach for x in gutters)


def _flanked(box: Box, others: Sequence[Box]) -> bool:
    """Whether some of ``others`` lie wholly left of ``box`` and some wholly right of it, in its rows.

    Any shared row counts, and the rows half a line above and below it: an
    inset's caption keeps its own baseline, out of step with the column lines
    beside it, and the caption over a picture may sit just above the first
    line that one column narrows to.
    """
    reach = (box[3] - box[1]) // 2
    beside = [o for o in others if min(box[3] + reach, o[3]) > max(box[1] - reach, o[1])]
    return any(o[2] <= box[0] for o in beside) and any(o[0] >= box[2] for o in beside)


def _first_inked(cols: np.ndarray) -> np.ndarray:
    """Per column, the index of the first True row, or the number of rows when there is none."""
    if cols.shape[0] == 0:
        return np.zeros(cols.shape[1], np.int64)
    return np.where(cols.any(axis=0), cols.argmax(axis=0), cols.shape[0])


def _join_round(segs: list[Box], opts: LayoutOptions, gutters: Sequence[int], usual: float) -> list[Box]:
    """One pass of row grouping: every segment is joined to its right neighbour unless a gutter lies between.

    Nor is a segment that straddles one of the page's ``gutters`` with text
    beside it on both sides (an inset's caption between the columns) joined
    across more than a word gap to one that does not (column text). A title
    across the columns has nothing beside it and joins as before. On a page
    with such an inset (a caption clear of the text beside it by more than a
    line height), the inset also cuts the channel of the gutter itself, which
    may leave too few rows of it around a pair of lines in large type: there,
    no gap that holds one of the page's gutters is joined.

    ``usual`` is the page's line height, measured once on the detector's
    segments by :func:`group_rows`: measured again on each round's joined
    rows it grows, and an inset caption that reaches just a line height past
    a narrow gutter on each side would stop counting as set across it in a
    later round and be joined to the column lines beside it.
    """
    # Only boxes of ordinary line height block a channel.
    cover = _ordinary_coverage(segs, usual)
    order = sorted(range(len(segs)), key=lambda i: segs[i][0])
    parent = list(range(len(segs)))
    across = {i for i, b in enumerate(segs) if _straddles(b, gutters, usual)}
    within = [b for j, b in enumerate(segs) if j not in across]
    flanked = {i for i in across if _flanked(segs[i], within)}
    # an inset's caption stands a line height or more off the column text beside it; a word of a line
    # that happens to straddle a river taken for a gutter has its neighbours a word gap away
    insets = any(margin_beside(segs[i], within) > usual for i in flanked)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pos, i in enumerate(order):
        a = segs[i]
        ha = a[3] - a[1]
        best, best_gap = -1, 0
        for j in order[pos + 1 :]:
            b = segs[j]
            if b[0] > a[2] + 40 * ha:
                break
            if _v_overlap(a, b) < 0.5 * min(ha, b[3] - b[1]):
                continue
            if b[2] <= a[2]:  # inside a's span: part of a's row when it lies within a (a mark boxed twice)
                if _v_overlap(a, b) >= 0.8 * (b[3] - b[1]):
                    parent[find(j)] = find(i)
                continue
            if best < 0 or b[0] - a[2] < best_gap:
                best, best_gap = j, b[0] - a[2]
        if best < 0:
            continue
        b = segs[best]
        h = (ha + b[3] - b[1]) / 2
        if best_gap <= opts.word_gap * h:  # a word gap: a title set across the gutter in pieces stays whole
            parent[find(i)] = find(best)
        elif (i in flanked and best not in across) or (best in flanked and i not in across):
            continue
        elif insets and any(a[2] < x < b[0] for x in gutters):
            continue  # an inset cuts the gutter's channel: the page's gutter decides
        elif cover.channel(a, b) < opts.gutter_rows * h:
            parent[find(i)] = find(best)
    groups: dict[int, list[int]] = {}
    for i in range(len(segs)):
        groups.setdefault(find(i), []).append(i)
    return [union_box(segs[k] for k in g) for g in groups.values()]


def group_rows(
    segments: Sequence[Box], options: LayoutOptions | None = None, gutters: Sequence[int] | None = None
) -> list[Box]:
    """Join segments that lie side by side on one row into line boxes, but never across a column gutter.

    A segment's neighbour is the nearest segment to its right that overlaps it
    vertically by half the smaller height. Their gap is a word gap, and joins
    them, when it is narrower than ``word_gap`` line heights or when no long
    white channel runs through it: a gutter stays white through the rows of
    a whole column, while the rivers that wide justified spacing leaves
    between word segments run through a few lines only. Rows are joined in
    rounds, because joined rows block rivers that seemed long before.
    ``gutters`` (default: :func:`page_gutters` of the segments) keeps inset
    lines apart from column text.
    """
    opts = options or LayoutOptions()
    segs = _int_boxes(segments)
    if gutters is None:
        gutters = page_gutters(segs, opts.gutter_rows)
    usual = median_height(segs)
    for _ in range(4):
        if len(segs) < 2:
            break
        joined = _join_round(segs, opts, gutters, usual)
        if len(joined) == len(segs):
            break
        segs = joined
    return segs


def _typical_gap(lines: Sequence[Box]) -> float:
    """Median white space between a line and the nearest line above it in the same column."""
    gaps = []
    for i, a in enumerate(lines):
        reach = a[1] + 0.3 * (a[3] - a[1])
        above = [b for j, b in enumerate(lines) if j != i and b[3] <= reach and _h_overlap(a, b) > 0]
        if above:
            gaps.append(a[1] - max(b[3] for b in above))
    return float(np.median(gaps)) if gaps else 0.0


def find_blocks(lines: Sequence[Box], options: LayoutOptions | None = None) -> list[list[int]]:
    """Group lines into blocks (paragraph-like), each a list of line indices from top to bottom.

    A line continues the block of the line just above it in its column when
    the white space between them is no wider than the page's usual gap plus
    ``block_gap`` line heights, their heights agree, they share a left edge
    (up to an indent) or a centre, and it does not start a new paragraph
    (indented, after a line that ended short).
    """
    opts = options or LayoutOptions()
    n = len(lines)
    if n == 0:
        return []
    usual = _typical_gap(lines)
    order = sorted(range(n), key=lambda i: (lines[i][1], lines[i][0]))
    above = {i: _line_above(lines, order, pos) for pos, i in enumerate(order)}
    # A line with several lines side by side right under it spans columns (a title, a header):
    # it ends its block instead of continuing into one of the columns.
    claims: dict[int, int] = {}
    for j in above.values():
        if j >= 0:
            claims[j] = claims.get(j, 0) + 1
    block_of: dict[int, int] = {}
    blocks: list[list[int]] = []
    for i in order:
        a, prev = lines[i], above[i]
        joined = False
        if prev >= 0 and claims[prev] == 1:
            b = lines[prev]
            ha, hb = a[3] - a[1], b[3] - b[1]
            h = (ha + hb) / 2
            close = a[1] - b[3] <= usual + opts.block_gap * h
            alike = 0.67 <= ha / max(hb, 1) <= 1.5
            aligned = abs(a[0] - b[0]) <= 3 * h or abs(a[0] + a[2] - b[0] - b[2]) <= 4 * h
            new_paragraph = a[0] - b[0] > 0.8 * h and a[2] - b[2] > 1.5 * h
            if close and alike and aligned and not new_paragraph:
                blocks[block_of[prev]].append(i)
                block_of[i] = block_of[prev]
                joined = True
        if not joined:
            block_of[i] = len(blocks)
            blocks.append([i])
    return blocks


def _line_above(lines: Sequence[Box], order: Sequence[int], pos: int) -> int:
    """Index of the nearest line above ``lines[order[pos]]`` that shares a good part of its width, or -1."""
    a = lines[order[pos]]
    ha = a[3] - a[1]
    best = -1
    for j in order[:pos]:
        b = lines[j]
        if b[3] <= a[1] + 0.3 * ha and _h_overlap(a, b) > 0.3 * min(a[2] - a[0], b[2] - b[0]):
            if best < 0 or b[3] > lines[best][3]:
                best = j
    return best


def order_blocks(boxes: Sequence[Box]) -> list[int]:
    """Reading order of blocks (left-to-right, top-to-bottom columns), as indices into ``boxes``.

    Breuel's partial order, as in OCRopus and kraken: ``u`` comes before
    ``v`` when they share columns and ``u`` is above, or when ``u`` is left
    of ``v`` and no third block spanning both lies between them vertically
    (a full-width title or picture caption separates column runs). The order
    is completed by a topological sort that prefers the top-most, then
    left-most, block.
    """
    n = len(boxes)
    before = np.zeros((n, n), bool)
    for i, u in enumerate(boxes):
        for j, v in enumerate(boxes):
            if i == j:
                continue
            if _h_overlap(u, v) > 0 and not _side_by_side(u, v):
                before[i, j] = (u[1] + u[3]) < (v[1] + v[3])
            elif u[0] + u[2] < v[0] + v[2] and not any(
                _separates(w, u, v) for k, w in enumerate(boxes) if k not in (i, j)
            ):
                before[i, j] = True
    done: list[int] = []
    left = set(range(n))
    while left:
        ready = [i for i in left if not any(before[j, i] for j in left if j != i)]
        pick = min(ready or left, key=lambda i: (boxes[i][1], boxes[i][0]))
        done.append(pick)
        left.remove(pick)
    return done


def _side_by_side(u: Box, v: Box, slack: float = 0.1) -> bool:
    """Whether two blocks in the same rows stand side by side though their x ranges overlap by a sliver.

    A line the detector drew a little long reaches into the gutter; up to
    ``slack`` of the narrower block's width, such an overlap does not put one
    column above the other. Blocks in different rows (a page number under a
    column) keep the strict test.
    """
    return _v_overlap(u, v) > 0 and _h_overlap(u, v) <= slack * min(u[2] - u[0], v[2] - v[0])


def _separates(w: Box, u: Box, v: Box) -> bool:
    """True when ``w`` overlaps the rows of ``u`` and ``v`` and spans across from one to the other."""
    if w[3] <= min(u[1], v[1]) or w[1] >= max(u[3], v[3]):
        return False
    return w[0] < u[2] and w[2] > v[0]


def _drop_specks(lines: list[Box]) -> list[Box]:
    """Lines far smaller than the page's typical line in both directions are specks, not text."""
    if len(lines) < 3:
        return lines
    h = median_height(lines)
    return [b for b in lines if b[3] - b[1] >= 0.5 * h or b[2] - b[0] >= h]


def analyze_layout(segments: Sequence[Box], options: LayoutOptions | None = None) -> list[list[Box]]:
    """Line boxes grouped into blocks, both in reading order: the whole layout step."""
    opts = options or LayoutOptions()
    boxes = _int_boxes(segments)
    gutters = page_gutters(boxes, opts.gutter_rows) if opts.insets else []
    lines = group_rows(boxes, opts, gutters)
    if opts.table_rows:
        lines = join_table_rows(lines, opts.tables)
    lines = _drop_specks(lines)
    blocks = find_blocks(lines, options)
    block_boxes = [union_box(lines[i] for i in b) for b in blocks]
    usual = median_height(boxes)
    insets = _insets([[lines[i] for i in b] for b in blocks], block_boxes, gutters, usual)
    main = [k for k in range(len(blocks)) if k not in insets]
    order = [main[k] for k in order_blocks([block_boxes[k] for k in main])]
    order += sorted(insets, key=lambda k: (block_boxes[k][1], block_boxes[k][0]))
    return [[lines[i] for i in blocks[k]] for k in order]


def _insets(
    blocks: Sequence[Sequence[Box]], boxes: Sequence[Box], gutters: Sequence[int], usual: float
) -> set[int]:
    """Blocks set across a gutter with lines of other blocks beside them on both sides, in the same rows: insets.

    A title or heading across the columns has no text beside it, so it stays
    in the reading order and still separates the column runs above and below it.
    ``usual`` is the line height row grouping used (the detector segments'),
    so that a caption kept apart there counts as set across here too.
    """
    out: set[int] = set()
    if not gutters:
        return out
    for k, b in enumerate(boxes):
        others = [ln for j, block in enumerate(blocks) if j != k for ln in block]
        if _straddles(b, gutters, usual) and _flanked(b, others):
            out.add(k)
    return out
