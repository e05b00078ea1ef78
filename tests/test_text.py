"""Canonical Odia text, akshara segmentation and the charset."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from odia_ocr.text import aksharas, canonicalize, default_charset, is_canonical

RA, VIRAMA, NUKTA = "\u0b30", "\u0b4d", "\u0b3c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u0b5c", "\u0b21\u0b3c"),  # precomposed ଡ଼ -> letter + nukta (NFC: composition exclusion)
        ("\u0b5d", "\u0b22\u0b3c"),
        ("\u0b2f\u0b3c", "\u0b5f"),  # ଯ + nukta -> ୟ
        ("ସ୍\u0b35", "ସ୍\u0b71"),  # ଵ -> ୱ
        ("କ୍\u200cଷ", "କ୍ଷ"),  # ZWNJ dropped
        ("କ୍\u200dଷ", "କ୍ଷ"),  # ZWJ dropped
        ("ସେ ଗଲା |", "ସେ ଗଲା ।"),
        ("ଶେଷ ||", "ଶେଷ ॥"),
        ("କ ି", "କି"),  # stray space before a vowel sign
        ("କ\u0b47\u0b56", "କୈ"),  # two-part vowel signs compose
        ("କ\u0b47\u0b3e", "କୋ"),
        ("କ\u0b47\u0b57", "କୌ"),
        ("୧୨୩ 123", "୧୨୩ 123"),  # digits kept as written
        ("a\u00a0\u00a0b\t c ", "a b c"),
        ("line1 \r\nline2", "line1\nline2"),
    ],
)
def test_canonicalize_cases(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


def test_canonicalize_is_idempotent_and_nfc(shared_data) -> None:
    corpora = shared_data / "corpora"
    for name in ("common-voice-or.txt", "odianlp-nmt-or.txt", "ud-odia-odtb.txt"):
        lines = (corpora / name).read_text(encoding="utf-8").splitlines()[:400]
        for line in lines:
            c = canonicalize(line)
            assert canonicalize(c) == c
            assert unicodedata.is_normalized("NFC", c)
            assert "\u200c" not in c and "\u200d" not in c and "\u0b35" not in c


def test_nukta_forms_merge_when_merging_sources() -> None:
    # The same word typed precomposed and decomposed must compare equal.
    assert canonicalize("ବ\u0b5c") == canonicalize("ବ\u0b21\u0b3c")


@pytest.mark.parametrize(
    ("word", "units"),
    [
        ("କ୍ଷମା", ["କ୍ଷ", "ମା"]),
        ("ରାଷ୍ଟ୍ର", ["ରା", "ଷ୍ଟ୍ର"]),
        ("ଶ୍ରୀ", ["ଶ୍ରୀ"]),
        ("ମନ୍ତ୍ର", ["ମ", "ନ୍ତ୍ର"]),
        ("ଅର୍କ", ["ଅ", "ର୍କ"]),  # reph belongs to the following consonant's cluster
        ("ବଡ଼", ["ବ", "ଡ଼"]),
        ("କୈଳାସ", ["କୈ", "ଳା", "ସ"]),
        ("କୌଶଳ", ["କୌ", "ଶ", "ଳ"]),
        ("ଚାଁଦ", ["ଚାଁ", "ଦ"]),  # candrabindu after a vowel sign stays in the syllable
        ("ହୁଁ", ["ହୁଁ"]),
        ("ଦୁଃଖ", ["ଦୁଃ", "ଖ"]),
        ("ସିଂହ", ["ସିଂ", "ହ"]),
        ("ଆମ 12", ["ଆ", "ମ", "1", "2"]),
    ],
)
def test_aksharas(word: str, units: list[str]) -> None:
    assert aksharas(canonicalize(word)) == units


def test_aksharas_never_lose_characters(shared_data) -> None:
    text = canonicalize((shared_data / "corpora" / "odianlp-nmt-or.txt").read_text(encoding="utf-8")[:20000])
    assert "".join(aksharas(text, keep_spaces=True)) == text


def test_charset_covers_real_text(shared_data) -> None:
    cs = default_charset()
    for ch in "ଁଂଃଅକ୍ଷଡ଼ୟୱ୦୯।॥₹%–“”‘’aZ09":
        assert ch in cs
    text = canonicalize((shared_data / "corpora" / "common-voice-or.txt").read_text(encoding="utf-8"))
    unknown = cs.unknown(text)
    assert len(unknown) <= 3, unknown  # a few exotic symbols at most


def test_charset_encode_decode_roundtrip() -> None:
    cs = default_charset()
    text = canonicalize("ଶ୍ରୀ ଜଗନ୍ନାଥ 2024 (ପୁରୀ) ₹50")
    ids = cs.encode(text)
    assert 0 not in ids
    assert cs.decode(ids) == text
    assert cs.decode(cs.ctc_collapse([0, ids[0], ids[0], 0, ids[1], 0])) == text[:2]
    with pytest.raises(KeyError, match="U\\+4E2D"):
        cs.encode("中")


def test_canonical_check_never_passes_a_text_the_rewrite_would_change() -> None:
    """is_canonical (the fast path of canonicalize) answers True only where the full rewrite is the identity.

    Random strings over every character some step of the rewrite touches:
    spaces of all kinds, line breaks, danda bars, invisible marks, both nukta
    spellings, VA, combining signs before and after spaces.
    """
    from odia_ocr.text.canonical import _rewrite

    alphabet = [
        " ", "  ", "\n", "\r", "\t", "\u00a0", "\u2003", "\u2028", "|", "\u200d", "\u200c", "\u00ad",
        "\u0b15", "\u0b2f", "\u0b3c", "\u0b5f", "\u0b21", "\u0b5c", "\u0b35", "\u0b71", "\u0b3e", "\u0b4d",
        "\u0b47", "\u0b57", "\u0b4c", "\u0b02", "\u0b66", "a", "1", "\u0964",
    ]
    rng = np.random.default_rng(0)
    checked = recognized = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 9))))
        canonical = _rewrite(text)
        recognized += is_canonical(canonical)
        if is_canonical(text):
            checked += 1
            assert _rewrite(text) == text, repr(text)
        assert canonicalize(text) == canonical
    assert checked > 500  # the check did pass many texts, so the assertion above was exercised
    assert recognized > 0.95 * 20_000  # and it knows the canonical form when it sees it
