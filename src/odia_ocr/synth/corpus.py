"""Text for synthetic lines: corpus sentences, word-list sequences and mixed script.

Real Odia text mixes Odia with ASCII and Odia digits, English words and
punctuation, so a sampler draws from all of these. Corpus lines are split into
train/val/test by a hash of their canonical text, so a given sentence is in
one split whatever the order of the files.
"""

from __future__ import annotations

import hashlib
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from odia_ocr.text import Charset, aksharas, canonicalize, default_charset
from odia_ocr.text.akshara import CONSONANT_AKSHARA

__all__ = ["TextSampler", "load_corpus_lines", "rare_akshara_words", "read_wordlist", "split_of", "swap_vowel_sign"]

_ODIA_DIGITS = "୦୧୨୩୪୫୬୭୮୯"
#: Dependent vowel signs a consonant cluster can take (ୋ and ୌ precomposed, as canonical text has them).
_VOWEL_SIGNS = "ାିୀୁୂୃେୈୋୌ"
_PUNCT = [",", ".", "।", "?", "!", ":", ";", "-", "–", "(", ")", '"', "'", "“", "”", "‘", "’", "/", "%", "₹"]


def split_of(text: str, val_pct: int = 5, test_pct: int = 5) -> str:
    """Deterministic split ('train', 'val' or 'test') of a text by the hash of its canonical form."""
    h = int.from_bytes(hashlib.blake2b(canonicalize(text).encode(), digest_size=4).digest(), "big") % 100
    if h < test_pct:
        return "test"
    if h < test_pct + val_pct:
        return "val"
    return "train"


def load_corpus_lines(paths: Iterable[str | Path], charset: Charset | None = None) -> list[str]:
    """Canonical, non-empty, charset-covered lines of the given text files."""
    charset = charset or default_charset()
    out = []
    for p in paths:
        for raw in Path(p).read_text(encoding="utf-8").splitlines():
            line = canonicalize(raw)
            if line and charset.covers(line):
                out.append(line)
    return out


def read_wordlist(path: str | Path, charset: Charset | None = None) -> list[str]:
    """Odia words of a word list (one per line); symbol-only entries are skipped."""
    charset = charset or default_charset()
    words = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        w = canonicalize(raw)
        if w and " " not in w and any("\u0b00" <= c <= "\u0b7f" for c in w) and charset.covers(w):
            words.append(w)
    return words


def rare_akshara_words(sentences: Iterable[str], words: Sequence[str], below: int = 30) -> list[str]:
    """The words of ``words`` that hold an akshara seen fewer than ``below`` times in the sentences and words.

    A line recognizer learns a conjunct from the lines that hold it, and a
    training text of everyday sentences holds the heavy ones (three consonants
    with a ra-phala, as in ସ୍କ୍ରି or ନ୍ତ୍ରି) a handful of times or never: the
    model then misreads them even on clean print. Drawing some lines from these
    words (``TextSampler.p_rare``) shows it each conjunct often enough.
    """
    counts: Counter[str] = Counter()
    for text in (*sentences, *words):
        counts.update(aksharas(text))
    rare = {a for a, n in counts.items() if n < below and CONSONANT_AKSHARA.match(a)}
    return [w for w in words if any(a in rare for a in aksharas(w))]


def swap_vowel_sign(word: str, rng: np.random.Generator) -> str:
    """``word`` with one consonant-cluster akshara (a conjunct when it has one) given another vowel sign, or none.

    Conjuncts and vowel signs combine freely in print, but a corpus holds only the
    pairs its words use; recombining them covers pairs such as ସ୍କ୍ର + ି that no
    training word holds. Words without such an akshara come back unchanged.
    """
    units = aksharas(word, keep_spaces=True)
    slots = [i for i, u in enumerate(units) if CONSONANT_AKSHARA.match(u)]
    slots = [i for i in slots if "\u0b4d" in units[i]] or slots  # a conjunct when there is one
    if not slots:
        return word
    i = slots[int(rng.integers(len(slots)))]
    cluster, _, marks = CONSONANT_AKSHARA.match(units[i]).groups()  # type: ignore[union-attr]
    k = int(rng.integers(len(_VOWEL_SIGNS) + 1))
    units[i] = cluster + (_VOWEL_SIGNS[k] if k < len(_VOWEL_SIGNS) else "") + marks
    return "".join(units)


@dataclass
class TextSampler:
    """Draws line texts of a requested length from sentences, words and mixed tokens.

    Every draw takes its randomness from the generator passed in, so a sample
    is a pure function of its seed.
    """

    sentences: Sequence[str]
    words: Sequence[str] = ()
    p_sentence: float = 0.55
    p_words: float = 0.3  # the rest: mixed Odia/English/digit lines
    # Words holding rare conjuncts (rare_akshara_words) and the share of lines drawn from them, before the
    # draws above, half of their words with a vowel sign recombined (swap_vowel_sign). 0 draws nothing extra
    # from the generator, so samplers without it give the same texts as before it existed.
    rare_words: Sequence[str] = ()
    p_rare: float = 0.0

    def sample(self, rng: np.random.Generator, target_len: int) -> str:
        if self.p_rare > 0 and self.rare_words and rng.random() < self.p_rare:
            return canonicalize(self._rare(rng, target_len)) or "ଓଡ଼ିଆ"
        r = rng.random()
        if r < self.p_sentence and self.sentences:
            text = self._span(rng, self.sentences[rng.integers(len(self.sentences))], target_len)
        elif r < self.p_sentence + self.p_words and self.words:
            text = self._words(rng, target_len)
        else:
            text = self._mixed(rng, target_len)
        text = canonicalize(text)
        return text or "ଓଡ଼ିଆ"

    def _span(self, rng: np.random.Generator, sentence: str, target_len: int) -> str:
        tokens = sentence.split(" ")
        if len(sentence) <= target_len:
            return sentence
        start = int(rng.integers(len(tokens)))
        out: list[str] = []
        i = start
        while i < len(tokens) and len(" ".join(out)) < target_len:
            out.append(tokens[i])
            i += 1
        if len(" ".join(out)) < target_len // 2:  # ran off the end: extend backwards
            j = start - 1
            while j >= 0 and len(" ".join(out)) < target_len:
                out.insert(0, tokens[j])
                j -= 1
        return " ".join(out)

    def _words(self, rng: np.random.Generator, target_len: int) -> str:
        out: list[str] = []
        while len(" ".join(out)) < target_len:
            w = self.words[rng.integers(len(self.words))]
            if rng.random() < 0.08:
                w = w + _PUNCT[rng.integers(len(_PUNCT))]
            out.append(w)
        return " ".join(out)

    def _rare(self, rng: np.random.Generator, target_len: int) -> str:
        out: list[str] = []
        while len(" ".join(out)) < target_len:
            w = self.rare_words[rng.integers(len(self.rare_words))]
            out.append(swap_vowel_sign(w, rng) if rng.random() < 0.5 else w)
        return " ".join(out)

    def _token(self, rng: np.random.Generator) -> str:
        k = rng.random()
        if k < 0.35 and self.words:
            return self.words[rng.integers(len(self.words))]
        if k < 0.5:  # English-like word
            n = int(rng.integers(2, 10))
            w = "".join(rng.choice(list(string.ascii_lowercase), n))
            case = rng.random()
            return w.upper() if case < 0.2 else (w.capitalize() if case < 0.6 else w)
        if k < 0.65:  # ASCII number, maybe with separators
            n = int(rng.integers(1, 8))
            d = "".join(rng.choice(list(string.digits), n))
            return d if rng.random() < 0.7 else f"{d[:2]}.{d[2:] or '0'}"
        if k < 0.78:  # Odia number
            return "".join(rng.choice(list(_ODIA_DIGITS), int(rng.integers(1, 6))))
        if k < 0.86:  # date
            return f"{rng.integers(1, 32):02d}/{rng.integers(1, 13):02d}/{rng.integers(1900, 2031)}"
        if k < 0.93:
            return _PUNCT[rng.integers(len(_PUNCT))]
        return "".join(rng.choice(list(string.ascii_uppercase), int(rng.integers(2, 5))))

    def _mixed(self, rng: np.random.Generator, target_len: int) -> str:
        out: list[str] = []
        while len(" ".join(out)) < target_len:
            out.append(self._token(rng))
        return " ".join(out)
