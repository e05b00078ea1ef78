"""CTC decoding: greedy, beam search and the character language model."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from ctc_fixtures import BLANK, CS, KH, G, K, frames
from odia_ocr.recognizer.beam import BeamConfig, beam_decode
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.lm import CharNgramLM


def test_greedy_collapses_repeats_and_blanks() -> None:
    lg = frames({K: 0.9}, {K: 0.9}, {BLANK: 0.9}, {K: 0.9}, {G: 0.9})
    d = greedy_decode(lg[None], np.array([5]), CS)[0]
    assert d.text == "କକଗ"
    assert 0.8 < d.confidence <= 1.0


def test_beam_without_lm_agrees_with_greedy_on_clear_input() -> None:
    lg = frames({K: 0.95}, {BLANK: 0.95}, {G: 0.95}, {KH: 0.95})
    assert beam_decode(lg, CS).text == greedy_decode(lg[None], np.array([4]), CS)[0].text == "କଗଖ"


def test_lm_resolves_ambiguity_but_not_clear_print() -> None:
    lm = CharNgramLM.from_texts(["କଗ"] * 50, order=3)
    ambiguous = frames({K: 0.99}, {G: 0.5, KH: 0.5})  # second glyph could be ଗ or ଖ
    cfg = BeamConfig(lm_weight=1.0, insertion_bonus=0.0)
    assert beam_decode(ambiguous, CS, lm, cfg).text == "କଗ"
    clear = frames({K: 0.99}, {KH: 0.9995})  # clearly ଖ: the LM's favourite ଗ is below the prune floor
    assert beam_decode(clear, CS, lm, cfg).text == "କଖ"


def test_lm_probabilities_normalize() -> None:
    lm = CharNgramLM.from_texts(["କଖଗ କଗ", "ଗଗକ"], order=3)
    total = sum(np.exp(lm.logprob("କ", ch)) for ch in sorted(lm.vocab))
    assert 0.9 < total <= 1.0 + 1e-6
    assert lm.logprob("କ", "ଗ") > lm.logprob("କ", " ")


def test_lm_save_load_roundtrip(tmp_path) -> None:
    lm = CharNgramLM.from_texts(["କଖଗ କଗ"], order=3)
    lm.save(tmp_path / "x.lm.json.gz")
    back = CharNgramLM.load(tmp_path / "x.lm.json.gz")
    assert back.logprob("କ", "ଖ") == lm.logprob("କ", "ଖ")


def test_unambiguous_line_skips_the_search_with_the_same_result() -> None:
    """One plausible class per frame: the direct path equals what the full search finds."""
    lm = CharNgramLM.from_texts(["କଗଖ"] * 20, order=3)
    lg = frames({K: 0.9995}, {K: 0.9995}, {BLANK: 0.9995}, {K: 0.9995}, {G: 0.9995})
    fast = beam_decode(lg, CS, lm, BeamConfig())
    full = beam_decode(lg, CS, lm, BeamConfig(prune=1e-12))  # every class is a candidate: the full search
    assert fast.text == full.text == "କକଗ"
    assert abs(fast.confidence - full.confidence) < 1e-3


def test_lm_file_that_is_not_an_lm_is_a_value_error_naming_it(tmp_path) -> None:
    junk = tmp_path / "junk.lm.json.gz"
    junk.write_bytes(b"plain text, not gzip")
    with pytest.raises(ValueError, match=r"junk\.lm\.json\.gz: not a character LM"):
        CharNgramLM.load(junk)
    partial = tmp_path / "partial.lm.json.gz"
    partial.write_bytes(gzip.compress(b'{"order": 5}'))
    with pytest.raises(ValueError, match=r"partial\.lm\.json\.gz: not a character LM .*discount"):
        CharNgramLM.load(partial)
    with pytest.raises(FileNotFoundError):
        CharNgramLM.load(tmp_path / "missing.lm.json.gz")
