"""Where a prediction differs from its reference: edit spans, marked-up views and confusion counts.

Error rates say how much is wrong; these say what. Alignment works on code
points or on aksharas: akshara units keep a conjunct and its vowel sign
together, so a marked-up view never splits a syllable into unreadable marks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal, NamedTuple

from rapidfuzz.distance import Levenshtein

from odia_ocr.metrics.errors import collapse_whitespace
from odia_ocr.text import aksharas, canonicalize, is_odia_mark

__all__ = ["Edit", "Unit", "align", "confusions", "diff_view", "inline_diff", "visible"]

Unit = Literal["char", "akshara"]


class Edit(NamedTuple):
    """One aligned stretch: ``op`` is 'equal', 'replace', 'delete' or 'insert'.

    ``ref`` and ``hyp`` are the reference and prediction text of the stretch;
    one of them is empty for a deletion or insertion.
    """

    op: str
    ref: str
    hyp: str


def _units(text: str, unit: Unit) -> list[str]:
    return aksharas(text, keep_spaces=True) if unit == "akshara" else list(text)


def align(reference: str, prediction: str, unit: Unit = "char", page_mode: bool = False) -> list[Edit]:
    """Minimal-edit alignment of canonical ``reference`` and ``prediction``.

    Both are canonicalized (and whitespace-collapsed in page mode) exactly as
    :func:`odia_ocr.metrics.score_pair` does, so the edits shown are the ones
    counted. Joining the ``ref`` parts gives the reference back, and the
    ``hyp`` parts the prediction.
    """
    ref, hyp = canonicalize(reference), canonicalize(prediction)
    if page_mode:
        ref, hyp = collapse_whitespace(ref), collapse_whitespace(hyp)
    ru, hu = _units(ref, unit), _units(hyp, unit)
    return [
        Edit(op.tag, "".join(ru[op.src_start : op.src_end]), "".join(hu[op.dest_start : op.dest_end]))
        for op in Levenshtein.opcodes(ru, hu)
    ]


def _spans(edits: list[Edit]) -> list[Edit]:
    """Adjacent non-equal edits joined into one, so a view marks one stretch rather than ``[-a-][-b-]``."""
    out: list[Edit] = []
    for e in edits:
        if out and e.op != "equal" and out[-1].op != "equal":
            last = out[-1]
            op = "replace" if (last.ref or e.ref) and (last.hyp or e.hyp) else last.op
            out[-1] = Edit(op, last.ref + e.ref, last.hyp + e.hyp)
        else:
            out.append(e)
    return out


def visible(text: str) -> str:
    """``text`` made readable on its own: a leading combining sign gets a dotted circle, spaces a '␣'."""
    if not text:
        return "∅"
    text = text.replace(" ", "␣")
    return "◌" + text if is_odia_mark(text[0]) else text


def inline_diff(reference: str, prediction: str, unit: Unit = "akshara", page_mode: bool = False) -> str:
    """One line in wdiff style: shared text plain, ``[-reference-]`` and ``{+prediction+}`` where they differ."""
    out = []
    for e in _spans(align(reference, prediction, unit, page_mode)):
        if e.op == "equal":
            out.append(e.ref)
        else:
            out.append((f"[-{e.ref}-]" if e.ref else "") + (f"{{+{e.hyp}+}}" if e.hyp else ""))
    return "".join(out)


def diff_view(reference: str, prediction: str, unit: Unit = "akshara", page_mode: bool = False) -> str:
    """Two lines, ``ref:`` with ``[-…-]`` around what was missed and ``hyp:`` with ``{+…+}`` around what
    was read instead; an empty marker (``[--]`` or ``{++}``) shows where the other side has extra text."""
    ref_parts, hyp_parts = [], []
    for e in _spans(align(reference, prediction, unit, page_mode)):
        if e.op == "equal":
            ref_parts.append(e.ref)
            hyp_parts.append(e.hyp)
        else:
            ref_parts.append(f"[-{e.ref}-]")
            hyp_parts.append(f"{{+{e.hyp}+}}")
    return f"ref: {''.join(ref_parts)}\nhyp: {''.join(hyp_parts)}"


def confusions(
    pairs: Iterable[tuple[str, str]], unit: Unit = "char", page_mode: bool = False
) -> Counter[tuple[str, str]]:
    """How often each (reference, prediction) stretch was misread, over (reference, prediction) pairs.

    Deletions count as (ref, '') and insertions as ('', hyp). Adjacent
    substituted units form one stretch, so a conjunct read as another conjunct
    counts once rather than as several unrelated character swaps.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for ref, hyp in pairs:
        for e in align(ref, hyp, unit, page_mode):
            if e.op != "equal":
                counts[(e.ref, e.hyp)] += 1
    return counts
