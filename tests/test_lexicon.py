"""The word list for beam search: canonical words, a reproducible file, a bonus only among plausible readings."""

from __future__ import annotations

import argparse

import pytest

from ctc_fixtures import BLANK, CS, KH, SPACE, G, K, frames
from odia_ocr.cli.common import add_builtin_model_options, builtin_model_options
from odia_ocr.engines.compact import CompactEngine, DefaultEngine, default_lexicon_path
from odia_ocr.recognizer.beam import BeamConfig, beam_decode
from odia_ocr.recognizer.lexicon import Lexicon


def test_words_are_stored_canonical_and_found_in_any_spelling(tmp_path) -> None:
    lex = Lexicon(["କୋଣ", "  ", "ଦୁଇ ଶବ୍ଦ"])  # blank entries and phrases are dropped
    assert len(lex) == 1
    assert "କ\u0b4b\u0b23" in lex and "କ\u0b47\u0b3e\u0b23" in lex  # ୋ precomposed or as େ + ା
    assert "କଣ" not in lex and 3 not in lex
    a, b = tmp_path / "a.txt.gz", tmp_path / "b.txt.gz"
    lex.save(a)
    Lexicon(["କୋଣ"]).save(b)
    assert a.read_bytes() == b.read_bytes()  # no timestamp or file name in the gzip header
    assert Lexicon.load(a).words == lex.words
    (tmp_path / "plain.txt").write_text("କୋଣ\nଗଖ\n", encoding="utf-8")
    assert len(Lexicon.load(tmp_path / "plain.txt")) == 2


def test_broken_or_empty_word_lists_are_one_line_errors(tmp_path, capsys) -> None:
    from odia_ocr.cli.main import main

    (tmp_path / "bad.txt.gz").write_bytes(b"not gzip")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    for name in ("bad.txt.gz", "latin1.txt", "empty.txt"):
        with pytest.raises(ValueError, match=name):
            Lexicon.load(tmp_path / name)
    sample = default_lexicon_path().parent.parent / "samples" / "line-01.png"
    assert main(["read", str(sample), "--lexicon", str(tmp_path / "bad.txt.gz")]) != 0
    err = capsys.readouterr().err.strip()
    assert "bad.txt.gz" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_bonus_picks_the_known_word_where_a_glyph_is_ambiguous() -> None:
    # second letter: ଖ (0.5) or ଗ (0.45); the lexicon knows "କଗ"
    lg = frames({K: 0.95}, {BLANK: 0.95}, {KH: 0.5, G: 0.45}, {BLANK: 0.95})
    assert beam_decode(lg, CS).text == "କଖ"
    assert beam_decode(lg, CS, lexicon=Lexicon(["କଗ"])).text == "କଗ"
    # a word ending at a space gets the bonus too
    lg2 = frames({K: 0.95}, {KH: 0.5, G: 0.45}, {SPACE: 0.95}, {K: 0.95})
    assert beam_decode(lg2, CS, lexicon=Lexicon(["କଗ"])).text == "କଗ କ"


def test_bonus_never_rewrites_a_clearly_printed_word() -> None:
    lg = frames({K: 0.95}, {BLANK: 0.95}, {KH: 0.998}, {BLANK: 0.95})  # ଗ is below the pruning floor
    assert beam_decode(lg, CS, lexicon=Lexicon(["କଗ"])).text == "କଖ"
    # and the confidence stays acoustic: the bonus does not make a reading look surer
    plain = beam_decode(frames({K: 0.95}, {KH: 0.5, G: 0.45}), CS, cfg=BeamConfig(word_bonus=0.0))
    boosted = beam_decode(frames({K: 0.95}, {KH: 0.5, G: 0.45}), CS, lexicon=Lexicon(["କଖ"]))
    assert abs(plain.confidence - boosted.confidence) < 1e-9


def test_default_engine_uses_the_bundled_word_list_and_compact_does_not() -> None:
    assert default_lexicon_path().is_file()
    assert len(DefaultEngine().lexicon or ()) > 100_000
    assert DefaultEngine(lexicon=False).lexicon is None
    assert CompactEngine().lexicon is None  # greedy: no beam search to use it
    assert CompactEngine(decoder="beam", lexicon=True).lexicon is not None


def test_cli_lexicon_options() -> None:
    parser = argparse.ArgumentParser()
    add_builtin_model_options(parser)
    assert builtin_model_options(parser.parse_args([])) == {}
    assert builtin_model_options(parser.parse_args(["--no-lexicon"])) == {"lexicon": False}
    assert builtin_model_options(parser.parse_args(["--lexicon", "w.txt"])) == {"lexicon": "w.txt"}
