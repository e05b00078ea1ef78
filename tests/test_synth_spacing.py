"""Word-space perturbation: only spaces change, splits fall between aksharas, and it is off by default."""

from __future__ import annotations

import numpy as np

from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.synth.spacing import perturb_spaces
from odia_ocr.text import aksharas

TEXTS = ["ଆଉ ତାକୁ କହିବାକୁ ସରକାରୀ ପିଅନ ଅବସର ଦେଲା ନାହିଁ ।", "ପ୍ରଧାନମନ୍ତ୍ରୀ କହିଥିଲେ", "ଓଡ଼ିଆ"]


def test_only_spaces_change_and_splits_keep_aksharas_whole() -> None:
    rng = np.random.default_rng(5)
    changed = 0
    for k in range(300):
        text = TEXTS[k % len(TEXTS)]
        out = perturb_spaces(text, rng, edits=2)
        assert out.replace(" ", "") == text.replace(" ", "")
        assert aksharas(out.replace(" ", "")) == aksharas(text.replace(" ", ""))
        # every piece is whole aksharas: segmenting the words one by one gives the same units
        assert [a for w in out.split(" ") for a in aksharas(w)] == aksharas(text.replace(" ", ""))
        assert "  " not in out and out == out.strip()
        changed += out != text
    assert changed > 200  # a join can undo a split; most texts still change


def test_off_by_default_and_deterministic(shared_data) -> None:
    fonts = [f for f in discover_fonts([shared_data / "fonts"]) if f.family == "noto-sans-oriya"][:1]
    sampler = TextSampler(TEXTS[:2])
    plain = LineSynthesizer(fonts, sampler)
    jitter = LineSynthesizer(fonts, sampler, p_space_jitter=1.0)
    texts = [plain.sample((1, k)).text for k in range(20)]
    assert texts == [LineSynthesizer(fonts, sampler).sample((1, k)).text for k in range(20)]
    jittered = [jitter.sample((1, k)).text for k in range(20)]
    assert jittered == [jitter.sample((1, k)).text for k in range(20)]
    assert sum(a != b for a, b in zip(texts, jittered, strict=True)) >= 10
    assert all(a.replace(" ", "") == b.replace(" ", "") for a, b in zip(texts, jittered, strict=True))
