"""Lines of any length: cut the very widest at gaps into pieces the network reads at full resolution.

Without this, a line wider than ``MAX_PIECE_WIDTH`` once scaled to the model's
height (an aspect ratio above 128:1, e.g. a full-width line of small print on a
wide scan) would be squeezed horizontally, and squeezed glyphs read worse. Cuts
go in the widest run of paper columns near each piece's end, so they fall
between words; where a line has no paper column at all, at the faintest one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from odia_ocr.recognizer.preprocess import prepare_line, prepared_width

__all__ = ["MAX_PIECE_WIDTH", "Piece", "join_pieces", "split_line"]

#: Widest piece (in pixels at the model's input height) read in one go; also prepare_line's squeeze limit.
MAX_PIECE_WIDTH = 4096

_UNLIMITED = 2**31 - 1


@dataclass(frozen=True)
class Piece:
    """Columns ``[start, end)`` of the original image; ``space_after``: the cut was a word gap."""

    start: int
    end: int
    space_after: bool = False


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of every run of True in a 1-D mask."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def split_line(img: np.ndarray, height: int, max_width: int = MAX_PIECE_WIDTH) -> list[Piece]:
    """Pieces of ``img`` that each scale to at most ``max_width`` pixels at ``height``; one piece when it fits."""
    w = int(img.shape[1])
    full = prepared_width(img.shape, height, _UNLIMITED)
    if full <= max_width:
        return [Piece(0, w)]
    profile = prepare_line(img, height, full).sum(axis=0)
    inked = profile[profile > 0]
    paper = profile <= (0.1 * float(np.median(inked)) if inked.size else 0.0)
    word_gap = max(2, round(0.2 * height))  # narrower paper runs are gaps inside a word
    cuts: list[tuple[int, bool]] = []
    pos = 0
    while full - pos > max_width:
        lo, hi = pos + max_width // 2, pos + max_width  # search the second half of the widest allowed piece
        runs = [(a + lo, b + lo) for a, b in _runs(paper[lo:hi])]
        if runs:
            a, b = max(runs, key=lambda r: (r[1] - r[0], r[0]))  # widest gap; the later one on a tie
            cut, space = (a + b) // 2, b - a >= word_gap
        else:
            cut, space = lo + int(np.argmin(profile[lo:hi])), False
        cuts.append((max(cut, pos + 1), space))
        pos = cuts[-1][0]
    bounds = [0] + [round(c * w / full) for c, _ in cuts] + [w]
    spaces = [s for _, s in cuts] + [False]
    return [Piece(a, b, s) for a, b, s in zip(bounds[:-1], bounds[1:], spaces, strict=True) if b > a]


def join_pieces(texts: Sequence[str], pieces: Sequence[Piece]) -> str:
    """One line's text from its pieces' texts, with a space where a cut was a word gap.

    A piece that reads as nothing was all paper, so it separates words too.
    """
    if len(pieces) == 1:
        return texts[0]
    out, gap = "", False
    for text, piece in zip(texts, pieces, strict=True):
        text = text.strip()
        if text:
            out += (" " if out and gap else "") + text
        gap = piece.space_after or not text
    return out
