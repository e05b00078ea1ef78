"""Page cleanup: polarity and contrast, blank pages, borders, skew and sideways pages."""

from __future__ import annotations

import numpy as np
import pytest

from odia_ocr.pages.preprocess import (
    PreprocessOptions,
    apply_corrections,
    binarize,
    estimate_orientation,
    estimate_skew,
    is_blank,
    normalize_contrast,
    orientation_margin,
    prepare_page,
    remove_border,
    rotate,
    rotate_quarter,
)
from odia_ocr.synth.pages import PageSynthesizer
from test_pages_support import clean_page, page_synthesizer


@pytest.fixture(scope="module")
def page():
    return clean_page(page_synthesizer(), 7)


def test_white_on_black_becomes_dark_on_light(page) -> None:
    out = normalize_contrast(255 - page.image)
    assert np.median(out) > 200
    ink = page.image < 128
    assert out[ink].mean() < 100


def test_uneven_lighting_is_flattened(page) -> None:
    _h, w = page.image.shape
    shade = np.linspace(0, 110, w, dtype=np.float32)[None, :]
    dim = np.clip(page.image.astype(np.float32) - shade, 0, 255).astype(np.uint8)
    out = normalize_contrast(dim)
    paper = page.image > 200
    left, right = out[:, : w // 4][paper[:, : w // 4]], out[:, -w // 4 :][paper[:, -w // 4 :]]
    assert abs(float(np.median(left)) - float(np.median(right))) < 20
    assert set(np.unique(binarize(out))) <= {0, 255}


def test_blank_pages() -> None:
    rng = np.random.default_rng(0)
    assert is_blank(np.full((800, 600), 240, np.uint8))
    noisy = np.clip(230 + rng.normal(0, 8, (800, 600)), 0, 255).astype(np.uint8)
    assert is_blank(noisy)
    assert prepare_page(noisy).blank
    assert prepare_page(np.zeros((1, 1), np.uint8)).blank


def test_page_with_text_is_not_blank(page) -> None:
    assert not is_blank(page.image)


def test_faint_noisy_page_is_not_blank(page) -> None:
    """Grey ink on grey paper, 30% darker than it, with noise: a faded page, not an empty one."""
    rng = np.random.default_rng(1)
    faint = 140 + (page.image.astype(np.float32) / 255) * 60 + rng.normal(0, 10, page.image.shape)
    faint = np.clip(faint, 0, 255).astype(np.uint8)
    assert not is_blank(faint)
    assert not prepare_page(faint).blank


def test_scanner_border_is_removed(page) -> None:
    img = page.image.copy()
    img[:, :40] = 0  # a black band down the left edge
    out = remove_border(img)
    assert out[:, :40].mean() > 250
    assert (out[:, 40:] == img[:, 40:]).all()


@pytest.mark.parametrize("angle", [-3.0, 1.5])
def test_skew_is_measured_and_undone(page, angle: float) -> None:
    tilted = rotate(page.image, angle)
    found = estimate_skew(tilted)
    assert abs(found - angle) < 0.3
    prepared = prepare_page(tilted, PreprocessOptions(orientation=False))
    assert abs(prepared.skew - angle) < 0.3
    assert abs(estimate_skew(prepared.grey)) < 0.3


@pytest.mark.parametrize("angle", [0.0, 2.0])
def test_skew_of_a_table_of_contents(angle: float) -> None:
    """A level contents page: titles of any length, and a page-number column holding only the ends of rows.
    Turning the image moved that column's ink out of its strip, and the search tilted this page 1.4°."""
    base = page_synthesizer()
    contents = PageSynthesizer(base.fonts, base.texts, table_share=1.0).sample((99, 0), level="clean")
    assert abs(estimate_skew(rotate(contents.image, angle)) - angle) < 0.3


def test_level_page_is_not_turned(page) -> None:
    prepared = prepare_page(page.image)
    assert prepared.skew == 0.0 and prepared.rotation == 0


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_page_is_turned_back_to_horizontal(page, turn: int) -> None:
    sideways = rotate_quarter(page.image, turn)
    assert estimate_orientation(sideways) == 90
    assert estimate_orientation(page.image) == 0
    (up, up_margin), (side, side_margin) = orientation_margin(page.image), orientation_margin(sideways)
    assert (up, side) == (0, 90) and up_margin > 4 and side_margin > 4  # prose: a clear choice either way
    prepared = prepare_page(sideways)
    assert prepared.grey.shape == page.image.shape  # lines run across again (maybe upside down)


def test_corrections_apply_to_colour_images(page) -> None:
    rgb = np.stack([page.image] * 3, axis=2)
    out = apply_corrections(rgb, 90, 2.0)
    assert out.shape == (rgb.shape[1], rgb.shape[0], 3)
    assert (apply_corrections(rgb, 0, 0.05) == rgb).all()


def test_denoise_removes_salt_and_pepper(page) -> None:
    rng = np.random.default_rng(1)
    noisy = page.image.copy()
    spots = rng.random(noisy.shape) < 0.01
    noisy[spots] = rng.choice([0, 255], int(spots.sum()))
    paper = page.image > 250
    plain = prepare_page(noisy, PreprocessOptions(orientation=False, deskew=False))
    clean = prepare_page(noisy, PreprocessOptions(orientation=False, deskew=False, denoise=True))
    assert (clean.grey[paper] < 128).mean() < 0.2 * (plain.grey[paper] < 128).mean()


