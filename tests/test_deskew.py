"""Levelling slanted lines: the angle found, the band kept, and the engines' use of it."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
import pytest

from odia_ocr.cli.common import add_builtin_model_options, builtin_model_options
from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.compact import CompactEngine, DefaultEngine
from odia_ocr.recognizer.deskew import deskew_line, estimate_skew

SAMPLE = Path(str(resources.files("odia_ocr") / "samples" / "line-01.png"))


@pytest.fixture(scope="module")
def line() -> np.ndarray:
    return to_array(load_image(SAMPLE))  # 58 x 620, level


@pytest.fixture(scope="module")
def truth() -> str:
    return SAMPLE.with_suffix(".gt.txt").read_text(encoding="utf-8").strip()


def turn(img: np.ndarray, deg: float, paper: int = 255) -> np.ndarray:
    """``img`` turned ``deg`` counter-clockwise inside its new upright bounding box, as a camera or scanner would."""
    h, w = img.shape[:2]
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    c, s = abs(rot[0, 0]), abs(rot[0, 1])
    nw, nh = int(np.ceil(w * c + h * s)), int(np.ceil(h * c + w * s))
    rot[0, 2] += (nw - w) / 2
    rot[1, 2] += (nh - h) / 2
    return cv2.warpAffine(img, rot, (nw, nh), borderValue=(paper, paper, paper))


@pytest.mark.parametrize("deg", [-4.0, -1.5, 0.8, 2.5])
def test_the_angle_and_its_sign_are_found(line: np.ndarray, deg: float) -> None:
    assert estimate_skew(turn(line, deg)) == pytest.approx(deg, abs=0.15)


def test_light_text_on_dark_paper_is_measured_too(line: np.ndarray) -> None:
    assert estimate_skew(255 - turn(line, 2.0)) == pytest.approx(2.0, abs=0.15)


def test_a_level_line_is_returned_untouched(line: np.ndarray) -> None:
    assert abs(estimate_skew(line)) < 0.2
    assert deskew_line(line) is line


@pytest.mark.parametrize("deg", [-3.0, 2.0])
def test_levelled_line_is_the_text_band_and_level(line: np.ndarray, deg: float) -> None:
    slanted = turn(line, deg)
    out = deskew_line(slanted)
    assert slanted.shape[0] > line.shape[0] + 15  # the slant made the image much taller than the text
    assert abs(out.shape[0] - line.shape[0]) <= 3  # the band cut back out is the original line's height
    assert abs(estimate_skew(out)) < 0.3
    assert out.dtype == slanted.dtype


def test_colour_images_keep_their_channels(line: np.ndarray) -> None:
    colour = np.stack([turn(line, 2.0)] * 3, axis=-1)
    out = deskew_line(colour)
    assert out.ndim == 3 and out.shape[2] == 3 and out.shape[0] < colour.shape[0] - 10


@pytest.mark.parametrize(
    "img",
    [np.full((40, 400), 230, np.uint8), np.zeros((3, 50), np.uint8), np.full((60, 100), 128, np.uint8)],
    ids=["blank", "too-short", "not-a-line-shape"],
)
def test_unmeasurable_images_give_zero(img: np.ndarray) -> None:
    assert estimate_skew(img) == 0.0
    assert deskew_line(img) is img


def test_default_engine_reads_a_slanted_line_that_it_misreads_without_deskew(line: np.ndarray, truth: str) -> None:
    slanted = turn(line, 4.0)  # 3° was misread without deskewing by the 8-bit file; the 7-bit one reads it
    assert DefaultEngine().recognize([slanted])[0].text == truth
    # without the word list and the second reading, which can each mend a misread word on their own,
    # deskewing alone makes the difference
    assert DefaultEngine(lexicon=False, recheck_below=0).recognize([slanted])[0].text == truth
    assert DefaultEngine(deskew=False, lexicon=False, recheck_below=0).recognize([slanted])[0].text != truth


def test_deskew_is_on_for_default_and_off_for_compact_unless_asked() -> None:
    assert DefaultEngine().deskew and not DefaultEngine(deskew=False).deskew
    assert not CompactEngine().deskew and CompactEngine(deskew=True).deskew


@pytest.mark.parametrize(
    ("argv", "expected"),
    [([], {}), (["--deskew"], {"deskew": True}), (["--no-deskew", "--decoder", "greedy"],
                                                  {"deskew": False, "decoder": "greedy"})],
)
def test_cli_passes_deskew_only_when_given(argv: list[str], expected: dict[str, object]) -> None:
    parser = argparse.ArgumentParser()
    add_builtin_model_options(parser)
    assert builtin_model_options(parser.parse_args(argv)) == expected


def test_turn_level_with_the_known_angle_gives_back_the_line_band(line: np.ndarray) -> None:
    from odia_ocr.recognizer.deskew import turn_level

    out = turn_level(turn(line, -2.0), -2.0)
    assert abs(out.shape[0] - line.shape[0]) <= 3 and abs(estimate_skew(out)) < 0.3


def test_a_long_slanted_line_is_cut_by_its_levelled_width_not_squeezed(line: np.ndarray, truth: str) -> None:
    # 14 copies side by side: 8680 x 58 px. Slanted by 2° it scales to about 770 px at the model's height, one piece;
    # levelled it scales to about 4790, past the 4096 one network run takes, so it must be cut before reading.
    long = np.concatenate([line] * 14, axis=1)
    engine = DefaultEngine()
    seen: list[int] = []
    run_batch = engine._run_batch

    def spy(images):  # type: ignore[no-untyped-def]
        seen.extend(im.shape[1] * engine.height / im.shape[0] for im in images)
        return run_batch(images)

    engine._run_batch = spy  # type: ignore[method-assign]
    text = engine.recognize([turn(long, 2.0)])[0].text
    assert len(seen) >= 2 and max(seen) <= 4096
    assert text.count(truth.split()[0]) == 14
