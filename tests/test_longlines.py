"""Lines of any length: very wide lines are cut at gaps into pieces, read, and joined."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.compact import CompactEngine
from odia_ocr.metrics import score_pair
from odia_ocr.recognizer.longlines import Piece, join_pieces, split_line
from odia_ocr.recognizer.preprocess import prepared_width
from odia_ocr.text import canonicalize

SAMPLE = Path(str(resources.files("odia_ocr") / "samples" / "line-01.png"))


def words_line(n_words: int, word: int = 60, gap: int = 14, letter_gap: int = 3, height: int = 32) -> np.ndarray:
    """Paper-white line of black 'words', each three 'letters' with narrow gaps between them."""
    img = np.full((height, n_words * (word + gap)), 255, np.uint8)
    letter = (word - 2 * letter_gap) // 3
    for i in range(n_words):
        x = i * (word + gap)
        for k in range(3):
            a = x + k * (letter + letter_gap)
            img[6:26, a : a + letter] = 0
    return img


def test_a_line_that_fits_is_one_piece() -> None:
    img = words_line(10)
    assert split_line(img, 32) == [Piece(0, img.shape[1])]


@pytest.mark.parametrize("max_width", [300, 1000, 4096])
def test_pieces_tile_the_line_fit_the_limit_and_cut_between_words(max_width: int) -> None:
    img = words_line(200)  # 14800 px at height 32
    pieces = split_line(img, 32, max_width)
    assert len(pieces) > 1
    assert pieces[0].start == 0 and pieces[-1].end == img.shape[1]
    assert all(a.end == b.start for a, b in itertools.pairwise(pieces))
    assert all(prepared_width(img[:, p.start : p.end].shape, 32, 2**31 - 1) <= max_width for p in pieces)
    for p in pieces[:-1]:
        assert (img[:, p.end - 2 : p.end + 2] == 255).all(), "cut inside ink"
        assert p.space_after, "a word gap, not a letter gap, was chosen"


def test_a_line_without_gaps_is_still_cut_to_the_limit() -> None:
    img = np.zeros((32, 9000), np.uint8)
    img[::2, ::3] = 255  # no all-paper column anywhere
    pieces = split_line(img, 32, 4096)
    assert len(pieces) == 3 and not any(p.space_after for p in pieces)


def test_join_spaces_only_at_word_gaps_and_blank_pieces() -> None:
    pieces = [Piece(0, 1, True), Piece(1, 2, False), Piece(2, 3, True), Piece(3, 4, False), Piece(4, 5)]
    assert join_pieces(["ab ", "cd", "ef", "", "gh"], pieces) == "ab cdef gh"
    assert join_pieces([" x "], [Piece(0, 1)]) == " x "


def test_engine_reads_a_line_in_pieces_as_a_whole() -> None:
    image = to_array(load_image(SAMPLE))
    text = canonicalize(SAMPLE.with_name("line-01.gt.txt").read_text(encoding="utf-8").strip())
    engine = CompactEngine()
    whole = engine.recognize([image])[0].text
    engine.max_piece_width = 150  # the sample is ~340 px at height 32: three pieces, cut between words
    assert len(split_line(image, engine.height, 150)) == 3
    seen: list[int] = []
    run_batch = engine._run_batch

    def spy(images):  # the network sees the pieces, not the whole line
        seen.extend(im.shape[1] for im in images)
        return run_batch(images)

    engine._run_batch = spy  # type: ignore[method-assign]
    pieced = engine.recognize([image, image])
    assert len(seen) == 6 and sum(seen) == 2 * image.shape[1]
    # Each copy is read as well as the whole line. The copies need not read alike: the LSTM's inputs are quantized
    # with one range per batch, and the two workers' batches hold different pieces (one worker reads them alike).
    for result in pieced:
        assert score_pair(text, result.text).cer <= max(0.05, score_pair(text, whole).cer)
