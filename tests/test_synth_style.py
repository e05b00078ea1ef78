"""Type-style variation: off by default, deterministic, and it changes shapes without erasing text."""

from __future__ import annotations

import numpy as np
import pytest

from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.lines import LineSynthesizer
from odia_ocr.synth.render import LineRenderer
from odia_ocr.synth.style import StyleVariation, sample_style, vary_style


@pytest.fixture(scope="module")
def mask(shared_data):
    font = next(f for f in discover_fonts([shared_data / "fonts"]) if f.family == "noto-serif-oriya")
    return LineRenderer().render("ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା", font, 32)


def _ink(m: np.ndarray) -> float:
    return float(m.astype(np.float64).sum())


def test_zero_amount_is_identity(mask) -> None:
    rng = np.random.default_rng(0)
    v = sample_style(rng, 0.0)
    assert v == StyleVariation()
    assert np.array_equal(vary_style(mask, v, rng), mask)


def test_width_scales_and_height_stays(mask) -> None:
    rng = np.random.default_rng(0)
    narrow = vary_style(mask, StyleVariation(x_scale=0.8), rng)
    wide = vary_style(mask, StyleVariation(x_scale=1.25), rng)
    assert narrow.shape[0] == wide.shape[0] == mask.shape[0]
    assert narrow.shape[1] == round(mask.shape[1] * 0.8) and wide.shape[1] == round(mask.shape[1] * 1.25)


def test_weight_moves_ink_both_ways(mask) -> None:
    rng = np.random.default_rng(0)
    heavy = vary_style(mask, StyleVariation(weight=0.6), rng)
    light = vary_style(mask, StyleVariation(weight=-0.5), rng)
    assert _ink(light) < _ink(mask) < _ink(heavy)
    assert _ink(light) >= 0.55 * _ink(mask)  # thinner, never erased


def test_warp_moves_pixels_but_keeps_ink(mask) -> None:
    rng = np.random.default_rng(3)
    warped = vary_style(mask, StyleVariation(warp=0.03), rng)
    assert warped.shape == mask.shape and not np.array_equal(warped, mask)
    assert 0.8 < _ink(warped) / _ink(mask) < 1.2


def test_synthesizer_default_is_unchanged_and_jitter_is_deterministic(shared_data) -> None:
    """Benchmarks build with the default (no variation); training's varied samples replay from the key."""
    fonts = discover_fonts([shared_data / "fonts"])
    texts = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା"], [], p_sentence=1.0)
    plain, varied = LineSynthesizer(fonts, texts), LineSynthesizer(fonts, texts, style_jitter=1.0)
    assert "style" not in plain.sample([1, 2]).meta
    a, b = varied.sample([1, 2]), varied.sample([1, 2])
    assert np.array_equal(a.image, b.image) and a.meta["style"] == b.meta["style"]
    styles = [varied.sample([1, i]).meta["style"] for i in range(20)]
    assert any(s != StyleVariation().to_dict() for s in styles)


def test_ink_crop_fits_the_ink_with_a_margin(mask) -> None:
    from odia_ocr.synth.lines import ink_crop

    out = ink_crop(mask, np.random.default_rng(4))
    assert _ink(out) == _ink(mask)  # nothing cut, nothing added
    rows = np.flatnonzero(mask.any(axis=1))
    ink_h = rows[-1] - rows[0] + 1
    assert ink_h < out.shape[0] <= ink_h * 1.7 + 2
    assert out[0].max() == 0 and out[-1].max() == 0  # margins are blank
    assert np.array_equal(out, ink_crop(mask, np.random.default_rng(4)))


def test_synthesizer_crops_a_share_of_lines_to_their_ink(shared_data) -> None:
    fonts = discover_fonts([shared_data / "fonts"])
    texts = TextSampler(["ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା"], [], p_sentence=1.0)
    syn = LineSynthesizer(fonts, texts, p_ink_crop=0.5)
    cropped = [bool(syn.sample([3, i], level="clean").meta.get("ink_crop")) for i in range(40)]
    assert 8 <= sum(cropped) <= 32
