"""CER, WER and akshara error rate on canonical text, per sample and per corpus.

Corpus-level rates are the sum of edits over the sum of reference lengths, so
long lines weigh more than short ones, as in Tesseract's and kraken's reports.
Edit distances come from rapidfuzz (C++), never a Python loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from odia_ocr.text import aksharas, canonicalize

__all__ = ["ErrorCounts", "collapse_whitespace", "page_text", "score_corpus", "score_pair"]

_WS = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """Page mode: line breaks and runs of spaces become one space (layout-independent scoring)."""
    return _WS.sub(" ", text).strip()


def page_text(text: str) -> str:
    """Canonical page text with whitespace collapsed."""
    return collapse_whitespace(canonicalize(text))


@dataclass
class ErrorCounts:
    """Edit counts and reference lengths at character, word and akshara level."""

    char_edits: int = 0
    chars: int = 0
    word_edits: int = 0
    words: int = 0
    akshara_edits: int = 0
    aksharas: int = 0
    samples: int = 0

    def __iadd__(self, other: ErrorCounts) -> ErrorCounts:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))
        return self

    @staticmethod
    def _rate(edits: int, n: int) -> float:
        if n == 0:
            return 0.0 if edits == 0 else 1.0
        return edits / n

    @property
    def cer(self) -> float:
        return self._rate(self.char_edits, self.chars)

    @property
    def wer(self) -> float:
        return self._rate(self.word_edits, self.words)

    @property
    def aer(self) -> float:
        return self._rate(self.akshara_edits, self.aksharas)

    def summary(self) -> dict[str, float | int]:
        return {
            "cer": round(self.cer, 6), "wer": round(self.wer, 6), "aer": round(self.aer, 6),
            "chars": self.chars, "words": self.words, "aksharas": self.aksharas, "samples": self.samples,
        }


def score_pair(reference: str, prediction: str, page_mode: bool = False) -> ErrorCounts:
    """Errors of one prediction against its reference, both canonicalized first.

    In page mode whitespace is collapsed first, so line breaks that differ
    from the image's do not count as errors.
    """
    ref, hyp = canonicalize(reference), canonicalize(prediction)
    if page_mode:
        ref, hyp = collapse_whitespace(ref), collapse_whitespace(hyp)
    rw, hw = ref.split(), hyp.split()
    ra, ha = aksharas(ref), aksharas(hyp)
    return ErrorCounts(
        char_edits=Levenshtein.distance(ref, hyp),
        chars=len(ref),
        word_edits=Levenshtein.distance(rw, hw),
        words=len(rw),
        akshara_edits=Levenshtein.distance(ra, ha),
        aksharas=len(ra),
        samples=1,
    )


def score_corpus(
    references: Sequence[str], predictions: Iterable[str], page_mode: bool = False
) -> tuple[ErrorCounts, list[ErrorCounts]]:
    """Corpus totals and per-sample counts for aligned lists of references and predictions."""
    total = ErrorCounts()
    per: list[ErrorCounts] = []
    for ref, hyp in zip(references, predictions, strict=True):
        c = score_pair(ref, hyp, page_mode)
        total += c
        per.append(c)
    return total, per
