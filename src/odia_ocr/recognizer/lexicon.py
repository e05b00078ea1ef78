"""An Odia word list for beam search: a bonus for each word the decoder completes that is a known word.

The character LM judges a few letters at a time; a lexicon judges whole
words, as Tesseract's word dawg does. It only reorders the readings the
beam already holds (characters the network finds plausible), so an unknown
but clearly printed word keeps its reading, while an ambiguous glyph is read
as the letter that makes a known word. Words are stored canonical, one per
line, gzip-compressed.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

from odia_ocr.text import canonicalize, is_canonical

__all__ = ["Lexicon"]


class Lexicon:
    """A set of canonical Odia words with a cached membership test for decoded (maybe non-canonical) words."""

    def __init__(self, words: Iterable[str], canonical: bool = False) -> None:
        """``canonical``: the caller has checked that every word is canonical already (as :meth:`load` does)."""
        forms = (x.strip() for x in words) if canonical else (canonicalize(x).strip() for x in words)
        self.words = frozenset(w for w in forms if w and " " not in w)
        self._seen: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        hit = self._seen.get(word)
        if hit is None:
            if len(self._seen) > 200_000:  # a long run meets endless misreadings: keep the cache bounded
                self._seen.clear()
            hit = self._seen[word] = canonicalize(word) in self.words
        return hit

    def save(self, path: str | Path) -> None:
        """Write one word per line, sorted, gzip-compressed without a timestamp (reproducible bytes)."""
        data = ("\n".join(sorted(self.words)) + "\n").encode("utf-8")
        with Path(path).open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as f:
            f.write(data)

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """A word list: plain text or .gz, one word per line; ValueError names the file when it is not one."""
        p = Path(path)
        raw = p.read_bytes()
        try:
            text = (gzip.decompress(raw) if p.suffix == ".gz" else raw).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as err:
            raise ValueError(f"{p}: not a UTF-8 word list ({type(err).__name__})") from None
        # A list saved by `save` (the bundled one) is canonical as a whole, and then so is each of its lines:
        # one check of the whole text spares canonicalizing 136,000 words one by one.
        lexicon = cls(text.splitlines(), canonical=is_canonical(text.strip("\n")))
        if not lexicon.words:
            raise ValueError(f"{p}: the word list holds no words")
        return lexicon
