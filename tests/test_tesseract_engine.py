"""The Tesseract baseline engine: language resolution, TSV parsing, and real reads of rendered lines."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from odia_ocr.engines.base import Recognizer
from odia_ocr.engines.registry import create_engine
from odia_ocr.engines.tesseract import (
    TesseractEngine,
    TesseractError,
    TesseractScriptEngine,
    parse_tsv,
    resolve_language,
)
from odia_ocr.metrics import score_corpus, score_pair
from odia_ocr.synth.corpus import TextSampler
from odia_ocr.synth.fonts import discover_fonts
from odia_ocr.synth.lines import LineSynthesizer

TEXTS = [
    "ଓଡ଼ିଆ ଭାଷା ଏକ ପ୍ରାଚୀନ ଭାଷା",
    "ଆଜି ପାଣିପାଗ ବହୁତ ଭଲ ଅଛି",
    "ସରକାର ନୂଆ ଯୋଜନା ଘୋଷଣା କଲେ",
    "ପିଲାମାନେ ବିଦ୍ୟାଳୟକୁ ଯାଉଛନ୍ତି",
]

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract binary not installed")


@pytest.fixture(scope="module")
def clean_lines() -> list[np.ndarray]:
    fonts = [f for f in discover_fonts([]) if f.family == "lohit-odia"]
    if not fonts:
        pytest.skip("Lohit Odia (fonts-lohit-orya) not installed")
    syn = LineSynthesizer(fonts, TextSampler(TEXTS), sizes=(32, 32))
    return [syn.sample([7, i], level="clean", text=t, font=fonts[0]).image for i, t in enumerate(TEXTS)]


def test_resolve_language_maps_script_names_both_ways() -> None:
    assert resolve_language("script/Oriya", ["eng", "Oriya", "ori"]) == "Oriya"
    assert resolve_language("script/Oriya", ["script/Oriya"]) == "script/Oriya"
    assert resolve_language("Oriya", ["ori", "script/Oriya"]) == "script/Oriya"
    assert resolve_language("ori+eng", ["eng", "ori"]) == "ori+eng"


def test_resolve_language_missing_is_one_line() -> None:
    with pytest.raises(TesseractError) as err:
        resolve_language("ori", ["eng", "osd"])
    msg = str(err.value)
    assert "'ori'" in msg and "eng, osd" in msg and "\n" not in msg


def test_parse_tsv_joins_lines_and_weights_confidence_by_length() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t40\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tଆଜି",  # 3 code points
        "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t30\t।",  # 1 code point
        "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t90\tଭଲ",  # next line, 2 code points
        "5\t1\t1\t1\t2\t2\t0\t0\t10\t10\t95\t ",  # an empty word is skipped
    ]
    text, conf = parse_tsv("\n".join([header, *rows]))
    assert text == "ଆଜି ।\nଭଲ"
    assert conf == pytest.approx((3 * 0.9 + 1 * 0.3 + 2 * 0.9) / 6)
    assert parse_tsv(header + "\n") == ("", 0.0)


def test_missing_binary_is_a_clear_error() -> None:
    with pytest.raises(TesseractError, match="not found; install"):
        TesseractEngine(binary="/nonexistent/tesseract")


@needs_tesseract
def test_missing_language_is_a_clear_error() -> None:
    with pytest.raises(TesseractError, match="no language data for 'xx_nope'"):
        TesseractEngine(lang="xx_nope")


@needs_tesseract
def test_reads_clean_rendered_lines(clean_lines: list[np.ndarray]) -> None:
    engine = create_engine("tesseract")
    assert isinstance(engine, TesseractEngine) and isinstance(engine, Recognizer)
    results = engine.recognize(clean_lines)
    assert len(results) == len(TEXTS)
    assert all(r.text for r in results)
    assert all(0.0 <= r.confidence <= 1.0 for r in results)
    total, _ = score_corpus(TEXTS, [r.text for r in results])
    assert total.cer < 0.15, [r.text for r in results]
    # Order is kept: each prediction is closest to its own reference.
    for i, r in enumerate(results):
        dists = [score_pair(t, r.text).char_edits for t in TEXTS]
        assert dists.index(min(dists)) == i


@needs_tesseract
def test_script_engine_and_grey_or_rgb_input(clean_lines: list[np.ndarray]) -> None:
    engine = TesseractScriptEngine(model=None, batch_size=8)
    assert engine.name == "tesseract-script" and engine.lang.endswith("Oriya")
    rgb = np.repeat(clean_lines[0][:, :, None], 3, axis=2)
    (result,) = engine.recognize([rgb])
    assert score_pair(TEXTS[0], result.text).cer < 0.2
    assert engine.recognize([]) == []


@needs_tesseract
def test_recognize_page_reads_several_lines(clean_lines: list[np.ndarray]) -> None:
    width = max(img.shape[1] for img in clean_lines) + 40
    rows = [np.pad(img, ((10, 10), (20, width - img.shape[1] - 20)), constant_values=255) for img in clean_lines]
    page = np.vstack(rows)
    text = TesseractEngine().recognize_page(page)
    assert score_pair("\n".join(TEXTS), text, page_mode=True).cer < 0.15, text
