"""The character set a recognizer can emit, and its CTC codec.

Real Odia documents mix the Odia block with ASCII, danda and a few common
symbols, so the default set covers all of them. A model stores its charset in
its own metadata; the codec here is rebuilt from that list, never from a
separate vocabulary file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from odia_ocr.text.canonical import canonicalize

__all__ = ["ODIA_CHARS", "Charset", "default_charset"]


def _odia_block() -> list[str]:
    chars = []
    for cp in range(0x0B00, 0x0B80):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        # Canonicalization maps these away, so a model never needs to emit them.
        if canonicalize(ch) != ch or ch in "\u0b35\u0b5c\u0b5d\u0b48\u0b4b\u0b4c":
            continue
        chars.append(ch)
    return chars


ODIA_CHARS: tuple[str, ...] = (*_odia_block(), "\u0964", "\u0965")
_ASCII = tuple(chr(c) for c in range(0x20, 0x7F) if chr(c) != "|")
_SYMBOLS = tuple("₹%–—“”‘’…•°×÷€£©®™§¶·←→")


def default_charset() -> Charset:
    """The charset of the built-in model: Odia block, danda, ASCII, common symbols."""
    return Charset(tuple(dict.fromkeys((*ODIA_CHARS, "\u0b48", "\u0b4b", "\u0b4c", *_ASCII, *_SYMBOLS))))


@dataclass(frozen=True)
class Charset:
    """An ordered set of characters; CTC index 0 is the blank, characters start at 1."""

    chars: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("charset has duplicate characters")
        object.__setattr__(self, "_index", {c: i + 1 for i, c in enumerate(self.chars)})

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def num_classes(self) -> int:
        """Output size of a CTC head: characters plus the blank."""
        return len(self.chars) + 1

    def __contains__(self, ch: object) -> bool:
        return ch in self._index

    def unknown(self, text: str) -> set[str]:
        """Characters of ``text`` this charset cannot represent (newlines aside)."""
        return {c for c in text if c not in self._index and c != "\n"}

    def covers(self, text: str) -> bool:
        return not self.unknown(text)

    def encode(self, text: str) -> list[int]:
        """Indices of ``text``'s characters; raises KeyError naming an unknown character."""
        try:
            return [self._index[c] for c in text]
        except KeyError as err:
            raise KeyError(f"character {err.args[0]!r} (U+{ord(err.args[0]):04X}) not in charset") from None

    def decode(self, indices: Iterable[int]) -> str:
        """Text of label indices (blank and out-of-range indices are skipped)."""
        n = len(self.chars)
        return "".join(self.chars[i - 1] for i in indices if 0 < i <= n)

    def ctc_collapse(self, path: Sequence[int]) -> list[int]:
        """Collapse a frame-wise CTC path: merge repeats, then drop blanks."""
        out: list[int] = []
        prev = -1
        for i in path:
            if i != prev and i != 0:
                out.append(int(i))
            prev = i
        return out
