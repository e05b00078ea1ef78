"""CER / WER / akshara error rate on canonical text."""

from __future__ import annotations

import pytest

from odia_ocr.metrics import ErrorCounts, page_text, score_corpus, score_pair


def test_identical_after_canonicalization_is_zero() -> None:
    c = score_pair("ବ\u0b5c ଘର |", "ବଡ଼ ଘର ।")
    assert (c.char_edits, c.word_edits, c.akshara_edits) == (0, 0, 0)


def test_counts_one_substitution() -> None:
    c = score_pair("କ୍ଷମା କର", "କ୍ଷମା ଧର")
    assert c.char_edits == 1 and c.chars == 8
    assert c.word_edits == 1 and c.words == 2
    assert c.akshara_edits == 1 and c.aksharas == 4
    assert c.cer == pytest.approx(1 / 8)


def test_akshara_rate_counts_a_wrong_conjunct_once() -> None:
    # ଷ୍ଟ୍ର -> ଷ୍ଟ: one akshara wrong, two code points wrong.
    c = score_pair("ରାଷ୍ଟ୍ର", "ରାଷ୍ଟ")
    assert c.char_edits == 2 and c.akshara_edits == 1


def test_corpus_level_is_sum_of_edits_over_sum_of_lengths() -> None:
    total, per = score_corpus(["ଅଆ", "କଖଗଘଙଚ"], ["ଅ", "କଖଗଘଙଚ"])
    assert [p.char_edits for p in per] == [1, 0]
    assert total.cer == pytest.approx(1 / 8)  # not the mean of per-line rates (0.25)


def test_page_mode_ignores_line_breaks() -> None:
    ref = "ପ୍ରଥମ ଧାଡ଼ି\nଦ୍ୱିତୀୟ ଧାଡ଼ି"
    hyp = "ପ୍ରଥମ\nଧାଡ଼ି ଦ୍ୱିତୀୟ   ଧାଡ଼ି"
    assert score_pair(ref, hyp).char_edits > 0
    assert score_pair(ref, hyp, page_mode=True).char_edits == 0
    assert page_text(" a \n\n b ") == "a b"


def test_empty_reference() -> None:
    assert ErrorCounts().cer == 0.0
    assert score_pair("", "କ").cer == 1.0
