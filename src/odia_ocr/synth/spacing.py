"""Word-space perturbation of training text, so the recognizer reads spaces from the image.

Odia text is spaced inconsistently: case suffixes and postpositions are
written detached in some sources (``ଚାନେଲ ରେ``) and attached in others
(``ଚାନେଲରେ``). A recognizer trained on one habit learns it as a language
prior, and then drops or adds spaces that the page clearly shows: on the
synthetic benchmark about a quarter of the clean-line errors of model v2
were word spaces. Rendering some lines with words split at an akshara
boundary, or with two words joined, makes the spacing in the label
unpredictable from the words alone, so only the pixels can tell it.
"""

from __future__ import annotations

import numpy as np

from odia_ocr.text import aksharas

__all__ = ["perturb_spaces"]


def _split_word(word: str, rng: np.random.Generator) -> str:
    """The word with a space at a random inner akshara boundary (unchanged if it has one akshara)."""
    units = aksharas(word)
    if len(units) < 2:
        return word
    # Half the cuts detach the last akshara, as a detached suffix (ର, କୁ, ରେ) would be.
    cut = len(units) - 1 if rng.random() < 0.5 else int(rng.integers(1, len(units)))
    return "".join(units[:cut]) + " " + "".join(units[cut:])


def perturb_spaces(text: str, rng: np.random.Generator, edits: int = 1) -> str:
    """Apply ``edits`` random changes: split one word in two, or join two neighbouring words.

    Words are split and joined with equal chance; a split falls between
    aksharas, never inside a conjunct or before a vowel sign. The text is
    otherwise unchanged.
    """
    for _ in range(edits):
        words = text.split(" ")
        if len(words) > 1 and rng.random() < 0.5:
            i = int(rng.integers(0, len(words) - 1))
            words[i : i + 2] = [words[i] + words[i + 1]]
        else:
            i = int(rng.integers(0, len(words)))
            words[i] = _split_word(words[i], rng)
        text = " ".join(words)
    return text
