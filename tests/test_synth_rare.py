"""Rare conjuncts in training text: which words hold them, vowel-sign recombination, and the sampler's share."""

from __future__ import annotations

import numpy as np

from odia_ocr.synth.corpus import TextSampler, rare_akshara_words, swap_vowel_sign
from odia_ocr.text import aksharas, canonicalize

SENTENCES = ["ଆମେ ଘରକୁ ଯିବା", "ସେ ଘରେ ଅଛି କଥା"] * 20
WORDS = ["ଘର", "ଯିବା", "ମନ୍ତ୍ରୀ", "ସ୍କ୍ରିନ", "ଅଛି", "କଥା"]


def test_rare_words_are_those_holding_a_conjunct_seen_too_seldom() -> None:
    assert rare_akshara_words(SENTENCES, WORDS, below=3) == ["ମନ୍ତ୍ରୀ", "ସ୍କ୍ରିନ"]
    assert rare_akshara_words(SENTENCES, WORDS, below=1) == []
    # a plain consonant akshara seen once is rare too; an independent vowel never counts
    assert rare_akshara_words([], ["କଥା", "ଅ"], below=2) == ["କଥା"]


def test_vowel_sign_swap_keeps_the_cluster_and_prefers_a_conjunct() -> None:
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(200):
        out = swap_vowel_sign("ଗଣତାନ୍ତ୍ରିକ", rng)
        units, orig = aksharas(out), aksharas("ଗଣତାନ୍ତ୍ରିକ")
        assert canonicalize(out) == out and len(units) == len(orig)
        changed = [i for i, (a, b) in enumerate(zip(units, orig, strict=True)) if a != b]
        assert changed in ([], [3]) and units[3].startswith("ନ୍ତ୍ର")  # only the conjunct's vowel sign moves
        seen.add(units[3])
    assert {"ନ୍ତ୍ର", "ନ୍ତ୍ରା", "ନ୍ତ୍ରୀ", "ନ୍ତ୍ରୋ"} <= seen
    assert swap_vowel_sign("ଅଆ", rng) == "ଅଆ" and swap_vowel_sign("abc", rng) == "abc"
    assert swap_vowel_sign("ରାଜ୍ୟଂ", np.random.default_rng(3)).endswith("ଂ")  # the anusvara stays


def test_sampler_draws_rare_lines_only_when_asked_and_old_draws_are_unchanged() -> None:
    plain = TextSampler(SENTENCES, WORDS)
    off = TextSampler(SENTENCES, WORDS, rare_words=["ମନ୍ତ୍ରୀ"], p_rare=0.0)
    texts = [plain.sample(np.random.default_rng(i), 20) for i in range(50)]
    assert texts == [off.sample(np.random.default_rng(i), 20) for i in range(50)]
    rare = TextSampler(SENTENCES, WORDS, rare_words=["ମନ୍ତ୍ରୀ"], p_rare=0.5)
    drawn = [rare.sample(np.random.default_rng(i), 20) for i in range(400)]
    share = sum(all("ନ୍ତ୍ର" in w for w in t.split(" ")) for t in drawn) / 400
    assert 0.4 < share < 0.6
