"""Shared builders for the page tests: synthetic pages from Debian's Noto Sans Oriya and fake recognizers.

Holds no tests itself; the page test modules import it (pytest puts tests/ on
the import path, as for fixtures_data).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from odia_ocr.engines.base import LineResult
from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.pages import PageSynthesizer, SynthPage

SENTENCES = [
    "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା ଏବଂ ଏହାର ସାହିତ୍ୟ ବହୁତ ସମୃଦ୍ଧ ।",
    "ରାଷ୍ଟ୍ରର ଶ୍ରୀ ମନ୍ତ୍ରୀ କ୍ଷମା ମାଗିଲେ ଏବଂ ସଭା ଶେଷ ହେଲା ।",
    "କୈଳାସ ଓ କୌଶଳ 2024 ମସିହାରେ କଟକ ଯାଇଥିଲେ ।",
    "ଚାଁଦ ଆକାଶରେ ହସୁଛି ଆଉ ପିଲାମାନେ ଖେଳୁଛନ୍ତି ।",
    "ସେ ବଡ଼ ଘରେ ରହନ୍ତି ଏବଂ ପ୍ରତିଦିନ ସକାଳେ ଚାଲନ୍ତି ।",
    "ଭୁବନେଶ୍ୱର ଓଡ଼ିଶାର ରାଜଧାନୀ ଏବଂ ମନ୍ଦିରର ସହର ।",
]


def fast_fonts():
    """Debian's Noto Sans Oriya (fonts-noto-core): always installed, Odia plus Latin."""
    fonts = [f for f in discover_fonts() if f.family == "noto-sans-oriya-2.000" and f.style == "Regular"]
    if not fonts:
        import pytest

        pytest.skip("Debian's Noto Sans Oriya is not installed")
    return fonts


def page_synthesizer() -> PageSynthesizer:
    return PageSynthesizer(fast_fonts(), TextSampler(SENTENCES, p_sentence=0.9, p_words=0.0))


def clean_page(synth: PageSynthesizer, key: int, **kw) -> SynthPage:
    """A clean synthetic page for key ``key`` (degradation off, so line boxes are exact)."""
    return synth.sample((99, key), level="clean", **kw)


class FixedRecognizer:
    """Reads every line as the same text and counts its calls, to check batching."""

    name = "fixed"

    def __init__(self, text: str = "ଓଡ଼ିଆ ଲେଖା 12", confidence: float = 0.9) -> None:
        self.text = text
        self.confidence = confidence
        self.calls: list[int] = []

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        self.calls.append(len(images))
        for img in images:
            assert img.dtype == np.uint8 and img.ndim in (2, 3) and min(img.shape[:2]) > 0
        return [LineResult(self.text, self.confidence) for _ in images]


class LeftHeavyRecognizer:
    """Sure of a line only when it is darker at its left end than its right, as the test pages are upright.

    Stands in for a real recognizer's confidence dropping on upside-down text.
    """

    name = "left-heavy"

    def recognize(self, images: Sequence[np.ndarray]) -> list[LineResult]:
        out = []
        for img in images:
            w = img.shape[1]
            left, right = float(img[:, : w // 5].mean()), float(img[:, -(w // 5) :].mean())
            out.append(LineResult("ଓଡ଼ିଆ", 0.9 if left < right else 0.3))
        return out
