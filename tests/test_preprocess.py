"""Line preprocessing: the histogram percentiles give exactly what np.percentile gives; widths are known up front."""

from __future__ import annotations

import numpy as np
import pytest

from odia_ocr.recognizer.preprocess import MIN_WIDTH, percentiles_u8, prepare_line, prepared_width


@pytest.mark.parametrize("seed", range(5))
def test_histogram_percentiles_equal_numpy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    images = [
        rng.integers(0, 256, (int(rng.integers(1, 40)), int(rng.integers(1, 400)))).astype(np.uint8),
        (rng.random((32, 300)) ** 4 * 255).astype(np.uint8),  # mostly dark with a long tail
        np.full((7, 3), int(rng.integers(0, 256)), np.uint8),  # constant
        np.array([[0, 255]], np.uint8),
    ]
    for img in images:
        want = np.percentile(img.astype(np.float32), (1, 50, 99))
        got = percentiles_u8(img, (1, 50, 99))
        assert all(type(v) is np.float64 for v in got)
        assert np.array_equal(np.asarray(got), want)


def test_prepared_line_polarity_and_range() -> None:
    rng = np.random.default_rng(0)
    dark_on_light = np.full((40, 200), 230, np.uint8)
    dark_on_light[15:25, 20:180] = rng.integers(0, 40, (10, 160))
    x = prepare_line(dark_on_light, 32)
    y = prepare_line(255 - dark_on_light, 32)  # light on dark is inverted to the same polarity
    assert x.shape == y.shape == (32, 160)
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert x[16, 80] > 0.9 and x[2, 80] < 0.1 and y[16, 80] > 0.9


@pytest.mark.parametrize("shape", [(58, 620), (32, 100), (100, 32), (3, 2000), (1, 1), (64, 40, 3), (200, 9000)])
def test_prepared_width_is_the_width_prepare_line_gives(shape: tuple[int, ...]) -> None:
    img = np.random.default_rng(1).integers(0, 256, shape).astype(np.uint8)
    w = prepared_width(img.shape, 32)
    assert prepare_line(img, 32).shape == (32, w)
    assert MIN_WIDTH <= w <= 4096
