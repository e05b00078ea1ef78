"""CTC decoding: greedy, beam search and the character language model."""

from __future__ import annotations

import gzip
import itertools

import numpy as np
import pytest

from ctc_fixtures import BLANK, CS, KH, G, K, frames
from odia_ocr.recognizer.beam import BeamConfig, beam_decode
from odia_ocr.recognizer.decode import greedy_decode
from odia_ocr.recognizer.lm import CharNgramLM
from odia_ocr.text import canonicalize


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
    misshapen = tmp_path / "misshapen.lm.json.gz"
    misshapen.write_bytes(gzip.compress('{"order": 3, "discount": 0.75, "counts": {"କ": [1, 2]}}'.encode()))
    with pytest.raises(ValueError, match=r"misshapen\.lm\.json\.gz: not a character LM .*not a mapping"):
        CharNgramLM.load(misshapen)
    with pytest.raises(FileNotFoundError):
        CharNgramLM.load(tmp_path / "missing.lm.json.gz")


def _best_labelling_by_enumeration(logp: np.ndarray) -> tuple[int, ...]:
    """The labelling with the highest total CTC probability, summed over every alignment (tiny inputs only)."""
    totals: dict[tuple[int, ...], float] = {}
    for path in itertools.product(range(logp.shape[1]), repeat=logp.shape[0]):
        label = tuple(CS.ctc_collapse(list(path)))
        totals[label] = totals.get(label, 0.0) + float(np.exp(sum(logp[t, c] for t, c in enumerate(path))))
    return max(totals, key=totals.__getitem__)


@pytest.mark.parametrize("seed", range(12))
def test_beam_search_finds_the_most_probable_labelling(seed: int) -> None:
    """With a beam wide enough to keep every prefix, the search must find the exact CTC optimum.

    Random peaked frames, some blank-only (the search's shortcut) and some
    with repeats, checked against brute-force enumeration of all alignments.
    """
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 2.5, size=(6, CS.num_classes))
    logits[rng.integers(0, 6), :] = [8, 0, 0, 0, 0]  # a frame where only the blank is plausible
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    want = _best_labelling_by_enumeration(logp)
    got = beam_decode(logits, CS, cfg=BeamConfig(beam=4096, prune=1e-3 if seed % 2 else 1e-12))
    assert got.text == canonicalize(CS.decode(list(want)))


def test_lm_backs_off_exactly_as_interpolated_absolute_discounting() -> None:
    """logprob equals the textbook interpolation, computed here from the counts, for seen and unseen contexts."""
    lm = CharNgramLM.from_texts(["କଖଗ କଗ", "ଗଗକ କଖ", "ଖଖ"], order=3)
    d = lm.discount

    def reference(context: str, ch: str) -> float:
        ctx = ("\x02" * 2 + context)[-2:]
        p = 1.0 / (len(lm.vocab) + 1)
        for k in range(len(ctx) + 1):
            c = lm.counts.get(ctx[len(ctx) - k :])
            if c:
                total = sum(c.values())
                p = max(c.get(ch, 0) - d, 0) / total + (d * len(c) / total) * p
        return float(np.log(p))

    for context in ("", "କ", "କଖ", "ଗଗ", "ଖଖ", "ଗ କ", "କକ"):
        for ch in [*sorted(lm.vocab), "ଘ"]:
            assert lm.logprob(context, ch) == pytest.approx(reference(context, ch), abs=1e-12), (context, ch)


def test_max_candidates_limits_each_frame_to_its_most_probable_classes() -> None:
    """With one candidate a frame, the search can only follow the best path; with all, it finds better labellings.

    Flat random frames make several classes plausible everywhere, so the
    unlimited search differs from the best path on some seeds: the limit is
    what makes the two agree, not the input.
    """
    differs = 0
    for seed in range(12):
        logits = np.random.default_rng(seed).normal(0, 1.0, size=(8, CS.num_classes))
        best_path = greedy_decode(logits[None], np.array([8]), CS)[0].text
        assert beam_decode(logits, CS, cfg=BeamConfig(beam=64, max_candidates=1)).text == best_path
        differs += beam_decode(logits, CS, cfg=BeamConfig(beam=64, max_candidates=CS.num_classes)).text != best_path
    assert differs > 0


def test_max_candidates_keeps_ties_at_the_kth_class() -> None:
    from odia_ocr.recognizer.beam import _keep_most_probable

    logp = np.log(np.array([[0.4, 0.3, 0.3, 0.0, 0.0], [0.1, 0.6, 0.1, 0.1, 0.1], [0.5, 0.5, 0.0, 0.0, 0.0]]) + 1e-9)
    plausible = logp > np.log(1e-3)
    _keep_most_probable(plausible, logp, 2)
    assert plausible.tolist() == [[True, True, True, False, False],  # the two tied for second both stay
                                  [True, True, True, True, True],  # four tied for second
                                  [True, True, False, False, False]]  # already within the limit
    _keep_most_probable(plausible, logp, 1)
    assert plausible.sum(axis=1).tolist() == [1, 1, 2]
