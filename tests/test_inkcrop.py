"""The second view of a doubtful line: cropped to its ink; the engine keeps the more confident reading."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.compact import CompactEngine, DefaultEngine
from odia_ocr.recognizer.inkcrop import crop_to_ink

SAMPLE = Path(str(resources.files("odia_ocr") / "samples" / "line-01.png"))


def page_with_ink(dark_paper: bool = False, speckle: bool = False) -> np.ndarray:
    img = np.full((100, 400), 230, np.uint8)
    img[40:60, 100:300] = 20  # ink: 20 rows high
    if speckle:
        rng = np.random.default_rng(0)
        ys, xs = rng.integers(0, 100, 60), rng.integers(0, 400, 60)
        img[ys, xs] = 20  # isolated dots, as scanner noise
    return 255 - img if dark_paper else img


@pytest.mark.parametrize("dark_paper", [False, True])
@pytest.mark.parametrize("speckle", [False, True])
def test_crop_is_the_ink_box_plus_margin(dark_paper: bool, speckle: bool) -> None:
    out = crop_to_ink(page_with_ink(dark_paper, speckle), margin=0.15)
    assert out.shape == (20 + 2 * 3, 200 + 2 * 3)


def test_crop_stays_inside_the_image_and_is_a_view() -> None:
    img = np.full((30, 50), 255, np.uint8)
    img[0:30, 0:50:4] = 0
    out = crop_to_ink(img)
    assert out.shape == img.shape and np.shares_memory(out, img)


def test_blank_and_colour_images() -> None:
    blank = np.full((20, 60), 200, np.uint8)
    assert crop_to_ink(blank).shape == blank.shape
    colour = np.stack([page_with_ink()] * 3, axis=-1)
    assert crop_to_ink(colour).shape == (26, 206, 3)


def _spy_widths(engine: CompactEngine) -> list[int]:
    seen: list[int] = []
    run_batch = engine._run_batch

    def spy(images):
        seen.extend(im.shape[1] for im in images)
        return run_batch(images)

    engine._run_batch = spy  # type: ignore[method-assign]
    return seen


def test_recheck_reads_doubtful_lines_again_and_keeps_the_more_confident() -> None:
    image = to_array(load_image(SAMPLE))
    loose = np.pad(image, ((40, 40), (80, 80)), mode="edge")  # a loose crop: glyphs come out small
    once = CompactEngine(recheck_below=0.0)
    seen_once = _spy_widths(once)
    first = once.recognize([loose, image])
    assert len(seen_once) == 2
    twice = CompactEngine(recheck_below=1.01)  # every line is doubtful
    seen_twice = _spy_widths(twice)
    second = twice.recognize([loose, image])
    assert len(seen_twice) == 4 and min(seen_twice) < loose.shape[1]  # the second view is the cropped one
    for a, b in zip(first, second, strict=True):
        assert b.confidence >= a.confidence


def test_recheck_is_off_unless_asked_for_and_reaches_the_cli(tmp_path) -> None:
    import json
    import subprocess
    import sys

    assert DefaultEngine().recheck_below == 0.0 and CompactEngine().recheck_below == 0.0
    assert DefaultEngine(recheck_below=0.9).recheck_below == 0.9
    run = [sys.executable, "-m", "odia_ocr", "read", "--json", str(SAMPLE)]
    ok = subprocess.run([*run, "--recheck", "1.01"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["text"]
    bad = subprocess.run([*run, "--recheck", "2"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--recheck: expected a number from 0 to 1" in bad.stderr
