"""The second view of a doubtful line: its margins trimmed; the engine keeps the more confident reading."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from odia_ocr.data.images import load_image, to_array
from odia_ocr.engines.compact import CompactEngine, DefaultEngine
from odia_ocr.recognizer.recheck import TRIM, trim_margins

SAMPLE = Path(str(resources.files("odia_ocr") / "samples" / "line-01.png"))


def test_trim_cuts_the_same_share_from_top_and_bottom_as_a_view() -> None:
    img = np.arange(100 * 7, dtype=np.uint8).reshape(100, 7)
    out = trim_margins(img, 0.06)
    assert out.shape == (88, 7) and np.array_equal(out, img[6:94]) and np.shares_memory(out, img)
    colour = np.zeros((50, 9, 3), np.uint8)
    assert trim_margins(colour, 0.1).shape == (40, 9, 3)
    assert trim_margins(img[:20], 0.01).shape == (18, 7)  # at least a row from each side
    assert trim_margins(img[:9], 0.06) is not None and trim_margins(img[:9], 0.06).shape == (9, 7)  # too low
    assert trim_margins(img, 0.0) is img


def _spy_shapes(engine: CompactEngine) -> list[tuple[int, ...]]:
    seen: list[tuple[int, ...]] = []
    run_batch = engine._run_batch

    def spy(images):
        seen.extend(im.shape[:2] for im in images)
        return run_batch(images)

    engine._run_batch = spy  # type: ignore[method-assign]
    return seen


def test_recheck_reads_doubtful_lines_again_and_keeps_the_more_confident() -> None:
    image = to_array(load_image(SAMPLE))
    loose = np.pad(image, ((40, 40), (80, 80)), mode="edge")  # a loose crop: glyphs come out small
    once = CompactEngine(recheck_below=0.0)
    seen_once = _spy_shapes(once)
    first = once.recognize([loose, image])
    assert len(seen_once) == 2
    twice = CompactEngine(recheck_below=1.01)  # every line is doubtful
    seen_twice = _spy_shapes(twice)
    second = twice.recognize([loose, image])
    trimmed = [trim_margins(im).shape[:2] for im in (loose, image)]
    assert sorted(seen_twice) == sorted([loose.shape[:2], image.shape[:2], *trimmed])
    for a, b in zip(first, second, strict=True):
        assert b.confidence >= a.confidence


def test_recheck_is_on_for_default_off_for_compact_and_reaches_the_cli(tmp_path) -> None:
    import json
    import subprocess
    import sys

    assert DefaultEngine().recheck_below == 0.9 and CompactEngine().recheck_below == 0.0
    assert DefaultEngine(recheck_below=0).recheck_below == 0.0 and CompactEngine(recheck_below=0.5).recheck_below == 0.5
    assert DefaultEngine().recheck_trim == TRIM
    run = [sys.executable, "-m", "odia_ocr", "read", "--json", str(SAMPLE)]
    ok = subprocess.run([*run, "--recheck", "1.01"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["text"]
    bad = subprocess.run([*run, "--recheck", "2"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--recheck: expected a number from 0 to 1" in bad.stderr
