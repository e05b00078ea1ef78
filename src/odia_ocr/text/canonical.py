"""Canonical Odia text: the one form used for labels, predictions, metrics and merging.

Every boundary of the toolkit (dataset readers, model outputs, metric inputs)
calls :func:`canonicalize`, so two strings that a reader would call the same
compare equal byte for byte.

Policy (documented in the README, "Odia text canonicalization"):

* Unicode NFC. Note that NFC *decomposes* ଡ଼ (U+0B5C) and ଢ଼ (U+0B5D) into
  letter + nukta (U+0B21/U+0B22 + U+0B3C) because they are composition
  exclusions; that decomposed pair is therefore the one canonical nukta form.
* ଯ + nukta (U+0B2F U+0B3C) becomes ୟ (U+0B5F): the same letter, typed two ways.
* ଵ (U+0B35, VA) becomes ୱ (U+0B71, WA): modern orthography writes ୱ, and
  corpora mix the two in the same words (ସ୍ଵ / ସ୍ୱ).
* ZWJ, ZWNJ, ZWSP, BOM and soft hyphen are removed: they only steer glyph
  choice, and a recognizer can neither see nor learn them reliably.
* ASCII '||' becomes '॥' and '|' becomes '।' (the danda typed on a keyboard).
* Whitespace before a combining sign (vowel sign, virama, nukta, candrabindu,
  anusvara, visarga) is removed: it is an input error, never real spacing.
* Other whitespace runs (including NBSP and tabs) become one space; line
  breaks are kept; spaces at line ends are stripped.
* Digits are kept as written: Odia ୦–୯ and ASCII 0–9 are both real.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CANONICALIZATION_ID", "canonicalize", "is_canonical", "is_odia_mark"]

#: Stored in model metadata so a model says which text form it was trained on.
CANONICALIZATION_ID = "odia-canonical-v1"

_INVISIBLE_CHARS = "\u200c\u200d\u200b\ufeff\u00ad\u2060"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
# Horizontal spaces, as a regex class body: every run of them becomes one space.
_HSPACES = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"

# Odia combining marks: signs, nukta, dependent vowels, virama, length marks.
_ODIA_MARKS = "\u0b01\u0b02\u0b03\u0b3c\u0b3e-\u0b44\u0b47\u0b48\u0b4b-\u0b4d\u0b55-\u0b57\u0b62\u0b63"
_SPACE_BEFORE_MARK = re.compile(rf"[ \t\u00a0]+(?=[{_ODIA_MARKS}])")
_HSPACE_RUN = re.compile(f"[{_HSPACES}]+")
_MARK_CLASS = re.compile(rf"[{_ODIA_MARKS}]")


# Anything one of canonicalize's steps would change, other than NFC (checked apart) and the text's two ends.
# Built from the same character sets as the steps, so the two cannot drift apart. Horizontal spaces other than
# a single " " (and a space before a mark, or at a line's end or start) would all be rewritten.
_NOT_CANONICAL = re.compile(
    f"[{_INVISIBLE_CHARS}\r|\u0b35{_HSPACES.replace(' ', '')}]|\u0b2f\u0b3c|  | \n|\n | (?=[{_ODIA_MARKS}])"
)


def is_canonical(text: str) -> bool:
    """True when ``canonicalize(text) == text``, found without building the canonical form.

    One regular-expression scan and one normalization check, both in C: a
    word list of 136,000 words is checked in one call instead of being
    canonicalized word by word (which took most of the `default` engine's
    start-up). It may answer False for a text that is canonical in some way
    the scan does not foresee; it never answers True for one that is not.
    """
    if not text:
        return True
    if text[0] in " \n" or text[-1] in " \n" or _NOT_CANONICAL.search(text):
        return False
    return unicodedata.is_normalized("NFC", text)


def is_odia_mark(ch: str) -> bool:
    """True for an Odia combining sign, which never starts a syllable."""
    return bool(_MARK_CLASS.fullmatch(ch))


def canonicalize(text: str) -> str:
    """Return the canonical form of ``text`` (see the module docstring)."""
    # Most labels and readings already are canonical: one scan instead of eight passes.
    return text if is_canonical(text) else _rewrite(text)


def _rewrite(text: str) -> str:
    """The canonical form, step by step (what :func:`canonicalize` returns for a text not yet canonical)."""
    text = text.translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u0b2f\u0b3c", "\u0b5f").replace("\u0b35", "\u0b71")
    text = text.replace("||", "\u0965").replace("|", "\u0964")
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _HSPACE_RUN.sub(" ", text)
    lines = [line.strip(" ") for line in text.split("\n")]
    # NFC again: removing a space may have joined a base and its vowel parts.
    return unicodedata.normalize("NFC", "\n".join(lines)).strip("\n")
