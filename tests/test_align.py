"""Alignment views and confusion counts: they must show exactly the edits the metrics count."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from odia_ocr.metrics import score_pair
from odia_ocr.metrics.align import Edit, align, confusions, diff_view, inline_diff, visible
from odia_ocr.text import canonicalize


def test_char_alignment_spans() -> None:
    assert align("abcd", "abxd") == [Edit("equal", "ab", "ab"), Edit("replace", "c", "x"), Edit("equal", "d", "d")]
    assert align("abc", "ac") == [Edit("equal", "a", "a"), Edit("delete", "b", ""), Edit("equal", "c", "c")]
    assert align("", "x") == [Edit("insert", "", "x")]


def test_alignment_reassembles_canonical_texts_and_matches_the_metric() -> None:
    ref, hyp = "ସରକାର ନୂଆ ଯୋଜନା ଘୋଷଣା କଲେ", "ସରକର ନୂଅ ଯୋଜନା  ଘୋଷଣା କଲେ।"
    edits = align(ref, hyp)
    assert "".join(e.ref for e in edits) == canonicalize(ref)
    assert "".join(e.hyp for e in edits) == canonicalize(hyp)
    changed = sum(max(len(e.ref), len(e.hyp)) for e in edits if e.op != "equal")
    assert changed == score_pair(ref, hyp).char_edits


def test_akshara_units_keep_syllables_whole() -> None:
    ref, hyp = "ପ୍ରାଚୀନ", "ପ୍ରାଚିନ"
    assert [e for e in align(ref, hyp) if e.op != "equal"] == [Edit("replace", "ୀ", "ି")]
    assert [e for e in align(ref, hyp, unit="akshara") if e.op != "equal"] == [Edit("replace", "ଚୀ", "ଚି")]


def test_views() -> None:
    assert inline_diff("ab cd", "ab xd", unit="char") == "ab [-c-]{+x+}d"
    assert inline_diff("abc", "ac", unit="char") == "a[-b-]c"
    assert inline_diff("ac", "abc", unit="char") == "a{+b+}c"
    assert diff_view("ab cd", "ab d", unit="char") == "ref: ab [-c-]d\nhyp: ab {++}d"
    assert diff_view("abcd", "axd", unit="char") == "ref: a[-bc-]d\nhyp: a{+x+}d"  # one stretch, not two
    assert inline_diff("abcd", "axd", unit="char") == "a[-bc-]{+x+}d"
    assert diff_view("ଆଜି ଭଲ", "ଆଜୀ ଭଲ") == "ref: ଆ[-ଜି-] ଭଲ\nhyp: ଆ{+ଜୀ+} ଭଲ"  # whole aksharas


def test_page_mode_ignores_line_breaks() -> None:
    assert all(e.op == "equal" for e in align("ଆଜି\nଭଲ", "ଆଜି  ଭଲ", page_mode=True))
    assert any(e.op != "equal" for e in align("ଆଜି\nଭଲ", "ଆଜି  ଭଲ"))


def test_confusions_count_stretches() -> None:
    pairs = [("ପ୍ରାଚୀନ", "ପ୍ରାଚିନ"), ("ନୀଳ", "ନିଳ"), ("ଆଜି", "ଆଜି "), ("କଲେ", "କଲ")]
    counts = confusions(pairs)
    assert counts[("ୀ", "ି")] == 2
    assert counts[("େ", "")] == 1
    assert sum(counts.values()) == 3  # the trailing space is stripped by canonicalization
    assert Levenshtein.distance("ନୀଳ", "ନିଳ") == 1


def test_visible() -> None:
    assert visible("ି") == "◌ି"
    assert visible("କି") == "କି"
    assert visible("") == "∅"
    assert visible("a b") == "a␣b"
