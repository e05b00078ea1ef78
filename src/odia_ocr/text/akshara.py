"""Akshara (orthographic syllable) segmentation of canonical Odia text.

An akshara is what a reader perceives as one unit: a consonant cluster joined
by virama, with its vowel sign and any candrabindu/anusvara/visarga. Counting
errors per akshara shows how often a reader meets a wrong syllable, which CER
over code points understates for conjunct-heavy text.
"""

from __future__ import annotations

import re

__all__ = ["CONSONANT_AKSHARA", "aksharas"]

_C = "\u0b15-\u0b39\u0b5c\u0b5d\u0b5f\u0b71"  # consonants (incl. nukta letters, YYA, WA)
_V = "\u0b05-\u0b14\u0b60\u0b61"  # independent vowels
_N = "\u0b3c"  # nukta
_H = "\u0b4d"  # virama
_M = "\u0b3e-\u0b44\u0b47\u0b48\u0b4b\u0b4c\u0b55-\u0b57\u0b62\u0b63"  # vowel signs
_S = "\u0b01-\u0b03"  # candrabindu, anusvara, visarga

_AKSHARA = re.compile(
    rf"(?:[{_C}]{_N}?(?:{_H}[{_C}]{_N}?)*(?:{_H}|[{_M}]+)?|[{_V}]{_N}?)[{_S}]*"
    rf"|\s+"
    rf"|[{_N}{_H}{_M}{_S}]+"  # orphan marks: kept as their own unit, never dropped
    rf"|.",
    re.DOTALL,
)


#: One akshara built on consonants: groups (consonant cluster, vowel signs, candrabindu/anusvara/visarga).
#: Aksharas ending in a virama or starting with an independent vowel do not match.
CONSONANT_AKSHARA = re.compile(rf"^([{_C}]{_N}?(?:{_H}[{_C}]{_N}?)*)([{_M}]*)([{_S}]*)$")


def aksharas(text: str, keep_spaces: bool = False) -> list[str]:
    """Split canonical text into aksharas; non-Odia characters are units of their own.

    Whitespace is dropped unless ``keep_spaces`` is set, because the akshara
    error rate compares syllables, not spacing.
    """
    units = _AKSHARA.findall(text)
    if keep_spaces:
        return units
    return [u for u in units if not u.isspace()]
